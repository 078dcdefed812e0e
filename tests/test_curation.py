"""Model-based curation: selection, compression, the judge, augmentation, the flywheel."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dcai_course import curation, datasets, noise
from dcai_course.label_errors import out_of_sample_pred_probs

# --- selection and compression ------------------------------------------------------------


def brute_force_top(scores, fraction):
    k = max(1, round(fraction * len(scores)))
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return sorted(ranked[:k])


@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.37, 0.5, 0.99, 1.0])
def test_select_top_fraction_matches_brute_force(fraction):
    scores = np.round(np.random.default_rng(0).random(200), 1)  # many ties
    assert curation.select_top_fraction(scores, fraction).tolist() == brute_force_top(
        scores, fraction
    )


@pytest.mark.parametrize(
    ("scores", "fraction", "exc", "message"),
    [
        ([0.1, 0.2], 0.0, ValueError, r"\(0, 1\]"),
        ([0.1, 0.2], 1.5, ValueError, r"\(0, 1\]"),
        ([0.1, 0.2], "half", TypeError, "number"),
        ([], 0.5, ValueError, "non-empty"),
        ([0.1, np.nan], 0.5, ValueError, "NaN"),
        ([[0.1, 0.2]], 0.5, ValueError, "1-D"),
    ],
)
def test_select_top_fraction_errors(scores, fraction, exc, message):
    with pytest.raises(exc, match=message):
        curation.select_top_fraction(scores, fraction)


def test_compression_ratio_and_smallest_fraction():
    fractions, accuracies = [1.0, 0.2, 0.5, 0.8], [0.80, 0.70, 0.81, 0.83]
    assert curation.smallest_matching_fraction(fractions, accuracies, 0.80) == 0.5
    assert curation.compression_ratio(fractions, accuracies, 0.80) == 2.0
    assert np.isnan(curation.compression_ratio(fractions, accuracies, 0.9))
    with pytest.raises(ValueError, match="same"):
        curation.compression_ratio([0.5, 1.0], [0.8], 0.8)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        curation.compression_ratio([0.0, 1.0], [0.8, 0.8], 0.8)


@pytest.fixture(scope="module")
def noisy_digits():
    X, y = datasets.load_digits()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    train, test = order[:1200], order[1200:]
    matrix = noise.class_pair_noise_matrix(10, [(1, 7), (3, 8), (4, 9), (5, 6)], 0.3)
    noisy, flipped = noise.inject_label_noise(y[train], matrix, seed=0)
    return X[train], noisy, flipped, y[train], X[test], y[test]


def test_subset_accuracy_curve(noisy_digits):
    X, noisy, flipped, _, X_test, y_test = noisy_digits
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000))
    probs = out_of_sample_pred_probs(model, X, noisy, seed=0)
    scores = {"self-confidence": probs[np.arange(len(noisy)), noisy]}
    curve = curation.subset_accuracy_curve(
        model,
        X,
        noisy,
        X_test,
        y_test,
        scores,
        (0.5, 1.0),
        random_seeds=(0, 1),
        is_flipped=flipped,
        progress=False,
    )
    assert len(curve) == (1 + 2) * 2
    assert set(curve.selector) == {"self-confidence", "random"}
    by_fraction = curve[curve.selector == "self-confidence"].set_index("fraction")
    # the score keeps fewer wrong labels than the data has, and at least as few as random
    assert by_fraction.loc[0.5, "noise_kept"] < flipped.mean() / 2
    random_half = curve[(curve.selector == "random") & (curve.fraction == 0.5)]
    assert by_fraction.loc[0.5, "noise_kept"] < random_half.noise_kept.min()
    assert by_fraction.loc[1.0, "n_kept"] == len(noisy)
    with pytest.raises(ValueError, match="entries"):
        curation.subset_accuracy_curve(
            model, X, noisy, X_test, y_test, {"bad": [0.1]}, (0.5,), progress=False
        )


# --- the judge ------------------------------------------------------------------------------


def test_judge_features_and_judge(noisy_digits):
    X, noisy, flipped, _, _, _ = noisy_digits
    probs = out_of_sample_pred_probs(GaussianNB(), X, noisy, seed=0)
    features = curation.judge_features(noisy, probs, X=X, n_neighbors=5)
    assert list(features.columns) == [
        "given_label_prob",
        "max_prob",
        "margin",
        "entropy",
        "prediction_agrees",
        "neighbour_agreement",
    ]
    assert features.notna().all().all() and features.margin.between(0, 1).all()
    verified = np.random.default_rng(1).choice(len(noisy), 300, replace=False)
    judge = curation.train_judge(features.iloc[verified], ~flipped[verified], seed=0)
    rest = np.setdiff1d(np.arange(len(noisy)), verified)
    auc = roc_auc_score(~flipped[rest], judge.predict_proba(features.iloc[rest])[:, 1])
    assert auc > 0.8
    with pytest.raises(TypeError, match="booleans"):
        curation.train_judge(features.iloc[:10], np.ones(10))
    with pytest.raises(ValueError, match="both correct and wrong"):
        curation.train_judge(features.iloc[:10], np.ones(10, dtype=bool))


# --- augmentation -----------------------------------------------------------------------------


def test_transform_images_geometry():
    image = np.zeros((1, 64))
    image[0, 3 * 8 + 3] = 16.0  # a single lit pixel left of the centre
    same = curation.transform_images(image, [0.0], seed=0)
    assert np.allclose(same, image)  # strength 0 leaves the image alone
    shifted = curation.transform_images(np.repeat(image, 50, axis=0), np.full(50, 1.0), seed=0)
    assert shifted.shape == (50, 64) and shifted.min() >= 0 and shifted.max() <= 16
    assert not np.allclose(shifted, image)
    quarter = np.zeros((8, 8))
    quarter[:4, :4] = 16
    # a 90° rotation moves the lit quarter to another quarter, intensity preserved
    rotated = curation.transform_images(
        quarter.reshape(1, 64), [1.0], max_rotation=90, max_shift=0, seed=np.random.default_rng(0)
    )
    assert abs(rotated.sum() - quarter.sum()) < 0.35 * quarter.sum()
    images = np.repeat(image, 20, axis=0)
    plain = curation.transform_images(images, np.full(20, 0.5), seed=1)
    same_images, params = curation.transform_images(
        images, np.full(20, 0.5), seed=1, return_params=True
    )
    assert np.array_equal(plain, same_images)  # the parameters change nothing
    assert list(params.columns) == ["rotation", "shift_down", "shift_right"]
    assert params.rotation.abs().max() <= 30 and params.shift_down.abs().max() <= 1.5
    upper_right = np.zeros((1, 64))
    upper_right[0, 1 * 8 + 6] = 16.0
    turned, turn = curation.transform_images(
        np.repeat(upper_right, 30, axis=0),
        np.ones(30),
        max_rotation=90,
        max_shift=0,
        seed=0,
        return_params=True,
    )
    column = turned.reshape(30, 8, 8).max(axis=1).argmax(axis=1)  # brightest column
    # a positive rotation turns counter-clockwise: the upper-right pixel moves left
    assert (column[turn.rotation > 45] < 6).all() and (column[turn.rotation < -45] >= 6).all()
    with pytest.raises(ValueError, match="flattened 8x8"):
        curation.transform_images(np.zeros((2, 10)), [0.1, 0.2])
    with pytest.raises(ValueError, match="strengths"):
        curation.transform_images(np.zeros((2, 64)), [0.1])


def test_accept_by_validation_keeps_helpful_groups_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(size=(40, 2)) + np.repeat([[-2, 0], [2, 0]], 20, axis=0)
    y_train = np.repeat([0, 1], 20)
    X_val = rng.normal(size=(200, 2)) + np.repeat([[-2, 0], [2, 0]], 100, axis=0)
    y_val = np.repeat([0, 1], 100)
    good = rng.normal(size=(100, 2)) + np.repeat([[-2, 0], [2, 0]], 50, axis=0)
    bad = good.copy()  # the same points with swapped labels: harmful
    X_cand = np.concatenate([good, bad])
    y_cand = np.concatenate([np.repeat([0, 1], 50), np.repeat([1, 0], 50)])
    groups = np.repeat([0, 1], 100)
    keep, decisions = curation.accept_by_validation(
        LogisticRegression(), X_train, y_train, X_cand, y_cand, groups, X_val, y_val
    )
    assert not keep[100:].any()
    assert list(decisions.columns) == ["group", "n_candidates", "validation_accuracy", "accepted"]
    assert decisions.accepted.iloc[-1] == False  # noqa: E712 - the harmful group is rejected
    with pytest.raises(ValueError, match="Length mismatch"):
        curation.accept_by_validation(
            LogisticRegression(), X_train, y_train, X_cand, y_cand, groups[:5], X_val, y_val
        )


# --- the flywheel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flywheel_data():
    X, y = datasets.load_letters()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    pool, val, test = order[:4000], order[4000:4500], order[4500:6500]
    crowd, _ = noise.inject_label_noise(y[pool], noise_rate=0.3, seed=0)
    return X[pool], crowd, y[pool], X[val], y[val], X[test], y[test]


def test_forecast_more_data_is_positive_and_shrinks(flywheel_data):
    X, _, truth, X_val, y_val, _, _ = flywheel_data
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(10))
    small = curation.forecast_more_data(
        model, X[:800], truth[:800], X_val, y_val, n_new=400, seed=0
    )
    large = curation.forecast_more_data(
        model, X[:3200], truth[:3200], X_val, y_val, n_new=400, seed=0
    )
    assert small > large >= 0


@pytest.mark.parametrize("strategy", curation.FLYWHEEL_STRATEGIES)
def test_run_flywheel(flywheel_data, strategy):
    X, crowd, truth, X_val, y_val, X_test, y_test = flywheel_data
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(10))
    run = curation.run_flywheel(
        model,
        X,
        crowd,
        truth,
        X_val,
        y_val,
        X_test,
        y_test,
        strategy=strategy,
        initial_size=1000,
        budget_per_round=400,
        n_rounds=2,
        review_cost=2,
        pilot_reviews=50,
        seed=0,
        progress=False,
    )
    assert run["round"].tolist() == [0, 1, 2] and run.cost.tolist() == [0, 400, 800]
    assert (run.test_accuracy.diff().iloc[1:] > -0.02).all()
    if strategy in ("more data", "more data by margin"):
        assert run.n_labeled.tolist() == [1000, 1400, 1800] and (run.n_reviewed == 0).all()
    elif strategy == "cleaner data":
        assert run.n_reviewed.tolist() == [0, 200, 400]
        assert run.label_accuracy.is_monotonic_increasing
    elif strategy == "flywheel forced to more data":
        # 50 pilot reviews (100 units), then 300 new labels, every round
        assert run.n_reviewed.tolist() == [0, 50, 100]
        assert run.n_labeled.tolist() == [1000, 1300, 1600]
        assert run.gain_per_unit_more.isna().all()
    else:
        assert set(run.decision.iloc[1:]) <= {"more data", "cleaner data"}
        assert run.gain_per_unit_more.iloc[1:].notna().all()
        assert (run.n_reviewed.iloc[1:] >= 50).all()  # the pilot reviews always happen


def test_margin_sampling_buys_harder_examples_than_random(flywheel_data):
    X, _, truth, *held_out = flywheel_data
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(10))
    options = {"initial_size": 500, "budget_per_round": 500, "n_rounds": 1, "progress": False}
    # clean labels for both: the two strategies differ only in which examples they buy
    runs = {
        strategy: curation.run_flywheel(
            model, X, truth, truth, *held_out, strategy=strategy, seed=0, **options
        )
        for strategy in ("more data", "more data by margin")
    }
    assert (
        runs["more data by margin"].test_accuracy.iloc[-1]
        > runs["more data"].test_accuracy.iloc[-1]
    )


def test_flywheel_ablation_pairs_strategies_by_seed():
    X, y = datasets.load_letters()
    matrix = noise.uniform_noise_matrix(26, 0.3)
    model = make_pipeline(StandardScaler(), KNeighborsClassifier(10))
    strategies = ("more data", "flywheel forced to more data")
    runs = curation.flywheel_ablation(
        model,
        X,
        y,
        matrix,
        seeds=[0, 1],
        split_sizes={"pool_size": 1500, "val_size": 300, "test_size": 500},
        strategies=strategies,
        initial_size=500,
        budget_per_round=300,
        n_rounds=1,
        pilot_reviews=20,
        progress=False,
    )
    assert len(runs) == 2 * 2 * 2 and set(runs.strategy) == set(strategies)
    start = runs[runs["round"] == 0].groupby("seed").test_accuracy.nunique()
    assert (start == 1).all()  # round 0 is shared: same split, same initial labels
    assert runs.groupby("seed").test_accuracy.first().nunique() == 2  # the seeds differ
    with pytest.raises(ValueError, match="unknown strategies"):
        curation.flywheel_ablation(
            model, X, y, matrix, seeds=[0], split_sizes={}, strategies=["magic"]
        )


def test_noisy_split_draws_a_new_split_and_noise_per_seed():
    X, y = datasets.load_digits()
    matrix = noise.uniform_noise_matrix(10, 0.3)
    sizes = {"pool_size": 600, "val_size": 200, "test_size": 400}
    a, b = (curation.noisy_split(X, y, matrix, seed=s, **sizes) for s in (0, 1))
    again = curation.noisy_split(X, y, matrix, seed=0, **sizes)
    assert np.array_equal(a.noisy, again.noisy) and np.array_equal(a.X_test, again.X_test)
    assert not np.array_equal(a.X_pool, b.X_pool)
    assert np.array_equal(a.flipped, a.noisy != a.y_pool) and 0.2 < a.flipped.mean() < 0.4
    assert (a.X_pool.shape[0], a.X_val.shape[0], a.X_test.shape[0]) == (600, 200, 400)
    # no example is in two splits
    rows = {tuple(r) for part in (a.X_pool, a.X_val, a.X_test) for r in part}
    assert len(rows) >= 0.99 * 1200  # digits has a few exact duplicate images
    with pytest.raises(ValueError, match="exceeds"):
        curation.noisy_split(X, y, matrix, pool_size=2000, val_size=1, test_size=1)
    with pytest.raises(ValueError, match="pool_size must be an integer >= 1"):
        curation.noisy_split(X, y, matrix, pool_size=0, val_size=1, test_size=1)
    no_val = curation.noisy_split(X, y, matrix, pool_size=600, val_size=0, test_size=400, seed=0)
    assert no_val.X_val.shape == (0, 64) and no_val.X_test.shape == (400, 64)


def test_run_flywheel_errors(flywheel_data):
    X, crowd, truth, X_val, y_val, X_test, y_test = flywheel_data
    args = (GaussianNB(), X, crowd, truth, X_val, y_val, X_test, y_test)
    with pytest.raises(ValueError, match="strategy"):
        curation.run_flywheel(
            *args, strategy="magic", initial_size=100, budget_per_round=10, n_rounds=1
        )
    with pytest.raises(ValueError, match="initial_size"):
        curation.run_flywheel(
            *args, strategy="more data", initial_size=0, budget_per_round=10, n_rounds=1
        )
    with pytest.raises(ValueError, match="pilot"):
        curation.run_flywheel(
            *args,
            strategy="flywheel",
            initial_size=100,
            budget_per_round=100,
            n_rounds=1,
            pilot_reviews=50,
            review_cost=2,
        )
    assert isinstance(curation.Forecast(0.1, 0.2).decision, str)
    assert curation.Forecast(more_data=0.3, cleaner_data=0.2).decision == "more data"
    assert pd.api.types.is_list_like(curation.FLYWHEEL_STRATEGIES)


# --- lab 14's capstone grader ---------------------------------------------------------------


def _answer(first, second):
    """A learner's `curate` that returns `first` on the first call and `second` on the second."""

    def curate(X_pool, noisy_labels, budget, verified_indices=None, verified_labels=None):
        if verified_indices is None:
            return first(noisy_labels, budget)
        return second(noisy_labels, verified_indices, verified_labels)

    return curate


