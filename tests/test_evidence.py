"""Mean with a t-interval over seeds, and paired counts."""

import numpy as np
import pytest
from scipy import stats

from dcai_course.evidence import mean_ci, paired_count


def test_mean_ci_matches_scipy():
    values = [0.61, 0.58, 0.70, 0.66, 0.59]
    mean, low, high = mean_ci(values)
    expected = stats.t.interval(0.95, 4, loc=np.mean(values), scale=stats.sem(values))
    assert mean == pytest.approx(np.mean(values))
    assert (low, high) == pytest.approx(expected)
    assert mean_ci([0.5]) == (0.5, 0.5, 0.5)
    narrower = mean_ci(values, confidence=0.5)
    assert narrower[1] > low and narrower[2] < high


def test_paired_count():
    assert paired_count([1, 2, 3], [0, 2, 4]) == (1, 3)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: mean_ci([]), ValueError, "non-empty"),
        (lambda: mean_ci([1.0, np.nan]), ValueError, "NaN"),
        (lambda: mean_ci([1.0, 2.0], confidence=95), ValueError, "between 0 and 1"),
        (lambda: paired_count([1, 2], [1]), ValueError, "one value per seed"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
