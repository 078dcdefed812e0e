"""Agreement, annotator quality, gold screening, EM steps and redundancy, with cross-checks
against scikit-learn, statsmodels and our own Dawid-Skene."""

import numpy as np
import pandas as pd
import pytest

from dcai_course.aggregation import dawid_skene, majority_vote, to_vote_matrix, vote_counts
from dcai_course.crowdsourcing import (
    KAPPA_BANDS,
    annotator_quality,
    cohen_kappa,
    dawid_skene_e_step,
    dawid_skene_m_step,
    fleiss_kappa,
    implied_accuracy,
    interpret_kappa,
    item_agreement,
    plot_redundancy,
    redundancy_curve,
    screen_workers,
    subsample_answers,
    weighted_majority_vote,
)
from dcai_course.datasets import load_crowd
from dcai_course.noise import simulate_annotators, uniform_noise_matrix


@pytest.fixture(scope="module")
def bluebirds():
    return load_crowd("bluebirds")


@pytest.fixture(scope="module")
def dog():
    return load_crowd("dog")


@pytest.fixture(scope="module")
def crowd():
    """4 classes, 8 workers of known accuracy, 5 answers per item."""
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 4, 3000)
    accuracies = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.3, 0.15])
    answers = simulate_annotators(truth, accuracies, 5, seed=1)
    return answers, pd.Series(truth, name="truth").rename_axis("item"), accuracies


# --- Cohen's kappa ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_cohen_kappa_equals_sklearn_on_random_raters(seed):
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 8))
    a = rng.integers(0, k, int(rng.integers(5, 400)))
    b = np.where(rng.random(a.size) < rng.uniform(0, 1), a, rng.integers(0, k, a.size))
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_cohen_kappa_equals_sklearn_on_bluebirds_worker_pairs(bluebirds):
    from sklearn.metrics import cohen_kappa_score

    answers, _ = bluebirds
    wide = answers.pivot(index="item", columns="worker", values="label")
    for i, j in [(0, 1), (2, 30), (5, 38), (10, 11)]:
        a, b = wide.iloc[:, i].to_numpy(), wide.iloc[:, j].to_numpy()
        assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_cohen_kappa_perfect_chance_and_worse_than_chance():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, 20_000)
    assert cohen_kappa(a, a) == 1.0
    assert abs(cohen_kappa(a, rng.integers(0, 3, a.size))) < 0.02
    assert cohen_kappa([0, 1, 0, 1], [1, 0, 1, 0]) == pytest.approx(-1.0)
    assert np.isnan(cohen_kappa([2, 2, 2], [2, 2, 2]))  # undefined, as in scikit-learn


@pytest.mark.parametrize(
    ("a", "b", "exc", "message"),
    [
        ([0, 1], [0, 1, 1], ValueError, "Length mismatch"),
        ([], [], ValueError, "empty"),
        ([0, -1], [0, 1], ValueError, ">= 0"),
        (["x", "y"], [0, 1], TypeError, "integer class indices"),
        ([0.5, 1], [0, 1], ValueError, "whole numbers"),
    ],
)
def test_cohen_kappa_errors(a, b, exc, message):
    with pytest.raises(exc, match=message):
        cohen_kappa(a, b)


# --- Fleiss' kappa ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bluebirds", "dog"])
def test_fleiss_kappa_equals_statsmodels_on_real_crowds(name):
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    answers, _ = load_crowd(name)
    table = vote_counts(answers)
    assert fleiss_kappa(answers) == pytest.approx(statsmodels_fleiss(table), abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_fleiss_kappa_equals_statsmodels_on_simulated_crowds(seed):
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 6))
    truth = rng.integers(0, k, 500)
    answers = simulate_annotators(truth, rng.uniform(0.2, 1, 12), int(rng.integers(2, 12)), seed=1)
    matrix = to_vote_matrix(answers, k).matrix
    expected = statsmodels_fleiss(vote_counts(matrix, k))
    assert fleiss_kappa(answers, n_classes=k) == pytest.approx(expected, abs=1e-12)
    assert fleiss_kappa(matrix, n_classes=k) == pytest.approx(expected, abs=1e-12)


