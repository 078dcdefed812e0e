"""Self-checks inside a lab notebook, and the in-kernel half of the grader."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .spec import QuestionResult, get_lab, get_question, run_question

__all__ = ["REPORT_MARKER", "check", "emit_report", "grade_namespace", "run_check"]

#: Prefix of the line that carries the grading report from the kernel to the grader.
REPORT_MARKER = "DCAI-COURSE-GRADE-REPORT:"

_ICONS = {"passed": "✅", "failed": "❌", "error": "❌", "manual": "✍️"}


def run_check(question_id: str, obj: Any) -> QuestionResult:
    """Run the public tests of a question on ``obj`` and return the result."""
    question = get_question(question_id)
    return run_question(question, obj, include_hidden=False)


def check(question_id: str, obj: Any = None) -> None:
    """Run a question's public tests on your answer and print a friendly verdict.

    Parameters
    ----------
    question_id : str
        The id in the question's heading, e.g. ``"01.q2"``.
    obj : object
        Your answer, usually the function you wrote, e.g. ``inject_label_noise``.

    Notes
    -----
    Passing the public tests is a good sign, not a guarantee: when the lab is graded,
    hidden tests call your function on fresh random inputs and compare it with the
    reference implementation. Modelled on otter-grader's ``grader.check``.

    Examples
    --------
    >>> check("01.q1", uniform_noise_matrix)  # doctest: +SKIP
    ✅ 01.q1 passed (2 points): 4 tests passed. Hidden tests run when the lab is graded.
    """
    question = get_question(question_id)
    result = run_question(question, obj, include_hidden=False)
    icon = _ICONS[result.status]
    if result.status == "passed":
        print(
            f"{icon} {question.id} passed ({question.points} points): {result.message}. "
            "Hidden tests run when the lab is graded."
        )
    elif result.status == "manual":
        print(f"{icon} {question.id} is a written answer: your instructor grades it.")
    elif "not answered yet" in result.message:
        print(f"⏳ {question.id} ({question.points} points) is {result.message}")
    else:
        print(f"{icon} {question.id} ({question.points} points): {result.message}")


def grade_namespace(lab_id: str, namespace: Mapping[str, Any], *, seed: int | None = None):
    """Grade every question of a lab against the objects defined in ``namespace``."""
    lab = get_lab(lab_id)
    results = []
    for question in lab.questions:
        if question.manual:
            results.append(run_question(question, None, include_hidden=True))
            continue
        if question.name not in namespace:
            results.append(
                QuestionResult(
                    question.id,
                    0,
                    question.points,
                    "error",
                    f"`{question.name}` is not defined in the notebook: did its cell run "
                    "without errors, and is the name spelled as in the question?",
                )
            )
            continue
        results.append(
            run_question(question, namespace[question.name], include_hidden=True, seed=seed)
        )
    return results


def emit_report(lab_id: str, namespace: Mapping[str, Any]) -> None:
    """Grade the lab in the running kernel and print the report as one JSON line."""
    try:
        payload = {
            "lab": lab_id,
            "questions": [r.as_dict() for r in grade_namespace(lab_id, namespace)],
        }
    except Exception as exc:  # report instead of dying: the grader shows it in the row
        payload = {"lab": lab_id, "error": f"{type(exc).__name__}: {exc}", "questions": []}
    print(REPORT_MARKER + json.dumps(payload))
