"""Input checks shared by every module of the package.

Each check either returns a clean NumPy array or raises ``ValueError``/``TypeError``
with a message that says what was wrong, what was expected and how to fix it. Nothing is
coerced silently: float labels such as ``2.0`` are accepted only when they are whole
numbers, and probabilities are never renormalised behind the learner's back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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
    """Return ``value`` as a float in ``[0, upper]``, or raise a clear error.

    A value between 1 and 100 gets a hint that it looks like a percentage.
    """
    return check_float(value, name, minimum=0.0, maximum=upper, percent_hint=upper == 1.0)


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
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no rows.")
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


# --- scalars ----------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool | np.bool_)


def check_int(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as a Python int (NumPy integers accepted), or raise a clear error.

    Floats are refused even when whole (``2.0``), and so are booleans: a count of
    ``True`` is a mistake, not a 1.

    Examples
    --------
    >>> check_int(np.int64(3), "cv", minimum=2)
    3
    """
    if not _is_int(value):
        raise TypeError(
            f"{name} must be an int, got {type(value).__name__} {value!r}. "
            + (f"Write {name}={int(value)}." if _whole_float(value) else "Pass a whole number.")
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}.")
    return value


def _whole_float(value: Any) -> bool:
    return (
        isinstance(value, float | np.floating)
        and bool(np.isfinite(value))
        and float(value).is_integer()
    )


def check_count(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int ``>= minimum`` (default 1): a number of things to do."""
    return check_int(value, name, minimum=minimum)


def check_float(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict: bool = False,
    percent_hint: bool = False,
) -> float:
    """Return ``value`` as a finite float in ``[minimum, maximum]``, or raise a clear error.

    ``strict=True`` excludes both bounds. NaN and infinities are always refused, and so
    are booleans and strings (``"0.5"``). With ``percent_hint``, a value between 1 and 100
    is reported as a likely percentage.

    Examples
    --------
    >>> check_float(np.float32(0.25), "noise_rate", minimum=0, maximum=1)
    0.25
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}.")
    low_bad = minimum is not None and (value <= minimum if strict else value < minimum)
    high_bad = maximum is not None and (value >= maximum if strict else value > maximum)
    if low_bad or high_bad:
        hint = ""
        if percent_hint and 1.0 < value <= 100.0:
            hint = f" It looks like a percentage: pass a fraction, {value / 100:g}."
        raise ValueError(
            f"{name} must be {_interval(minimum, maximum, strict)}, got {value:g}.{hint}"
        )
    return value


def _interval(minimum: float | None, maximum: float | None, strict: bool) -> str:
    if minimum is not None and maximum is not None:
        return f"{'strictly ' if strict else ''}between {minimum:g} and {maximum:g}"
    if minimum is not None:
        return f"{'>' if strict else '>='} {minimum:g}"
    return f"{'<' if strict else '<='} {maximum:g}"


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a finite float ``> 0`` (a cost, a scale, a strength)."""
    value = check_float(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value:g}.")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool (NumPy booleans accepted); refuse 0/1, strings, None."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}.")
    return bool(value)


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, or raise a clear error listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}.")
    return value


def check_str(value: Any, name: str) -> str:
    """Return ``value`` if it is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty string, got {type(value).__name__} {value!r}.")
    return value


# --- sequences and arrays ---------------------------------------------------------------


def check_sequence(values: Any, name: str, *, allow_empty: bool = False) -> list:
    """Return ``values`` as a list: a list, tuple, range or 1-D array, never a string.

    A single string is refused rather than read character by character, and so is a
    scalar (wrap it in a list: ``[0.2]``).
    """
    if isinstance(values, str | bytes | Mapping) or not isinstance(
        values, Sequence | np.ndarray | pd.Index | pd.Series
    ):
        raise TypeError(
            f"{name} must be a list (or tuple) of values, got {type(values).__name__} "
            f"{values!r}. Wrap a single value in a list: {name}=[...]."
        )
    out = list(values)
    if not out and not allow_empty:
        raise ValueError(f"{name} is empty: give at least one value.")
    return out


