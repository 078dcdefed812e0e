"""The lecture's comparison of methods over seeds and noise rates
(:func:`compare_methods`), its summary, and the downsampled images it uses.

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._validation import (
    check_2d,
    check_finite_array,
    check_fractions,
    check_int,
    check_labels,
    check_no_duplicates,
    check_probability,
    check_str,
    check_table,
)
from ..evidence import mean_ci
from ._common import _check_positive_int
from .training import NoisyMLPClassifier, accuracy, filter_then_train, train_classifier

# --- reading repeated runs -----------------------------------------------------------------


def summarize_runs(
    results: pd.DataFrame, baseline: str, value: str = "accuracy", confidence: float = 0.95
) -> pd.DataFrame:
    """Mean of each method over seeds, and its paired difference from ``baseline``.

    Parameters
    ----------
    results : pandas.DataFrame
        One row per run, with columns ``setting``, ``method``, ``seed`` and ``value``.
    baseline : str
        The method every other one is compared with, seed by seed (same split and noise).
    value : str, default "accuracy"
    confidence : float, default 0.95
        Level of the t intervals ``mean ± t · sd / sqrt(n_seeds)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``setting`` and ``method``: ``mean``, ``low``, ``high`` (interval of
        the mean), ``diff``, ``diff_low``, ``diff_high`` (of the paired difference from
        the baseline), ``wins`` (seeds where the method beats the baseline) and ``n``.

    Examples
    --------
    >>> runs = pd.DataFrame({"setting": "s", "seed": [0, 1, 0, 1],
    ...                      "method": ["a", "a", "b", "b"], "accuracy": [0.7, 0.8, 0.75, 0.9]})
    >>> summarize_runs(runs, baseline="a")[["mean", "diff", "wins", "n"]].round(3)
                     mean   diff  wins  n
    setting method
    s       a       0.750  0.000     0  2
            b       0.825  0.075     2  2

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    confidence = check_probability(confidence, "confidence")
    results = check_table(results, "results", ["setting", "method", "seed"])
    value, baseline = check_str(value, "value"), check_str(baseline, "baseline")
    if value not in results.columns:
        raise ValueError(f"value={value!r} is not a column of results {list(results.columns)}.")
    check_no_duplicates(results, "results", ["setting", "method", "seed"])
    if results[value].isna().any():
        raise ValueError(f"results[{value!r}] contains NaN; drop or fix those runs first.")
    if value == "accuracy":
        check_fractions(results[value], "results['accuracy']")
    if baseline not in set(results["method"]):
        raise ValueError(f"baseline {baseline!r} is not a method of results.")
    wide = results.pivot_table(index=["setting", "seed"], columns="method", values=value)
    diff = wide.sub(wide[baseline], axis=0)
    rows = []
    for (setting, method), group in results.groupby(["setting", "method"], sort=False):
        d = diff.loc[setting, method].dropna().to_numpy()
        mean, low, high = mean_ci(group[value].to_numpy(), confidence)
        d_mean, d_low, d_high = mean_ci(d, confidence)
        rows.append(
            {"setting": setting, "method": method, "mean": mean, "low": low, "high": high,
             "diff": d_mean, "diff_low": d_low, "diff_high": d_high,
             "wins": int((d > 0).sum()), "n": len(group)}
        )  # fmt: skip
    return pd.DataFrame(rows).set_index(["setting", "method"])


# --- the lecture's experiment --------------------------------------------------------------


