"""Lab 06: the data-quality audit (duplicates, near-duplicates, leakage, imbalance, a cleanup)."""

from __future__ import annotations

import numpy as np

from ... import quality as ref
from ..open_ended import fresh_seeds, keep_rows_test
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

# --- helpers --------------------------------------------------------------------------------


def _as_groups(value, what: str) -> list[tuple[int, ...]]:
    """The learner's groups as a sorted list of sorted tuples (order does not matter)."""
    if isinstance(value, np.ndarray) and value.dtype != object:
        raise AssertionError(
            f"{what} should be a list of index arrays (one per group), got a single array."
        )
    try:
        groups = list(value)
    except TypeError as exc:
        raise AssertionError(
            f"{what} should be a list of index arrays, got {type(value).__name__}."
        ) from exc
    out = []
    for i, group in enumerate(groups):
        g = assert_array(group, f"group {i} of {what}", kind="iu")
        if g.ndim != 1:
            raise AssertionError(f"group {i} of {what} should be 1-D, got shape {g.shape}.")
        if g.size < 2:
            raise AssertionError(
                f"group {i} of {what} has {g.size} member(s): only groups of two or more "
                "examples are duplicates."
            )
        out.append(tuple(sorted(int(v) for v in g)))
    return sorted(out)


def _check_groups(got, expected: list[np.ndarray], what: str) -> None:
    got_groups = _as_groups(got, what)
    want = sorted(tuple(int(v) for v in g) for g in expected)
    if got_groups != want:
        missing = [g for g in want if g not in got_groups]
        extra = [g for g in got_groups if g not in want]
        detail = []
        if missing:
            detail.append(
                f"missing group {missing[0]}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            )
        if extra:
            detail.append(
                f"unexpected group {extra[0]}"
                + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else "")
            )
        raise AssertionError(
            f"{what}: expected {len(want)} groups, got {len(got_groups)}; "
            + "; ".join(detail)
            + "."
        )


def _random_integer_rows(rng, n, d, high):
    return rng.integers(0, high, size=(n, d))


def _clustered_points(rng, n, d):
    """Points with a few tight clusters (near-duplicates) among scattered ones."""
    X = rng.uniform(0, 10, size=(n, d))
    n_copies = n // 5
    src = rng.integers(0, n, size=n_copies)
    dst = rng.choice(n, size=n_copies, replace=False)
    X[dst] = X[src] + rng.normal(scale=0.02, size=(n_copies, d))
    return X


# --- Q1: exact duplicates -------------------------------------------------------------------


def _q1_example(f, rng):
    X = np.array([[0, 0], [1, 1], [0, 0], [2, 2], [1, 1], [0, 0]])
    _check_groups(f(X), [np.array([0, 2, 5]), np.array([1, 4])], "find_exact_duplicates(X)")


def _q1_none(f, rng):
    _check_groups(f(np.eye(5)), [], "find_exact_duplicates(np.eye(5))")


def _q1_floats(f, rng):
    X = np.array([[0.5, 1.0], [0.5, 1.0000001], [0.5, 1.0], [3.0, 3.0]])
    _check_groups(f(X), [np.array([0, 2])], "find_exact_duplicates on floats (only exact copies)")


def _q1_hidden(f, rng):
    for _ in range(4):
        n, d, high = int(rng.integers(50, 2000)), int(rng.integers(1, 6)), int(rng.integers(2, 6))
        X = _random_integer_rows(rng, n, d, high)
        _check_groups(
            f(X.copy()), ref.find_duplicates(X), f"find_exact_duplicates on a {n}×{d} array"
        )


# --- Q2: near duplicates --------------------------------------------------------------------


def _q2_chain(f, rng):
    X = np.array([[0.0], [0.4], [0.8], [5.0], [5.3], [9.0]])
    _check_groups(
        f(X, 0.5), [np.array([0, 1, 2]), np.array([3, 4])], "find_near_duplicates(X, 0.5)"
    )


def _q2_inclusive(f, rng):
    X = np.array([[0, 0], [0, 1], [3, 3], [5, 5]])
    _check_groups(f(X, 1.0), [np.array([0, 1])], "find_near_duplicates(X, 1.0): distance 1 counts")


def _q2_zero(f, rng):
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.5]])
    _check_groups(f(X, 0.0), [np.array([0, 1])], "find_near_duplicates(X, 0.0): exact copies")


