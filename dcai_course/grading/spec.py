"""How a lab's questions and tests are described, and how one question is run.

A lab is written once, in ``solutions/NN_topic_lab.ipynb``; its grading lives in a
module ``dcai_course/grading/labs/labNN.py`` that defines ``LAB = Lab(...)``. Each
:class:`Question` names the object the learner defines in the notebook (usually a
function) and lists its tests:

* public tests run in the learner's own notebook through :func:`dcai_course.check`;
* hidden tests run only when the lab is graded. They draw randomized inputs (a fresh
  seed each time the grader runs, printed when a test fails) and compare the learner's
  answer with the package's reference implementation, so a hard-coded answer does not
  pass.

A test is a function ``test(obj, rng)`` that raises ``AssertionError`` with a message
for the learner when the answer is wrong.
"""

from __future__ import annotations

import importlib
import pkgutil
import secrets
import signal
import threading
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "STATUSES",
    "Lab",
    "Question",
    "QuestionResult",
    "Test",
    "all_labs",
    "get_lab",
    "get_question",
    "run_question",
]

#: Possible outcomes of a question: every test passed; a test's assertion failed; the
#: learner's code raised (including ``NotImplementedError`` for an unanswered stub) or
#: the object is missing; a written answer, graded by hand.
STATUSES = ("passed", "failed", "error", "manual")

TestFunc = Callable[[Any, np.random.Generator], None]


@dataclass(frozen=True)
class Test:
    """One check of a learner's answer."""

    __test__ = False  # not a pytest test class, despite its name

    name: str
    func: TestFunc
    hidden: bool = False


@dataclass(frozen=True)
class Question:
    """A graded question of a lab.

    Parameters
    ----------
    id : str
        ``"NN.qK"``, e.g. ``"01.q2"``; the id used by ``check(...)`` in the notebook.
    title : str
        Short title, as in the lab's heading.
    points : int
        Points for the question (all or nothing for autograded questions).
    name : str or None
        The name of the object the learner defines in the notebook; ``None`` for a
        written answer.
    tests : list of Test
    hint : str
        Shown when a test fails.
    manual : bool
        A written answer, listed by the grader as ``"manual"`` with 0 automatic points.
    time_limit : float
        Seconds allowed for all tests of the question at grading time.
    forbids : tuple of str
        Dotted names of the reference implementations an answer may not call: the
        package's own function for the question and the field libraries' equivalents
        (``"cleanlab.count.compute_confident_joint"``). During graded calls each raises
        "answers must not call the reference implementation", also when reached through
        an alias, a wrapper, a ``functools.partial`` or a lambda.
    """

    id: str
    title: str
    points: int
    name: str | None = None
    tests: tuple[Test, ...] = ()
    hint: str = ""
    manual: bool = False
    time_limit: float = 60.0
    forbids: tuple[str, ...] = ()

    def __post_init__(self):
        if isinstance(self.points, bool) or not isinstance(self.points, int | np.integer):
            raise TypeError(
                f"Question {self.id}: points must be a whole number, got "
                f"{type(self.points).__name__} {self.points!r}."
            )
        if self.points < 1:
            raise ValueError(f"Question {self.id}: points must be >= 1, got {self.points}.")
        if not self.manual and (self.name is None or not self.tests):
            raise ValueError(f"Autograded question {self.id} needs a name and tests.")
        object.__setattr__(self, "tests", tuple(self.tests))
        object.__setattr__(self, "forbids", tuple(self.forbids))


@dataclass(frozen=True)
class Lab:
    """A lab: its id (stored in the notebook metadata) and its questions."""

    id: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "questions", tuple(self.questions))
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"Lab {self.id} has duplicate question ids: {ids}.")

    @property
    def max_score(self) -> int:
        return sum(q.points for q in self.questions if not q.manual)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"Lab {self.id} has no question {question_id!r}; it has {known}.")


@dataclass
class QuestionResult:
    """The outcome of running one question's tests."""

    id: str
    points: float
    max_points: int
    status: str
    message: str
    tests_passed: int = 0
    tests_run: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "message": self.message,
        }


def all_labs() -> dict[str, Lab]:
    """Every lab defined in :mod:`dcai_course.grading.labs`, by lab id."""
    from . import labs as labs_pkg

    found: dict[str, Lab] = {}
    for info in pkgutil.iter_modules(labs_pkg.__path__):
        module = importlib.import_module(f"{labs_pkg.__name__}.{info.name}")
        lab = getattr(module, "LAB", None)
        if isinstance(lab, Lab):
            found[lab.id] = lab
    return dict(sorted(found.items()))


