import numpy as np
import pytest
from scipy import stats

from dcai_course.evidence import mean_ci, paired_count


def test_mean_ci_matches_scipy_t_interval():
    values = [0.81, 0.84, 0.79, 0.86, 0.83]
    mean, low, high = mean_ci(values)
    lo, hi = stats.t.interval(0.95, 4, loc=np.mean(values), scale=stats.sem(values))
    assert mean == pytest.approx(np.mean(values))
    assert (low, high) == pytest.approx((lo, hi))
    _, low90, high90 = mean_ci(values, confidence=0.9)
    assert low < low90 < mean < high90 < high


def test_mean_ci_single_run_has_no_width():
    assert mean_ci([0.5]) == (0.5, 0.5, 0.5)


@pytest.mark.parametrize("bad", [[], [[1.0, 2.0]], [1.0, np.nan]])
def test_mean_ci_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="values"):
        mean_ci(bad)


def test_mean_ci_rejects_bad_confidence_and_types():
    with pytest.raises(ValueError, match="confidence"):
        mean_ci([1.0, 2.0], confidence=1.5)
    with pytest.raises(TypeError, match="numbers"):
        mean_ci(["a", "b"])


def test_paired_count_counts_strict_wins():
    assert paired_count([1, 2, 3], [0, 2, 4]) == (1, 3)
    assert paired_count(np.ones(10), np.zeros(10)) == (10, 10)


def test_paired_count_rejects_unpaired():
    with pytest.raises(ValueError, match="Pair them"):
        paired_count([1, 2], [1, 2, 3])
