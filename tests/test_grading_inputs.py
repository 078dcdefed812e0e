"""Bad input to the grading helpers is refused clearly (issue 14's grading-side cases)."""

from __future__ import annotations

import numpy as np
import pytest

from dcai_course.grading.exercises import check_exercises
from dcai_course.grading.grader import grade_paths
from dcai_course.grading.spec import Question, Test
from dcai_course.grading.testing import random_pred_probs

_TESTS = [Test("t", lambda f, rng: None)]


@pytest.mark.parametrize(("points", "error"), [(-1, ValueError), (0, ValueError),
                                               ("1", TypeError), (1.5, TypeError),
                                               (True, TypeError)])  # fmt: skip
def test_question_points_must_be_a_positive_whole_number(points, error):
    with pytest.raises(error, match="points"):
        Question("9.q1", "x", points, "f", _TESTS)


def test_question_accepts_numpy_integer_points():
    assert Question("9.q1", "x", np.int64(2), "f", _TESTS).points == 2


BAD_DRAWS = [
    ({"k": 0}, "k"),
    ({"k": 1}, "k"),
    ({"n": 0}, "n"),
    ({"concentration": float("nan")}, "concentration"),
    ({"concentration": -1.0}, "concentration"),
]


@pytest.mark.parametrize(("kwargs", "name"), BAD_DRAWS)
def test_random_pred_probs_refuses_degenerate_parameters(kwargs, name):
    args = {"n": 5, "k": 3, **kwargs}
    with pytest.raises(ValueError, match=name):
        random_pred_probs(np.random.default_rng(0), **args)


def test_check_exercises_on_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        check_exercises(tmp_path / "nope", tmp_path / "exercises")


def test_grade_paths_refuses_a_single_string():
    with pytest.raises(TypeError, match=r"grade_paths\(\['dir'\]\)"):
        grade_paths("dir")
