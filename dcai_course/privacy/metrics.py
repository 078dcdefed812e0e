"""ROC curves of an attack's scores: :func:`roc_points`, :func:`roc_auc`,
:func:`tpr_at_fpr` and :func:`attack_metrics`.

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_mask,
    check_probability,
    check_same_length,
)

# --- attack metrics ---------------------------------------------------------------------------


def _scores_and_truth(scores: Any, is_member: Any) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(scores)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"scores must be numbers (one per example), got dtype {arr.dtype}.")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(
            "scores contain NaN or infinity; clip probabilities before taking logs "
            "(per_example_loss does)."
        )
    truth = check_mask(
        is_member, "is_member", hint=" Pass e.g. np.r_[np.ones(n), np.zeros(m)] > 0."
    )
    check_same_length(scores=arr, is_member=truth)
    if truth.all() or not truth.any():
        raise ValueError(
            "is_member must contain both members (True) and non-members (False): an attack "
            "is measured by how well it tells them apart."
        )
    return arr, truth


def roc_points(scores: Any, is_member: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve of membership scores: one point per distinct threshold.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Higher = more likely a member.
    is_member : array-like of bool, shape (n,)
        The truth; both values must occur.

    Returns
    -------
    (fpr, tpr, thresholds) : tuple of numpy.ndarray
        Starting at ``(0, 0)`` (threshold ``inf``); the point at threshold ``t`` calls
        every example with ``score >= t`` a member. The same points as
        ``sklearn.metrics.roc_curve(is_member, scores, drop_intermediate=False)``.

    Examples
    --------
    >>> fpr, tpr, _ = roc_points([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    s, truth = _scores_and_truth(scores, is_member)
    order = np.argsort(-s, kind="stable")
    s, truth = s[order], truth[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), s.size - 1]  # last row of each threshold
    tps = np.cumsum(truth)[last]
    fps = (last + 1) - tps
    return (
        np.r_[0.0, fps / (~truth).sum()],
        np.r_[0.0, tps / truth.sum()],
        np.r_[np.inf, s[last]],
    )


def roc_auc(scores: Any, is_member: Any) -> float:
    """Area under the ROC curve of membership scores (0.5 = guessing, 1 = perfect).

    The probability that a random member scores above a random non-member, ties
    counting a half (the trapezoids of :func:`roc_points`).

    Examples
    --------
    >>> roc_auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
    0.75

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    fpr, tpr, _ = roc_points(scores, is_member)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def tpr_at_fpr(scores: Any, is_member: Any, fpr: float = 0.01) -> float:
    """The attack's true-positive rate at a false-positive rate of at most ``fpr``.

    Carlini et al. (S&P 2022): an attack that identifies a few members with confidence
    matters more than one that is slightly better than guessing on everyone, and the AUC
    cannot tell them apart. This is the highest TPR among the ROC points
    (:func:`roc_points`) whose FPR is ``<= fpr``.

    Parameters
    ----------
    scores, is_member : see :func:`roc_points`
    fpr : float in [0, 1], default 0.01
        With ``m`` non-members, an FPR below ``1/m`` allows no false positive at all:
        measure on enough non-members for the rate you report.

    Examples
    --------
    >>> tpr_at_fpr([0.9, 0.8, 0.3, 0.1], [True, False, True, False], fpr=0.0)
    0.5

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    target = check_probability(fpr, "fpr")
    fprs, tprs, _ = roc_points(scores, is_member)
    return float(tprs[fprs <= target + 1e-12].max())


def attack_metrics(scores: Any, is_member: Any, fpr: float = 0.01) -> dict[str, float]:
    """``{"auc": ..., "tpr_at_fpr": ...}`` of membership scores (see :func:`tpr_at_fpr`).

    Examples
    --------
    >>> attack_metrics([0.9, 0.8, 0.3, 0.1], [True, False, True, False], fpr=0.0)
    {'auc': 0.75, 'tpr_at_fpr': 0.5}

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    return {"auc": roc_auc(scores, is_member), "tpr_at_fpr": tpr_at_fpr(scores, is_member, fpr)}
