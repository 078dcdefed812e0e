"""The course's evidence standard: a mean with its 95% interval, and a paired count.

A comparative claim ("A beats B") rests on several seeds, each with its own split and
noise draw, reported as a mean with a t-interval over seeds or as a paired count.

Taught in: notebooks/02_confident_learning.ipynb (section 7), and every notebook that
compares methods over seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["mean_ci", "paired_count"]


def _as_values(values: Any, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers; got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} holds NaN or infinite values; drop them or fix the runs.")
    return arr


def mean_ci(values: Any, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of per-seed values with a Student-t confidence interval.

    Parameters
    ----------
    values : sequence of float
        One value per seed.
    confidence : float, default 0.95

    Returns
    -------
    (mean, low, high) : tuple of float
        With a single value the interval is the value itself.

    Examples
    --------
    >>> [round(v, 3) for v in mean_ci([0.6, 0.7, 0.8])]
    [0.7, 0.452, 0.948]
    """
    from scipy import stats

    arr = _as_values(values, "values")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence!r}.")
    mean = float(arr.mean())
    if arr.size == 1:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + confidence / 2, arr.size - 1) * arr.std(ddof=1) / np.sqrt(arr.size)
    return mean, float(mean - half), float(mean + half)


def paired_count(a: Any, b: Any) -> tuple[int, int]:
    """In how many seeds ``a`` beats ``b`` (strictly), out of how many.

    Examples
    --------
    >>> paired_count([0.9, 0.8, 0.7], [0.85, 0.8, 0.6])
    (2, 3)
    """
    first, second = _as_values(a, "a"), _as_values(b, "b")
    if first.shape != second.shape:
        raise ValueError(
            f"a and b must hold one value per seed each; got {first.size} and {second.size}."
        )
    return int(np.sum(first > second)), int(first.size)
