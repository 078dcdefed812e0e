"""Sweep every public function of ``dcai_course`` with generated bad inputs.

For each public function, class and method (outside ``grading``) one valid call is
written down in :func:`examples`. From it, every argument is replaced in turn by values
drawn from a family of bad inputs chosen by the argument's kind (NaN, infinity, strings,
the wrong number of dimensions, an empty array, negative counts, a percentage where a
fraction is expected, a class instead of an estimator, a long table as an array, labels
numbered from 1...). Each family says whether the value must be refused or may be
accepted (NumPy integers, ``float32`` features and lists are fine). Every call ends in
one of:

* ``clear``: a ``ValueError``/``TypeError`` (or a path error) raised by ``dcai_course``'s
  own code, whose message names the argument;
* ``accepted``: a value that may be accepted returned normally;
* ``silent``: a value that must be refused returned a result (a silent wrong answer);
* ``unnamed``: refused by ``dcai_course`` but the message does not name the argument;
* ``obscure``: any other exception (raised inside NumPy, scikit-learn, pandas, or not a
  ``ValueError``/``TypeError``), or a call that hangs;
* ``refused_valid``: a value that should be accepted was refused.

Run ``python benchmarks/sweep_bad_inputs.py`` for the counts (``--list KIND`` prints the
cases of one kind); ``tests/test_bad_inputs.py`` runs the same sweep.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import math
import signal
import sys
import tempfile
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dcai_course"

KINDS = ("clear", "accepted", "silent", "unnamed", "obscure", "refused_valid")


@dataclass(frozen=True)
class Bad:
    """One generated input for one argument."""

    family: str
    value: Any
    refuse: bool = True


@dataclass(frozen=True)
class Outcome:
    target: str
    param: str
    family: str
    kind: str
    detail: str = ""


# --- the data every example shares ---------------------------------------------------------


@cache
def data() -> dict[str, Any]:
    """Small, fixed inputs: 60 training and 30 test examples of 3 classes, 4 features."""
    from sklearn.naive_bayes import GaussianNB

    from dcai_course import noise
    from dcai_course.aggregation import to_vote_matrix

    rng = np.random.default_rng(0)
    y = np.arange(60) % 3
    centers = 2.0 * np.eye(3, 4)
    X = centers[y] + rng.normal(scale=0.8, size=(60, 4))
    y_test = np.arange(30) % 3
    X_test = centers[y_test] + rng.normal(scale=0.8, size=(30, 4))
    logits = 2.0 * X[:, :3]
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    flipped = rng.random(60) < 0.2
    noisy = np.where(flipped, (y + 1) % 3, y)
    answers = noise.simulate_annotators(y[:30], [0.9, 0.8, 0.7, 0.6, 0.85], 3, seed=0)
    votes = to_vote_matrix(answers).matrix
    sizes = np.repeat([10, 20, 40, 80, 160], 3)
    errors = 0.6 * sizes**-0.5 + 0.05 + rng.normal(scale=0.003, size=sizes.size)
    curve = pd.DataFrame({"n": sizes, "repeat": np.tile([0, 1, 2], 5), "error": errors})
    results = pd.DataFrame(
        [
            {"strategy": s, "seed": seed, "n_labeled": n, "accuracy": acc}
            for s, base in (("random", 0.5), ("margin", 0.55))
            for seed in range(3)
            for n, acc in zip((10, 20, 30), (base, base + 0.1, base + 0.2), strict=True)
        ]
    )
    results["accuracy"] += np.tile([0.0, 0.01, -0.01], 6).repeat(1)
    images = rng.uniform(0, 16, size=(6, 64))
    return {
        "X": X,
        "y": y,
        "X_test": X_test,
        "y_test": y_test,
        "probs": probs,
        "flipped": flipped,
        "noisy": noisy,
        "answers": answers,
        "votes": votes,
        "truth": pd.Series(y[:30], index=pd.RangeIndex(30, name="item")),
        "curve": curve,
        "results": results,
        "images": images,
        "model": GaussianNB(),
    }


@cache
def _factorial() -> pd.DataFrame:
    from sklearn.naive_bayes import GaussianNB

    from dcai_course.model_vs_data import run_factorial

    d = data()
    models = {"nb": GaussianNB(), "nb2": GaussianNB(var_smoothing=1e-3)}
    return run_factorial(d["X"], d["y"], models=models, noise_rates=(0.2,), seeds=(0, 1, 2), cv=3)


def _split(seed: int):
    """A split function for compare_over_splits: the shared pool and test set."""
    d = data()
    return d["X"], d["y"], d["X_test"], d["y_test"]


@cache
def _shadow_attack():
    from dcai_course import privacy

    d = data()
    return privacy.ShadowAttack(d["model"], n_shadows=2, seed=0).fit(d["X"], d["y"])


def _verdicts() -> pd.DataFrame:
    return pd.DataFrame({"index": [3, 5, 8], "confirmed": [True, False, True]})


def _verdicts4() -> pd.DataFrame:
    return pd.DataFrame({"index": [0, 2], "confirmed": [True, False]})


@cache
def _first_cell(path: Path):
    from dcai_course.notebook_tools import read_notebook

    return read_notebook(path).cells[0]


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="dcai-sweep-"))


def _lf_spam(x):
    return 1 if "check" in x.text else -1


def _lf_song(x):
    return 0 if "song" in x.text else -1


def _texts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": ["check out my channel", "love this song", "nice song", "check this"] * 3,
            "label": [1, 0, 0, 1] * 3,
        }
    )


def examples() -> dict[str, tuple[Callable[[], Callable], Callable[[], dict[str, Any]]]]:
    """One valid call per public callable: ``name -> (get the callable, build kwargs)``."""
    from dcai_course import (
        active_learning as al,
    )
    from dcai_course import (
        aggregation as ag,
    )
    from dcai_course import (
        course,
        curation,
        datasets,
        environment,
        evidence,
        guide,
        label_errors,
        model_vs_data,
        noise,
        notebook_tools,
        privacy,
        quality,
        scaling,
        site,
        slides,
    )
    from dcai_course import (
        crowdsourcing as cs,
    )
    from dcai_course import (
        weak_supervision as ws,
    )

    d = data()
    X, y, Xt, yt, P = d["X"], d["y"], d["X_test"], d["y_test"], d["probs"]
    model = d["model"]
    answers, votes, truth = d["answers"], d["votes"], d["truth"]
    conf = np.array([[[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]] * votes.shape[1])
    post = np.full((votes.shape[0], 3), 1 / 3)
    fit = scaling.fit_power_law(d["curve"]["n"], d["curve"]["error"])
    texts = _texts()
    nb_path = ROOT / "notebooks" / sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))[0]

    def f(func):
        return lambda: func

    MEMBER = np.r_[np.ones(30, bool), np.zeros(30, bool)]

    ex: dict[str, tuple[Callable[[], Callable], Callable[[], dict[str, Any]]]] = {
        # noise
        "noise.uniform_noise_matrix": (
            f(noise.uniform_noise_matrix),
            lambda: {"n_classes": 3, "noise_rate": 0.2},
        ),
        "noise.class_pair_noise_matrix": (
            f(noise.class_pair_noise_matrix),
            lambda: {"n_classes": 3, "pairs": [(0, 1)], "noise_rate": 0.2},
        ),
        "noise.validate_noise_matrix": (
            f(noise.validate_noise_matrix),
            lambda: {"noise_matrix": noise.uniform_noise_matrix(3, 0.2), "n_classes": 3},
        ),
        "noise.inject_label_noise": (
            f(noise.inject_label_noise),
            lambda: {"labels": y.copy(), "noise_rate": 0.2, "seed": 0},
        ),
        "noise.inject_label_noise[matrix]": (
            f(noise.inject_label_noise),
            lambda: {"labels": y.copy(), "noise_matrix": noise.uniform_noise_matrix(3, 0.2)},
        ),
        "noise.empirical_noise_matrix": (
            f(noise.empirical_noise_matrix),
            lambda: {"true_labels": y.copy(), "observed_labels": d["noisy"].copy()},
        ),
        "noise.simulate_annotators": (
            f(noise.simulate_annotators),
            lambda: {
                "true_labels": y.copy(),
                "accuracies": [0.9, 0.8, 0.7],
                "labels_per_item": 2,
                "seed": 0,
            },
        ),
        # model_vs_data
        "model_vs_data.confident_disagreements": (
            f(model_vs_data.confident_disagreements),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy(), "threshold": 0.5},
        ),
        "model_vs_data.clean_by_cross_validation": (
            f(model_vs_data.clean_by_cross_validation),
            lambda: {"model": model, "X": X.copy(), "labels": y.copy(), "cv": 3, "seed": 0},
        ),
        "model_vs_data.compare_clean_vs_noisy": (
            f(model_vs_data.compare_clean_vs_noisy),
            lambda: {
                "model": model,
                "X_train": X.copy(),
                "y_clean": y.copy(),
                "y_noisy": d["noisy"].copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
            },
        ),
        "model_vs_data.clean_by_confident_learning": (
            f(model_vs_data.clean_by_confident_learning),
            lambda: {"model": model, "X": X.copy(), "labels": y.copy(), "cv": 3, "seed": 0},
        ),
        "model_vs_data.run_factorial": (
            f(model_vs_data.run_factorial),
            lambda: {
                "X": X.copy(),
                "y": y.copy(),
                "models": {"nb": model},
                "noise": "uniform",
                "noise_rates": [0.2],
                "seeds": [0],
                "test_size": 0.3,
                "cv": 3,
            },
        ),
        "model_vs_data.factorial_one_seed": (
            f(model_vs_data.factorial_one_seed),
            lambda: {
                "models": {"nb": model},
                "X_train": X.copy(),
                "y_train": y.copy(),
                "noisy": d["noisy"].copy(),
                "keep": ~d["flipped"],
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
            },
        ),
        "model_vs_data.factorial_effects": (
            f(model_vs_data.factorial_effects),
            lambda: {
                "results": _factorial().copy(),
                "baseline": "nb",
                "stronger": "nb2",
                "confidence": 0.95,
            },
        ),
        "model_vs_data.arm_table": (
            f(model_vs_data.arm_table),
            lambda: {"results": _factorial().copy(), "confidence": 0.95},
        ),
        "model_vs_data.cleaning_table": (
            f(model_vs_data.cleaning_table),
            lambda: {"results": _factorial().copy()},
        ),
        "model_vs_data.plot_factorial": (
            f(model_vs_data.plot_factorial),
            lambda: {"results": _factorial().copy(), "noise": "uniform"},
        ),
        "model_vs_data.plot_effects": (
            f(model_vs_data.plot_effects),
            lambda: {
                "effects": model_vs_data.factorial_effects(_factorial(), "nb", "nb2"),
                "effects_to_show": ["model lever"],
            },
        ),
        "label_errors.cleaning_experiment": (
            f(label_errors.cleaning_experiment),
            lambda: {
                "model": model,
                "X": X.copy(),
                "y": y.copy(),
                "noise_matrix": noise.uniform_noise_matrix(3, 0.2),
                "seeds": [0],
                "test_size": 0.3,
                "retrain": False,
            },
        ),
        "label_errors.crowd_precision_at_k": (
            f(label_errors.crowd_precision_at_k),
            lambda: {"ranking": np.array([3, 5, 1, 8]), "verdicts": _verdicts(), "ks": [2, 4]},
        ),
        "label_errors.verdict_summary": (
            f(label_errors.verdict_summary),
            lambda: {"is_issue": np.array([True, True, True, False]), "verdicts": _verdicts4()},
        ),
        "weak_supervision.score_weak_labels": (
            f(ws.score_weak_labels),
            lambda: {"y_true": np.array([1, 0, 0, 1] * 5), "y_pred": np.array([1, 0, -1, -1] * 5)},
        ),
        "evidence.mean_ci": (
            f(evidence.mean_ci),
            lambda: {"values": [0.8, 0.82, 0.84], "confidence": 0.95},
        ),
        "evidence.paired_count": (
            f(evidence.paired_count),
            lambda: {"a": np.array([0.9, 0.8, 0.7]), "b": np.array([0.85, 0.8, 0.75])},
        ),
        "curation.noisy_split": (
            f(curation.noisy_split),
            lambda: {
                "X": X.copy(),
                "y": y.copy(),
                "noise_matrix": noise.uniform_noise_matrix(3, 0.2),
                "pool_size": 30,
                "val_size": 12,
                "test_size": 12,
                "seed": 0,
            },
        ),
        "datasets.load_label_errors": (f(datasets.load_label_errors), lambda: {"name": "mnist"}),
        "datasets.load_mnist": (f(datasets.load_mnist), lambda: {"split": "test"}),
        "datasets.load_adult": (f(datasets.load_adult), lambda: {"split": "test", "clean": True}),
        "datasets.load_wine_quality": (f(datasets.load_wine_quality), lambda: {"color": "red"}),
        "model_vs_data.accuracy_across_splits": (
            f(model_vs_data.accuracy_across_splits),
            lambda: {"model": model, "X": X.copy(), "y": y.copy(), "seeds": [0, 1]},
        ),
        # label_errors
        "label_errors.out_of_sample_pred_probs": (
            f(label_errors.out_of_sample_pred_probs),
            lambda: {"model": model, "X": X.copy(), "labels": y.copy(), "cv": 3, "seed": 0},
        ),
        "label_errors.per_class_thresholds": (
            f(label_errors.per_class_thresholds),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy()},
        ),
        "label_errors.confident_joint": (
            f(label_errors.confident_joint),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy(), "tiebreak": "paper"},
        ),
        "label_errors.estimate_noise_matrices": (
            f(label_errors.estimate_noise_matrices),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy(), "tiebreak": "paper"},
        ),
        "label_errors.find_label_issues": (
            f(label_errors.find_label_issues),
            lambda: {
                "labels": d["noisy"].copy(),
                "pred_probs": P.copy(),
                "filter_by": "both",
                "frac_noise": 0.5,
            },
        ),
        "label_errors.label_quality_scores": (
            f(label_errors.label_quality_scores),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy(), "by": "self_confidence"},
        ),
        "label_errors.rank_label_issues": (
            f(label_errors.rank_label_issues),
            lambda: {"labels": d["noisy"].copy(), "pred_probs": P.copy(), "mask": d["flipped"]},
        ),
        "label_errors.detection_scores": (
            f(label_errors.detection_scores),
            lambda: {"is_issue": d["flipped"].copy(), "is_flipped": d["flipped"][::-1].copy()},
        ),
        "label_errors.detection_table": (
            f(label_errors.detection_table),
            lambda: {"issue_masks": {"a": d["flipped"].copy()}, "is_flipped": d["flipped"]},
        ),
        "label_errors.retraining_table": (
            f(label_errors.retraining_table),
            lambda: {
                "model": model,
                "X_train": X.copy(),
                "given_labels": d["noisy"].copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "issue_masks": {"a": d["flipped"].copy()},
                "true_labels": y.copy(),
            },
        ),
        "label_errors.plot_noise_matrix": (
            f(label_errors.plot_noise_matrix),
            lambda: {"matrix": noise.uniform_noise_matrix(3, 0.2), "vmax": 1.0},
        ),
        # aggregation
        "aggregation.to_vote_matrix": (f(ag.to_vote_matrix), lambda: {"votes": answers.copy()}),
        "aggregation.to_vote_matrix[matrix]": (
            f(ag.to_vote_matrix),
            lambda: {"votes": votes.copy(), "n_classes": 3},
        ),
        "aggregation.vote_counts": (f(ag.vote_counts), lambda: {"votes": answers.copy()}),
        "aggregation.majority_vote": (
            f(ag.majority_vote),
            lambda: {"votes": answers.copy(), "tie_break": "lowest", "seed": 0},
        ),
        "aggregation.dawid_skene": (
            f(ag.dawid_skene),
            lambda: {"votes": answers.copy(), "max_iter": 20, "tol": 1e-6, "init_diag": 0.7},
        ),
        "aggregation.dawid_skene[matrix]": (
            f(ag.dawid_skene),
            lambda: {"votes": votes.copy(), "n_classes": 3, "init": "uniform_diag"},
        ),
        # weak_supervision
        "weak_supervision.lf_names": (f(ws.lf_names), lambda: {"lfs": [_lf_spam, _lf_song]}),
        "weak_supervision.apply_lfs": (
            f(ws.apply_lfs),
            lambda: {"lfs": [_lf_spam, _lf_song], "df": texts.copy(), "progress": False},
        ),
        "weak_supervision.label_matrix_stats": (
            f(ws.label_matrix_stats),
            lambda: {"L": votes.copy()},
        ),
        "weak_supervision.lf_summary": (
            f(ws.lf_summary),
            lambda: {"L": votes.copy(), "Y": y[:30].copy(), "lf_names": list("abcde")},
        ),
        "weak_supervision.accuracy_with_abstains": (
            f(ws.accuracy_with_abstains),
            lambda: {"y_true": y[:30].copy(), "y_pred": ag.majority_vote(votes, 3, "lowest")},
        ),
        "weak_supervision.dawid_skene_posteriors": (
            f(ws.dawid_skene_posteriors),
            lambda: {"result": ag.dawid_skene(votes, 3), "L": votes.copy()},
        ),
        "weak_supervision.soft_label_dataset": (
            f(ws.soft_label_dataset),
            lambda: {"X": X.copy(), "probs": P.copy(), "min_weight": 0.01},
        ),
        "weak_supervision.plot_lf_summary": (
            f(ws.plot_lf_summary),
            lambda: {"summary": ws.lf_summary(votes)},
        ),
        # crowdsourcing
        "crowdsourcing.item_agreement": (
            f(cs.item_agreement),
            lambda: {
                "answers": answers.copy(),
                "consensus": ag.majority_vote(answers, 3, "lowest"),
            },
        ),
        "crowdsourcing.annotator_quality": (
            f(cs.annotator_quality),
            lambda: {"answers": answers.copy(), "reference": truth.copy()},
        ),
        "crowdsourcing.cohen_kappa": (
            f(cs.cohen_kappa),
            lambda: {"labels_a": y.copy(), "labels_b": d["noisy"].copy()},
        ),
        "crowdsourcing.fleiss_kappa": (f(cs.fleiss_kappa), lambda: {"answers": answers.copy()}),
        "crowdsourcing.interpret_kappa": (f(cs.interpret_kappa), lambda: {"kappa": 0.45}),
        "crowdsourcing.implied_accuracy": (
            f(cs.implied_accuracy),
            lambda: {"confusions": conf.copy(), "priors": np.full(3, 1 / 3)},
        ),
        "crowdsourcing.screen_workers": (
            f(cs.screen_workers),
            lambda: {"answers": answers.copy(), "gold": truth.iloc[:10].copy(), "threshold": 0.6},
        ),
        "crowdsourcing.weighted_majority_vote": (
            f(cs.weighted_majority_vote),
            lambda: {
                "answers": answers.copy(),
                "weights": pd.Series(np.ones(5), index=pd.RangeIndex(5, name="worker")),
            },
        ),
        "crowdsourcing.dawid_skene_e_step": (
            f(cs.dawid_skene_e_step),
            lambda: {"votes": votes.copy(), "priors": np.full(3, 1 / 3), "confusions": conf.copy()},
        ),
        "crowdsourcing.dawid_skene_m_step": (
            f(cs.dawid_skene_m_step),
            lambda: {"votes": votes.copy(), "posteriors": post.copy(), "n_classes": 3},
        ),
        "crowdsourcing.subsample_answers": (
            f(cs.subsample_answers),
            lambda: {"answers": answers.copy(), "per_item": 2, "seed": 0},
        ),
        "crowdsourcing.redundancy_curve": (
            f(cs.redundancy_curve),
            lambda: {
                "answers": answers.copy(),
                "truth": truth.copy(),
                "per_item": [1, 3],
                "seeds": [0, 1],
                "progress": False,
            },
        ),
        "crowdsourcing.plot_redundancy": (
            f(cs.plot_redundancy),
            lambda: {"curve": cs.redundancy_curve(answers, truth, [1, 3], [0, 1], progress=False)},
        ),
        # scaling
        "scaling.power_law": (
            f(scaling.power_law),
            lambda: {"n": [10, 100], "a": 1.0, "b": 0.5, "c": 0.1},
        ),
        "scaling.stratified_subset": (
            f(scaling.stratified_subset),
            lambda: {"labels": y.copy(), "n": 12, "seed": 0},
        ),
        "scaling.learning_curve": (
            f(scaling.learning_curve),
            lambda: {
                "model": model,
                "X": X.copy(),
                "y": y.copy(),
                "sizes": [9, 18, 30],
                "n_repeats": 2,
                "test_size": 0.3,
                "seed": 0,
                "progress": False,
            },
        ),
        "scaling.summarize_curve": (
            f(scaling.summarize_curve),
            lambda: {"curve": d["curve"].copy()},
        ),
        "scaling.fit_power_law": (
            f(scaling.fit_power_law),
            lambda: {"n": d["curve"]["n"].to_numpy(), "error": d["curve"]["error"].to_numpy()},
        ),
        "scaling.fit_power_law_bootstrap": (
            f(scaling.fit_power_law_bootstrap),
            lambda: {"curve": d["curve"].copy(), "n_boot": 5, "seed": 0, "progress": False},
        ),
        "scaling.last_value_baseline": (
            f(scaling.last_value_baseline),
            lambda: {"n": d["curve"]["n"].to_numpy(), "error": d["curve"]["error"].to_numpy()},
        ),
        "scaling.extrapolation_error": (
            f(scaling.extrapolation_error),
            lambda: {"fit": fit, "n_heldout": np.array([320.0]), "error_heldout": np.array([0.08])},
        ),
        "scaling.pareto_front": (
            f(scaling.pareto_front),
            lambda: {"cost": np.array([1.0, 2.0, 3.0]), "error": np.array([0.3, 0.2, 0.25])},
        ),
        "scaling.plot_learning_curve": (
            f(scaling.plot_learning_curve),
            lambda: {"curve": d["curve"].copy(), "fit": fit, "extend_to": 1000.0},
        ),
        "scaling.PowerLawFit": (f(scaling.PowerLawFit), lambda: {"a": 0.6, "b": 0.5, "c": 0.05}),
        "scaling.PowerLawFit.predict": (lambda: fit.predict, lambda: {"n": 1000}),
        "scaling.PowerLawFit.samples_needed": (
            lambda: fit.samples_needed,
            lambda: {"target_error": 0.08},
        ),
        "scaling.LastValueBaseline": (
            f(scaling.LastValueBaseline),
            lambda: {"value": 0.1, "n_last": 160.0},
        ),
        "scaling.LastValueBaseline.predict": (
            lambda: scaling.LastValueBaseline(0.1, 160.0).predict,
            lambda: {"n": [200, 400]},
        ),
        "scaling.PowerLawBootstrap.intervals": (
            lambda: _bootstrap().intervals,
            lambda: {"level": 0.9},
        ),
        "scaling.PowerLawBootstrap.predict_interval": (
            lambda: _bootstrap().predict_interval,
            lambda: {"n": [200, 400], "level": 0.9},
        ),
        "scaling.PowerLawBootstrap.samples_needed_interval": (
            lambda: _bootstrap().samples_needed_interval,
            lambda: {"target_error": 0.09, "level": 0.9},
        ),
        # active_learning
        "active_learning.least_confidence": (
            f(al.least_confidence),
            lambda: {"pred_probs": P.copy()},
        ),
        "active_learning.margin": (f(al.margin), lambda: {"pred_probs": P.copy()}),
        "active_learning.entropy": (f(al.entropy), lambda: {"pred_probs": P.copy()}),
        "active_learning.random_sampling": (
            f(al.random_sampling),
            lambda: {"n_pool": 60, "batch_size": 5, "seed": 0},
        ),
        "active_learning.uncertainty_sampling": (
            f(al.uncertainty_sampling),
            lambda: {"pred_probs": P.copy(), "batch_size": 5, "method": "margin"},
        ),
        "active_learning.k_center_greedy": (
            f(al.k_center_greedy),
            lambda: {"X_pool": X.copy(), "X_labeled": Xt[:5].copy(), "batch_size": 5, "seed": 0},
        ),
        "active_learning.margin_k_center": (
            f(al.margin_k_center),
            lambda: {
                "pred_probs": P.copy(),
                "X_pool": X.copy(),
                "X_labeled": Xt[:5].copy(),
                "batch_size": 5,
                "n_candidates": 20,
            },
        ),
        "active_learning.active_learning_round": (
            f(al.active_learning_round),
            lambda: {
                "model": model,
                "X_pool": X.copy(),
                "y_oracle": y.copy(),
                "labeled": np.arange(60) < 12,
                "batch_size": 5,
                "strategy": "margin",
                "seed": 0,
            },
        ),
        "active_learning.run_active_learning": (
            f(al.run_active_learning),
            lambda: {
                "model": model,
                "X_pool": X.copy(),
                "y_oracle": y.copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "strategy": "margin",
                "initial_size": 10,
                "batch_size": 5,
                "n_rounds": 2,
                "seed": 0,
                "progress": False,
            },
        ),
        "active_learning.compare_strategies": (
            f(al.compare_strategies),
            lambda: {
                "model": model,
                "X_pool": X.copy(),
                "y_oracle": y.copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "strategies": ["random", "margin"],
                "n_seeds": 1,
                "initial_size": 10,
                "batch_size": 5,
                "n_rounds": 1,
                "progress": False,
            },
        ),
        "active_learning.compare_over_splits": (
            f(al.compare_over_splits),
            lambda: {
                "model": model,
                "split": _split,
                "strategies": ["random", "margin"],
                "n_seeds": 1,
                "initial_size": 10,
                "batch_size": 5,
                "n_rounds": 1,
                "progress": False,
            },
        ),
        "active_learning.learning_curve_summary": (
            f(al.learning_curve_summary),
            lambda: {"results": d["results"].copy(), "confidence": 0.95},
        ),
        "active_learning.area_under_curve": (
            f(al.area_under_curve),
            lambda: {"results": d["results"].copy()},
        ),
        "active_learning.labels_to_reach": (
            f(al.labels_to_reach),
            lambda: {"results": d["results"].copy(), "target": 0.65},
        ),
        "active_learning.strategy_table": (
            f(al.strategy_table),
            lambda: {"results": d["results"].copy(), "target": 0.65, "baseline": "random"},
        ),
        "active_learning.plot_learning_curves": (
            f(al.plot_learning_curves),
            lambda: {"results": d["results"].copy(), "confidence": 0.9, "target": 0.65},
        ),
        "active_learning.annotator_oracle": (
            f(al.annotator_oracle),
            lambda: {"true_labels": y.copy(), "accuracies": [0.9, 0.7], "seed": 0},
        ),
        "active_learning.run_relabeling": (
            f(al.run_relabeling),
            lambda: {
                "model": model,
                "X_pool": X[:30].copy(),
                "answers": answers.copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "strategy": "margin",
                "initial_size": 10,
                "batch_size": 5,
                "n_rounds": 1,
                "seed": 0,
                "progress": False,
                "true_labels": y[:30].copy(),
            },
        ),
        # quality
        "quality.featurize": (f(quality.featurize), lambda: {"X": X.copy()}),
        "quality.find_duplicates": (
            f(quality.find_duplicates),
            lambda: {"X": np.vstack([X, X[:3]]), "threshold": 0.5, "metric": "euclidean"},
        ),
        "quality.label_conflicts": (
            f(quality.label_conflicts),
            lambda: {"groups": [np.array([0, 1]), np.array([2, 5])], "labels": y.copy()},
        ),
        "quality.disagrees_with_group": (
            f(quality.disagrees_with_group),
            lambda: {"groups": [np.array([0, 1]), np.array([2, 5])], "labels": y.copy()},
        ),
        "quality.deduplicate": (
            f(quality.deduplicate),
            lambda: {"groups": [np.array([0, 1]), np.array([2, 5])], "n_examples": 60},
        ),
        "quality.find_leakage": (
            f(quality.find_leakage),
            lambda: {"X_train": X.copy(), "X_test": X[:3].copy(), "threshold": 0.1},
        ),
        "quality.leakage_inflation": (
            f(quality.leakage_inflation),
            lambda: {
                "y_test": y.copy(),
                "y_pred": d["noisy"].copy(),
                "leaked": d["flipped"].copy(),
            },
        ),
        "quality.leakage_experiment": (
            f(quality.leakage_experiment),
            lambda: {
                "model": model,
                "X": np.vstack([X, X[:6]]),
                "y": np.r_[y, y[:6]],
                "seeds": [0],
                "test_size": 0.3,
                "progress": False,
            },
        ),
        "quality.outlier_scores": (
            f(quality.outlier_scores),
            lambda: {"X": X.copy(), "method": "knn", "k": 5, "seed": 0},
        ),
        "quality.flag_outliers": (
            f(quality.flag_outliers),
            lambda: {"scores": np.r_[np.linspace(0, 1, 20), 10.0], "factor": 1.5},
        ),
        "quality.precision_recall": (
            f(quality.precision_recall),
            lambda: {"flagged": d["flipped"].copy(), "truth": d["flipped"][::-1].copy()},
        ),
        "quality.class_balance": (f(quality.class_balance), lambda: {"labels": y.copy()}),
        "quality.audit": (
            f(quality.audit),
            lambda: {
                "X": np.vstack([X, X[:2]]),
                "labels": np.r_[y, y[:2]],
                "X_test": X[:3].copy(),
                "labels_test": y[:3].copy(),
                "near_threshold": 0.2,
                "k": 5,
                "outlier_factor": 1.5,
                "n_worst": 3,
                "seed": 0,
            },
        ),
        "quality.AuditReport.worst": (
            lambda: quality.audit(X, y, k=5).worst,
            lambda: {"issue": "outliers"},
        ),
        "quality.run_datalab": (
            f(quality.run_datalab),
            lambda: {"features": X.copy(), "labels": y.copy(), "pred_probs": P.copy(), "k": 5},
        ),
        # curation
        "curation.select_top_fraction": (
            f(curation.select_top_fraction),
            lambda: {"scores": P[:, 0].copy(), "fraction": 0.5},
        ),
        "curation.subset_accuracy_curve": (
            f(curation.subset_accuracy_curve),
            lambda: {
                "model": model,
                "X_train": X.copy(),
                "y_train": d["noisy"].copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "scores": {"confidence": P[np.arange(60), d["noisy"]]},
                "fractions": [0.5, 1.0],
                "random_seeds": [0],
                "is_flipped": d["flipped"].copy(),
                "progress": False,
            },
        ),
        "curation.smallest_matching_fraction": (
            f(curation.smallest_matching_fraction),
            lambda: {
                "fractions": [0.2, 0.5, 0.8, 1.0],
                "accuracies": [0.7, 0.81, 0.83, 0.8],
                "target": 0.8,
            },
        ),
        "curation.compression_ratio": (
            f(curation.compression_ratio),
            lambda: {
                "fractions": [0.2, 0.5, 0.8, 1.0],
                "accuracies": [0.7, 0.81, 0.83, 0.8],
                "target": 0.8,
            },
        ),
        "curation.judge_features": (
            f(curation.judge_features),
            lambda: {
                "labels": d["noisy"].copy(),
                "pred_probs": P.copy(),
                "X": X.copy(),
                "n_neighbors": 5,
            },
        ),
        "curation.train_judge": (
            f(curation.train_judge),
            lambda: {
                "features": curation.judge_features(d["noisy"], P),
                "label_is_correct": ~d["flipped"],
                "seed": 0,
            },
        ),
        "curation.transform_images": (
            f(curation.transform_images),
            lambda: {"images": d["images"].copy(), "strengths": np.linspace(0, 1, 6), "seed": 0},
        ),
        "curation.accept_by_validation": (
            f(curation.accept_by_validation),
            lambda: {
                "model": model,
                "X_train": X[:30].copy(),
                "y_train": y[:30].copy(),
                "X_candidates": X[30:].copy(),
                "y_candidates": y[30:].copy(),
                "groups": np.arange(30) % 2,
                "X_val": Xt.copy(),
                "y_val": yt.copy(),
            },
        ),
        "curation.forecast_more_data": (
            f(curation.forecast_more_data),
            lambda: {
                "model": model,
                "X_labeled": X.copy(),
                "y_labeled": y.copy(),
                "X_val": Xt.copy(),
                "y_val": yt.copy(),
                "n_new": 50,
                "seed": 0,
            },
        ),
        "curation.run_flywheel": (
            f(curation.run_flywheel),
            lambda: {
                "model": model,
                "X_pool": X.copy(),
                "crowd_labels": d["noisy"].copy(),
                "true_labels": y.copy(),
                "X_val": Xt.copy(),
                "y_val": yt.copy(),
                "X_test": Xt.copy(),
                "y_test": yt.copy(),
                "strategy": "cleaner data",
                "initial_size": 30,
                "budget_per_round": 10,
                "n_rounds": 1,
                "review_cost": 2,
                "pilot_reviews": 2,
                "seed": 0,
                "progress": False,
            },
        ),
        "curation.Forecast": (
            f(curation.Forecast),
            lambda: {"more_data": 0.01, "cleaner_data": 0.02},
        ),
        # datasets, environment, course, site, notebook tools
        "datasets.load_crowd": (f(datasets.load_crowd), lambda: {"name": "bluebirds"}),
        "datasets.fetch_file": (
            f(datasets.fetch_file),
            lambda: {"relpath": next(iter(datasets.REGISTRY))},
        ),
        "environment.check_environment": (
            f(environment.check_environment),
            lambda: {"datasets": ["letters"], "requires": "0.1"},
        ),
        "course.existing_lessons": (f(course.existing_lessons), lambda: {"root": ROOT}),
        "course.measured_seconds": (f(course.measured_seconds), lambda: {"path": nb_path}),
        "course.course_table": (
            f(course.course_table),
            lambda: {"root": ROOT, "base": ".", "ext": ".ipynb"},
        ),
        "course.benchmark_table": (f(course.benchmark_table), lambda: {"root": ROOT}),
        "course.benchmark_markdown": (
            f(course.benchmark_markdown),
            lambda: {"results": _benchmark_results()},
        ),
        "course.render_readme": (
            f(course.render_readme),
            lambda: {"text": (ROOT / "README.md").read_text(encoding="utf-8"), "root": ROOT},
        ),
        "site.broken_links": (f(site.broken_links), lambda: {"outdir": _tmp()}),
        "slides.slide_type": (f(slides.slide_type), lambda: {"cell": _first_cell(nb_path)}),
        "slides.allowed_slide_types": (
            f(slides.allowed_slide_types),
            lambda: {"cell": _first_cell(nb_path)},
        ),
        "slides.suggest_slide_type": (
            f(slides.suggest_slide_type),
            lambda: {"cell": _first_cell(nb_path), "setup": False},
        ),
        "slides.slide_problems": (f(slides.slide_problems), lambda: {"notebook": nb_path}),
        "slides.fill_slide_types": (
            f(slides.fill_slide_types),
            lambda: {"nb": notebook_tools.read_notebook(nb_path)},
        ),
        "slides.deck_name": (f(slides.deck_name), lambda: {"notebook": nb_path}),
        "slides.copy_assets": (f(slides.copy_assets), lambda: {"outdir": _tmp()}),
        "guide.learning_objectives": (f(guide.learning_objectives), lambda: {"notebook": nb_path}),
        "guide.missing_instructor_notes": (
            f(guide.missing_instructor_notes),
            lambda: {"root": ROOT},
        ),
        "guide.instructor_notes_path": (
            f(guide.instructor_notes_path),
            lambda: {"root": ROOT, "lesson": course.COURSE[0]},
        ),
        "guide.instructor_guide": (f(guide.instructor_guide), lambda: {"root": ROOT}),
        "notebook_tools.read_notebook": (
            f(notebook_tools.read_notebook),
            lambda: {"path": nb_path},
        ),
        "notebook_tools.clean_notebook": (
            f(notebook_tools.clean_notebook),
            lambda: {"nb": notebook_tools.read_notebook(nb_path)},
        ),
        "notebook_tools.clear_outputs": (
            f(notebook_tools.clear_outputs),
            lambda: {"nb": notebook_tools.read_notebook(nb_path)},
        ),
        "notebook_tools.write_notebook": (
            f(notebook_tools.write_notebook),
            lambda: {"nb": notebook_tools.read_notebook(nb_path), "path": _tmp() / "nb.ipynb"},
        ),
        # privacy
        "privacy.per_example_loss": (
            f(privacy.per_example_loss),
            lambda: {"pred_probs": P.copy(), "labels": y.copy()},
        ),
        "privacy.loss_attack_scores": (
            f(privacy.loss_attack_scores),
            lambda: {"pred_probs": P.copy(), "labels": y.copy()},
        ),
        "privacy.roc_points": (
            f(privacy.roc_points),
            lambda: {"scores": P[:, 0].copy(), "is_member": MEMBER.copy()},
        ),
        "privacy.roc_auc": (
            f(privacy.roc_auc),
            lambda: {"scores": P[:, 0].copy(), "is_member": MEMBER.copy()},
        ),
        "privacy.tpr_at_fpr": (
            f(privacy.tpr_at_fpr),
            lambda: {"scores": P[:, 0].copy(), "is_member": MEMBER.copy(), "fpr": 0.1},
        ),
        "privacy.attack_metrics": (
            f(privacy.attack_metrics),
            lambda: {"scores": P[:, 0].copy(), "is_member": MEMBER.copy(), "fpr": 0.1},
        ),
        "privacy.ShadowAttack": (
            f(privacy.ShadowAttack),
            lambda: {"model": model, "n_shadows": 2, "n_in": 30, "seed": 0},
        ),
        "privacy.ShadowAttack.fit": (
            lambda: privacy.ShadowAttack(model, n_shadows=2, seed=0).fit,
            lambda: {"X_shadow": X.copy(), "y_shadow": y.copy()},
        ),
        "privacy.ShadowAttack.score": (
            lambda: _shadow_attack().score,
            lambda: {"pred_probs": P.copy(), "labels": y.copy()},
        ),
        "privacy.membership_experiment": (
            f(privacy.membership_experiment),
            lambda: {"model": model, "X": X.copy(), "y": y.copy(), "n_train": 20, "seeds": [0]},
        ),
        "privacy.noisy_vote_counts": (
            f(privacy.noisy_vote_counts),
            lambda: {
                "votes": np.array([y[:10], y[10:20]]),
                "n_classes": 3,
                "epsilon": 1.0,
                "seed": 0,
            },
        ),
        "privacy.flip_labels": (
            f(privacy.flip_labels),
            lambda: {"labels": y.copy(), "source": 1, "target": 2, "fraction": 0.5, "seed": 0},
        ),
        "privacy.add_trigger": (
            f(privacy.add_trigger),
            lambda: {
                "X": d["images"].copy(),
                "image_shape": (8, 8),
                "size": 2,
                "value": 1.0,
                "corner": "top-left",
            },
        ),
        "privacy.plant_backdoor": (
            f(privacy.plant_backdoor),
            lambda: {
                "X": d["images"][np.arange(30) % 6],
                "y": np.arange(30) % 3,
                "target": 0,
                "fraction": 0.3,
                "seed": 0,
            },
        ),
        "privacy.attack_success_rate": (
            f(privacy.attack_success_rate),
            lambda: {"predictions": d["noisy"].copy(), "true_labels": y.copy(), "target": 0},
        ),
        "privacy.sanitize_flags": (
            f(privacy.sanitize_flags),
            lambda: {"X": X.copy(), "y": y.copy(), "method": "outliers", "k": 5, "seed": 0},
        ),
        "privacy.poisoning_experiment": (
            f(privacy.poisoning_experiment),
            lambda: {
                "model": model,
                "X": d["images"][np.arange(30) % 6] + np.arange(30)[:, None],
                "y": np.arange(30) % 3,
                "kind": "backdoor",
                "target": 0,
                "fraction": 0.2,
                "methods": ["none", "outliers"],
                "seeds": [0],
                "test_size": 0.3,
                "k": 3,
            },
        ),
    }
    ex.update(_examples_new_modules())
    ex.update(_examples_fairness())
    return ex


@cache
def _adult_sample() -> pd.DataFrame:
    """250 cleaned Adult test rows (with the income column): lessons 7 and 9's data."""
    from dcai_course.datasets import load_adult

    return load_adult("test").iloc[:250].reset_index(drop=True)