def test_fleiss_kappa_perfect_chance_and_single_answers():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 500)
    perfect = np.repeat(truth[:, None], 4, axis=1)
    assert fleiss_kappa(perfect) == pytest.approx(1.0)
    chance = rng.integers(0, 3, (20_000, 4))
    assert abs(fleiss_kappa(chance)) < 0.01
    # items with a single answer carry no pair and are skipped
    with_single = np.vstack([chance[:100], [[1, -1, -1, -1]] * 30])
    assert fleiss_kappa(with_single) == pytest.approx(fleiss_kappa(chance[:100]))
    assert np.isnan(fleiss_kappa([[1, 1], [1, 1]], n_classes=2))  # undefined: one class
    with pytest.raises(ValueError, match="at least two answers"):
        fleiss_kappa([[0, -1], [-1, 1]])


def test_interpret_kappa_bands():
    assert [interpret_kappa(x) for x in (-0.3, 0.0, 0.1, 0.2, 0.35, 0.5, 0.7, 0.95, 1.0)] == [
        "poor",
        "slight",
        "slight",
        "slight",
        "fair",
        "moderate",
        "substantial",
        "almost perfect",
        "almost perfect",
    ]
    assert interpret_kappa(float("nan")) == "undefined"
    assert [name for _, name in KAPPA_BANDS][-1] == "almost perfect"
    with pytest.raises(ValueError, match="between -1 and 1"):
        interpret_kappa(1.5)
    with pytest.raises(TypeError, match="number"):
        interpret_kappa("high")


# --- item agreement and annotator quality -------------------------------------------------


def test_item_agreement_long_and_matrix_agree(dog):
    answers, _ = dog
    consensus = majority_vote(answers, tie_break="lowest")
    agreement = item_agreement(answers, consensus)
    assert isinstance(agreement, pd.Series) and agreement.index.name == "item"
    expected = (answers.label == answers.item.map(consensus)).groupby(answers.item).mean()
    assert np.allclose(agreement.to_numpy(), expected.loc[agreement.index].to_numpy())
    v = to_vote_matrix(answers)
    assert np.allclose(item_agreement(v.matrix, consensus.to_numpy()), agreement.to_numpy())
    assert (agreement >= 0.25).all()  # a plurality of 10 answers over 4 classes


def test_item_agreement_undefined_items():
    votes = [[0, 0, 1], [-1, -1, -1], [1, 1, 0]]
    result = item_agreement(votes, [0, 0, -1], n_classes=2)
    assert result[0] == pytest.approx(2 / 3) and np.isnan(result[1]) and np.isnan(result[2])
    answers = pd.DataFrame({"item": ["a", "a", "b"], "worker": [1, 2, 1], "label": [0, 1, 1]})
    partial = item_agreement(answers, pd.Series({"a": 1}))
    assert partial["a"] == 0.5 and np.isnan(partial["b"])


@pytest.mark.parametrize(
    ("consensus", "exc", "message"),
    [
        (np.array([0, 1]), TypeError, "pandas Series indexed by item"),
        (pd.Series({"x": 0}), ValueError, "shares no item"),
        (pd.Series({"a": 5}), ValueError, "only 2 classes"),
        (pd.Series({"a": 0.5}), ValueError, "integer"),
        (pd.Series([0, 1], index=["a", "a"]), ValueError, "duplicate"),
    ],
)
def test_item_agreement_errors_long(consensus, exc, message):
    answers = pd.DataFrame({"item": ["a", "a", "b"], "worker": [1, 2, 1], "label": [0, 1, 1]})
    with pytest.raises(exc, match=message):
        item_agreement(answers, consensus)


def test_item_agreement_errors_matrix():
    with pytest.raises(ValueError, match="one entry per row"):
        item_agreement([[0, 1], [1, 1]], [0, 1, 1])
    with pytest.raises(ValueError, match=">= 0"):
        item_agreement([[0, 1], [1, 1]], [0, -2])
    with pytest.raises(TypeError, match="integer"):
        item_agreement([[0, 1], [1, 1]], ["a", "b"])