def downsample_images(images: Any, factor: int = 2) -> np.ndarray:
    """Average ``factor × factor`` blocks of grey images and flatten them to rows in [0, 1].

    MNIST's 28×28 images become 14×14 = 196 features with ``factor=2``: four times less
    work for the network, and the digits stay legible.

    Examples
    --------
    >>> downsample_images(np.full((1, 4, 4), 255, dtype=np.uint8)).tolist()
    [[1.0, 1.0, 1.0, 1.0]]

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 1).
    """
    arr = check_finite_array(images, "images")
    factor = _check_positive_int(factor, "factor")
    if arr.ndim != 3 or arr.shape[1] % factor or arr.shape[2] % factor:
        raise ValueError(
            f"images must be (n, height, width) with sides divisible by factor={factor}, got "
            f"shape {arr.shape}."
        )
    n, h, w = arr.shape
    blocks = arr.reshape(n, h // factor, factor, w // factor, factor).mean(axis=(2, 4))
    return blocks.reshape(n, -1) / 255.0


#: The methods of :func:`compare_methods`, in the order of the lecture.
METHODS = (
    "oracle", "cross-entropy", "early stopping", "forward (true T)", "forward (estimated T)",
    "co-teaching", "GCE", "label smoothing", "filter", "filter + GCE",
)  # fmt: skip


class Comparison(NamedTuple):
    """What :func:`compare_methods` returns: three tables, one row per run or epoch."""

    #: ``setting``, ``seed``, ``method``, ``accuracy`` (on the clean test part).
    results: pd.DataFrame
    #: The cross-entropy run's history: ``setting``, ``seed``, ``epoch``, ``clean``,
    #: ``flipped`` (training accuracy against the given labels), ``val`` (noisy), ``test``.
    histories: pd.DataFrame
    #: What confident learning estimated: ``setting``, ``seed``, ``true_rate``,
    #: ``estimated_rate``, ``matrix_error`` (largest row total-variation distance),
    #: ``flagged``, ``precision``, ``recall``.
    estimates: pd.DataFrame


def _split(n: int, n_train: int, n_val: int, rng: np.random.Generator):
    order = rng.permutation(n)
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]


def _estimate(X, noisy, recipe, cv_epochs, seed):
    """Cross-validated probabilities of the same MLP, then confident learning."""
    from ..label_errors import estimate_noise_matrices, find_label_issues, out_of_sample_pred_probs

    shape = {k: recipe[k] for k in ("hidden", "batch_size", "lr")}
    clf = NoisyMLPClassifier(**shape, epochs=cv_epochs, seed=seed)
    probs = out_of_sample_pred_probs(clf, X, noisy, cv=3, seed=seed)
    return estimate_noise_matrices(noisy, probs), find_label_issues(noisy, probs)


def _one_setting(X, y, parts, matrix, rng, recipe, cv_epochs, seed):
    from ..label_errors import detection_scores
    from ..noise import inject_label_noise

    tr, va, te = parts
    noisy, flipped = inject_label_noise(y[tr], matrix, seed=rng)
    noisy_val, _ = inject_label_noise(y[va], matrix, seed=rng)
    Xtr = X[tr]
    watch = {"clean": (Xtr[~flipped], noisy[~flipped]), "flipped": (Xtr[flipped], noisy[flipped])}
    watch |= {"val": (X[va], noisy_val), "test": (X[te], y[te])}
    base = train_classifier(X[tr], noisy, eval_sets=watch, **recipe, seed=seed)
    history = base.history
    est, issues = _estimate(X[tr], noisy, recipe, cv_epochs, seed)
    rate = est.n_label_issues / len(noisy)
    gce, est_t = {"loss": "gce", "loss_params": {"q": 0.7}}, est.noise_matrix
    runs = {
        "forward (true T)": {"loss": "forward", "loss_params": {"noise_matrix": matrix}},
        "forward (estimated T)": {"loss": "forward", "loss_params": {"noise_matrix": est_t}},
        "co-teaching": {"small_loss": "co_teaching", "forget_rate": min(rate, 0.9)},
        "GCE": gce,
        "label smoothing": {"loss": "label_smoothing", "loss_params": {"epsilon": 0.4}},
    }  # fmt: skip
    acc = {"cross-entropy": history["test"].iloc[-1],
           "early stopping": history["test"].iloc[int(history["val"].idxmax())]}  # fmt: skip
    for name, kwargs in runs.items():
        model = train_classifier(X[tr], noisy, **kwargs, **recipe, seed=seed).model
        acc[name] = accuracy(model, X[te], y[te])
    for name, kwargs in {"filter": {}, "filter + GCE": gce}.items():
        fit, _ = filter_then_train(X[tr], noisy, issues, **kwargs, **recipe, seed=seed)
        acc[name] = accuracy(fit.model, X[te], y[te])
    tv = np.abs(est.noise_matrix - matrix).sum(axis=1).max() / 2
    found = detection_scores(issues, flipped)
    estimate = {"true_rate": flipped.mean(), "estimated_rate": rate, "matrix_error": tv}
    estimate |= {key: found[key] for key in ("flagged", "precision", "recall")}
    return acc, history, estimate