def _tiny_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": np.arange(20) % 7 + 20,
            "hours": np.linspace(10.0, 60.0, 20),
            "color": ["red", "blue", "green", "red"] * 5,
        }
    )


def _tiny_schema():
    from dcai_course.validation import ColumnRule, Schema

    return Schema(
        {
            "age": ColumnRule("int", minimum=0, maximum=120),
            "hours": ColumnRule("float", minimum=0.0),
            "color": ColumnRule("category", allowed=("red", "blue", "green")),
        }
    )


def _flip_batch(batch, rng):
    from dcai_course.augmentation import hflip

    return hflip(batch)


def _double(x):
    return 2 * x


@cache
def _mlp():
    from dcai_course.noisy_training import make_mlp

    return make_mlp(4, 3, hidden=4, seed=0)


@cache
def _cnn():
    from dcai_course.augmentation import make_cnn

    return make_cnn(n_classes=3, seed=0)


def _examples_new_modules() -> dict[str, tuple[Callable[[], Callable], Callable[[], dict]]]:
    """Valid calls for lessons 3, 7, 8 and 12's modules (noisy_training, validation,
    evaluation, augmentation)."""
    import torch

    from dcai_course import augmentation as aug
    from dcai_course import evaluation as ev
    from dcai_course import noise
    from dcai_course import noisy_training as nt
    from dcai_course import validation as va

    d = data()
    X, y, Xt, P = d["X"], d["y"], d["X_test"], d["probs"]
    model = d["model"]
    imgs = d["images"].reshape(6, 8, 8) / 16.0
    big = np.random.default_rng(1).uniform(0, 1, size=(6, 28, 28))
    logits = torch.as_tensor(2.0 * X[:, :3])
    table = _tiny_table()
    frame_X = pd.DataFrame(
        {"a": ["x", "y"] * 30, "b": np.repeat(["p", "q", "r"], 20)},
    )
    errors = (d["flipped"]).astype(float)

    def f(func):
        return lambda: func

    return {
        # noisy_training
        "noisy_training.make_mlp": (
            f(nt.make_mlp),
            lambda: {"n_features": 4, "n_classes": 3, "hidden": 4, "seed": 0},
        ),
        "noisy_training.train_classifier": (
            f(nt.train_classifier),
            lambda: {
                "X": X.copy(),
                "labels": y.copy(),
                "loss": "gce",
                "loss_params": {"q": 0.7},
                "small_loss": "self",
                "forget_rate": 0.2,
                "warmup_epochs": 1,
                "hidden": 4,
                "epochs": 2,
                "batch_size": 30,
                "lr": 0.01,
                "eval_sets": {"test": (Xt.copy(), d["y_test"].copy())},
                "select_on": "test",
                "seed": 0,
                "progress": False,
            },
        ),
        "noisy_training.predict_proba": (
            f(nt.predict_proba),
            lambda: {"model": _mlp(), "X": X.copy()},
        ),
        "noisy_training.accuracy": (
            f(nt.accuracy),
            lambda: {"model": _mlp(), "X": X.copy(), "labels": y.copy()},
        ),
        "noisy_training.filter_then_train": (
            f(nt.filter_then_train),
            lambda: {
                "X": X.copy(),
                "labels": y.copy(),
                "is_issue": d["flipped"].copy(),
                "epochs": 1,
                "hidden": 4,
                "progress": False,
            },
        ),
        "noisy_training.forget_rate_schedule": (
            f(nt.forget_rate_schedule),
            lambda: {"epoch": 3, "forget_rate": 0.2, "warmup_epochs": 5},
        ),
        "noisy_training.forward_corrected_loss": (
            f(nt.forward_corrected_loss),
            lambda: {
                "logits": logits.clone(),
                "labels": y.copy(),
                "noise_matrix": noise.uniform_noise_matrix(3, 0.2),
                "reduction": "mean",
            },
        ),
        "noisy_training.generalized_cross_entropy": (
            f(nt.generalized_cross_entropy),
            lambda: {"logits": logits.clone(), "labels": y.copy(), "q": 0.7, "reduction": "none"},
        ),
        "noisy_training.label_smoothing_loss": (
            f(nt.label_smoothing_loss),
            lambda: {
                "logits": logits.clone(),
                "labels": y.copy(),
                "epsilon": 0.1,
                "reduction": "mean",
            },
        ),
        "noisy_training.make_loss": (f(nt.make_loss), lambda: {"name": "gce", "q": 0.5}),
        "noisy_training.small_loss_selection": (
            f(nt.small_loss_selection),
            lambda: {"losses": np.linspace(0.1, 2.0, 20), "forget_rate": 0.2},
        ),
        "noisy_training.downsample_images": (
            f(nt.downsample_images),
            lambda: {"images": imgs.copy(), "factor": 2},
        ),
        "noisy_training.summarize_runs": (
            f(nt.summarize_runs),
            lambda: {
                "results": _noisy_runs(),
                "baseline": "ce",
                "value": "accuracy",
                "confidence": 0.95,
            },
        ),
        "noisy_training.deterministic_torch": (
            f(_enter_deterministic_torch),
            lambda: {"threads": 1},
        ),
        "noisy_training.NoisyMLPClassifier": (
            f(_fit_noisy_mlp),
            lambda: {
                "loss": "label_smoothing",
                "loss_params": {"epsilon": 0.1},
                "hidden": 4,
                "epochs": 1,
                "batch_size": 30,
                "lr": 0.01,
                "seed": 0,
            },
        ),
        "noisy_training.NoisyMLPClassifier.fit": (
            lambda: nt.NoisyMLPClassifier(hidden=4, epochs=1).fit,
            lambda: {"X": X.copy(), "y": y.copy()},
        ),
        "noisy_training.NoisyMLPClassifier.predict_proba": (
            lambda: _fitted_mlp_classifier().predict_proba,
            lambda: {"X": X.copy()},
        ),
        # validation
        "validation.ColumnRule": (
            f(va.ColumnRule),
            lambda: {"kind": "float", "nullable": False, "minimum": 0.0, "maximum": 10.0},
        ),
        "validation.ColumnRule[category]": (
            f(va.ColumnRule),
            lambda: {"kind": "category", "allowed": ("a", "b"), "unique": False},
        ),
        "validation.Schema": (
            f(va.Schema),
            lambda: {"columns": {"age": va.ColumnRule("int")}, "strict": True},
        ),
        "validation.Schema.with_rule": (
            lambda: _tiny_schema().with_rule,
            lambda: {"column": "hours", "maximum": 100.0},
        ),
        "validation.DataPipeline.source": (
            lambda: va.DataPipeline().source,
            lambda: {"name": "raw", "data": table.copy()},
        ),
        "validation.DataPipeline.step": (
            lambda: _pipeline_with_source().step,
            lambda: {"name": "doubled", "func": _double, "inputs": ["raw"]},
        ),
        "validation.DataPipeline.lineage": (
            lambda: _pipeline_run().lineage,
            lambda: {"digits": 8},
        ),
        "validation.infer_schema": (
            f(va.infer_schema),
            lambda: {"df": table.copy(), "max_categories": 5, "strict": True},
        ),
        "validation.validate": (
            f(va.validate),
            lambda: {"df": table.copy(), "schema": _tiny_schema()},
        ),
        "validation.to_pandera": (f(va.to_pandera), lambda: {"schema": _tiny_schema()}),
        "validation.pandera_violations": (
            f(va.pandera_violations),
            lambda: {"df": table.copy(), "schema": _tiny_schema()},
        ),
        "validation.violation_keys": (
            f(va.violation_keys),
            lambda: {"table": va.validate(table.assign(age=-1), _tiny_schema())},
        ),
        "validation.profile": (
            f(va.profile),
            lambda: {"df": table.copy(), "missing_tokens": ["?", "NA"]},
        ),
        "validation.string_patterns": (
            f(va.string_patterns),
            lambda: {"values": table["color"].copy(), "top": 3},
        ),
        "validation.psi": (
            f(va.psi),
            lambda: {"expected": X[:, 0].copy(), "actual": Xt[:, 0].copy(), "bins": 5},
        ),
        "validation.ks_2sample": (
            f(va.ks_2sample),
            lambda: {"a": X[:, 0].copy(), "b": Xt[:, 0].copy()},
        ),
        "validation.chi2_2sample": (
            f(va.chi2_2sample),
            lambda: {"a": table["color"].copy(), "b": table["color"].iloc[::-1].copy()},
        ),
        "validation.drift_report": (
            f(va.drift_report),
            lambda: {
                "reference": table.copy(),
                "batch": table.iloc[::-1].copy(),
                "columns": ["age", "color"],
                "bins": 5,
                "psi_threshold": 0.25,
                "alpha": 0.001,
            },
        ),
        "validation.break_batch": (
            f(va.break_batch),
            lambda: {"batch": _adult_sample().copy(), "how": "silent_shift", "seed": 0},
        ),
        "validation.hash_frame": (
            f(va.hash_frame),
            lambda: {"df": table.copy(), "ignore_row_order": True},
        ),
        "validation.adult_model": (f(va.adult_model), lambda: {"strategy": "most frequent"}),
        # evaluation
        "evaluation.adjust_correction": (
            f(ev.adjust_correction),
            lambda: {"p_values": np.array([0.01, 0.04, 0.2]), "method": "holm"},
        ),
        "evaluation.auc_permutation_test": (
            f(ev.auc_permutation_test),
            lambda: {
                "scores": P[:, 0].copy(),
                "domain": np.arange(60) < 30,
                "n_permutations": 50,
                "seed": 0,
            },
        ),
        "evaluation.bbse_weights": (
            f(ev.bbse_weights),
            lambda: {
                "y_source": y.copy(),
                "pred_source": d["noisy"].copy(),
                "pred_target": y[::-1].copy(),
                "n_classes": 3,
            },
        ),
        "evaluation.bootstrap_interval": (
            f(ev.bootstrap_interval),
            lambda: {
                "values": P[:, 0].copy(),
                "confidence": 0.95,
                "n_resamples": 50,
                "seed": 0,
            },
        ),
        "evaluation.classifier_two_sample_test": (
            f(ev.classifier_two_sample_test),
            lambda: {
                "X_a": X.copy(),
                "X_b": Xt.copy(),
                "model": model,
                "cv": 3,
                "n_permutations": 20,
                "seed": 0,
            },
        ),
        "evaluation.effective_sample_size": (
            f(ev.effective_sample_size),
            lambda: {"weights": np.linspace(0.5, 2.0, 10)},
        ),
        "evaluation.importance_weights": (
            f(ev.importance_weights),
            lambda: {"domain_probs": P[:, 0].copy(), "n_source": 40, "n_target": 20, "clip": 5.0},
        ),
        "evaluation.ks_tests": (
            f(ev.ks_tests),
            lambda: {"X_a": X.copy(), "X_b": Xt.copy(), "correction": "holm", "alpha": 0.05},
        ),
        "evaluation.mmd_test": (
            f(ev.mmd_test),
            lambda: {
                "X_a": X.copy(),
                "X_b": Xt.copy(),
                "bandwidth": 1.0,
                "n_permutations": 20,
                "seed": 0,
            },
        ),
        "evaluation.reweight_probs": (
            f(ev.reweight_probs),
            lambda: {"probs": P.copy(), "weights": np.array([1.0, 2.0, 0.5])},
        ),
        "evaluation.slice_mask": (
            f(ev.slice_mask),
            lambda: {"X": frame_X.copy(), "predicates": {"a": "x", "b": "q"}},
        ),
        "evaluation.slice_metrics": (
            f(ev.slice_metrics),
            lambda: {
                "table": frame_X.copy(),
                "correct": ~d["flipped"],
                "by": ["a"],
                "min_size": 5,
                "confidence": 0.95,
                "method": "wilson",
                "seed": 0,
            },
        ),
        "evaluation.sliceline": (
            f(ev.sliceline),
            lambda: {
                "X": frame_X.copy(),
                "errors": errors.copy(),
                "k": 2,
                "alpha": 0.95,
                "max_l": 2,
                "min_sup": 5,
            },
        ),
        "evaluation.wilson_interval": (
            f(ev.wilson_interval),
            lambda: {"successes": np.array([3, 8]), "n": np.array([10, 10]), "confidence": 0.9},
        ),
        # augmentation
        "augmentation.hflip": (f(aug.hflip), lambda: {"images": imgs.copy()}),
        "augmentation.rotate": (
            f(aug.rotate),
            lambda: {"images": imgs.copy(), "degrees": np.linspace(-10, 10, 6)},
        ),
        "augmentation.shift": (
            f(aug.shift),
            lambda: {"images": imgs.copy(), "down": np.ones(6), "right": -np.ones(6)},
        ),
        "augmentation.random_erasing": (
            f(aug.random_erasing),
            lambda: {"images": imgs.copy(), "max_fraction": 0.25, "value": 0.0, "seed": 0},
        ),
        "augmentation.augment": (
            f(aug.augment),
            lambda: {
                "images": imgs.copy(),
                "max_rotation": 15.0,
                "max_shift": 2.0,
                "flip": True,
                "erase": 0.2,
                "seed": 0,
            },
        ),
        "augmentation.one_hot": (
            f(aug.one_hot),
            lambda: {"labels": y.copy(), "n_classes": 3},
        ),
        "augmentation.mixup": (
            f(aug.mixup),
            lambda: {"X": X.copy(), "targets": aug.one_hot(y, 3), "alpha": 0.2, "seed": 0},
        ),
        "augmentation.cutmix": (
            f(aug.cutmix),
            lambda: {
                "images": imgs.copy(),
                "targets": aug.one_hot(y[:6], 3),
                "alpha": 1.0,
                "seed": 0,
            },
        ),
        "augmentation.make_cnn": (f(aug.make_cnn), lambda: {"n_classes": 3, "seed": 0}),
        "augmentation.train_cnn": (
            f(aug.train_cnn),
            lambda: {
                "images": big.copy(),
                "labels": y[:6].copy(),
                "augment_fn": _flip_batch,
                "mix": "mixup",
                "alpha": 1.0,
                "steps": 2,
                "batch_size": 4,
                "lr": 0.003,
                "n_classes": 3,
                "seed": 0,
            },
        ),
        "augmentation.accuracy": (
            f(aug.accuracy),
            lambda: {"model": _cnn(), "images": big.copy(), "labels": y[:6].copy()},
        ),
        "augmentation.smote": (
            f(aug.smote),
            lambda: {
                "X": X[:40].copy(),
                "y": (np.arange(40) < 8).astype(int),
                "k_neighbors": 3,
                "seed": 0,
            },
        ),
        "augmentation.imbalance_scores": (
            f(aug.imbalance_scores),
            lambda: {
                "model": model,
                "X_train": X[:40].copy(),
                "y_train": (np.arange(40) < 8).astype(int),
                "X_test": Xt.copy(),
                "y_test": (np.arange(30) < 6).astype(int),
                "methods": ["nothing", "SMOTE (ours)"],
                "seed": 0,
            },
        ),
        "augmentation.gaussian_mixture_candidates": (
            f(aug.gaussian_mixture_candidates),
            lambda: {"X": X.copy(), "y": y.copy(), "n_per_class": 4, "n_components": 2, "seed": 0},
        ),
        "augmentation.synonym_replacement": (
            f(aug.synonym_replacement),
            lambda: {"text": "check out my great new song", "n": 2, "seed": 0},
        ),
        "augmentation.random_insertion": (
            f(aug.random_insertion),
            lambda: {"text": "check out my great new song", "n": 2, "seed": 0},
        ),
        "augmentation.random_swap": (
            f(aug.random_swap),
            lambda: {"text": "check out my great new song", "n": 2, "seed": 0},
        ),
        "augmentation.random_deletion": (
            f(aug.random_deletion),
            lambda: {"text": "check out my great new song", "p": 0.2, "seed": 0},
        ),
        "augmentation.eda": (
            f(aug.eda),
            lambda: {
                "texts": ["check out my channel", "love this song"],
                "labels": np.array([1, 0]),
                "n_aug": 2,
                "alpha": 0.1,
                "seed": 0,
            },
        ),
    }


