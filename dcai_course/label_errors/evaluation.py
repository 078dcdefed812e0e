"""Evaluating a detector of label errors: against a known truth, by retraining, by plots.

Taught in: notebooks/02_confident_learning.ipynb (sections 5 to 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .._validation import (
    check_eval_data,
    check_finite_array,
    check_fit_data,
    check_float,
    check_labels_within,
    check_mask,
    check_positive,
    check_same_length,
    check_seeds,
    check_training_labels,
)
from .core import FILTER_BY, find_label_issues, out_of_sample_pred_probs

__all__ = [
    "cleaning_experiment",
    "detection_scores",
    "detection_table",
    "plot_noise_matrix",
    "retraining_table",
]


# --- evaluation against a known truth, and plots ------------------------------------------


def _check_flags(
    flags: Any, name: str, n: int | None = None, against: str = "the labels"
) -> np.ndarray:
    arr = check_mask(flags, name)
    if n is not None and arr.size != n:
        raise ValueError(
            f"{name} has {arr.size} entries, expected {n} (one per example, as {against})."
        )
    return arr


def _check_masks_mapping(issue_masks: Any, *, allow_empty: bool = False) -> None:
    if not isinstance(issue_masks, Mapping):
        raise TypeError(
            "issue_masks must be a dict {method name: boolean mask}, got "
            f"{type(issue_masks).__name__}; e.g. {{'confident learning': flags}}."
        )
    if not issue_masks and not allow_empty:
        raise ValueError("issue_masks is empty: give at least one {name: mask}.")


def detection_scores(is_issue: Any, is_flipped: Any) -> dict[str, float]:
    """How well a detector of label errors finds the truly corrupted labels.

    Taught in: notebooks/02_confident_learning.ipynb (section 6).

    Parameters
    ----------
    is_issue : array-like of bool, shape (n,)
        The detector's flags.
    is_flipped : array-like of bool, shape (n,)
        The truth: which labels were corrupted.

    Returns
    -------
    dict
        ``flagged`` (number of flags), ``precision`` (fraction of flags that are true
        errors), ``recall`` (fraction of true errors flagged) and ``f1`` (their harmonic
        mean). A ratio whose denominator is zero is reported as 0.

    Examples
    --------
    >>> detection_scores([True, True, False, False], [True, False, True, False])
    {'flagged': 2, 'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    """
    flags = _check_flags(is_issue, "is_issue")
    truth = _check_flags(is_flipped, "is_flipped")
    check_same_length(is_issue=flags, is_flipped=truth)
    hits = int(np.count_nonzero(flags & truth))
    n_flags, n_true = int(flags.sum()), int(truth.sum())
    precision = hits / n_flags if n_flags else 0.0
    recall = hits / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"flagged": n_flags, "precision": precision, "recall": recall, "f1": f1}