def test_annotator_quality_against_gold_equals_a_groupby(dog):
    answers, truth = dog
    quality = annotator_quality(answers, truth)
    correct = answers.label == answers.item.map(truth)
    expected = correct.groupby(answers.worker).agg(["mean", "size"])
    assert quality.index.name == "worker" and list(quality.columns) == ["accuracy", "n_labels"]
    assert np.allclose(quality["accuracy"], expected["mean"].loc[quality.index])
    assert (quality["n_labels"] == expected["size"].loc[quality.index]).all()


def test_annotator_quality_on_a_gold_subset_counts_only_gold_answers(crowd):
    answers, truth, accuracies = crowd
    gold = truth.iloc[:300]
    quality = annotator_quality(answers, gold)
    on_gold = answers[answers.item < 300]
    assert (quality["n_labels"] == on_gold.groupby("worker").size()).all()
    assert np.abs(quality["accuracy"].to_numpy() - accuracies).max() < 0.12
    # a worker without gold answers gets NaN and 0
    extra = pd.concat([answers, pd.DataFrame({"item": [2999], "worker": [99], "label": [0]})])
    quality = annotator_quality(extra, gold)
    assert np.isnan(quality.loc[99, "accuracy"]) and quality.loc[99, "n_labels"] == 0


def test_annotator_quality_matrix_input():
    quality = annotator_quality([[0, 0, 1], [1, 1, 1], [2, -1, 0]], [0, 1, -1], n_classes=3)
    assert quality["accuracy"].tolist() == [1.0, 1.0, 0.5]
    assert quality["n_labels"].tolist() == [2, 2, 2]


# --- Dawid-Skene quality, gold screening, weighted vote -----------------------------------


def test_implied_accuracy_recovers_simulated_accuracies(crowd):
    answers, _, accuracies = crowd
    result = dawid_skene(answers)
    estimated = implied_accuracy(result.confusions, result.priors)
    assert np.abs(estimated - accuracies).max() < 0.05


def test_implied_accuracy_errors():
    with pytest.raises(ValueError, match=r"n_sources, K, K\) with K >= 2 \(or K \+ 1"):
        implied_accuracy(np.ones((2, 2)), [0.5, 0.5])
    with pytest.raises(ValueError, match="priors must have 2 entries"):
        implied_accuracy(np.ones((2, 2, 2)) / 2, [1.0])
    with pytest.raises(ValueError, match="priors must sum to 1"):
        implied_accuracy(np.ones((2, 2, 2)) / 2, [0.7, 0.7])
    # abstain as a response: R = K + 1 is fine
    assert implied_accuracy(np.ones((1, 2, 3)) / 3, [0.5, 0.5]) == pytest.approx([1 / 3])


def test_screen_workers_flags_the_bad_workers(crowd):
    answers, truth, accuracies = crowd
    screen = screen_workers(answers, truth.iloc[:400], threshold=0.5)
    assert screen["keep"].tolist() == list(accuracies >= 0.5)
    weights = screen["weight"].to_numpy()
    assert (np.diff(weights[:7]) < 0).all()  # more accurate, more weight
    assert weights[7] == 0  # below chance (0.25 with 4 classes): no weight at all
    # unscreened workers are kept with the weight of the pooled gold accuracy
    extra = pd.concat([answers, pd.DataFrame({"item": [2999], "worker": [99], "label": [0]})])
    screen = screen_workers(extra, truth.iloc[:400], threshold=0.5, min_gold=10)
    assert screen.loc[99, "keep"] and screen.loc[99, "n_gold"] == 0
    assert 0 < screen.loc[99, "weight"] < screen["weight"].max()