def check_int_sequence(
    values: Any, name: str, *, minimum: int | None = None, allow_empty: bool = False
) -> list[int]:
    """A list of ints (NumPy ints accepted), e.g. seeds or sizes; non-empty by default."""
    values = check_sequence(values, name, allow_empty=allow_empty)
    return [check_int(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(values)]


def check_seeds(seeds: Any, name: str = "seeds") -> list[int]:
    """A non-empty list of distinct non-negative int seeds."""
    seeds = check_int_sequence(seeds, name, minimum=0)
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"{name} has repeated values {seeds}: each seed must be distinct.")
    return seeds


def check_fractions(
    values: Any,
    name: str,
    *,
    n: int | None = None,
    allow_nan: bool = False,
    slack: float = 0.0,
) -> np.ndarray:
    """Return ``values`` as a 1-D float array in ``[0, 1]`` (accuracies, fractions, rates).

    Values above 1 that would fit in ``[0, 100]`` get a hint that they look like
    percentages. ``slack`` widens the interval to ``[-slack, 1 + slack]`` for tables
    that may hold simulated scores a little outside it.
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu" or arr.dtype.kind == "b":
        raise TypeError(f"{name} must be numbers between 0 and 1, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}.")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} has {arr.size} values, expected {n} (one per entry).")
    finite = arr[~np.isnan(arr)] if allow_nan else arr
    if not allow_nan and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; every entry needs a value in [0, 1].")
    if np.isinf(finite).any() or (finite < -slack).any() or (finite > 1 + slack).any():
        hint = ""
        if np.isfinite(finite).all() and finite.max() <= 100 and (finite >= 0).all():
            hint = f" They look like percentages: pass {name} / 100."
        raise ValueError(
            f"{name} must lie in [0, 1], got values from {finite.min():g} to "
            f"{finite.max():g}.{hint}"
        )
    return arr


def check_finite_array(values: Any, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``values`` as a non-empty float array without NaN or infinity."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: it must be non-empty.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be finite.")
    return arr


def check_features(
    X: Any,
    name: str = "X",
    *,
    n_rows: int | None = None,
    allow_sparse: bool = True,
    labels_name: str = "labels",
) -> Any:
    """Return ``X`` as a 2-D finite float array (or a finite sparse matrix), checked.

    Refuses NaN, infinities, strings, 1-D or 3-D input, and an empty table; ``n_rows``
    checks the number of rows against the labels. ``float32`` and integer features are
    accepted and returned as ``float64``.
    """
    from scipy import sparse

    if sparse.issparse(X) and allow_sparse:
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty 2-D matrix, got shape {X.shape}.")
        if not np.isfinite(X.data).all():
            raise ValueError(f"{name} contains NaN or infinite values.")
        arr = X
    else:
        arr = check_2d(X, name=name)
        if np.isinf(arr).any():
            raise ValueError(
                f"{name} contains infinite values in {int(np.isinf(arr).any(axis=1).sum())} "
                "row(s); replace or drop them first."
            )
    if n_rows is not None and arr.shape[0] != n_rows:
        raise ValueError(
            f"Length mismatch: {name} has {arr.shape[0]} rows but {labels_name} has {n_rows} "
            "entries; there must be one row per example."
        )
    return arr


# --- labels across arguments --------------------------------------------------------------


def check_class_labels(
    labels: Any, n_classes: int | None = None, *, name: str = "labels"
) -> tuple[np.ndarray, int]:
    """Labels numbered ``0..K-1`` and their K; with K inferred, every class must occur.

    When ``n_classes`` is not given, K is ``max + 1`` and a missing class in between is
    refused: labels ``1..3`` or ``{0, 10, 20}`` are numbered some other way, and
    treating them as K classes would invent classes. Renumber them with
    ``np.unique(labels, return_inverse=True)[1]``, or pass ``n_classes``.
    """
    arr = check_labels(labels, n_classes, name=name)
    if n_classes is not None:
        return arr, int(n_classes)
    k = max(int(arr.max()) + 1, 2)
    present = np.bincount(arr, minlength=k) > 0
    if not present.all() and arr.size >= k:
        absent = np.flatnonzero(~present)
        raise ValueError(
            f"{name} use the classes {_describe_classes(np.flatnonzero(present))} but never "
            f"{_describe_classes(absent)}: class indices must run 0..K-1. Renumber them "
            "with np.unique(labels, return_inverse=True)[1], or pass n_classes if some "
            "class really has no example."
        )
    return arr, k


def _describe_classes(classes: np.ndarray) -> str:
    shown = ", ".join(str(int(c)) for c in classes[:6])
    return "{" + shown + (", ..." if classes.size > 6 else "") + "}"


def check_labels_within(reference: np.ndarray, reference_name: str, **others: np.ndarray) -> None:
    """Refuse label vectors that use a class the reference labels never use.

    The reference (training labels, true labels) defines the classes; a test or
    predicted label vector with another class is numbered differently (``y + 1``) or
    belongs to another task.
    """
    known = np.unique(reference)
    for name, values in others.items():
        values = np.asarray(values)
        extra = np.setdiff1d(np.unique(values[values >= 0]), known)
        if extra.size:
            raise ValueError(
                f"{name} contains the class(es) {_describe_classes(extra)}, which "
                f"{reference_name} never uses (its classes are {_describe_classes(known)}). "
                "Both must be numbered 0..K-1 the same way: re-encode them together."
            )


# --- tables, estimators, paths ------------------------------------------------------------


def check_table(df: Any, name: str, columns: Sequence[str] = (), *, hint: str = "") -> pd.DataFrame:
    """Return ``df`` if it is a non-empty DataFrame with the given columns."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"{name} must be a pandas DataFrame with the columns {list(columns)}, got "
            f"{type(df).__name__}.{hint}"
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(df.columns)}.{hint}")
    if df.empty:
        raise ValueError(f"{name} is empty: it has no rows.{hint}")
    return df


