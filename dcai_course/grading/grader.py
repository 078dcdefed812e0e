"""Grade submitted lab notebooks: execute each in a fresh kernel, then run its tests.

For every submission the grader

1. reads the notebook and finds which lab it is from its metadata
   (``metadata.dcai_course.lab``), not from its file name;
2. appends one grading cell and executes the notebook in a fresh kernel of this
   environment, with a per-cell timeout; a cell that raises or runs over time does not
   stop the cells after it;
3. in that kernel, runs each question's public and hidden tests on the learner's
   objects and reports points, status and a short message per question.

A file that is not a notebook, not a lab, or whose kernel dies gets a row that says so,
and grading goes on with the next file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..notebook_tools import execute_notebook, read_notebook
from .checks import REPORT_MARKER
from .spec import Lab, get_lab

__all__ = ["Submission", "collect_notebooks", "grade_notebook", "grade_paths", "write_csv"]

_GRADING_CELL = (
    "__import__('dcai_course.grading.checks', fromlist=['emit_report'])"
    ".emit_report({lab_id!r}, globals())"
)


@dataclass
class Submission:
    """The grade of one submitted notebook."""

    notebook: str
    lab: str | None
    score: float
    max_score: int
    questions: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "notebook": self.notebook,
            "lab": self.lab,
            "score": self.score,
            "max_score": self.max_score,
            "questions": self.questions,
        }
        if self.error:
            out["error"] = self.error
        if self.notes:
            out["notes"] = self.notes
        return out


def collect_notebooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of ``.ipynb`` files (checkpoints skipped)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
            )
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path} does not exist.")
    return found


def _lab_of(nb: nbformat.NotebookNode) -> str | None:
    meta = nb.metadata.get("dcai_course", {})
    return meta.get("lab") if isinstance(meta, dict) else None


def _error_rows(lab: Lab, message: str) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "points": 0,
            "max_points": q.points,
            "status": "manual" if q.manual else "error",
            "message": message,
        }
        for q in lab.questions
    ]


def _cell_notes(nb: nbformat.NotebookNode) -> list[str]:
    """Short notes on the learner's cells that raised or were interrupted."""
    notes = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") != "NotImplementedError":
                notes.append(
                    f"cell {index} raised {out.get('ename')}: {out.get('evalue', '')[:200]}"
                )
    return notes


def _read_report(cell: nbformat.NotebookNode) -> dict[str, Any] | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            for line in out.get("text", "").splitlines():
                if line.startswith(REPORT_MARKER):
                    return json.loads(line[len(REPORT_MARKER) :])
    return None


def grade_notebook(path: str | Path, *, timeout: float = 120) -> Submission:
    """Execute one submission and grade it (never raises for a bad submission)."""
    path = Path(path)
    name = str(path)
    try:
        nb = read_notebook(path)
    except ValueError as exc:
        return Submission(name, None, 0, 0, error=str(exc))
    lab_id = _lab_of(nb)
    if not lab_id:
        return Submission(
            name,
            None,
            0,
            0,
            error="not a dcai-course lab: its metadata has no dcai_course.lab entry "
            "(start from the notebook in exercises/, which carries it)",
        )
    try:
        lab = get_lab(lab_id)
    except KeyError as exc:
        return Submission(name, lab_id, 0, 0, error=str(exc.args[0]))
    grading_cell = nbformat.v4.new_code_cell(_GRADING_CELL.format(lab_id=lab_id))
    grading_cell.metadata["dcai_course"] = {"grading_cell": True}
    nb.cells.append(grading_cell)
    # the learner's cells get `timeout` each; the grading cell runs every question's
    # tests, each bounded by its own time limit, so it gets their sum
    grading_timeout = max(timeout, sum(q.time_limit for q in lab.questions) + 60)

    def cell_timeout(cell):
        is_grading = cell.metadata.get("dcai_course", {}).get("grading_cell", False)
        return grading_timeout if is_grading else timeout

    result = execute_notebook(
        nb,
        cwd=path.parent,
        timeout=timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
        timeout_func=cell_timeout,
    )
    executed = result.notebook
    notes = _cell_notes(executed)[:10]
    report = _read_report(executed.cells[-1]) if result.error is None else None
    if report is None or report.get("error"):
        why = result.error or (report or {}).get("error") or "the grading cell printed no report"
        message = f"could not grade: {why}"
        return Submission(
            name, lab_id, 0, lab.max_score, _error_rows(lab, message), error=message, notes=notes
        )
    questions = report["questions"]
    score = sum(q["points"] for q in questions)
    return Submission(name, lab_id, score, lab.max_score, questions, notes=notes)


def grade_paths(
    paths: Sequence[str | Path], *, timeout: float = 120, progress: bool = True
) -> list[Submission]:
    """Grade every notebook found under ``paths``, one row per notebook."""
    from tqdm.auto import tqdm

    notebooks = collect_notebooks(paths)
    return [
        grade_notebook(p, timeout=timeout)
        for p in tqdm(notebooks, disable=not progress, desc="grading")
    ]


def write_csv(submissions: Sequence[Submission], path: str | Path) -> None:
    """A gradebook: one row per submission, one points column per question."""
    question_ids: list[str] = []
    for sub in submissions:
        for q in sub.questions:
            if q["id"] not in question_ids:
                question_ids.append(q["id"])
    question_ids.sort()
    fields = ["notebook", "lab", "score", "max_score", *question_ids, "manual", "error"]
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for sub in submissions:
            row: dict[str, Any] = {
                "notebook": sub.notebook,
                "lab": sub.lab or "",
                "score": sub.score,
                "max_score": sub.max_score,
                "error": sub.error or "",
            }
            manual = [q["id"] for q in sub.questions if q["status"] == "manual"]
            row["manual"] = " ".join(manual)
            for q in sub.questions:
                row[q["id"]] = "manual" if q["status"] == "manual" else q["points"]
            writer.writerow(row)


def format_table(submissions: Sequence[Submission]) -> str:
    """A plain-text report for the terminal: a summary line and one line per question."""
    lines = []
    for sub in submissions:
        head = f"{sub.notebook}  [{sub.lab or 'no lab'}]  {sub.score:g}/{sub.max_score}"
        lines.append(head)
        if sub.error and not sub.questions:
            lines.append(f"    ERROR  {sub.error}")
        for q in sub.questions:
            score = f"{q['points']:>4g}/{q['max_points']:<3}"
            lines.append(f"    {q['id']:<8} {q['status']:<7} {score} {q['message']}")
        for note in sub.notes:
            lines.append(f"    note: {note}")
    return "\n".join(lines)
