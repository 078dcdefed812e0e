"""Tests of dcai_course.privacy: attack metrics against scikit-learn, attacks, poisoning."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score, roc_curve

from dcai_course import label_errors, privacy, quality
from dcai_course.datasets import load_digits


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits()
    return X / 16, y


def _scores(rng, ties):
    n_in, n_out = int(rng.integers(20, 300)), int(rng.integers(20, 300))
    s = np.r_[rng.normal(0.7, 1, n_in), rng.normal(0, 1, n_out)]
    if ties:
        s = np.round(s, 1)
    return s, np.r_[np.ones(n_in, bool), np.zeros(n_out, bool)]


# --- metrics against scikit-learn ---------------------------------------------------------


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_roc_matches_sklearn(seed, ties):
    s, member = _scores(np.random.default_rng(seed), ties)
    fpr, tpr, thr = privacy.roc_points(s, member)
    fpr_sk, tpr_sk, thr_sk = roc_curve(member, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, fpr_sk)
    np.testing.assert_allclose(tpr, tpr_sk)
    np.testing.assert_allclose(thr[1:], thr_sk[1:])
    assert privacy.roc_auc(s, member) == pytest.approx(roc_auc_score(member, s), abs=1e-12)
    for target in (0.0, 0.01, 0.1, 0.5):
        expected = tpr_sk[fpr_sk <= target].max()
        assert privacy.tpr_at_fpr(s, member, target) == pytest.approx(expected, abs=1e-12)


def test_metrics_small_examples():
    s, m = [0.9, 0.8, 0.3, 0.1], [True, False, True, False]
    assert privacy.attack_metrics(s, m, fpr=0.0) == {"auc": 0.75, "tpr_at_fpr": 0.5}
    # a non-member tied with the only member: no threshold separates them
    assert privacy.tpr_at_fpr([1.0, 1.0, 0.0], [True, False, False], 0.4) == 0.0
    assert privacy.roc_auc([1.0, 1.0], [True, False]) == 0.5


def test_loss_matches_sklearn_log_loss():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(5), size=200)
    y = rng.integers(0, 5, 200)
    loss = privacy.per_example_loss(probs, y)
    assert loss.sum() == pytest.approx(log_loss(y, probs, normalize=False, labels=range(5)))
    np.testing.assert_allclose(privacy.loss_attack_scores(probs, y), -loss)
    assert privacy.per_example_loss([[1.0, 0.0]], [1])[0] == pytest.approx(-np.log(1e-12))


# --- attacks ------------------------------------------------------------------------------


def test_shadow_attack_finds_members_of_a_forest(digits):
    X, y = digits
    order = np.random.default_rng(0).permutation(len(y))
    members, outs, pool = order[:300], order[300:600], order[600:]
    target = RandomForestClassifier(30, random_state=0).fit(X[members], y[members])
    ev = np.r_[members, outs]
    member = np.r_[np.ones(300, bool), np.zeros(300, bool)]
    probs = target.predict_proba(X[ev])
    attack = privacy.ShadowAttack(RandomForestClassifier(30), n_shadows=2, n_in=300, seed=0)
    scores = attack.fit(X[pool], y[pool]).score(probs, y[ev])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert privacy.roc_auc(scores, member) > 0.75
    again = privacy.ShadowAttack(RandomForestClassifier(30), n_shadows=2, n_in=300, seed=0)
    np.testing.assert_array_equal(again.fit(X[pool], y[pool]).score(probs, y[ev]), scores)


def test_membership_experiment_capacity_and_duplicates(digits):
    X, y = digits
    shallow = privacy.membership_experiment(
        RandomForestClassifier(20, max_depth=2), X, y, n_train=300, seeds=[0, 1]
    )
    deep = privacy.membership_experiment(
        RandomForestClassifier(20), X, y, n_train=300, seeds=[0, 1], n_dup=30, shadow=True
    )
    assert (deep.auc > shallow.auc).all()
    assert (deep.auc_dup > deep.auc_single).all()
    assert {"shadow_auc", "shadow_tpr", "tpr_dup"} <= set(deep.columns)
    dedup = privacy.membership_experiment(
        RandomForestClassifier(20), X, y, n_train=300, seeds=[0, 1], n_dup=30, deduplicate=True
    )
    assert (dedup.auc_dup < deep.auc_dup).all()


def test_noisy_vote_counts():
    votes = np.array([[0, 1, 2], [0, 1, 1], [0, 2, 2]])
    exact = privacy.noisy_vote_counts(votes, 3, None)
    np.testing.assert_array_equal(exact, [[3, 0, 0], [0, 2, 1], [0, 1, 2]])
    big = np.zeros((5, 20000), dtype=int)
    noisy = privacy.noisy_vote_counts(big, 2, 1.0, seed=0)
    noise = noisy - privacy.noisy_vote_counts(big, 2, None)
    # Laplace(scale b = 2/epsilon) has variance 2 b^2 = 8
    assert noise.var() == pytest.approx(8.0, rel=0.05)
    np.testing.assert_array_equal(noisy, privacy.noisy_vote_counts(big, 2, 1.0, seed=0))


# --- poisoning ----------------------------------------------------------------------------


def test_flip_labels_and_success_rate():
    y = np.repeat(np.arange(4), 50)
    poisoned, flipped = privacy.flip_labels(y, source=1, target=3, fraction=0.4, seed=0)
    assert flipped.sum() == 20 and (y[flipped] == 1).all() and (poisoned[flipped] == 3).all()
    assert (poisoned[~flipped] == y[~flipped]).all()
    assert privacy.attack_success_rate([3, 3, 1, 3], [1, 1, 1, 3], target=3) == pytest.approx(2 / 3)


def test_trigger_and_backdoor():
    X = np.zeros((3, 16))
    for corner, pixels in [
        ("bottom-right", [10, 11, 14, 15]),
        ("top-left", [0, 1, 4, 5]),
        ("top-right", [2, 3, 6, 7]),
        ("bottom-left", [8, 9, 12, 13]),
    ]:
        stamped = privacy.add_trigger(X, image_shape=(4, 4), size=2, corner=corner)
        assert sorted(np.flatnonzero(stamped[0])) == pixels
    assert (X == 0).all(), "add_trigger must not modify its input"
    Xp, yp, mask = privacy.plant_backdoor(np.zeros((100, 64)), np.arange(100) % 10, 7, 0.1, seed=1)
    assert mask.sum() == 10 and (yp[mask] == 7).all() and (Xp[mask][:, 63] == 1).all()
    assert not (Xp[~mask]).any()


def test_sanitisers_reuse_course_tools(digits):
    X, y = digits
    X, y = X[:600], y[:600]
    probs = label_errors.out_of_sample_pred_probs(LogisticRegression(max_iter=2000), X, y, seed=3)
    np.testing.assert_array_equal(
        privacy.sanitize_flags(X, y, "confident_learning", seed=3),
        label_errors.find_label_issues(y, probs),
    )
    np.testing.assert_array_equal(
        privacy.sanitize_flags(X, y, "outliers"),
        quality.flag_outliers(quality.outlier_scores(X, "knn", k=10)),
    )
    assert not privacy.sanitize_flags(X, y, "none").any()


def test_poisoning_experiment_backdoor_removed_by_outliers(digits):
    X, y = digits
    runs = privacy.poisoning_experiment(
        LogisticRegression(max_iter=500),
        X,
        y,
        kind="backdoor",
        target=0,
        fraction=0.03,
        methods=["none", "outliers"],
        seeds=[0],
    )
    by = runs.set_index("method")
    assert by.loc["none", "attack_success"] > 0.5
    assert by.loc["outliers", "poison_removed"] > 0.3
    assert by.loc["none", "poison_removed"] == 0.0


# --- errors -------------------------------------------------------------------------------


def test_metric_errors():
    with pytest.raises(ValueError, match="both members"):
        privacy.roc_auc([0.1, 0.2], [True, True])
    with pytest.raises(TypeError, match="boolean mask"):
        privacy.roc_auc([0.1, 0.2], [1, 0])
    with pytest.raises(ValueError, match="NaN"):
        privacy.tpr_at_fpr([np.nan, 0.2], [True, False])
    with pytest.raises(ValueError, match="Length mismatch"):
        privacy.roc_points([0.1, 0.2, 0.3], [True, False])
    with pytest.raises(ValueError, match="fpr"):
        privacy.tpr_at_fpr([0.1, 0.2], [True, False], fpr=5)
    with pytest.raises(ValueError):
        privacy.per_example_loss([[0.5, 0.6]], [0])
    with pytest.raises(ValueError):
        privacy.per_example_loss([[0.5, 0.5]], [2])


def test_attack_and_poisoning_errors(digits):
    X, y = digits
    with pytest.raises(ValueError, match="n_train"):
        privacy.membership_experiment(RandomForestClassifier(), X, y, n_train=1000)
    with pytest.raises(TypeError, match="instance"):
        privacy.ShadowAttack(RandomForestClassifier)
    with pytest.raises(RuntimeError, match="not fitted"):
        privacy.ShadowAttack(RandomForestClassifier()).score([[1.0, 0.0]], [0])
    with pytest.raises(ValueError, match="different"):
        privacy.flip_labels([1, 2], 1, 1, 0.5)
    with pytest.raises(ValueError, match="image_shape"):
        privacy.add_trigger(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="epsilon"):
        privacy.noisy_vote_counts([[0, 1]], 2, 0.0)
    with pytest.raises(ValueError, match="source"):
        privacy.poisoning_experiment(
            LogisticRegression(), X, y, kind="flip", target=1, fraction=0.1
        )
    with pytest.raises(ValueError, match="method"):
        privacy.sanitize_flags(X, y, "magic")
