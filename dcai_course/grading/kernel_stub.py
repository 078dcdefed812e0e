"""The code that serves one grader request inside a learner's kernel.

The grader sends this module's source, together with :mod:`dcai_course.grading.codec`,
with *every* request and executes it in a fresh namespace: nothing the learner defined
earlier under these names is used. A request is a message ``NONCE.in`` in the kernel's
private folder; the answer is written to ``NONCE.out`` as plain data, and stdout is never
read, so a graded function may print what it likes.

A request either describes the learner's object (is it defined, is it callable, and
fingerprints of its bytecode, which the grader compares with the reference's) or calls
it on the arguments sent by the grader. During a call, every reference implementation
the question forbids raises :class:`RuntimeError`: the guard replaces the function's
``__code__``, so aliases, wrappers, ``functools.partial`` objects and lambdas captured
earlier reach the guard too.

This is a self-check for the learner's kernel, not the security boundary: what comes
back is decoded by the grader as plain data, compared with expected values that never
enter the kernel, and scored by the grader.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import traceback
import types
from typing import Any

__all__ = ["GUARD_MESSAGE", "code_fingerprints", "install_guards", "serve"]

#: What a forbidden reference implementation raises during a graded call.
GUARD_MESSAGE = "answers must not call the reference implementation (`{name}`)"
_STUB_FILE = "<dcai-grader>"
_GUARD_STATE = "__dcai_reference_guard__"


def _resolve(dotted: str) -> Any:
    """Import the longest importable prefix of ``dotted`` and walk the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def _guard_code(dotted: str, n_free: int) -> types.CodeType:
    """A code object that raises when ``dotted`` is forbidden, else calls the original."""
    free = [f"_free{i}" for i in range(n_free)]
    lines = ["def _outer():"]
    lines += [f"    {name} = None" for name in free]
    lines += [
        "    def _guard(*args, **kwargs):",
        f"        state = {_GUARD_STATE}",
        f"        if {dotted!r} in state['active']:",
        f"            raise RuntimeError({GUARD_MESSAGE.format(name=dotted)!r})",
        f"        if state['never']: print({', '.join(free) or 'None'})",
        f"        return state['original'][{dotted!r}](*args, **kwargs)",
        "    return _guard",
    ]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), _STUB_FILE, "exec"), namespace)
    return namespace["_outer"]().__code__


def install_guards(forbids: list[str], state: dict) -> None:
    """Make every function named in ``forbids`` raise while ``state['active']`` names it."""
    state["active"] = set()
    for dotted in forbids:
        try:
            func = _resolve(dotted)
        except (ImportError, AttributeError):
            continue  # a field library that is not installed cannot be called either
        while isinstance(func, functools.partial):
            func = func.func
        func = getattr(func, "__func__", func)
        if not isinstance(func, types.FunctionType):
            continue
        if dotted not in state["original"]:
            original = types.FunctionType(
                func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
            )
            original.__kwdefaults__ = func.__kwdefaults__
            state["original"][dotted] = original
            func.__globals__[_GUARD_STATE] = state
            func.__code__ = _guard_code(dotted, len(func.__code__.co_freevars))
            func.__defaults__ = None
            func.__kwdefaults__ = None
    state["active"] = set(forbids)


def _code_digest(code: types.CodeType) -> str:
    """A digest of what ``code`` does: its instructions, names and constants.

    Method loads are read as attribute loads and jumps as instruction indices: the
    compiler picks between the two loads by what the surrounding module imports, so the
    same function compiled in a notebook cell and in a module would differ otherwise.
    """
    import dis

    instructions = list(dis.get_instructions(code))
    position = {ins.offset: i for i, ins in enumerate(instructions)}
    jumps = set(dis.hasjrel) | set(dis.hasjabs)
    parts = []
    for ins in instructions:
        op = "LOAD_ATTR" if ins.opname == "LOAD_METHOD" else ins.opname
        if ins.opcode in jumps:
            arg = position.get(ins.argval, ins.argval)
        elif isinstance(ins.argval, types.CodeType):
            arg = "<code>"
        else:
            arg = ins.argval
        parts.append(f"{op} {arg!r}")
    text = "\n".join(parts) + repr(code.co_varnames)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _codes(code: types.CodeType) -> list[types.CodeType]:
    out = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out.extend(_codes(const))
    return out