def _q2_hidden(f, rng):
    for _ in range(4):
        n, d = int(rng.integers(50, 1500)), int(rng.integers(2, 6))
        X = _clustered_points(rng, n, d)
        threshold = float(rng.uniform(0.05, 0.6))
        _check_groups(
            f(X.copy(), threshold),
            ref.find_duplicates(X, threshold),
            f"find_near_duplicates on {n} points with threshold {threshold:.3f}",
        )


# --- Q3: leakage ----------------------------------------------------------------------------


def _q3_exact(f, rng):
    train = np.array([[0, 0], [1, 1], [2, 2]])
    test = np.array([[1, 1], [3, 3], [0, 0], [2, 2.5]])
    got = assert_array(f(train, test, 0), "find_leakage(train, test, 0)", kind="iu")
    assert_equal_arrays(got.ravel(), np.array([0, 2]), "find_leakage(train, test, 0)")


def _q3_near(f, rng):
    train = np.array([[0, 0], [1, 1], [2, 2]])
    test = np.array([[1, 1], [3, 3], [0, 0], [2, 2.5]])
    got = assert_array(f(train, test, 0.5), "find_leakage(train, test, 0.5)", kind="iu")
    assert_equal_arrays(got.ravel(), np.array([0, 2, 3]), "find_leakage(train, test, 0.5)")


def _q3_hidden(f, rng):
    for _ in range(4):
        n, d = int(rng.integers(100, 2000)), int(rng.integers(2, 5))
        X = _clustered_points(rng, n, d)
        cut = int(n * rng.uniform(0.5, 0.8))
        order = rng.permutation(n)
        train, test = X[order[:cut]], X[order[cut:]]
        threshold = float(rng.choice([0.0, rng.uniform(0.05, 0.5)]))
        expected = ref.find_leakage(train, test, threshold)["test_index"].to_numpy()
        got = assert_array(f(train.copy(), test.copy(), threshold), "the leaked indices", kind="iu")
        assert_equal_arrays(
            np.sort(got.ravel()), expected, f"the leaked test indices (threshold {threshold:.3f})"
        )


# --- Q4: imbalance ratio --------------------------------------------------------------------


def _q4_example(f, rng):
    assert_close(f(np.array([0, 0, 0, 1, 2, 2])), 3.0, "imbalance_ratio([0, 0, 0, 1, 2, 2])")


def _q4_balanced(f, rng):
    assert_close(f(np.arange(30) % 3), 1.0, "imbalance_ratio of balanced labels")


def _q4_missing(f, rng):
    got = f(np.array([0, 0, 2, 2, 2]))
    if not np.isinf(got):
        raise AssertionError(f"class 1 has no example, so the ratio should be np.inf, got {got!r}.")


def _q4_hidden(f, rng):
    for _ in range(6):
        k = int(rng.integers(2, 30))
        weights = rng.dirichlet(np.ones(k) * rng.uniform(0.3, 3))
        labels = rng.choice(k, size=int(rng.integers(200, 5000)), p=weights)
        labels[:k] = np.arange(k)  # every class present
        expected = ref.class_balance(labels)["imbalance_ratio"]
        assert_close(f(labels.copy()), expected, f"imbalance_ratio with {k} classes", atol=1e-9)


# --- Q6/Q7: clean a flawed training set (open-ended) ----------------------------------------

#: Held-out accuracy of the fixed model for Q6 and Q7. Measured over 20 draws: the
#: training set as given scores 0.78 to 0.84, the model solution 0.965 to 0.99.
CLEANUP_THRESHOLDS = {"06.q6": 0.92, "06.q7": 0.95}


