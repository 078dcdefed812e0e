"""Model-centric versus data-centric: a better model, or better data?

The experiment the data-centric movement is built on, run as a full factorial: inject
label noise at known rates into the *training* split only, clean it with an achievable
step (confident learning on cross-validated probabilities), and train every model arm
(a baseline and a stronger model) on every label set (noisy, cleaned, true), all on
the same splits and evaluated on the same clean, untouched test split, over several
seeds. Paired differences within a seed measure the model lever, the data lever and
their interaction, each with a 95% interval over seeds.

Taught in: notebooks/01_model_vs_data_centric.ipynb.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    check_mask,
    check_model_features,
    check_no_duplicates,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_seeds,
    check_sequence,
    check_str,
    check_table,
    check_training_labels,
)
from .evidence import mean_ci, paired_count
from .label_errors import find_label_issues, out_of_sample_pred_probs
from .noise import class_pair_noise_matrix, inject_label_noise, uniform_noise_matrix

__all__ = [
    "LABEL_SETS",
    "NOISE_KINDS",
    "accuracy_across_splits",
    "arm_table",
    "clean_by_confident_learning",
    "clean_by_cross_validation",
    "cleaning_table",
    "compare_clean_vs_noisy",
    "confident_disagreements",
    "factorial_effects",
    "factorial_one_seed",
    "plot_effects",
    "plot_factorial",
    "run_factorial",
]

#: The label sets every model is trained on, in the order they are plotted.
LABEL_SETS = ("noisy", "cleaned", "true")

#: Kinds of injected noise: random flips, look-alike pairs swapped both ways, and the
#: first class of each pair labelled as the second (one way only).
NOISE_KINDS = ("uniform", "class_pair", "one_way")


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
    if kind not in ("class_pair", "one_way"):
        raise ValueError(f"noise must be one of {', '.join(map(repr, NOISE_KINDS))}, got {kind!r}.")
    if not pairs:
        raise ValueError(f"noise={kind!r} needs pairs=[(a, b), ...] of confusable classes.")
    return class_pair_noise_matrix(n_classes, pairs, rate, symmetric=kind == "class_pair")


def clean_by_confident_learning(
    model: Any, X: Any, labels: Any, *, cv: int = 5, seed: SeedLike = None
) -> np.ndarray:
    """Boolean mask of the training examples to *keep* after confident learning.

    Cross-validated probabilities of ``model`` go into
    :func:`dcai_course.label_errors.find_label_issues` (prune by noise rate, the
    method of notebook 02); the flagged examples are dropped.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from dcai_course.datasets import load_digits
    >>> from dcai_course.noise import inject_label_noise
    >>> X, y = load_digits()
    >>> noisy, flipped = inject_label_noise(y[:600], noise_rate=0.3, seed=0)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    >>> keep = clean_by_confident_learning(model, X[:600], noisy, seed=0)
    >>> bool(flipped[~keep].mean() > 0.7)  # most of what it drops was mislabelled
    True
    """
    pred_probs = out_of_sample_pred_probs(model, X, labels, cv=cv, seed=seed)
    return ~find_label_issues(labels, pred_probs)


def _check_X(X: Any, y: np.ndarray) -> Any:
    """Features with one row per label (numbers, or texts for a text pipeline)."""
    return check_model_features(X, "X", n_rows=y.size, labels_name="y")


def _check_confidence(confidence: Any) -> float:
    return check_float(
        confidence, "confidence", minimum=0.0, maximum=1.0, strict=True, percent_hint=True
    )


def _check_model_dict(models: Any) -> dict[str, Any]:
    if not isinstance(models, Mapping) or not models:
        raise TypeError(
            "models must be a non-empty dict {name: scikit-learn classifier}, e.g. "
            "{'baseline': LogisticRegression(), 'stronger': SVC()}."
        )
    for name, model in models.items():
        check_estimator(model, f"models[{name!r}]")
    return dict(models)


def _check_models(models: Any, cleaner: Any) -> tuple[dict[str, Any], Any]:
    models = _check_model_dict(models)
    cleaner = next(iter(models.values())) if cleaner is None else cleaner
    check_estimator(cleaner, "cleaner")
    if not hasattr(cleaner, "predict_proba"):
        raise TypeError(
            f"the cleaner ({type(cleaner).__name__}) needs predict_proba: pass cleaner= a "
            "probabilistic classifier such as LogisticRegression."
        )
    return dict(models), cleaner


def _check_seeds(seeds: Any) -> list[int]:
    return check_seeds(seeds)


def factorial_one_seed(
    models: Mapping[str, Any],
    X_train: Any,
    y_train: Any,
    noisy: Any,
    keep: Any,
    X_test: Any,
    y_test: Any,
    *,
    label_sets: Sequence[str] = LABEL_SETS,
) -> pd.DataFrame:
    """Every model on every label set of one split: the cells of the factorial.

    Each model is trained (a fresh clone) on the noisy labels, on the cleaned data
    (``X_train[keep], noisy[keep]``) and on the true labels, and scored on the clean
    test split. Returns one row per (model, label set) with its ``accuracy``.
    ``label_sets`` picks a subset of ``("noisy", "cleaned", "true")``.
    """
    models = _check_model_dict(models)
    keep = check_mask(keep, "keep")
    y_train = check_training_labels(y_train, "y_train")
    noisy = check_labels(noisy, name="noisy")
    check_labels_within(y_train, "y_train", noisy=noisy)
    X_train = check_model_features(X_train, "X_train", n_rows=y_train.size, labels_name="y_train")
    check_same_length(X_train=X_train, y_train=y_train, noisy=noisy, keep=keep)
    X_test, y_test = check_eval_data(
        X_test, y_test, y_train, X_name="X_test", y_name="y_test", train_name="y_train"
    )
    label_sets = check_sequence(label_sets, "label_sets")
    unknown = set(label_sets) - set(LABEL_SETS)
    if unknown:
        raise ValueError(f"label_sets may hold {LABEL_SETS}, got {sorted(unknown)}.")
    X_train = np.asarray(X_train)
    training = {
        "noisy": (X_train, noisy),
        "cleaned": (X_train[keep], np.asarray(noisy)[keep]),
        "true": (X_train, y_train),
    }
    training = {k: v for k, v in training.items() if k in label_sets}
    rows = [
        {
            "model": name,
            "labels": labels,
            "accuracy": float(clone(model).fit(X_fit, y_fit).score(X_test, y_test)),
        }
        for name, model in models.items()
        for labels, (X_fit, y_fit) in training.items()
    ]
    return pd.DataFrame(rows)


def run_factorial(
    X: Any,
    y: Any,
    *,
    models: Mapping[str, Any],
    noise: str | Sequence[str] = "uniform",
    noise_rates: Sequence[float] = (0.2, 0.4),
    pairs: Sequence[tuple[int, int]] | None = None,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    test_size: float = 0.3,
    cleaner: Any = None,
    cv: int = 5,
    progress: bool = False,
) -> pd.DataFrame:
    """Run the full factorial {models} x {noisy, cleaned, true labels} over noise and seeds.

    For each noise kind, rate and seed: one stratified train/test split (drawn from the
    seed), one noise draw into the training labels only, one cleaning step
    (:func:`clean_by_confident_learning` with ``cleaner``, by default the first model),
    then every model on every label set (:func:`factorial_one_seed`). All cells of a
    seed share the split, the noise and the cleaned set, so their differences are paired.

    Parameters
    ----------
    X, y : array-like
        Features and true labels ``0..K-1``.
    models : dict of {str: classifier}
        The model arms; the first is the baseline.
    noise : str or sequence of str, default "uniform"
        ``"uniform"``, ``"class_pair"`` (look-alike pairs swapped both ways) or
        ``"one_way"`` (the first class of each pair labelled as the second).
    noise_rates : sequence of float
        Flip probabilities to try.
    pairs : sequence of (int, int), optional
        The confusable pairs, needed for ``"class_pair"`` and ``"one_way"``.
    seeds : sequence of int, default 5 seeds
        One split, noise draw and cleaning per seed.
    test_size : float, default 0.3
    cleaner : classifier with predict_proba, optional
        Model whose cross-validated probabilities drive the cleaning.
    cv : int, default 5
        Folds for the cross-validated probabilities.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per (noise, noise_rate, seed, model, labels): ``accuracy`` on the clean
        test split, and per seed ``n_train``, ``n_flipped``, ``n_removed``,
        ``precision`` and ``recall`` of the cleaning step as a detector of flipped labels.
    """
    from tqdm.auto import tqdm

    models, cleaner = _check_models(models, cleaner)
    y = check_training_labels(y, "y")
    X = _check_X(X, y)
    kinds = [noise] if isinstance(noise, str) else check_sequence(noise, "noise")
    for kind in kinds:
        check_choice(kind, "noise", NOISE_KINDS)
    rates = [
        check_probability(r, "noise_rates") for r in check_sequence(noise_rates, "noise_rates")
    ]
    seeds = _check_seeds(seeds)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    cv = check_int(cv, "cv", minimum=2)
    n_classes = int(y.max()) + 1
    matrices = {(k, r): _noise_matrix(k, n_classes, r, pairs) for k in kinds for r in rates}
    bar = tqdm(total=len(matrices) * len(seeds), disable=not progress, desc="factorial")
    tables = []
    for seed in seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=test_size, random_state=seed, stratify=y
        )
        everything = np.ones(len(y_tr), dtype=bool)
        # true labels do not depend on the noise: one fit per model and seed
        true = factorial_one_seed(
            models, X_tr, y_tr, y_tr, everything, X_te, y_te, label_sets=("true",)
        )
        for (kind, rate), matrix in matrices.items():
            noisy, flipped = inject_label_noise(y_tr, matrix, seed=seed)
            keep = clean_by_confident_learning(cleaner, X_tr, noisy, cv=cv, seed=seed)
            cells = factorial_one_seed(
                models, X_tr, y_tr, noisy, keep, X_te, y_te, label_sets=("noisy", "cleaned")
            )
            cells = pd.concat([cells, true]).sort_values(
                "model", kind="stable", key=_model_order(models)
            )
            tables.append(
                cells.assign(
                    noise=kind, noise_rate=rate, seed=seed, **_cleaning_stats(flipped, keep)
                )
            )
            bar.update()
    bar.close()
    columns = ["noise", "noise_rate", "seed", "model", "labels", "accuracy"]
    table = pd.concat(tables, ignore_index=True)
    kind_order = {kind: i for i, kind in enumerate(kinds)}
    table = table.sort_values(
        ["noise", "noise_rate", "seed"],
        key=lambda c: c.map(kind_order) if c.name == "noise" else c,
        kind="stable",
        ignore_index=True,
    )
    return table[columns + [c for c in table.columns if c not in columns]]


def _model_order(models: Mapping[str, Any]):
    order = {name: i for i, name in enumerate(models)}
    return lambda column: column.map(order)


def _cleaning_stats(flipped: np.ndarray, keep: np.ndarray) -> dict[str, Any]:
    removed = ~keep
    return {
        "n_train": len(keep),
        "n_flipped": int(flipped.sum()),
        "n_removed": int(removed.sum()),
        "precision": float(flipped[removed].mean()) if removed.any() else np.nan,
        "recall": float(removed[flipped].mean()) if flipped.any() else np.nan,
    }


def _cells(results: pd.DataFrame) -> pd.DataFrame:
    """Accuracy (%) per seed, one column per (model, labels) cell."""
    check_table(
        results,
        "results",
        ("model", "labels", "accuracy", "seed"),
        hint=" Pass the table of run_factorial.",
    )
    keys = [k for k in ("noise", "noise_rate", "seed") if k in results.columns]
    check_no_duplicates(results, "results", (*keys, "model", "labels"))
    # a little slack: lab 01's grader simulates accuracies up to ~1.03; percentages fail
    check_fractions(results["accuracy"], "results['accuracy']", slack=0.5)
    cells = results.pivot_table(
        index=keys, columns=["model", "labels"], values="accuracy", aggfunc="first"
    )
    if "noise" in keys:  # keep the noise kinds in the order they were run
        order = {kind: i for i, kind in enumerate(results["noise"].unique())}
        cells = cells.sort_index(level="noise", key=lambda c: c.map(order), sort_remaining=False)
    return cells * 100


def factorial_effects(
    results: pd.DataFrame,
    baseline: str,
    stronger: str,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The two levers, their combination and their interaction, with intervals over seeds.

    Differences are taken within each seed (paired: same split, same noise, same cleaned
    set), in percentage points of clean-test accuracy, then summarised with
    :func:`dcai_course.evidence.mean_ci` and :func:`dcai_course.evidence.paired_count`:

    * ``model lever``: stronger minus baseline, both on noisy labels;
    * ``data lever (cleaning)``: baseline on cleaned data minus baseline on noisy labels;
    * ``data ceiling``: baseline on true labels minus baseline on noisy labels;
    * ``both levers``: stronger on cleaned data minus baseline on noisy labels;
    * ``cleaning, stronger model``: stronger on cleaned minus stronger on noisy labels;
    * ``ceiling, stronger model``: stronger on true minus stronger on noisy labels;
    * ``interaction``: what cleaning adds to the stronger model minus what it adds to
      the baseline (negative: the stronger model already averages part of the noise away).

    Returns
    -------
    pandas.DataFrame
        Indexed by (noise, noise_rate, effect); columns ``mean``, ``low``, ``high``
        (the interval), ``wins`` (seeds with a positive effect) and ``n`` (seeds).
    """
    confidence = _check_confidence(confidence)
    cells = _cells(results)
    for arg, name in (("baseline", baseline), ("stronger", stronger)):
        if check_str(name, arg) not in cells.columns.get_level_values("model"):
            known = sorted(set(cells.columns.get_level_values("model")))
            raise ValueError(f"{arg}: model {name!r} is not in results; it has {known}.")
    b, s = cells[baseline], cells[stronger]
    per_seed = {
        "model lever": s["noisy"] - b["noisy"],
        "data lever (cleaning)": b["cleaned"] - b["noisy"],
        "data ceiling": b["true"] - b["noisy"],
        "both levers": s["cleaned"] - b["noisy"],
        "cleaning, stronger model": s["cleaned"] - s["noisy"],
        "ceiling, stronger model": s["true"] - s["noisy"],
        "interaction": (s["cleaned"] - s["noisy"]) - (b["cleaned"] - b["noisy"]),
    }
    diffs = pd.DataFrame(per_seed)
    groups = [k for k in ("noise", "noise_rate") if k in cells.index.names]
    parts = diffs.groupby(level=groups, sort=False) if groups else [((), diffs)]
    rows = []
    for key, part in parts:
        key = key if isinstance(key, tuple) else (key,)
        for effect in per_seed:
            values = part[effect].to_numpy()
            mean, low, high = mean_ci(values, confidence)
            wins, n = paired_count(values, np.zeros(len(values)))
            rows.append((*key, effect, mean, low, high, wins, n))
    table = pd.DataFrame(rows, columns=[*groups, "effect", "mean", "low", "high", "wins", "n"])
    return table.set_index([*groups, "effect"])


