"""Lab tooling: exercises generated from solutions, self-checks and the autograder.

* :func:`check` runs a question's public tests inside a lab notebook;
* :func:`build_exercises` / :func:`check_exercises` keep ``exercises/`` in sync with
  ``solutions/`` (``dcai-course build-exercises [--check]``);
* :func:`grade_paths` grades a folder of submissions (``dcai-course grade``) in the
  grader process, calling the learner's functions in sandboxed kernels.

Taught in: every lab notebook (``exercises/NN_topic_lab.ipynb``).
"""

from .checks import check, run_check
from .spec import Lab, Question, Test, all_labs, get_lab

#: Imported on first use: a learner's ``check(...)`` should not load the grader's tooling.
_LAZY = {
    "build_exercises": "exercises",
    "check_exercises": "exercises",
    "grade_notebook": "grader",
    "grade_paths": "grader",
    "write_csv": "report",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Lab",
    "Question",
    "Test",
    "all_labs",
    "build_exercises",
    "check",
    "check_exercises",
    "get_lab",
    "grade_notebook",
    "grade_paths",
    "run_check",
    "write_csv",
]
