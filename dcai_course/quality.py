"""The data-quality audit: duplicates, train/test leakage, outliers and class imbalance.

Four checks that every data set deserves before a model is trained on it, each a small
function that works on numeric arrays and on text (a TF-IDF vectoriser is applied where
the input is text, see :func:`featurize`):

* :func:`find_duplicates`: exact duplicates (by hashing the rows or the normalised texts)
  and near-duplicates (examples within a distance ``threshold`` of each other, grouped
  transitively), returned as groups of indices; :func:`label_conflicts` keeps the groups
  whose labels disagree, and :func:`disagrees_with_group` points at the odd ones out;
* :func:`find_leakage`: test examples that are exact or near copies of training examples;
* :func:`outlier_scores`: how unusual each example is, **higher = more unusual** for every
  method (mean distance to the k nearest neighbours, isolation forest, local outlier
  factor), and :func:`flag_outliers`, Tukey's upper fence on such scores;
* :func:`class_balance`: class counts, proportions and the imbalance ratio.

:func:`audit` runs them all and returns one :class:`AuditReport` (a DataFrame per issue
type plus a summary). :func:`run_datalab` runs cleanlab's ``Datalab`` on the same data
for comparison, and :func:`leakage_experiment` measures how much a leak inflates test
accuracy.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_class_labels,
    check_estimator,
    check_features,
    check_finite_array,
    check_float,
    check_int,
    check_labels,
    check_labels_within,
    check_mask,
    check_same_length,
    check_seeds,
    check_training_labels,
)

__all__ = [
    "METRICS",
    "OUTLIER_METHODS",
    "AuditReport",
    "DatalabResult",
    "audit",
    "class_balance",
    "deduplicate",
    "disagrees_with_group",
    "featurize",
    "find_duplicates",
    "find_leakage",
    "flag_outliers",
    "label_conflicts",
    "leakage_experiment",
    "leakage_inflation",
    "outlier_scores",
    "precision_recall",
    "run_datalab",
]

#: Distances accepted by the neighbour-based functions.
METRICS = ("euclidean", "cosine", "manhattan", "chebyshev")

#: Methods of :func:`outlier_scores`.
OUTLIER_METHODS = ("knn", "isolation_forest", "lof")

# Distances computed in floating point: an exact copy can sit at 1e-16 instead of 0.
_DISTANCE_SLACK = 1e-9


# --- inputs --------------------------------------------------------------------------------


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


# --- duplicates -----------------------------------------------------------------------------


def find_duplicates(
    X: Any,
    threshold: float | None = None,
    metric: str | None = None,
    *,
    normalize_text: bool = True,
) -> list[np.ndarray]:
    """Groups of exact duplicates (``threshold=None``) or of near-duplicates.

    Parameters
    ----------
    X : array-like of shape (n, d), sparse matrix, or sequence of str
        Numeric features or one text per example.
    threshold : float, optional
        ``None`` (default): exact duplicates, found by hashing each row (NaN counts as
        equal to NaN) or each text (lower-cased, whitespace collapsed, when
        ``normalize_text``). A number: near-duplicates, pairs of examples at distance
        ``<= threshold``; groups are the connected components of those pairs, so a chain
        ``a ~ b ~ c`` is one group even if ``a`` and ``c`` are farther apart. Text is
        compared through :func:`featurize` (TF-IDF) with the cosine distance
        ``1 - cos(a, b)``.
    metric : {"euclidean", "cosine", "manhattan", "chebyshev"}, optional
        Distance for near-duplicates; by default ``"cosine"`` for text and
        ``"euclidean"`` for numbers.
    normalize_text : bool, default True
        For exact text duplicates, ignore case, zero-width characters (such as the
        byte-order mark U+FEFF) and runs of whitespace.

    Returns
    -------
    list of numpy.ndarray
        One sorted array of indices per group of two or more examples, ordered by the
        first index of each group. Every example is in at most one group.

    Raises
    ------
    ValueError
        If ``X`` is empty, not 2-D, or has NaN when ``threshold`` is given.

    Examples
    --------
    >>> X = [[0, 0], [1, 1], [0, 0], [1, 1.05], [5, 5]]
    >>> [g.tolist() for g in find_duplicates(X)]
    [[0, 2]]
    >>> [g.tolist() for g in find_duplicates(X, threshold=0.1)]
    [[0, 2], [1, 3]]
    >>> [g.tolist() for g in find_duplicates(["Subscribe to me", "subscribe  TO me", "ok"])]
    [[0, 1]]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    threshold = _check_threshold(threshold)
    if threshold is None:
        return _groups_from_keys(_exact_keys(X, normalize_text=normalize_text))
    from scipy.sparse.csgraph import connected_components
    from sklearn.neighbors import radius_neighbors_graph

    features, is_text = featurize(X)
    metric = _check_metric(metric, is_text)
    graph = radius_neighbors_graph(
        features,
        radius=threshold + _DISTANCE_SLACK,
        mode="connectivity",
        metric=metric,
        include_self=False,
        n_jobs=1,
    )
    # Exact copies always belong together: a neighbour search can put identical rows at
    # 1e-8 rather than 0 (rounding in the distance), beyond a threshold of 0.
    keys = _exact_keys(X, normalize_text=normalize_text)
    order = np.argsort(keys, kind="stable")
    same = keys[order[1:]] == keys[order[:-1]]
    links = sp.csr_matrix(
        (np.ones(int(same.sum())), (order[:-1][same], order[1:][same])), shape=graph.shape
    )
    _, components = connected_components(graph + links, directed=False)
    return _groups_from_keys(components)


