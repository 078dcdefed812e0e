"""Lab tooling: exercises generated from solutions, self-checks and the autograder.

* :func:`check` runs a question's public tests inside a lab notebook;
* :func:`build_exercises` / :func:`check_exercises` keep ``exercises/`` in sync with
  ``solutions/`` (``dcai-course build-exercises [--check]``);
* :func:`grade_paths` grades a folder of submissions (``dcai-course grade``).

Taught in: every lab notebook (``exercises/NN_topic_lab.ipynb``).
"""

from .checks import check, run_check
from .exercises import build_exercises, check_exercises
from .grader import grade_notebook, grade_paths, write_csv
from .spec import Lab, Question, Test, all_labs, get_lab

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
