import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from dcai_course import quality


def as_lists(groups):
    return [g.tolist() for g in groups]


def blobs(n=200, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


# --- featurize ------------------------------------------------------------------------------


def test_featurize_text_gives_unit_tfidf_rows():
    F, is_text = quality.featurize(pd.Series(["free iphone now", "nice song", "nice"]))
    assert is_text and sp.issparse(F) and F.shape[0] == 3
    assert np.allclose(sp.linalg.norm(F, axis=1), 1.0)


def test_featurize_numbers_and_custom_vectorizer():
    from sklearn.feature_extraction.text import CountVectorizer

    F, is_text = quality.featurize(np.array([[1, 2], [3, 4]], dtype=np.int64))
    assert not is_text and F.dtype == np.float64
    counts, _ = quality.featurize(["aa bb bb", "bb cc"], vectorizer=CountVectorizer())
    assert counts.toarray().sum() == 5


@pytest.mark.parametrize(
    ("X", "exc", "message"),
    [
        ("just one string", TypeError, "single string"),
        ([[np.nan, 1.0], [0, 1]], ValueError, "NaN"),
        (np.zeros((0, 3)), ValueError, "empty"),
        (np.zeros(5), ValueError, "2-D"),
        (["ok", None, "fine"], ValueError, "not strings"),
        (np.array([{"a": 1}, {"b": 2}], dtype=object), TypeError, "object array"),
        (np.array(["2020-01-01"], dtype="datetime64[D]").reshape(1, 1), TypeError, "dtype"),
    ],
)
def test_featurize_errors(X, exc, message):
    with pytest.raises(exc, match=message):
        quality.featurize(X)


def test_sparse_input_is_accepted_and_checked():
    F = sp.csr_matrix(np.array([[1.0, 0], [1.0, 0], [0, 2.0]]))
    assert as_lists(quality.find_duplicates(F)) == [[0, 1]]
    assert as_lists(quality.find_duplicates(F, threshold=0.0)) == [[0, 1]]
    bad = F.copy()
    bad.data[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        quality.outlier_scores(bad, k=1)
    with pytest.raises(ValueError, match="empty"):
        quality.featurize(sp.csr_matrix((0, 3)))


# --- find_duplicates ------------------------------------------------------------------------


def test_exact_duplicates_numeric_match_pandas():
    rng = np.random.default_rng(1)
    X = rng.integers(0, 3, size=(500, 3)).astype(float)
    groups = quality.find_duplicates(X)
    ids = pd.DataFrame(X).groupby([0, 1, 2]).ngroup().to_numpy()
    expected = [np.flatnonzero(ids == i) for i in np.unique(ids)]
    expected = sorted([g for g in expected if g.size > 1], key=lambda g: g[0])
    assert as_lists(groups) == as_lists(expected)
    # every example in at most one group, groups sorted by first index
    members = np.concatenate(groups)
    assert members.size == np.unique(members).size
    assert [g[0] for g in groups] == sorted(g[0] for g in groups)


def test_exact_duplicates_treat_nan_as_equal_and_negative_zero_as_zero():
    X = [[np.nan, 1.0], [np.nan, 1.0], [-0.0, 2.0], [0.0, 2.0], [1.0, np.nan]]
    assert as_lists(quality.find_duplicates(X)) == [[0, 1], [2, 3]]


def test_no_duplicates_gives_an_empty_list():
    assert quality.find_duplicates(np.eye(4)) == []
    assert quality.find_duplicates(np.eye(4), threshold=0.5) == []


def test_exact_text_duplicates_and_normalisation():
    texts = ["Nice song\ufeff", "nice   SONG", "nice song!", "Nice song\ufeff"]
    assert as_lists(quality.find_duplicates(texts)) == [[0, 1, 3]]
    assert as_lists(quality.find_duplicates(texts, normalize_text=False)) == [[0, 3]]


def test_near_duplicates_chain_transitively():
    X = [[0.0], [0.4], [0.8], [5.0], [5.3], [9.0]]
    assert as_lists(quality.find_duplicates(X, threshold=0.5)) == [[0, 1, 2], [3, 4]]
    assert as_lists(quality.find_duplicates(X, threshold=0.3)) == [[3, 4]]
    assert as_lists(quality.find_duplicates(X, threshold=0.35, metric="manhattan")) == [[3, 4]]


def test_near_duplicates_match_a_brute_force_union_find():
    from scipy.spatial.distance import cdist

    X = blobs(120, 2, seed=3)
    threshold = 0.15
    dist = cdist(X, X)
    parent = list(range(len(X)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(dist <= threshold), strict=True):
        parent[root(i)] = root(j)
    roots = np.array([root(i) for i in range(len(X))])
    expected = [np.flatnonzero(roots == r) for r in np.unique(roots)]
    expected = sorted([g for g in expected if g.size > 1], key=lambda g: g[0])
    assert as_lists(quality.find_duplicates(X, threshold)) == as_lists(expected)


def test_near_text_duplicates_use_cosine_on_tfidf():
    texts = ["subscribe to my channel", "Subscribe to my channel!!", "my channel subscribe to",
             "the song is great", "great song"]  # fmt: skip
    assert as_lists(quality.find_duplicates(texts, threshold=0.0)) == [[0, 1, 2]]
    assert len(quality.find_duplicates(texts, threshold=1.0)) == 1  # everything chains


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"threshold": -1}, ValueError, ">= 0"),
        ({"threshold": "0.1"}, TypeError, "number"),
        ({"threshold": True}, TypeError, "number"),
        ({"threshold": 0.1, "metric": "jaccard"}, ValueError, "metric must be one of"),
    ],
)
def test_find_duplicates_errors(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        quality.find_duplicates([[0.0], [1.0]], **kwargs)


def test_near_duplicates_reject_nan():
    with pytest.raises(ValueError, match="NaN"):
        quality.find_duplicates([[np.nan], [1.0]], threshold=0.1)


# --- label conflicts and deduplication ------------------------------------------------------


def test_label_conflicts_and_disagreements():
    groups = [np.array([0, 1, 2]), np.array([3, 4]), np.array([5, 6])]
    labels = [1, 1, 2, 0, 0, 3, 4]
    assert as_lists(quality.label_conflicts(groups, labels)) == [[0, 1, 2], [5, 6]]
    flags = quality.disagrees_with_group(groups, labels)
    assert flags.tolist() == [False, False, True, False, False, True, True]  # a tie flags both
    assert not quality.disagrees_with_group([], labels).any()


def test_disagrees_with_group_recovers_injected_flips_on_duplicates():
    from dcai_course.noise import inject_label_noise

    y = np.repeat(np.arange(5), 40)
    groups = [np.arange(i, i + 8) for i in range(0, 200, 8)]  # all members share a class
    noisy, flipped = inject_label_noise(y, noise_rate=0.05, seed=0)
    flags = quality.disagrees_with_group(groups, noisy)
    assert flipped.any() and (flags == flipped).all()


@pytest.mark.parametrize(
    ("groups", "exc", "message"),
    [
        ([np.array([0, 9])], ValueError, "outside 0..2"),
        ([np.array([0.5, 1])], TypeError, "integer indices"),
        (np.array([0, 1]), TypeError, "list of index arrays"),
    ],
)
def test_group_errors(groups, exc, message):
    with pytest.raises(exc, match=message):
        quality.label_conflicts(groups, [0, 1, 1])


def test_label_conflicts_rejects_bad_labels():
    with pytest.raises(TypeError):
        quality.label_conflicts([np.array([0, 1])], ["a", "b"])


def test_deduplicate_keeps_the_first_of_each_group():
    keep = quality.deduplicate([np.array([4, 1]), np.array([2, 3])], 6)
    assert keep.tolist() == [True, True, True, False, False, True]
    assert quality.deduplicate([], 3).all()
    with pytest.raises(ValueError, match=">= 1"):
        quality.deduplicate([], 0)
    with pytest.raises(TypeError, match="int"):
        quality.deduplicate([], 2.0)


# --- leakage --------------------------------------------------------------------------------


def test_exact_leakage_numeric():
    train = np.array([[0, 0], [1, 1], [1, 1], [2, 2]])
    test = np.array([[1, 1], [3, 3], [0, 0], [2, 2.001]])
    leaks = quality.find_leakage(train, test)
    assert leaks.test_index.tolist() == [0, 2]
    assert leaks.train_index.tolist() == [1, 0]  # the first training copy
    assert (leaks.distance == 0).all()
    near = quality.find_leakage(train, test, threshold=0.01)
    assert near.test_index.tolist() == [0, 2, 3] and near.train_index.tolist()[2] == 3


def test_leakage_agrees_with_a_set_of_rows():
    rng = np.random.default_rng(2)
    train = rng.integers(0, 4, size=(300, 2))
    test = rng.integers(0, 4, size=(100, 2))
    seen = {tuple(r) for r in train}
    expected = [i for i, r in enumerate(test) if tuple(r) in seen]
    assert quality.find_leakage(train, test).test_index.tolist() == expected
    near = quality.find_leakage(train, test, threshold=0.0)
    assert near.test_index.tolist() == expected


def test_text_leakage_exact_and_near():
    train = ["Check out my channel", "nice song", "great video"]
    test = ["check out MY channel\ufeff", "Nice song!!!", "something new"]
    assert quality.find_leakage(train, test).test_index.tolist() == [0]
    near = quality.find_leakage(train, test, threshold=0.05)
    assert near.test_index.tolist() == [0, 1] and near.train_index.tolist() == [0, 1]


def test_empty_leakage_has_the_columns():
    leaks = quality.find_leakage([[0.0]], [[1.0]])
    assert list(leaks.columns) == ["test_index", "train_index", "distance"] and leaks.empty


@pytest.mark.parametrize(
    ("train", "test", "kwargs", "exc", "message"),
    [
        ([[0, 1]], [[0, 1, 2]], {}, ValueError, "features"),
        (["a b"], [[0.0, 1.0]], {}, TypeError, "both be text"),
        ([[np.nan, 1]], [[0, 1]], {"threshold": 0.1}, ValueError, "NaN"),
        ([[0, 1]], np.zeros((0, 2)), {}, ValueError, "empty"),
    ],
)
def test_leakage_errors(train, test, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        quality.find_leakage(train, test, **kwargs)


def test_exact_leakage_accepts_nan_rows():
    leaks = quality.find_leakage([[np.nan, 1.0]], [[np.nan, 1.0], [np.nan, 2.0]])
    assert leaks.test_index.tolist() == [0]


def test_leakage_inflation():
    r = quality.leakage_inflation(
        [0, 1, 1, 0, 1], [0, 1, 0, 1, 1], [True, True, False, False, False]
    )
    assert r == {
        "accuracy": 0.6,
        "accuracy_leaked": 1.0,
        "accuracy_clean": pytest.approx(1 / 3),
        "inflation": pytest.approx(0.6 - 1 / 3),
        "n_leaked": 2,
    }
    assert np.isnan(quality.leakage_inflation([0, 1], [0, 0], [False, False])["accuracy_leaked"])
    with pytest.raises(TypeError, match="boolean"):
        quality.leakage_inflation([0, 1], [0, 1], [1, 0])
    with pytest.raises(ValueError, match="no clean test example"):
        quality.leakage_inflation([0, 1], [0, 1], [True, True])
    with pytest.raises(ValueError, match="Length mismatch"):
        quality.leakage_inflation([0, 1], [0, 1, 1], [True, False])


def test_leakage_experiment_on_data_with_planted_copies():
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + rng.normal(scale=1.0, size=300) > 0).astype(int)
    X = np.vstack([X, X[:150]])  # half the examples twice
    y = np.r_[y, y[:150]]
    runs = quality.leakage_experiment(KNeighborsClassifier(1), X, y, seeds=(0, 1), progress=False)
    assert list(runs.seed) == [0, 1] and (runs.n_leaked > 0).all()
    assert (runs.accuracy_leaked == 1.0).all() and (runs.inflation > 0).all()
    assert (runs.accuracy > runs.accuracy_dedup_first).all()


# --- outliers -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", quality.OUTLIER_METHODS)
def test_every_method_scores_a_planted_outlier_highest(method):
    X = np.vstack([blobs(200, 3), [[8.0, 8.0, 8.0]]])
    scores = quality.outlier_scores(X, method, seed=0)
    assert scores.shape == (201,) and scores.argmax() == 200


def test_outlier_scores_match_scikit_learn():
    from sklearn.ensemble import IsolationForest
    from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors

    from dcai_course._validation import as_random_state

    X = blobs(150, 4, seed=5)
    dist, _ = NearestNeighbors(n_neighbors=6).fit(X).kneighbors(X)
    assert np.allclose(quality.outlier_scores(X, k=5), dist[:, 1:].mean(axis=1))
    lof = LocalOutlierFactor(n_neighbors=7).fit(X)
    assert np.allclose(quality.outlier_scores(X, "lof", k=7), -lof.negative_outlier_factor_)
    forest = IsolationForest(random_state=as_random_state(3)).fit(X)
    assert np.allclose(
        quality.outlier_scores(X, "isolation_forest", seed=3), -forest.score_samples(X)
    )


def test_knn_score_ranks_like_cleanlab_out_of_distribution():
    from cleanlab.outlier import OutOfDistribution

    X = blobs(300, 3, seed=7)  # up to 3 features cleanlab uses the Euclidean distance too
    ours = quality.outlier_scores(X, k=10)
    theirs = OutOfDistribution(params={"k": 10}).fit_score(features=X)  # lower = more unusual
    assert (np.argsort(ours, kind="stable") == np.argsort(-theirs, kind="stable")).all()


def test_text_outliers_and_duplicates_get_distance_zero():
    texts = ["nice song"] * 5 + ["great song"] * 5 + ["buy cheap watches online now"]
    scores = quality.outlier_scores(texts, k=3)
    assert scores.argmax() == 10 and np.allclose(scores[:5], 0)
    assert quality.outlier_scores(texts, "isolation_forest", seed=0).argmax() == 10


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"method": "zscore"}, ValueError, "method must be one of"),
        ({"k": 0}, ValueError, "between 1"),
        ({"k": 5}, ValueError, "between 1"),
        ({"k": 2.5}, TypeError, "k must be an int"),
        ({"metric": "hamming", "k": 2}, ValueError, "metric"),
    ],
)
def test_outlier_score_errors(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        quality.outlier_scores(blobs(5, 2), **kwargs)


@pytest.mark.parametrize("method", quality.OUTLIER_METHODS)
def test_outlier_scores_reject_nan(method):
    X = blobs(20, 2)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        quality.outlier_scores(X, method)


def test_isolation_forest_needs_two_examples():
    with pytest.raises(ValueError, match="at least 2"):
        quality.outlier_scores([[1.0, 2.0]], "isolation_forest")


def test_flag_outliers_is_tukeys_fence():
    scores = np.r_[np.linspace(0, 1, 101), 3.0, 1.4]
    q1, q3 = np.percentile(scores, [25, 75])
    for factor in (0.0, 1.5, 3.0):
        assert (quality.flag_outliers(scores, factor) == (scores > q3 + factor * (q3 - q1))).all()
    assert quality.flag_outliers(scores).tolist()[-2:] == [True, False]


@pytest.mark.parametrize(
    ("scores", "factor", "exc", "message"),
    [
        ([], 1.5, ValueError, "non-empty"),
        ([[1.0, 2.0]], 1.5, ValueError, "1-D"),
        ([1.0, np.nan], 1.5, ValueError, "NaN"),
        ([1.0, 2.0], -1, ValueError, ">= 0"),
        ([1.0, 2.0], "1.5", TypeError, "number"),
    ],
)
def test_flag_outliers_errors(scores, factor, exc, message):
    with pytest.raises(exc, match=message):
        quality.flag_outliers(scores, factor)


def test_precision_recall():
    r = quality.precision_recall(np.array([True, True, False]), np.array([True, False, True]))
    assert r == {"flagged": 2, "precision": 0.5, "recall": 0.5}
    empty = quality.precision_recall(np.zeros(3, bool), np.zeros(3, bool))
    assert empty["flagged"] == 0 and np.isnan(empty["precision"]) and np.isnan(empty["recall"])
    with pytest.raises(TypeError, match="boolean"):
        quality.precision_recall([1, 0], [True, False])
    with pytest.raises(ValueError, match="Length mismatch"):
        quality.precision_recall(np.array([True]), np.array([True, False]))


# --- class balance --------------------------------------------------------------------------


def test_class_balance():
    b = quality.class_balance([0, 0, 0, 0, 1, 2, 2])
    assert b["counts"].tolist() == [4, 1, 2] and b["imbalance_ratio"] == 4.0
    assert np.isclose(b["proportions"].sum(), 1.0)
    assert quality.class_balance([0, 1, 0, 1])["imbalance_ratio"] == 1.0
    missing = quality.class_balance([0, 0, 2], n_classes=4)
    assert missing["counts"].tolist() == [2, 0, 1, 0] and missing["imbalance_ratio"] == np.inf


def test_class_balance_matches_pandas_value_counts():
    y = np.random.default_rng(0).integers(0, 7, size=1000)
    counts = pd.Series(y).value_counts().sort_index()
    b = quality.class_balance(y)
    assert (b["counts"] == counts.to_numpy()).all()
    assert b["imbalance_ratio"] == counts.max() / counts.min()


@pytest.mark.parametrize(
    ("labels", "kwargs", "exc"),
    [([], {}, ValueError), ([0, 3], {"n_classes": 2}, ValueError), ([0.5, 1], {}, ValueError),
     (["a"], {}, TypeError), ([0, 1], {"n_classes": 1}, ValueError)],
)  # fmt: skip
def test_class_balance_errors(labels, kwargs, exc):
    with pytest.raises(exc):
        quality.class_balance(labels, **kwargs)


# --- audit ----------------------------------------------------------------------------------


def test_audit_numeric_with_a_test_split():
    X = np.vstack([blobs(60, 2), [[9.0, 9.0]]])
    X[1] = X[0]
    X[2] = X[0] + 1e-3  # a near copy
    y = np.r_[np.zeros(30, int), np.ones(31, int)]
    y[1] = 1  # conflicts with its copy
    X_test = np.vstack([X[5], [[20.0, 20.0]]])
    report = quality.audit(X, y, X_test, [0, 1], near_threshold=0.01, seed=0)
    summary = report.summary.set_index("issue")
    assert summary.loc["exact duplicates", "examples"] == 2
    assert summary.loc["near duplicates (<= 0.01)", "examples"] == 1
    assert summary.loc["test examples leaked", "examples"] == 1
    assert summary.loc["test examples leaked", "share"] == 0.5
    assert summary.loc["smallest class", "examples"] == 29
    assert report.duplicates["index"].tolist() == [0, 1, 2]
    assert set(report.duplicates.kind) == {"near"}
    assert report.label_conflicts["disagrees"].tolist() == [False, True, False]
    assert report.leakage[
        ["test_index", "train_index", "test_label", "train_label"]
    ].values.tolist() == [[0, 5, 0, 0]]
    assert report.outliers["index"].iloc[0] == 60 and report.outliers["rank"].iloc[0] == 1
    assert report.imbalance_ratio == 32 / 29
    text = str(report)
    assert "Data-quality audit of 61 examples" in text and "label_conflicts" in text
    assert repr(report) == text
    assert len(report.worst("outliers")) <= 5
    with pytest.raises(ValueError, match="issue must be one of"):
        report.worst("typos")


def test_audit_text_without_labels():
    texts = ["nice song", "Nice song", "buy watches", "great", "great!", "hello there"]
    report = quality.audit(texts, n_worst=2)
    assert report.summary.issue.tolist() == ["exact duplicates", "outliers (knn, Tukey 1.5)"]
    assert report.duplicates["index"].tolist() == [0, 1]  # "great!" is not "great"
    assert "text" in report.duplicates and report.label_conflicts.empty
    assert report.class_balance.empty and np.isnan(report.imbalance_ratio)


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"labels": [0, 1]}, ValueError, "Length mismatch"),
        ({"n_worst": 0}, ValueError, "n_worst"),
        ({"X_test": [[0.0, 0.0]], "labels_test": [0, 1]}, ValueError, "Length mismatch"),
        ({"near_threshold": -0.5}, ValueError, ">= 0"),
        ({"outlier_method": "svm"}, ValueError, "method must be one of"),
    ],
)
def test_audit_errors(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        quality.audit(blobs(10, 2), **kwargs)


def test_audit_rejects_nan_features():
    X = blobs(10, 2)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        quality.audit(X)


# --- the reference: cleanlab's Datalab ------------------------------------------------------


def planted_data(seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(size=(300, 3)), rng.normal(6, 0.3, size=(6, 3))])
    X[10] = X[11]
    X[20] = X[21]
    return X


