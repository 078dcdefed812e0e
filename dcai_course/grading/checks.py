"""Self-checks inside a lab notebook: ``check("01.q1", my_function)``.

The public tests run in the learner's own kernel, on the learner's own object: a
self-check, not a grade. Grading happens in the grader process (:mod:`.grader`).
"""

from __future__ import annotations

from typing import Any

from .spec import QuestionResult, get_question, run_question

__all__ = ["check", "run_check"]

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
