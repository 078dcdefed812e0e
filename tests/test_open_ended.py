"""The open-ended data tasks of labs 06, 10 and 11: the naive answers fail, bad answers get
clear messages, and the checks of what comes back hold."""

import numpy as np
import pytest

from dcai_course.grading.labs import lab06, lab10, lab11
from dcai_course.grading.open_ended import check_indices, held_out_accuracy, require_accuracy

RNG = np.random.default_rng(0)


def _tests(lab, question_id):
    return [t.func for t in lab.LAB.question(question_id).tests]


def _fails(test, answer):
    with pytest.raises(AssertionError, match="below the threshold"):
        test(answer, np.random.default_rng(1))


# --- the naive answers do not pass ----------------------------------------------------------


def test_lab06_the_training_set_as_given_fails_both_tiers():
    def as_given(X, y):
        return np.arange(len(y))

    for question_id in ("06.q6", "06.q7"):
        _fails(_tests(lab06, question_id)[0], as_given)


def test_lab10_every_row_and_the_clean_source_alone_fail():
    def every_row(X, y, source):
        return np.arange(len(y))

    def clean_only(X, y, source):
        return np.flatnonzero(source == 0)

    public = _tests(lab10, "10.q5")[0]
    _fails(public, every_row)
    _fails(public, clean_only)


def test_lab11_random_picks_fail():
    def random_picks(X_pool, labeled, y_labeled, budget):
        rest = np.setdiff1d(np.arange(len(X_pool)), labeled)
        return np.random.default_rng(0).choice(rest, budget, replace=False)

    _fails(_tests(lab11, "11.q6")[0], random_picks)


def test_lab11_the_budget_and_the_given_rows_are_enforced():
    test = _tests(lab11, "11.q6")[0]
    with pytest.raises(AssertionError, match="at most 60"):
        test(lambda X, labeled, y, budget: np.arange(budget + 1) + len(X) // 2, RNG)
    with pytest.raises(AssertionError, match="not allowed"):
        test(lambda X, labeled, y, budget: labeled[:budget], RNG)


def test_the_tasks_are_reproducible_and_keep_the_test_split_apart():
    a, b = lab06.flawed_digits(3), lab06.flawed_digits(3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    X, y, X_test, _ = a
    assert len(y) == len(X) > len(X_test)
    _, _, source, _, _ = lab10.two_sources(3)
    assert (source == 0).sum() == lab10.N_CLEAN and (source == 1).sum() == lab10.N_NOISY
    _, labeled, y_labeled, y_pool, _, _ = lab11.labeling_task(3)
    assert labeled.size == lab11.N_START and np.array_equal(y_pool[labeled], y_labeled)


# --- what comes back is checked ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.array([[0, 1]]), "1-D array of integer"),
        (np.array([0.5, 1.0]), "1-D array of integer"),
        (np.array([0, 7]), "0..4"),
        (np.array([1, 1]), "more than once"),
        (np.array([True, False]), "one entry per row"),
        (np.array([], dtype=int), "at least 1"),
    ],
)
def test_check_indices_explains_what_is_wrong(value, message):
    with pytest.raises(AssertionError, match=message):
        check_indices(value, 5, "keep")


def test_check_indices_accepts_a_mask_and_indices():
    assert check_indices(np.array([True, False, True]), 3, "keep").tolist() == [0, 2]
    assert check_indices([2, 0], 3, "keep").tolist() == [2, 0]


def test_held_out_accuracy_and_the_threshold():
    from sklearn.neighbors import KNeighborsClassifier

    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    y = np.array([0, 0, 1, 1])
    assert held_out_accuracy(KNeighborsClassifier(1), X, y, X, y) == 1.0
    with pytest.raises(AssertionError, match="single class"):
        held_out_accuracy(KNeighborsClassifier(1), X[:2], y[:2], X, y)
    require_accuracy(0.9, 0.9, "ok")
    with pytest.raises(AssertionError, match=r"0\.800, below the threshold 0\.900"):
        require_accuracy(0.8, 0.9, "a set")