def _enter_deterministic_torch(threads):
    """``deterministic_torch`` is a context manager: its checks run on entering it."""
    from dcai_course.noisy_training import deterministic_torch

    with deterministic_torch(threads):
        pass


def _fit_noisy_mlp(**params):
    """A scikit-learn estimator checks its parameters in ``fit`` (not ``__init__``)."""
    from dcai_course.noisy_training import NoisyMLPClassifier

    d = data()
    return NoisyMLPClassifier(**params).fit(d["X"], d["y"])


def _examples_fairness() -> dict[str, tuple[Callable[[], Callable], Callable[[], dict]]]:
    """Valid calls for lesson 9's package (fairness): binary labels, two groups."""
    from dcai_course import fairness as fa

    d = data()
    y_true = np.tile([0, 1, 1, 0, 1, 0], 10)
    y_pred = np.tile([0, 1, 0, 0, 1, 1], 10)
    score = d["probs"][:, 1].copy()
    groups = np.array(["a", "b"] * 30)
    probs2 = np.c_[1 - score, score]

    def f(func):
        return lambda: func

    def metric(func):
        return (
            f(func),
            lambda: {
                "y_true": y_true.copy(),
                "y_pred": y_pred.copy(),
                "sensitive_features": groups.copy(),
                "sample_weight": np.linspace(0.5, 1.5, 60),
            },
        )

    return {
        "fairness.demographic_parity_difference": metric(fa.demographic_parity_difference),
        "fairness.demographic_parity_ratio": metric(fa.demographic_parity_ratio),
        "fairness.equalized_odds_difference": metric(fa.equalized_odds_difference),
        "fairness.group_metrics": (
            f(fa.group_metrics),
            lambda: {
                "y_true": y_true.copy(),
                "y_pred": y_pred.copy(),
                "sensitive_features": groups.copy(),
                "y_score": score.copy(),
            },
        ),
        "fairness.fairness_report": (
            f(fa.fairness_report),
            lambda: {
                "y_true": y_true.copy(),
                "y_pred": y_pred.copy(),
                "sensitive_features": groups.copy(),
            },
        ),
        "fairness.reweighing_weights": (
            f(fa.reweighing_weights),
            lambda: {"labels": y_true.copy(), "sensitive_features": groups.copy()},
        ),
        "fairness.resample_indices": (
            f(fa.resample_indices),
            lambda: {"labels": y_true.copy(), "sensitive_features": groups.copy(), "seed": 0},
        ),
        "fairness.inject_group_noise": (
            f(fa.inject_group_noise),
            lambda: {
                "labels": y_true.copy(),
                "sensitive_features": groups.copy(),
                "flip_rates": {"a": (0.1, 0.2), "b": (0.0, 0.1)},
                "seed": 0,
            },
        ),
        "fairness.find_label_issues_by_group": (
            f(fa.find_label_issues_by_group),
            lambda: {
                "labels": y_true.copy(),
                "pred_probs": probs2.copy(),
                "sensitive_features": groups.copy(),
            },
        ),
        "fairness.fit_group_thresholds": (
            f(fa.fit_group_thresholds),
            lambda: {
                "y_true": y_true.copy(),
                "y_score": score.copy(),
                "sensitive_features": groups.copy(),
                "constraint": "demographic_parity",
                "grid_size": 101,
            },
        ),
        "fairness.apply_group_thresholds": (
            f(fa.apply_group_thresholds),
            lambda: {
                "y_score": score.copy(),
                "sensitive_features": groups.copy(),
                "thresholds": {"a": 0.4, "b": 0.6},
            },
        ),
        "fairness.adult_split": (
            f(fa.adult_split),
            lambda: {
                "frame": _adult_sample().drop(columns="income"),
                "y": _adult_sample()["income"].eq(">50K").to_numpy().astype(int),
                "attribute": "sex",
                "seed": 0,
                "n_train": 100,
                "n_valid": 10,
                "n_test": 100,
            },
        ),
        "fairness.plot_tradeoff": (
            f(fa.plot_tradeoff),
            lambda: {"table": _tradeoff_table(), "fairness": "eo_difference"},
        ),
    }