def test_screening_and_weighting_beat_plain_majority_vote(crowd):
    answers, truth, _ = crowd
    gold, rest = truth.iloc[:300], truth.iloc[300:]
    screen = screen_workers(answers, gold, threshold=0.5)

    def accuracy(labels):
        return (labels.loc[rest.index] == rest).mean()

    plain = accuracy(majority_vote(answers, tie_break="random", seed=0))
    kept = answers[answers.worker.map(screen["keep"])]
    dropped = accuracy(majority_vote(kept, tie_break="random", seed=0))
    weighted = accuracy(weighted_majority_vote(answers, screen["weight"]))
    assert dropped > plain + 0.02 and weighted > plain + 0.02


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"threshold": 1.5}, ValueError, "threshold"),
        ({"min_gold": 0}, ValueError, "min_gold"),
        ({"min_gold": 10_000}, ValueError, "No worker has"),
    ],
)
def test_screen_workers_errors(crowd, kwargs, exc, message):
    answers, truth, _ = crowd
    with pytest.raises(exc, match=message):
        screen_workers(answers, truth.iloc[:50], **kwargs)
    with pytest.raises(TypeError, match="long DataFrame"):
        screen_workers(np.zeros((2, 2), dtype=int), truth)


def test_weighted_majority_vote_with_equal_weights_is_majority_vote(dog):
    answers, _ = dog
    workers = answers.worker.unique()
    weighted = weighted_majority_vote(answers, pd.Series(1.0, index=workers))
    assert weighted.equals(majority_vote(answers, tie_break="lowest"))
    assert weighted_majority_vote([[0, 1], [1, 1]], [0.0, 0.0]).tolist() == [-1, -1]
    assert weighted_majority_vote([[0, 1, 1]], [2.5, 1.0, 1.0]).tolist() == [0]


@pytest.mark.parametrize(
    ("weights", "exc", "message"),
    [
        (pd.Series({1: 1.0}), ValueError, "no value for 1 worker"),
        (pd.Series({1: 1.0, 2: -1.0}), ValueError, ">= 0"),
        (pd.Series({1: 1.0, 2: np.nan}), ValueError, "finite"),
        (np.ones(2), TypeError, "Series indexed by worker"),
    ],
)
def test_weighted_majority_vote_errors(weights, exc, message):
    answers = pd.DataFrame({"item": [0, 0, 1], "worker": [1, 2, 1], "label": [0, 1, 1]})
    with pytest.raises(exc, match=message):
        weighted_majority_vote(answers, weights)
    with pytest.raises(ValueError, match="one value per column"):
        weighted_majority_vote([[0, 1]], [1.0])


# --- one EM iteration ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bluebirds", "dog"])
def test_one_em_iteration_equals_dawid_skene_with_max_iter_1(name):
    answers, _ = load_crowd(name)
    v = to_vote_matrix(answers)
    counts = vote_counts(v.matrix)
    priors, confusions = dawid_skene_m_step(v.matrix, counts / counts.sum(axis=1, keepdims=True))
    posteriors = dawid_skene_e_step(v.matrix, priors, confusions)
    reference = dawid_skene(answers, max_iter=1, tol=0)
    assert np.allclose(priors, reference.priors, atol=1e-12)
    assert np.allclose(confusions, reference.confusions, atol=1e-12)
    assert np.allclose(posteriors, reference.posteriors.to_numpy(), atol=1e-12)


def test_em_steps_from_the_diagonal_start_reproduce_zheng_et_al(bluebirds):
    answers, truth = bluebirds
    v = to_vote_matrix(answers)
    n_workers, k = v.matrix.shape[1], v.n_classes
    confusions = np.stack([uniform_noise_matrix(k, 0.3)] * n_workers)
    posteriors = dawid_skene_e_step(v.matrix, np.full(k, 1 / k), confusions)
    for _ in range(20):
        priors, confusions = dawid_skene_m_step(v.matrix, posteriors)
        posteriors = dawid_skene_e_step(v.matrix, priors, confusions)
    reference = dawid_skene(answers, init="uniform_diag", max_iter=20, tol=0)
    assert np.allclose(posteriors, reference.posteriors.to_numpy(), atol=1e-9)
    labels = pd.Series(posteriors.argmax(axis=1), index=v.items)
    assert abs((labels.loc[truth.index] == truth).mean() - 0.8796) < 0.005