def test_run_datalab_outliers_equal_our_knn_with_its_fence():
    from cleanlab.datalab.internal.issue_manager.outlier import OutlierIssueManager

    X = planted_data()
    result = quality.run_datalab(X, issue_types=["outlier"], metric="euclidean")
    factor = 1 / OutlierIssueManager.DEFAULT_THRESHOLDS["features"] - 1
    ours = quality.flag_outliers(quality.outlier_scores(X, k=10), factor)
    assert ours.any() and (result.issues["is_outlier_issue"].to_numpy() == ours).all()
    assert result.summary.issue_type.tolist() == ["outlier"]


def test_run_datalab_near_duplicates_include_our_exact_duplicates():
    X = planted_data()
    result = quality.run_datalab(X, issue_types=["near_duplicate"], metric="euclidean")
    flags = result.issues["is_near_duplicate_issue"].to_numpy()
    assert flags[[10, 11, 20, 21]].all()
    assert result.near_duplicate_sets[10].tolist() == [11]
    assert len(result.near_duplicate_sets) == len(X)


def test_run_datalab_label_issues_are_cleanlabs():
    from cleanlab.filter import find_label_issues

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=400)
    probs = rng.dirichlet(np.ones(3) * 0.3, size=400)
    result = quality.run_datalab(labels=labels, pred_probs=probs, issue_types=["label"])
    expected = find_label_issues(labels, probs)
    assert (result.issues["is_label_issue"].to_numpy() == expected).all()
    assert result.summary.num_issues.iloc[0] == expected.sum()


