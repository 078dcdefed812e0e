"""Writing grades out: the terminal table, the gradebook CSV and Gradescope's results.json.

Everything a learner controls (file names, messages of their exceptions, notes) is cleaned
of terminal escape sequences and control characters before it is shown or written, and a
CSV cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``) is
escaped with a leading apostrophe, as OWASP recommends for CSV injection.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "check_output_path",
    "clean_text",
    "csv_cell",
    "format_table",
    "gradescope_results",
    "write_csv",
    "write_gradescope",
]

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: Any, limit: int | None = None) -> str:
    """``text`` without ANSI escape sequences or control characters, cut at ``limit``."""
    out = _CONTROL.sub("", _ANSI.sub("", str(text)))
    if limit is not None and len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


def csv_cell(value: Any) -> Any:
    """A value safe for a spreadsheet: text that starts like a formula gets a ``'``."""
    if isinstance(value, str):
        value = clean_text(value).replace("\n", " ")
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def check_output_path(path: str | Path, what: str) -> Path:
    """Fail early, before any grading, if ``path`` cannot be written."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ValueError(
            f"{what} {path} is a folder: give a file name, e.g. {path / 'grades.csv'}."
        )
    if not parent.is_dir():
        raise ValueError(f"{what} {path}: the folder {parent} does not exist; create it first.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValueError(f"{what} {path} cannot be written (permission denied).")
    return path


def _similarity_text(question: dict[str, Any]) -> str:
    sim = question.get("similarity")
    if not sim:
        return ""
    flag = "FLAG " if sim.get("flagged") else ""
    return f"{flag}{sim['score']:.2f} {sim['match']}"


def write_csv(submissions: Sequence[Any], path: str | Path) -> None:
    """A gradebook: one row per submission; per question its points and its similarity."""
    question_ids = sorted({q["id"] for sub in submissions for q in sub.questions})
    sim_columns = [f"{qid} similarity" for qid in question_ids]
    fields = ["notebook", "lab", "score", "max_score", *question_ids, *sim_columns, "manual",
              "flags", "sandbox", "error"]  # fmt: skip
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for sub in submissions:
            row: dict[str, Any] = {
                "notebook": sub.notebook,
                "lab": sub.lab or "",
                "score": sub.score,
                "max_score": sub.max_score,
                "manual": " ".join(q["id"] for q in sub.questions if q["status"] == "manual"),
                "flags": "; ".join(sub.flags),
                "sandbox": sub.sandbox,
                "error": sub.error or "",
            }
            for q in sub.questions:
                row[q["id"]] = "manual" if q["status"] == "manual" else q["points"]
                row[f"{q['id']} similarity"] = _similarity_text(q)
            writer.writerow({k: csv_cell(v) for k, v in row.items()})


def format_table(submissions: Sequence[Any]) -> str:
    """A plain-text report for the terminal: a summary line and one line per question."""
    lines = []
    for sub in submissions:
        sandbox = f"  sandbox: {sub.sandbox}" if sub.sandbox else ""
        lines.append(
            clean_text(f"{sub.notebook}  [{sub.lab or 'no lab'}]  {sub.score:g}/{sub.max_score}")
            + sandbox
        )
        if sub.error and not sub.questions:
            lines.append(f"    ERROR  {clean_text(sub.error)}")
        for q in sub.questions:
            score = f"{q['points']:>4g}/{q['max_points']:<3}"
            lines.append(f"    {q['id']:<8} {q['status']:<7} {score} {clean_text(q['message'])}")
            if q.get("similarity", {}).get("flagged"):
                lines.append(f"             similarity: {clean_text(_similarity_text(q))}")
        for note in sub.notes:
            lines.append(f"    note: {clean_text(note)}")
        for flag in sub.flags:
            lines.append(f"    flag: {clean_text(flag)}")
    return "\n".join(lines)


def gradescope_results(sub: Any, lab_titles: dict[str, str]) -> dict[str, Any]:
    """Gradescope's autograder ``results.json`` for one submission.

    One test per autograded question (``score``, ``max_score``, ``name``, ``number``,
    ``output``, ``visibility``); written questions are left to Gradescope's manual
    grading and listed in the top-level ``output``.
    """
    tests = []
    for q in sub.questions:
        if q["status"] == "manual":
            continue
        output = f"{q['status']}: {q['message']}"
        if q.get("similarity", {}).get("flagged"):
            output += f"\n(similarity flagged for review: {_similarity_text(q)})"
        tests.append(
            {
                "score": q["points"],
                "max_score": q["max_points"],
                "name": f"{q['id']} {lab_titles.get(q['id'], '')}".strip(),
                "number": q["id"],
                "output": clean_text(output.replace("\n", " \n")),
                "visibility": "visible",
            }
        )
    manual = [q["id"] for q in sub.questions if q["status"] == "manual"]
    lines = [f"Autograded: {sub.score:g} of {sub.max_score} points."]
    if manual:
        lines.append(f"Graded by hand: {', '.join(manual)}.")
    if sub.error:
        lines.append(f"Error: {clean_text(sub.error)}")
    lines += [f"Note: {clean_text(n)}" for n in sub.notes]
    return {
        "score": sub.score,
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_gradescope(sub: Any, path: str | Path) -> None:
    """Write :func:`gradescope_results` for ``sub`` to ``path``."""
    from .spec import all_labs

    titles = {q.id: q.title for lab in all_labs().values() for q in lab.questions}
    text = json.dumps(gradescope_results(sub, titles), indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")