def cleanup_model():
    """The fixed model of Q6/Q7: 5-nearest neighbours on the pixels (scaled to 0..1)."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5)


def flawed_digits(seed: int):
    """A flawed training set and a clean held-out split: ``(X_train, y_train, X_valid, y_valid)``.

    The digits (pixels scaled to 0..1) are split 60/40 with ``seed``. Into the training
    part go 250 of its images copied 4 times each, with labels drawn at random (half the
    copies slightly jittered), and 200 junk images of random pixels with random labels;
    the rows are then shuffled. The held-out part is untouched. The grader draws its own
    seeds and keeps the held-out part to itself.
    """
    from sklearn.model_selection import train_test_split

    from ...datasets import load_digits

    rng = np.random.default_rng(seed)
    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X / 16, y, test_size=0.4, random_state=int(rng.integers(2**31)), stratify=y
    )
    sources = np.repeat(rng.choice(len(y_tr), 250, replace=False), 4)
    jitter = rng.normal(0, 0.01, size=(sources.size, X.shape[1]))
    copies = X_tr[sources] + jitter * (rng.random((sources.size, 1)) < 0.5)
    junk = rng.random((200, X.shape[1]))
    X_all = np.vstack([X_tr, copies, junk])
    y_all = np.concatenate([y_tr, rng.integers(0, 10, sources.size), rng.integers(0, 10, 200)])
    order = rng.permutation(len(y_all))
    return X_all[order], y_all[order], X_te, y_te


def _cleanup(question_id: str, seeds):
    return keep_rows_test(
        flawed_digits,
        cleanup_model,
        CLEANUP_THRESHOLDS[question_id],
        "clean_training_set(X, y)",
        seeds,
        min_size=50,
    )


def _public_seeds(rng):
    return [0]


def _hidden_seeds(rng):
    return fresh_seeds(rng, 2)


LAB = Lab(
    id="06_data_quality_audit_lab",
    title="Lab 06: the data-quality audit",
    questions=[
        Question(
            "06.q1",
            "Exact duplicates by hashing",
            2,
            "find_exact_duplicates",
            [
                Test("a small example", _q1_example),
                Test("no duplicates gives no group", _q1_none),
                Test("only identical float rows", _q1_floats),
                Test("random integer arrays", _q1_hidden, hidden=True),
            ],
            hint="give every row a key that identical rows share (NumPy can find the unique rows "
            "of an array), then group the rows by key and keep groups of two or more.",
        ),
        Question(
            "06.q2",
            "Near-duplicate groups",
            3,
            "find_near_duplicates",
            [
                Test("groups chain transitively", _q2_chain),
                Test("a distance equal to the threshold counts", _q2_inclusive),
                Test("threshold 0 finds exact copies", _q2_zero),
                Test("random clustered points", _q2_hidden, hidden=True),
            ],
            hint="one node per row, an edge between rows at distance <= threshold; the groups "
            "are the graph's connected components (scikit-learn builds such sparse neighbour "
            "graphs, SciPy finds components).",
        ),
        Question(
            "06.q3",
            "Train/test leakage",
            3,
            "find_leakage",
            [
                Test("exact copies", _q3_exact),
                Test("near copies", _q3_near),
                Test("random splits", _q3_hidden, hidden=True),
            ],
            hint="what matters for each test row is its distance to the nearest training row; "
            "a nearest-neighbour index fitted on the training rows gives it in one query.",
        ),
        Question(
            "06.q4",
            "The imbalance ratio",
            2,
            "imbalance_ratio",
            [
                Test("a small example", _q4_example),
                Test("balanced labels give 1", _q4_balanced),
                Test("a missing class gives inf", _q4_missing),
                Test("random label distributions", _q4_hidden, hidden=True),
            ],
            hint="count every class 0..K-1, including classes with no example at all.",
        ),
        Question("06.q5", "Written: which test score to report", 2, manual=True),
        Question(
            "06.q6",
            "Clean a flawed training set: held-out accuracy 0.92",
            3,
            "clean_training_set",
            [
                Test("the training set of seed 0", _cleanup("06.q6", _public_seeds)),
                Test("two fresh training sets", _cleanup("06.q6", _hidden_seeds), hidden=True),
            ],
            hint="look at the training set with the tools of this lab: which rows are copies, "
            "do the copies agree on their label, and which rows look like no digit at all? "
            "Measure each step on the validation split.",
            time_limit=120.0,
        ),
        Question(
            "06.q7",
            "Clean a flawed training set: held-out accuracy 0.95",
            2,
            "clean_training_set",
            [
                Test("the training set of seed 0", _cleanup("06.q7", _public_seeds)),
                Test("two fresh training sets", _cleanup("06.q7", _hidden_seeds), hidden=True),
            ],
            hint="when the copies of an image disagree on its label, which of them can you "
            "trust? Compare keeping one copy, keeping the majority and dropping the group.",
            time_limit=120.0,
        ),
    ],
)
