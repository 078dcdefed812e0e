"""Calling a learner's function in its kernel from the grader: :class:`RemoteFunction`.

A lab's test ``test(f, rng)`` is written once. Inside the learner's notebook,
``check(...)`` passes the learner's function itself; when a lab is graded, ``f`` is a
:class:`RemoteFunction`: calling it writes the arguments to the kernel's private folder,
asks the kernel to call the learner's object on them, and reads the result back as plain
data (:mod:`dcai_course.grading.codec`). Expected values, comparisons and points stay in
the grader. Arrays that the learner's function modified in place are copied back into
the grader's arguments, so a test can still check that its inputs were left untouched.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import builtins
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import codec, kernel_stub

if TYPE_CHECKING:
    from .kernel import Kernel, Outcome

__all__ = [
    "Budget",
    "LearnerRaised",
    "NotPlainResult",
    "QuestionTimeout",
    "RemoteFunction",
    "Session",
    "call_then",
]


def _without_future(source: str) -> str:
    return source.replace("from __future__ import annotations\n", "")


#: What the kernel runs for every request, written fresh beside the request: the codec,
#: the stub, and a call of its ``serve``.
_REQUEST_SOURCE = (
    "from __future__ import annotations\n"
    + _without_future(Path(codec.__file__).read_text(encoding="utf-8"))
    + _without_future(Path(kernel_stub.__file__).read_text(encoding="utf-8"))
    + "\nserve(__dcai_folder__, __dcai_nonce__, __dcai_user__, globals())\n"
)
#: The cell the grader executes: short, so that IPython's input handling stays cheap.
_REQUEST_CELL = (
    "exec(compile(open({path!r}, encoding='utf-8').read(), '<dcai-grader>', 'exec'), "
    "{{'__name__': 'dcai_grader', '__dcai_folder__': {folder!r}, '__dcai_nonce__': {nonce!r}, "
    "'__dcai_user__': globals()}})"
)
#: Builtin exceptions that a remote call re-raises under their own type, so that a test
#: may expect, say, a ValueError from the learner's function.
_REMOTE_TYPES = (
    "ValueError", "TypeError", "KeyError", "IndexError", "ZeroDivisionError",
    "NotImplementedError", "RuntimeError", "ArithmeticError", "LookupError", "OverflowError",
    "FloatingPointError", "AttributeError", "NameError", "RecursionError", "MemoryError",
)  # fmt: skip


#: Seconds allowed for a describe request (which also imports the forbidden references).
DESCRIBE_TIMEOUT = 60.0


class QuestionTimeout(BaseException):
    """The learner's code used up the question's time (not an ``Exception``: tests and
    their ``except Exception`` clauses cannot swallow it)."""


class KernelGone(BaseException):
    """The kernel died, or was killed because it ignored an interrupt."""


class LearnerRaised(Exception):
    """The learner's function raised; ``description`` says what and where."""

    def __init__(self, ename: str, evalue: str, where: str):
        super().__init__(evalue)
        self.ename, self.evalue, self.where = ename, evalue, where

    @property
    def description(self) -> str:
        if self.ename == "NotImplementedError":
            return "NotImplementedError"
        return f"your code raised {self.ename}: {self.evalue}{self.where}"


_LEARNER_TYPES: dict[str, type] = {}


def _learner_exception(ename: str, evalue: str, where: str) -> LearnerRaised:
    base = getattr(builtins, ename, None) if ename in _REMOTE_TYPES else None
    if base is None:
        return LearnerRaised(ename, evalue, where)
    cls = _LEARNER_TYPES.get(ename)
    if cls is None:
        cls = type(f"Learner{ename}", (LearnerRaised, base), {})
        _LEARNER_TYPES[ename] = cls
    return cls(ename, evalue, where)


class NotPlainResult(AssertionError):
    """The learner's function returned something that is not plain data."""


@dataclass
class Budget:
    """Seconds of kernel time left for one question's tests."""

    seconds: float
    used: float = 0.0

    @property
    def remaining(self) -> float:
        return self.seconds - self.used


@dataclass
class Session:
    """A learner's kernel seen from the grader: requests, replies, restarts.

    ``restart`` is a callable that starts a fresh kernel and replays the learner's cells;
    it is called before the next request once a call had to kill the kernel.
    """

    kernel: Kernel
    restart: Any = None
    needs_restart: bool = False
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    def request(self, payload: dict, timeout: float) -> tuple[Any, float]:
        """Send one request; return the decoded reply and the seconds it took."""
        if self.needs_restart and self.restart is not None:
            self.restart()
            self.needs_restart = False
        nonce = secrets.token_hex(16)
        folder = self.kernel.folder / "io"
        folder.mkdir(exist_ok=True)
        codec.write_message(folder, nonce + ".in", payload, rich=True)
        script = folder / f"{nonce}.py"
        script.write_text(_REQUEST_SOURCE, encoding="utf-8")
        code = _REQUEST_CELL.format(path=str(script), folder=str(folder), nonce=nonce)
        self.requests += 1
        start = time.monotonic()
        outcome: Outcome = self.kernel.execute(code, timeout, store_history=False)
        elapsed = time.monotonic() - start
        try:
            if outcome.status in ("killed", "dead"):
                self.needs_restart = True
                raise KernelGone(outcome.status)
            if outcome.status == "timeout":
                raise QuestionTimeout()
            try:
                reply = codec.read_message(folder, nonce + ".out")
            except (ValueError, OSError) as exc:
                reason = outcome.evalue or str(exc)
                raise NotPlainResult(f"the grader could not read the reply: {reason}") from exc
            if not isinstance(reply, dict) or not isinstance(reply.get("status"), str):
                raise NotPlainResult("the grader received a malformed reply")
            return reply, elapsed
        finally:
            for path in folder.glob(nonce + ".*"):
                path.unlink(missing_ok=True)


