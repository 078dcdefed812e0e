"""Flags for the instructor: answers that look copied, and notebooks that tamper.

* :func:`add_similarity` compares each answer (the ``def`` of the question's function,
  read from the submitted file, never from the kernel) with the reference
  implementation's source, the lab's solution and every other submission of the run,
  with copydetect's winnowing fingerprints (Schleimer, Wilkerson & Aiken, 2003; the
  method of MOSS). Identifiers are normalised first, so renaming does not hide a copy.
  Each answered question gets a ``similarity`` entry: the closest match, the fraction of
  the answer found in it, and ``flagged`` above :data:`FLAG_AT`.
* :func:`bytecode_match` catches a copy that the text does not show (source read with
  ``inspect.getsource`` or solution cells executed at run time): the learner's function
  has exactly the bytecode of the reference or of the solution.
* :func:`suspicious_constructs` lists constructs that have no place in an answer and can
  tamper with grading inside the kernel (input transformers, patched builtins, frame
  inspection, processes and threads, the course's own files).

These are flags for review, never automatic zeros.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import ast
import functools
import inspect
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .kernel_stub import code_fingerprints
from .spec import Question, get_lab

__all__ = [
    "FLAG_AT",
    "add_similarity",
    "answer_source",
    "bytecode_match",
    "provided_cells",
    "suspicious_constructs",
]

#: A question is flagged when at least this fraction of its answer's fingerprints is
#: found in one other source.
FLAG_AT = 0.7
_K = 25  # characters per fingerprinted k-gram (after copydetect's normalisation)
_WINDOW = 1
_ROOT = Path(__file__).resolve().parents[2]

_SUSPICIOUS = (
    (r"input_transformers|ast_transformers|register_magic|events\.register",
     "hooks or rewrites the code the grader sends to the kernel"),
    (r"\b__builtins__\b|\bimport builtins\b|\bbuiltins\.",
     "changes Python's builtins"),
    (r"^\s*(exec|compile|globals|__import__|open)\s*=|^\s*def\s+(exec|compile|globals|__import__)\b",
     "redefines a builtin the grader uses"),
    (r"__code__|__closure__|types\.FunctionType|types\.CodeType",
     "edits or rebuilds function code objects"),
    (r"sys\._getframe|\.f_back\b|\.f_locals\b|inspect\.stack|inspect\.currentframe",
     "inspects its callers' frames"),
    (r"inspect\.getsource|getsourcelines|dcai_course\.__file__|__file__|\bsolutions\b",
     "reads the course's own source or solutions"),
    (r"\bsubprocess\b|os\.system|os\.fork|\bPopen\b|os\.exec|os\.spawn|\bmultiprocessing\b|"
     r"threading\.Thread|\bThread\(|os\.setsid|\bdaemon\b",
     "starts processes or threads"),
    (r"signal\.signal|SIGINT|SIG_IGN", "handles signals (the grader's interrupt)"),
    (r"\bctypes\b|gc\.get_referrers|gc\.get_objects|sys\.modules\[",
     "reaches into the interpreter"),
    (r"dcai_course\.grading|from dcai_course\.grading|emit_report|REPORT_MARKER",
     "uses the grader's internals"),
    (r"importlib\.reload|spec_from_file_location|\bexec\(|\beval\(",
     "runs code built at run time"),
)  # fmt: skip


def suspicious_constructs(cells: Sequence[str], provided: Sequence[str] = ()) -> list[str]:
    """One flag per kind of construct that can tamper with grading, with its cell.

    Cells that are exactly as the lab provides them (``provided``: the exercise's cells,
    e.g. one that imports a task's data from ``dcai_course.grading.labs``) are not the
    learner's code and are never flagged.
    """
    given = {src.strip() for src in provided}
    flags = []
    for pattern, what in _SUSPICIOUS:
        regex = re.compile(pattern, re.MULTILINE)
        cells_hit = [
            i for i, src in enumerate(cells) if src.strip() not in given and regex.search(src)
        ]
        if cells_hit:
            where = ", ".join(str(i) for i in cells_hit[:5])
            flags.append(f"{what} (code cell {where})")
    return flags


# -- answers as text ------------------------------------------------------------------------


def _parse(source: str) -> ast.Module | None:
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return isinstance(node.target, ast.Name) and node.target.id == name
    return False


def answer_source(cells: Sequence[str], name: str) -> str | None:
    """The source of the last top-level definition of ``name`` in ``cells``, if any."""
    found = None
    for source in cells:
        tree = _parse(source)
        if tree is None:
            continue
        for node in tree.body:
            if _defines(node, name):
                found = ast.get_source_segment(source, node) or found
    return found


def _solution_cells(lab_id: str) -> list[str]:
    from .grader import read_submission_cells

    return read_submission_cells(_ROOT / "solutions" / f"{lab_id}.ipynb")


def _exercise_cells(lab_id: str) -> list[str]:
    from .grader import read_submission_cells

    return read_submission_cells(_ROOT / "exercises" / f"{lab_id}.ipynb")


def provided_cells(lab_id: str) -> list[str]:
    """The code cells of the lab as handed out (empty when the exercise is not installed)."""
    return _exercise_cells(lab_id)


def _reference_function(dotted: str) -> Any:
    from .kernel_stub import _resolve

    try:
        func = _resolve(dotted)
    except (ImportError, AttributeError):
        return None
    return func if inspect.isfunction(func) else None


@functools.cache
def _references(question: Question) -> tuple[tuple[str, str], ...]:
    """(label, source) of the question's package references that can be read."""
    out = []
    for dotted in question.forbids:
        if not dotted.startswith("dcai_course."):
            continue
        func = _reference_function(dotted)
        try:
            out.append((f"reference {dotted}", inspect.getsource(func)))
        except (OSError, TypeError):
            continue
    return tuple(out)


# -- bytecode ---------------------------------------------------------------------------------


def _solution_code(cells: Sequence[str], name: str) -> list[str]:
    digests = []
    for source in cells:
        if _parse(source) is None:
            continue
        module = compile(source, "<solution>", "exec")
        for const in module.co_consts:
            if getattr(const, "co_name", None) == name:
                digests.append(code_fingerprints(_Holder(const))[0])
    return digests


class _Holder:
    """A stand-in with a ``__code__``, to fingerprint a code object that was never run."""

    def __init__(self, code):
        self.__code__ = code


@functools.cache
def _known_digests(question: Question) -> tuple[tuple[str, str], ...]:
    out = []
    for dotted in question.forbids:
        func = _reference_function(dotted)
        if func is not None:
            out.append((code_fingerprints(func)[0], f"reference {dotted} (identical bytecode)"))
    lab_id = _lab_id_of(question)
    if lab_id:
        for digest in _solution_code(_solution_cells(lab_id), question.name):
            out.append((digest, "the lab's solution (identical bytecode)"))
    return tuple(out)


def _lab_id_of(question: Question) -> str | None:
    from .spec import all_labs

    for lab in all_labs().values():
        if question in lab.questions:
            return lab.id
    return None


def bytecode_match(question: Question, fingerprints: Any) -> str | None:
    """What the learner's function is a byte-for-byte copy of, or ``None``."""
    if not isinstance(fingerprints, list):
        return None
    learner = {f for f in fingerprints if isinstance(f, str)}
    for digest, label in _known_digests(question):
        if digest in learner:
            return label
    return None


# -- winnowing across the class ---------------------------------------------------------------


def _fingerprint(text: str, boilerplate: Any = None):
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        "answer.py", _K, _WINDOW, boilerplate=boilerplate, fp=io.StringIO(text), language="python"
    )


