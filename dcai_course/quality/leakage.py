"""Train/test leakage: test examples that copy training examples, and what a leak inflates.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._validation import (
    check_estimator,
    check_features,
    check_float,
    check_labels,
    check_labels_within,
    check_mask,
    check_same_length,
    check_seeds,
    check_training_labels,
)
from .duplicates import deduplicate, find_duplicates
from .features import (
    _DISTANCE_SLACK,
    _as_numeric,
    _as_texts,
    _check_metric,
    _check_threshold,
    _common_precision,
    _exact_keys,
    _float_dtype,
    _is_text,
    featurize,
)


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