def _tradeoff_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "method": np.repeat(["baseline", "reweighing"], 3),
            "seed": np.tile([0, 1, 2], 2),
            "accuracy": [0.85, 0.84, 0.86, 0.83, 0.82, 0.84],
            "eo_difference": [0.1, 0.12, 0.09, 0.05, 0.06, 0.04],
        }
    )


def _group_bads(v: np.ndarray) -> list[Bad]:
    none = v.astype(object)
    none[0] = None
    return [
        Bad("list", v.tolist(), refuse=False),
        Bad("series", pd.Series(v), refuse=False),
        Bad("int_codes", (v == v[0]).astype(int), refuse=False),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
        Bad("2d", v.reshape(-1, 1)),
        Bad("none_item", none),
        Bad("one_group", np.full_like(v, v[0])),
        Bad("scalar", str(v[0])),
    ]


def _noisy_runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "setting": "uniform",
            "seed": np.repeat([0, 1, 2], 2),
            "method": ["ce", "gce"] * 3,
            "accuracy": [0.7, 0.75, 0.72, 0.74, 0.69, 0.73],
        }
    )


@cache
def _fitted_mlp_classifier():
    from dcai_course.noisy_training import NoisyMLPClassifier

    d = data()
    return NoisyMLPClassifier(hidden=4, epochs=1).fit(d["X"], d["y"])


