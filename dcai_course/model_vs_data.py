"""Model-centric versus data-centric: a better model, or better data?

The experiment the data-centric movement is built on, run honestly: inject label noise
at known rates into the *training* split only, then compare

* a baseline model trained on the noisy labels,
* a stronger model trained on the same noisy labels (the model-centric fix),
* the baseline trained on data cleaned by a simple, understandable step (drop training
  examples whose cross-validated prediction confidently disagrees with the given label;
  the data-centric fix),
* the baseline trained on the true labels (the oracle: what perfect data would give),

all evaluated on the same clean, untouched test split, over several seeds.

Taught in: notebooks/01_model_vs_data_centric.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from ._validation import (
    SeedLike,
    check_choice,
    check_estimator,
    check_eval_data,
    check_fit_data,
    check_float,
    check_fractions,
    check_int,
    check_labels,
    check_labels_within,
    check_no_duplicates,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_seeds,
    check_sequence,
    check_table,
    check_training_labels,
)
from .label_errors import out_of_sample_pred_probs
from .noise import class_pair_noise_matrix, inject_label_noise, uniform_noise_matrix

__all__ = [
    "SETTINGS",
    "accuracy_across_splits",
    "clean_by_cross_validation",
    "cleaning_table",
    "compare_clean_vs_noisy",
    "confident_disagreements",
    "effects_table",
    "plot_accuracy_vs_noise",
    "run_noise_experiment",
]

#: The four settings of the experiment, in the order they are plotted.
SETTINGS = (
    "baseline, noisy labels",
    "stronger model, noisy labels",
    "baseline, cleaned data",
    "baseline, true labels (oracle)",
)


def confident_disagreements(labels: Any, pred_probs: Any, threshold: float = 0.5) -> np.ndarray:
    """Examples whose predicted class differs from the given label, with confidence.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels.
    pred_probs : array-like of shape (n, K)
        Out-of-sample predicted probabilities (see :func:`out_of_sample_pred_probs`).
    threshold : float, default 0.5
        An example is flagged when its arg-max class is not its label *and* the
        probability of that class is at least ``threshold``. ``0`` flags every
        disagreement; higher values flag fewer, surer ones.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True for the examples to drop.

    Examples
    --------
    >>> confident_disagreements([0, 1, 1], [[0.9, 0.1], [0.8, 0.2], [0.55, 0.45]], 0.6)
    array([False,  True, False])
    """
    probs = check_pred_probs(pred_probs)
    y = check_labels(labels, probs.shape[1])
    check_same_length(labels=y, pred_probs=probs)
    threshold = check_probability(threshold, "threshold")
    predicted = probs.argmax(axis=1)
    return (predicted != y) & (probs.max(axis=1) >= threshold)


def clean_by_cross_validation(
    model: Any, X: Any, labels: Any, *, threshold: float = 0.5, cv: int = 5, seed: SeedLike = None
) -> np.ndarray:
    """Boolean mask of the training examples to *keep* after the simple cleaning step.

    Cross-validated probabilities of ``model`` are computed, and the examples that
    :func:`confident_disagreements` flags are dropped.
    """
    threshold = check_probability(threshold, "threshold")
    pred_probs = out_of_sample_pred_probs(model, X, labels, cv=cv, seed=seed)
    return ~confident_disagreements(labels, pred_probs, threshold)


def compare_clean_vs_noisy(
    model: Any, X_train: Any, y_clean: Any, y_noisy: Any, X_test: Any, y_test: Any
) -> dict[str, float]:
    """Train the same model on clean and on noisy labels; test both on the clean test set.

    Returns
    -------
    dict
        ``{"clean": accuracy, "noisy": accuracy, "drop": clean - noisy}``.

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from dcai_course.datasets import load_breast_cancer
    >>> from dcai_course.noise import inject_label_noise
    >>> X, y = load_breast_cancer()
    >>> noisy, _ = inject_label_noise(y[:400], noise_rate=0.3, seed=0)
    >>> r = compare_clean_vs_noisy(GaussianNB(), X[:400], y[:400], noisy,
    ...                            X[400:], y[400:])
    >>> sorted(r)
    ['clean', 'drop', 'noisy']
    """
    X_train, y_clean = check_fit_data(model, X_train, y_clean, X_name="X_train", y_name="y_clean")
    y_noisy = check_training_labels(y_noisy, "y_noisy")
    check_same_length(X_train=X_train, y_clean=y_clean, y_noisy=y_noisy)
    check_labels_within(y_clean, "y_clean", y_noisy=y_noisy)
    X_test, y_test = check_eval_data(
        X_test, y_test, y_clean, X_name="X_test", y_name="y_test", train_name="y_clean"
    )
    clean = accuracy_score(y_test, clone(model).fit(X_train, y_clean).predict(X_test))
    noisy = accuracy_score(y_test, clone(model).fit(X_train, y_noisy).predict(X_test))
    return {"clean": float(clean), "noisy": float(noisy), "drop": float(clean - noisy)}


def _noise_matrix(kind: str, n_classes: int, rate: float, pairs) -> np.ndarray:
    if kind == "uniform":
        return uniform_noise_matrix(n_classes, rate)
    if not pairs:
        raise ValueError("noise='class_pair' needs pairs=[(a, b), ...] of confusable classes.")
    return class_pair_noise_matrix(n_classes, pairs, rate)


def _one_run(X, y, *, baseline, stronger, matrix, seed, test_size, threshold, cv):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    noisy, flipped = inject_label_noise(y_train, matrix, seed=seed)
    keep = clean_by_cross_validation(
        baseline, X_train, noisy, threshold=threshold, cv=cv, seed=seed
    )
    removed = ~keep

    def acc(model, X_fit, y_fit):
        return accuracy_score(y_test, clone(model).fit(X_fit, y_fit).predict(X_test))

    common = {
        "n_train": len(y_train),
        "n_flipped": int(flipped.sum()),
        "n_removed": int(removed.sum()),
        "removed_precision": float(flipped[removed].mean()) if removed.any() else np.nan,
    }
    return [
        {"setting": SETTINGS[0], "accuracy": acc(baseline, X_train, noisy), **common},
        {"setting": SETTINGS[1], "accuracy": acc(stronger, X_train, noisy), **common},
        {"setting": SETTINGS[2], "accuracy": acc(baseline, X_train[keep], noisy[keep]), **common},
        {"setting": SETTINGS[3], "accuracy": acc(baseline, X_train, y_train), **common},
    ]


def run_noise_experiment(
    X: Any,
    y: Any,
    *,
    baseline: Any,
    stronger: Any,
    noise_rates: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4),
    noise: str = "uniform",
    pairs: Sequence[tuple[int, int]] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    test_size: float = 0.3,
    threshold: float = 0.5,
    cv: int = 5,
    progress: bool = True,
) -> pd.DataFrame:
    """Run the four settings for every noise rate and seed; return a tidy table.

    For each seed the data are split once (stratified) into train and test; the test
    split is never touched by noise or cleaning. Noise is injected into the training
    labels with :func:`inject_label_noise` (``noise="uniform"`` or ``"class_pair"`` with
    ``pairs``).

    Returns
    -------
    pandas.DataFrame
        One row per (noise rate, seed, setting): ``noise``, ``noise_rate``, ``seed``,
        ``setting``, ``accuracy`` (on the clean test split), ``n_train``, ``n_flipped``
        (labels actually flipped), ``n_removed`` (by cleaning) and
        ``removed_precision`` (fraction of removed examples that were truly flipped).
    """
    from tqdm.auto import tqdm

    check_estimator(stronger, "stronger")
    X, y = check_fit_data(baseline, X, y, model_name="baseline")
    X = np.asarray(X)
    n_classes = int(y.max()) + 1
    check_choice(noise, "noise", ("uniform", "class_pair"))
    rates = [
        check_probability(r, "noise_rates") for r in check_sequence(noise_rates, "noise_rates")
    ]
    seeds = check_seeds(seeds)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    threshold = check_probability(threshold, "threshold")
    cv = check_int(cv, "cv", minimum=2)
    _noise_matrix(noise, n_classes, 0.0, pairs)  # refuse bad pairs before any fit
    runs = [(rate, seed) for rate in rates for seed in seeds]
    rows = []
    for rate, seed in tqdm(runs, disable=not progress, desc=f"{noise} noise"):
        matrix = _noise_matrix(noise, n_classes, rate, pairs)
        for row in _one_run(
            X,
            y,
            baseline=baseline,
            stronger=stronger,
            matrix=matrix,
            seed=seed,
            test_size=test_size,
            threshold=threshold,
            cv=cv,
        ):
            rows.append({"noise": noise, "noise_rate": rate, "seed": seed, **row})
    return pd.DataFrame(rows)


def _check_results(results: Any, settings: Sequence[str], columns: Sequence[str] = ()) -> list[str]:
    """Check a table of :func:`run_noise_experiment`; return its grouping keys."""
    hint = " Pass the output of run_noise_experiment."
    check_table(results, "results", ("noise_rate", "setting", "accuracy", *columns), hint=hint)
    keys = [k for k in ("noise", "noise_rate") if k in results.columns]
    if "seed" in results.columns:  # without seeds, repeated rows are the repeated runs
        check_no_duplicates(results, "results", (*keys, "seed", "setting"))
    check_fractions(results["accuracy"], "results['accuracy']")
    present = set(results["setting"])
    missing = [s for s in settings if s not in present]
    unknown = sorted(present - set(SETTINGS))
    if missing or unknown or not present & set(SETTINGS):
        raise ValueError(
            f"results must hold the settings {list(settings or SETTINGS)}; missing {missing}, "
            f"unknown {unknown}.{hint}"
        )
    return keys


def effects_table(results: pd.DataFrame) -> pd.DataFrame:
    """Mean accuracy of each setting per noise rate, and the effects in percentage points.

    Columns: the mean test accuracy (%) of the four settings, then

    * ``model improvement``: stronger model minus baseline, both on noisy labels;
    * ``data improvement``: baseline on cleaned data minus baseline on noisy labels;
    * ``data ceiling``: baseline on true labels minus baseline on noisy labels, what
      perfect data would buy.
    """
    keys = _check_results(results, SETTINGS)
    means = results.pivot_table(index=keys, columns="setting", values="accuracy", aggfunc="mean")
    means = means[list(SETTINGS)] * 100
    table = means.copy()
    table["model improvement"] = means[SETTINGS[1]] - means[SETTINGS[0]]
    table["data improvement"] = means[SETTINGS[2]] - means[SETTINGS[0]]
    table["data ceiling"] = means[SETTINGS[3]] - means[SETTINGS[0]]
    table.columns.name = None
    return table


def cleaning_table(results: pd.DataFrame) -> pd.DataFrame:
    """What the cleaning step removed, per noise rate (means over seeds).

    Columns: ``flipped`` (labels corrupted), ``removed`` (examples dropped), ``precision``
    (fraction of the removed examples that were truly flipped) and ``recall`` (fraction
    of the flipped examples that were removed).
    """
    keys = _check_results(results, SETTINGS[2:3], ("n_flipped", "n_removed", "removed_precision"))
    runs = results[results.setting == SETTINGS[2]].copy()
    runs["removed_flipped"] = runs["removed_precision"].fillna(0) * runs["n_removed"]
    runs["recall"] = np.where(
        runs["n_flipped"] > 0, runs["removed_flipped"] / runs["n_flipped"].clip(lower=1), np.nan
    )
    table = runs.groupby(keys).agg(
        flipped=("n_flipped", "mean"),
        removed=("n_removed", "mean"),
        precision=("removed_precision", "mean"),
        recall=("recall", "mean"),
    )
    return table


def plot_accuracy_vs_noise(results: pd.DataFrame, ax=None, title: str | None = None):
    """Test accuracy against noise rate for the four settings (mean ± one s.d. over seeds)."""
    import matplotlib.pyplot as plt

    _check_results(results, ())
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    stats = (
        results.groupby(["setting", "noise_rate"])["accuracy"].agg(["mean", "std"]).reset_index()
    )
    markers = dict(zip(SETTINGS, "osD^", strict=True))
    for setting in SETTINGS:
        part = stats[stats.setting == setting]
        if part.empty:
            continue
        ax.plot(part.noise_rate, part["mean"], marker=markers[setting], label=setting)
        ax.fill_between(
            part.noise_rate,
            part["mean"] - part["std"].fillna(0),
            part["mean"] + part["std"].fillna(0),
            alpha=0.15,
        )
    ax.set_xlabel("fraction of training labels corrupted (noise rate)")
    ax.set_ylabel("accuracy on the clean test split")
    ax.set_title(title or "Test accuracy as label noise grows")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def accuracy_across_splits(
    model: Any, X: Any, y: Any, seeds: Sequence[int], test_size: float = 0.3
) -> pd.Series:
    """Test accuracy of one model over several random train/test splits, by seed.

    The spread of this Series is the noise floor of any comparison that uses a single
    split: a difference between two models smaller than it says nothing.
    """
    X, y = check_fit_data(model, X, y)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    accs = {}
    for seed in check_seeds(seeds):
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=test_size, random_state=seed, stratify=y
        )
        accs[seed] = accuracy_score(y_te, clone(model).fit(X_tr, y_tr).predict(X_te))
    return pd.Series(accs, name="accuracy").rename_axis("seed")
