"""dcai_course.fairness against fairlearn on the same inputs, and its error paths."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcai_course import fairness as F
from dcai_course.label_errors import find_label_issues

fm = pytest.importorskip("fairlearn.metrics")


def random_case(rng, n=None, k=None):
    n = int(rng.integers(30, 4000)) if n is None else n
    k = int(rng.integers(2, 6)) if k is None else k
    groups = rng.choice([f"g{i}" for i in range(k)], size=n, p=rng.dirichlet(np.ones(k)))
    y = (rng.random(n) < rng.uniform(0.1, 0.6)).astype(int)
    pred = np.where(rng.random(n) < 0.7, y, 1 - y)
    return y, pred, groups


@pytest.mark.parametrize("seed", range(8))
def test_group_metrics_equal_metricframe(seed):
    rng = np.random.default_rng(seed)
    y, pred, groups = random_case(rng)
    frame = fm.MetricFrame(
        metrics={
            "selection_rate": fm.selection_rate,
            "true_positive_rate": fm.true_positive_rate,
            "false_positive_rate": fm.false_positive_rate,
            "count": fm.count,
        },
        y_true=y,
        y_pred=pred,
        sensitive_features=groups,
    )
    ours = F.group_metrics(y, pred, sensitive_features=groups)
    cols = ["selection_rate", "true_positive_rate", "false_positive_rate", "count"]
    assert list(ours.index) == list(frame.by_group.index)
    np.testing.assert_array_equal(ours[cols].to_numpy(float), frame.by_group[cols].to_numpy(float))


@pytest.mark.parametrize("seed", range(8))
def test_difference_and_ratio_equal_fairlearn_exactly(seed):
    rng = np.random.default_rng(100 + seed)
    y, pred, groups = random_case(rng)
    for name in (
        "demographic_parity_difference",
        "demographic_parity_ratio",
        "equalized_odds_difference",
    ):
        theirs = getattr(fm, name)(y, pred, sensitive_features=groups)
        ours = getattr(F, name)(y, pred, sensitive_features=groups)
        assert ours == theirs, name
    report = F.fairness_report(y, pred, sensitive_features=groups)
    assert report["eo_difference"] == fm.equalized_odds_difference(
        y, pred, sensitive_features=groups
    )
    assert report["accuracy"] == pytest.approx((y == pred).mean())


def test_weighted_metrics_match_fairlearn():
    rng = np.random.default_rng(7)
    y, pred, groups = random_case(rng, n=3000, k=3)
    w = rng.random(y.size)
    for name in ("demographic_parity_difference", "equalized_odds_difference"):
        theirs = getattr(fm, name)(y, pred, sensitive_features=groups, sample_weight=w)
        ours = getattr(F, name)(y, pred, sensitive_features=groups, sample_weight=w)
        assert ours == pytest.approx(theirs, abs=1e-12), name


def test_group_without_positives_has_rate_zero_like_fairlearn():
    y = np.array([0, 0, 1, 1, 0, 1])
    pred = np.array([1, 0, 1, 0, 0, 1])
    groups = np.array(["a", "a", "b", "b", "c", "c"])
    ours = F.group_metrics(y, pred, sensitive_features=groups)
    assert ours.loc["a", "true_positive_rate"] == 0.0
    assert F.equalized_odds_difference(
        y, pred, sensitive_features=groups
    ) == fm.equalized_odds_difference(y, pred, sensitive_features=groups)


def test_calibration_columns():
    y = np.array([1, 0, 1, 1])
    score = np.array([0.5, 0.5, 0.9, 0.7])
    table = F.group_metrics(y, y, sensitive_features=["a", "a", "b", "b"], y_score=score)
    assert table["mean_score"].tolist() == pytest.approx([0.5, 0.8])
    assert table["calibration_gap"].tolist() == pytest.approx([0.0, -0.2])


def test_reweighing_makes_label_independent_of_group():
    rng = np.random.default_rng(0)
    groups = rng.choice(["a", "b", "c"], 5000, p=[0.6, 0.3, 0.1])
    y = (rng.random(5000) < np.select([groups == "a", groups == "b"], [0.4, 0.2], 0.1)).astype(int)
    w = F.reweighing_weights(y, groups)
    frame = pd.DataFrame({"g": groups, "y": y, "w": w})
    weighted_rate = frame.groupby("g").apply(lambda d: np.average(d.y, weights=d.w))
    assert np.allclose(weighted_rate, y.mean())
    # group totals and label totals are kept
    assert np.allclose(frame.groupby("g").w.sum(), frame.groupby("g").size())
    assert np.allclose(frame.groupby("y").w.sum(), frame.groupby("y").size())


def test_resampling_reaches_the_reweighing_target():
    rng = np.random.default_rng(1)
    groups = rng.choice(["a", "b"], 4000, p=[0.7, 0.3])
    y = (rng.random(4000) < np.where(groups == "a", 0.4, 0.1)).astype(int)
    rows = F.resample_indices(y, groups, seed=0)
    assert abs(rows.size - y.size) <= 4
    for g in ("a", "b"):
        assert y[rows][groups[rows] == g].mean() == pytest.approx(y.mean(), abs=2e-3)
    np.testing.assert_array_equal(rows, F.resample_indices(y, groups, seed=0))


def test_group_noise_flips_only_the_named_group_at_its_rate():
    rng = np.random.default_rng(2)
    groups = rng.choice(["F", "M"], 20_000)
    y = rng.integers(0, 2, 20_000)
    noisy, flipped = F.inject_group_noise(y, groups, {"F": (0.3, 0.0)}, seed=3)
    assert not flipped[groups == "M"].any()
    assert not flipped[(groups == "F") & (y == 0)].any()
    assert flipped[(groups == "F") & (y == 1)].mean() == pytest.approx(0.3, abs=0.02)
    np.testing.assert_array_equal(noisy[flipped], 1 - y[flipped])


def test_label_issues_by_group_is_find_label_issues_inside_each_group():
    rng = np.random.default_rng(4)
    n = 600
    groups = rng.choice(["a", "b"], n)
    y = rng.integers(0, 2, n)
    p1 = np.clip(np.where(y == 1, 0.75, 0.25) + rng.normal(0, 0.2, n), 0.01, 0.99)
    probs = np.column_stack([1 - p1, p1])
    flags = F.find_label_issues_by_group(y, probs, groups)
    for g in ("a", "b"):
        m = groups == g
        np.testing.assert_array_equal(flags[m], find_label_issues(y[m], probs[m]))


@pytest.fixture(scope="module")
def adult_scores():
    from sklearn.linear_model import LogisticRegression

    frame, y = F.adult_fairness_data()
    split = F.adult_split(frame, y, "sex", seed=0, n_train=8000, n_test=12_000)
    X, y_tr, _ = split["train"]
    X_te, y_te, a_te = split["test"]
    model = LogisticRegression(solver="liblinear").fit(X, y_tr)
    return model, X_te, y_te, a_te


@pytest.mark.parametrize("constraint", F.CONSTRAINTS)
def test_group_thresholds_agree_with_threshold_optimizer(adult_scores, constraint):
    from fairlearn.postprocessing import ThresholdOptimizer

    model, X, y, a = adult_scores
    score = model.predict_proba(X)[:, 1]
    ours = F.apply_group_thresholds(score, a, F.fit_group_thresholds(y, score, a, constraint))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = ThresholdOptimizer(
            estimator=model, constraints=constraint, prefit=True, predict_method="predict_proba"
        ).fit(X, y, sensitive_features=a)
        theirs = opt.predict(X, sensitive_features=a, random_state=0)
    rate = "selection_rate" if constraint == "demographic_parity" else "true_positive_rate"
    ours_t = F.group_metrics(y, ours, sensitive_features=a)
    theirs_t = F.group_metrics(y, theirs, sensitive_features=a)
    # both equalise the constrained rate ...
    assert np.ptp(ours_t[rate]) < 0.01 and np.ptp(theirs_t[rate]) < 0.02
    # ... at the same accuracy, with nearly the same decisions
    assert (ours == y).mean() == pytest.approx((theirs == y).mean(), abs=0.005)
    assert (ours == theirs).mean() > 0.95
    # and both beat the unconstrained threshold 0.5 on the constrained gap
    plain = F.group_metrics(y, (score >= 0.5).astype(int), sensitive_features=a)
    assert np.ptp(ours_t[rate]) < np.ptp(plain[rate])


def test_thresholds_edge_cases():
    y = np.array([0, 1, 0, 1])
    s = np.array([0.5, 0.5, 0.5, 0.5])  # all tied
    t = F.fit_group_thresholds(y, s, ["a", "a", "b", "b"])
    pred = F.apply_group_thresholds(s, ["a", "a", "b", "b"], t)
    assert set(pred.tolist()) <= {0, 1}
    with pytest.raises(ValueError, match="no threshold for group"):
        F.apply_group_thresholds(s, ["a", "a", "c", "c"], t)


def test_mitigation_experiment_shape():
    table = F.compare_mitigations([0], n_train=1500, n_eg=500, eg_iter=3)
    assert table["method"].tolist() == list(F.MITIGATIONS)
    assert table["accuracy"].between(0.7, 1).all()


def test_group_noise_experiment_hurts_the_noisy_group():
    table = F.group_noise_experiment([0], {"Female": (0.5, 0.0)}, n_train=3000).set_index(
        "training"
    )
    assert table.loc["noisy labels", "tpr_group"] < table.loc["clean labels", "tpr_group"]
    assert table.loc["cleaned, per group", "recall"] > 0


# --- error paths ----------------------------------------------------------------------------


def test_errors_say_what_is_wrong():
    y, pred = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    with pytest.raises(ValueError, match="one group name per example"):
        F.group_metrics(y, pred, sensitive_features=["a", "b"])
    with pytest.raises(TypeError, match="one column"):
        F.group_metrics(y, pred, sensitive_features=pd.DataFrame({"a": [1, 2, 3, 4]}))
    with pytest.raises(ValueError, match="missing value"):
        F.group_metrics(y, pred, sensitive_features=np.array(["a", None, "b", "b"], dtype=object))
    with pytest.raises(ValueError, match="must be binary"):
        F.group_metrics(np.array([0, 2, 1, 0]), pred, sensitive_features=["a"] * 4)
    with pytest.raises(ValueError, match="Length mismatch"):
        F.group_metrics(y, pred[:3], sensitive_features=["a"] * 4)
    with pytest.raises(ValueError, match="probabilities in"):
        F.group_metrics(y, pred, sensitive_features=["a"] * 4, y_score=[0, 2, 0, 0])
    with pytest.raises(ValueError, match="sample_weight"):
        F.demographic_parity_difference(y, pred, sensitive_features=["a"] * 4, sample_weight=[1])
    with pytest.raises(ValueError, match="no example with label"):
        F.reweighing_weights([1, 1, 0, 0], ["a", "a", "b", "b"])
    with pytest.raises(TypeError, match="dict"):
        F.inject_group_noise(y, ["a"] * 4, 0.3)
    with pytest.raises(ValueError, match="not in sensitive_features"):
        F.inject_group_noise(y, ["a"] * 4, {"b": (0.1, 0.1)})
    with pytest.raises(ValueError, match="pair"):
        F.inject_group_noise(y, ["a"] * 4, {"a": 0.1})
    with pytest.raises(ValueError, match="constraint"):
        F.fit_group_thresholds(y, [0.1, 0.2, 0.3, 0.4], ["a"] * 4, "equal_accuracy")
    with pytest.raises(ValueError, match="no positive example"):
        F.fit_group_thresholds(
            [0, 0, 1, 0], [0.1, 0.2, 0.3, 0.4], ["a", "a", "b", "b"], "true_positive_rate_parity"
        )
    with pytest.raises(ValueError, match="y_score"):
        F.fit_group_thresholds(y, [0.1, np.nan, 0.3, 0.4], ["a"] * 4)
    with pytest.raises(ValueError, match="attribute"):
        F.compare_mitigations([0], attribute="gender")


# --- bad inputs found by benchmarks/sweep_bad_inputs.py -------------------------------------

_Y = np.array([0, 1, 1, 0, 1, 0] * 4)
_PRED = np.array([0, 1, 0, 0, 1, 1] * 4)
_GROUPS = np.array(["a", "b"] * 12)


@pytest.mark.parametrize(
    "gap",
    [
        F.demographic_parity_difference,
        F.demographic_parity_ratio,
        F.equalized_odds_difference,
        F.fairness_report,
    ],
)
def test_a_gap_between_groups_needs_two_groups(gap):
    with pytest.raises(ValueError, match="sensitive_features holds one group only"):
        gap(_Y, _PRED, sensitive_features=np.full(24, "a"))
    # one group is fine for the per-group table
    assert len(F.group_metrics(_Y, _PRED, sensitive_features=np.full(24, "a"))) == 1


@pytest.mark.parametrize(
    "score, exc, message",
    [
        (np.array(["0.5"] * 24), TypeError, "y_score must be numbers"),
        (np.r_[np.nan, np.full(23, 0.5)], ValueError, "NaN or infinite"),
        (np.r_[np.inf, np.full(23, 0.5)], ValueError, "NaN or infinite"),
        (np.full((24, 1), 0.5), ValueError, "1-D"),
    ],
)
def test_scores_are_checked_everywhere(score, exc, message):
    with pytest.raises(exc, match=message):
        F.group_metrics(_Y, _PRED, sensitive_features=_GROUPS, y_score=score)
    with pytest.raises(exc, match=message):
        F.fit_group_thresholds(_Y, score, _GROUPS)
    with pytest.raises(exc, match=message):
        F.apply_group_thresholds(score, _GROUPS, {"a": 0.5, "b": 0.5})


def test_score_lengths_name_the_arguments():
    with pytest.raises(ValueError, match="y_score has 24 entries but y_true has 23"):
        F.fit_group_thresholds(_Y[:-1], np.full(24, 0.5), _GROUPS)
    with pytest.raises(ValueError, match="but y_score has 23"):
        F.apply_group_thresholds(np.full(23, 0.5), _GROUPS, {"a": 0.5, "b": 0.5})
    with pytest.raises(ValueError, match="of sensitive_features"):
        F.apply_group_thresholds(np.full(24, 0.5), (_GROUPS == "a").astype(int), {"a": 0.5})


def test_adult_split_checks_its_inputs():
    frame = pd.DataFrame({"sex": ["Male", "Female"] * 150})
    y = np.arange(300) % 2
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        F.adult_split(frame.to_numpy(), y, "sex", 0, n_train=100, n_test=100)
    with pytest.raises(TypeError, match="attribute"):
        F.adult_split(frame, y, ["sex"], 0, n_train=100, n_test=100)
    with pytest.raises(ValueError, match="y must be binary"):
        F.adult_split(frame, y * 10, "sex", 0, n_train=100, n_test=100)
    with pytest.raises(ValueError, match="Length mismatch"):
        F.adult_split(frame, y[:-1], "sex", 0, n_train=100, n_test=100)
    with pytest.raises(ValueError, match="n_train \\+ n_test fewer"):
        F.adult_split(frame, y, "sex", 0, n_train=150, n_test=150)


def _tradeoff():
    return pd.DataFrame(
        {"method": ["baseline", "baseline"], "seed": [0, 1], "accuracy": [0.8, 0.82],
         "eo_difference": [0.1, 0.12]}
    )  # fmt: skip


def test_plot_tradeoff_checks_its_table():
    import matplotlib

    matplotlib.use("Agg")
    table = _tradeoff()
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        F.plot_tradeoff(table.to_numpy())
    with pytest.raises(ValueError, match="table is empty"):
        F.plot_tradeoff(table.iloc[:0])
    with pytest.raises(ValueError, match="appear more than once"):
        F.plot_tradeoff(pd.concat([table, table]))
    with pytest.raises(ValueError, match="percentages"):
        F.plot_tradeoff(table.assign(accuracy=table["accuracy"] * 100))
    with pytest.raises(ValueError, match="NaN"):
        F.plot_tradeoff(table.assign(accuracy=[np.nan, 0.8]))
    with pytest.raises(ValueError, match="fairness='EO' is not a column"):
        F.plot_tradeoff(table, fairness="EO")
    with pytest.raises(TypeError, match="fairness"):
        F.plot_tradeoff(table, fairness=["eo_difference"])
