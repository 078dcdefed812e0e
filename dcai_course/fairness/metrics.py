"""Measuring: per-group rates and the gaps between groups (equal to fairlearn's).

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_same_length,
)
from ._checks import _between_groups, _binary, _groups, _rate, _scores, _weights

# --- measuring ------------------------------------------------------------------------------


def group_metrics(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    y_score: Any = None,
    sample_weight: Any = None,
) -> pd.DataFrame:
    """Per-group rates of a binary classifier, one row per group.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 2).

    Parameters
    ----------
    y_true, y_pred : array-like of 0/1, shape (n,)
        True labels and decisions (1 = the favourable outcome).
    sensitive_features : array-like, shape (n,)
        The group of each example (strings or numbers).
    y_score : array-like of float in [0, 1], optional
        The model's probability of class 1; adds the calibration columns.
    sample_weight : array-like, optional

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted, as fairlearn does) with ``count``, ``base_rate``
        (share of true 1s), ``selection_rate`` (share of predicted 1s),
        ``true_positive_rate``, ``false_positive_rate``, ``accuracy``; with ``y_score``
        also ``mean_score`` and ``calibration_gap`` (mean score minus base rate: positive
        when the model over-predicts the group). A rate with no example in its
        denominator is 0, as in fairlearn.

    Examples
    --------
    >>> table = group_metrics([1, 0, 1, 0], [1, 1, 0, 0], sensitive_features=["a", "a", "b", "b"])
    >>> table["selection_rate"].tolist(), table["true_positive_rate"].tolist()
    ([1.0, 0.0], [1.0, 0.0])
    """
    y = _binary(y_true, "y_true")
    pred = _binary(y_pred, "y_pred")
    check_same_length(y_true=y, y_pred=pred)
    names, g = _groups(sensitive_features, y.size)
    w = _weights(sample_weight, y.size)
    k = names.size

    def total(mask: np.ndarray) -> np.ndarray:
        return np.bincount(g, weights=w * mask, minlength=k)

    size, pos, neg = total(np.ones(y.size)), total(y == 1), total(y == 0)
    table = pd.DataFrame(
        {
            "count": np.bincount(g, minlength=k),
            "base_rate": _rate(pos, size),
            "selection_rate": _rate(total(pred == 1), size),
            "true_positive_rate": _rate(total((pred == 1) & (y == 1)), pos),
            "false_positive_rate": _rate(total((pred == 1) & (y == 0)), neg),
            "accuracy": _rate(total(pred == y), size),
        },
        index=pd.Index(names, name="group"),
    )
    if y_score is not None:
        score = _scores(y_score, y.size)
        if (score < 0).any() or (score > 1).any():
            raise ValueError("y_score must hold probabilities in [0, 1], not raw scores.")
        table["mean_score"] = _rate(total(score), size)
        table["calibration_gap"] = table["mean_score"] - table["base_rate"]
    return table


def demographic_parity_difference(
    y_true: Any, y_pred: Any, *, sensitive_features: Any, sample_weight: Any = None
) -> float:
    """Largest minus smallest group selection rate (0: every group selected equally often).

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 2). Equals
    ``fairlearn.metrics.demographic_parity_difference``.

    Examples
    --------
    >>> demographic_parity_difference([1, 0, 1, 0], [1, 1, 1, 0], sensitive_features=[0, 0, 1, 1])
    0.5
    """
    rates = _between_groups(
        group_metrics(
            y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
        )
    )["selection_rate"]
    return float(rates.max() - rates.min())


def demographic_parity_ratio(
    y_true: Any, y_pred: Any, *, sensitive_features: Any, sample_weight: Any = None
) -> float:
    """Smallest over largest group selection rate (1: parity; the "80% rule" asks >= 0.8).

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 2). Equals
    ``fairlearn.metrics.demographic_parity_ratio``; 0 when no group is ever selected.

    Examples
    --------
    >>> demographic_parity_ratio([1, 0, 1, 0], [1, 1, 1, 0], sensitive_features=[0, 0, 1, 1])
    0.5
    """
    rates = _between_groups(
        group_metrics(
            y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
        )
    )["selection_rate"]
    return float(rates.min() / rates.max()) if rates.max() > 0 else 0.0


def equalized_odds_difference(
    y_true: Any, y_pred: Any, *, sensitive_features: Any, sample_weight: Any = None
) -> float:
    """The larger of the between-group gaps in true positive rate and false positive rate.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 2). Equals
    ``fairlearn.metrics.equalized_odds_difference`` (``agg="worst_case"``).

    Examples
    --------
    >>> equalized_odds_difference([1, 0, 1, 0], [1, 1, 0, 0], sensitive_features=[0, 0, 1, 1])
    1.0
    """
    table = _between_groups(
        group_metrics(
            y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
        )
    )
    tpr, fpr = table["true_positive_rate"], table["false_positive_rate"]
    return float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min()))


def fairness_report(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> dict[str, float]:
    """Accuracy and the three gaps in one dictionary (one row of a comparison table).

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 5).

    Examples
    --------
    >>> fairness_report([1, 0, 1, 0], [1, 1, 0, 0], sensitive_features=[0, 0, 1, 1])
    {'accuracy': 0.5, 'dp_difference': 1.0, 'dp_ratio': 0.0, 'eo_difference': 1.0}
    """
    table = _between_groups(group_metrics(y_true, y_pred, sensitive_features=sensitive_features))
    sel, tpr, fpr = (
        table[c] for c in ("selection_rate", "true_positive_rate", "false_positive_rate")
    )
    y, pred = np.asarray(y_true), np.asarray(y_pred)
    return {
        "accuracy": float((y == pred).mean()),
        "dp_difference": float(sel.max() - sel.min()),
        "dp_ratio": float(sel.min() / sel.max()) if sel.max() > 0 else 0.0,
        "eo_difference": float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min())),
    }
