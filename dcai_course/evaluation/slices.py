"""Per-slice metrics with confidence intervals (Wilson score or percentile bootstrap).

Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import (
    SeedLike,
    as_rng,
    check_choice,
    check_count,
    check_probability,
    check_table,
)

__all__ = ["bootstrap_interval", "slice_metrics", "wilson_interval"]


def _check_correct(correct: Any, n: int | None = None) -> np.ndarray:
    arr = np.asarray(correct)
    if arr.dtype != bool or arr.ndim != 1:
        raise TypeError(
            "correct must be a 1-D boolean array (True where the model is right), got "
            f"dtype {arr.dtype}, shape {arr.shape}. Compute it as y_pred == y_true."
        )
    if arr.size == 0:
        raise ValueError("correct is empty: at least one prediction is needed.")
    if n is not None and arr.size != n:
        raise ValueError(
            f"Length mismatch: correct has {arr.size} entries but the table has {n} rows; "
            "there must be one entry per row."
        )
    return arr


def wilson_interval(
    successes: Any, n: Any, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``successes / n`` (vectorised).

    Unlike the normal ("Wald") interval it stays inside [0, 1] and does not collapse to
    a point when a small slice is all right or all wrong (Wilson, JASA 1927).

    Parameters
    ----------
    successes, n : int or array of int
        Counts of successes and of trials, ``0 <= successes <= n`` and ``n >= 1``.
    confidence : float, default 0.95
        Level of the two-sided interval.

    Returns
    -------
    (low, high) : arrays of float, the shape of ``successes``.

    Examples
    --------
    >>> low, high = wilson_interval(9, 10)
    >>> round(float(low), 3), round(float(high), 3)
    (0.596, 0.982)

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    k, m = np.asarray(successes), np.asarray(n)
    for name, arr in (("successes", k), ("n", m)):
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must be integer counts, got dtype {arr.dtype}.")
        if arr.size == 0:
            raise ValueError(f"{name} is empty: give at least one count.")
    if k.ndim and m.ndim and k.shape != m.shape:
        raise ValueError(
            f"successes has shape {k.shape} but n has shape {m.shape}: give one count of each "
            "per slice (or a single number for either)."
        )
    if (m < 1).any():
        raise ValueError("n must be at least 1 for every slice: an empty slice has no rate.")
    if (k < 0).any() or (k > m).any():
        raise ValueError("successes must lie between 0 and n (a count of correct rows).")
    confidence = check_probability(confidence, "confidence")
    z = stats.norm.ppf(0.5 + confidence / 2)
    k, m = k.astype(float), m.astype(float)
    p = k / m
    centre = (p + z**2 / (2 * m)) / (1 + z**2 / m)
    half = z / (1 + z**2 / m) * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2))
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def bootstrap_interval(
    values: Any,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    seed: SeedLike = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of ``values``.

    Parameters
    ----------
    values : 1-D array of float or bool
        One value per row (e.g. ``correct`` for accuracy).
    confidence : float, default 0.95
    n_resamples : int, default 1000
    seed : int or numpy.random.Generator

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> low, high = bootstrap_interval(np.r_[np.ones(90), np.zeros(10)], seed=0)
    >>> 0.82 < low < 0.86 and 0.94 < high < 0.97
    True

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf" or arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            "values must be a non-empty 1-D numeric array, got dtype "
            f"{arr.dtype}, shape {arr.shape}."
        )
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        raise ValueError("values contains NaN or infinite entries; drop them first.")
    confidence = check_probability(confidence, "confidence")
    n_resamples = check_count(n_resamples, "n_resamples")
    rng = as_rng(seed)
    means = arr[rng.integers(0, arr.size, size=(n_resamples, arr.size))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def slice_metrics(
    table: pd.DataFrame,
    correct: Any,
    by: Sequence[str],
    *,
    min_size: int = 1,
    confidence: float = 0.95,
    method: str = "wilson",
    n_resamples: int = 1000,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """Accuracy of every slice defined by the columns ``by``, with an interval.

    A slice is a group of rows sharing the values of the columns in ``by``: one column
    gives its values (``sex = Female``), several give their intersections (``sex =
    Female`` and ``race = Black``).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per evaluated example, holding at least the columns ``by``.
    correct : 1-D bool array
        Whether the model got each row right.
    by : list of str
        The columns that define the slices.
    min_size : int, default 1
        Slices with fewer rows are left out.
    confidence : float, default 0.95
    method : {"wilson", "bootstrap"}
    n_resamples, seed
        For ``method="bootstrap"`` only.

    Returns
    -------
    pandas.DataFrame
        One row per slice: the ``by`` columns, ``n``, ``accuracy``, ``low``, ``high``
        and ``gap`` (slice accuracy minus overall accuracy), sorted by ``accuracy``.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "a", "b", "b", "b"]})
    >>> slice_metrics(t, np.array([True, False, True, True, True]), ["g"])[["g", "n", "accuracy"]]
       g  n  accuracy
    0  a  2       0.5
    1  b  3       1.0

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    if isinstance(by, str):
        by = [by]
    table = check_table(table, "table", list(by))
    if len(by) == 0:
        raise ValueError("by is empty: name at least one column that defines the slices.")
    correct = _check_correct(correct, len(table))
    min_size = check_count(min_size, "min_size")
    method = check_choice(method, "method", ("wilson", "bootstrap"))
    as_rng(seed)  # a bad seed is refused whatever the method
    frame = table[list(by)].reset_index(drop=True).assign(_correct=correct)
    groups = frame.groupby(list(by), observed=True, dropna=False)["_correct"]
    out = groups.agg(n="size", correct="sum").reset_index()
    out = out[out["n"] >= min_size].reset_index(drop=True)
    out["accuracy"] = out["correct"] / out["n"]
    if method == "wilson":
        low, high = wilson_interval(out["correct"].to_numpy(), out["n"].to_numpy(), confidence)
    else:
        rng = as_rng(seed)
        indices = groups.indices
        keys = [tuple(row) if len(by) > 1 else row[0] for row in out[list(by)].to_numpy()]
        bounds = [
            bootstrap_interval(correct[indices[key]], confidence, n_resamples, rng) for key in keys
        ]
        low, high = np.array(bounds).T if bounds else (np.array([]), np.array([]))
    out["low"], out["high"] = low, high
    out["gap"] = out["accuracy"] - correct.mean()
    out = out.drop(columns="correct")
    return out.sort_values(["accuracy", "n"], kind="stable").reset_index(drop=True)
