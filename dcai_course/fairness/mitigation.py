"""Mitigation before training (reweighing, resampling) and after (group thresholds).

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_rng,
    check_choice,
    check_int,
)
from ._checks import _binary, _groups, _scores

#: The constraints :func:`fit_group_thresholds` can equalise, named as in fairlearn.
CONSTRAINTS = ("demographic_parity", "true_positive_rate_parity")


# --- mitigation before training -------------------------------------------------------------


def reweighing_weights(labels: Any, sensitive_features: Any) -> np.ndarray:
    """Kamiran & Calders' reweighing: weight ``P(group) P(label) / P(group, label)``.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 4).

    With these weights the label is statistically independent of the group in the
    weighted training set (every group has the overall base rate), while each group keeps
    its total weight and each label its total weight.

    Parameters
    ----------
    labels : array-like of 0/1
    sensitive_features : array-like

    Returns
    -------
    numpy.ndarray of float, shape (n,)
        Pass as ``sample_weight`` to the model's ``fit``. A (group, label) cell with no
        example gets no weight to give; it raises instead, since no weighting can
        put examples where there are none.

    Examples
    --------
    >>> reweighing_weights([1, 1, 1, 0, 1, 0, 0, 0], ["a"] * 4 + ["b"] * 4).round(3).tolist()
    [0.667, 0.667, 0.667, 2.0, 2.0, 0.667, 0.667, 0.667]
    """
    y = _binary(labels, "labels")
    names, g = _groups(sensitive_features, y.size)
    cell = g * 2 + y
    joint = np.bincount(cell, minlength=2 * names.size).reshape(-1, 2)
    if (joint == 0).any():
        i, label = np.argwhere(joint == 0)[0]
        raise ValueError(
            f"group {names[i]!r} has no example with label {label}: reweighing needs every "
            "(group, label) pair present. Merge small groups or collect such examples."
        )
    expected = np.outer(joint.sum(axis=1), joint.sum(axis=0)) / y.size
    return (expected / joint).ravel()[cell]


def resample_indices(labels: Any, sensitive_features: Any, seed: SeedLike = None) -> np.ndarray:
    """Rows to train on so that every group has the overall base rate (uniform resampling).

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 4).

    Each (group, label) cell is drawn with replacement to the size it would have if the
    label were independent of the group, ``round(n P(group) P(label))``: the same target
    as :func:`reweighing_weights`, reached with whole rows (for models without
    ``sample_weight``).

    Returns
    -------
    numpy.ndarray of int
        Row indices (with repeats), in random order.

    Examples
    --------
    >>> rows = resample_indices([1, 1, 1, 0, 1, 0, 0, 0], ["a"] * 4 + ["b"] * 4, seed=0)
    >>> len(rows)
    8
    """
    y = _binary(labels, "labels")
    weights = reweighing_weights(y, sensitive_features)  # also checks every cell is present
    _, g = _groups(sensitive_features, y.size)
    rng = as_rng(seed)
    cell = g * 2 + y
    out = []
    for c in np.unique(cell):
        rows = np.flatnonzero(cell == c)
        target = round(float(weights[rows[0]]) * rows.size)
        out.append(rng.choice(rows, size=target, replace=True))
    return rng.permutation(np.concatenate(out))


# --- mitigation after training --------------------------------------------------------------


def _selected_counts(sorted_y: list[np.ndarray], grid: np.ndarray, constraint: str) -> np.ndarray:
    """For each group and grid value, how many top-scored examples to select."""
    counts = np.empty((len(sorted_y), grid.size), dtype=np.int64)
    for i, ys in enumerate(sorted_y):
        if constraint == "demographic_parity":
            counts[i] = np.round(grid * ys.size).astype(np.int64)
        else:
            tp = np.cumsum(ys)  # true positives among the top k+1
            need = np.ceil(grid * tp[-1] - 1e-9)
            counts[i] = np.where(need <= 0, 0, np.searchsorted(tp, need) + 1)
    return counts


def fit_group_thresholds(
    y_true: Any,
    y_score: Any,
    sensitive_features: Any,
    constraint: str = "demographic_parity",
    grid_size: int = 1001,
) -> dict[Any, float]:
    """One threshold per group: equal selection (or true positive) rates, best accuracy.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 4).

    For every target rate ``r`` on a grid of ``grid_size`` values in ``[0, 1]``, each
    group selects its top-scored examples until its selection rate (constraint
    ``"demographic_parity"``) or true positive rate (``"true_positive_rate_parity"``)
    reaches ``r``; the ``r`` with the best overall accuracy on these data wins. Fit it on
    data the model was not trained on. This is fairlearn's ``ThresholdOptimizer``
    without its randomisation between two neighbouring thresholds (it can therefore hit
    a rate only up to one example per group).

    Parameters
    ----------
    y_true : array-like of 0/1
    y_score : array-like of float
        The model's score for class 1 (higher: more likely 1).
    sensitive_features : array-like
    constraint : {"demographic_parity", "true_positive_rate_parity"}
    grid_size : int, default 1001

    Returns
    -------
    dict
        ``{group: threshold}``; predict 1 when ``score >= threshold``
        (:func:`apply_group_thresholds`).

    Examples
    --------
    >>> y = [0, 0, 1, 1, 0, 0, 0, 1]
    >>> s = [0.1, 0.4, 0.6, 0.9, 0.2, 0.3, 0.35, 0.5]
    >>> t = fit_group_thresholds(y, s, ["a"] * 4 + ["b"] * 4)
    >>> apply_group_thresholds(s, ["a"] * 4 + ["b"] * 4, t).tolist()
    [0, 0, 0, 1, 0, 0, 0, 1]
    """
    y = _binary(y_true, "y_true")
    score = _scores(y_score, y.size)
    names, g = _groups(sensitive_features, y.size)
    check_choice(constraint, "constraint", CONSTRAINTS)
    grid_size = check_int(grid_size, "grid_size", minimum=2)
    grid = np.linspace(0.0, 1.0, grid_size)
    sorted_scores, sorted_y = [], []
    for i in range(names.size):
        rows = np.flatnonzero(g == i)
        order = np.argsort(-score[rows], kind="stable")
        sorted_scores.append(score[rows][order].astype(float))
        sorted_y.append(y[rows][order])
        if constraint == "true_positive_rate_parity" and sorted_y[-1].sum() == 0:
            raise ValueError(
                f"group {names[i]!r} has no positive example, so its true positive rate is "
                "undefined: use constraint='demographic_parity' or merge small groups."
            )
    counts = _selected_counts(sorted_y, grid, constraint)
    correct = np.zeros(grid.size)
    for i, ys in enumerate(sorted_y):
        tp = np.r_[0, np.cumsum(ys)][counts[i]]
        negatives_kept = (ys.size - ys.sum()) - (counts[i] - tp)
        correct += tp + negatives_kept
    best = int(np.argmax(correct))  # the first (lowest) rate among ties
    thresholds = {}
    for name, s, k in zip(names.tolist(), sorted_scores, counts[:, best].tolist(), strict=True):
        if k == 0:  # select nobody: just above the highest score
            thresholds[name] = float(np.nextafter(s[0], np.inf))
        elif k >= s.size or s[k] == s[k - 1]:  # everybody, or a tie at the cut
            thresholds[name] = float(s[k - 1])
        else:  # halfway between the last selected and the first rejected score
            thresholds[name] = float(s[k - 1] + s[k]) / 2
    return thresholds


def apply_group_thresholds(
    y_score: Any, sensitive_features: Any, thresholds: Mapping
) -> np.ndarray:
    """Decisions ``score >= thresholds[group]`` (0/1 integers).

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 4).

    Examples
    --------
    >>> groups = ["a", "a", "b", "b"]
    >>> apply_group_thresholds([0.2, 0.6, 0.2, 0.6], groups, {"a": 0.5, "b": 0.1}).tolist()
    [0, 1, 1, 1]
    """
    score = _scores(y_score)
    names, g = _groups(sensitive_features, score.size, of="y_score has")
    if not isinstance(thresholds, Mapping):
        raise TypeError("thresholds must be a dict {group: threshold} (fit_group_thresholds).")
    missing = [n for n in names.tolist() if n not in thresholds]
    if missing:
        raise ValueError(
            f"no threshold for group(s) {missing} of sensitive_features: fit the thresholds "
            "on data that holds "
            "every group."
        )
    cut = np.array([float(thresholds[n]) for n in names.tolist()])
    return (score >= cut[g]).astype(np.int64)