def _pipeline_with_source():
    from dcai_course.validation import DataPipeline

    pipe = DataPipeline()
    pipe.source("raw", np.arange(5))
    return pipe


def _pipeline_run():
    pipe = _pipeline_with_source()
    pipe.step("doubled", _double, ["raw"])
    pipe.run()
    return pipe


@cache
def _bootstrap():
    from dcai_course.scaling import fit_power_law_bootstrap

    return fit_power_law_bootstrap(data()["curve"], n_boot=20, seed=0, progress=False)


def _benchmark_results() -> dict:
    import json

    return json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))


# --- what counts as a bad value, by kind of argument ---------------------------------------

#: Public callables not swept, and why (each has its own tests).
NOT_SWEPT = {
    **dict.fromkeys(
        (
            "datasets.adult_preprocessor",
            "datasets.cache_status",
            "datasets.data_dir",
            "datasets.load_breast_cancer",
            "datasets.load_digits",
            "datasets.load_youtube_spam",
            "environment.data_status",
            "environment.environment_report",
            "environment.package_status",
            "notebook_tools.current_env_kernel_manager",
        ),
        "takes no argument",
    ),
    **dict.fromkeys(("datasets.load_letters", "datasets.youtube_spam_splits"), "one bool flag"),
    **dict.fromkeys(
        (
            "datasets.DataChecksumError",
            "datasets.DataUnavailableError",
            "scaling.PowerLawFitError",
        ),
        "an exception class",
    ),
    **dict.fromkeys(
        (
            "datasets.DataFile",
            "datasets.YouTubeSpamSplits",
            "datasets.LabelErrorsSet",
            "curation.NoisySplit",
            "label_errors.NoiseEstimates",
            "aggregation.DawidSkeneResult",
            "quality.DatalabResult",
            "course.Lesson",
            "site.SiteReport",
            "notebook_tools.ExecutionResult",
        ),
        "a result record the package builds",
    ),
    "site.build_site": "renders every notebook (seconds per call); bad paths in test_bad_inputs",
    "slides.build_deck": "renders a deck (seconds per call); bad input in tests/test_site.py",
    "notebook_tools.execute_notebook": "starts a kernel; bad inputs in test_bad_inputs",
    "augmentation.accept_by_validation": "re-export of curation.accept_by_validation, swept there",
    "curation.flywheel_ablation": "runs the flywheel over seeds (minutes); its parts are swept",
    "weak_supervision.lecture_lfs": "takes no argument",
    "weak_supervision.uncovered_splits": "one bool flag",
    "noisy_training.FitResult": "a result record the package builds",
    "validation.raw_youtube_dates": "takes no argument",
    **dict.fromkeys(
        ("validation.content_hash", "validation.hash_array"),
        "hashes any object or array (NaN, any shape, empty): no input is wrong",
    ),
    "fairness.adult_fairness_data": "takes no argument",
    **dict.fromkeys(
        (
            "fairness.compare_mitigations",
            "fairness.group_noise_experiment",
            "noisy_training.compare_methods",
            "validation.contract_experiment",
            "validation.missing_value_experiment",
            "augmentation.augmentation_curve",
        ),
        "runs the lesson's experiment over seeds (seconds or more per call); its parts are swept",
    ),
}