def check_no_duplicates(df: pd.DataFrame, name: str, keys: Sequence[str]) -> None:
    """Refuse a table in which a combination of ``keys`` appears on several rows."""
    duplicated = df.duplicated(list(keys))
    if duplicated.any():
        first = df.loc[duplicated, list(keys)].iloc[0].tolist()
        raise ValueError(
            f"In {name}, {int(duplicated.sum())} {tuple(keys)} combination(s) appear more "
            f"than once, e.g. {first}: each must appear once. Deduplicate with "
            f"{name}.drop_duplicates({list(keys)})."
        )


def check_estimator(model: Any, name: str = "model", *, proba: bool = False) -> Any:
    """Refuse a class, a string or an object without ``fit``/``predict``: an estimator
    instance such as ``LogisticRegression()`` is needed."""
    if isinstance(model, type):
        raise TypeError(
            f"{name} must be an estimator instance, got the class {model.__name__}: "
            f"write {model.__name__}() with parentheses."
        )
    methods = ("fit", "predict_proba") if proba else ("fit", "predict")
    if not all(callable(getattr(model, m, None)) for m in methods):
        raise TypeError(
            f"{name} must be a scikit-learn style estimator with {' and '.join(methods)}, "
            f"got {type(model).__name__} {model!r:.60}. Pass e.g. LogisticRegression()."
        )
    return model


def check_dir(path: Any, name: str, *, must_exist: bool = True) -> Path:
    """Return ``path`` as a ``Path`` to an existing folder, or raise a clear error."""
    path = _as_path(path, name)
    if must_exist and not path.exists():
        raise FileNotFoundError(f"{name}: the folder {path} does not exist.")
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{name}: {path} is a file, but a folder is needed.")
    return path


def check_file(path: Any, name: str) -> Path:
    """Return ``path`` as a ``Path`` to an existing file, or raise a clear error."""
    path = _as_path(path, name)
    if not path.exists():
        raise FileNotFoundError(f"{name}: the file {path} does not exist.")
    if path.is_dir():
        raise IsADirectoryError(f"{name}: {path} is a folder, but a file is needed.")
    return path


def _as_path(path: Any, name: str) -> Path:
    if not isinstance(path, str | PathLike) or (isinstance(path, str) and not path):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {path!r}.")
    return Path(path)


# --- what a model is fitted on --------------------------------------------------------------


def check_model_features(
    X: Any, name: str = "X", *, n_rows: int | None = None, labels_name: str = "labels"
) -> Any:
    """Features a scikit-learn model is fitted on or predicts for.

    Either raw texts (a list, 1-D array or Series of strings, for a text pipeline) or
    a 2-D finite numeric array or sparse matrix (:func:`check_features`). Texts are
    returned unchanged; numbers as ``float64``.
    """
    if isinstance(X, pd.Series | list | tuple) or (isinstance(X, np.ndarray) and X.ndim == 1):
        values = list(X)
        if values and all(isinstance(v, str) for v in values):
            if n_rows is not None and len(values) != n_rows:
                raise ValueError(
                    f"Length mismatch: {name} has {len(values)} texts but {labels_name} has "
                    f"{n_rows} entries."
                )
            return X
    return check_features(X, name, n_rows=n_rows, labels_name=labels_name)


