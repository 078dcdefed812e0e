"""Confident learning from scratch, checked against cleanlab 2.9 on the same inputs."""

import tracemalloc
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from cleanlab.count import (
    compute_confident_joint,
    estimate_latent,
    get_confident_thresholds,
    num_label_issues,
)
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues
from cleanlab.rank import get_label_quality_scores
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from dcai_course import datasets, noise
from dcai_course import label_errors as le
from dcai_course.grading.labs.lab02 import (  # notebook 02's worked examples
    TIE_LABELS,
    TIE_PROBS,
    TOY_LABELS,
    TOY_PROBS,
)
from dcai_course.label_errors.core import _select

PRUNING = ("prune_by_noise_rate", "prune_by_class", "both")


def make_problem(seed, n, k, *, imbalance=False, strength=2.0, scale=1.0, noise_rate=0.2):
    """Softmax probabilities of a model that favours the true class; some labels flipped."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(k, 0.5)) if imbalance else np.full(k, 1 / k)
    true = rng.choice(k, size=n, p=weights)
    logits = rng.normal(size=(n, k)) * scale
    logits[np.arange(n), true] += strength
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    given = np.where(rng.random(n) < noise_rate, rng.integers(0, k, size=n), true)
    return given, probs


def knn_like_problem(seed, n, k):
    """Probabilities that are votes of 10 neighbours: multiples of 0.1, so many exact ties."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, size=n)
    votes = np.where(rng.random((n, 10)) < 0.7, true[:, None], rng.integers(0, k, size=(n, 10)))
    probs = np.zeros((n, k))
    np.add.at(probs, (np.repeat(np.arange(n), 10), votes.ravel()), 0.1)
    probs /= probs.sum(axis=1, keepdims=True)
    given = np.where(rng.random(n) < 0.25, rng.integers(0, k, size=n), true)
    return given, probs


