"""Fairness and bias in data: group metrics, reweighing, resampling, group thresholds.

Binary decisions (label 1 = the favourable outcome, e.g. "income above $50K") and one
sensitive attribute (``sex``, ``race``, or any array of group names):

* **measuring**: :func:`group_metrics` (per-group selection rate, true/false positive
  rates, accuracy, base rate and calibration), :func:`demographic_parity_difference`,
  :func:`demographic_parity_ratio`, :func:`equalized_odds_difference` and
  :func:`fairness_report`. They equal ``fairlearn.metrics.MetricFrame`` and its
  difference/ratio functions on the same inputs, including fairlearn's convention that
  a rate whose denominator is empty (a group with no positive example) is 0;
* **bias in the data**: :func:`inject_group_noise` (label noise whose rate depends on the
  group) and :func:`find_label_issues_by_group` (confident learning,
  :func:`dcai_course.label_errors.find_label_issues`, run inside each group);
* **mitigation before training**: :func:`reweighing_weights` (Kamiran & Calders 2012)
  and :func:`resample_indices` (the same target, reached by sampling rows);
* **mitigation after training**: :func:`fit_group_thresholds` and
  :func:`apply_group_thresholds`, one decision threshold per group chosen to equalise
  selection rates (demographic parity) or true positive rates (equal opportunity) at
  the best overall accuracy; the deterministic counterpart of fairlearn's
  ``ThresholdOptimizer``.

:func:`adult_fairness_data` and :func:`compare_mitigations` are the notebook's
experiment plumbing; :func:`plot_tradeoff` draws its accuracy/fairness plane.

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_choice,
    check_int,
    check_labels,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_seeds,
)

__all__ = [
    "CONSTRAINTS",
    "MITIGATIONS",
    "adult_fairness_data",
    "adult_split",
    "apply_group_thresholds",
    "compare_mitigations",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "fairness_report",
    "find_label_issues_by_group",
    "fit_group_thresholds",
    "group_metrics",
    "group_noise_experiment",
    "inject_group_noise",
    "plot_tradeoff",
    "resample_indices",
    "reweighing_weights",
]

#: The constraints :func:`fit_group_thresholds` can equalise, named as in fairlearn.
CONSTRAINTS = ("demographic_parity", "true_positive_rate_parity")

#: The methods :func:`compare_mitigations` runs, by training stage.
MITIGATIONS = (
    "baseline",
    "reweighing",
    "resampling",
    "exponentiated_gradient",
    "group_thresholds",
)


# --- input checks ---------------------------------------------------------------------------


def _binary(values: Any, name: str) -> np.ndarray:
    arr = check_labels(values, None, name=name)
    if arr.max() > 1:
        raise ValueError(
            f"{name} must be binary, 0 or 1 (1 = the favourable outcome), but it holds "
            f"{int(arr.max())}. Encode the outcome first, e.g. (income == '>50K').astype(int)."
        )
    return arr


def _groups(sensitive_features: Any, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The sorted group names and each row's group index."""
    if isinstance(sensitive_features, pd.DataFrame):
        raise TypeError(
            "sensitive_features must be one column (a 1-D array or Series of group names), "
            "got a DataFrame. Pick a column, e.g. df['sex'], or combine two columns into one "
            "first (df['sex'] + '/' + df['race'])."
        )
    arr = np.asarray(sensitive_features)
    if arr.ndim != 1:
        raise ValueError(
            f"sensitive_features must be 1-D (one group name per row), got shape {arr.shape}."
        )
    if n is not None and arr.size != n:
        raise ValueError(
            f"sensitive_features has {arr.size} entries but the labels have {n}: there must "
            "be one group name per example."
        )
    if arr.size == 0:
        raise ValueError("sensitive_features is empty: there are no examples to measure.")
    if pd.isna(arr).any():
        bad = int(np.flatnonzero(pd.isna(arr))[0])
        raise ValueError(
            f"sensitive_features has a missing value (first at row {bad}); give missing "
            "group membership its own name (e.g. 'unknown') or drop those rows."
        )
    names, index = np.unique(arr, return_inverse=True)
    return names, index.ravel()