class RemoteFunction:
    """The learner's object ``name``, called in its kernel with plain data.

    Parameters
    ----------
    session : Session
    name : str
        The name the question asks the learner to define.
    forbids : sequence of str
        Dotted names of reference implementations that raise during the call.
    budget : Budget
        The question's remaining kernel time; running out raises :class:`QuestionTimeout`.
    """

    def __init__(self, session: Session, name: str, forbids: Sequence[str], budget: Budget):
        self.session, self.name, self.forbids, self.budget = session, name, list(forbids), budget

    def __repr__(self) -> str:
        return f"<the learner's {self.name} (in its kernel)>"

    def _payload(self, mode: str, args, kwargs, post=None, post_args=()) -> dict:
        return {
            "mode": mode,
            "name": self.name,
            "args": list(args),
            "kwargs": dict(kwargs),
            "forbids": self.forbids,
            "post": post,
            "post_args": list(post_args),
        }

    def _send(self, payload: dict) -> dict:
        if payload["mode"] == "describe":  # not the learner's code: outside the budget
            return self.session.request(payload, DESCRIBE_TIMEOUT)[0]
        if self.budget.remaining <= 0:
            raise QuestionTimeout()
        try:
            reply, elapsed = self.session.request(payload, self.budget.remaining)
        except QuestionTimeout:
            self.budget.used = self.budget.seconds
            raise
        self.budget.used += elapsed
        return reply

    def describe(self) -> dict:
        """Whether the object exists, is callable, and its bytecode fingerprints."""
        return self._send(self._payload("describe", (), {}))

    def call(self, args=(), kwargs=None, *, post: str | None = None, post_args=()) -> Any:
        """Call the learner's object; with ``post``, apply that package function (named
        ``"module:function"`` or dotted) in the kernel to the result and return its output."""
        payload = self._payload("call", args, kwargs or {}, post, post_args)
        reply = self._send(payload)
        status = reply["status"]
        if status == "missing":
            raise LearnerRaised("NameError", f"`{self.name}` is not defined", "")
        if status == "interrupted":
            raise QuestionTimeout()
        if status == "raised":
            raise _learner_exception(
                str(reply.get("ename", "Exception")), str(reply.get("evalue", "")),
                str(reply.get("where", "")),
            )  # fmt: skip
        if status == "not_plain":
            raise NotPlainResult(
                f"`{self.name}` returned {reply.get('what', 'an object')}, which the grader "
                "cannot read: return plain data (numbers, strings, numpy arrays, pandas "
                "Series/DataFrames, and lists, tuples or dicts of these)."
            )
        if status != "ok" or "result" not in reply:
            raise NotPlainResult("the grader received a malformed reply")
        _copy_back(args, reply.get("changed"))
        return reply["result"]

    def __call__(self, *args, **kwargs):
        return self.call(args, kwargs)


def _copy_back(args: Sequence[Any], changed: Any) -> None:
    """Write the learner's in-place changes into the grader's own argument arrays."""
    if not isinstance(changed, dict):
        return
    for index, value in changed.items():
        if not (isinstance(index, int) and 0 <= index < len(args)):
            continue
        target = args[index]
        if not isinstance(target, np.ndarray) or not isinstance(value, np.ndarray):
            continue
        if value.shape == target.shape and target.flags.writeable:
            try:
                np.copyto(target, value, casting="unsafe")
            except (TypeError, ValueError):
                target[...] = -1  # a change the grader cannot mirror still counts as a change


def _resolve(name: str):
    module, _, attr = name.replace(":", ".").rpartition(".")
    import importlib

    return getattr(importlib.import_module(module), attr)


def call_then(f: Any, post: str, post_args: Sequence[Any] = (), args: Sequence[Any] = ()) -> Any:
    """``post(f(*args), *post_args)``, where ``post`` runs beside the learner's code.

    For a :class:`RemoteFunction`, the package function ``post`` (a dotted name) runs in
    the learner's kernel, so that a result that is not plain data (labeling functions,
    say) is turned into plain data there. Elsewhere (``check(...)`` in the notebook) it is
    an ordinary call.
    """
    if isinstance(f, RemoteFunction):
        return f.call(args, post=post, post_args=post_args)
    return _resolve(post)(f(*args), *post_args)