def cleanlab_mask(labels, probs, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cleanlab warns about classes with few examples
        return cleanlab_find_label_issues(labels, probs, n_jobs=1, **kwargs)


#: Five-plus random problems with 2 to 20 classes, balanced and imbalanced.
PROBLEMS = {
    "2 classes": dict(seed=0, n=500, k=2),
    "3 classes, imbalanced": dict(seed=1, n=2000, k=3, imbalance=True),
    "5 classes": dict(seed=2, n=5000, k=5),
    "10 classes, imbalanced, weak model": dict(seed=3, n=3000, k=10, imbalance=True),
    "20 classes": dict(seed=4, n=10_000, k=20),
    "20 classes, imbalanced, few examples": dict(seed=5, n=800, k=20, imbalance=True),
    "7 classes, imbalanced, 20k": dict(seed=6, n=20_000, k=7, imbalance=True),
}


# --- the worked example of the notebook ------------------------------------------------------


def test_toy_example_by_hand():
    assert np.allclose(
        le.per_class_thresholds(TOY_LABELS, TOY_PROBS), [0.575, 0.5166667, 0.5166667]
    )
    assert le.confident_joint(TOY_LABELS, TOY_PROBS).tolist() == [[3, 1, 0], [0, 2, 1], [0, 0, 2]]
    calibrated = le.confident_joint(TOY_LABELS, TOY_PROBS, calibrate=True)
    assert calibrated.tolist() == [[3, 1, 0], [0, 2, 1], [0, 0, 3]]
    assert np.flatnonzero(le.find_label_issues(TOY_LABELS, TOY_PROBS)).tolist() == [3, 6]


def test_tiebreak_on_issue_737_example():
    # Thresholds ~[0.95, 0.30, 0.30]; the last example reaches classes 1 and 2 but its most
    # probable class, 0, is below its own threshold.
    labels, probs = TIE_LABELS, TIE_PROBS  # the example of cleanlab issue #737
    paper = le.confident_joint(labels, probs, tiebreak="paper")
    ours_cleanlab = le.confident_joint(labels, probs, tiebreak="cleanlab")
    assert paper[2].tolist() == [0, 1, 1] and ours_cleanlab[2].tolist() == [1, 0, 1]
    assert np.array_equal(ours_cleanlab, compute_confident_joint(labels, probs, calibrate=False))


# --- cross-checks against cleanlab -------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
def test_thresholds_equal_cleanlab(name):
    labels, probs = make_problem(**PROBLEMS[name])
    ours = le.per_class_thresholds(labels, probs)
    assert np.array_equal(ours, get_confident_thresholds(labels, probs))


@pytest.mark.parametrize("calibrate", [False, True])
@pytest.mark.parametrize("name", PROBLEMS)
def test_confident_joint_equals_cleanlab(name, calibrate):
    labels, probs = make_problem(**PROBLEMS[name])
    ours = le.confident_joint(labels, probs, calibrate=calibrate, tiebreak="cleanlab")
    theirs = compute_confident_joint(labels, probs, calibrate=calibrate)
    assert ours.dtype.kind == "i"
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("name", PROBLEMS)
def test_find_label_issues_equals_cleanlab_for_every_method(name):
    labels, probs = make_problem(**PROBLEMS[name])
    for method in le.FILTER_BY:
        for frac_noise in (1.0, 0.5) if method in PRUNING else (1.0,):
            ours = le.find_label_issues(
                labels, probs, filter_by=method, frac_noise=frac_noise, tiebreak="cleanlab"
            )
            theirs = cleanlab_mask(labels, probs, filter_by=method, frac_noise=frac_noise)
            assert ours.dtype == bool and ours.shape == labels.shape
            assert np.array_equal(ours, theirs), (method, frac_noise, int((ours != theirs).sum()))
            assert 0 < ours.sum() < len(labels)


@pytest.mark.parametrize("seed", range(4))
def test_exact_ties_are_broken_as_cleanlab_does(seed):
    # Probabilities in steps of 0.1 tie everywhere, also at the cut of each pruning count,
    # where only cleanlab's own sort order decides which examples are flagged.
    n, k = [(3000, 4), (5000, 10), (2000, 3), (20_000, 5)][seed]
    labels, probs = knn_like_problem(seed, n, k)
    for calibrate in (False, True):
        ours = le.confident_joint(labels, probs, calibrate=calibrate, tiebreak="cleanlab")
        assert np.array_equal(ours, compute_confident_joint(labels, probs, calibrate=calibrate))
    for method in le.FILTER_BY:
        ours = le.find_label_issues(labels, probs, filter_by=method, tiebreak="cleanlab")
        assert np.array_equal(ours, cleanlab_mask(labels, probs, filter_by=method)), method


def test_many_small_problems_equal_cleanlab():
    # Small counts make calibration land on exact halves, where rounding depends on the
    # order in which the matrix is summed: a C-ordered confident joint fails about 6% of
    # these; ours is stored like cleanlab's and matches all of them.
    for seed in range(150):
        rng = np.random.default_rng(seed)
        labels, probs = make_problem(
            seed, int(rng.integers(20, 400)), int(rng.integers(2, 12)), noise_rate=0.3
        )
        ours = le.confident_joint(labels, probs, calibrate=True, tiebreak="cleanlab")
        assert np.array_equal(ours, compute_confident_joint(labels, probs)), seed
        for method in PRUNING:
            ours = le.find_label_issues(labels, probs, filter_by=method, tiebreak="cleanlab")
            assert np.array_equal(ours, cleanlab_mask(labels, probs, filter_by=method)), seed


def test_tiebreak_paper_differs_from_cleanlab_as_explained():
    """How many examples the paper's rule changes, and why, on a weak imbalanced problem.

    233 of the 3000 examples reach the thresholds of two or more classes while their most
    probable class reaches none (low thresholds: a weak model, 10 imbalanced classes).
    cleanlab counts them under that most probable class, the paper under the most probable
    class that passed, so they sit in different cells of the two confident joints.

    The off-diagonal ("confident_learning") masks differ on exactly 6 of them: those whose
    given label is the class the paper picks. cleanlab puts them off the diagonal and flags
    them; the paper puts them on it. The other direction (127 examples whose most probable
    class is their label: on cleanlab's diagonal, off the paper's) changes no mask, because
    an example whose given label is the model's prediction is never flagged.

    The pruning methods differ on more examples (65, 18, 68): the moved counts change the
    calibrated confident joint, hence how many examples each cell prunes. The naive
    baseline does not use the confident joint and never differs.
    """
    labels, probs = make_problem(3, 3000, 10, imbalance=True)
    reach = probs >= le.per_class_thresholds(labels, probs) - 1e-6
    top = probs.argmax(axis=1)
    affected = (reach.sum(axis=1) > 1) & ~reach[np.arange(len(labels)), top]
    paper_choice = np.where(reach, probs, -1).argmax(axis=1)
    assert affected.sum() == 233
    assert (affected & (paper_choice == labels)).sum() == 6
    assert (affected & (top == labels)).sum() == 127

    moved = le.confident_joint(labels, probs) - le.confident_joint(
        labels, probs, tiebreak="cleanlab"
    )
    expected = np.zeros_like(moved)
    np.add.at(expected, (labels[affected], paper_choice[affected]), 1)
    np.add.at(expected, (labels[affected], top[affected]), -1)
    assert np.array_equal(moved, expected)  # exactly those examples changed cells

    differing = {}
    for method in le.FILTER_BY:
        ours = le.find_label_issues(labels, probs, filter_by=method)
        differing[method] = int((ours != cleanlab_mask(labels, probs, filter_by=method)).sum())
    assert differing["confident_learning"] == (affected & (paper_choice == labels)).sum()
    assert differing == {
        "prune_by_noise_rate": 65,
        "prune_by_class": 18,
        "both": 68,
        "confident_learning": 6,
        "predicted_neq_given": 0,
    }


def test_tiebreak_changes_nothing_when_thresholds_are_high():
    labels, probs = make_problem(2, 5000, 5)  # a good model: every threshold is high
    for method in le.FILTER_BY:
        paper = le.find_label_issues(labels, probs, filter_by=method)
        assert np.array_equal(paper, cleanlab_mask(labels, probs, filter_by=method))


def test_estimate_noise_matrices_equals_cleanlab_latent_estimates():
    labels, probs = make_problem(**PROBLEMS["10 classes, imbalanced, weak model"])
    est = le.estimate_noise_matrices(labels, probs, tiebreak="cleanlab")
    calibrated = compute_confident_joint(labels, probs)
    assert np.array_equal(est.confident_joint, calibrated)
    _, noise_matrix, inverse = estimate_latent(calibrated, labels)
    assert np.allclose(est.noise_matrix, noise_matrix.T)  # course convention: [true, given]
    assert np.allclose(est.inverse_noise_matrix, inverse.T)  # [given, true]
    assert est.n_label_issues == num_label_issues(
        labels, probs, estimation_method="off_diagonal_calibrated"
    )
    assert np.isclose(est.joint.sum(), 1) and np.allclose(
        est.joint.sum(axis=1), np.bincount(labels) / len(labels)
    )
    assert np.allclose(est.noise_matrix.sum(axis=1), 1)
    assert np.allclose(est.true_prior, est.joint.sum(axis=0))


def test_estimate_noise_matrices_recovers_injected_noise():
    rng = np.random.default_rng(0)
    n, k = 20_000, 4
    true = rng.integers(0, k, size=n)
    matrix = noise.class_pair_noise_matrix(k, [(0, 1)], 0.3)
    given, flipped = noise.inject_label_noise(true, matrix, seed=1)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), true] += 4.0  # a good model of the *true* classes
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    est = le.estimate_noise_matrices(given, probs)
    assert np.abs(est.noise_matrix - matrix).max() < 0.05
    assert abs(est.n_label_issues - flipped.sum()) < 0.1 * flipped.sum()


