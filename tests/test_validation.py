import numpy as np
import pytest

from dcai_course._validation import (
    as_random_state,
    as_rng,
    check_2d,
    check_labels,
    check_mask,
    check_pred_probs,
    check_probability,
    check_same_length,
)


def test_as_rng_accepts_int_none_and_generator():
    gen = np.random.default_rng(3)
    assert as_rng(gen) is gen
    assert as_rng(5).integers(1000) == np.random.default_rng(5).integers(1000)
    assert isinstance(as_rng(None), np.random.Generator)
    assert as_random_state(1) == as_random_state(1)


@pytest.mark.parametrize("bad", [1.5, "0", True, np.random.RandomState(0)])
def test_as_rng_rejects_other_types(bad):
    with pytest.raises(TypeError, match="seed must be"):
        as_rng(bad)


def test_as_rng_rejects_negative():
    with pytest.raises(ValueError, match="non-negative"):
        as_rng(-1)


def test_check_labels_accepts_whole_floats_and_returns_int64():
    out = check_labels([0.0, 2.0, 1.0])
    assert out.dtype == np.int64
    assert out.tolist() == [0, 2, 1]


@pytest.mark.parametrize(
    ("labels", "kwargs", "exc", "message"),
    [
        (["a", "b"], {}, TypeError, "LabelEncoder"),
        ([[0, 1], [1, 0]], {}, ValueError, "1-D"),
        ([], {}, ValueError, "empty"),
        ([0, np.nan], {}, ValueError, "NaN"),
        ([0, 1.5], {}, ValueError, "whole numbers"),
        ([0, -1], {}, ValueError, ">= 0"),
        ([0, 3], {"n_classes": 3}, ValueError, "only 0..2"),
    ],
)
def test_check_labels_errors(labels, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        check_labels(labels, **kwargs)


def test_check_pred_probs_accepts_rows_that_sum_to_one():
    probs = check_pred_probs([[0.2, 0.8], [1.0, 0.0]], 2)
    assert probs.dtype == np.float64


@pytest.mark.parametrize(
    ("probs", "n", "message"),
    [
        ([0.2, 0.8], None, "2-D"),
        ([[0.2, 0.8]], 2, "1 rows but labels has 2"),
        ([[1.0], [1.0]], None, "at least 2 columns"),
        ([[np.nan, 1.0]], None, "NaN"),
        ([[-0.1, 1.1]], None, "negative"),
        ([[0.3, 0.3]], None, "sum to 1"),
    ],
)
def test_check_pred_probs_errors(probs, n, message):
    with pytest.raises(ValueError, match=message):
        check_pred_probs(probs, n)


def test_check_probability_and_2d_and_lengths():
    assert check_probability(0.5, "p") == 0.5
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_probability(1.5, "p")
    with pytest.raises(TypeError):
        check_probability("0.5", "p")
    with pytest.raises(ValueError, match="NaN"):
        check_2d([[1.0, np.nan]])
    with pytest.raises(ValueError, match="empty"):
        check_2d(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="X has 2, y has 3"):
        check_same_length(X=[1, 2], y=[1, 2, 3])


def test_check_mask_refuses_indices_and_2d():
    assert check_mask([True, False], "m").dtype == bool
    with pytest.raises(TypeError, match="not indices"):
        check_mask([0, 3], "m")
    with pytest.raises(TypeError, match="shape"):
        check_mask([[True, False]], "m", hint=" extra")
