"""The notebook's experiments on UCI Adult: splits, the noise study, the mitigation comparison.

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_fractions,
    check_int,
    check_no_duplicates,
    check_same_length,
    check_seeds,
    check_str,
    check_table,
)
from ._checks import _binary
from .bias import find_label_issues_by_group, inject_group_noise
from .metrics import fairness_report, group_metrics
from .mitigation import (
    apply_group_thresholds,
    fit_group_thresholds,
    resample_indices,
    reweighing_weights,
)

#: The methods :func:`compare_mitigations` runs, by training stage.
MITIGATIONS = (
    "baseline",
    "reweighing",
    "resampling",
    "exponentiated_gradient",
    "group_thresholds",
)


# --- the notebook's experiment --------------------------------------------------------------


def adult_fairness_data() -> tuple[pd.DataFrame, np.ndarray]:
    """UCI Adult, both files pooled (48,842 people), and the label ``income > $50K``.

    Taught in: notebooks/09_fairness_and_bias.ipynb (section 1).

    Returns
    -------
    (frame, y) : tuple
        The cleaned rows (:func:`dcai_course.datasets.load_adult`) and 0/1 labels.
    """
    from ..datasets import load_adult

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

    from ..datasets import adult_preprocessor

    frame = check_table(frame, "frame", hint=" Pass adult_fairness_data()'s frame.")
    attribute = check_str(attribute, "attribute")
    if attribute not in frame.columns:
        raise ValueError(
            f"attribute {attribute!r} is not a column of the data (try 'sex' or 'race')."
        )
    y = _binary(y, "y")
    check_same_length(frame=frame, y=y)
    n_train = check_int(n_train, "n_train", minimum=100)
    n_valid = check_int(n_valid, "n_valid", minimum=0)
    n_test = check_int(n_test, "n_test", minimum=100)
    if n_train + n_valid + n_test > len(y) or n_train + n_test >= len(y):
        raise ValueError(
            f"n_train + n_valid + n_test must be at most the {len(y)} rows of frame and y "
            "(and n_train + n_test fewer than that)."
        )
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
    from ..label_errors import find_label_issues, out_of_sample_pred_probs

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

    fairness = check_str(fairness, "fairness")
    table = check_table(table, "table", hint=" Pass compare_mitigations' output.")
    if fairness not in table.columns:
        raise ValueError(
            f"fairness={fairness!r} is not a column of table {list(table.columns)}; pass a "
            "gap column of compare_mitigations' output, e.g. 'eo_difference'."
        )
    missing = {"method", "accuracy"} - set(table.columns)
    if missing:
        raise ValueError(
            f"table lacks column(s) {sorted(missing)}: pass compare_mitigations' output."
        )
    if table[[fairness, "accuracy"]].isna().any().any():
        raise ValueError(f"table has NaN in 'accuracy' or {fairness!r}; drop those rows first.")
    check_fractions(table["accuracy"], "table['accuracy']")
    if "seed" in table.columns:
        check_no_duplicates(table, "table", ["method", "seed"])
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