def compare_methods(
    X: Any,
    y: Any,
    noise_matrices: Mapping[str, Any],
    seeds: Any = range(5),
    *,
    n_train: int = 2500,
    n_val: int = 1000,
    recipe: Mapping[str, Any] | None = None,
    cv_epochs: int = 12,
    progress: bool = True,
    n_jobs: int = 1,
) -> Comparison:
    """The lecture's experiment: every method on the same splits, noise draws and seeds.

    For each seed: a fresh split of ``(X, y)`` into ``n_train`` training rows, ``n_val``
    validation rows and a clean test part (the rest); the oracle is trained on the true
    labels. Then for each noise setting, the training and validation labels are
    corrupted (:func:`dcai_course.noise.inject_label_noise`) and :data:`METHODS` are
    trained with the same ``recipe`` (arguments of :func:`train_classifier`):
    cross-entropy (its last epoch, and its best epoch on the noisy validation set),
    forward correction with the true and with the estimated matrix, co-teaching with the
    forget rate set to the estimated noise rate, GCE (``q=0.7``), label smoothing
    (``epsilon=0.4``), and confident learning's filter followed by cross-entropy or GCE.
    Confident learning uses 3-fold cross-validated probabilities of the same network
    trained for ``cv_epochs``. With ``n_jobs`` > 1 the seeds run in that many worker
    processes (each on one thread, as in a single process): the results are the same,
    only sooner.

    Returns
    -------
    Comparison
        ``(results, histories, estimates)``: see :class:`Comparison`.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    from tqdm.auto import tqdm

    from ..noise import validate_noise_matrix

    X, y = check_2d(X), check_labels(y)
    matrices = {name: validate_noise_matrix(m) for name, m in dict(noise_matrices).items()}
    recipe = {"hidden": 64, "epochs": 25, "batch_size": 500, "lr": 5e-3, **dict(recipe or {})}
    recipe["progress"] = False
    seeds = list(seeds)
    n_jobs = check_int(n_jobs, "n_jobs", minimum=1)
    run = functools.partial(_one_seed, X, y, matrices, n_train, n_val, recipe, cv_epochs)
    if n_jobs == 1:
        per_seed = [run(seed) for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    else:
        from joblib import Parallel, delayed

        per_seed = Parallel(n_jobs=n_jobs)(delayed(run)(seed) for seed in seeds)
    results = [row for rows, _, _ in per_seed for row in rows]
    histories = [h for _, hs, _ in per_seed for h in hs]
    estimates = [e for _, _, es in per_seed for e in es]
    return Comparison(pd.DataFrame(results), pd.concat(histories, ignore_index=True),
                      pd.DataFrame(estimates))  # fmt: skip


def _one_seed(X, y, matrices, n_train, n_val, recipe, cv_epochs, seed):
    """One seed of :func:`compare_methods`: its split, the oracle, then every setting."""
    results, histories, estimates = [], [], []
    rng = np.random.default_rng(seed)
    parts = _split(len(y), n_train, n_val, rng)
    oracle = train_classifier(X[parts[0]], y[parts[0]], **recipe, seed=seed).model
    oracle_acc = accuracy(oracle, X[parts[2]], y[parts[2]])
    for setting, matrix in matrices.items():
        acc, history, estimate = _one_setting(X, y, parts, matrix, rng, recipe, cv_epochs, seed)
        acc["oracle"] = oracle_acc
        key = {"setting": setting, "seed": seed}
        results += [{**key, "method": m, "accuracy": acc[m]} for m in METHODS]
        histories.append(history.assign(**key))
        estimates.append({**key, **estimate})
    return results, histories, estimates