def detection_table(issue_masks: Mapping[str, Any], is_flipped: Any) -> pd.DataFrame:
    """:func:`detection_scores` of several detectors, one row each (index: the method).

    Taught in: notebooks/02_confident_learning.ipynb (section 6).

    Examples
    --------
    >>> detection_table({"a": [True, False], "b": [True, True]}, [True, False])
            flagged  precision  recall        f1
    method
    a             1        1.0     1.0  1.000000
    b             2        0.5     1.0  0.666667
    """
    _check_masks_mapping(issue_masks)
    truth = _check_flags(is_flipped, "is_flipped")
    masks = {
        name: _check_flags(flags, f"issue_masks[{name!r}]", truth.size, "is_flipped")
        for name, flags in issue_masks.items()
    }
    rows = {name: detection_scores(flags, truth) for name, flags in masks.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("method")


def retraining_table(
    model: Any,
    X_train: Any,
    given_labels: Any,
    X_test: Any,
    y_test: Any,
    issue_masks: Mapping[str, Any],
    true_labels: Any = None,
) -> pd.DataFrame:
    """Clean-test accuracy of ``model`` trained on noisy, cleaned and (optionally) true labels.

    Taught in: notebooks/02_confident_learning.ipynb (section 7).

    One row for the given labels, one per detector in ``issue_masks`` (its flagged
    training examples removed) and, when ``true_labels`` is given, one for the oracle.
    ``gap closed`` is the fraction of the oracle's lead over the noisy model that the
    cleaned model wins back. The test split is never touched.

    Returns
    -------
    pandas.DataFrame
        Columns ``training examples``, ``test accuracy`` and, with ``true_labels``,
        ``gap closed``.
    """
    X_train, y = check_fit_data(
        model, X_train, given_labels, X_name="X_train", y_name="given_labels"
    )
    X_test, y_test = check_eval_data(
        X_test, y_test, y, X_name="X_test", y_name="y_test", train_name="given_labels"
    )
    _check_masks_mapping(issue_masks, allow_empty=True)
    X_train = np.asarray(X_train)

    def score(X_fit, y_fit):
        return float(clone(model).fit(X_fit, y_fit).score(X_test, y_test))

    rows = {"noisy labels": (y.size, score(X_train, y))}
    for name, flags in issue_masks.items():
        keep = ~_check_flags(flags, f"issue_masks[{name!r}]", y.size)
        rows[f"cleaned: {name}"] = (int(keep.sum()), score(X_train[keep], y[keep]))
    if true_labels is not None:
        truth = check_training_labels(true_labels, "true_labels")
        check_same_length(given_labels=y, true_labels=truth)
        check_labels_within(truth, "true_labels", given_labels=y)
        rows["true labels (oracle)"] = (y.size, score(X_train, truth))
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=["training examples", "test accuracy"]
    ).rename_axis("training labels")
    if true_labels is not None:
        noisy = table.loc["noisy labels", "test accuracy"]
        oracle = table.loc["true labels (oracle)", "test accuracy"]
        gap = oracle - noisy
        table["gap closed"] = (table["test accuracy"] - noisy) / gap if gap else np.nan
    return table


def _one_seed(model, X, y, noise_matrix, seed, test_size, retrain) -> pd.DataFrame:
    from sklearn.model_selection import train_test_split

    from ..noise import inject_label_noise

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    noisy, flipped = inject_label_noise(y_train, noise_matrix, seed=seed)
    probs = out_of_sample_pred_probs(model, X_train, noisy, cv=5, seed=seed)
    masks = {m: find_label_issues(noisy, probs, filter_by=m) for m in FILTER_BY}
    table = detection_table(masks, flipped)
    if retrain:
        scores = retraining_table(model, X_train, noisy, X_test, y_test, masks, y_train)
        cleaned = scores.loc[[f"cleaned: {m}" for m in FILTER_BY]].set_axis(list(FILTER_BY))
        table = table.join(cleaned[["test accuracy", "gap closed"]])
        table["noisy accuracy"] = scores.loc["noisy labels", "test accuracy"]
        table["oracle accuracy"] = scores.loc["true labels (oracle)", "test accuracy"]
    return table.reset_index().assign(seed=seed)