def _keep_all(noisy, idx, labels):
    return np.arange(noisy.size), noisy


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (lambda y, b: np.arange(b + 1), _keep_all, "the budget is"),
        (lambda y, b: np.array([0, 0]), _keep_all, "repeat"),
        (lambda y, b: np.array([-1]), _keep_all, "indices into the pool"),
        (lambda y, b: np.arange(3), lambda y, i, v: np.arange(y.size), "tuple"),
        (lambda y, b: np.arange(3), lambda y, i, v: (np.arange(100), y[:100]), "at least 260"),
        (lambda y, b: np.arange(3), lambda y, i, v: (np.arange(y.size), y + 1), "0..25"),
        (
            lambda y, b: np.arange(3),
            lambda y, i, v: (np.arange(y.size), y[:-1]),
            "should have shape",
        ),
    ],
)
def test_capstone_grader_rejects_invalid_answers(first, second, message):
    from dcai_course.grading.labs import lab14

    split = lab14.capstone_draw(0, pool_size=1500)
    with pytest.raises(AssertionError, match=message):
        lab14._curated_set(_answer(first, second), split, 75)


def test_capstone_grader_fails_the_unchanged_pool_and_passes_the_true_labels():
    from dcai_course.grading.labs import lab14

    unchanged = _answer(lambda y, b: np.arange(0), _keep_all)
    with pytest.raises(AssertionError, match="closed 0% of the gap"):
        lab14._capstone_threshold(lab14.THRESHOLDS[0])(unchanged, np.random.default_rng(0))
    # the verified labels are used by the grader as given: keeping only them is valid
    only_verified = _answer(
        lambda y, b: np.arange(b), lambda y, i, v: (np.asarray(i), np.asarray(v))
    )
    closed, detail = lab14._gap_closed(only_verified, 1)
    assert closed < 0 and "of the gap closed" in detail  # 300 clean labels lose to 6,000 noisy