def get_lab(lab_id: str) -> Lab:
    """The lab with this id, or a ``KeyError`` that lists the known labs."""
    labs = all_labs()
    if lab_id not in labs:
        raise KeyError(f"Unknown lab {lab_id!r}. Known labs: {', '.join(labs) or 'none'}.")
    return labs[lab_id]


def get_question(question_id: str) -> Question:
    """Find a question by its id (``"01.q2"``) across all labs."""
    for lab in all_labs().values():
        for q in lab.questions:
            if q.id == question_id:
                return q
    raise KeyError(
        f"No lab has a question {question_id!r}. Question ids look like '01.q1': the lab "
        "number, then the question number."
    )


class _QuestionTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """Raise ``_QuestionTimeout`` after ``seconds`` (main thread on POSIX only)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def _raise(signum, frame):
        raise _QuestionTimeout()

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe_exception(exc: BaseException, question: Question) -> str:
    from .remote import LearnerRaised

    if isinstance(exc, NotImplementedError):
        return (
            f"not answered yet: `{question.name}` still raises NotImplementedError. "
            "Replace the `raise NotImplementedError()` line with your code."
        )
    if isinstance(exc, LearnerRaised):
        return exc.description
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    for frame in reversed(frames):
        if "dcai_course" not in frame.filename.replace("\\", "/"):
            where = f" (line {frame.lineno}: {frame.line})" if frame.line else ""
            break
    return f"your code raised {type(exc).__name__}: {exc}{where}"


def _result(question: Question, status: str, message: str, passed: int, run: int):
    points = question.points if status == "passed" else 0
    return QuestionResult(question.id, points, question.points, status, message, passed, run)


def _timeout_message(limit: float) -> str:
    return (
        f"the tests did not finish within {limit:g} s: is there an endless loop, or a loop "
        "over every example where a vectorised operation would do?"
    )


def run_question(
    question: Question,
    obj: Any,
    *,
    include_hidden: bool,
    seed: int | None = None,
    time_limit: float | None = None,
) -> QuestionResult:
    """Run a question's tests on ``obj`` and return the outcome.

    ``obj`` is the learner's object (``check(...)`` in the notebook) or, when a lab is
    graded, a :class:`~dcai_course.grading.remote.RemoteFunction` that calls it in the
    learner's kernel; the time limit is then counted by the remote calls themselves.
    Public tests use a fixed seed (0); hidden tests draw a fresh seed unless ``seed`` is
    given, and a failure message names the seed so that it can be reproduced.
    """
    from .remote import KernelGone, QuestionTimeout, RemoteFunction

    if question.manual:
        return _result(question, "manual", "written answer: graded by the instructor", 0, 0)
    remote = isinstance(obj, RemoteFunction)
    if not remote and str(getattr(obj, "__module__", "") or "").startswith("dcai_course"):
        return _result(
            question,
            "failed",
            f"`{question.name}` is the course package's reference implementation "
            f"({obj.__module__}), not your own: write the function in the notebook.",
            0,
            0,
        )
    tests = [t for t in question.tests if include_hidden or not t.hidden]
    hidden_seed = secrets.randbits(32) if seed is None else seed
    passed = 0
    limit = question.time_limit if time_limit is None else time_limit
    try:
        with _time_limit(0 if remote else limit):
            for test in tests:
                test_seed = hidden_seed if test.hidden else 0
                try:
                    test.func(obj, np.random.default_rng(test_seed))
                except AssertionError as exc:
                    kind = f"hidden test (seed {test_seed})" if test.hidden else "test"
                    message = f"{kind} '{test.name}' failed: {exc}"
                    if question.hint:
                        message += f" Hint: {question.hint}"
                    return _result(question, "failed", message, passed, len(tests))
                passed += 1
    except (_QuestionTimeout, QuestionTimeout):
        return _result(question, "error", _timeout_message(limit), passed, len(tests))
    except KernelGone as exc:
        what = "ignored the interrupt at the time limit" if str(exc) == "killed" else "exited"
        message = f"the kernel was lost: your code {what} (after {passed} of {len(tests)} tests)"
        return _result(question, "error", message, passed, len(tests))
    except Exception as exc:
        return _result(question, "error", _describe_exception(exc, question), passed, len(tests))
    n_hidden = sum(t.hidden for t in tests)
    detail = f"{passed} test{'s' if passed != 1 else ''} passed"
    if n_hidden:
        detail += f" ({n_hidden} hidden)"
    return _result(question, "passed", detail, passed, len(tests))