def _summarise(groups, confidence: float, keys: list[str]) -> pd.DataFrame:
    rows = []
    for key, values in groups:
        mean, low, high = mean_ci(values.to_numpy(), confidence)
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, mean, low, high, len(values)))
    return pd.DataFrame(rows, columns=[*keys, "mean", "low", "high", "n"]).set_index(keys)


def arm_table(results: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Mean clean-test accuracy (%) of every cell of the factorial, with its interval.

    Indexed by (noise, noise_rate, model, labels); columns ``mean``, ``low``, ``high``
    and ``n`` (seeds).
    """
    confidence = _check_confidence(confidence)
    _cells(results)  # validates the columns
    keys = [k for k in ("noise", "noise_rate", "model", "labels") if k in results.columns]
    accuracy = results["accuracy"] * 100
    return _summarise(accuracy.groupby([results[k] for k in keys], sort=False), confidence, keys)


def cleaning_table(results: pd.DataFrame) -> pd.DataFrame:
    """What the cleaning step removed, per noise kind and rate (means over seeds).

    Columns: ``flipped`` (labels corrupted), ``removed`` (examples dropped),
    ``precision`` (fraction of the removed examples that were truly flipped) and
    ``recall`` (fraction of the flipped examples that were removed).
    """
    _cells(results)
    check_table(results, "results", ("n_flipped", "n_removed", "precision", "recall"))
    keys = [k for k in ("noise", "noise_rate") if k in results.columns]
    if not keys:
        raise ValueError("results lacks the column noise_rate: pass the table of run_factorial.")
    per_seed = results.drop_duplicates([*keys, "seed"])
    return per_seed.groupby(keys).agg(
        flipped=("n_flipped", "mean"),
        removed=("n_removed", "mean"),
        precision=("precision", "mean"),
        recall=("recall", "mean"),
    )


_LINESTYLES = {"noisy": "-", "cleaned": "--", "true": ":"}
_MARKERS = {"noisy": "o", "cleaned": "s", "true": "^"}


def plot_factorial(
    results: pd.DataFrame, ax=None, *, noise: str | None = None, title: str | None = None
):
    """Clean-test accuracy against noise rate for every cell, with 95% intervals.

    Colour is the model, line style the label set (solid noisy, dashed cleaned, dotted
    true labels); error bars are the t-intervals over seeds of :func:`arm_table`.
    """
    import matplotlib.pyplot as plt

    _cells(results)
    if noise is not None:
        check_str(noise, "noise")
    if noise is not None and ("noise" not in results.columns or noise not in set(results.noise)):
        raise ValueError(
            f"noise={noise!r} is not in results; it has "
            f"{sorted(set(results['noise'])) if 'noise' in results.columns else []}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    arms = arm_table(results if noise is None else results[results.noise == noise])
    arms = arms.reset_index()
    colours = dict(
        zip(arms.model.unique(), plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False)
    )
    for (model, labels), part in arms.groupby(["model", "labels"], sort=False):
        ax.errorbar(
            part.noise_rate,
            part["mean"],
            yerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
            color=colours[model],
            linestyle=_LINESTYLES.get(labels, "-"),
            marker=_MARKERS.get(labels, "o"),
            capsize=3,
            label=f"{model}, {labels} labels",
        )
    ax.set_xlabel("fraction of training labels corrupted (noise rate)")
    ax.set_ylabel("accuracy on the clean test split (%)")
    ax.set_title(title or "Clean-test accuracy of every model on every label set")
    ax.grid(alpha=0.3)
    return ax


def plot_effects(effects: pd.DataFrame, effects_to_show: Sequence[str], ax=None, *, title=None):
    """Forest plot: each effect's mean and 95% interval, per noise kind and rate.

    ``effects`` is a table of :func:`factorial_effects`; one row per (noise, rate) and one
    marker per effect in ``effects_to_show``. A vertical line marks zero.
    """
    import matplotlib.pyplot as plt

    check_table(effects, "effects", ("mean", "low", "high"), hint=" Pass factorial_effects(...).")
    if "effect" not in effects.index.names:
        raise ValueError("effects must be indexed by effect: pass the output of factorial_effects.")
    known = set(effects.index.get_level_values("effect"))
    unknown = [e for e in check_sequence(effects_to_show, "effects_to_show") if e not in known]
    if unknown:
        raise ValueError(f"effects_to_show holds {unknown}, not in effects: {sorted(known)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    settings = list(dict.fromkeys(effects.index.droplevel("effect")))
    offsets = np.linspace(-0.25, 0.25, len(effects_to_show))
    for offset, effect in zip(offsets, effects_to_show, strict=True):
        part = effects.xs(effect, level="effect").loc[settings]
        positions = np.arange(len(settings)) + offset
        ax.errorbar(
            part["mean"],
            positions,
            xerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
            fmt="o",
            capsize=3,
            label=effect,
        )
    labels = [
        ", ".join(f"{v:.0%}" if isinstance(v, float) else str(v) for v in s) for s in settings
    ]
    ax.set_yticks(range(len(settings)), labels)
    ax.invert_yaxis()
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_xlabel("effect on clean-test accuracy (percentage points, mean and 95% interval)")
    ax.set_title(title or "What each lever buys, setting by setting")
    ax.grid(axis="x", alpha=0.3)
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
