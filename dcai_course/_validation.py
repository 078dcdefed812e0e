"""Input checks shared by every module of the package.

Each check either returns a clean NumPy array or raises ``ValueError``/``TypeError``
with a message that says what was wrong, what was expected and how to fix it. Nothing is
coerced silently: float labels such as ``2.0`` are accepted only when they are whole
numbers, and probabilities are never renormalised behind the learner's back.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

SeedLike = int | np.random.Generator | None

#: Tolerance for "each row of probabilities sums to 1".
PROBABILITY_ATOL = 1e-4


def as_rng(seed: SeedLike) -> np.random.Generator:
    """Turn ``seed`` (``None``, an int or a ``numpy.random.Generator``) into a Generator.

    Examples
    --------
    >>> int(as_rng(0).integers(10))
    8
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, Integral) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}.")
        return np.random.default_rng(seed)
    raise TypeError(
        "seed must be None, a non-negative int or a numpy.random.Generator, "
        f"got {type(seed).__name__}. Pass e.g. seed=0 for a reproducible result."
    )


def as_random_state(seed: SeedLike) -> int:
    """An int drawn from ``seed``, for scikit-learn's ``random_state`` arguments."""
    return int(as_rng(seed).integers(2**31 - 1))


def check_labels(
    labels: Any,
    n_classes: int | None = None,
    *,
    name: str = "labels",
    allow_empty: bool = False,
) -> np.ndarray:
    """Return ``labels`` as a 1-D ``int64`` array of class indices ``0..n_classes-1``.

    Raises
    ------
    TypeError
        If the labels are not numbers (for example strings: encode them first with
        ``sklearn.preprocessing.LabelEncoder``).
    ValueError
        If the labels are not 1-D, are empty, contain NaN or non-integer values, are
        negative, or are ``>= n_classes``.
    """
    arr = np.asarray(labels)
    if arr.dtype == object or arr.dtype.kind in "USb":
        raise TypeError(
            f"{name} must be integer class indices 0..K-1, got dtype {arr.dtype}. "
            "Encode class names first, e.g. with sklearn.preprocessing.LabelEncoder."
        )
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of class indices, got shape {arr.shape}. "
            "If you have one-hot labels, use labels.argmax(axis=1)."
        )
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: at least one labelled example is needed.")
    if arr.dtype.kind == "f":
        if np.isnan(arr).any():
            raise ValueError(
                f"{name} contains {int(np.isnan(arr).sum())} NaN value(s); every example "
                "needs a class index. Drop unlabelled rows first."
            )
        if not np.all(arr == np.round(arr)):
            raise ValueError(
                f"{name} must be whole numbers (class indices), got non-integer values "
                f"such as {arr[arr != np.round(arr)][0]!r}."
            )
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integers, got dtype {arr.dtype}.")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(
            f"{name} must be >= 0, got {arr.min()}. Class indices run from 0 to K-1 "
            "(-1 is only allowed in vote matrices, where it means 'abstained')."
        )
    if n_classes is not None:
        n_classes = check_n_classes(n_classes)
        if arr.size and arr.max() >= n_classes:
            raise ValueError(
                f"{name} contains the class {arr.max()}, but n_classes={n_classes} allows "
                f"only 0..{n_classes - 1}. Pass the right n_classes or re-encode the labels."
            )
    return arr


def check_n_classes(n_classes: Any) -> int:
    """Return ``n_classes`` as an int >= 2, or raise a clear error."""
    if not isinstance(n_classes, Integral) or isinstance(n_classes, bool):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}.")
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}.")
    return int(n_classes)


def check_probability(value: Any, name: str, *, upper: float = 1.0) -> float:
    """Return ``value`` as a float in ``[0, upper]``, or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise TypeError(f"{name} must be a number between 0 and {upper}, got {value!r}.")
    value = float(value)
    if not (0.0 <= value <= upper) or np.isnan(value):
        raise ValueError(f"{name} must be between 0 and {upper}, got {value}.")
    return value


def check_pred_probs(
    pred_probs: Any,
    n_examples: int | None = None,
    *,
    name: str = "pred_probs",
    atol: float = PROBABILITY_ATOL,
) -> np.ndarray:
    """Return ``pred_probs`` as a 2-D float array whose rows are probability vectors.

    Raises
    ------
    ValueError
        If the array is not 2-D, does not have ``n_examples`` rows, has fewer than two
        columns, contains NaN or negative values, or a row does not sum to 1 within
        ``atol``.
    """
    arr = np.asarray(pred_probs)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64, copy=False)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_examples, n_classes), got shape {arr.shape}. "
            "Use model.predict_proba(X), not model.predict(X)."
        )
    if n_examples is not None and arr.shape[0] != n_examples:
        raise ValueError(
            f"{name} has {arr.shape[0]} rows but labels has {n_examples} entries: "
            "there must be one row of probabilities per example."
        )
    if arr.shape[1] < 2:
        raise ValueError(f"{name} must have at least 2 columns (classes), got {arr.shape[1]}.")
    if np.isnan(arr).any():
        bad = np.flatnonzero(np.isnan(arr).any(axis=1))
        raise ValueError(f"{name} contains NaN in {bad.size} row(s), first at row {bad[0]}.")
    if (arr < 0).any():
        bad = np.flatnonzero((arr < 0).any(axis=1))
        raise ValueError(
            f"{name} contains negative values in {bad.size} row(s), first at row {bad[0]}: "
            "probabilities must be >= 0."
        )
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1.0) > atol
    if off.any():
        first = np.flatnonzero(off)[0]
        raise ValueError(
            f"Each row of {name} must sum to 1 (within {atol:g}), but {off.sum()} row(s) do "
            f"not; row {first} sums to {sums[first]:.6g}. Pass probabilities (e.g. "
            "predict_proba or a softmax), not scores or logits."
        )
    return arr


def check_2d(X: Any, *, name: str = "X", allow_nan: bool = False) -> np.ndarray:
    """Return ``X`` as a non-empty 2-D float array, or raise a clear error."""
    arr = np.asarray(X)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}.")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_examples, n_features), got shape {arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no rows.")
    arr = arr.astype(np.float64, copy=False)
    if not allow_nan and np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN in {int(np.isnan(arr).any(axis=1).sum())} row(s); "
            "impute or drop them first (e.g. sklearn.impute.SimpleImputer)."
        )
    return arr


def check_mask(values: Any, name: str, *, hint: str = "") -> np.ndarray:
    """Return ``values`` as a 1-D boolean mask, or raise a ``TypeError`` that says so.

    Integer indices or 0/1 floats are refused rather than converted: they are a common
    mix-up (``np.flatnonzero(mask)`` is not a mask).
    """
    arr = np.asarray(values)
    if arr.dtype != bool or arr.ndim != 1:
        raise TypeError(
            f"{name} must be a boolean mask: a 1-D boolean array with one entry per example "
            f"(booleans, not indices); got dtype {arr.dtype}, shape {arr.shape}.{hint}"
        )
    return arr


def check_same_length(**arrays: Any) -> int:
    """Check that all given arrays have the same number of rows and return it."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{k} has {v}" for k, v in lengths.items())
        raise ValueError(f"Length mismatch: {described}. They must describe the same examples.")
    return next(iter(lengths.values()))


def infer_n_classes(labels: np.ndarray, n_classes: int | None) -> int:
    """Return ``n_classes`` if given (validated against ``labels``), else ``max + 1``."""
    if n_classes is None:
        return max(int(labels.max()) + 1, 2) if labels.size else 2
    return check_n_classes(n_classes)
