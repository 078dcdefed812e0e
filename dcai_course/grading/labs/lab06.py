"""Lab 06: the data-quality audit (messy duplicates, a union-find, a leak-free split, weights,
a cleanup)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...quality.features import _groups_from_keys, _normalize_texts
from ..open_ended import hidden_seeds, keep_rows_test, public_seeds
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close

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
                f"missing group {_short(missing[0])}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            )
        if extra:
            detail.append(
                f"unexpected group {_short(extra[0])}"
                + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else "")
            )
        raise AssertionError(
            f"{what}: expected {len(want)} groups, got {len(got_groups)}; "
            + "; ".join(detail)
            + "."
        )


def _short(group: tuple[int, ...]) -> str:
    return str(group) if len(group) <= 8 else f"{group[:8]}... ({len(group)} rows)"


# --- Q1: duplicates that survive rounding and re-typing -------------------------------------

_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def _messy_reference(table: pd.DataFrame, decimals: int) -> list[np.ndarray]:
    """Q1's answer: numbers rounded to ``decimals``, texts normalised, then one key per row."""
    columns = {}
    for j, name in enumerate(table.columns):
        col = table[name]
        if pd.api.types.is_numeric_dtype(col):
            columns[j] = np.round(col.to_numpy(dtype=float), decimals) + 0.0
        else:
            columns[j] = _normalize_texts(col.to_numpy(dtype=object))
    frame = pd.DataFrame(columns)
    keys = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    return _groups_from_keys(keys)


def _messy_text(rng, text: str) -> str:
    """The same text typed again: another case, extra spaces, an invisible character."""
    words = text.split(" ")
    out = " ".join(w.upper() if rng.random() < 0.3 else w for w in words)
    if rng.random() < 0.5:
        out = out.replace(" ", "  \t", 1)
    if rng.random() < 0.5:
        out = " " + out + "   "
    if rng.random() < 0.5:
        out += str(rng.choice(_ZERO_WIDTH))
    return out


def _messy_table(rng) -> tuple[pd.DataFrame, int]:
    """A table whose rows are re-typed and re-exported copies of a few originals."""
    decimals = int(rng.integers(0, 4))
    unit = 10.0**-decimals
    n_orig, n = int(rng.integers(20, 200)), int(rng.integers(100, 800))
    words = np.array(["free", "iphone", "nice", "song", "check", "my", "channel", "love", "it"])
    texts = [" ".join(rng.choice(words, int(rng.integers(1, 5)))) for _ in range(n_orig)]
    price = rng.integers(-300, 300, n_orig) * unit  # on the rounding grid, some at 0
    count = rng.integers(0, 4, n_orig)
    src = rng.integers(0, n_orig, n)
    noise = rng.uniform(-0.2, 0.2, n) * unit * (rng.random(n) < 0.7)
    off_by_one = rng.random(n) < 0.05  # a real difference of one unit: not a duplicate
    table = pd.DataFrame(
        {
            "text": [_messy_text(rng, texts[i]) for i in src],
            "price": price[src] + noise + off_by_one * unit,
            "count": count[src],
        }
    )
    return table, decimals


def _q1_example(f, rng):
    table = pd.DataFrame(
        {
            "text": ["Nice song", "nice  SONG\ufeff", "nice song", " Nice song "],
            "price": [0.1 + 0.2, 0.3, 0.31, 0.30000001],
        }
    )
    _check_groups(
        f(table, 2), [np.array([0, 1, 3])], "find_messy_duplicates(table, 2) on the example"
    )


def _q1_rounding(f, rng):
    table = pd.DataFrame({"x": [1.004, 0.996, 1.0, 2.0, -0.001, 0.0], "n": [1, 1, 1, 1, 5, 5]})
    _check_groups(
        f(table, 2),
        [np.array([0, 1, 2]), np.array([4, 5])],
        "find_messy_duplicates on numbers that differ only below 2 decimals",
    )
    _check_groups(f(table, 3), [], "the same table with decimals=3 (no duplicates left)")


def _q1_none(f, rng):
    table = pd.DataFrame({"text": ["a", "b", "a b", "ab"], "x": [1.0, 1.0, 1.0, 1.0]})
    _check_groups(f(table, 2), [], "find_messy_duplicates when the texts really differ")


def _q1_hidden(f, rng):
    for _ in range(4):
        table, decimals = _messy_table(rng)
        _check_groups(
            f(table.copy(), decimals),
            _messy_reference(table, decimals),
            f"find_messy_duplicates on a {len(table)}-row table with decimals={decimals}",
        )


# --- Q2: near-duplicate groups with a union-find --------------------------------------------


def _components_reference(n: int, pairs: np.ndarray) -> list[np.ndarray]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return _groups_from_keys(connected_components(graph, directed=False)[1])


def _q2_chain(f, rng):
    pairs = np.array([[0, 1], [4, 3], [1, 2]])
    _check_groups(
        f(6, pairs), [np.array([0, 1, 2]), np.array([3, 4])], "components_from_pairs(6, pairs)"
    )