#: Float arguments that are fractions, probabilities or accuracies in [0, 1].
FRACTIONS = {
    "noise_rate",
    "threshold",
    "frac_noise",
    "target",
    "test_size",
    "fraction",
    "confidence",
    "level",
    "target_error",
    "init_diag",
    "kappa",
    "value",
    "min_weight",
}
#: Float or int arguments for which a negative value is meaningful.
NEGATIVE_OK = {"kappa", "more_data", "cleaner_data"}
#: Int arguments for which 0 is meaningful.
ZERO_OK = {"n_rounds", "seed", "source", "target"}
#: Str arguments that are free text, not a choice among names.
FREE_TEXT = {"title", "label", "color", "marker", "text", "base", "ext", "requires"}
#: 1-D arrays of group memberships (any values: strings, ints).
GROUPS = {"sensitive_features"}
#: 3-D arrays that are batches of images ``(n, height, width)``.
IMAGES = {"images"}
#: Arguments that are paths.
PATHS = {"root", "outdir", "path"}
#: Arrays of fractions in [0, 1].
FRACTION_ARRAYS = {"accuracies", "fractions", "error", "error_heldout", "priors", "noise_rates"}
#: Arguments not swept: display or plumbing with no wrong value worth testing.
SKIP = {"progress", "ax", "downloader", "return_order", "return_orders", "as_frame"}
#: (target, parameter, family) triples whose value is rightly accepted.
ACCEPTED = {
    # the success rate compares labels with the target only: any numbering works
    ("privacy.attack_success_rate", "predictions", "shifted"),
    ("privacy.attack_success_rate", "predictions", "spread"),
    ("privacy.attack_success_rate", "true_labels", "shifted"),
    ("privacy.attack_success_rate", "true_labels", "spread"),
    ("scaling.stratified_subset", "labels", "shifted"),
    ("scaling.stratified_subset", "labels", "spread"),
    ("quality.label_conflicts", "labels", "shifted"),
    ("quality.label_conflicts", "labels", "spread"),
    ("quality.disagrees_with_group", "labels", "spread"),
    ("quality.disagrees_with_group", "labels", "shifted"),
    ("crowdsourcing.cohen_kappa", "labels_a", "spread"),
    ("crowdsourcing.cohen_kappa", "labels_b", "spread"),
    ("crowdsourcing.interpret_kappa", "kappa", "nan"),
    ("crowdsourcing.cohen_kappa", "labels_a", "shifted"),
    ("crowdsourcing.cohen_kappa", "labels_b", "shifted"),
    ("crowdsourcing.weighted_majority_vote", "weights", "shifted"),
    ("weak_supervision.apply_lfs", "df", "duplicated"),
    ("crowdsourcing.implied_accuracy", "confusions", "one_worker_less"),
    ("course.measured_seconds", "path", "missing"),
    ("label_errors.retraining_table", "issue_masks", "empty"),
    ("active_learning.k_center_greedy", "X_labeled", "empty"),
    ("active_learning.margin_k_center", "X_labeled", "empty"),
    ("curation.subset_accuracy_curve", "random_seeds", "empty"),
    ("curation.train_judge", "features", "as_array"),
    ("curation.accept_by_validation", "groups", "inf"),
    ("curation.accept_by_validation", "groups", "strings"),
    ("notebook_tools.write_notebook", "path", "missing"),
    ("scaling.power_law", "n", "scalar"),
    # the formula evaluates any finite parameters (notebook 10 plots scipy's unbounded
    # curve_fit with it); a fitted PowerLawFit refuses them
    ("scaling.power_law", "a", "negative"),
    ("scaling.power_law", "b", "negative"),
    ("scaling.power_law", "c", "negative"),
    ("crowdsourcing.weighted_majority_vote", "weights", "fractional"),
    ("scaling.PowerLawFit.predict", "n", "list"),
    ("weak_supervision.plot_lf_summary", "summary", "duplicated"),
    ("model_vs_data.run_factorial", "noise", "list"),
    ("model_vs_data.plot_effects", "effects", "no_n"),
    ("label_errors.crowd_precision_at_k", "ranking", "shifted"),
    ("label_errors.crowd_precision_at_k", "ranking", "spread"),
    ("curation.noisy_split", "val_size", "zero"),
    ("scaling.pareto_front", "error", "percent"),
    ("scaling.pareto_front", "error", "negative"),
    ("scaling.power_law", "n", "fractional_item"),
    ("scaling.PowerLawFit.predict", "n", "whole_float"),
    ("scaling.PowerLawFit.predict", "n", "half"),
    ("scaling.LastValueBaseline.predict", "n", "scalar"),
    ("scaling.LastValueBaseline.predict", "n", "fractional_item"),
    ("scaling.PowerLawBootstrap.predict_interval", "n", "scalar"),
    ("scaling.PowerLawBootstrap.predict_interval", "n", "fractional_item"),
    ("quality.find_duplicates", "threshold", "percent"),
    ("quality.find_duplicates", "threshold", "above_one"),
    ("quality.find_leakage", "threshold", "percent"),
    ("quality.find_leakage", "threshold", "above_one"),
    ("weak_supervision.evaluate_lfs", "train", "duplicated"),
    ("weak_supervision.evaluate_lfs", "heldout", "duplicated"),
    ("weak_supervision.label_matrix_stats", "L", "all_abstain"),
    ("weak_supervision.lf_summary", "L", "all_abstain"),
    ("weak_supervision.dawid_skene_posteriors", "L", "all_abstain"),
    # lessons 3, 7, 8, 12
    # an empty loss_params means the loss's default parameters
    ("noisy_training.train_classifier", "loss_params", "empty"),
    ("noisy_training.NoisyMLPClassifier", "loss_params", "empty"),
    # epoch 0 is the first epoch; an infinite loss is the largest and is dropped first
    ("noisy_training.forget_rate_schedule", "epoch", "zero"),
    ("noisy_training.small_loss_selection", "losses", "inf"),
    # a pipeline's sources and steps have free names and hold any data
    *(
        ("validation.DataPipeline.source", "data", family)
        for family in ("as_array", "empty", "duplicated", "dict")
    ),
    *(
        (f"validation.DataPipeline.{method}", "name", family)
        for method in ("source", "step")
        for family in ("unknown_name", "upper_case", "padded")
    ),
    # duplicated rows (and an empty batch) are data to validate, profile or hash
    ("validation.infer_schema", "df", "duplicated"),
    ("validation.validate", "df", "empty"),
    ("validation.validate", "df", "duplicated"),
    ("validation.pandera_violations", "df", "empty"),
    ("validation.pandera_violations", "df", "duplicated"),
    ("validation.violation_keys", "table", "empty"),
    ("validation.violation_keys", "table", "duplicated"),
    ("validation.profile", "df", "duplicated"),
    ("validation.drift_report", "reference", "duplicated"),
    ("validation.drift_report", "batch", "duplicated"),
    ("validation.break_batch", "batch", "duplicated"),
    ("validation.hash_frame", "df", "empty"),
    ("validation.hash_frame", "df", "duplicated"),
    # bounds: a negative or infinite bound is a bound
    ("validation.ColumnRule", "minimum", "negative"),
    ("validation.ColumnRule", "minimum", "minus_inf"),
    ("validation.ColumnRule", "maximum", "inf"),
    ("validation.Schema.with_rule", "maximum", "inf"),
    # drift measures on raw data: missing values are dropped (KS) or a bin of their own
    # (PSI), an infinity is the largest value, and PSI bins strings as categories
    *(
        ("validation.psi", p, family)
        for p in ("expected", "actual")
        for family in ("nan", "inf", "strings")
    ),
    *(("validation.ks_2sample", p, family) for p in ("a", "b") for family in ("nan", "inf")),
    # the target sample is another sample: any size
    ("evaluation.bbse_weights", "pred_target", "shorter"),
    # None is the default (scaled logistic regression)
    ("evaluation.classifier_two_sample_test", "model", "none"),
    # a slice of no predicate is the whole data set; duplicated rows are rows
    ("evaluation.slice_mask", "X", "empty"),
    ("evaluation.slice_mask", "X", "duplicated"),
    ("evaluation.slice_mask", "predicates", "empty"),
    # min_sup is a count (any number >= 1) or a fraction; 0 means no minimum
    ("evaluation.sliceline", "min_sup", "whole_float"),
    ("evaluation.sliceline", "min_sup", "half"),
    ("evaluation.sliceline", "min_sup", "zero"),
    ("evaluation.sliceline", "X", "as_array"),
    # counts: one number for all slices, and any 0 <= successes <= n
    ("evaluation.wilson_interval", "successes", "scalar"),
    ("evaluation.wilson_interval", "successes", "shifted"),
    # the fill value is on the images' own scale
    ("augmentation.random_erasing", "value", "negative"),
    ("augmentation.random_erasing", "value", "percent"),
    ("augmentation.random_erasing", "value", "above_one"),
    # MixUp mixes rows of any shape: scalars per example or images
    ("augmentation.mixup", "X", "1d"),
    ("augmentation.mixup", "X", "3d"),
    # per-class resampling and scoring work with any class numbering
    *(
        (target, p, family)
        for target, params in (
            ("augmentation.smote", ("y",)),
            ("augmentation.gaussian_mixture_candidates", ("y",)),
            ("augmentation.imbalance_scores", ("y_train", "y_test")),
        )
        for p in params
        for family in ("shifted", "spread")
    ),
    # group summaries, resampling and per-group cleaning work with one group too; so do
    # thresholds fitted or applied on one group (the gap metrics refuse one group)
    *(
        (f"fairness.{name}", "sensitive_features", "one_group")
        for name in (
            "group_metrics",
            "reweighing_weights",
            "resample_indices",
            "find_label_issues_by_group",
            "fit_group_thresholds",
            "apply_group_thresholds",
        )
    ),
    # no validation part (the default)
    ("fairness.adult_split", "n_valid", "zero"),
    # groups without a flip rate are not flipped (documented)
    ("fairness.inject_group_noise", "flip_rates", "empty"),
    ("augmentation.accept_by_validation", "groups", "inf"),
    ("augmentation.accept_by_validation", "groups", "strings"),
    # zero changes (or zero copies) is a valid request
    ("augmentation.synonym_replacement", "n", "zero"),
    ("augmentation.random_insertion", "n", "zero"),
    ("augmentation.random_swap", "n", "zero"),
    ("augmentation.eda", "n_aug", "zero"),
    # eda copies each label next to its text's copies: any label values work
    *(
        ("augmentation.eda", "labels", family)
        for family in (
            "float_nan",
            "fractional",
            "strings",
            "negative",
            "shifted",
            "spread",
            "bools",
            "objects_none",
        )
    ),
}


