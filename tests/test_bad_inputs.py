"""No silent wrong answers: every public callable refuses bad input clearly (issue 14).

Two parts:

* the generated sweep of ``benchmarks/sweep_bad_inputs.py``: every public function,
  class and method, every argument, a family of bad values generated from a valid call;
  each value must be refused by ``dcai_course`` itself with a ``ValueError``/``TypeError``
  naming the argument, or (for near-valid values such as NumPy integers) accepted;
* the cases listed in the issue, one reproduction each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from dcai_course import (
    active_learning,
    aggregation,
    crowdsourcing,
    curation,
    label_errors,
    model_vs_data,
    noise,
    quality,
    scaling,
    weak_supervision,
)
from dcai_course.environment import check_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import sweep_bad_inputs as sweep  # noqa: E402

sys.path.remove(str(ROOT / "benchmarks"))

pytestmark = pytest.mark.slow


# --- the generated sweep -------------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes():
    import matplotlib

    matplotlib.use("Agg")
    return sweep.sweep()


def test_every_valid_example_call_works():
    assert sweep.valid_calls_pass() == []


def test_every_public_callable_is_swept_or_excused():
    swept = {name.split("[")[0] for name in sweep.examples()}
    swept |= {".".join(name.split(".")[:2]) for name in swept}
    missing = [
        name for name in sweep.public_callables() if name not in swept | set(sweep.NOT_SWEPT)
    ]
    assert missing == []


def test_sweep_is_large_enough(outcomes):
    assert len(outcomes) >= 4000


@pytest.mark.parametrize("kind", ["silent", "obscure", "unnamed", "refused_valid"])
def test_sweep_finds_no(outcomes, kind):
    found = [f"{o.target}({o.param}=<{o.family}>) {o.detail}" for o in outcomes if o.kind == kind]
    assert found == [], "\n".join(found[:40])


def test_sweep_classifies_a_silent_result():
    """The sweep itself can fail: an accepted must-refuse value is reported as silent."""
    outcome = sweep.classify("demo", "x", sweep.Bad("nan", np.nan), lambda: 1.0)
    assert outcome.kind == "silent"
    obscure = sweep.classify("demo", "x", sweep.Bad("nan", np.nan), lambda: [][1])
    assert obscure.kind == "obscure"


# --- shared inputs -------------------------------------------------------------------------


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = 2.0 * np.eye(3, 4)[y] + rng.normal(scale=0.8, size=(n, 4))
    return X, y


@pytest.fixture(scope="module")
def answers():
    y = np.arange(60) % 3
    return noise.simulate_annotators(y, [0.9, 0.8, 0.7, 0.6], 3, seed=0)


def _cells_without_cleaning_stats():
    """A factorial table that lost its cleaning columns (and has no 'one_way' noise)."""
    return pd.DataFrame(
        {
            "noise": "uniform",
            "noise_rate": 0.2,
            "seed": [0, 0],
            "model": "nb",
            "labels": ["noisy", "true"],
            "accuracy": [0.6, 0.8],
        }
    )


def _al_results(scale=1.0, repeat=1):
    rows = [
        {"strategy": s, "seed": seed, "n_labeled": n, "accuracy": scale * (0.5 + 0.1 * i)}
        for s in ("random", "margin")
        for seed in range(2)
        for i, n in enumerate((10, 20, 30))
    ]
    return pd.DataFrame(rows * repeat)


# --- silent wrong results listed in the issue ---------------------------------------------

LONG_AS_ARRAY = [
    lambda a: crowdsourcing.fleiss_kappa(a.to_numpy()),
    lambda a: aggregation.dawid_skene(a.values),
    lambda a: aggregation.vote_counts(a.to_numpy()),
    lambda a: aggregation.majority_vote(a.to_numpy()),
    lambda a: aggregation.to_vote_matrix(a.to_numpy()),
    lambda a: crowdsourcing.item_agreement(a.to_numpy(), np.zeros(len(a), int)),
    lambda a: crowdsourcing.annotator_quality(a.to_numpy(), np.zeros(len(a), int)),
    lambda a: crowdsourcing.weighted_majority_vote(a.to_numpy(), np.ones(3)),
    lambda a: weak_supervision.label_matrix_stats(a.to_numpy()),
    lambda a: weak_supervision.lf_summary(a.to_numpy()),
]


@pytest.mark.parametrize("call", LONG_AS_ARRAY)
def test_long_table_as_array_is_refused(answers, call):
    with pytest.raises(ValueError, match="long answers table"):
        call(answers)


@pytest.mark.parametrize(
    "call",
    [
        lambda: active_learning.labels_to_reach(_al_results(100), 0.7),
        lambda: active_learning.area_under_curve(_al_results(100)),
        lambda: active_learning.learning_curve_summary(_al_results(100)),
        lambda: active_learning.strategy_table(_al_results(100)),
        lambda: curation.compression_ratio([0.2, 0.5, 0.8, 1], [70, 81, 83, 80], 0.8),
        lambda: curation.smallest_matching_fraction([0.2, 0.5, 1], [0.7, 0.8, 0.8], 80),
        lambda: curation.smallest_matching_fraction([0.2, 0.5, 1], [0.7, 0.8, 0.8], -0.1),
    ],
)
def test_percentages_are_refused(call):
    with pytest.raises(ValueError, match=r"percentage|between 0 and 1|>= 0"):
        call()


def test_compression_ratio_on_fractions():
    assert curation.compression_ratio([0.2, 0.5, 0.8, 1], [0.70, 0.81, 0.83, 0.80], 0.8) == 2.0


def test_leakage_across_float_precisions():
    X, y = _data()
    assert len(quality.find_leakage(X.astype(np.float32), X[:3])) == 3
    assert len(quality.find_leakage(X.astype(np.float32), X[:3], threshold=0.0)) == 3
    report = quality.audit(X.astype(np.float32), y, X[:3], k=5)
    assert report.summary.set_index("issue").loc["test examples leaked", "examples"] == 3


@pytest.mark.parametrize("threshold", [0.0, 1e-9])
def test_find_duplicates_finds_exact_copies_at_tiny_thresholds(threshold):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 16)) * 1e3
    X = np.vstack([X, X[:4]])
    groups = quality.find_duplicates(X, threshold=threshold)
    assert sorted(map(tuple, groups)) == [(i, 50 + i) for i in range(4)]


@pytest.mark.parametrize(
    "call",
    [
        lambda: noise.inject_label_noise(np.arange(30) % 3 + 1, noise_rate=0.3),
        lambda: noise.inject_label_noise(np.repeat([0, 10, 20], 10), noise_rate=0.3),
        lambda: noise.simulate_annotators(np.arange(30) % 3 + 1, [0.9, 0.8], 1),
        lambda: active_learning.annotator_oracle(np.repeat([0, 10, 20], 10), [0.9, 0.8]),
    ],
)
def test_labels_not_numbered_from_zero_are_refused(call):
    with pytest.raises(ValueError, match=r"0\.\.K-1"):
        call()


def test_labels_with_an_explicit_n_classes_are_accepted():
    noisy, _ = noise.inject_label_noise(np.arange(30) % 3 + 1, noise_rate=0.3, n_classes=4, seed=0)
    assert noisy.max() <= 3


def test_dawid_skene_never_picks_an_unanswered_class():
    rng = np.random.default_rng(0)
    for _ in range(22):
        votes = rng.integers(0, 3, size=(40, 5))
        votes[rng.random(votes.shape) < 0.4] = -1
        votes[votes == 1] = 2  # class 1 is never answered
        votes[np.all(votes == -1, axis=1), 0] = 0
        for init in ("majority", "uniform_diag"):
            result = aggregation.dawid_skene(votes, n_classes=5, init=init)
            assert set(np.unique(result.labels)) <= {0, 2}
            assert result.priors[[1, 3, 4]].max() == 0.0
            assert np.allclose(result.posteriors[:, [1, 3, 4]], 0.0)


def test_dawid_skene_smoothing_is_as_documented():
    """Rows are normalised over all K responses; crowd-kit's normalisation over the
    responses each worker gave differs by at most K * 1e-10, as the docstring says."""
    assert "normalised over all ``K`` responses" in aggregation.dawid_skene.__doc__
    rng = np.random.default_rng(3)
    votes = rng.integers(0, 4, size=(200, 6))
    votes[:, 0] = np.where(votes[:, 0] == 3, 2, votes[:, 0])  # worker 0 never answers 3
    result = aggregation.dawid_skene(votes, n_classes=4)
    for j in range(votes.shape[1]):
        given = np.unique(votes[:, j])
        rows = result.confusions[j][:, given]
        crowdkit = rows / rows.sum(axis=1, keepdims=True)
        assert np.abs(crowdkit - rows).max() <= 4 * 1e-10


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: crowdsourcing.implied_accuracy([[[9, 1], [3, 7]]], [0.5, 0.5]), ValueError, "sum"),
        (
            lambda: crowdsourcing.dawid_skene_e_step([[0, 1]], [np.nan, 1], np.ones((2, 2, 2)) / 2),
            ValueError,
            "NaN",
        ),
        (
            lambda: crowdsourcing.dawid_skene_e_step(
                [[0, 1]], [0.5, 0.5], np.full((2, 2, 2), np.nan)
            ),
            ValueError,
            "NaN",
        ),
        (
            lambda: crowdsourcing.dawid_skene_e_step([[0, 1]], [0.7, 0.7], np.ones((2, 2, 2)) / 2),
            ValueError,
            "priors must sum to 1",
        ),
        (
            lambda: crowdsourcing.dawid_skene_e_step(
                [[0, 1]], [0.5, 0.5], np.array([[[1.2, -0.2], [0.1, 0.9]]] * 2)
            ),
            ValueError,
            "negative",
        ),
        (
            lambda: crowdsourcing.dawid_skene_e_step(
                [[0, 1]], [0.5, 0.5], np.array([[[0.9, 0.4], [0.1, 0.6]]] * 2)
            ),
            ValueError,
            "transposed",
        ),
        (
            lambda: crowdsourcing.dawid_skene_m_step([[0, 1]], [[0.5, 0.5]], n_classes=2.5),
            TypeError,
            "n_classes",
        ),
    ],
)
def test_dawid_skene_steps_refuse_nonsense(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (
            lambda: weak_supervision.soft_label_dataset([[1.0]], [[0.5, 0.5]], min_weight=np.nan),
            "min_weight",
        ),
        (lambda: quality.flag_outliers([1.0, 2.0, 9.0], factor=np.nan), "factor"),
        (lambda: quality.audit(_data()[0], outlier_factor=np.nan), "outlier_factor"),
        (lambda: curation.transform_images(np.ones((2, 64)), [0.5, np.nan]), "strengths"),
        (
            lambda: curation.transform_images(np.ones((2, 64)), [0.5, 0.5], value_range=(16, 0)),
            "value_range",
        ),
        (
            lambda: curation.judge_features([0, 1], [[0.9, 0.1], [0.2, 0.8]], [[0.0], [1.0]], 0),
            "n_neighbors",
        ),
        (
            lambda: active_learning.learning_curve_summary(_al_results(), confidence=1.0),
            "confidence",
        ),
        (lambda: scaling.power_law([0, 10], 1.0, 0.5, 0.1), "n"),
        (lambda: curation.Forecast(np.nan, 0.02), "more_data"),
        (lambda: scaling.PowerLawFit(a=-2.0, b=0.5, c=0.1), "a"),
    ],
)
def test_nan_or_degenerate_parameters_are_refused(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_duplicated_rows_are_refused(answers):
    X, y = _data()
    repeated = pd.concat([answers, answers.iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="more than once"):
        active_learning.run_relabeling(
            GaussianNB(), X, repeated, X[:30], y[:30], "random", 10, 5, 1, progress=False
        )
    with pytest.raises(ValueError, match="more than once"):
        active_learning.learning_curve_summary(_al_results(repeat=2))
    truth = pd.Series(y, index=pd.RangeIndex(60, name="item"))
    with pytest.raises(ValueError, match="truth has repeated items"):
        crowdsourcing.redundancy_curve(answers, pd.concat([truth, truth.iloc[:1]]), progress=False)


def _flywheel(**kwargs):
    X, y = _data()
    args = dict(
        strategy="cleaner data", initial_size=30, budget_per_round=10, n_rounds=1, progress=False
    )
    args.update(kwargs)
    return curation.run_flywheel(GaussianNB(), X, y, y, X[:20], y[:20], X[:20], y[:20], **args)


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda: _flywheel(review_cost=-1), ValueError),
        (lambda: _flywheel(n_rounds=-3), ValueError),
        *[
            (
                lambda n=n: curation.forecast_more_data(
                    GaussianNB(), *_data(), *_data(30, 1), n_new=n
                ),
                exc,
            )
            for n, exc in ((-50, ValueError), (0, ValueError), (2.5, TypeError), (True, TypeError))
        ],
    ],
)
def test_out_of_range_counts_are_refused(call, exc):
    with pytest.raises(exc):
        call()


def test_label_numbering_is_cross_checked():
    X, y = _data()
    y_test = y[:30].copy()
    y_test[0] = -1
    masks = {"none": np.zeros(60, bool)}
    with pytest.raises(ValueError, match="y_test"):
        label_errors.retraining_table(GaussianNB(), X, y, X[:30], y_test, masks)
    with pytest.raises(ValueError, match="y_val"):
        curation.accept_by_validation(
            GaussianNB(), X[:30], y[:30], X[30:], y[30:], np.arange(30) % 2, X[:30], y_test
        )
    with pytest.raises(ValueError, match="y_clean"):
        model_vs_data.compare_clean_vs_noisy(GaussianNB(), X, y + 1, y, X[:30], y[:30])
    with pytest.raises(ValueError, match="y_pred"):
        weak_supervision.accuracy_with_abstains([1, 2, 3], [0, 1, 2])


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: noise.class_pair_noise_matrix(3, [(0.5, 2)], 0.2), TypeError, "int"),
        (lambda: weak_supervision.lf_names(["a", "b"]), TypeError, "not a function"),
        (
            lambda: model_vs_data.cleaning_table(_cells_without_cleaning_stats()),
            ValueError,
            "lacks the column",
        ),
        (
            lambda: model_vs_data.plot_factorial(_cells_without_cleaning_stats(), noise="one_way"),
            ValueError,
            "not in results",
        ),
    ],
)
def test_misread_arguments_are_refused(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_missing_folders_are_refused(tmp_path):
    from dcai_course import course, site

    with pytest.raises(FileNotFoundError, match="root"):
        course.course_table(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="outdir"):
        site.broken_links(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="root"):
        site.build_site(tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="outdir"):
        site.build_site(ROOT, tmp_path / "file")


def test_execute_notebook_refuses_bad_input_before_starting_a_kernel(tmp_path):
    from dcai_course import notebook_tools

    nb = notebook_tools.read_notebook(next((ROOT / "notebooks").glob("*.ipynb")))
    with pytest.raises(TypeError, match="nb must be a notebook"):
        notebook_tools.execute_notebook({"cells": []}, cwd=tmp_path)
    with pytest.raises(ValueError, match="timeout"):
        notebook_tools.execute_notebook(nb, cwd=tmp_path, timeout=0)
    with pytest.raises(FileNotFoundError, match="cwd"):
        notebook_tools.execute_notebook(nb, cwd=tmp_path / "nowhere")


# --- obscure errors listed in the issue ----------------------------------------------------


@pytest.mark.parametrize(
    ("X", "y", "model", "exc", "name"),
    [
        (np.where(np.eye(60, 4) > 0, np.nan, 1.0), None, GaussianNB(), ValueError, "X"),
        (np.where(np.eye(60, 4) > 0, np.inf, 1.0), None, GaussianNB(), ValueError, "X"),
        (np.ones(60), None, GaussianNB(), ValueError, "X"),
        (np.ones((60, 2, 2)), None, GaussianNB(), ValueError, "X"),
        (np.full((60, 2), "a"), None, GaussianNB(), TypeError, "X"),
        (None, None, GaussianNB, TypeError, "model"),
        (None, None, "LogisticRegression", TypeError, "model"),
        (None, np.zeros(60, int), GaussianNB(), ValueError, "single class"),
    ],
)
def test_model_helpers_check_their_inputs_before_scikit_learn(X, y, model, exc, name):
    X_ok, y_ok = _data()
    X = X_ok if X is None else X
    y = y_ok if y is None else y
    with pytest.raises(exc, match=name):
        label_errors.out_of_sample_pred_probs(model, X, y, cv=3)


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (
            lambda: label_errors.detection_table([np.ones(3, bool)], np.ones(3, bool)),
            TypeError,
            "issue_masks",
        ),
        (
            lambda: model_vs_data.run_factorial(
                *_data(), models={"nb": GaussianNB()}, noise_rates=0.2
            ),
            TypeError,
            "noise_rates",
        ),
        (lambda: aggregation.dawid_skene([[0, 1], [1, 1]], tol="x"), TypeError, "tol"),
        (
            lambda: check_environment(datasets="letters"),
            TypeError,
            "datasets",
        ),
    ],
)
def test_unchecked_types_are_refused_clearly(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_numpy_integers_are_accepted_where_an_int_is():
    X, y = _data()
    probs = label_errors.out_of_sample_pred_probs(GaussianNB(), X, y, cv=np.int64(3), seed=0)
    assert probs.shape == (60, 3)
    result = aggregation.dawid_skene([[0, 1], [1, 1], [0, 0]], max_iter=np.int64(100))
    assert result.n_iter >= 1


def test_one_labelled_class_is_explained():
    X, y = _data()
    labeled = np.isin(np.arange(60), [0, 3, 6])  # all of class 0
    with pytest.raises(ValueError, match="single class"):
        active_learning.active_learning_round(LogisticRegression(), X, y, labeled, 5)


def test_power_law_predict_is_scalar_for_a_scalar():
    fit = scaling.PowerLawFit(a=2.0, b=0.5, c=0.1)
    assert isinstance(fit.predict(100_000), float)
    assert fit.predict([100, 10_000]).shape == (2,)
    assert isinstance(scaling.LastValueBaseline(0.1, 100.0).predict(500), float)
