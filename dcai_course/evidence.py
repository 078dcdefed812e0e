"""Evidence over repeated runs: a mean with its 95% interval, and a paired count.

Every comparative sentence of the course ("A beats B") rests on several seeds, each with
its own split and noise draw. These two helpers turn the per-seed numbers into what the
prose quotes: a mean with a t-interval over seeds, or "A beats B in 9 of 10 seeds".

Taught in: notebooks/01_model_vs_data_centric.ipynb (every later notebook uses it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ._validation import check_probability, check_same_length

__all__ = ["mean_ci", "paired_count"]


def _check_values(values: Any, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers (one per seed), "
            f"got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values: drop or fix those runs.")
    return arr


def mean_ci(values: Any, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of per-seed values and its t-interval: ``(mean, low, high)``.

    Parameters
    ----------
    values : array-like of float, shape (n,)
        One number per seed (an accuracy, or a paired difference).
    confidence : float, default 0.95
        Coverage of the interval, strictly between 0 and 1.

    Returns
    -------
    tuple of float
        The mean and the bounds of the Student-t interval with ``n - 1`` degrees of
        freedom. With a single value, or values that are all equal, both bounds equal the
        mean (a single draw has no interval: label it as one draw).

    Examples
    --------
    >>> mean, low, high = mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (3.0, 1.037, 4.963)
    """
    arr = _check_values(values, "values")
    confidence = check_probability(confidence, "confidence")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}.")
    mean = float(arr.mean())
    if arr.size == 1:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + confidence / 2, df=arr.size - 1) * arr.std(ddof=1) / np.sqrt(arr.size)
    return mean, float(mean - half), float(mean + half)


def paired_count(a: Any, b: Any) -> tuple[int, int]:
    """In how many paired runs ``a`` beats ``b``: ``(wins, n)``.

    Parameters
    ----------
    a, b : array-like of float, shape (n,)
        The two settings' scores, paired by seed (same split, same noise draw).

    Returns
    -------
    tuple of int
        ``wins`` counts the seeds where ``a > b`` strictly (ties are not wins); ``n`` is
        the number of seeds. Quote it as "in {wins} of {n} seeds".

    Examples
    --------
    >>> paired_count([0.9, 0.8, 0.7], [0.85, 0.8, 0.75])
    (1, 3)
    """
    a = _check_values(a, "a")
    b = _check_values(b, "b")
    check_same_length(a=a, b=b)
    return int((a > b).sum()), int(a.size)