#: (target, parameter, family) triples whose near-valid value is rightly refused all the same.
REFUSED_OK = {
    # the weights are indexed by the original worker ids, which no longer match
    ("crowdsourcing.weighted_majority_vote", "answers", "string_workers"),
    # the relabeling loop indexes workers 0..J-1 (documented)
    ("active_learning.run_relabeling", "answers", "string_workers"),
    # torch losses take integer class indices (as torch's own); the message says .long()
    ("noisy_training.forward_corrected_loss", "labels", "whole_floats"),
    ("noisy_training.generalized_cross_entropy", "labels", "whole_floats"),
    ("noisy_training.label_smoothing_loss", "labels", "whole_floats"),
    # the dict keys name the groups ("a", "b"): codes 0/1 are other groups
    ("fairness.inject_group_noise", "sensitive_features", "int_codes"),
    ("fairness.apply_group_thresholds", "sensitive_features", "int_codes"),
    # counts of trials and successes are integers (documented)
    ("evaluation.wilson_interval", "successes", "whole_floats"),
}


def _int_bads(name: str, v: int) -> list[Bad]:
    out = [
        Bad("numpy_int", np.int64(v), refuse=False),
        Bad("whole_float", float(v)),
        Bad("half", v + 0.5),
        Bad("nan", math.nan),
        Bad("string", str(v)),
        Bad("bool", True),
        Bad("negative", -3),
        Bad("numpy_int32", np.int32(v), refuse=False),
        Bad("list", [v]),
        Bad("complex", complex(v, 1)),
    ]
    if name not in ZERO_OK:
        out.append(Bad("zero", 0))
    return out


def _float_bads(name: str, v: float) -> list[Bad]:
    out = [
        Bad("numpy_float", np.float32(v), refuse=False),
        Bad("nan", math.nan),
        Bad("inf", math.inf),
        Bad("string", str(v)),
        Bad("bool", True),
        Bad("minus_inf", -math.inf),
        Bad("numpy_float64", np.float64(v), refuse=False),
        Bad("list", [v]),
        Bad("complex", complex(v, 1)),
    ]
    if name not in NEGATIVE_OK:
        out.append(Bad("negative", -0.5 if v else -1.0))
    if name in FRACTIONS:
        out.append(Bad("percent", 100 * v if 0 < v <= 1 else 80.0))
        out.append(Bad("above_one", 1.5))
    return out


def _label_bads(v: np.ndarray) -> list[Bad]:
    nan = v.astype(float)
    nan[0] = np.nan
    neg = v.copy()
    neg[0] = -2
    return [
        Bad("list", v.tolist(), refuse=False),
        Bad("int32", v.astype(np.int32), refuse=False),
        Bad("float_nan", nan),
        Bad("fractional", v + 0.5),
        Bad("strings", v.astype(str)),
        Bad("2d", v.reshape(-1, 1)),
        Bad("empty", v[:0]),
        Bad("negative", neg),
        Bad("shifted", v + 1),
        Bad("spread", v * 10),
        Bad("shorter", v[:-1]),
        Bad("scalar", int(v[0])),
        Bad("whole_floats", v.astype(float), refuse=False),
        Bad("series", pd.Series(v), refuse=False),
        Bad("bools", v > 0),
        Bad("objects_none", np.array([None, *v[1:].tolist()], dtype=object)),
    ]


def _feature_bads(v: np.ndarray) -> list[Bad]:
    nan, inf = v.copy(), v.copy()
    nan[0, 0], inf[0, 0] = np.nan, np.inf
    return [
        Bad("float32", v.astype(np.float32), refuse=False),
        Bad("list", v.tolist(), refuse=False),
        Bad("nan", nan),
        Bad("inf", inf),
        Bad("1d", v[:, 0].copy()),
        Bad("3d", v[:, :, None].copy()),
        Bad("strings", v.astype(str)),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
        Bad("scalar", 1.0),
        Bad("ints", np.round(v).astype(int), refuse=False),
        Bad("minus_inf", np.where(np.arange(v.size).reshape(v.shape) == 0, -np.inf, v)),
        Bad("objects_none", np.where(np.arange(v.size).reshape(v.shape) == 0, None, v)),
        Bad("complex", v.astype(complex)),
    ]


def _probs_bads(v: np.ndarray) -> list[Bad]:
    nan, neg = v.copy(), v.copy()
    nan[0, 0] = np.nan
    neg[0, :2] = [-0.1, neg[0, 0] + neg[0, 1] + 0.1]
    return [
        Bad("float32", v.astype(np.float32), refuse=False),
        Bad("nan", nan),
        Bad("negative", neg),
        Bad("unnormalised", 2 * v),
        Bad("percent", 100 * v),
        Bad("1d", v[:, 0].copy()),
        *(
            [Bad("transposed", v.T.copy())]
            if v.shape != v.T.shape or not np.allclose(v, v.T)
            else []
        ),
        Bad("strings", v.astype(str)),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
        Bad("list", v.tolist(), refuse=False),
        Bad("inf", np.where(np.arange(v.size).reshape(v.shape) == 0, np.inf, v)),
        Bad("objects_none", np.where(np.arange(v.size).reshape(v.shape) == 0, None, v)),
    ]


def _vote_bads(v: np.ndarray) -> list[Bad]:
    nan = v.astype(float)
    nan[0, 0] = np.nan
    low = v.copy()
    low[0, 0] = -2
    return [
        Bad("list", v.tolist(), refuse=False),
        Bad("nan", nan),
        Bad("below_abstain", low),
        Bad("fractional", v + 0.5),
        Bad("strings", v.astype(str)),
        Bad("1d", v[:, 0].copy()),
        Bad("3d", v[:, :, None].copy()),
        Bad("empty", v[:0]),
        Bad("all_abstain", np.full_like(v, -1)),
        Bad("shorter", v[:-1]),
        Bad("spread", np.where(v >= 0, v * 10, v)),
        Bad("int32", v.astype(np.int32), refuse=False),
        Bad("whole_floats", v.astype(float), refuse=False),
        Bad("bools", v > 0),
        Bad("objects_none", np.where(v < 0, None, v)),
    ]


def _scores_bads(name: str, v: np.ndarray) -> list[Bad]:
    nan = v.astype(float)
    nan[0] = np.nan
    inf = v.astype(float)
    inf[0] = np.inf
    out = [
        Bad("list", v.tolist(), refuse=False),
        Bad("nan", nan),
        Bad("inf", inf),
        Bad("2d", v.reshape(-1, 1)),
        Bad("strings", v.astype(str)),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
    ]
    if name in FRACTION_ARRAYS:
        out += [Bad("percent", 100 * v), Bad("negative", -v)]
    return out


def _mask_bads(v: np.ndarray) -> list[Bad]:
    return [
        Bad("list", v.tolist(), refuse=False),
        Bad("ints", v.astype(int)),
        Bad("indices", np.flatnonzero(v)),
        Bad("2d", v.reshape(-1, 1)),
        Bad("shorter", v[:-1]),
        Bad("strings", v.astype(str)),
    ]


def _confusion_bads(v: np.ndarray) -> list[Bad]:
    nan, neg = v.copy(), v.copy()
    nan[0, 0, 0] = np.nan
    neg[0, 0, :2] = [-0.2, neg[0, 0, 1] + neg[0, 0, 0] + 0.2]
    skew = v.copy()
    skew[0, 0] = [0.5, 0.2, 0.1]
    return [
        Bad("nan", nan),
        Bad("negative", neg),
        Bad("unnormalised", 9 * v),
        Bad("rows_off", skew),
        Bad("2d", v[0].copy()),
        Bad("strings", v.astype(str)),
        Bad("one_worker_less", v[:-1].copy()),
    ]


def _answers_bads(v: pd.DataFrame) -> list[Bad]:
    dup = pd.concat([v, v.iloc[:1]], ignore_index=True)
    nan = v.astype({"label": float})
    nan.loc[0, "label"] = np.nan
    return [
        Bad("as_array", v.to_numpy()),
        Bad("as_array_values", v[["item", "worker", "label"]].values),
        Bad("empty", v.iloc[:0]),
        Bad("no_label_column", v.drop(columns="label")),
        Bad("duplicated", dup),
        Bad("nan_label", nan),
        Bad("string_labels", v.assign(label=v["label"].map({0: "a", 1: "b", 2: "c"}))),
        Bad("negative_label", v.assign(label=v["label"].where(v.index > 0, -1))),
        Bad("dict", v.to_dict()),
        Bad("float_labels", v.astype({"label": float}), refuse=False),
        Bad("shuffled", v.sample(frac=1.0, random_state=0), refuse=False),
        Bad("string_workers", v.assign(worker="w" + v["worker"].astype(str)), refuse=False),
        Bad("extra_column", v.assign(time=1.0), refuse=False),
        Bad("fractional_labels", v.assign(label=v["label"] + 0.5)),
        Bad("list_of_rows", v.to_numpy().tolist()),
    ]


