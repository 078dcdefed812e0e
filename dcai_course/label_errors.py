"""Confident learning: finding label errors from out-of-sample predicted probabilities.

Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in Dataset
Labels", JAIR 2021.

Taught in: notebooks/02_confident_learning.ipynb (``out_of_sample_pred_probs`` first
appears in notebooks/01_model_vs_data_centric.ipynb).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ._validation import SeedLike, as_random_state, check_labels, check_same_length

__all__ = ["out_of_sample_pred_probs"]


def out_of_sample_pred_probs(
    model: Any, X: Any, labels: Any, cv: int = 5, seed: SeedLike = None
) -> np.ndarray:
    """Cross-validated predicted probabilities: each row comes from a model that never saw it.

    The data are split into ``cv`` stratified folds; for each fold a clone of ``model``
    is trained on the other folds and predicts the fold's probabilities. Probabilities
    of a model on its own training data are over-confident (it has memorised the noisy
    labels), which is why every label-error method needs out-of-sample ones.

    Parameters
    ----------
    model : scikit-learn classifier
        Must implement ``predict_proba``; it is cloned, never fitted in place.
    X : array-like of shape (n, d)
    labels : array-like of int, shape (n,)
        The given (possibly noisy) labels ``0..K-1``.
    cv : int, default 5
        Number of stratified folds (at least 2, at most the size of the smallest class).
    seed : int or numpy.random.Generator, optional
        Shuffles the folds.

    Returns
    -------
    numpy.ndarray of shape (n, K)

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> out_of_sample_pred_probs(LogisticRegression(max_iter=500), X, y, seed=0).shape
    (1797, 10)
    """
    y = check_labels(labels)
    check_same_length(X=X, labels=y)
    if not hasattr(model, "predict_proba"):
        raise TypeError(
            f"{type(model).__name__} has no predict_proba: use a probabilistic classifier "
            "(e.g. LogisticRegression, or SVC(probability=True))."
        )
    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise ValueError(f"cv must be an int >= 2, got {cv!r}.")
    n_classes = int(y.max()) + 1
    counts = np.bincount(y, minlength=n_classes)
    if (counts == 0).any():
        missing = np.flatnonzero(counts == 0).tolist()
        raise ValueError(
            f"Classes {missing} have no examples; labels must use every class 0..{n_classes - 1} "
            "(re-encode them, e.g. with sklearn.preprocessing.LabelEncoder)."
        )
    if counts.min() < cv:
        small = int(np.argmin(counts))
        raise ValueError(
            f"Class {small} has only {counts.min()} example(s), fewer than cv={cv} folds: "
            "lower cv or gather more examples of that class."
        )
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=as_random_state(seed))
    return cross_val_predict(clone(model), X, y, cv=folds, method="predict_proba")
