"""Evidence over repeated runs: a mean with its confidence interval, and a paired count.

The course states a comparative claim ("A beats B") only on repeated runs, each with its
own split and its own noise draw, and prints it in one of two ways:

* :func:`mean_ci`: the mean over seeds with a Student-t confidence interval;
* :func:`paired_count`: in how many seeds one arm beat the other on the same split.

Taught in: every lecture notebook that compares two arms (first in
notebooks/14_model_based_curation.ipynb).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["mean_ci", "paired_count"]


def _values(values: Any, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers, one per seed; got shape "
            f"{arr.shape}."
        )
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; drop or re-run the seeds that produced it.")
    return arr


def mean_ci(values: Any, confidence: float = 0.95) -> tuple[float, float, float]:
    """The mean of ``values`` and a Student-t confidence interval for it.

    ``values`` holds one number per seed (independent runs). With a single value the
    interval is ``(nan, nan)``: one draw says nothing about the spread.

    Parameters
    ----------
    values : sequence of float
        One result per seed.
    confidence : float
        The interval's coverage, in (0, 1); 0.95 by default.

    Returns
    -------
    (mean, low, high) : tuple of float

    Examples
    --------
    >>> mean, low, high = mean_ci([0.80, 0.82, 0.84, 0.81, 0.83])
    >>> print(f"{mean:.3f} [{low:.3f}, {high:.3f}]")
    0.820 [0.800, 0.840]

    Taught in: notebooks/14_model_based_curation.ipynb.
    """
    from scipy import stats

    arr = _values(values, "values")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.number):
        raise TypeError(f"confidence must be a number in (0, 1), got {confidence!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), e.g. 0.95; got {confidence}.")
    mean = float(arr.mean())
    if arr.size < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, arr.size - 1) * arr.std(ddof=1) / np.sqrt(arr.size)
    return mean, float(mean - half), float(mean + half)


def paired_count(a: Any, b: Any) -> tuple[int, int]:
    """In how many paired runs ``a`` is strictly greater than ``b``: ``(wins, n)``.

    ``a[i]`` and ``b[i]`` must come from the same seed (same split, same noise draw).
    Ties count as no win, so ``wins`` is a conservative count for "a beats b".

    Examples
    --------
    >>> paired_count([0.9, 0.8, 0.7], [0.85, 0.8, 0.6])
    (2, 3)

    Taught in: notebooks/14_model_based_curation.ipynb.
    """
    first, second = _values(a, "a"), _values(b, "b")
    if first.shape != second.shape:
        raise ValueError(
            f"a and b must hold one result per seed each, paired by seed; got {first.size} "
            f"and {second.size} values."
        )
    return int((first > second).sum()), int(first.size)