def _table_bads(v: pd.DataFrame) -> list[Bad]:
    out = [
        Bad("as_array", v.to_numpy()),
        Bad("empty", v.iloc[:0]),
        Bad("duplicated", pd.concat([v, v], ignore_index=True)),
        Bad("dict", v.to_dict()),
    ]
    for column in ("accuracy", "error"):
        if column in v.columns:
            nan = v.copy()
            nan.loc[nan.index[0], column] = np.nan
            out += [
                Bad("percent", v.assign(**{column: v[column] * 100})),
                Bad("nan", nan),
                Bad(f"no_{column}", v.drop(columns=column)),
            ]
    for column in ("setting", "strategy", "n", "n_labeled", "method", "Coverage", "per_item"):
        if column in v.columns:
            out.append(Bad(f"no_{column}", v.drop(columns=column)))
    return out


def _series_bads(v: pd.Series) -> list[Bad]:
    nan = v.astype(float)
    nan.iloc[0] = np.nan
    return [
        Bad("as_array", v.to_numpy()),
        Bad("as_list", v.tolist()),
        Bad("empty", v.iloc[:0]),
        Bad("duplicated_index", pd.concat([v, v.iloc[:1]])),
        Bad("shifted", v + 1),
        Bad("strings", v.astype(str)),
        Bad("negative", v.where(v.index != v.index[0], -5)),
        Bad("whole_floats", v.astype(float), refuse=False),
        Bad("fractional", v + 0.5),
        Bad("dict", v.to_dict()),
    ]


def _text_series_bads(v: pd.Series) -> list[Bad]:
    return [
        Bad("as_array", v.to_numpy(), refuse=False),
        Bad("as_list", v.tolist(), refuse=False),
        Bad("empty", v.iloc[:0]),
        Bad("frame", v.to_frame()),
        Bad("one_string", str(v.iloc[0])),
        Bad("2d", v.to_numpy().reshape(-1, 1)),
    ]


def _sequence_bads(name: str, v: list) -> list[Bad]:
    floats = any(isinstance(x, float) for x in v)
    out = [
        Bad("array", np.asarray(v), refuse=False),
        Bad("string", "012" if not floats else "0.5"),
        Bad("scalar", v[0]),
        Bad("empty", []),
        Bad("nan_item", [math.nan, *v[1:]]),
        Bad("none_item", [None, *v[1:]]),
        Bad("tuple", tuple(v), refuse=False),
        Bad("nested", [list(v)]),
        Bad("inf_item", [math.inf, *v[1:]]),
        Bad("string_item", [str(v[0]), *v[1:]]),
    ]
    if not floats:
        out += [Bad("fractional_item", [0.5, *v[1:]]), Bad("negative_item", [-1, *v[1:]])]
    if name in FRACTION_ARRAYS or name == "fractions":
        out.append(Bad("percent", [100 * x for x in v]))
    return out


def _estimator_bads(v: Any) -> list[Bad]:
    return [
        Bad("class", type(v)),
        Bad("string", type(v).__name__),
        Bad("none", None),
        Bad("function", len),
    ]


def _mapping_bads(v: Mapping) -> list[Bad]:
    values = list(v.values())
    first = next(iter(v))
    out = [Bad("list", values), Bad("empty", {})]
    if isinstance(values[0], np.ndarray):
        out.append(Bad("value_wrong", {first: values[0][:-1]}))
        out.append(Bad("value_strings", {first: values[0].astype(str)}))
    return out


def _path_bads(name: str, v: Any) -> list[Bad]:
    missing = _tmp() / "does-not-exist"
    a_file = _tmp() / "a-file.txt"
    a_file.write_text("x", encoding="utf-8")
    out = [Bad("missing", missing), Bad("int", 3), Bad("string_path", str(v), refuse=False)]
    out.append(
        Bad("a_folder" if Path(v).suffix else "a_file", _tmp() if Path(v).suffix else a_file)
    )
    return out


def _lf_bads(v: list) -> list[Bad]:
    return [
        Bad("strings", ["a", "b"]),
        Bad("single", v[0]),
        Bad("empty", []),
        Bad("string", "lf"),
    ]


def _lengths(value: Any) -> set[int]:
    if isinstance(value, Mapping):
        return set().union(*(_lengths(v) for v in value.values())) if value else set()
    if isinstance(value, np.ndarray | pd.Series | pd.DataFrame | list) and np.ndim(value):
        return {len(value)}
    return set()


def bad_values(target: str, name: str, value: Any, kwargs: dict[str, Any]) -> list[Bad]:
    """The generated bad (and near-bad) values for one argument of one valid call.

    A shorter array must be refused only when another argument has the same length
    (they describe the same examples); a lone array may be any length.
    """
    out = _bad_values(name, value)
    own = _lengths(value)
    peers = any(own & _lengths(v) for k, v in kwargs.items() if k != name)
    return [b for b in out if b.family != "shorter" or peers]


def _bad_values(name: str, value: Any) -> list[Bad]:
    if name in SKIP or value is None or isinstance(value, bool | np.random.Generator):
        return []
    if name in PATHS or isinstance(value, Path):
        return _path_bads(name, value)
    if name == "lfs":
        return _lf_bads(value)
    if hasattr(value, "fit") and not isinstance(value, type):
        return _estimator_bads(value)
    if isinstance(value, pd.DataFrame):
        if {"item", "worker", "label"} <= set(value.columns):
            return _answers_bads(value)
        return _table_bads(value)
    if isinstance(value, pd.Series) and not pd.api.types.is_numeric_dtype(value):
        return _text_series_bads(value)
    if isinstance(value, pd.Series):
        return _series_bads(value)
    if isinstance(value, Mapping):
        return _mapping_bads(value) if value else []
    if isinstance(value, np.ndarray):
        return _array_bads(name, value)
    if type(value).__name__ == "Tensor":
        return _tensor_bads(value)
    if isinstance(value, list | tuple) and value and not callable(value[0]):
        if all(isinstance(x, int | float) and not isinstance(x, bool) for x in value):
            return _sequence_bads(name, list(value))
        return []
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return _int_bads(name, value)
    if isinstance(value, float):
        return _float_bads(name, value)
    if isinstance(value, str) and name not in FREE_TEXT:
        return [
            Bad("unknown_name", "no-such-choice"),
            Bad("int", 3),
            Bad("list", [value]),
            Bad("upper_case", value.upper()),
            Bad("empty", ""),
            Bad("padded", f" {value} "),
        ]
    return []


def _image_bads(v: np.ndarray) -> list[Bad]:
    nan, inf = v.copy(), v.copy()
    nan[0, 0, 0], inf[0, 0, 0] = np.nan, np.inf
    return [
        Bad("float32", v.astype(np.float32), refuse=False),
        Bad("list", v.tolist(), refuse=False),
        Bad("nan", nan),
        Bad("inf", inf),
        Bad("flattened", v.reshape(len(v), -1)),
        Bad("one_image", v[0].copy()),
        Bad("4d", v[:, None].copy()),
        Bad("strings", v.astype(str)),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
        Bad("scalar", 1.0),
        Bad("complex", v.astype(complex)),
    ]


def _tensor_bads(v: Any) -> list[Bad]:
    import torch

    nan = v.clone()
    nan[0, 0] = torch.nan
    return [
        Bad("numpy", v.numpy().copy(), refuse=False),
        Bad("float32", v.float(), refuse=False),
        Bad("nan", nan),
        Bad("1d", v[:, 0].clone()),
        Bad("ints", v.round().long()),
        Bad("empty", v[:0]),
        Bad("shorter", v[:-1]),
        Bad("strings", v.numpy().astype(str)),
    ]


def _array_bads(name: str, v: np.ndarray) -> list[Bad]:
    if v.dtype == bool:
        return _mask_bads(v)
    if name in GROUPS:
        return _group_bads(v)
    if v.ndim == 3 and name in IMAGES:
        return _image_bads(v)
    if v.ndim == 3:
        return _confusion_bads(v)
    if v.ndim == 2 and v.dtype.kind in "iu":
        return _vote_bads(v)
    if v.ndim == 2 and ("prob" in name or name in {"posteriors", "noise_matrix", "matrix"}):
        return _probs_bads(v)
    if v.ndim == 2:
        return _feature_bads(v)
    if v.dtype.kind in "iu" and name not in {"n", "cost", "groups", "strengths"}:
        return _label_bads(v)
    return _scores_bads(name, v)


# --- running one case -----------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise _Timeout


def _raised_in_package(exc: BaseException) -> bool:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and Path(last).resolve().is_relative_to(PACKAGE)


def _names_argument(message: str, param: str) -> bool:
    base = param.split("[")[0]
    return base in message


def classify(target: str, param: str, bad: Bad, call: Callable[[], Any]) -> Outcome:
    """Run one call and say what kind of outcome it had."""
    import matplotlib.pyplot as plt

    key = (target, param, bad.family)
    should_refuse = (bad.refuse and key not in ACCEPTED) or key in REFUSED_OK
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            call()
    except _Timeout:
        return Outcome(target, param, bad.family, "obscure", "hang (> 60 s)")
    except (ValueError, TypeError, OSError, KeyError, RuntimeError) as exc:
        message = str(exc)
        ours = _raised_in_package(exc) and isinstance(exc, ValueError | TypeError | OSError)
        if not should_refuse:
            kind = "refused_valid"
        elif not ours:
            kind = "obscure"
        elif not _names_argument(message, param):
            kind = "unnamed"
        else:
            kind = "clear"
        detail = f"{type(exc).__name__}: {message.splitlines()[0][:200] if message else ''}"
        if kind == "obscure":
            detail += " @ " + traceback.extract_tb(exc.__traceback__)[-1].filename
        return Outcome(target, param, bad.family, kind, detail)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        return Outcome(target, param, bad.family, "obscure", detail)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        plt.close("all")
    return Outcome(target, param, bad.family, "silent" if should_refuse else "accepted")


def cases(targets: list[str] | None = None):
    """Yield ``(target, param, bad, call)`` for every generated bad input."""
    for target, (get, build) in examples().items():
        if targets is not None and target not in targets:
            continue
        kwargs = build()
        func = get()
        for param, value in kwargs.items():
            for bad in bad_values(target, param, value, kwargs):

                def call(func=func, param=param, bad=bad, build=build):
                    args = build()
                    args[param] = bad.value
                    return func(**args)

                yield target, param, bad, call


def sweep(targets: list[str] | None = None) -> list[Outcome]:
    """Every outcome of the sweep, in order."""
    import matplotlib

    matplotlib.use("Agg")
    return [classify(t, p, b, call) for t, p, b, call in cases(targets)]


def valid_calls_pass() -> list[str]:
    """The targets whose valid example call itself fails (should be none)."""
    failed = []
    for target, (get, build) in examples().items():
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                get()(**build())
        except Exception as exc:
            failed.append(f"{target}: {type(exc).__name__}: {exc}")
    return failed


def public_callables() -> list[str]:
    """Every public function, class and method outside ``grading``, by module."""
    import importlib

    names = []
    for module in [
        "evidence",
        "datasets",
        "noise",
        "model_vs_data",
        "label_errors",
        "aggregation",
        "weak_supervision",
        "crowdsourcing",
        "scaling",
        "active_learning",
        "quality",
        "privacy",
        "curation",
        "course",
        "site",
        "slides",
        "guide",
        "environment",
        "notebook_tools",
        "noisy_training",
        "validation",
        "evaluation",
        "augmentation",
        "fairness",
    ]:
        mod = importlib.import_module(f"dcai_course.{module}")
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                names.append(f"{module}.{name}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", choices=KINDS, action="append", help="print these cases")
    parser.add_argument("--target", action="append", help="only these targets")
    args = parser.parse_args(argv)
    broken = valid_calls_pass()
    for line in broken:
        print(f"VALID CALL FAILS: {line}")
    outcomes = sweep(args.target)
    counts = Counter(o.kind for o in outcomes)
    n_targets = len({o.target.split("[")[0] for o in outcomes})
    print(f"{len(outcomes)} generated inputs over {n_targets} public callables")
    for kind in KINDS:
        share = counts[kind] / max(len(outcomes), 1)
        print(f"  {kind:<14} {counts[kind]:6d}  ({share:.1%})")
    for kind in args.list or []:
        for o in outcomes:
            if o.kind == kind:
                print(f"[{kind}] {o.target}({o.param}=<{o.family}>) {o.detail}")
    return 0 if not (broken or counts["silent"] or counts["refused_valid"]) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