def _weights(sample_weight: Any, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "fiu" or w.ndim != 1 or w.size != n:
        raise ValueError(
            f"sample_weight must be a 1-D array of {n} non-negative numbers, one per example; "
            f"got dtype {w.dtype}, shape {w.shape}."
        )
    w = w.astype(float)
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must be finite and non-negative.")
    return w


def _rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0 (fairlearn's and scikit-learn's convention)."""
    out = np.zeros_like(num, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


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
        score = np.asarray(y_score, dtype=float)
        if score.shape != y.shape or not np.isfinite(score).all():
            raise ValueError(
                f"y_score must be a finite 1-D array of {y.size} probabilities of class 1 "
                f"(predict_proba(X)[:, 1]), got shape {score.shape}."
            )
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
    rates = group_metrics(
        y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
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
    rates = group_metrics(
        y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
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
    table = group_metrics(
        y_true, y_pred, sensitive_features=sensitive_features, sample_weight=sample_weight
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
    table = group_metrics(y_true, y_pred, sensitive_features=sensitive_features)
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
    from .label_errors import find_label_issues

    y = _binary(labels, "labels")
    probs = check_pred_probs(pred_probs, y.size)
    _, g = _groups(sensitive_features, y.size)
    flags = np.zeros(y.size, dtype=bool)
    for i in np.unique(g):
        rows = np.flatnonzero(g == i)
        flags[rows] = find_label_issues(y[rows], probs[rows], **kwargs)
    return flags


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
    score = np.asarray(y_score)
    if score.dtype.kind not in "fiu" or score.shape != y.shape or not np.isfinite(score).all():
        raise ValueError(
            f"y_score must be a finite 1-D array of {y.size} scores for class 1 "
            f"(e.g. predict_proba(X)[:, 1]), got shape {score.shape}, dtype {score.dtype}."
        )
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
    score = np.asarray(y_score, dtype=float)
    names, g = _groups(sensitive_features, score.size)
    if not isinstance(thresholds, Mapping):
        raise TypeError("thresholds must be a dict {group: threshold} (fit_group_thresholds).")
    missing = [n for n in names.tolist() if n not in thresholds]
    if missing:
        raise ValueError(
            f"no threshold for group(s) {missing}: fit the thresholds on data that holds "
            "every group."
        )
    cut = np.array([float(thresholds[n]) for n in names.tolist()])
    return (score >= cut[g]).astype(np.int64)


# --- the notebook's experiment --------------------------------------------------------------


def adult_fairness_data() -> tuple[pd.DataFrame, np.ndarray]:
    """UCI Adult, both files pooled (48,842 people), and the label ``income > $50K``.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 1).

    Returns
    -------
    (frame, y) : tuple
        The cleaned rows (:func:`dcai_course.datasets.load_adult`) and 0/1 labels.
    """
    from .datasets import load_adult

    frame = pd.concat([load_adult("train"), load_adult("test")], ignore_index=True)
    return frame, (frame["income"] == ">50K").to_numpy(dtype=np.int64)


def _model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(solver="liblinear", max_iter=200)


def adult_split(
    frame: pd.DataFrame,
    y: np.ndarray,
    attribute: str,
    seed: SeedLike,
    n_train: int = 10_000,
    n_valid: int = 0,
    n_test: int = 10_000,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A stratified train/(valid)/test draw of Adult, as model features.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 2).

    The preprocessor (:func:`~dcai_course.datasets.adult_preprocessor`) is fitted on the
    training rows only.

    Returns
    -------
    dict
        ``{"train": (X, y, groups), "test": (X, y, groups)}``, plus ``"valid"`` when
        ``n_valid > 0``; ``groups`` is the ``attribute`` column of those rows.
    """
    from sklearn.model_selection import train_test_split

    from .datasets import adult_preprocessor

    if attribute not in frame.columns:
        raise ValueError(
            f"attribute {attribute!r} is not a column of the data (try 'sex' or 'race')."
        )
    n_train = check_int(n_train, "n_train", minimum=100)
    n_valid = check_int(n_valid, "n_valid", minimum=0)
    n_test = check_int(n_test, "n_test", minimum=100)
    if n_train + n_valid + n_test > len(y):
        raise ValueError(f"n_train + n_valid + n_test must be at most {len(y)} rows.")
    rng = as_rng(seed)
    idx = np.arange(len(y))
    train, rest = train_test_split(
        idx, train_size=n_train, random_state=as_random_state(rng), stratify=y
    )
    test, rest = train_test_split(
        rest, train_size=n_test, random_state=as_random_state(rng), stratify=y[rest]
    )
    parts = {"train": train, "test": test}
    if n_valid:
        parts["valid"] = rest[rng.permutation(rest.size)[:n_valid]]
    pre = adult_preprocessor().fit(frame.iloc[train])
    groups = frame[attribute].to_numpy()
    return {
        k: (pre.transform(frame.iloc[rows]), y[rows], groups[rows]) for k, rows in parts.items()
    }


