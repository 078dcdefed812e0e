"""Majority vote and Dawid-Skene, from scratch, against simulations and crowd-kit."""

import numpy as np
import pandas as pd
import pytest

from dcai_course.aggregation import dawid_skene, majority_vote, to_vote_matrix, vote_counts
from dcai_course.datasets import load_crowd
from dcai_course.noise import class_pair_noise_matrix, simulate_annotators, uniform_noise_matrix


def long_to_matrix(answers, n_items, n_workers):
    matrix = np.full((n_items, n_workers), -1)
    matrix[answers.item, answers.worker] = answers.label
    return matrix


# --- majority vote ------------------------------------------------------------------------


def test_majority_vote_tie_breaks():
    votes = np.array([[1, 1, 0], [0, 1, -1], [-1, -1, -1], [2, 2, 2]])
    assert majority_vote(votes, n_classes=3, tie_break="lowest").tolist() == [1, 0, -1, 2]
    assert majority_vote(votes, n_classes=3, tie_break="abstain").tolist() == [1, -1, -1, 2]
    picks = {int(majority_vote(votes, tie_break="random", seed=s)[1]) for s in range(40)}
    assert picks == {0, 1}  # a random tie-break picks among the tied classes only
    a = majority_vote(votes, tie_break="random", seed=3)
    b = majority_vote(votes, tie_break="random", seed=3)
    assert (a == b).all()


def test_majority_vote_long_input_is_indexed_by_item():
    answers = pd.DataFrame(
        {"item": ["b", "b", "a", "a", "a"], "worker": [1, 2, 1, 2, 3], "label": [0, 0, 1, 1, 0]}
    )
    result = majority_vote(answers, tie_break="lowest")
    assert isinstance(result, pd.Series) and result.index.name == "item"
    assert result.to_dict() == {"a": 1, "b": 0}


def test_majority_vote_matches_crowdkit_where_there_is_no_tie():
    from crowdkit.aggregation import MajorityVote

    answers, _ = load_crowd("dog")
    ours = majority_vote(answers, tie_break="abstain")
    theirs = MajorityVote().fit_predict(answers.rename(columns={"item": "task"}))
    decided = ours[ours >= 0]
    assert len(decided) > 700
    assert (decided == theirs.loc[decided.index]).all()


def test_vote_counts():
    assert vote_counts([[0, 1, 1], [2, -1, -1]], n_classes=3).tolist() == [[1, 2, 0], [0, 0, 1]]


# --- input validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "kwargs", "exc", "message"),
    [
        (np.zeros((0, 3), dtype=int), {}, ValueError, "empty"),
        ([[-1, -1], [-1, -1]], {}, ValueError, "Every entry is -1"),
        ([[0, 3]], {"n_classes": 3}, ValueError, "only 0..2"),
        ([[0, -2]], {}, ValueError, ">= 0 or -1"),
        ([[0.5, 1.0]], {}, ValueError, "integer"),
        ([[np.nan, 1.0]], {}, ValueError, "NaN"),
        ([0, 1, 1], {}, ValueError, "2-D"),
        ([["a", "b"]], {}, TypeError, "integers"),
        (pd.DataFrame({"task": [1], "worker": [1], "label": [0]}), {}, ValueError, "item"),
        (
            pd.DataFrame({"item": [1, 1], "worker": [1, 1], "label": [0, 1]}),
            {},
            ValueError,
            "more than once",
        ),
        (
            pd.DataFrame({"item": [1], "worker": [1], "label": [-1]}),
            {},
            ValueError,
            "drop abstain rows",
        ),
        (
            pd.DataFrame({"item": [1], "worker": [1], "label": [np.nan]}),
            {},
            ValueError,
            "missing values",
        ),
        (pd.DataFrame(columns=["item", "worker", "label"]), {}, ValueError, "empty"),
    ],
)
def test_bad_votes_raise_clear_errors(votes, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        to_vote_matrix(votes, **kwargs)
    with pytest.raises(exc, match=message):
        dawid_skene(votes, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"init": "random"}, "init must be"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1}, "tol"),
        ({"init_diag": 1.0}, "init_diag"),
    ],
)
def test_bad_dawid_skene_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dawid_skene([[0, 1], [1, 1]], **kwargs)
    with pytest.raises(ValueError, match="tie_break"):
        majority_vote([[0, 1]], tie_break="first")


