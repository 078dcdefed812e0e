import numpy as np
import pytest
from scipy import stats

from dcai_course.evidence import mean_ci, paired_count


def test_mean_ci_is_the_t_interval():
    values = np.array([0.91, 0.93, 0.88, 0.95, 0.9, 0.92])
    mean, low, high = mean_ci(values)
    expected = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert mean == pytest.approx(values.mean())
    assert (low, high) == pytest.approx(expected)
    _, low90, high90 = mean_ci(values, confidence=0.9)
    assert low < low90 < mean < high90 < high


def test_mean_ci_of_one_draw_or_constant_values_has_no_width():
    assert mean_ci([0.5]) == (0.5, 0.5, 0.5)
    assert mean_ci([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0)


def test_mean_ci_validates():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        mean_ci([])
    with pytest.raises(ValueError, match="non-empty 1-D"):
        mean_ci([[1.0, 2.0]])
    with pytest.raises(ValueError, match="NaN"):
        mean_ci([1.0, np.nan])
    with pytest.raises(ValueError, match="strictly between"):
        mean_ci([1.0, 2.0], confidence=1.0)
    with pytest.raises(TypeError, match="confidence"):
        mean_ci([1.0, 2.0], confidence="95%")


def test_paired_count():
    assert paired_count([3, 2, 1, 5], [1, 2, 3, 4]) == (2, 4)
    assert paired_count(np.ones(3), np.zeros(3)) == (3, 3)
    with pytest.raises(ValueError, match="Length mismatch"):
        paired_count([1, 2], [1])
    with pytest.raises(ValueError, match="NaN"):
        paired_count([1, np.inf], [1, 2])
