"""SliceLine: the largest slices where a model errs most, by sparse linear algebra.

Sagadeeva & Boehm (SIGMOD 2021) score a slice ``S`` (a conjunction of predicates
``column = value``) by

    score(S) = α (ē_S / ē − 1) − (1 − α) (n / |S| − 1),

which is positive when the slice's mean error ``ē_S`` is above the overall mean error
``ē`` by more than a size penalty. The search walks the lattice of conjunctions level by
level (one predicate, two, ...), joins two slices of level ``L − 1`` that share
``L − 2`` predicates, keeps a candidate only if all its parents survived, and prunes with
an upper bound on the score of a slice and of all its sub-slices. The top ``k`` are
kept.

Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .._validation import check_count, check_float

__all__ = ["slice_mask", "slice_scores", "sliceline"]


def slice_scores(sizes, errors, n: int, mean_error: float, alpha: float) -> np.ndarray:
    """The SliceLine score of slices with ``sizes`` rows and summed ``errors`` (vectorised).

    Examples
    --------
    >>> round(float(slice_scores(np.array([10]), np.array([5.0]), 100, 0.1, 0.6)[0]), 3)
    -1.2

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    sizes = np.asarray(sizes, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = alpha * (errors / sizes / mean_error - 1) - (1 - alpha) * (n / sizes - 1)
    return np.where(sizes > 0, score, -np.inf)


def _upper_bound(sizes, errors, max_errors, n, mean_error, alpha, min_sup) -> np.ndarray:
    """An upper bound on the score of a slice and of every sub-slice (paper, eq. 4).

    ``sizes``, ``errors`` and ``max_errors`` bound the size, summed error and largest
    error of any sub-slice; the score, as a function of the size, is monotone between
    the probed points, so its maximum is at one of them.
    """
    probes = np.column_stack(
        [
            np.full(sizes.shape, float(min_sup)),
            np.maximum(errors / np.maximum(max_errors, 1e-300), min_sup),
            sizes,
        ]
    )
    bounded = np.minimum(probes * max_errors[:, None], errors[:, None])
    score = alpha * (bounded / probes / mean_error - 1) - (1 - alpha) * (n / probes - 1)
    return score.max(axis=1)


def _encode(X: pd.DataFrame) -> tuple[sparse.csr_matrix, list[np.ndarray], np.ndarray]:
    """One-hot encode every column (values sorted, as scikit-learn's OneHotEncoder does)."""
    codes, categories = [], []
    for column in X.columns:
        values = X[column].to_numpy()
        try:
            cats, inverse = np.unique(values, return_inverse=True)
        except TypeError as exc:
            raise TypeError(
                f"column {column!r} mixes types that cannot be sorted; cast it to str first."
            ) from exc
        codes.append(inverse.ravel())
        categories.append(cats)
    sizes = np.array([len(c) for c in categories])
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    n = len(X)
    cols = (np.column_stack(codes) + offsets).ravel()
    rows = np.repeat(np.arange(n), X.shape[1])
    encoded = sparse.csr_matrix(
        (np.ones(cols.size, dtype=np.int32), (rows, cols)), shape=(n, sizes.sum())
    )
    return encoded, categories, np.repeat(np.arange(X.shape[1]), sizes)


def _evaluate(encoded, errors, slices: np.ndarray, level: int) -> np.ndarray:
    """Score statistics [sum error, max error, size] of each slice (rows of ``slices``)."""
    stats = np.zeros((len(slices), 3))
    for start in range(0, len(slices), 4096):
        block = sparse.csc_matrix(slices[start : start + 4096].T.astype(np.int32))
        member = (encoded @ block).tocsc()
        member.data = (member.data == level).astype(np.float64)
        member.eliminate_zeros()
        stats[start : start + 4096, 0] = member.T @ errors
        stats[start : start + 4096, 1] = member.multiply(errors[:, None]).max(axis=0).toarray()[0]
        stats[start : start + 4096, 2] = np.asarray(member.sum(axis=0))[0]
    return stats


def _check_inputs(X: Any, errors: Any) -> tuple[pd.DataFrame, np.ndarray]:
    if isinstance(X, pd.DataFrame):
        frame = X.reset_index(drop=True)
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise ValueError(
                f"X must be 2-D (n_rows, n_columns) of categorical values, got shape {arr.shape}."
            )
        frame = pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"X is empty (shape {frame.shape}): SliceLine needs rows and columns.")
    if frame.isna().any().any():
        raise ValueError(
            "X contains missing values; give them a category of their own first "
            "(e.g. X.fillna('missing'))."
        )
    err = np.asarray(errors)
    if err.dtype.kind not in "biuf" or err.ndim != 1:
        raise TypeError(
            f"errors must be a 1-D numeric array (one error per row), got dtype {err.dtype}, "
            f"shape {err.shape}."
        )
    err = err.astype(np.float64)
    if err.size != len(frame):
        raise ValueError(
            f"Length mismatch: X has {len(frame)} rows but errors has {err.size} entries."
        )
    if not np.isfinite(err).all() or (err < 0).any():
        raise ValueError("errors must be finite and non-negative (e.g. 0/1 misclassification).")
    if err.sum() == 0:
        raise ValueError("errors are all zero: the model makes no error, no slice to find.")
    return frame, err