def _best_match(answer, candidates) -> tuple[float, str]:
    from copydetect import compare_files

    best, label = 0.0, ""
    for name, other in candidates:
        if other is answer or not len(other.hashes):
            continue
        score = float(compare_files(answer, other)[1][0])
        if score > best:
            best, label = score, name
    return best, label


def _answered(question_row: dict[str, Any]) -> bool:
    return "not answered yet" not in question_row.get("message", "")


def add_similarity(submissions: Sequence[Any], paths: Sequence[Path]) -> None:
    """Give every answered autograded question of ``submissions`` a ``similarity`` entry."""
    from .grader import read_submission_cells

    cells = [read_submission_cells(Path(p)) for p in paths]
    for lab_id in sorted({s.lab for s in submissions if s.lab}):
        try:
            lab = get_lab(lab_id)
        except KeyError:
            continue
        members = [i for i, s in enumerate(submissions) if s.lab == lab_id]
        for question in lab.questions:
            if not question.manual:
                _compare_question(question, [(i, submissions[i], cells[i]) for i in members])


def _compare_question(question: Question, members: list[tuple[int, Any, list[str]]]) -> None:
    lab_id = _lab_id_of(question) or ""
    stub = answer_source(_exercise_cells(lab_id), question.name) or ""
    boilerplate = list(_fingerprint(stub).hashes) if stub else None
    candidates = [(label, _fingerprint(src)) for label, src in _references(question)]
    solution = answer_source(_solution_cells(lab_id), question.name)
    if solution:
        candidates.append(("the lab's solution", _fingerprint(solution)))
    answers = {}
    for index, sub, sub_cells in members:
        text = answer_source(sub_cells, question.name)
        if text:
            answers[index] = (sub, _fingerprint(text, boilerplate))
    classmates = [(sub.notebook, fp) for sub, fp in answers.values()]
    for sub, fp in answers.values():
        row = next((q for q in sub.questions if q["id"] == question.id), None)
        if row is None or not _answered(row) or not len(fp.hashes) or "similarity" in row:
            continue
        score, label = _best_match(fp, candidates + classmates)
        row["similarity"] = {"score": round(score, 2), "match": label, "flagged": score >= FLAG_AT}
