"""Generate ``exercises/`` from ``solutions/``: one source of truth for every lab.

In a solution notebook, the lines between ``### BEGIN SOLUTION`` and ``### END
SOLUTION`` in a code cell are the answer. In the generated exercise they become::

    # YOUR CODE HERE
    raise NotImplementedError()

at the indentation of the ``BEGIN`` marker. In a markdown cell (a written answer), the
text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` becomes
``*Your answer here.*``. Outputs and execution counts are cleared. The same approach is
used by nbgrader's ClearSolutions and the INRIA scikit-learn MOOC.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..notebook_tools import clean_notebook, clear_outputs, read_notebook, write_notebook

__all__ = [
    "MarkerError",
    "build_exercises",
    "check_exercises",
    "exercise_from_solution",
    "solution_lines",
]

CODE_BEGIN = "### BEGIN SOLUTION"
CODE_END = "### END SOLUTION"
MD_BEGIN = "<!-- BEGIN SOLUTION -->"
MD_END = "<!-- END SOLUTION -->"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
MD_STUB = "*Your answer here.*"
_MARKERS = (CODE_BEGIN, CODE_END, MD_BEGIN, MD_END, "BEGIN SOLUTION", "END SOLUTION")
#: Solution lines shorter than this (``return x``, ``pass``) are too common to count as a leak.
_MIN_LEAK_LENGTH = 16


class MarkerError(ValueError):
    """Solution markers that do not pair up."""


def _blocks(lines: list[str], begin: str, end: str, where: str):
    """Yield (begin_index, end_index) of each marker pair, validating the pairing."""
    start = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(begin):
            if start is not None:
                raise MarkerError(f"{where}: nested '{begin}' at line {i + 1}.")
            start = i
        elif stripped.startswith(end):
            if start is None:
                raise MarkerError(f"{where}: '{end}' at line {i + 1} without a BEGIN.")
            yield start, i
            start = None
    if start is not None:
        raise MarkerError(f"{where}: '{begin}' at line {start + 1} is never closed.")


def _replace_blocks(source: str, cell_type: str, where: str) -> tuple[str, list[str]]:
    lines = source.split("\n")
    begin, end = (CODE_BEGIN, CODE_END) if cell_type == "code" else (MD_BEGIN, MD_END)
    out: list[str] = []
    hidden: list[str] = []
    cursor = 0
    for start, stop in list(_blocks(lines, begin, end, where)):
        out.extend(lines[cursor:start])
        indent = re.match(r"\s*", lines[start]).group(0)
        if cell_type == "code":
            out.extend(indent + stub for stub in CODE_STUB)
        else:
            out.append(indent + MD_STUB)
        hidden.extend(lines[start + 1 : stop])
        cursor = stop + 1
    out.extend(lines[cursor:])
    return "\n".join(out), hidden


def exercise_from_solution(
    solution: nbformat.NotebookNode, name: str = "notebook"
) -> nbformat.NotebookNode:
    """Return the exercise notebook generated from a solution notebook."""
    nb = clean_notebook(clear_outputs(solution))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type in ("code", "markdown"):
            cell.source, _ = _replace_blocks(cell.source, cell.cell_type, f"{name}, cell {index}")
    meta = copy.deepcopy(dict(nb.metadata.get("dcai_course", {})))
    meta.pop("execution_seconds", None)  # a property of the executed solution, not the lab
    meta["generated_from"] = f"solutions/{name}"
    nb.metadata["dcai_course"] = meta
    return nb


def solution_lines(solution: nbformat.NotebookNode, name: str = "notebook") -> set[str]:
    """The distinctive lines of a solution's answers (those a leak check looks for).

    Lines shorter than a few characters, and lines that also appear outside the answer
    blocks, are not distinctive and are left out.
    """
    hidden: set[str] = set()
    visible: set[str] = set()
    for index, cell in enumerate(solution.cells):
        if cell.cell_type not in ("code", "markdown"):
            continue
        kept, inside = _replace_blocks(cell.source, cell.cell_type, f"{name}, cell {index}")
        hidden.update(line.strip() for line in inside)
        visible.update(line.strip() for line in kept.split("\n"))
    return {line for line in hidden - visible if len(line) >= _MIN_LEAK_LENGTH}


@dataclass
class ExerciseReport:
    """What ``build-exercises`` wrote or, with ``--check``, what is wrong."""

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _pairs(solutions_dir: Path, exercises_dir: Path):
    for sol in sorted(solutions_dir.glob("*_lab.ipynb")):
        yield sol, exercises_dir / sol.name


def build_exercises(solutions_dir: str | Path, exercises_dir: str | Path) -> ExerciseReport:
    """Write ``exercises/NN_topic_lab.ipynb`` for every ``solutions/NN_topic_lab.ipynb``."""
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    if not solutions_dir.is_dir():
        raise ValueError(
            f"solutions_dir {solutions_dir} is not a folder: pass the course's solutions/ "
            "folder (run from the repository's root)."
        )
    report = ExerciseReport()
    if not any(solutions_dir.glob("*_lab.ipynb")):
        report.problems.append(f"no *_lab.ipynb notebooks found in {solutions_dir}")
        return report
    exercises_dir.mkdir(parents=True, exist_ok=True)
    for sol, ex in _pairs(solutions_dir, exercises_dir):
        write_notebook(exercise_from_solution(read_notebook(sol), sol.name), ex)
        report.written.append(ex)
    return report


def _leaks(exercise: nbformat.NotebookNode, secret_lines: set[str]) -> list[str]:
    found = []
    for index, cell in enumerate(exercise.cells):
        lines = {line.strip() for line in cell.source.split("\n")}
        for marker in _MARKERS:
            if any(marker in line for line in lines):
                found.append(f"cell {index} contains the marker '{marker}'")
                break
        for line in sorted(lines & secret_lines):
            found.append(f"cell {index} contains the solution line {line!r}")
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            found.append(f"cell {index} has outputs (exercises are committed without outputs)")
    return found


def check_exercises(solutions_dir: str | Path, exercises_dir: str | Path) -> ExerciseReport:
    """Check that ``exercises/`` is exactly what ``build_exercises`` would write, with no leak."""
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    for folder, what in ((solutions_dir, "solutions_dir"), (exercises_dir, "exercises_dir")):
        if not folder.is_dir():
            raise ValueError(
                f"{what} {folder} is not a folder: pass the course's solutions/ and "
                "exercises/ folders (run from the repository's root)."
            )
    report = ExerciseReport()
    if not any(solutions_dir.glob("*_lab.ipynb")):
        report.problems.append(f"no *_lab.ipynb notebooks found in {solutions_dir}")
    expected_names = set()
    for sol, ex in _pairs(solutions_dir, exercises_dir):
        expected_names.add(ex.name)
        solution = read_notebook(sol)
        if not ex.exists():
            report.problems.append(f"{ex} is missing: run `dcai-course build-exercises`")
            continue
        try:
            current = read_notebook(ex)
        except ValueError as exc:
            report.problems.append(str(exc))
            continue
        for leak in _leaks(current, solution_lines(solution, sol.name)):
            report.problems.append(f"{ex}: {leak}")
        expected = nbformat.writes(exercise_from_solution(solution, sol.name))
        if nbformat.writes(current) != expected:
            report.problems.append(
                f"{ex} is out of date with {sol}: run `dcai-course build-exercises` "
                "(never edit exercises/ by hand)"
            )
    for ex in sorted(exercises_dir.glob("*.ipynb")) if exercises_dir.exists() else []:
        if ex.name not in expected_names:
            report.problems.append(f"{ex} has no solution in {solutions_dir}: remove it")
    return report
