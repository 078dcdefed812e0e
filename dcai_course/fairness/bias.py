"""Bias in the data: group-dependent label noise, and confident learning per group.

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_rng,
    check_pred_probs,
    check_probability,
)
from ._checks import _binary, _groups

# --- bias in the data -----------------------------------------------------------------------


def _check_rates(rates: Any, names: np.ndarray) -> dict[Any, tuple[float, float]]:
    if not isinstance(rates, Mapping):
        raise TypeError(
            "flip_rates must be a dict {group: (rate 1->0, rate 0->1)}, e.g. "
            "{'Female': (0.3, 0.0)}; got " + type(rates).__name__ + "."
        )
    out = {}
    known = set(names.tolist())
    for group, pair in rates.items():
        if group not in known:
            raise ValueError(
                f"flip_rates names group {group!r}, which is not in sensitive_features "
                f"(groups: {sorted(known)})."
            )
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            raise ValueError(
                f"flip_rates[{group!r}] must be a pair (rate 1->0, rate 0->1), got {pair!r}."
            )
        out[group] = (
            check_probability(pair[0], f"flip_rates[{group!r}][0]"),
            check_probability(pair[1], f"flip_rates[{group!r}][1]"),
        )
    return out


def inject_group_noise(
    labels: Any,
    sensitive_features: Any,
    flip_rates: Mapping[Any, tuple[float, float]],
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Flip binary labels at rates that depend on the group.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 3).

    Parameters
    ----------
    labels : array-like of 0/1
    sensitive_features : array-like
        The group of each example.
    flip_rates : dict
        ``{group: (p10, p01)}``: in that group, each label 1 becomes 0 with probability
        ``p10`` and each label 0 becomes 1 with probability ``p01``. Groups not named keep
        their labels. ``{"Female": (0.3, 0.0)}`` mimics a history in which women's high
        incomes were under-recorded.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    (noisy_labels, flipped) : tuple of numpy.ndarray
        The new labels and the boolean mask of the flipped examples.

    Examples
    --------
    >>> groups = ["a"] * 3 + ["b"] * 3
    >>> noisy, flipped = inject_group_noise([1] * 6, groups, {"a": (1.0, 0.0)}, seed=0)
    >>> noisy.tolist(), int(flipped.sum())
    ([0, 0, 0, 1, 1, 1], 3)
    """
    y = _binary(labels, "labels")
    names, g = _groups(sensitive_features, y.size)
    rates = _check_rates(flip_rates, names)
    p10 = np.zeros(names.size)
    p01 = np.zeros(names.size)
    for group, (a, b) in rates.items():
        i = int(np.searchsorted(names, group))
        p10[i], p01[i] = a, b
    draw = as_rng(seed).random(y.size)
    flipped = np.where(y == 1, draw < p10[g], draw < p01[g])
    return np.where(flipped, 1 - y, y), flipped


def find_label_issues_by_group(
    labels: Any, pred_probs: Any, sensitive_features: Any, **kwargs: Any
) -> np.ndarray:
    """Confident learning run separately inside each group.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 3).

    Confident learning estimates one noise rate per class from per-class thresholds
    (:func:`dcai_course.label_errors.find_label_issues`). When the noise rate differs
    by group, pooled thresholds and counts mix a noisy group with a clean one; running
    the method inside each group gives each its own thresholds and its own estimate of
    how many labels to flag.

    Parameters
    ----------
    labels : array-like of 0/1
    pred_probs : array-like of shape (n, 2)
        Out-of-sample probabilities (:func:`dcai_course.label_errors.out_of_sample_pred_probs`).
    sensitive_features : array-like
    **kwargs
        Passed to :func:`~dcai_course.label_errors.find_label_issues` (``filter_by``, ...).

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> labels = [0, 0, 0, 1, 1, 1] * 2
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.1, 0.9], [0.15, 0.85]] * 2
    >>> np.flatnonzero(find_label_issues_by_group(labels, probs, ["a"] * 6 + ["b"] * 6)).tolist()
    [2, 8]
    """
    from ..label_errors import find_label_issues

    y = _binary(labels, "labels")
    probs = check_pred_probs(pred_probs, y.size)
    _, g = _groups(sensitive_features, y.size)
    flags = np.zeros(y.size, dtype=bool)
    for i in np.unique(g):
        rows = np.flatnonzero(g == i)
        flags[rows] = find_label_issues(y[rows], probs[rows], **kwargs)
    return flags