def check_training_labels(labels: Any, name: str = "y") -> np.ndarray:
    """Labels a classifier is trained on: ``0..K-1``, every class present, at least two."""
    y = check_labels(labels, name=name)
    if np.unique(y).size < 2:
        raise ValueError(
            f"{name} has a single class ({int(y[0])}): a classifier needs examples of at "
            "least two classes. Check the split, or sample more examples."
        )
    return check_class_labels(y, name=name)[0]


def check_fit_data(
    model: Any,
    X: Any,
    y: Any,
    *,
    X_name: str = "X",
    y_name: str = "y",
    proba: bool = False,
    model_name: str = "model",
) -> tuple[Any, np.ndarray]:
    """Check an estimator and its training set: an instance, features, labels 0..K-1."""
    check_estimator(model, model_name, proba=proba)
    y = check_training_labels(y, y_name)
    return check_model_features(X, X_name, n_rows=y.size, labels_name=y_name), y


def check_eval_data(
    X: Any, y: Any, y_train: np.ndarray, *, X_name: str, y_name: str, train_name: str
) -> tuple[Any, np.ndarray]:
    """Check an evaluation set: features, and labels numbered like the training labels."""
    y = check_labels(y, name=y_name)
    check_labels_within(y_train, train_name, **{y_name: y})
    return check_model_features(X, X_name, n_rows=y.size, labels_name=y_name), y


# --- probability vectors and confusion matrices --------------------------------------------


def check_distribution(values: Any, name: str, *, size: int | None = None) -> np.ndarray:
    """A 1-D probability vector: finite, ``>= 0``, at least 2 entries, summing to 1."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D probability vector, got shape {arr.shape}.")
    if size is not None and arr.size != size:
        raise ValueError(f"{name} must have {size} entries (one per class), got {arr.size}.")
    if arr.dtype.kind in "fiu" and np.isfinite(arr).all() and (arr >= 0).all():
        total = float(arr.sum())
        if abs(total - 1.0) > PROBABILITY_ATOL:
            hint = " It looks like percentages: divide by 100." if abs(total - 100) < 0.1 else ""
            raise ValueError(f"{name} must sum to 1, got a sum of {total:.6g}.{hint}")
    return check_pred_probs(arr[None, :], name=name)[0]


def check_confusions(
    values: Any, name: str = "confusions", *, n_sources: int | None = None, abstain: bool = False
) -> np.ndarray:
    """Confusion matrices ``(n_sources, K, K)`` whose rows (true classes) sum to 1.

    With ``abstain=True`` a last response column for "abstain" is allowed, shape
    ``(n_sources, K, K + 1)``. When the columns sum to 1 instead of the rows, the
    message says that the matrices look transposed.
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    widths = (arr.shape[1], arr.shape[1] + 1) if abstain and arr.ndim == 3 else None
    square = arr.ndim == 3 and arr.shape[1] >= 2
    if not square or arr.shape[2] not in (widths or (arr.shape[1],)):
        raise ValueError(
            f"{name} must have shape (n_sources, K, K) with K >= 2"
            + (" (or K + 1 responses with abstain)" if abstain else "")
            + f", got {arr.shape}."
        )
    if n_sources is not None and arr.shape[0] != n_sources:
        raise ValueError(
            f"{name} has {arr.shape[0]} matrices but there are {n_sources} sources (columns "
            "of the votes): give one confusion matrix per source."
        )
    rows = arr.reshape(-1, arr.shape[2])
    if np.isfinite(rows).all() and (rows >= 0).all():
        off = np.abs(rows.sum(axis=1) - 1.0) > PROBABILITY_ATOL
        columns = arr.transpose(0, 2, 1).reshape(-1, arr.shape[1])
        if (
            off.any()
            and arr.shape[1] == arr.shape[2]
            and np.allclose(columns.sum(axis=1), 1.0, atol=PROBABILITY_ATOL)
        ):
            raise ValueError(
                f"The rows of {name} must sum to 1 (confusions[j, k, r] = P(answer r | true "
                "class k)), but its columns do: it looks transposed. Pass "
                f"{name}.transpose(0, 2, 1)."
            )
    check_pred_probs(rows, name=name)
    return arr