def _check_groups(groups: Sequence[Any], n: int) -> list[np.ndarray]:
    if isinstance(groups, np.ndarray) and groups.dtype != object and groups.ndim == 1:
        raise TypeError(
            "groups must be a list of index arrays (as returned by find_duplicates), "
            "not a single array."
        )
    checked = []
    for i, group in enumerate(groups):
        g = np.asarray(group)
        if g.ndim != 1 or (g.size and g.dtype.kind not in "iu"):
            raise TypeError(f"group {i} must be a 1-D array of integer indices, got {group!r}.")
        if g.size and (g.min() < 0 or g.max() >= n):
            raise ValueError(
                f"group {i} holds the index {int(g.max() if g.max() >= n else g.min())}, "
                f"outside 0..{n - 1}: groups and labels must describe the same examples."
            )
        checked.append(g.astype(np.int64))
    return checked


def label_conflicts(groups: Sequence[Any], labels: Any) -> list[np.ndarray]:
    """The duplicate groups whose members do not all carry the same label.

    Two copies of one input with different labels cannot both be right: at least one
    label in each such group is wrong, or the features cannot tell the classes apart.

    Parameters
    ----------
    groups : list of array-like of int
        Groups of indices, e.g. from :func:`find_duplicates`.
    labels : array-like of int, shape (n,)

    Returns
    -------
    list of numpy.ndarray
        The conflicting groups, in their original order.

    Examples
    --------
    >>> groups = [np.array([0, 2]), np.array([1, 3, 4])]
    >>> [g.tolist() for g in label_conflicts(groups, [1, 0, 1, 0, 2])]
    [[1, 3, 4]]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y = check_labels(labels)
    return [g for g in _check_groups(groups, y.size) if g.size and np.unique(y[g]).size > 1]


def disagrees_with_group(groups: Sequence[Any], labels: Any) -> np.ndarray:
    """Members of duplicate groups whose label differs from their group's most common one.

    When a group's most common label is tied, every member of the group is flagged:
    the vote cannot tell which label is wrong.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> disagrees_with_group([np.array([0, 1, 2]), np.array([3, 4])], [5, 5, 7, 1, 2])
    array([False, False,  True,  True,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y = check_labels(labels)
    checked = _check_groups(groups, y.size)
    flags = np.zeros(y.size, dtype=bool)
    if not checked:
        return flags
    members = np.concatenate(checked)
    group_id = np.repeat(np.arange(len(checked)), [g.size for g in checked])
    table = pd.crosstab(group_id, y[members])
    top = table.to_numpy().max(axis=1)
    tied = (table.to_numpy() == top[:, None]).sum(axis=1) > 1
    majority = table.columns.to_numpy()[table.to_numpy().argmax(axis=1)]
    row = np.searchsorted(table.index.to_numpy(), group_id)
    flags[members] = tied[row] | (y[members] != majority[row])
    return flags


def deduplicate(groups: Sequence[Any], n_examples: int) -> np.ndarray:
    """Boolean mask of the examples to keep: every singleton and the first of each group.

    Examples
    --------
    >>> deduplicate([np.array([0, 2]), np.array([1, 3, 4])], 6)
    array([ True,  True, False, False, False,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    if isinstance(n_examples, bool) or not isinstance(n_examples, int | np.integer):
        raise TypeError(f"n_examples must be an int, got {n_examples!r}.")
    if n_examples < 1:
        raise ValueError(f"n_examples must be >= 1, got {n_examples}.")
    keep = np.ones(int(n_examples), dtype=bool)
    for_drop = [np.sort(g)[1:] for g in _check_groups(groups, int(n_examples)) if g.size]
    if for_drop:
        keep[np.concatenate(for_drop)] = False
    return keep


# --- leakage --------------------------------------------------------------------------------


def find_leakage(
    X_train: Any,
    X_test: Any,
    threshold: float | None = None,
    metric: str | None = None,
    *,
    normalize_text: bool = True,
) -> pd.DataFrame:
    """Test examples that are exact (``threshold=None``) or near copies of training examples.

    A test example that also sits in the training set measures memory, not
    generalisation: a model scores it right for free and the test accuracy is inflated.

    Parameters
    ----------
    X_train, X_test : array-like, sparse matrix, or sequence of str
        Both numeric with the same number of columns, or both text.
    threshold : float, optional
        ``None``: exact copies (rows hashed, texts normalised as in
        :func:`find_duplicates`). A number: the nearest training example is at distance
        ``<= threshold``. Text is compared through TF-IDF vectors fitted on the training
        and test texts together, with the cosine distance.
    metric : str, optional
        As in :func:`find_duplicates`.
    normalize_text : bool, default True

    Returns
    -------
    pandas.DataFrame
        One row per leaked test example, sorted by ``test_index``: ``test_index``,
        ``train_index`` (a training copy: the first one for exact copies, the nearest for
        near copies) and ``distance``.

    Examples
    --------
    >>> find_leakage([[0, 0], [1, 1]], [[1, 1], [2, 2], [0, 0.01]])
       test_index  train_index  distance
    0           0            1       0.0
    >>> near = find_leakage([[0, 0], [1, 1]], [[1, 1], [2, 2], [0, 0.01]], threshold=0.1)
    >>> near.test_index.tolist()
    [0, 2]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    threshold = _check_threshold(threshold)
    train_text, test_text = _is_text(X_train), _is_text(X_test)
    if train_text != test_text:
        raise TypeError(
            "X_train and X_test must both be text or both be numeric, got "
            f"{'text' if train_text else 'numbers'} and {'text' if test_text else 'numbers'}."
        )
    columns = ["test_index", "train_index", "distance"]
    if not train_text:
        allow_nan = threshold is None
        # a float32 copy of a float64 row is the same example: compare at the coarser precision
        dtype = _float_dtype(X_train, X_test)
        X_train = _as_numeric(X_train, "X_train", allow_nan=allow_nan)
        X_test = _as_numeric(X_test, "X_test", allow_nan=allow_nan)
        X_train, X_test = _common_precision(X_train, X_test, dtype)
        if X_train.shape[1] != X_test.shape[1]:
            raise ValueError(
                f"X_train has {X_train.shape[1]} features but X_test has {X_test.shape[1]}; "
                "they must describe examples the same way."
            )
    n_train = X_train.shape[0] if not train_text else len(_as_texts(X_train, "X_train"))
    exact_test, exact_train = _exact_leaks(X_train, X_test, n_train, train_text, normalize_text)
    if threshold is None:
        return pd.DataFrame(
            {
                "test_index": exact_test,
                "train_index": exact_train,
                "distance": np.zeros(exact_test.size),
            },
            columns=columns,
        )
    from sklearn.neighbors import NearestNeighbors

    if train_text:
        texts_train = _as_texts(X_train, "X_train")
        features, _ = featurize(np.concatenate([texts_train, _as_texts(X_test, "X_test")]))
        F_train, F_test = features[:n_train], features[n_train:]
    else:
        F_train, F_test = X_train, X_test
    metric = _check_metric(metric, train_text)
    nn = NearestNeighbors(n_neighbors=1, metric=metric, n_jobs=1).fit(F_train)
    distance, index = nn.kneighbors(F_test)
    distance, index = np.clip(distance[:, 0], 0.0, None), index[:, :1]
    # an exact copy is at distance 0, whatever the rounding of the neighbour search
    distance[exact_test], index[exact_test, 0] = 0.0, exact_train
    leaked = np.flatnonzero(distance <= threshold + _DISTANCE_SLACK)
    return pd.DataFrame(
        {
            "test_index": leaked.astype(np.int64),
            "train_index": index[leaked, 0].astype(np.int64),
            "distance": distance[leaked],
        },
        columns=columns,
    )


def _exact_leaks(X_train, X_test, n_train: int, text: bool, normalize_text: bool):
    """Test rows that are exact copies of a training row, and the first such row."""
    if text:
        both = np.concatenate([_as_texts(X_train, "X_train"), _as_texts(X_test, "X_test")])
    elif sp.issparse(X_train) or sp.issparse(X_test):
        both = sp.vstack([sp.csr_matrix(X_train), sp.csr_matrix(X_test)])
    else:
        both = np.vstack([X_train, X_test])
    keys = _exact_keys(both, normalize_text=normalize_text)
    train_keys, test_keys = keys[:n_train], keys[n_train:]
    first_train = pd.Series(np.arange(n_train)).groupby(train_keys).min()
    leaked = np.flatnonzero(np.isin(test_keys, first_train.index.to_numpy()))
    return leaked.astype(np.int64), first_train.loc[test_keys[leaked]].to_numpy(np.int64)


def leakage_inflation(y_test: Any, y_pred: Any, leaked: Any) -> dict[str, float]:
    """Test accuracy on all test examples, on the leaked ones and on the clean ones.

    Parameters
    ----------
    y_test, y_pred : array-like of int, shape (n_test,)
        True and predicted labels of the test split.
    leaked : array-like of bool, shape (n_test,)
        True for test examples that have a copy in the training split.

    Returns
    -------
    dict
        ``accuracy`` (all of the test split, as usually reported), ``accuracy_leaked``,
        ``accuracy_clean`` (the test examples without a copy: the honest estimate),
        ``inflation`` (``accuracy - accuracy_clean``) and ``n_leaked``.

    Examples
    --------
    >>> r = leakage_inflation([0, 1, 1, 0], [0, 1, 0, 0], [True, True, False, False])
    >>> r["accuracy"], r["accuracy_clean"], r["inflation"]
    (0.75, 0.5, 0.25)

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y_true = check_labels(y_test, name="y_test")
    pred = check_labels(y_pred, name="y_pred")
    mask = check_mask(leaked, "leaked")
    check_same_length(y_test=y_true, y_pred=pred, leaked=mask)
    check_labels_within(y_true, "y_test", y_pred=pred)
    correct = y_true == pred
    if mask.all():
        raise ValueError("every test example is leaked: there is no clean test example left.")
    acc = float(correct.mean())
    clean = float(correct[~mask].mean())
    return {
        "accuracy": acc,
        "accuracy_leaked": float(correct[mask].mean()) if mask.any() else float("nan"),
        "accuracy_clean": clean,
        "inflation": acc - clean,
        "n_leaked": int(mask.sum()),
    }


def leakage_experiment(
    model: Any,
    X: Any,
    y: Any,
    *,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    threshold: float | None = None,
    test_size: float = 0.3,
    progress: bool = True,
) -> pd.DataFrame:
    """How much duplicates leaking across a random split inflate test accuracy, per seed.

    For each seed, ``X`` is split at random (stratified) and ``model`` is trained on the
    training split. Three accuracies are measured: on the whole test split (what a
    leaky evaluation reports), on the test examples without a training copy (found by
    :func:`find_leakage` with ``threshold``), and after deduplicating the whole data set
    *before* splitting (:func:`find_duplicates` with the same ``threshold``, keeping the
    first of each group), with a fresh split of the same seed.

    Returns
    -------
    pandas.DataFrame
        One row per seed: ``seed``, ``n_test``, ``n_leaked``, ``accuracy`` (leaky),
        ``accuracy_leaked``, ``accuracy_clean``, ``accuracy_dedup_first`` and
        ``inflation`` (leaky minus clean).

    Examples
    --------
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> X = np.repeat(np.arange(40.0), 2).reshape(-1, 1)  # every example twice
    >>> y = (X[:, 0] > 19).astype(int)
    >>> runs = leakage_experiment(KNeighborsClassifier(1), X, y, seeds=[0], progress=False)
    >>> bool(runs.n_leaked[0] > 0), float(runs.accuracy_leaked[0])
    (True, 1.0)

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    from sklearn.base import clone
    from sklearn.model_selection import train_test_split
    from tqdm.auto import tqdm

    check_estimator(model)
    labels = check_training_labels(y, "y")
    if not _is_text(X):
        check_features(X, "X", n_rows=labels.size, labels_name="y")
    seeds = check_seeds(seeds)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    text = _is_text(X)
    data = _as_texts(X, "X") if text else _as_numeric(X, "X", allow_nan=True)
    check_same_length(X=data if text else np.empty(data.shape[0]), y=labels)
    keep = deduplicate(find_duplicates(data, threshold), labels.size)
    index = np.arange(labels.size)
    rows = []
    for seed in tqdm(list(seeds), disable=not progress, desc="splits"):
        train, test = train_test_split(
            index, test_size=test_size, random_state=seed, stratify=labels
        )
        fitted = clone(model).fit(data[train], labels[train])
        pred = fitted.predict(data[test])
        leaks = find_leakage(data[train], data[test], threshold)
        leaked = np.zeros(test.size, dtype=bool)
        leaked[leaks["test_index"].to_numpy()] = True
        result = leakage_inflation(labels[test], pred, leaked)
        kept = index[keep]
        train_d, test_d = train_test_split(
            kept, test_size=test_size, random_state=seed, stratify=labels[kept]
        )
        dedup = clone(model).fit(data[train_d], labels[train_d])
        acc_dedup = float((dedup.predict(data[test_d]) == labels[test_d]).mean())
        rows.append(
            {
                "seed": seed,
                "n_test": int(test.size),
                "n_leaked": result["n_leaked"],
                "accuracy": result["accuracy"],
                "accuracy_leaked": result["accuracy_leaked"],
                "accuracy_clean": result["accuracy_clean"],
                "accuracy_dedup_first": acc_dedup,
                "inflation": result["inflation"],
            }
        )
    return pd.DataFrame(rows)


# --- outliers -------------------------------------------------------------------------------


def _check_k(k: Any, n: int) -> int:
    k = check_int(k, "k")
    if not 1 <= k < n:
        raise ValueError(
            f"k must be between 1 and n_examples - 1 = {n - 1}, got {k}: each example needs "
            "k other examples to be compared with."
        )
    return int(k)


def outlier_scores(
    X: Any,
    method: str = "knn",
    *,
    k: int = 10,
    metric: str | None = None,
    seed: SeedLike = None,
) -> np.ndarray:
    """How unusual each example is. Convention: **higher = more unusual**, for every method.

    Parameters
    ----------
    X : array-like of shape (n, d), sparse matrix, or sequence of str
        Numeric features (no NaN) or texts (TF-IDF, see :func:`featurize`).
    method : {"knn", "isolation_forest", "lof"}
        - ``"knn"``: the mean distance to the ``k`` nearest other examples (cleanlab's
          Datalab scores outliers from the same quantity, as ``exp(-distance / scale)``,
          where *lower* is more unusual);
        - ``"isolation_forest"``: the anomaly score of Liu, Ting & Zhou (2008), in
          ``(0, 1]``: how few random splits isolate the example (scikit-learn's
          ``-IsolationForest.score_samples``);
        - ``"lof"``: the local outlier factor of Breunig et al. (2000) with ``k``
          neighbours, about 1 for an example as dense as its neighbours and larger for
          one in a sparser region (scikit-learn's ``-negative_outlier_factor_``).
    k : int, default 10
        Neighbours for ``"knn"`` and ``"lof"``.
    metric : str, optional
        Distance for ``"knn"`` and ``"lof"``: ``"cosine"`` for text, ``"euclidean"``
        otherwise.
    seed : int or numpy.random.Generator, optional
        For ``"isolation_forest"``.

    Returns
    -------
    numpy.ndarray of float, shape (n,)

    Raises
    ------
    ValueError
        If ``X`` contains NaN (no method here can take it: impute first), is empty, or
        ``k`` is not below the number of examples.

    Examples
    --------
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1], [9, 9]]
    >>> int(outlier_scores(X, k=2).argmax())
    4
    >>> int(outlier_scores(X, "isolation_forest", seed=0).argmax())
    4

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    if method not in OUTLIER_METHODS:
        raise ValueError(f"method must be one of {OUTLIER_METHODS}, got {method!r}.")
    seed = as_rng(seed)
    features, is_text = featurize(X)
    n = features.shape[0]
    if method == "isolation_forest":
        from sklearn.ensemble import IsolationForest

        if n < 2:
            raise ValueError("at least 2 examples are needed to score outliers.")
        forest = IsolationForest(random_state=as_random_state(seed), n_jobs=1)
        data = features.tocsc() if sp.issparse(features) else features
        return -forest.fit(data).score_samples(data)
    k = _check_k(k, n)
    metric = _check_metric(metric, is_text)
    if method == "knn":
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=k, metric=metric, n_jobs=1).fit(features)
        distances, _ = nn.kneighbors()  # without X: each example is not its own neighbour
        return np.clip(distances, 0.0, None).mean(axis=1)
    from sklearn.neighbors import LocalOutlierFactor

    lof = LocalOutlierFactor(n_neighbors=k, metric=metric, n_jobs=1).fit(features)
    return -lof.negative_outlier_factor_


def flag_outliers(scores: Any, factor: float = 1.5) -> np.ndarray:
    """Flag scores above Tukey's upper fence ``Q3 + factor × (Q3 - Q1)``.

    A rule that needs no ground truth and adapts to the spread of the scores. cleanlab's
    Datalab applies the same rule to the mean k-NN distance with
    ``factor = 1 / 0.37037 - 1 ≈ 1.7``.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Outlier scores, higher = more unusual (see :func:`outlier_scores`).
    factor : float, default 1.5
        Tukey's classic value; larger flags fewer examples.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> flag_outliers([1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 5.0])
    array([False, False, False, False, False, False,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    s = check_finite_array(scores, "scores", ndim=1)
    factor = check_float(factor, "factor", minimum=0.0)
    q1, q3 = np.percentile(s, [25, 75])
    return s > q3 + float(factor) * (q3 - q1)


def precision_recall(flagged: Any, truth: Any) -> dict[str, float]:
    """Precision and recall of a boolean flag against the known truth.

    Returns ``{"flagged", "precision", "recall"}``; precision is NaN when nothing is
    flagged, recall NaN when nothing is true.

    Examples
    --------
    >>> precision_recall([True, True, False, False], [True, False, True, False])
    {'flagged': 2, 'precision': 0.5, 'recall': 0.5}

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    f, t = check_mask(flagged, "flagged"), check_mask(truth, "truth")
    check_same_length(flagged=f, truth=t)
    hits = int((f & t).sum())
    return {
        "flagged": int(f.sum()),
        "precision": float(hits / f.sum()) if f.any() else float("nan"),
        "recall": float(hits / t.sum()) if t.any() else float("nan"),
    }


# --- class balance --------------------------------------------------------------------------


def class_balance(labels: Any, n_classes: int | None = None) -> dict[str, Any]:
    """Class counts, proportions and the imbalance ratio (largest count / smallest count).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    n_classes : int, optional
        K; classes ``0..K-1`` with no example count as 0 (and make the ratio infinite).
        By default ``labels.max() + 1``.

    Returns
    -------
    dict
        ``counts`` (int array of shape (K,)), ``proportions`` (float array, sums to 1)
        and ``imbalance_ratio`` (float, 1.0 for perfectly balanced classes).

    Examples
    --------
    >>> b = class_balance([0, 0, 0, 1, 2, 2])
    >>> b["counts"].tolist(), b["imbalance_ratio"]
    ([3, 1, 2], 3.0)

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y, k = check_class_labels(labels, n_classes)
    counts = np.bincount(y, minlength=k).astype(np.int64)
    smallest = counts.min()
    ratio = float(counts.max() / smallest) if smallest > 0 else float("inf")
    return {"counts": counts, "proportions": counts / counts.sum(), "imbalance_ratio": ratio}


# --- the audit ------------------------------------------------------------------------------


@dataclass
class AuditReport:
    """The result of :func:`audit`: a summary and one DataFrame per issue type.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per issue type: ``issue``, ``examples`` (how many examples are
        affected), ``share`` (of the audited examples) and ``detail``.
    duplicates : pandas.DataFrame
        One row per duplicated example: ``index``, ``group``, ``group_size``, ``kind``
        (``"exact"`` or ``"near"``), and ``label`` / ``text`` when known.
    label_conflicts : pandas.DataFrame
        The rows of ``duplicates`` whose group has conflicting labels, with
        ``disagrees`` (the label differs from the group's most common one).
    leakage : pandas.DataFrame
        Test examples with a copy in the training data (see :func:`find_leakage`).
    outliers : pandas.DataFrame
        Flagged examples (:func:`flag_outliers`), most unusual first: ``index``,
        ``score``, ``rank``.
    class_balance : pandas.DataFrame
        ``count`` and ``proportion`` per class.
    imbalance_ratio : float
    n_examples : int

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """

    summary: pd.DataFrame
    duplicates: pd.DataFrame
    label_conflicts: pd.DataFrame
    leakage: pd.DataFrame
    outliers: pd.DataFrame
    class_balance: pd.DataFrame
    imbalance_ratio: float
    n_examples: int
    n_worst: int = field(default=5, repr=False)

    def worst(self, issue: str) -> pd.DataFrame:
        """The first ``n_worst`` rows of an issue's table (they are sorted worst first)."""
        tables = {
            "duplicates": self.duplicates,
            "label_conflicts": self.label_conflicts,
            "leakage": self.leakage,
            "outliers": self.outliers,
        }
        if not isinstance(issue, str) or issue not in tables:
            raise ValueError(f"issue must be one of {sorted(tables)}, got {issue!r}.")
        return tables[issue].head(self.n_worst)

    def __str__(self) -> str:
        with pd.option_context("display.width", 120, "display.max_colwidth", 60):
            parts = [
                f"Data-quality audit of {self.n_examples} examples",
                self.summary.to_string(index=False),
            ]
            for issue in ("duplicates", "label_conflicts", "leakage", "outliers"):
                table = self.worst(issue)
                if len(table):
                    parts.append(
                        f"\n{issue}: the first {len(table)} of {len(getattr(self, issue))}"
                    )
                    parts.append(table.to_string(index=False))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.__str__()


def _shorten(texts: np.ndarray, width: int = 50) -> np.ndarray:
    s = pd.Series(texts, dtype=object).str.replace(r"\s+", " ", regex=True)
    return np.where(s.str.len() > width, s.str.slice(0, width - 1) + "…", s).astype(object)


def _group_table(groups: list[np.ndarray], kinds: list[str]) -> pd.DataFrame:
    """One row per member: the groups ordered largest first, then by their first index."""
    sizes = np.array([g.size for g in groups], dtype=np.int64)
    table = pd.DataFrame(
        {
            "index": np.concatenate(groups) if groups else np.array([], dtype=np.int64),
            "group": np.repeat(np.arange(len(groups), dtype=np.int64), sizes),
            "group_size": np.repeat(sizes, sizes),
            "kind": np.repeat(np.array(kinds, dtype=object), sizes),
        }
    )
    return table.sort_values(
        ["group_size", "group", "index"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


def audit(
    X: Any,
    labels: Any = None,
    X_test: Any = None,
    labels_test: Any = None,
    *,
    near_threshold: float | None = None,
    metric: str | None = None,
    outlier_method: str = "knn",
    k: int = 10,
    outlier_factor: float = 1.5,
    n_worst: int = 5,
    seed: SeedLike = None,
) -> AuditReport:
    """Run every check of this module on a data set and gather the results.

    Parameters
    ----------
    X : array-like of shape (n, d), or sequence of str
        The (training) data; numeric data must have no NaN (outlier scores need
        distances).
    labels : array-like of int, shape (n,), optional
        Enables label conflicts among duplicates and the class balance.
    X_test : like ``X``, optional
        Enables train/test leakage.
    labels_test : array-like of int, optional
        Added to the leakage table next to the training copy's label.
    near_threshold : float, optional
        Also group near-duplicates (and find near copies across the split) within this
        distance; exact ones only by default.
    metric, k, outlier_method, seed
        Passed to :func:`find_duplicates`, :func:`find_leakage` and
        :func:`outlier_scores`.
    outlier_factor : float, default 1.5
        Passed to :func:`flag_outliers`.
    n_worst : int, default 5
        Rows per issue shown when the report is printed.

    Returns
    -------
    AuditReport

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(50, 2)), [[8.0, 8.0]], rng.normal(size=(1, 2))])
    >>> X[-1] = X[0]
    >>> report = audit(X, labels=np.r_[np.zeros(26), np.ones(26)].astype(int))
    >>> report.summary[["issue", "examples"]]
                               issue  examples
    0               exact duplicates         2
    1  label conflicts in duplicates         2
    2      outliers (knn, Tukey 1.5)         4
    3                 smallest class        26
    >>> int(report.outliers["index"].iloc[0])  # the planted point is the most unusual
    50

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    text = _is_text(X)
    data = _as_texts(X, "X") if text else _as_numeric(X, "X", allow_nan=False)
    n = data.shape[0]
    n_worst = check_int(n_worst, "n_worst", minimum=1)
    k = check_int(k, "k", minimum=1)
    outlier_factor = check_float(outlier_factor, "outlier_factor", minimum=0.0)
    seed = as_rng(seed)
    y = None
    if labels is not None:
        y, _ = check_class_labels(labels)
        check_same_length(X=np.empty(n), labels=y)
    near_threshold = _check_threshold(near_threshold, "near_threshold")

    # duplicates: exact groups, or near groups (which contain the exact ones)
    keys = _exact_keys(data, normalize_text=True)
    exact = _groups_from_keys(keys)
    in_exact = np.zeros(n, dtype=bool)
    if exact:
        in_exact[np.concatenate(exact)] = True
    groups = exact if near_threshold is None else find_duplicates(data, near_threshold, metric)
    is_near = [np.unique(keys[g]).size > 1 for g in groups]
    duplicates = _group_table(groups, ["near" if f else "exact" for f in is_near])
    if y is not None:
        duplicates["label"] = y[duplicates["index"].to_numpy()]
    if text:
        duplicates["text"] = _shorten(data[duplicates["index"].to_numpy()])

    conflicts = duplicates.iloc[0:0].assign(disagrees=pd.Series(dtype=bool))
    if y is not None and groups:
        bad = {int(g[0]) for g in label_conflicts(groups, y)}
        odd = disagrees_with_group(groups, y)
        first = duplicates.groupby("group")["index"].transform("min")
        conflicts = duplicates[first.isin(bad).to_numpy()].copy()
        conflicts["disagrees"] = odd[conflicts["index"].to_numpy()]
        conflicts = conflicts.reset_index(drop=True)

    leakage = pd.DataFrame(columns=["test_index", "train_index", "distance"])
    n_test = 0
    if X_test is not None:
        leakage = find_leakage(data if text else X, X_test, near_threshold, metric)
        n_test = len(X_test) if not hasattr(X_test, "shape") else X_test.shape[0]
        if labels_test is not None:
            yt = check_labels(labels_test, name="labels_test")
            check_same_length(X_test=np.empty(n_test), labels_test=yt)
            if y is not None:
                check_labels_within(y, "labels", labels_test=yt)
            leakage["test_label"] = yt[leakage["test_index"].to_numpy()]
        if y is not None:
            leakage["train_label"] = y[leakage["train_index"].to_numpy()]
        if text:
            leakage["text"] = _shorten(data[leakage["train_index"].to_numpy()])

    scores = outlier_scores(data, outlier_method, k=min(k, n - 1), metric=metric, seed=seed)
    flagged = flag_outliers(scores, outlier_factor)
    order = np.argsort(-scores, kind="stable")
    flagged_idx = order[flagged[order]]
    outliers = pd.DataFrame(
        {
            "index": flagged_idx,
            "score": scores[flagged_idx],
            "rank": np.arange(1, flagged_idx.size + 1),
        }
    )
    if y is not None:
        outliers["label"] = y[flagged_idx]
    if text:
        outliers["text"] = _shorten(data[flagged_idx])

    balance = pd.DataFrame({"count": [], "proportion": []})
    ratio = float("nan")
    if y is not None:
        b = class_balance(y)
        balance = pd.DataFrame({"count": b["counts"], "proportion": b["proportions"]})
        balance.index.name = "class"
        ratio = b["imbalance_ratio"]

    rows = [("exact duplicates", int(in_exact.sum()), n, f"{len(exact)} groups")]
    if near_threshold is not None:
        in_near = np.zeros(n, dtype=bool)
        near_groups = [g for g, f in zip(groups, is_near, strict=True) if f]
        if near_groups:
            in_near[np.concatenate(near_groups)] = True
        rows.append(
            (
                f"near duplicates (<= {near_threshold:g})",
                int((in_near & ~in_exact).sum()),
                n,
                f"{len(near_groups)} groups beyond exact copies",
            )
        )
    if y is not None:
        rows.append(
            (
                "label conflicts in duplicates",
                len(conflicts),
                n,
                f"{int(conflicts['disagrees'].sum())} disagree with their group",
            )
        )
    if X_test is not None:
        rows.append(("test examples leaked", len(leakage), n_test, "copies of training examples"))
    rows.append(
        (
            f"outliers ({outlier_method}, Tukey {outlier_factor:g})",
            int(flagged.sum()),
            n,
            f"median score {np.median(scores):.3g}",
        )
    )
    if y is not None:
        smallest = int(np.argmin(b["counts"]))
        rows.append(
            (
                "smallest class",
                int(b["counts"][smallest]),
                n,
                f"class {smallest}; imbalance ratio {ratio:.3g}",
            )
        )
    summary = pd.DataFrame(rows, columns=["issue", "examples", "of", "detail"])
    summary.insert(2, "share", summary["examples"] / summary["of"])
    summary = summary.drop(columns="of")
    return AuditReport(
        summary=summary,
        duplicates=duplicates,
        label_conflicts=conflicts,
        leakage=leakage,
        outliers=outliers,
        class_balance=balance,
        imbalance_ratio=ratio,
        n_examples=n,
        n_worst=n_worst,
    )


# --- the reference: cleanlab's Datalab ------------------------------------------------------


@dataclass
class DatalabResult:
    """What :func:`run_datalab` returns.

    Attributes
    ----------
    issues : pandas.DataFrame
        One row per example: ``is_<issue>_issue`` (bool) and ``<issue>_score`` (in
        [0, 1], **lower = more severe**, cleanlab's convention) for each issue type run.
    summary : pandas.DataFrame
        ``issue_type``, ``num_issues`` and ``score`` per issue type.
    near_duplicate_sets : list of numpy.ndarray
        For each example, the indices Datalab considers its near-duplicates (empty if
        none); only when ``"near_duplicate"`` was run.

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame
    near_duplicate_sets: list[np.ndarray]


_DATALAB_ISSUES = ("near_duplicate", "outlier", "label")


def run_datalab(
    features: Any = None,
    labels: Any = None,
    pred_probs: Any = None,
    *,
    issue_types: Sequence[str] = _DATALAB_ISSUES,
    metric: str | None = None,
    k: int = 10,
) -> DatalabResult:
    """Run cleanlab's ``Datalab`` on the same data as our audit, for comparison.

    Only the issue types asked for are run, with the inputs already computed (features
    for ``near_duplicate`` and ``outlier``, out-of-sample ``pred_probs`` for ``label``),
    so nothing is trained again.

    Parameters
    ----------
    features : array-like of shape (n, d)
        Dense numeric features (for text: a dense TF-IDF or embedding matrix).
    labels : array-like of int, shape (n,), optional
        Needed for ``"label"``.
    pred_probs : array-like of shape (n, K), optional
        Out-of-sample predicted probabilities, needed for ``"label"``.
    issue_types : sequence of {"near_duplicate", "outlier", "label"}
    metric : str, optional
        Distance of the k-NN graph shared by ``near_duplicate`` and ``outlier``. Datalab's
        own default is cosine for more than 3 features, euclidean otherwise.
    k : int, default 10
        Neighbours in that graph.

    Returns
    -------
    DatalabResult

    Notes
    -----
    ``cleanlab.Datalab`` needs the ``datasets`` package, installed with the course
    (``cleanlab[datalab]``).

    Examples
    --------
    >>> X = np.array([[0.0, 0], [0, 0], [1, 1], [1, 1.1], [2, 2], [9, 9]])
    >>> r = run_datalab(X, issue_types=["near_duplicate"], metric="euclidean", k=2)
    >>> r.issues["is_near_duplicate_issue"].tolist()
    [True, True, False, False, False, False]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    unknown = set(issue_types) - set(_DATALAB_ISSUES)
    if unknown or not issue_types:
        raise ValueError(
            f"issue_types must be a non-empty subset of {_DATALAB_ISSUES}, got {list(issue_types)}."
        )
    X = None
    n = None
    if features is not None:
        X = _as_numeric(features, "features", allow_nan=False)
        if sp.issparse(X):
            X = X.toarray()
        n = X.shape[0]
    elif {"near_duplicate", "outlier"} & set(issue_types):
        raise ValueError("near_duplicate and outlier issues need features.")
    y = probs = None
    if "label" in issue_types:
        from ._validation import check_pred_probs

        if labels is None or pred_probs is None:
            raise ValueError("label issues need labels and out-of-sample pred_probs.")
        probs = check_pred_probs(pred_probs)
        y = check_labels(labels, probs.shape[1])
        check_same_length(labels=y, pred_probs=probs)
        n = y.size if n is None else n
        check_same_length(features=np.empty(n), labels=y)
    elif labels is not None:
        y = check_labels(labels)
        check_same_length(features=np.empty(n), labels=y)
    params: dict[str, dict[str, Any]] = {}
    for name in issue_types:
        params[name] = {}
        if name in ("near_duplicate", "outlier"):
            params[name]["k"] = _check_k(k, n)
            if metric is not None:
                params[name]["metric"] = _check_metric(metric, False)
    from cleanlab import Datalab

    data = {"label": y} if y is not None else {"index": np.arange(n)}
    lab = Datalab(data=data, label_name="label" if y is not None else None, verbosity=0)
    lab.find_issues(features=X, pred_probs=probs, issue_types=params)
    columns = [c for name in issue_types for c in (f"is_{name}_issue", f"{name}_score")]
    issues = lab.get_issues()[columns].reset_index(drop=True)
    summary = lab.get_issue_summary()
    sets = (
        lab.get_info("near_duplicate")["near_duplicate_sets"]
        if "near_duplicate" in issue_types
        else []
    )
    summary = summary[["issue_type", "num_issues", "score"]].reset_index(drop=True)
    sets = [np.sort(np.asarray(s, dtype=np.int64)) for s in sets]
    return DatalabResult(issues=issues, summary=summary, near_duplicate_sets=sets)