# --- Dawid-Skene --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated_crowd():
    rng = np.random.default_rng(0)
    truth = rng.choice(3, size=20_000, p=[0.5, 0.3, 0.2])
    confusions = np.stack(
        [
            uniform_noise_matrix(3, 0.1),
            uniform_noise_matrix(3, 0.3),
            uniform_noise_matrix(3, 0.5),
            class_pair_noise_matrix(3, [(0, 1)], 0.4, symmetric=False),
            uniform_noise_matrix(3, 0.2),
        ]
    )
    answers = simulate_annotators(
        truth, np.diagonal(confusions, axis1=1, axis2=2).mean(1), 3, seed=1, confusions=confusions
    )
    return truth, confusions, answers


def test_dawid_skene_recovers_confusions_and_priors(simulated_crowd):
    truth, confusions, answers = simulated_crowd
    result = dawid_skene(answers)
    assert np.abs(result.confusions - confusions).max() < 0.03
    assert np.abs(result.priors - np.bincount(truth) / truth.size).max() < 0.01
    mv = majority_vote(answers, tie_break="random", seed=0)
    assert (result.labels.to_numpy() == truth).mean() > (mv.to_numpy() == truth).mean()
    assert result.converged and result.n_iter < 100


def test_log_likelihood_never_decreases(simulated_crowd):
    _, _, answers = simulated_crowd
    for kwargs in ({}, {"init": "uniform_diag"}, {"abstain_as_vote": True}):
        history = np.array(
            dawid_skene(answers, max_iter=40, tol=0, **kwargs).log_likelihood_history
        )
        assert len(history) == 40
        assert (np.diff(history) >= -1e-6 * np.abs(history[:-1])).all(), kwargs


def test_dawid_skene_is_deterministic_and_indexed(simulated_crowd):
    _, _, answers = simulated_crowd
    a, b = dawid_skene(answers), dawid_skene(answers)
    assert a.labels.equals(b.labels) and np.array_equal(a.confusions, b.confusions)
    assert isinstance(a.posteriors, pd.DataFrame) and a.posteriors.index.name == "item"
    assert np.allclose(a.posteriors.sum(axis=1), 1)
    assert list(a.sources) == [0, 1, 2, 3, 4]
    matrix = long_to_matrix(answers, answers.item.max() + 1, 5)
    c = dawid_skene(matrix)
    assert np.array_equal(c.labels, a.labels.to_numpy())
    assert np.allclose(c.posteriors, a.posteriors.to_numpy())


def test_abstains_modelled_as_a_response_rescue_one_sided_sources():
    """Labeling-function-like sources: each fires for one class only, else abstains."""
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 2, size=5000)
    votes = np.full((truth.size, 6), -1)
    for j in range(6):
        target = j % 2  # the class this source votes for
        fires = rng.random(truth.size) < np.where(truth == target, 0.6, 0.08)
        votes[fires, j] = target
    missing = dawid_skene(votes, n_classes=2)
    modelled = dawid_skene(votes, n_classes=2, abstain_as_vote=True)
    assert modelled.confusions.shape == (6, 2, 3)
    acc_missing = (missing.labels == truth).mean()
    acc_modelled = (modelled.labels == truth).mean()
    assert acc_modelled > acc_missing + 0.1
    assert acc_modelled > 0.8


def test_items_without_votes_get_the_prior():
    result = dawid_skene([[0, 0], [1, 1], [0, 1], [-1, -1]], n_classes=2)
    assert np.allclose(result.posteriors[3], result.priors)


# --- cross-checks with crowd-kit and the published benchmark ------------------------------


def test_agrees_with_crowdkit_on_dog_and_a_large_simulation():
    from crowdkit.aggregation import DawidSkene

    answers, _ = load_crowd("dog")
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 4, 20_000)
    simulated = simulate_annotators(truth, rng.uniform(0.5, 0.95, 10), 3, seed=1)
    for data in (answers, simulated):
        ours = dawid_skene(data).labels
        theirs = DawidSkene(n_iter=100).fit_predict(data.rename(columns={"item": "task"}))
        agreement = (ours == theirs.loc[ours.index]).mean()
        assert agreement >= 0.995, agreement


@pytest.mark.parametrize(("name", "published"), [("bluebirds", 0.8796), ("dog", 0.8426)])
def test_reproduces_zheng_et_al_with_their_initialisation(name, published):
    """Zheng et al. (PVLDB 2017) start every confusion matrix at 0.7 on the diagonal and
    run 20 iterations; their code reports these accuracies against gold."""
    answers, truth = load_crowd(name)
    result = dawid_skene(answers, init="uniform_diag", init_diag=0.7, max_iter=20, tol=0)
    accuracy = (result.labels.loc[truth.index] == truth).mean()
    assert abs(accuracy - published) < 0.005, accuracy