def test_run_datalab_all_three_issue_types_together():
    X = planted_data()
    labels = (X[:, 0] > 0).astype(int)
    probs = np.c_[1 - (labels * 0.8 + 0.1), labels * 0.8 + 0.1]
    result = quality.run_datalab(X, labels, probs, metric="euclidean")
    assert result.summary.issue_type.tolist() == ["near_duplicate", "outlier", "label"]
    assert result.issues.shape == (len(X), 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issue_types": ["typos"]}, "subset"),
        ({"issue_types": []}, "subset"),
        ({"features": None, "issue_types": ["outlier"]}, "need features"),
        ({"issue_types": ["label"]}, "need labels"),
        ({"k": 400, "issue_types": ["outlier"]}, "between 1"),
        ({"labels": np.zeros(5, int), "issue_types": ["outlier"]}, "Length mismatch"),
    ],
)
def test_run_datalab_errors(kwargs, message):
    args = {"features": planted_data(), **kwargs}
    with pytest.raises(ValueError, match=message):
        quality.run_datalab(**args)


def test_run_datalab_is_datalab_itself():
    from cleanlab import Datalab

    X = planted_data()
    labels = (X[:, 0] > 0).astype(int)
    probs = np.c_[1 - (labels * 0.8 + 0.1), labels * 0.8 + 0.1]
    lab = Datalab({"label": labels}, label_name="label", verbosity=0)
    issue_types = {
        "near_duplicate": {"metric": "euclidean"},
        "outlier": {"metric": "euclidean"},
        "label": {},
    }
    lab.find_issues(features=X, pred_probs=probs, issue_types=issue_types)
    ours = quality.run_datalab(X, labels, probs, metric="euclidean")
    for name in issue_types:
        flag = f"is_{name}_issue"
        assert (lab.get_issues(name)[flag].to_numpy() == ours.issues[flag].to_numpy()).all()
