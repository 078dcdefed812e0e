"""Weak supervision: the YouTube splits, applying LFs, LF statistics against Snorkel."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from dcai_course.aggregation import dawid_skene
from dcai_course.datasets import load_youtube_spam, youtube_spam_splits
from dcai_course.weak_supervision import (
    accuracy_with_abstains,
    apply_lfs,
    dawid_skene_posteriors,
    label_matrix_stats,
    lecture_lfs,
    lf_names,
    lf_summary,
    plot_lf_summary,
    score_weak_labels,
    soft_label_dataset,
    uncovered_splits,
)

ABSTAIN, HAM, SPAM = -1, 0, 1

# Snorkel 0.10's LFAnalysis calls scipy.sparse.diags in a way SciPy 1.17 warns about
pytestmark = pytest.mark.filterwarnings("ignore:Input has data type:FutureWarning")


def random_label_matrix(rng, n, m, k, p_vote):
    return np.where(rng.random((n, m)) < p_vote, rng.integers(0, k, (n, m)), -1)


# --- the YouTube splits -------------------------------------------------------------------


@pytest.fixture(scope="module")
def splits():
    return youtube_spam_splits()


def test_splits_have_the_tutorial_sizes_and_videos(splits):
    train, dev, valid, test = splits
    assert [len(s) for s in splits] == [1586, 100, 120, 250]
    assert set(train.video) == {1, 2, 3, 4} and set(dev.video) <= {1, 2, 3, 4}
    assert set(valid.video) == set(test.video) == {5}
    assert dev.index.isin(train.index).all()  # the dev set is part of the training split
    assert not valid.index.isin(test.index).any()
    assert set(train.index) | set(valid.index) | set(test.index) == set(range(1956))
    assert (train.label == -1).all() and train.label.dtype == np.int64
    # stratified: the Shakira video has 174 spam of 370 comments
    assert test.label.sum() == 118 and valid.label.sum() == 56
    assert dev.label.sum() == 54


def test_splits_are_reproducible_and_follow_the_tutorial(splits):
    again = youtube_spam_splits()
    for a, b in zip(splits, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    # the tutorial's row order, pinned (pandas' sample and train_test_split draw from
    # NumPy's legacy RandomState, which does not change across versions)
    assert splits.dev.index[:5].tolist() == [731, 1184, 612, 742, 123]
    assert splits.test.text.iloc[0].startswith("Check out this video on YouTube")
    # the procedure of snorkel-tutorials' load_spam_dataset, written out independently
    from sklearn.model_selection import train_test_split

    comments = load_youtube_spam()
    shuffled = [comments[comments.video == v].sample(frac=1, random_state=123) for v in range(1, 6)]
    train = pd.concat(shuffled[:4])
    assert train.index.tolist() == splits.train.index.tolist()
    assert train.sample(100, random_state=123).index.tolist() == splits.dev.index.tolist()
    valid, test = train_test_split(
        shuffled[4], test_size=250, random_state=123, stratify=shuffled[4].label
    )
    assert valid.index.tolist() == splits.valid.index.tolist()
    assert test.index.tolist() == splits.test.index.tolist()


def test_train_labels_can_be_kept(splits):
    labelled = youtube_spam_splits(train_labels=True)
    assert labelled.train.index.tolist() == splits.train.index.tolist()
    gold = load_youtube_spam().label
    assert (labelled.train.label == gold.loc[labelled.train.index]).all()
    assert labelled.train.label.mean() == pytest.approx(0.524, abs=0.001)


# --- applying labeling functions ----------------------------------------------------------


def keyword(x):
    return SPAM if "check" in x.text.lower() else ABSTAIN


def short(x):
    return HAM if len(x.text.split()) < 5 else ABSTAIN


def test_apply_lfs_equals_snorkels_pandas_applier(splits):
    from snorkel.labeling import PandasLFApplier, labeling_function
    from snorkel.preprocess import preprocessor

    @preprocessor(memoize=True)
    def add_length(x):
        x.n_words = len(x.text.split())
        return x

    @labeling_function()
    def regex_check_out(x):
        return SPAM if re.search(r"check.*out", x.text, flags=re.I) else ABSTAIN

    @labeling_function(pre=[add_length])
    def long_comment(x):
        return SPAM if x.n_words > 40 else ABSTAIN

    @labeling_function()
    def song(x):
        return HAM if "song" in x.text.lower() else ABSTAIN

    lfs = [regex_check_out, long_comment, song]
    ours = apply_lfs(lfs, splits.train, progress=False)
    theirs = PandasLFApplier(lfs).apply(splits.train, progress_bar=False)
    assert ours.dtype == np.int64 and ours.shape == (1586, 3)
    assert np.array_equal(ours, theirs)
    assert (ours != ABSTAIN).any(axis=0).all()


def test_apply_lfs_with_plain_functions_and_names():
    df = pd.DataFrame({"text": ["check this out", "love it", "a b c d e f"]})
    L = apply_lfs([keyword, short], df, progress=False)
    assert L.tolist() == [[1, 0], [-1, 0], [-1, -1]]
    assert lf_names([keyword, short, lambda x: 0]) == ["keyword", "short", "<lambda>"]


@pytest.mark.parametrize(
    ("lf", "kwargs", "message"),
    [
        (lambda x: None, {}, "returned None"),
        (lambda x: True, {}, "returned True"),
        (lambda x: "spam", {}, "returned 'spam'"),
        (lambda x: 0.5, {}, "returned 0.5"),
        (lambda x: -2, {}, "returned -2"),
        (lambda x: 2, {"n_classes": 2}, "0..1"),
    ],
)
def test_apply_lfs_rejects_bad_outputs(lf, kwargs, message):
    df = pd.DataFrame({"text": ["one", "two"]}, index=["a", "b"])
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        apply_lfs([lf], df, progress=False, **kwargs)
    assert "row 'a'" in str(info.value) and "<lambda>" in str(info.value)


def test_apply_lfs_accepts_numpy_integers():
    df = pd.DataFrame({"text": ["x"]})
    assert apply_lfs([lambda x: np.int64(1)], df, progress=False).tolist() == [[1]]


@pytest.mark.parametrize(
    ("lfs", "df", "exc", "message"),
    [
        ([], pd.DataFrame({"text": ["a"]}), ValueError, "empty"),
        (keyword, pd.DataFrame({"text": ["a"]}), TypeError, "list"),
        ([keyword, "song"], pd.DataFrame({"text": ["a"]}), TypeError, r"lfs\[1\]"),
        ([keyword], ["a text"], TypeError, "DataFrame"),
    ],
)
def test_apply_lfs_input_errors(lfs, df, exc, message):
    with pytest.raises(exc, match=message):
        apply_lfs(lfs, df, progress=False)


# --- LF statistics against Snorkel's LFAnalysis -------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_lf_summary_equals_snorkel(seed):
    from snorkel.labeling import LFAnalysis

    rng = np.random.default_rng(seed)
    n, m, k = int(rng.integers(1, 300)), int(rng.integers(1, 10)), int(rng.integers(2, 5))
    L = random_label_matrix(rng, n, m, k, float(rng.uniform(0.05, 0.9)))
    Y = rng.integers(0, k, n)
    pd.testing.assert_frame_equal(lf_summary(L), LFAnalysis(L).lf_summary())
    pd.testing.assert_frame_equal(lf_summary(L, Y), LFAnalysis(L).lf_summary(Y=Y))
    stats = label_matrix_stats(L)
    analysis = LFAnalysis(L)
    assert stats["coverage"] == pytest.approx(analysis.label_coverage())
    assert stats["overlap"] == pytest.approx(analysis.label_overlap())
    assert stats["conflict"] == pytest.approx(analysis.label_conflict())


def test_lf_summary_equals_snorkel_on_the_youtube_matrix(splits):
    from snorkel.labeling import LabelingFunction, LFAnalysis

    patterns = {"check_out": (r"check.*out", SPAM), "song": (r"song", HAM), "http": ("http", SPAM)}
    lfs = [
        LabelingFunction(name, lambda x, p=p, c=c: c if re.search(p, x.text, re.I) else ABSTAIN)
        for name, (p, c) in patterns.items()
    ] + [LabelingFunction("short", short)]
    L = apply_lfs(lfs, splits.dev, progress=False)
    Y = splits.dev.label.to_numpy()
    ours = lf_summary(L, Y, lf_names=lf_names(lfs))
    theirs = LFAnalysis(L, lfs).lf_summary(Y=Y)
    pd.testing.assert_frame_equal(ours, theirs)
    assert ours.loc["check_out", "Incorrect"] == 0 and ours.loc["short", "Incorrect"] > 0


def test_lf_summary_of_an_lf_that_never_votes():
    L = np.array([[1, -1], [0, -1], [1, -1]])
    summary = lf_summary(L, Y=[1, 0, 0])
    assert summary.loc[1, "Polarity"] == [] and summary.loc[1, "Coverage"] == 0
    assert summary.loc[1, "Emp. Acc."] == 0  # Snorkel's convention, not NaN
    assert summary.loc[0, "Correct"] == 2 and summary.loc[0, "Incorrect"] == 1


@pytest.mark.parametrize(
    ("L", "kwargs", "exc", "message"),
    [
        ([[0.5, 1.0]], {}, ValueError, "integer class indices"),
        ([0, 1], {}, ValueError, "2-D"),
        (np.zeros((0, 2), dtype=int), {}, ValueError, "empty"),
        ([[0, -2]], {}, ValueError, ">= 0 or -1"),
        ([[0, 1]], {"Y": [0, 1]}, ValueError, "2 labels but L has 1 rows"),
        ([[0, 1]], {"Y": [-1]}, ValueError, ">= 0"),
        ([[0, 1]], {"lf_names": ["a"]}, ValueError, "1 names"),
    ],
)
def test_lf_summary_input_errors(L, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        lf_summary(L, **kwargs)


def test_plot_lf_summary_returns_axes():
    import matplotlib.pyplot as plt

    summary = lf_summary(np.array([[1, -1], [1, 0], [-1, 0]]), lf_names=["a", "b"])
    ax = plot_lf_summary(summary)
    assert len(ax.patches) == 6 and ax.get_xlabel() == "fraction of all examples"
    plt.close("all")


# --- scoring predictions that may abstain -------------------------------------------------


def test_accuracy_with_abstains():
    scores = accuracy_with_abstains([1, 0, 1, 0], [1, 0, -1, 1])
    assert scores == {"accuracy": 0.5, "accuracy_on_labeled": 2 / 3, "coverage": 0.75}
    assert np.isnan(accuracy_with_abstains([1, 0], [-1, -1])["accuracy_on_labeled"])
    with pytest.raises(ValueError, match="shape"):
        accuracy_with_abstains([1, 0], [1])
    with pytest.raises(ValueError, match="-1"):
        accuracy_with_abstains([1, 0], [1, -3])


# --- applying a fitted Dawid-Skene model to new rows --------------------------------------


@pytest.mark.parametrize("abstain_as_vote", [False, True])
@pytest.mark.parametrize("k", [2, 3])
def test_dawid_skene_posteriors_reproduce_the_fit(abstain_as_vote, k):
    rng = np.random.default_rng(k)
    truth = rng.integers(0, k, 400)
    fires = rng.random((400, 6)) < np.linspace(0.2, 0.8, 6)
    correct = rng.random((400, 6)) < 0.8
    L = np.where(fires, np.where(correct, truth[:, None], rng.integers(0, k, (400, 6))), -1)
    model = dawid_skene(L, n_classes=k, abstain_as_vote=abstain_as_vote)
    probs = dawid_skene_posteriors(model, L)
    assert probs.shape == (400, k)
    np.testing.assert_allclose(probs, model.posteriors, atol=1e-9)
    new = L[:7]
    np.testing.assert_allclose(dawid_skene_posteriors(model, new), model.posteriors[:7], atol=1e-9)


def test_dawid_skene_posteriors_of_a_row_without_votes_is_the_prior():
    L = np.array([[1, -1], [1, 1], [-1, 0], [0, 0], [0, -1]])
    model = dawid_skene(L, abstain_as_vote=False)
    no_vote = dawid_skene_posteriors(model, np.array([[-1, -1]]))
    np.testing.assert_allclose(no_vote[0], model.priors)


def test_dawid_skene_posteriors_errors():
    model = dawid_skene([[0, 1], [1, 1], [0, 0]])
    with pytest.raises(ValueError, match="2 sources"):
        dawid_skene_posteriors(model, [[0, 1, 1]])
    with pytest.raises(ValueError, match=r"allows only 0\.\.1"):
        dawid_skene_posteriors(model, [[0, 2]])
    with pytest.raises(TypeError, match="dawid_skene"):
        dawid_skene_posteriors({"labels": [0]}, [[0, 1]])


# --- training on probabilistic labels -----------------------------------------------------


def test_soft_label_dataset_repeats_rows_with_weights():
    probs = np.array([[0.9, 0.1], [0.0, 1.0], [0.5, 0.5]])
    X_rep, y_rep, w = soft_label_dataset(["a", "b", "c"], probs)
    assert X_rep == ["a", "a", "b", "c", "c"] and y_rep.tolist() == [0, 1, 1, 0, 1]
    assert w.tolist() == [0.9, 0.1, 1.0, 0.5, 0.5]
    X = np.arange(6).reshape(3, 2)
    X_rep, y_rep, w = soft_label_dataset(X, probs, min_weight=0.2)
    assert X_rep.tolist() == [[0, 1], [2, 3], [4, 5], [4, 5]] and y_rep.tolist() == [0, 1, 0, 1]
    X_rep, _, _ = soft_label_dataset(sparse.csr_matrix(X), probs)
    assert sparse.issparse(X_rep) and X_rep.shape == (5, 2)
    series = pd.Series(["a", "b", "c"], index=[10, 11, 12])
    assert soft_label_dataset(series, probs)[0].index.tolist() == [10, 10, 11, 12, 12]


def test_soft_labels_that_are_certain_equal_hard_labels():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(int)
    X_rep, y_rep, w = soft_label_dataset(X, np.eye(2)[y])
    hard = LogisticRegression().fit(X, y)
    soft = LogisticRegression().fit(X_rep, y_rep, sample_weight=w)
    np.testing.assert_allclose(soft.coef_, hard.coef_, atol=1e-6)


def test_soft_label_dataset_errors():
    with pytest.raises(ValueError, match="2 rows but probs has 1"):
        soft_label_dataset(["a", "b"], [[0.5, 0.5]])
    with pytest.raises(ValueError):
        soft_label_dataset(["a"], [[0.5, 0.6]])


# --- the lecture's LFs, the comments they miss, and scoring weak labels -------------------


def test_lecture_lfs_cover_the_training_split_as_notebook_04_prints(splits):
    L = apply_lfs(lecture_lfs(), splits.train, progress=False)
    assert L.shape == (1586, 12)
    assert (L != ABSTAIN).any(axis=1).sum() == 1343  # "coverage 84.7%" in notebook 04
    polarity = [sorted(set(column) - {ABSTAIN}) for column in L.T]
    assert polarity == [[1]] * 6 + [[0]] * 3 + [[1]] + [[0]] * 2


def test_uncovered_splits_hold_only_comments_no_lecture_lf_votes_on():
    dev, valid, heldout = uncovered_splits()
    assert (len(dev), len(valid), len(heldout)) == (80, 60, 128)
    assert (heldout.label == -1).all() and set(dev.label) == set(valid.label) == {0, 1}
    labelled = uncovered_splits(heldout_labels=True).heldout
    assert set(labelled.label) == {0, 1} and labelled.index.equals(heldout.index)
    everything = pd.concat([dev, valid, heldout])
    assert everything.index.is_unique
    assert (apply_lfs(lecture_lfs(), everything, progress=False) == ABSTAIN).all()


def test_score_weak_labels():
    scores = score_weak_labels([1, 0, 0, 1, 0], [1, 1, -1, -1, 0])
    assert scores == {"coverage": 0.6, "accuracy": pytest.approx(2 / 3), "found": 0.5}
    assert score_weak_labels([0, 0], [-1, -1]) == {"coverage": 0.0, "accuracy": 0.0, "found": 0.0}
    with pytest.raises(ValueError, match="y_pred must hold one of -1, 0, 1"):
        score_weak_labels([0, 1], [0, 2])
    with pytest.raises(ValueError, match="shape"):
        score_weak_labels([0, 1], [0])


# --- the lab's grading of these topics ----------------------------------------------------


def _lab_result(question_id, answer):
    from dcai_course.grading.spec import get_question, run_question

    return run_question(get_question(question_id), answer, include_hidden=True, seed=0)


def test_lab04_grades_reference_answers_and_rejects_wrong_ones():
    from dcai_course.aggregation import majority_vote

    def always_lowest(L, n_classes, tie_break="random", seed=None):
        tb = "lowest" if tie_break == "random" else tie_break
        return majority_vote(np.asarray(L), n_classes, tie_break=tb)

    def normalised_overlaps(L):
        summary = lf_summary(np.asarray(L))
        coverage = summary["Coverage"].to_numpy()
        return {
            "coverage": coverage,
            "overlaps": summary["Overlaps"].to_numpy() / np.maximum(coverage, 1e-12),
            "conflicts": summary["Conflicts"].to_numpy(),
        }

    def reference_metrics(L):
        summary = lf_summary(np.asarray(L))
        return {"coverage": summary["Coverage"], "overlaps": summary["Overlaps"],
                "conflicts": summary["Conflicts"]}  # fmt: skip

    def wrapped(L, n_classes, tie_break="random", seed=None):
        return majority_vote(np.asarray(L), n_classes, tie_break=tie_break, seed=seed)

    assert _lab_result("04.q1", wrapped).status == "passed"
    assert _lab_result("04.q1", majority_vote).status == "failed"  # the package's own: refused
    assert _lab_result("04.q1", always_lowest).status == "failed"
    assert _lab_result("04.q2", reference_metrics).status == "passed"
    assert _lab_result("04.q2", normalised_overlaps).status == "failed"


def _rules(texts, spam, ham):
    """Spam where `spam` matches, else ham where `ham` matches, else abstain."""
    return [1 if re.search(spam, t, re.I) else 0 if re.search(ham, t, re.I) else -1 for t in texts]


def _lecture_vote(texts):
    L = apply_lfs(lecture_lfs(), pd.DataFrame({"text": texts}), progress=False)
    return np.where((L == ABSTAIN).all(axis=1), ABSTAIN, L.max(axis=1)).tolist()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda texts: [0] * len(texts), "of the spam"),
        (lambda texts: [1] * len(texts), "right on 13.3%"),
        (_lecture_vote, "you labelled 0.0%"),
        (lambda texts: [0] * (len(texts) - 1), "shape"),
        (lambda texts: [2] * len(texts), "returned [2]"),
        (lambda texts: ["spam"] * len(texts), "integers"),
    ],
)
def test_lab04_q3_rejects_trivial_and_lecture_answers(answer, message):
    result = _lab_result("04.q3", answer)
    assert result.status == "failed" and message in result.message, result.message


def test_lab04_q3_passes_rules_written_on_the_dev_part():
    spam = r"follow me|instagram|twitter|like this comment|how many thumbs|take a look|share"
    ham = r"katy|perry|shakira|eminem|psy|tiger|shuffle|20[01]\d|\?\W*$|lol|haha|\bi (love|like)"
    assert _lab_result("04.q3", lambda texts: _rules(texts, spam, ham)).status == "passed"