def _q2_messy_pairs(f, rng):
    pairs = np.array([[2, 2], [5, 1], [1, 5], [5, 1], [3, 0]])
    _check_groups(
        f(7, pairs),
        [np.array([0, 3]), np.array([1, 5])],
        "components_from_pairs with a self-pair and a repeated pair",
    )
    _check_groups(f(4, np.zeros((0, 2), dtype=int)), [], "components_from_pairs with no pair")


def _q2_long_chain(f, rng):
    n = 50_000
    order = rng.permutation(n)
    pairs = np.column_stack([order[:-1], order[1:]])  # one chain, rows in random positions
    for direction, chain in (("forward", pairs), ("backward", pairs[:, ::-1])):
        _check_groups(
            f(n, chain.copy()),
            [np.arange(n)],
            f"components_from_pairs on one chain of {n} rows ({direction}): a find that "
            "recurses can exceed Python's recursion limit, use a while loop",
        )


def _q2_hidden(f, rng):
    for _ in range(4):
        n = int(rng.integers(50, 5000))
        m = int(rng.integers(0, n))
        pairs = rng.integers(0, n, size=(m, 2))
        _check_groups(
            f(n, pairs.copy()),
            _components_reference(n, pairs),
            f"components_from_pairs on {n} rows and {m} random pairs",
        )


# --- Q3: a leak-free split ------------------------------------------------------------------


