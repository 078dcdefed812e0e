"""Evidence over repeated runs: mean with a t-interval, and the paired count."""

import numpy as np
import pytest
from scipy import stats

from dcai_course.evidence import mean_ci, paired_count


def test_mean_ci_matches_scipy_t_interval():
    values = np.random.default_rng(0).normal(0.8, 0.02, size=7)
    mean, low, high = mean_ci(values)
    expected = stats.t.interval(0.95, 6, loc=values.mean(), scale=stats.sem(values))
    assert mean == pytest.approx(values.mean())
    assert (low, high) == pytest.approx(expected)
    _, low90, high90 = mean_ci(values, confidence=0.9)
    assert low < low90 < mean < high90 < high


def test_mean_ci_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    covered = [
        low <= 0 <= high for _, low, high in (mean_ci(rng.normal(size=5)) for _ in range(2000))
    ]
    assert 0.93 < np.mean(covered) < 0.97


def test_mean_ci_edge_cases_and_errors():
    assert mean_ci([0.5, 0.5, 0.5]) == (0.5, 0.5, 0.5)
    mean, low, high = mean_ci([0.7])
    assert mean == 0.7 and np.isnan(low) and np.isnan(high)  # one draw: no interval
    with pytest.raises(ValueError, match="non-empty 1-D"):
        mean_ci([])
    with pytest.raises(ValueError, match="NaN"):
        mean_ci([0.1, np.nan])
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        mean_ci([0.1, 0.2], confidence=95)
    with pytest.raises(TypeError, match="confidence"):
        mean_ci([0.1, 0.2], confidence="high")


def test_paired_count():
    assert paired_count([0.9, 0.8, 0.7, 0.6], [0.85, 0.8, 0.6, 0.65]) == (2, 4)  # a tie is no win
    assert paired_count(np.ones(5), np.zeros(5)) == (5, 5)
    with pytest.raises(ValueError, match="paired by seed"):
        paired_count([0.1, 0.2], [0.1])
    with pytest.raises(ValueError, match="non-empty"):
        paired_count([[0.1]], [[0.2]])