def cleaning_experiment(
    model: Any,
    X: Any,
    y: Any,
    noise_matrix: Any,
    seeds: Any = range(5),
    *,
    test_size: float = 0.3,
    retrain: bool = True,
    progress: bool = False,
) -> pd.DataFrame:
    """The detect-then-retrain experiment of notebook 02, repeated over seeds.

    Each seed draws its own stratified train/test split (``random_state=seed``), its own
    label noise in the training split (:func:`dcai_course.noise.inject_label_noise`),
    its own cross-validation folds for the out-of-sample probabilities, then flags
    label issues with every method of ``FILTER_BY`` and scores them against the
    injected truth; with ``retrain=True`` it also retrains ``model`` without the
    flagged examples (:func:`retraining_table`). The test split is never touched.

    Taught in: notebooks/02_confident_learning.ipynb (section 7).

    Parameters
    ----------
    model : scikit-learn classifier with ``predict_proba``
    X : array-like of shape (n, d)
    y : array-like of int, shape (n,)
        True labels.
    noise_matrix : array-like of shape (K, K)
        ``noise_matrix[true, given]``, rows sum to 1.
    seeds : iterable of int, default range(5)
    test_size : float, default 0.3
    retrain : bool, default True
    progress : bool, default False
        Show a progress bar over seeds.

    Returns
    -------
    pandas.DataFrame
        One row per seed and method: ``seed``, ``method``, ``flagged``,
        ``precision``, ``recall``, ``f1`` and, with ``retrain``, ``test accuracy``,
        ``gap closed``, ``noisy accuracy`` and ``oracle accuracy``.
    """
    from tqdm.auto import tqdm

    X, y = check_fit_data(model, X, y, proba=True)
    X = np.asarray(X)
    seeds = check_seeds(seeds)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    from ..noise import validate_noise_matrix

    validate_noise_matrix(noise_matrix, int(y.max()) + 1)
    runs = [
        _one_seed(model, X, y, noise_matrix, int(seed), test_size, retrain)
        for seed in tqdm(seeds, disable=not progress, desc="seeds")
    ]
    table = pd.concat(runs, ignore_index=True)
    return table[["seed", *[c for c in table.columns if c != "seed"]]]


def plot_noise_matrix(
    matrix: Any,
    ax=None,
    *,
    title: str | None = None,
    class_names: Any = None,
    annotate: bool | None = None,
    vmax: float = 1.0,
    gamma: float = 1.0,
    colorbar: bool = True,
):
    """Heatmap of a noise matrix in the course convention (rows: true class, columns: given).

    Taught in: notebooks/02_confident_learning.ipynb (section 5).

    Parameters
    ----------
    matrix : array-like of shape (K, K)
    ax : matplotlib Axes, optional
    title : str, optional
    class_names : sequence of str, optional
        Tick labels (default ``0..K-1``).
    annotate : bool, optional
        Write each off-diagonal value of at least 0.01 in its cell (default: when K <= 12).
    vmax : float, default 1.0
        Top of the colour scale. Values above it are drawn in the top colour (clipped);
        keep 1.0 to show every cell of a noise matrix truthfully.
    gamma : float, default 1.0
        Below 1, a power-law colour scale (``PowerNorm``) that brightens small values,
        e.g. 0.5 to see noise rates of a few percent next to a diagonal near 1.
    colorbar : bool, default True
        Draw a colour bar that maps colours to probabilities.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    values = check_finite_array(matrix, "matrix", ndim=2)
    if values.shape[0] != values.shape[1] or values.shape[0] < 2:
        raise ValueError(f"matrix must be square (K, K) with K >= 2, got shape {values.shape}.")
    if (values < 0).any():
        raise ValueError("matrix must be non-negative (probabilities or counts).")
    vmax = check_positive(vmax, "vmax")
    gamma = check_positive(gamma, "gamma")
    if values.max() > vmax * (1 + 1e-9):
        raise ValueError(
            f"matrix has values up to {values.max():.4g}, above vmax={vmax:g}: the colours would "
            "saturate. For counts, pass vmax=matrix.max(); for probabilities, check the input."
        )
    n_classes = values.shape[0]
    names = [str(c) for c in (range(n_classes) if class_names is None else class_names)]
    if len(names) != n_classes:
        raise ValueError(f"class_names has {len(names)} names for {n_classes} classes.")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5))
    from matplotlib.colors import PowerNorm

    image = ax.imshow(values, cmap="Blues", norm=PowerNorm(gamma, vmin=0, vmax=vmax))
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="P(given | true)")
    ax.set_xticks(range(n_classes), names, fontsize="small")
    ax.set_yticks(range(n_classes), names, fontsize="small")
    ax.set_xlabel("given label")
    ax.set_ylabel("true label")
    if annotate is None:
        annotate = n_classes <= 12
    if annotate:
        for i, j in zip(*np.nonzero(values >= 0.01), strict=True):
            if i != j:
                ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=7)
    ax.set_title(title or "Noise matrix P(given | true)")
    return ax