def _grouped_comments(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Comments in small clusters linked by a shared author or a re-typed shared text."""
    authors, texts = [], []
    cluster = 0
    while len(authors) < n:
        size = int(rng.integers(1, 6))
        names = [f"user{cluster}_{k}" for k in range(int(rng.integers(1, size + 1)))]
        n_messages = int(rng.integers(1, size + 1))
        for k in range(size):
            authors.append(names[k % len(names)])
            texts.append(_messy_text(rng, f"message {cluster} part {(k * 3) % n_messages}"))
        cluster += 1
    order = rng.permutation(len(authors))[:n]
    return np.array(authors, dtype=object)[order], np.array(texts, dtype=object)[order]


def _indices(value, what: str) -> np.ndarray:
    return assert_array(value, what, kind="iu").ravel()


def _check_split(f, authors, texts, test_size, what, *, tolerance=0.05):
    # sent as lists of str: the kernel's check that an answer left its array arguments
    # unchanged cannot compare arrays of strings
    n = len(authors)
    got = f(list(authors), list(texts), test_size, 0)
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise AssertionError(f"{what} should return a pair (train_indices, test_indices).")
    train = _indices(got[0], f"the training indices of {what}")
    test = _indices(got[1], f"the test indices of {what}")
    both = np.concatenate([train, test])
    if both.size != n or not np.array_equal(np.sort(both), np.arange(n)):
        raise AssertionError(
            f"{what}: every example must be in exactly one of the two splits (got {train.size} "
            f"training and {test.size} test indices for {n} examples)."
        )
    keys = _normalize_texts(np.asarray(texts, dtype=object))
    for name, values in (("author", np.asarray(authors, dtype=object)), ("normalised text", keys)):
        shared = set(values[train]) & set(values[test])
        if shared:
            raise AssertionError(
                f"{what}: {len(shared)} {name}(s) appear in both splits, e.g. "
                f"{sorted(shared)[0]!r}. Link comments that share an author OR a normalised "
                "text, and keep each linked group on one side."
            )
    share = test.size / n
    if abs(share - test_size) > tolerance:
        raise AssertionError(
            f"{what}: the test split holds {share:.3f} of the examples, asked for {test_size} "
            f"(± {tolerance}). Fill the test split group by group until it is large enough."
        )
    again = _indices(f(list(authors), list(texts), test_size, 0)[1], "the test indices")
    if not np.array_equal(np.sort(again), np.sort(test)):
        raise AssertionError(f"{what}: the same seed must give the same split.")
    other = _indices(f(list(authors), list(texts), test_size, 1)[1], "the test indices")
    if np.array_equal(np.sort(other), np.sort(test)):
        raise AssertionError(f"{what}: seeds 0 and 1 gave the same split; use the seed.")


def _q3_example(f, rng):
    authors = np.array(
        ["ann", "bob", "ann", "cy", "dee", "eve", "fay", "gus", "hal", "ivy"], dtype=object
    )
    texts = np.array(
        [
            "Hi",
            "Check my channel",
            "Great song",
            "check  MY channel\ufeff",
            "wow",
            "so good",
            "love it",
            "First!",
            "nice",
            "meh",
        ],
        dtype=object,
    )
    _check_split(f, authors, texts, 0.3, "leak_free_split on the 10-comment example", tolerance=0.1)


def _q3_public(f, rng):
    authors, texts = _grouped_comments(np.random.default_rng(6), 400)
    _check_split(f, authors, texts, 0.3, "leak_free_split on 400 linked comments")


def _q3_hidden(f, rng):
    for _ in range(3):
        n = int(rng.integers(300, 3000))
        authors, texts = _grouped_comments(rng, n)
        test_size = float(rng.choice([0.2, 0.3, 0.5]))
        _check_split(f, authors, texts, test_size, f"leak_free_split on {n} linked comments")


# --- Q4: balanced sample weights ------------------------------------------------------------


def _q4_example(f, rng):
    assert_close(
        f(np.array([0, 0, 0, 1])),
        np.array([2 / 3, 2 / 3, 2 / 3, 2.0]),
        "balanced_sample_weights([0, 0, 0, 1])",
    )


def _q4_gaps(f, rng):
    assert_close(
        f(np.array([7, 2, 2])),
        np.array([1.5, 0.75, 0.75]),
        "balanced_sample_weights([7, 2, 2]): only the classes present count",
    )


def _q4_balanced(f, rng):
    assert_close(f(np.arange(30) % 3), np.ones(30), "balanced_sample_weights of balanced labels")


def _q4_hidden(f, rng):
    from sklearn.utils.class_weight import compute_sample_weight

    for _ in range(6):
        k = int(rng.integers(2, 30))
        weights = rng.dirichlet(np.ones(k) * rng.uniform(0.3, 3))
        classes = np.sort(rng.choice(100, size=k, replace=False))  # labels with gaps
        labels = classes[rng.choice(k, size=int(rng.integers(50, 5000)), p=weights)]
        expected = compute_sample_weight("balanced", labels)
        assert_close(f(labels.copy()), expected, f"balanced_sample_weights with {k} classes")


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


LAB = Lab(
    id="06_data_quality_audit_lab",
    title="Lab 06: the data-quality audit",
    questions=[
        Question(
            "06.q1",
            "Duplicates that survive rounding and re-typing",
            2,
            "find_messy_duplicates",
            [
                Test("the example of the question", _q1_example),
                Test("numbers equal after rounding", _q1_rounding),
                Test("texts that really differ", _q1_none),
                Test("random re-typed tables", _q1_hidden, hidden=True),
            ],
            hint="build one normalised copy of the table first (round the numeric columns to "
            "`decimals`; lower-case the text columns, remove zero-width characters, collapse "
            "whitespace), then hash its rows: rows with the same key form a group. Tell the "
            "columns apart with pd.api.types.is_numeric_dtype: text columns may have the "
            "'str' dtype rather than object.",
            forbids=("dcai_course.quality.find_duplicates",),
        ),
        Question(
            "06.q2",
            "Near-duplicate groups with a union-find",
            3,
            "components_from_pairs",
            [
                Test("pairs chain transitively", _q2_chain),
                Test("self-pairs, repeated pairs and no pair", _q2_messy_pairs),
                Test("a chain of 50,000 rows", _q2_long_chain),
                Test("random pairs", _q2_hidden, hidden=True),
            ],
            hint="keep a parent array (every row its own parent at first); `find` follows "
            "parents to the root with a while loop (not recursion) and shortens the path; "
            "`union` points one root at the other. At the end, rows with the same root are "
            "one group.",
            forbids=(
                "dcai_course.quality.find_duplicates",
                "scipy.sparse.csgraph.connected_components",
            ),
        ),
        Question(
            "06.q3",
            "A leak-free split: by author and by text",
            3,
            "leak_free_split",
            [
                Test("a 10-comment example", _q3_example),
                Test("400 linked comments", _q3_public),
                Test("random linked comments", _q3_hidden, hidden=True),
            ],
            hint="two comments belong together when they share an author or a normalised text: "
            "make those pairs, take the groups with your union-find (singletons are groups "
            "too), shuffle the groups with the seed and move whole groups to the test split "
            "until it holds test_size of the examples.",
            forbids=("dcai_course.quality.find_duplicates", "dcai_course.quality.find_leakage"),
        ),
        Question(
            "06.q4",
            "Balanced sample weights",
            2,
            "balanced_sample_weights",
            [
                Test("a small example", _q4_example),
                Test("labels with gaps", _q4_gaps),
                Test("balanced labels give weight 1", _q4_balanced),
                Test("random label distributions", _q4_hidden, hidden=True),
            ],
            hint="each class present should carry the same total weight, n / K, where K counts "
            "the classes that occur in the labels (not labels.max() + 1).",
            forbids=(
                "dcai_course.quality.class_balance",
                "sklearn.utils.class_weight.compute_sample_weight",
                "sklearn.utils.class_weight.compute_class_weight",
            ),
        ),
        Question("06.q5", "Written: which test score to report", 2, manual=True),
        Question(
            "06.q6",
            "Clean a flawed training set: held-out accuracy 0.92",
            3,
            "clean_training_set",
            [
                Test("the training set of seed 0", _cleanup("06.q6", public_seeds)),
                Test("two fresh training sets", _cleanup("06.q6", hidden_seeds), hidden=True),
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
                Test("the training set of seed 0", _cleanup("06.q7", public_seeds)),
                Test("two fresh training sets", _cleanup("06.q7", hidden_seeds), hidden=True),
            ],
            hint="when the copies of an image disagree on its label, which of them can you "
            "trust? Compare keeping one copy, keeping the majority and dropping the group.",
            time_limit=120.0,
        ),
    ],
)