@pytest.mark.parametrize("by", le.RANK_BY)
def test_scores_and_ranking_equal_cleanlab(by):
    labels, probs = make_problem(**PROBLEMS["5 classes"])
    assert np.array_equal(
        le.label_quality_scores(labels, probs, by=by),
        get_label_quality_scores(labels, probs, method=by),
    )
    mask = le.find_label_issues(labels, probs, tiebreak="cleanlab")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cleanlab_find_label_issues(labels, probs, return_indices_ranked_by=by, n_jobs=1)
    assert np.array_equal(le.rank_label_issues(labels, probs, mask=mask, by=by), theirs)


def test_rank_without_mask_ranks_everyone_and_keeps_index_order_on_ties():
    labels = np.array([0, 1, 0, 1])
    probs = np.array([[0.5, 0.5], [0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    assert le.rank_label_issues(labels, probs).tolist() == [1, 0, 2, 3]


# --- behaviour that cleanlab documents: classes with no or one example ------------------------


def test_a_class_with_no_given_label_behaves_as_in_cleanlab():
    labels, probs = make_problem(7, 2000, 5)
    labels = np.where(labels == 4, 0, labels)  # nobody is labelled 4
    thresholds = le.per_class_thresholds(labels, probs)
    assert thresholds[4] == 2.0  # unreachable: no example is counted as a true 4
    assert np.array_equal(thresholds, get_confident_thresholds(labels, probs))
    joint = le.confident_joint(labels, probs, tiebreak="cleanlab")
    assert joint[:, 4].tolist() == [0, 0, 0, 0, 1]  # only the forced diagonal entry
    for method in le.FILTER_BY:
        ours = le.find_label_issues(labels, probs, filter_by=method, tiebreak="cleanlab")
        assert np.array_equal(ours, cleanlab_mask(labels, probs, filter_by=method))


def test_a_class_with_one_example_is_never_pruned():
    labels, probs = make_problem(8, 1000, 4)
    labels[labels == 3] = 0
    labels[0] = 3
    probs[0] = [0.97, 0.01, 0.01, 0.01]  # looks nothing like a 3, but is its class's only example
    for method in PRUNING:
        assert not le.find_label_issues(labels, probs, filter_by=method)[0]
        ours = le.find_label_issues(labels, probs, filter_by=method, tiebreak="cleanlab")
        assert not ours[0]
        assert np.array_equal(ours, cleanlab_mask(labels, probs, filter_by=method))


def test_confident_joint_diagonal_is_at_least_one_and_calibration_preserves_counts():
    labels, probs = make_problem(9, 600, 6, imbalance=True, strength=0.5)
    raw = le.confident_joint(labels, probs)
    assert (np.diag(raw) >= 1).all()
    calibrated = le.confident_joint(labels, probs, calibrate=True)
    assert np.array_equal(calibrated.sum(axis=1), np.bincount(labels, minlength=6))
    assert calibrated.sum() == len(labels)


# --- the fast paths are the slow definitions --------------------------------------------------


@pytest.mark.parametrize("largest", [True, False])
def test_select_equals_taking_the_first_m_of_argsort(largest):
    rng = np.random.default_rng(0)
    for n, m in [(10, 3), (1000, 5), (1000, 200), (50, 50), (50, 80), (100_000, 40)]:
        for values in (rng.random(n), rng.integers(0, 5, size=n) / 4.0):
            order = np.argsort(-values if largest else values)
            expected = np.zeros(n, dtype=bool)
            expected[order[:m]] = True
            assert np.array_equal(_select(values, m, largest=largest), expected), (n, m)


def test_memory_stays_below_one_copy_of_pred_probs():
    labels, probs = make_problem(10, 200_000, 10)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        le.find_label_issues(labels, probs, filter_by="both")
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 1.0 * probs.nbytes, peak / probs.nbytes


def test_inputs_are_not_modified_and_other_dtypes_work():
    labels, probs = make_problem(11, 1000, 4)
    labels_copy, probs_copy = labels.copy(), probs.copy()
    expected = le.find_label_issues(labels, probs)
    assert np.array_equal(labels, labels_copy) and np.array_equal(probs, probs_copy)
    assert np.array_equal(le.find_label_issues(labels.tolist(), np.asfortranarray(probs)), expected)
    assert np.array_equal(le.find_label_issues(labels.astype(np.int8), probs), expected)


# --- input validation -------------------------------------------------------------------


GOOD_LABELS = [0, 1, 1]
GOOD_PROBS = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]


@pytest.mark.parametrize(
    ("labels", "probs", "exc", "message"),
    [
        (GOOD_LABELS, [[0.9, 0.2], [0.2, 0.8], [0.6, 0.4]], ValueError, "sum to 1"),
        (GOOD_LABELS, [[1.1, -0.1], [0.2, 0.8], [0.6, 0.4]], ValueError, "negative"),
        (GOOD_LABELS, [[np.nan, 1.0], [0.2, 0.8], [0.6, 0.4]], ValueError, "NaN"),
        (GOOD_LABELS, [[0.9, 0.1], [0.2, 0.8]], ValueError, "labels has 3"),
        (GOOD_LABELS, [0.9, 0.2, 0.6], ValueError, "2-D"),
        ([0, 1, 2], GOOD_PROBS, ValueError, "only 2 columns"),
        ([0, -1, 1], GOOD_PROBS, ValueError, ">= 0"),
        ([0, 1.5, 1], GOOD_PROBS, ValueError, "whole numbers"),
        (["a", "b", "b"], GOOD_PROBS, TypeError, "LabelEncoder"),
        ([], np.zeros((0, 2)), ValueError, "empty"),
    ],
)
def test_bad_inputs_get_clear_errors(labels, probs, exc, message):
    for fn in (
        le.per_class_thresholds,
        le.confident_joint,
        le.estimate_noise_matrices,
        le.find_label_issues,
        le.label_quality_scores,
        le.rank_label_issues,
    ):
        with pytest.raises(exc, match=message):
            fn(labels, probs)


def test_bad_options_get_clear_errors():
    with pytest.raises(ValueError, match="filter_by must be one of"):
        le.find_label_issues(GOOD_LABELS, GOOD_PROBS, filter_by="prune")
    with pytest.raises(ValueError, match="tiebreak must be one of"):
        le.confident_joint(GOOD_LABELS, GOOD_PROBS, tiebreak="argmax")
    with pytest.raises(ValueError, match="tiebreak must be one of"):
        le.estimate_noise_matrices(GOOD_LABELS, GOOD_PROBS, tiebreak="")
    with pytest.raises(TypeError, match="calibrate"):
        le.confident_joint(GOOD_LABELS, GOOD_PROBS, calibrate="yes")
    with pytest.raises(ValueError, match="frac_noise only applies"):
        le.find_label_issues(
            GOOD_LABELS, GOOD_PROBS, filter_by="confident_learning", frac_noise=0.5
        )
    with pytest.raises(ValueError, match="frac_noise must be between 0 and 1"):
        le.find_label_issues(GOOD_LABELS, GOOD_PROBS, frac_noise=1.5)
    with pytest.raises(ValueError, match="by must be one of"):
        le.rank_label_issues(GOOD_LABELS, GOOD_PROBS, by="entropy")
    with pytest.raises(TypeError, match="boolean array"):
        le.rank_label_issues(GOOD_LABELS, GOOD_PROBS, mask=[0, 2])
    with pytest.raises(ValueError, match="mask has shape"):
        le.rank_label_issues(GOOD_LABELS, GOOD_PROBS, mask=np.array([True, False]))


# --- evaluation helpers and plots ---------------------------------------------------------


def test_detection_scores_and_table():
    scores = le.detection_scores([True, True, True, False], [True, False, False, True])
    assert scores == {"flagged": 3, "precision": 1 / 3, "recall": 0.5, "f1": 0.4}
    nothing = le.detection_scores([False, False], [True, False])
    assert nothing == {"flagged": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    table = le.detection_table({"a": [True, False], "b": [False, False]}, [True, False])
    assert list(table.index) == ["a", "b"] and table.loc["a", "f1"] == 1.0
    with pytest.raises(TypeError, match="boolean"):
        le.detection_scores([1, 0], [True, False])
    with pytest.raises(ValueError, match="Length mismatch"):
        le.detection_scores([True, False], [True])


def test_retraining_table_on_digits():
    X, y = datasets.load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    noisy, flipped = noise.inject_label_noise(y_train, noise_rate=0.4, seed=0)
    table = le.retraining_table(
        GaussianNB(), X_train, noisy, X_test, y_test, {"perfect": flipped}, true_labels=y_train
    )
    assert list(table.index) == ["noisy labels", "cleaned: perfect", "true labels (oracle)"]
    assert table.loc["cleaned: perfect", "training examples"] == (~flipped).sum()
    assert (
        table.loc["noisy labels", "gap closed"] == 0
        and table.loc["true labels (oracle)", "gap closed"] == 1
    )
    assert (
        table.loc["cleaned: perfect", "test accuracy"] > table.loc["noisy labels", "test accuracy"]
    )
    no_truth = le.retraining_table(GaussianNB(), X_train, noisy, X_test, y_test, {})
    assert list(no_truth.columns) == ["training examples", "test accuracy"]
    with pytest.raises(ValueError, match="one per example"):
        le.retraining_table(GaussianNB(), X_train, noisy, X_test, y_test, {"bad": flipped[:-1]})


def test_plot_noise_matrix():
    ax = le.plot_noise_matrix(noise.uniform_noise_matrix(3, 0.3), class_names=["a", "b", "c"])
    assert ax.get_xlabel() == "given label" and ax.get_ylabel() == "true label"
    assert len(ax.texts) == 6  # the off-diagonal cells are annotated
    _, given_ax = plt.subplots()
    assert le.plot_noise_matrix(np.eye(30), ax=given_ax, title="t") is given_ax
    assert given_ax.get_title() == "t" and not given_ax.texts
    plt.close("all")
    with pytest.raises(ValueError, match="square"):
        le.plot_noise_matrix(np.ones((2, 3)))
    with pytest.raises(ValueError, match="class_names"):
        le.plot_noise_matrix(np.eye(2), class_names=["a"])


def test_noise_estimates_is_a_named_tuple():
    est = le.estimate_noise_matrices(TOY_LABELS, TOY_PROBS)
    assert isinstance(est, tuple) and set(est._asdict()) == {
        "confident_joint",
        "joint",
        "noise_matrix",
        "inverse_noise_matrix",
        "true_prior",
        "n_label_issues",
    }
    assert est.n_label_issues == 2
    assert isinstance(pd.DataFrame(est.noise_matrix), pd.DataFrame)


# --- real label errors: flags and rankings against crowd verdicts ----------------------------

VERDICTS = pd.DataFrame({"index": [1, 4, 6, 9], "confirmed": [True, False, True, True]})


def test_crowd_precision_at_k_counts_reviewed_and_confirmed():
    table = le.crowd_precision_at_k([4, 1, 0, 6, 2], VERDICTS, ks=[1, 3, 10])
    assert table["ranked"].tolist() == [1, 3, 5]
    assert table["reviewed"].tolist() == [1, 2, 3]
    assert table["confirmed"].tolist() == [0, 1, 2]
    assert table["precision"].tolist() == [0.0, 0.5, 2 / 3]
    assert table["precision (unreviewed = correct)"].tolist() == [0.0, 1 / 3, 2 / 5]


def test_crowd_precision_at_k_bad_input():
    with pytest.raises(TypeError, match="integer"):
        le.crowd_precision_at_k([0.5, 1.0], VERDICTS)
    with pytest.raises(ValueError, match="twice"):
        le.crowd_precision_at_k([1, 1], VERDICTS)
    with pytest.raises(ValueError, match="negative"):
        le.crowd_precision_at_k([-1, 2], VERDICTS)
    with pytest.raises(ValueError, match="at least 1"):
        le.crowd_precision_at_k([1, 2], VERDICTS, ks=[0])
    with pytest.raises(TypeError, match="DataFrame"):
        le.crowd_precision_at_k([1, 2], {"index": [1]})


def test_verdict_summary():
    flags = np.zeros(10, dtype=bool)
    flags[[1, 2, 4]] = True
    summary = le.verdict_summary(flags, VERDICTS)
    assert summary == {
        "flagged": 3,
        "reviewed": 2,
        "confirmed": 1,
        "precision": 0.5,
        "recall": 1 / 3,
    }
    with pytest.raises(ValueError, match="one flag per example"):
        le.verdict_summary(flags[:5], VERDICTS)


@pytest.mark.parametrize("name", ["mnist", "cifar10", "20news"])
def test_real_label_errors_match_cleanlab(name):
    labels, probs, _ = datasets.load_label_errors(name)
    ours = le.find_label_issues(labels, probs, tiebreak="cleanlab")
    assert np.array_equal(ours, cleanlab_mask(labels, probs))


def test_cleaning_experiment_repeats_the_notebook_steps():
    X, y = datasets.load_digits()
    matrix = noise.class_pair_noise_matrix(10, [(1, 7), (3, 8)], 0.3)
    model = GaussianNB()
    table = le.cleaning_experiment(model, X, y, matrix, seeds=[3, 4])
    assert table["seed"].tolist() == [3] * 5 + [4] * 5
    assert table["method"].tolist()[:5] == list(le.FILTER_BY)
    assert {"precision", "recall", "f1", "gap closed", "oracle accuracy"} <= set(table.columns)
    # seed 3 again, by hand: the same split, noise draw and folds give the same scores
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
    noisy, flipped = noise.inject_label_noise(y_tr, matrix, seed=3)
    probs = le.out_of_sample_pred_probs(model, X_tr, noisy, cv=5, seed=3)
    mask = le.find_label_issues(noisy, probs)
    row = table.query("seed == 3 and method == 'prune_by_noise_rate'").iloc[0]
    assert row["f1"] == le.detection_scores(mask, flipped)["f1"]
    no_retrain = le.cleaning_experiment(model, X, y, matrix, seeds=[3], retrain=False)
    assert "gap closed" not in no_retrain.columns
    with pytest.raises(ValueError, match="seeds"):
        le.cleaning_experiment(model, X, y, matrix, seeds=[])


def test_plot_noise_matrix_has_a_colour_bar_and_does_not_clip():
    matrix = noise.class_pair_noise_matrix(4, [(0, 1)], 0.3)
    ax = le.plot_noise_matrix(matrix, gamma=0.5)
    image = ax.images[0]
    assert image.norm.vmax == 1.0 and len(ax.figure.axes) == 2  # the heatmap and its colour bar
    plt.close(ax.figure)