def _top_k(slices, stats, top_slices, top_stats, k, min_sup):
    """Merge new evaluated slices into the top-k (ties at the k-th score all kept)."""
    keep = (stats[:, 0] > 0) & (stats[:, 3] >= min_sup)
    if not keep.any():
        return top_slices, top_stats
    slices = np.vstack([top_slices, slices[keep]])
    stats = np.vstack([top_stats, stats[keep]])
    scores = stats[:, 0]
    kth = np.sort(scores)[::-1][min(k, len(scores)) - 1]
    chosen = scores >= kth
    slices, stats = slices[chosen], stats[chosen]
    # by score, then by the encoded slice read as a word (the earliest predicate first)
    order = np.lexsort((*(slices[:, j] for j in range(slices.shape[1] - 1, -1, -1)), -stats[:, 0]))
    return slices[order], stats[order]


def sliceline(
    X: Any,
    errors: Any,
    *,
    k: int = 4,
    alpha: float = 0.95,
    max_l: int = 3,
    min_sup: int | float = 32,
) -> pd.DataFrame:
    """The top-``k`` slices of ``X`` by the SliceLine score of ``errors``.

    Parameters
    ----------
    X : pandas.DataFrame or 2-D array
        Categorical (or binned) columns; numeric columns should be binned first.
    errors : 1-D array of float
        A non-negative error per row (0/1 misclassification or a loss).
    k : int, default 4
        How many slices to return (more when several tie with the k-th score).
    alpha : float, default 0.95
        Weight of the error term against the size term, ``0 < alpha <= 1``.
    max_l : int, default 3
        Most predicates per slice.
    min_sup : int or float, default 32
        Smallest slice size; a float in (0, 1) is a fraction of the rows.

    Returns
    -------
    pandas.DataFrame
        One row per slice, best first: one column per column of ``X`` holding the
        predicate's value or ``None`` when the column is not used, then ``score``,
        ``sum_error``, ``max_error``, ``size`` and ``average_error``.

    Examples
    --------
    >>> X = pd.DataFrame({"a": [0, 0, 1, 1] * 25, "b": [0, 1] * 50})
    >>> e = ((X["a"] == 1) & (X["b"] == 1)).to_numpy(float)
    >>> sliceline(X, e, k=1, min_sup=5)[["a", "b", "size"]]
       a  b  size
    0  1  1  25.0

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    frame, err = _check_inputs(X, errors)
    k = check_count(k, "k")
    max_l = check_count(max_l, "max_l")
    alpha = check_float(alpha, "alpha", minimum=0.0, maximum=1.0)
    if alpha == 0:
        raise ValueError("alpha must be > 0: with alpha = 0 the error would not count at all.")
    min_sup = check_float(min_sup, "min_sup", minimum=0.0)
    n = len(frame)
    if 0 < min_sup < 1:
        min_sup = int(min_sup * n)
    encoded, categories, feature_of = _encode(frame)
    n_features, m = frame.shape[1], encoded.shape[1]
    mean_error = err.mean()

    def scored(slices, raw):  # raw: [sum error, max error, size] -> [score, se, sm, ss]
        return np.column_stack([slice_scores(raw[:, 2], raw[:, 0], n, mean_error, alpha), raw])

    # level 1: one predicate per slice
    slices = np.eye(m, dtype=bool)
    stats = scored(slices, _evaluate(encoded, err, slices, 1))
    alive = (stats[:, 3] >= min_sup) & (stats[:, 1] > 0)
    slices, stats = slices[alive], stats[alive]
    top_slices, top_stats = _top_k(
        slices, stats, np.zeros((0, m), bool), np.zeros((0, 4)), k, min_sup
    )
    level = 1
    while len(slices) > 0 and level < min(n_features, max_l):
        level += 1
        alive = (stats[:, 3] >= min_sup) & (stats[:, 1] > 0)
        slices, stats = slices[alive], stats[alive]
        ints = slices.astype(np.int32)
        left, right = np.nonzero(np.triu(ints @ ints.T == level - 2, 1))
        candidates = slices[left] | slices[right]
        # at most one predicate per column
        per_feature = (
            np.add.reduceat(
                candidates.astype(np.int32),
                np.r_[0, np.flatnonzero(np.diff(feature_of)) + 1],
                axis=1,
            )
            if len(candidates)
            else np.zeros((0, n_features))
        )
        valid = (per_feature <= 1).all(axis=1)
        candidates, left, right = candidates[valid], left[valid], right[valid]
        bound = np.minimum(stats[left, 1:], stats[right, 1:])  # se, sm, ss bounds
        if len(candidates) == 0:
            break
        unique, inverse, counts = np.unique(
            candidates, axis=0, return_inverse=True, return_counts=True
        )
        # a candidate of level L has L parents, joined in L (L - 1) / 2 pairs
        full = counts == level * (level - 1) // 2
        inverse = inverse.ravel()
        se = np.full(len(unique), np.inf)
        sm = np.full(len(unique), np.inf)
        ss = np.full(len(unique), np.inf)
        np.minimum.at(se, inverse, bound[:, 0])
        np.minimum.at(sm, inverse, bound[:, 1])
        np.minimum.at(ss, inverse, bound[:, 2])
        upper = _upper_bound(ss, se, sm, n, mean_error, alpha, min_sup)
        min_top = top_stats[-1, 0] if len(top_stats) >= k else -np.inf
        keep = full & (ss >= min_sup) & (upper > 0) & (upper > min_top)
        slices = unique[keep]
        stats = scored(slices, _evaluate(encoded, err, slices, level))
        top_slices, top_stats = _top_k(slices, stats, top_slices, top_stats, k, min_sup)

    columns = {c: [] for c in frame.columns}
    for row in top_slices:
        used = dict(zip(feature_of[row], np.flatnonzero(row), strict=True))
        for j, column in enumerate(frame.columns):
            offset = np.flatnonzero(feature_of == j)[0]
            columns[column].append(categories[j][used[j] - offset] if j in used else None)
    out = pd.DataFrame(columns, dtype=object)
    out["score"] = top_stats[:, 0]
    out["sum_error"] = top_stats[:, 1]
    out["max_error"] = top_stats[:, 2]
    out["size"] = top_stats[:, 3]
    out["average_error"] = top_stats[:, 1] / top_stats[:, 3] if len(top_stats) else []
    return out


def slice_mask(X: pd.DataFrame, predicates: Any) -> np.ndarray:
    """Boolean mask of the rows of ``X`` inside a slice.

    Parameters
    ----------
    X : pandas.DataFrame
    predicates : dict or pandas.Series
        ``{column: value}``; ``None`` values (unused columns, as in a row of
        :func:`sliceline`'s output) are ignored, and so are keys that are not columns
        of ``X`` when ``predicates`` is such a row (its score columns).

    Examples
    --------
    >>> X = pd.DataFrame({"a": [0, 1, 1], "b": ["x", "x", "y"]})
    >>> slice_mask(X, {"a": 1, "b": None}).tolist()
    [False, True, True]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}.")
    if not isinstance(predicates, dict | pd.Series):
        raise TypeError(
            "predicates must be a dict {column: value} (or a row of sliceline's output), got "
            f"{type(predicates).__name__}."
        )
    items = dict(predicates).items()
    used = {c: v for c, v in items if c in X.columns and v is not None and not _isnan(v)}
    unknown = [
        c for c in dict(predicates) if c not in X.columns and not isinstance(predicates, pd.Series)
    ]
    if unknown:
        raise ValueError(f"predicates name columns that X lacks: {unknown}.")
    mask = np.ones(len(X), dtype=bool)
    for column, value in used.items():
        mask &= (X[column] == value).to_numpy()
    return mask


def _isnan(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)