def code_fingerprints(obj: Any, namespace: dict | None = None, depth: int = 2) -> list[str]:
    """Digests of the bytecode of ``obj`` (first) and of the global functions it names.

    Two functions compiled from the same source by the same Python have the same digests,
    whatever their file, line numbers or name; ``functools.partial`` objects and bound
    methods are unwrapped first.
    """
    while isinstance(obj, functools.partial):
        obj = obj.func
    obj = getattr(obj, "__func__", obj)
    code = getattr(obj, "__code__", None)
    if not isinstance(code, types.CodeType):
        return []
    found = [_code_digest(c) for c in _codes(code)]
    if namespace is not None and depth > 0:
        for name in code.co_names:
            other = namespace.get(name)
            if other is not obj and isinstance(other, types.FunctionType | functools.partial):
                found.extend(code_fingerprints(other, namespace, depth - 1))
    return list(dict.fromkeys(found))


def _where(exc: BaseException) -> str:
    """The line of the learner's code that raised (the last frame outside the packages)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename.replace("\\", "/")
        if name == _STUB_FILE or "site-packages" in name or "/dcai_course/" in name:
            continue
        return f" (line {frame.lineno}: {frame.line})" if frame.line else ""
    return ""


def _call(request: dict, namespace: dict, state: dict) -> dict:
    import numpy as np

    obj = namespace.get(request["name"])
    if obj is None:
        return {"status": "missing"}
    args, kwargs = list(request["args"]), dict(request["kwargs"])
    before = {i: a.copy() for i, a in enumerate(args) if isinstance(a, np.ndarray)}
    install_guards(list(request["forbids"]), state)
    try:
        result = obj(*args, **kwargs)
        if request.get("post"):
            result = _resolve(request["post"])(result, *request["post_args"])
    except KeyboardInterrupt:
        return {"status": "interrupted"}
    except BaseException as exc:  # the learner's code may raise anything, SystemExit too
        return {"status": "raised", "ename": type(exc).__name__, "evalue": str(exc)[:2000],
                "where": _where(exc)[:500]}  # fmt: skip
    finally:
        state["active"] = set()
    changed = {
        i: args[i]
        for i, old in before.items()
        if not (
            old.shape == args[i].shape
            # equal_nan only for numbers: NumPy cannot test strings for NaN
            and np.array_equal(old, args[i], equal_nan=old.dtype.kind in "fc")
        )
    }
    return {"status": "ok", "result": result, "changed": changed}


def _describe(request: dict, namespace: dict, state: dict) -> dict:
    # import the forbidden references now, so that their import time does not count
    # against the question's time limit
    install_guards(list(request["forbids"]), state)
    state["active"] = set()
    name = request["name"]
    if name not in namespace:
        return {"status": "missing"}
    obj = namespace[name]
    return {
        "status": "ok",
        "callable": callable(obj),
        "type": type(obj).__name__,
        "fingerprints": code_fingerprints(obj, namespace),
    }


def serve(folder: str, nonce: str, namespace: dict, codec: dict) -> None:
    """Answer the request ``folder/NONCE.in`` in ``folder/NONCE.out`` (plain data only).

    ``namespace`` is the learner's (the notebook's globals); ``codec`` holds the functions
    of :mod:`dcai_course.grading.codec`, freshly executed from the grader's source.
    """
    import sys

    request = codec["read_message"](folder, nonce + ".in", rich=True)
    state = sys.__dict__.setdefault("_dcai_reference_guard", {"original": {}, "never": False})
    if request["mode"] == "describe":
        reply = _describe(request, namespace, state)
    else:
        reply = _call(request, namespace, state)
    try:
        codec["write_message"](folder, nonce + ".out", reply)
    except codec["NotPlainData"] as exc:
        codec["write_message"](folder, nonce + ".out", {"status": "not_plain", "what": str(exc)})