def _one_mitigation_seed(frame, y, attribute, seed, n_train, n_eg, eg_iter):
    from fairlearn.reductions import EqualizedOdds, ExponentiatedGradient

    rng = as_rng(seed)
    split = adult_split(frame, y, attribute, rng, n_train, n_train // 2, n_train)
    X = {k: v[0] for k, v in split.items()}
    a = {k: v[2] for k, v in split.items()}
    y_tr, y_va, y_te = split["train"][1], split["valid"][1], split["test"][1]
    rows = []

    def record(method, stage, pred):
        rows.append({"seed": seed, "method": method, "stage": stage,
                     **fairness_report(y_te, pred, sensitive_features=a["test"])})  # fmt: skip

    base = _model().fit(X["train"], y_tr)
    record("baseline", "none", base.predict(X["test"]))
    weights = reweighing_weights(y_tr, a["train"])
    record(
        "reweighing",
        "before",
        _model().fit(X["train"], y_tr, sample_weight=weights).predict(X["test"]),
    )
    keep = resample_indices(y_tr, a["train"], seed=rng)
    record("resampling", "before", _model().fit(X["train"][keep], y_tr[keep]).predict(X["test"]))
    sub = rng.choice(y_tr.size, size=min(n_eg, y_tr.size), replace=False)
    eg = ExponentiatedGradient(_model(), EqualizedOdds(), eps=0.02, max_iter=eg_iter)
    with warnings.catch_warnings():  # fairlearn 0.15 warns about pandas 3 deprecations
        warnings.simplefilter("ignore")
        eg.fit(X["train"][sub], y_tr[sub], sensitive_features=a["train"][sub])
        pred = eg.predict(X["test"], random_state=as_random_state(rng))
    record("exponentiated_gradient", "during", pred)
    thresholds = fit_group_thresholds(
        y_va, base.predict_proba(X["valid"])[:, 1], a["valid"], "true_positive_rate_parity"
    )
    scores = base.predict_proba(X["test"])[:, 1]
    record("group_thresholds", "after", apply_group_thresholds(scores, a["test"], thresholds))
    return rows


def compare_mitigations(
    seeds: Any,
    attribute: str = "sex",
    n_train: int = 10_000,
    n_eg: int = 5_000,
    eg_iter: int = 15,
    data: tuple[pd.DataFrame, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Accuracy and fairness of a baseline and of one mitigation at each stage, per seed.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 5).

    Each seed draws its own stratified split of pooled Adult: ``n_train`` rows to train,
    ``n_train // 2`` to fit the group thresholds, ``n_train`` to test. The model is
    logistic regression on :func:`~dcai_course.datasets.adult_preprocessor` features.
    Methods (:data:`MITIGATIONS`): the baseline; reweighing and resampling (before
    training); fairlearn's ``ExponentiatedGradient`` with an equalized-odds constraint
    on an ``n_eg``-row subsample with ``eg_iter`` iterations (during); the baseline with
    per-group thresholds equalising true positive rates (after).

    Returns
    -------
    pandas.DataFrame
        One row per (seed, method): ``accuracy``, ``dp_difference``, ``dp_ratio``,
        ``eo_difference`` on the seed's test split.
    """
    seeds = check_seeds(seeds)
    frame, y = adult_fairness_data() if data is None else data
    n_train = check_int(n_train, "n_train", minimum=100, maximum=len(y) // 3)
    n_eg = check_int(n_eg, "n_eg", minimum=100)
    eg_iter = check_int(eg_iter, "eg_iter", minimum=1)
    rows = []
    for seed in seeds:
        rows += _one_mitigation_seed(frame, y, attribute, seed, n_train, n_eg, eg_iter)
    return pd.DataFrame(rows)


def _flag_scores(flags: np.ndarray, flipped: np.ndarray, in_group: np.ndarray) -> dict[str, float]:
    inside = flags & in_group
    return {
        "flagged_in_group": int(inside.sum()),
        "precision_in_group": float((inside & flipped).sum() / max(inside.sum(), 1)),
        "recall": float((flags & flipped).sum() / max(flipped.sum(), 1)),
    }


def group_noise_experiment(
    seeds: Any,
    flip_rates: Mapping[Any, tuple[float, float]],
    attribute: str = "sex",
    n_train: int = 10_000,
    data: tuple[pd.DataFrame, np.ndarray] | None = None,
) -> pd.DataFrame:
    """What group-dependent label noise does to a model, and how confident learning finds it.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 3).

    For each seed: a fresh Adult split (:func:`adult_split`, ``n_train`` rows each to
    train and test), the training labels flipped with :func:`inject_group_noise`, and
    logistic regression trained on clean labels, on noisy labels, and on the noisy
    labels without the rows flagged by confident learning, pooled
    (:func:`dcai_course.label_errors.find_label_issues`) or per group
    (:func:`find_label_issues_by_group`), both on the same 5-fold out-of-sample
    probabilities. The noisy group is the first group named in ``flip_rates``.

    Returns
    -------
    pandas.DataFrame
        One row per (seed, training set): ``accuracy``, ``eo_difference``,
        ``dp_difference``, the noisy group's test ``tpr_group``, and for the two cleaned
        sets ``flagged_in_group``, ``precision_in_group`` (share of the group's flags that
        are real flips) and ``recall`` (share of the flips flagged).
    """
    from .label_errors import find_label_issues, out_of_sample_pred_probs

    seeds = check_seeds(seeds)
    frame, y = adult_fairness_data() if data is None else data
    rows = []
    for seed in seeds:
        rng = as_rng(seed)
        split = adult_split(frame, y, attribute, rng, n_train, 0, n_train)
        X, y_tr, a_tr = split["train"]
        X_te, y_te, a_te = split["test"]
        noisy, flipped = inject_group_noise(y_tr, a_tr, flip_rates, seed=rng)
        group = next(iter(flip_rates))
        probs = out_of_sample_pred_probs(_model(), X, noisy, seed=rng)
        flags = {
            "pooled": find_label_issues(noisy, probs),
            "per group": find_label_issues_by_group(noisy, probs, a_tr),
        }
        sets = {
            "clean labels": (np.ones(y_tr.size, bool), y_tr),
            "noisy labels": (np.ones(y_tr.size, bool), noisy),
        }
        sets |= {f"cleaned, {k}": (~f, noisy) for k, f in flags.items()}
        for name, (keep, labels) in sets.items():
            pred = _model().fit(X[keep], labels[keep]).predict(X_te)
            table = group_metrics(y_te, pred, sensitive_features=a_te)
            row = {"seed": seed, "training": name,
                   **fairness_report(y_te, pred, sensitive_features=a_te),
                   "tpr_group": float(table.loc[group, "true_positive_rate"])}  # fmt: skip
            if name.startswith("cleaned"):
                row |= _flag_scores(flags[name.split(", ")[1]], flipped, a_tr == group)
            rows.append(row)
    return pd.DataFrame(rows)


def plot_tradeoff(table: pd.DataFrame, fairness: str = "eo_difference", ax: Any = None) -> Any:
    """Accuracy against a fairness gap: one dot per seed, a cross at each method's mean.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 5). Lower gap and higher
    accuracy is better: the good corner is the top left.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    missing = {"method", "accuracy", fairness} - set(table.columns)
    if missing:
        raise ValueError(
            f"table lacks column(s) {sorted(missing)}: pass compare_mitigations' output."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.5))
    for i, (method, part) in enumerate(table.groupby("method", sort=False)):
        color = f"C{i}"
        ax.scatter(part[fairness], part["accuracy"], color=color, alpha=0.35, s=18)
        ax.scatter(part[fairness].mean(), part["accuracy"].mean(), color=color, marker="X",
                   s=120, edgecolor="black", label=method)  # fmt: skip
    ax.set_xlabel(fairness.replace("_", " ") + " (lower is fairer)")
    ax.set_ylabel("test accuracy")
    ax.set_title("Accuracy against fairness, per seed (x: mean over seeds)")
    ax.legend(fontsize=8)
    return ax
