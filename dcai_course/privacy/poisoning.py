"""Data poisoning: label flips, backdoor triggers, sanitizing the training set, and
:func:`poisoning_experiment`.

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import label_errors, quality
from .._validation import (
    SeedLike,
    as_rng,
    check_choice,
    check_estimator,
    check_float,
    check_int,
    check_labels,
    check_probability,
    check_same_length,
    check_seeds,
)
from ._common import _class_labels, _finite_2d, _fitted_seeded

#: The sanitisers of :func:`sanitize_flags`.
SANITIZERS = ("confident_learning", "outliers", "class_outliers", "none")


# --- poisoning --------------------------------------------------------------------------------


def flip_labels(
    labels: Any, source: int, target: int, fraction: float, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Targeted label-flip poisoning: relabel a ``fraction`` of class ``source`` as ``target``.

    Returns
    -------
    (poisoned_labels, flipped) : numpy.ndarray, boolean numpy.ndarray

    Examples
    --------
    >>> y, flipped = flip_labels([0, 1, 1, 1, 1], source=1, target=0, fraction=0.5, seed=0)
    >>> int(flipped.sum()), sorted(set(y[flipped].tolist()))
    (2, [0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    y = _class_labels(labels, "labels")
    source = check_int(source, "source", minimum=0)
    target = check_int(target, "target", minimum=0)
    if source == target:
        raise ValueError("source and target must be different classes.")
    fraction = check_probability(fraction, "fraction")
    candidates = np.flatnonzero(y == source)
    if candidates.size == 0:
        raise ValueError(f"labels: no example has the source label {source}.")
    chosen = as_rng(seed).choice(candidates, round(fraction * candidates.size), replace=False)
    flipped = np.zeros(y.size, dtype=bool)
    flipped[chosen] = True
    poisoned = y.copy()
    poisoned[flipped] = target
    return poisoned, flipped


def add_trigger(
    X: Any,
    image_shape: tuple[int, int] = (8, 8),
    size: int = 2,
    value: float = 1.0,
    corner: str = "bottom-right",
) -> np.ndarray:
    """Stamp a square trigger patch of ``size`` × ``size`` pixels set to ``value``.

    Parameters
    ----------
    X : array-like of shape (n, h * w)
        Flattened images.
    image_shape : (h, w), default (8, 8)
        The digits' shape.
    size : int, default 2
    value : float in [0, 1], default 1.0
        The pixel value of the patch (1.0 is "ink"); scale the pixels to 0..1 first
        (``X / 16`` for the digits).
    corner : {"bottom-right", "bottom-left", "top-right", "top-left"}

    Returns
    -------
    numpy.ndarray
        A copy of ``X`` with the patch.

    Examples
    --------
    >>> add_trigger(np.zeros((1, 16)), image_shape=(4, 4), size=1)[0].tolist()[-1]
    1.0

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    pair = isinstance(image_shape, tuple | list) or (
        isinstance(image_shape, np.ndarray) and image_shape.ndim == 1
    )
    if not pair or len(image_shape) != 2:
        raise TypeError(f"image_shape must be a pair (height, width), got {image_shape!r}.")
    h, w = (check_int(s, "image_shape", minimum=1) for s in image_shape)
    if arr.shape[1] != h * w:
        raise ValueError(f"X has {arr.shape[1]} columns but image_shape {h}×{w} needs {h * w}.")
    size = check_int(size, "size", minimum=1, maximum=min(h, w))
    value = check_float(value, "value", minimum=0.0, maximum=1.0)
    corner = check_choice(
        corner, "corner", ("bottom-right", "bottom-left", "top-right", "top-left")
    )
    rows = slice(h - size, h) if corner.startswith("bottom") else slice(0, size)
    cols = slice(w - size, w) if corner.endswith("right") else slice(0, size)
    out = arr.copy().reshape(-1, h, w)
    out[:, rows, cols] = value
    return out.reshape(arr.shape)


