"""Input checks shared by the fairness modules (binary labels, group names, weights)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_labels,
)


def _binary(values: Any, name: str) -> np.ndarray:
    arr = check_labels(values, None, name=name)
    if arr.max() > 1:
        raise ValueError(
            f"{name} must be binary, 0 or 1 (1 = the favourable outcome), but it holds "
            f"{int(arr.max())}. Encode the outcome first, e.g. (income == '>50K').astype(int)."
        )
    return arr


def _groups(
    sensitive_features: Any, n: int | None = None, *, of: str = "the labels have"
) -> tuple[np.ndarray, np.ndarray]:
    """The sorted group names and each row's group index."""
    if isinstance(sensitive_features, pd.DataFrame):
        raise TypeError(
            "sensitive_features must be one column (a 1-D array or Series of group names), "
            "got a DataFrame. Pick a column, e.g. df['sex'], or combine two columns into one "
            "first (df['sex'] + '/' + df['race'])."
        )
    arr = np.asarray(sensitive_features)
    if arr.ndim != 1:
        raise ValueError(
            f"sensitive_features must be 1-D (one group name per row), got shape {arr.shape}."
        )
    if n is not None and arr.size != n:
        raise ValueError(
            f"sensitive_features has {arr.size} entries but {of} {n}: there must "
            "be one group name per example."
        )
    if arr.size == 0:
        raise ValueError("sensitive_features is empty: there are no examples to measure.")
    if pd.isna(arr).any():
        bad = int(np.flatnonzero(pd.isna(arr))[0])
        raise ValueError(
            f"sensitive_features has a missing value (first at row {bad}); give missing "
            "group membership its own name (e.g. 'unknown') or drop those rows."
        )
    names, index = np.unique(arr, return_inverse=True)
    return names, index.ravel()


def _scores(y_score: Any, n: int | None = None, *, n_name: str = "y_true") -> np.ndarray:
    """``y_score`` as a finite 1-D float array (one score of class 1 per example)."""
    score = np.asarray(y_score)
    if score.dtype.kind not in "fiu":
        raise TypeError(
            f"y_score must be numbers (scores of class 1, e.g. predict_proba(X)[:, 1]), got "
            f"dtype {score.dtype}."
        )
    score = score.astype(float)
    if score.ndim != 1 or score.size == 0:
        raise ValueError(
            f"y_score must be a non-empty 1-D array of scores of class 1 (e.g. "
            f"predict_proba(X)[:, 1]), got shape {score.shape}."
        )
    if n is not None and score.size != n:
        raise ValueError(
            f"y_score has {score.size} entries but {n_name} has {n}: give one score per example."
        )
    if not np.isfinite(score).all():
        raise ValueError("y_score contains NaN or infinite values; every score must be finite.")
    return score


def _between_groups(table: pd.DataFrame) -> pd.DataFrame:
    """Refuse a gap between groups when ``sensitive_features`` holds a single group."""
    if len(table) < 2:
        raise ValueError(
            f"sensitive_features holds one group only ({table.index[0]!r}): a gap between "
            "groups needs at least two. Check the column (and any filtering) you passed."
        )
    return table


def _weights(sample_weight: Any, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "fiu" or w.ndim != 1 or w.size != n:
        raise ValueError(
            f"sample_weight must be a 1-D array of {n} non-negative numbers, one per example; "
            f"got dtype {w.dtype}, shape {w.shape}."
        )
    w = w.astype(float)
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must be finite and non-negative.")
    return w


def _rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0 (fairlearn's and scikit-learn's convention)."""
    out = np.zeros_like(num, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out
