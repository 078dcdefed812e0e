"""Evidence over repeated runs: a mean with its 95% interval, and a paired count.

Every comparative claim of the course rests on several seeds (each its own split and its
own noise draw). Two small summaries print it:

* :func:`mean_ci`: the mean over seeds and a two-sided Student-t interval for it;
* :func:`paired_count`: in how many paired runs ``a`` beat ``b``.

Taught in: notebooks/01_model_vs_data_centric.ipynb, notebooks/02_confident_learning.ipynb,
notebooks/04_weak_supervision.ipynb, notebooks/05_crowdsourcing.ipynb,
notebooks/14_model_based_curation.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ._validation import check_probability

__all__ = ["mean_ci", "paired_count"]


def _values(values: Any, name: str) -> np.ndarray:
    raw = np.asarray(values) if not isinstance(values, str) else np.asarray([values])
    if raw.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold numbers, one per run; got {values!r:.80}.")
    arr = raw.astype(float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers (one per seed), got shape "
            f"{arr.shape}. Collect one result per seed in a list first."
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; drop or fix those runs first.")
    return arr


def mean_ci(values: Any, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean over runs and a two-sided Student-t confidence interval for it.

    Parameters
    ----------
    values : sequence of float
        One result per run (seed).
    confidence : float, default 0.95
        Level of the interval, ``mean ± t(n-1) · sd / sqrt(n)``.

    Returns
    -------
    (mean, low, high) : tuple of float
        With a single run the interval is ``(mean, mean)``: one draw has no spread to
        measure, so label it as one draw.

    Examples
    --------
    >>> mean, low, high = mean_ci([0.80, 0.82, 0.84])
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (0.82, 0.77, 0.87)
    """
    arr = _values(values, "values")
    confidence = check_probability(confidence, "confidence")
    mean = float(arr.mean())
    if arr.size == 1:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + confidence / 2, arr.size - 1) * arr.std(ddof=1) / np.sqrt(arr.size)
    return mean, float(mean - half), float(mean + half)


def paired_count(a: Any, b: Any) -> tuple[int, int]:
    """In how many paired runs ``a`` is strictly greater than ``b``.

    Parameters
    ----------
    a, b : sequence of float
        Results of two methods on the same runs (the same seed at the same position).

    Returns
    -------
    (wins, n) : tuple of int
        Print it as "a beats b in ``wins`` of ``n`` seeds"; ties count as no win.

    Examples
    --------
    >>> paired_count([0.9, 0.8, 0.7], [0.85, 0.8, 0.75])
    (1, 3)
    """
    a, b = _values(a, "a"), _values(b, "b")
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must hold one result per run for the same runs; got {a.size} and "
            f"{b.size} values. Pair them by seed."
        )
    return int((a > b).sum()), int(a.size)