def test_em_steps_on_items_and_workers_without_votes():
    votes = np.array([[0, -1], [1, -1], [-1, -1]])
    priors, confusions = dawid_skene_m_step(votes, [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    assert np.allclose(confusions[1], 0.5)  # a worker who never answered: uniform rows
    posteriors = dawid_skene_e_step(votes, priors, confusions)
    assert np.allclose(posteriors[2], priors)  # an item without votes: the prior
    assert np.allclose(posteriors.sum(axis=1), 1)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (
            lambda: dawid_skene_e_step([[0, 1]], [0.5, 0.5], np.ones((3, 2, 2)) / 2),
            ValueError,
            "3 matrices but there are 2 sources",
        ),
        (
            lambda: dawid_skene_e_step([[0, 2]], [0.5, 0.5], np.ones((2, 2, 2)) / 2),
            ValueError,
            "allows only 0..1",
        ),
        (lambda: dawid_skene_e_step([[0, 1]], [1.0], np.ones((2, 1, 1))), ValueError, "priors"),
        (
            lambda: dawid_skene_e_step(
                pd.DataFrame({"item": [0], "worker": [0], "label": [0]}), [1.0], None
            ),
            TypeError,
            "to_vote_matrix",
        ),
        (lambda: dawid_skene_m_step([[0, 1]], [[0.5, 0.5]] * 2), ValueError, "n_items = 1"),
        (lambda: dawid_skene_m_step([[0, 2]], [[0.5, 0.5]]), ValueError, "allows only 0..1"),
        (lambda: dawid_skene_m_step([[0, 1]], [[0.5, np.nan]]), ValueError, "NaN"),
        (lambda: dawid_skene_m_step([[0, 1]], [[0.5, 0.5]], n_classes=3), ValueError, "columns"),
    ],
)
def test_em_step_errors(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


# --- redundancy ---------------------------------------------------------------------------


def test_subsample_answers(dog):
    answers, _ = dog
    sub = subsample_answers(answers, 3, seed=0)
    assert (sub.groupby("item").size() == 3).all()
    assert len(sub.merge(answers)) == len(sub)  # rows of the original, none invented
    assert sub.equals(subsample_answers(answers, 3, seed=0))
    assert not sub.equals(subsample_answers(answers, 3, seed=1))
    assert subsample_answers(answers, 50, seed=0).equals(answers)
    with pytest.raises(ValueError, match="per_item"):
        subsample_answers(answers, 0)


def test_subsample_answers_picks_workers_uniformly():
    answers = pd.DataFrame(
        {"item": np.repeat(np.arange(20_000), 4), "worker": np.tile(range(4), 20_000)}
    )
    answers["label"] = 0
    shares = subsample_answers(answers, 1, seed=0).worker.value_counts(normalize=True)
    assert np.abs(shares - 0.25).max() < 0.02


def test_redundancy_curve_accuracy_grows_with_labels(crowd):
    answers, truth, _ = crowd
    curve = redundancy_curve(answers, truth, per_item=[1, 3, 5], seeds=[0, 1], progress=False)
    assert len(curve) == 3 * 2 * 2
    assert set(curve.method) == {"majority vote", "Dawid-Skene"}
    means = curve.groupby(["method", "per_item"])["accuracy"].mean()
    for method in ("majority vote", "Dawid-Skene"):
        assert means[method].is_monotonic_increasing
    assert means["Dawid-Skene", 5] > means["majority vote", 5]
    ax = plot_redundancy(curve)
    assert ax.get_xlabel() == "labels per item" and len(ax.get_lines()) == 2


def test_redundancy_curve_errors(crowd):
    answers, truth, _ = crowd
    with pytest.raises(ValueError, match="have no answer"):
        redundancy_curve(answers, pd.Series([0], index=[10**6]), progress=False)
    with pytest.raises(TypeError, match="pandas Series"):
        redundancy_curve(answers, truth.to_numpy(), progress=False)
    with pytest.raises(ValueError, match="is empty"):
        redundancy_curve(answers, truth, per_item=[], progress=False)
