"""SMOTE from scratch, and a comparison of ways to handle class imbalance.

Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    SeedLike,
    as_rng,
    check_count,
    check_estimator,
    check_features,
    check_labels,
)

__all__ = ["IMBALANCE_METHODS", "imbalance_scores", "smote"]

#: The ways to train on imbalanced data compared by :func:`imbalance_scores`.
IMBALANCE_METHODS = ("nothing", "class weights", "SMOTE (ours)", "SMOTE (imbalanced-learn)")


def smote(
    X: Any, y: Any, k_neighbors: int = 5, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """SMOTE (Chawla et al. 2002): oversample every class up to the largest one.

    For a class with ``m`` examples and ``M`` in the largest class, ``M - m`` synthetic
    examples are made: each picks a random example ``x`` of the class and one of its
    ``k_neighbors`` nearest neighbours ``x'`` within the class (uniformly), and returns
    ``x + u (x' - x)`` with ``u`` uniform in ``[0, 1)``. This is imbalanced-learn's
    ``SMOTE(k_neighbors=k)`` with its default ``sampling_strategy="auto"``.

    Parameters
    ----------
    X : array of shape (n, d)
        Numeric features (scale them first: the neighbours are Euclidean).
    y : array of shape (n,)
        Integer class labels.
    k_neighbors : int
        Neighbours per example; every class to oversample needs more examples than that.

    Returns
    -------
    (X_resampled, y_resampled)
        The original rows first, then the synthetic rows class by class (in class order).

    Examples
    --------
    >>> X = np.array([[0.0, 0], [1, 0], [0, 1], [5, 5], [6, 5], [5, 6], [6, 6], [5.5, 5.5]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    >>> X_res, y_res = smote(X, y, k_neighbors=2, seed=0)
    >>> np.bincount(y_res).tolist(), bool((X_res[8:] <= 1).all())
    ([5, 5], True)

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    from sklearn.neighbors import NearestNeighbors

    labels = check_labels(y, name="y")
    data = check_features(X, "X", n_rows=labels.size, allow_sparse=False, labels_name="y")
    k = check_count(k_neighbors, "k_neighbors")
    rng = as_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    target = counts.max()
    new_X, new_y = [data], [labels]
    for c, m in zip(classes, counts, strict=True):
        if m == target:
            continue
        if m <= k:
            raise ValueError(
                f"class {c} has {m} example(s) but k_neighbors={k}: SMOTE needs at least "
                f"k_neighbors + 1 examples of every class it oversamples. Lower k_neighbors."
            )
        members = data[labels == c]
        nn = NearestNeighbors(n_neighbors=k + 1).fit(members)
        neighbours = nn.kneighbors(members, return_distance=False)[:, 1:]
        n_new = target - m
        base = rng.integers(0, m, n_new)
        partner = neighbours[base, rng.integers(0, k, n_new)]
        step = rng.random((n_new, 1))
        new_X.append(members[base] + step * (members[partner] - members[base]))
        new_y.append(np.full(n_new, c))
    return np.concatenate(new_X), np.concatenate(new_y)


def imbalance_scores(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    methods: Any = IMBALANCE_METHODS,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """Train ``model`` on imbalanced data in several ways and score each on the test set.

    ``"nothing"`` fits as is; ``"class weights"`` sets ``class_weight="balanced"`` (the
    model must accept it); the two SMOTE methods fit on :func:`smote`'s output and on
    ``imblearn.over_sampling.SMOTE``'s (same ``k_neighbors=5``).

    Returns
    -------
    pandas.DataFrame
        One row per method: ``balanced accuracy``, ``accuracy`` and the recall of
        every class (``recall 0``, ``recall 1``, ...).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)); y = (X[:, 0] > 1.2).astype(int)
    >>> table = imbalance_scores(LogisticRegression(), X, y, X, y, methods=["nothing"])
    >>> list(table.columns)
    ['balanced accuracy', 'accuracy', 'recall 0', 'recall 1']

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    from sklearn.base import clone
    from sklearn.metrics import balanced_accuracy_score, recall_score

    check_estimator(model)
    y_tr = check_labels(y_train, name="y_train")
    X_tr = check_features(
        X_train, "X_train", n_rows=y_tr.size, allow_sparse=False, labels_name="y_train"
    )
    y_te = check_labels(y_test, name="y_test")
    X_te = check_features(
        X_test, "X_test", n_rows=y_te.size, allow_sparse=False, labels_name="y_test"
    )
    methods = list(methods)
    unknown = set(methods) - set(IMBALANCE_METHODS)
    if unknown or not methods:
        raise ValueError(
            f"methods must be a non-empty subset of {IMBALANCE_METHODS}, got {methods}."
        )
    rng = as_rng(seed)
    classes = np.unique(y_tr)
    rows = {}
    for method in methods:
        fitted = clone(model)
        X_fit, y_fit = X_tr, y_tr
        if method == "class weights":
            fitted.set_params(class_weight="balanced")
        elif method == "SMOTE (ours)":
            X_fit, y_fit = smote(X_tr, y_tr, seed=rng)
        elif method == "SMOTE (imbalanced-learn)":
            from imblearn.over_sampling import SMOTE

            X_fit, y_fit = SMOTE(random_state=int(rng.integers(2**31 - 1))).fit_resample(X_tr, y_tr)
        pred = fitted.fit(X_fit, y_fit).predict(X_te)
        recalls = recall_score(y_te, pred, labels=classes, average=None, zero_division=0.0)
        rows[method] = {
            "balanced accuracy": balanced_accuracy_score(y_te, pred),
            "accuracy": float((pred == y_te).mean()),
            **{f"recall {c}": r for c, r in zip(classes, recalls, strict=True)},
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("method")
