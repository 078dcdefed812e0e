"""dcai_course.evaluation against scipy, scikit-learn and the sliceline package."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import pairwise, roc_auc_score

from dcai_course import evaluation as ev


def test_wilson_matches_scipy():
    rng = np.random.default_rng(0)
    for _ in range(20):
        n = int(rng.integers(1, 500))
        k = int(rng.integers(0, n + 1))
        low, high = ev.wilson_interval(k, n)
        ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
        assert np.isclose(low, ci.low) and np.isclose(high, ci.high)


def test_bootstrap_close_to_scipy():
    values = np.random.default_rng(1).random(400) < 0.8
    low, high = ev.bootstrap_interval(values, n_resamples=4000, seed=0)
    ref = stats.bootstrap(
        (values.astype(float),), np.mean, n_resamples=4000, method="percentile", random_state=0
    )
    assert abs(low - ref.confidence_interval.low) < 0.01
    assert abs(high - ref.confidence_interval.high) < 0.01


def test_slice_metrics_counts_and_intersections():
    table = pd.DataFrame({"a": list("xxyyy"), "b": [0, 1, 0, 0, 1]})
    correct = np.array([True, False, True, False, True])
    one = ev.slice_metrics(table, correct, ["a"])
    assert one.set_index("a")["n"].to_dict() == {"x": 2, "y": 3}
    two = ev.slice_metrics(table, correct, ["a", "b"], method="bootstrap", seed=0)
    assert len(two) == 4 and two["n"].sum() == 5
    assert np.isclose(two["gap"], two["accuracy"] - 0.6).all()


@pytest.mark.parametrize(
    "bad, error",
    [
        (dict(correct=np.array([1, 0, 1])), TypeError),
        (dict(correct=np.array([True, False])), ValueError),
        (dict(by=["missing"]), ValueError),
        (dict(method="wald"), ValueError),
    ],
)
def test_slice_metrics_refuses_bad_input(bad, error):
    args = dict(
        table=pd.DataFrame({"a": [0, 1, 1]}), correct=np.array([True, False, True]), by=["a"]
    )
    args.update(bad)
    with pytest.raises(error):
        ev.slice_metrics(**args)


def test_wilson_refuses_bad_counts():
    with pytest.raises(ValueError, match="between 0 and n"):
        ev.wilson_interval(5, 3)
    with pytest.raises(ValueError, match="at least 1"):
        ev.wilson_interval(0, 0)


def _library_top(X, errors, **kwargs):
    from sliceline.slicefinder import Slicefinder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sf = Slicefinder(verbose=False, **kwargs).fit(X, errors)
    scores = np.array([s["slice_score"] for s in sf.top_slices_statistics_])
    return np.array(sf.top_slices_, dtype=object), scores


def test_sliceline_matches_the_library_on_random_data():
    rng = np.random.default_rng(0)
    for _ in range(15):
        n, d = int(rng.integers(200, 2000)), int(rng.integers(2, 6))
        X = rng.integers(0, int(rng.integers(2, 5)), (n, d))
        errors = (((X[:, 0] == 1) & (X[:, 1] == 0)) | (rng.random(n) < 0.15)).astype(float)
        errors *= rng.random(n) if rng.random() < 0.3 else 1
        kw = dict(
            k=int(rng.integers(1, 6)),
            max_l=int(rng.integers(1, 4)),
            min_sup=int(rng.integers(3, 40)),
            alpha=float(rng.uniform(0.5, 1)),
        )
        ours = ev.sliceline(X, errors, **kw)
        slices, scores = _library_top(X, errors, **kw)
        assert np.allclose(ours["score"], scores)
        got = ours.iloc[:, :d].to_numpy(dtype=object)
        assert np.array_equal(got == None, slices == None)  # noqa: E711
        assert all(
            g == s for g, s in zip(got.ravel(), slices.ravel(), strict=True) if s is not None
        )


def test_sliceline_finds_a_planted_slice_and_masks_it():
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.integers(0, 3, 3000), "b": rng.choice(list("pqr"), 3000)})
    planted = ((X["a"] == 2) & (X["b"] == "q")).to_numpy()
    errors = (planted | (rng.random(3000) < 0.05)).astype(float)
    top = ev.sliceline(X, errors, k=1, max_l=2, min_sup=20)
    assert top.loc[0, "a"] == 2 and top.loc[0, "b"] == "q"
    assert np.array_equal(ev.slice_mask(X, top.iloc[0]), planted)


def test_sliceline_refuses_bad_input():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="Length mismatch"):
        ev.sliceline(X, np.ones(3))
    with pytest.raises(ValueError, match="all zero"):
        ev.sliceline(X, np.zeros(4))
    with pytest.raises(ValueError, match="missing"):
        ev.sliceline(pd.DataFrame({"a": [1.0, np.nan]}), np.ones(2))
    with pytest.raises(ValueError, match="alpha"):
        ev.sliceline(X, np.ones(4), alpha=0)


def test_auc_and_its_permutation_p_value_match_mann_whitney():
    rng = np.random.default_rng(0)
    for shift in (0.0, 0.15, 1.0):
        scores = np.r_[rng.normal(size=300), rng.normal(shift, 1, 300)]
        domain = np.r_[np.zeros(300, bool), np.ones(300, bool)]
        auc, p = ev.auc_permutation_test(scores, domain, 4000, seed=1)
        assert np.isclose(auc, roc_auc_score(domain, scores))
        ref = stats.mannwhitneyu(scores[domain], scores[~domain], alternative="greater").pvalue
        assert abs(p - ref) < 0.03 or (p < 1e-3 and ref < 1e-3)


def test_classifier_two_sample_test_detects_shift_only_when_there_is_one():
    rng = np.random.default_rng(0)
    same = ev.classifier_two_sample_test(
        rng.normal(size=(300, 3)), rng.normal(size=(300, 3)), seed=0
    )
    moved = ev.classifier_two_sample_test(
        rng.normal(size=(300, 3)), rng.normal(0.5, 1, (300, 3)), seed=0
    )
    assert same["p_value"] > 0.01 and moved["p_value"] < 0.01 and moved["auc"] > 0.7
    with pytest.raises(ValueError, match="columns"):
        ev.classifier_two_sample_test(np.zeros((5, 2)), np.zeros((5, 3)))


def test_ks_matches_scipy_and_corrections():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(400, 4)), rng.normal(size=(250, 4))
    b[:, 2] += 0.4
    out = ev.ks_tests(a, b).set_index("feature")
    for j in range(4):
        ref = stats.ks_2samp(a[:, j], b[:, j], method="asymp")
        assert np.isclose(out.loc[f"x{j}", "statistic"], ref.statistic)
        assert np.isclose(out.loc[f"x{j}", "p_value"], ref.pvalue)
    p = rng.random(30) ** 3
    assert np.allclose(ev.adjust_correction(p, "bh"), stats.false_discovery_control(p))
    holm = [max(min(1, (30 - r) * s) for r, s in enumerate(np.sort(p)[: i + 1])) for i in range(30)]
    assert np.allclose(np.sort(ev.adjust_correction(p, "holm")), holm)
    assert np.allclose(ev.adjust_correction(p, "bonferroni"), np.minimum(p * 30, 1))


def test_mmd_matches_a_direct_computation():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(60, 3)), rng.normal(0.3, 1, (40, 3))
    out = ev.mmd_test(a, b, bandwidth=1.5, n_permutations=300, seed=0)
    gamma = 1 / (2 * 1.5**2)
    kaa, kbb = pairwise.rbf_kernel(a, gamma=gamma), pairwise.rbf_kernel(b, gamma=gamma)
    kab = pairwise.rbf_kernel(a, b, gamma=gamma)
    direct = (kaa.sum() - 60) / (60 * 59) + (kbb.sum() - 40) / (40 * 39) - 2 * kab.mean()
    assert np.isclose(out["mmd2"], direct)
    same = ev.mmd_test(rng.normal(size=(80, 2)), rng.normal(size=(80, 2)), seed=0)
    assert same["p_value"] > 0.01


def test_importance_weights_and_effective_sample_size():
    assert np.allclose(ev.importance_weights(np.array([0.5, 0.75]), 200, 100), [2.0, 6.0])
    assert np.allclose(ev.importance_weights(np.array([0.5, 0.75]), 100, 100, clip=2.0), [1.0, 2.0])
    assert ev.effective_sample_size(np.ones(7)) == 7.0
    assert np.isclose(ev.effective_sample_size([3.0, 1.0]), 16 / 10)
    with pytest.raises(ValueError, match="strictly between"):
        ev.importance_weights(np.array([0.0, 0.5]), 1, 1)


def test_bbse_recovers_a_known_label_shift():
    rng = np.random.default_rng(0)
    k, n = 3, 200_000
    confusion = np.array([[0.8, 0.1, 0.1], [0.15, 0.7, 0.15], [0.1, 0.2, 0.7]])  # P(pred | y)
    y_s = rng.choice(k, n, p=[0.5, 0.3, 0.2])
    pred_s = (rng.random(n)[:, None] > np.cumsum(confusion[y_s], axis=1)).sum(axis=1)
    q = np.array([0.2, 0.3, 0.5])
    y_t = rng.choice(k, n, p=q)
    pred_t = (rng.random(n)[:, None] > np.cumsum(confusion[y_t], axis=1)).sum(axis=1)
    w = ev.bbse_weights(y_s, pred_s, pred_t, k)
    assert np.allclose(w * np.array([0.5, 0.3, 0.2]), q, atol=0.01)
    probs = ev.reweight_probs(np.full((2, 3), 1 / 3), w)
    assert np.allclose(probs.sum(axis=1), 1) and np.allclose(probs[0], w / w.sum())
    with pytest.raises(ValueError, match="singular"):
        ev.bbse_weights([0, 1, 1], [0, 0, 0], [0, 1], 2)


# --- bad inputs found by benchmarks/sweep_bad_inputs.py -------------------------------------


def test_numbers_given_as_strings_are_refused():
    with pytest.raises(TypeError, match="p_values"):
        ev.adjust_correction(np.array(["0.01", "0.2"]))
    with pytest.raises(TypeError, match="weights"):
        ev.reweight_probs(np.full((2, 2), 0.5), np.array(["1", "2"]))


def test_ks_tests_names_the_correction():
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match="correction must be one of"):
        ev.ks_tests(X, X, correction="HOLM")


@pytest.mark.parametrize("model", [str, "GaussianNB", len])
def test_classifier_two_sample_test_refuses_a_non_estimator(model):
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(TypeError, match="model"):
        ev.classifier_two_sample_test(X, X, model=model, n_permutations=5)


def test_slice_mask_and_metrics_check_their_arguments():
    X = pd.DataFrame({"a": ["x", "y"] * 5})
    with pytest.raises(TypeError, match="predicates must be a dict"):
        ev.slice_mask(X, [("a", "x")])
    with pytest.raises(TypeError, match="seed"):
        ev.slice_metrics(X, np.ones(10, bool), ["a"], seed="0")


@pytest.mark.parametrize(
    "successes, n, message",
    [
        (np.array([3]), np.array([10, 10]), "shape"),
        (np.array([[3], [4]]), np.array([10, 10]), "shape"),
        (np.array([], int), np.array([10, 10]), "successes is empty"),
    ],
)
def test_wilson_interval_needs_matching_counts(successes, n, message):
    with pytest.raises(ValueError, match=message):
        ev.wilson_interval(successes, n)
    low, high = ev.wilson_interval(9, np.array([10, 20]))  # one number for all: broadcast
    assert high.shape == (2,)
    assert low.shape == (2,)