def plant_backdoor(
    X: Any, y: Any, target: int, fraction: float, seed: SeedLike = None, **trigger: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backdoor poisoning (Gu et al., 2017): stamp a trigger on a ``fraction`` of the rows
    (chosen among those not labelled ``target``) and relabel them ``target``.

    ``trigger`` is passed to :func:`add_trigger`. Returns ``(X_poisoned, y_poisoned,
    poisoned)``, the last a boolean mask of the planted rows.

    Examples
    --------
    >>> Xp, yp, mask = plant_backdoor(np.zeros((10, 64)), np.arange(10), 0, 0.2, seed=0)
    >>> int(mask.sum()), yp[mask].tolist(), Xp[mask][:, -1].tolist()
    (2, [0, 0], [1.0, 1.0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    labels = _class_labels(y, "y")
    check_same_length(X=arr, y=labels)
    target = check_int(target, "target", minimum=0)
    fraction = check_probability(fraction, "fraction")
    candidates = np.flatnonzero(labels != target)
    n_poison = round(fraction * labels.size)
    if n_poison > candidates.size:
        raise ValueError(
            f"fraction={fraction} asks for {n_poison} rows; only {candidates.size} qualify."
        )
    chosen = as_rng(seed).choice(candidates, n_poison, replace=False)
    poisoned = np.zeros(labels.size, dtype=bool)
    poisoned[chosen] = True
    X_out, y_out = arr.copy(), labels.copy()
    X_out[poisoned] = add_trigger(arr[poisoned], **trigger) if n_poison else X_out[poisoned]
    y_out[poisoned] = target
    return X_out, y_out, poisoned


def attack_success_rate(predictions: Any, true_labels: Any, target: int) -> float:
    """Share of the examples whose true class is not ``target`` that are predicted ``target``.

    For a backdoor, pass the predictions on triggered test images; for a targeted label
    flip, the predictions on clean test images of the source class.

    Examples
    --------
    >>> attack_success_rate([0, 0, 1, 0], [1, 2, 1, 0], target=0)
    0.6666666666666666

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    pred = check_labels(predictions, name="predictions")
    true = check_labels(true_labels, name="true_labels")
    check_same_length(predictions=pred, true_labels=true)
    target = check_int(target, "target", minimum=0)
    other = true != target
    if not other.any():
        raise ValueError(f"every true label is the target {target}: no attack to measure.")
    return float((pred[other] == target).mean())


# --- sanitisers -------------------------------------------------------------------------------


def sanitize_flags(
    X: Any,
    y: Any,
    method: str = "confident_learning",
    *,
    model: Any = None,
    k: int = 10,
    seed: SeedLike = None,
) -> np.ndarray:
    """Flag training rows to remove, with the data-cleaning tools of earlier lessons.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of int, shape (n,)
    method : {"confident_learning", "outliers", "class_outliers", "none"}
        - ``"confident_learning"``: :func:`dcai_course.label_errors.find_label_issues` on
          out-of-sample probabilities of ``model`` (notebook 02);
        - ``"outliers"``: Tukey's fence on the k-NN outlier score of
          :func:`dcai_course.quality.outlier_scores` over all rows (notebook 06);
        - ``"class_outliers"``: the same, computed within each given label (an example
          unlike the others *of its label*);
        - ``"none"``: flag nothing.
    model : classifier with predict_proba, optional
        For confident learning; default logistic regression.
    k : int, default 10
        Neighbours of the outlier scores.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> bool(sanitize_flags(X / 16, y, "outliers").mean() < 0.1)
    True

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    labels = _class_labels(y, "y")
    check_same_length(X=arr, y=labels)
    method = check_choice(method, "method", SANITIZERS)
    k = check_int(k, "k", minimum=1)
    as_rng(seed)  # refuse a bad seed whatever the method
    if method == "none":
        return np.zeros(labels.size, dtype=bool)
    if method == "confident_learning":
        if model is None:
            from sklearn.linear_model import LogisticRegression

            model = LogisticRegression(max_iter=2000)
        probs = label_errors.out_of_sample_pred_probs(model, arr, labels, seed=seed)
        return label_errors.find_label_issues(labels, probs)
    if method == "outliers":
        return quality.flag_outliers(quality.outlier_scores(arr, "knn", k=k))
    flags = np.zeros(labels.size, dtype=bool)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if rows.size > k + 1:
            scores = quality.outlier_scores(arr[rows], "knn", k=k)
            flags[rows] = quality.flag_outliers(scores)
    return flags


def poisoning_experiment(
    model: Any,
    X: Any,
    y: Any,
    *,
    kind: str,
    target: int,
    fraction: float,
    source: int | None = None,
    methods: Any = SANITIZERS,
    seeds: Any = range(5),
    test_size: float = 0.4,
    k: int = 10,
) -> pd.DataFrame:
    """Poison a training split, sanitise it with each method, retrain, measure; per seed.

    ``kind="backdoor"`` plants a trigger (:func:`plant_backdoor`, the default 2×2 patch)
    on a ``fraction`` of the training rows; the attack success rate is measured on the
    triggered test images of the other classes. ``kind="flip"`` relabels a ``fraction``
    of class ``source`` as ``target`` (:func:`flip_labels`); the success rate is the share
    of clean test images of ``source`` predicted ``target``.

    Returns
    -------
    pandas.DataFrame
        One row per seed and method: ``attack_success``, ``clean_accuracy`` (on the clean
        test split), ``poison_removed`` (share of the poison flagged) and
        ``clean_removed`` (share of the clean rows flagged).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> runs = poisoning_experiment(LogisticRegression(max_iter=500), X / 16, y, kind="backdoor",
    ...                             target=0, fraction=0.03, methods=["none"], seeds=[0])
    >>> bool(runs.loc[0, "attack_success"] > 0.5)
    True

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    from sklearn.model_selection import train_test_split

    check_estimator(model, "model")
    X = _finite_2d(X)
    y = _class_labels(y, "y")
    check_same_length(X=X, y=y)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    kind = check_choice(kind, "kind", ("backdoor", "flip"))
    if kind == "flip" and source is None:
        raise ValueError('kind="flip" needs the source class whose labels are flipped.')
    methods = [check_choice(m, "method", SANITIZERS) for m in methods]
    seeds = check_seeds(seeds)
    rows = []
    for seed in seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=test_size, random_state=seed, stratify=y
        )
        if kind == "backdoor":
            X_p, y_p, poison = plant_backdoor(X_tr, y_tr, target, fraction, seed=seed)
            X_eval, y_eval = add_trigger(X_te), y_te
        else:
            y_p, poison = flip_labels(y_tr, source, target, fraction, seed=seed)
            X_p = X_tr
            X_eval, y_eval = X_te[y_te == source], y_te[y_te == source]
        for method in methods:
            flags = sanitize_flags(X_p, y_p, method, k=k, seed=seed)
            fitted = _fitted_seeded(model, X_p[~flags], y_p[~flags], seed)
            rows.append(
                {
                    "seed": seed,
                    "method": method,
                    "attack_success": attack_success_rate(fitted.predict(X_eval), y_eval, target),
                    "clean_accuracy": float(fitted.score(X_te, y_te)),
                    "poison_removed": float(flags[poison].mean()) if poison.any() else 0.0,
                    "clean_removed": float(flags[~poison].mean()),
                }
            )
    return pd.DataFrame(rows)
