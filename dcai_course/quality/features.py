"""Inputs of the audit: numeric arrays or texts, featurized, hashed and checked.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._validation import check_float

#: Distances accepted by the neighbour-based functions.
METRICS = ("euclidean", "cosine", "manhattan", "chebyshev")

# Distances computed in floating point: an exact copy can sit at 1e-16 instead of 0.
_DISTANCE_SLACK = 1e-9


def _is_text(X: Any) -> bool:
    if isinstance(X, str):
        raise TypeError(
            "X is a single string; pass a sequence of texts (a list, a pandas Series or a "
            "1-D array), one per example."
        )
    if isinstance(X, pd.Series):
        return X.dtype == object or pd.api.types.is_string_dtype(X.dtype)
    if sp.issparse(X):
        return False
    arr = np.asarray(X, dtype=object) if isinstance(X, list | tuple) else np.asarray(X)
    if arr.ndim != 1 or arr.size == 0:
        return False
    if arr.dtype.kind in "US":
        return True
    # an object array is text if it holds strings (a missing text is then reported)
    return arr.dtype == object and any(isinstance(v, str) for v in arr)


def _as_texts(X: Any, name: str) -> np.ndarray:
    texts = np.asarray(list(X), dtype=object)
    if texts.size == 0:
        raise ValueError(f"{name} is empty: it has no texts.")
    bad = np.array([not isinstance(t, str) for t in texts])
    if bad.any():
        raise ValueError(
            f"{name} holds {int(bad.sum())} value(s) that are not strings (missing texts?), "
            f"first at position {int(np.flatnonzero(bad)[0])}. Drop them or fill them with ''."
        )
    return texts


def _as_numeric(X: Any, name: str, *, allow_nan: bool) -> np.ndarray | sp.csr_matrix:
    if sp.issparse(X):
        mat = sp.csr_matrix(X, dtype=np.float64)
        if mat.shape[0] == 0:
            raise ValueError(f"{name} is empty: it has no rows.")
        if not allow_nan and np.isnan(mat.data).any():
            raise ValueError(f"{name} contains NaN; impute or drop those rows first.")
        return mat
    arr = np.asarray(X)
    if arr.dtype == object:
        raise TypeError(
            f"{name} must be a numeric 2-D array or a sequence of texts, got an object array "
            "that is neither. Convert it with np.asarray(X, dtype=float), or pass a list of str."
        )
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be numeric or text, got dtype {arr.dtype}.")
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_examples, n_features) or a 1-D sequence of texts, got "
            f"shape {arr.shape}. For one feature use X.reshape(-1, 1)."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no rows.")
    arr = arr.astype(np.float64)
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values; replace or drop those rows first.")
    if not allow_nan and np.isnan(arr).any():
        rows = int(np.isnan(arr).any(axis=1).sum())
        raise ValueError(
            f"{name} contains NaN in {rows} row(s): distances and outlier scores cannot be "
            "computed with missing values. Impute them (sklearn.impute.SimpleImputer) or drop "
            "those rows first; exact duplicates (threshold=None) accept NaN."
        )
    return arr


def _common_precision(a: np.ndarray | sp.spmatrix, b: np.ndarray | sp.spmatrix, dtype) -> tuple:
    """Both arrays rounded to the coarser of their original float precisions."""
    if dtype is None or sp.issparse(a) or sp.issparse(b):
        return a, b
    return a.astype(dtype).astype(np.float64), b.astype(dtype).astype(np.float64)


def _float_dtype(*arrays: Any):
    """The coarsest float dtype among the inputs if it is below float64, else None."""
    sizes = [np.asarray(a).dtype for a in arrays if not sp.issparse(a) and not _is_text(a)]
    floats = [d for d in sizes if d.kind == "f" and d.itemsize < 8]
    return min(floats, key=lambda d: d.itemsize) if floats else None


def featurize(X: Any, *, vectorizer: Any = None) -> tuple[np.ndarray | sp.csr_matrix, bool]:
    """Numeric features for ``X``: the array itself, or TF-IDF vectors when ``X`` is text.

    Parameters
    ----------
    X : array-like of shape (n, d), sparse matrix, or sequence of str
        Numeric features, or one text per example (a list, a pandas Series or a 1-D
        array of strings).
    vectorizer : scikit-learn text vectoriser, optional
        Used (fitted on ``X``) instead of the default
        ``TfidfVectorizer(sublinear_tf=True)``, whose rows have unit length, so that the
        cosine distance between two rows is ``1 - `` their dot product.

    Returns
    -------
    features : numpy.ndarray or scipy.sparse.csr_matrix
    is_text : bool

    Examples
    --------
    >>> F, is_text = featurize(["free iphone", "Free iPhone!", "nice song"])
    >>> F.shape[0], is_text
    (3, True)
    >>> featurize([[1, 2], [3, 4]])[0].dtype
    dtype('float64')

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    if _is_text(X):
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = _as_texts(X, "X")
        vec = vectorizer if vectorizer is not None else TfidfVectorizer(sublinear_tf=True)
        return sp.csr_matrix(vec.fit_transform(texts), dtype=np.float64), True
    return _as_numeric(X, "X", allow_nan=False), False


def _check_metric(metric: str | None, is_text: bool) -> str:
    if metric is None:
        return "cosine" if is_text else "euclidean"
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}.")
    return metric


def _check_threshold(threshold: Any, name: str = "threshold") -> float | None:
    if threshold is None:
        return None
    return check_float(threshold, name, minimum=0.0)


# Zero-width characters (the byte-order mark U+FEFF ends many YouTube comments) are invisible
# but make two texts differ.
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff]"


def _normalize_texts(texts: np.ndarray) -> np.ndarray:
    """Lower-case, drop zero-width characters, collapse runs of whitespace."""
    s = pd.Series(texts, dtype=object).str.replace(_INVISIBLE, "", regex=True).str.lower()
    return s.str.split().str.join(" ").to_numpy(dtype=object)


def _row_keys(X: np.ndarray | sp.spmatrix) -> np.ndarray:
    """One integer key per row; equal rows (NaN equal to NaN, -0.0 to 0.0) share a key."""
    arr = X.toarray() if sp.issparse(X) else np.array(X, dtype=np.float64)
    arr = arr + 0.0  # -0.0 becomes 0.0
    arr[np.isnan(arr)] = np.nan  # one NaN bit pattern
    arr = np.ascontiguousarray(arr)
    rows = arr.view(np.dtype((np.void, arr.dtype.itemsize * arr.shape[1]))).ravel()
    _, keys = np.unique(rows, return_inverse=True)
    return keys.ravel()


def _exact_keys(X: Any, *, normalize_text: bool, name: str = "X") -> np.ndarray:
    if _is_text(X):
        texts = _as_texts(X, name)
        if normalize_text:
            texts = _normalize_texts(texts)
        return pd.factorize(pd.Series(texts, dtype=object))[0]
    return _row_keys(_as_numeric(X, name, allow_nan=True))


def _groups_from_keys(keys: np.ndarray) -> list[np.ndarray]:
    """Indices sharing a key, as sorted groups of size >= 2, ordered by their first index."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    groups = [np.sort(g).astype(np.int64) for g in np.split(order, starts[1:]) if g.size > 1]
    return sorted(groups, key=lambda g: g[0])
