"""Input checks shared by the scaling modules (sizes, errors, weights, curves).

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_float,
    check_int,
    check_no_duplicates,
)

# --- input checks ---------------------------------------------------------------------------


def _check_sizes(n: Any, name: str = "n") -> np.ndarray:
    arr = np.asarray(n)
    if arr.dtype == object or arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be numbers of training examples, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of sizes, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values; every size must be finite.")
    if (arr <= 0).any():
        raise ValueError(
            f"{name} must be positive numbers of training examples, got {arr[arr <= 0][0]:g}."
        )
    return arr


def _check_params(a: Any, b: Any, c: Any) -> tuple[float, float, float]:
    """The parameters of a power law of the error: ``a >= 0``, ``b >= 0``, ``c`` in [0, 1]."""
    return (
        check_float(a, "a", minimum=0.0),
        check_float(b, "b", minimum=0.0),
        check_float(c, "c", minimum=0.0, maximum=1.0),
    )


def _check_errors(error: Any, name: str = "error") -> np.ndarray:
    arr = np.asarray(error)
    if arr.dtype == object or arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be error rates (numbers in [0, 1]), got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(
            f"{name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite value(s): drop "
            "the failed runs before fitting."
        )
    if (arr < 0).any() or (arr > 1).any():
        bad = arr[(arr < 0) | (arr > 1)][0]
        raise ValueError(
            f"{name} must be error rates in [0, 1], got {bad:g}. Pass 1 - accuracy, not a "
            "percentage or a loss."
        )
    return arr


def _check_weights(weights: Any, size: int) -> np.ndarray:
    if weights is None:
        return np.ones(size)
    arr = np.asarray(weights, dtype=np.float64)
    if arr.shape != (size,):
        raise ValueError(f"weights must have one entry per point ({size}), got shape {arr.shape}.")
    if not np.isfinite(arr).all() or (arr < 0).any() or not (arr > 0).any():
        raise ValueError("weights must be finite, non-negative, and not all zero.")
    return arr


def _check_curve(curve: Any) -> pd.DataFrame:
    if not isinstance(curve, pd.DataFrame):
        raise TypeError(
            f"curve must be a pandas DataFrame with columns 'n' and 'error' (the output of "
            f"learning_curve), got {type(curve).__name__}."
        )
    missing = {"n", "error"} - set(curve.columns)
    if missing:
        raise ValueError(
            f"curve is missing the column(s) {sorted(missing)}; it needs 'n' and 'error', "
            "one row per (size, repeat), as learning_curve returns."
        )
    if curve.empty:
        raise ValueError("curve is empty: it has no rows.")
    _check_sizes(curve["n"].to_numpy(), "curve['n']")
    _check_errors(curve["error"].to_numpy(), "curve['error']")
    if "repeat" in curve.columns:
        check_no_duplicates(curve, "curve", ("n", "repeat"))
    return curve


def _check_int(value: Any, name: str, minimum: int) -> int:
    return check_int(value, name, minimum=minimum)


def _check_level(level: Any) -> float:
    return check_float(level, "level", minimum=0.0, maximum=1.0, strict=True, percent_hint=True)
