"""Lab 02: confident learning (thresholds, confident joint, pruning, ranking, evaluation).

Q7 ranks real label errors (published probabilities, judged against crowd verdicts:
CIFAR-10 in the public test, IMDB in the hidden ones). Q8 and Q9 are the open-ended
task: improve a noisy training set for a fixed model, scored on held-out data that only
the grader sees.
"""

from __future__ import annotations

import numpy as np

from ... import datasets, noise
from ... import label_errors as ref
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

# --- inputs -------------------------------------------------------------------------------

#: The worked example of notebook 02, section 4.
TOY_LABELS = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
TOY_PROBS = np.array(
    [
        [0.90, 0.05, 0.05],
        [0.70, 0.20, 0.10],
        [0.60, 0.35, 0.05],
        [0.10, 0.85, 0.05],
        [0.10, 0.80, 0.10],
        [0.30, 0.60, 0.10],
        [0.05, 0.15, 0.80],
        [0.10, 0.10, 0.80],
        [0.25, 0.15, 0.60],
        [0.40, 0.45, 0.15],
    ]
)

#: The last example reaches the thresholds of classes 1 and 2, while class 0, more probable,
#: does not reach its own (higher) threshold: the paper counts it as a 1, cleanlab as a 0.
TIE_LABELS = np.array([0, 0, 0, 1, 1, 2, 2, 2])
TIE_PROBS = np.array(
    [
        [0.98, 0.01, 0.01],
        [0.96, 0.02, 0.02],
        [0.90, 0.05, 0.05],
        [0.50, 0.45, 0.05],
        [0.80, 0.15, 0.05],
        [0.55, 0.05, 0.40],
        [0.75, 0.05, 0.20],
        [0.37, 0.32, 0.31],
    ]
)


def _well_separated(labels: np.ndarray, probs: np.ndarray) -> bool:
    """No probability within 1e-5 of its class threshold, no near-tie for the arg-max, and
    at least one confidently counted example per class: the package's small safeguards
    (a 1e-6 slack, a diagonal of at least 1) then change nothing."""
    thresholds = ref.per_class_thresholds(labels, probs)
    if (np.abs(probs - thresholds) < 1e-5).any():
        return False
    top_two = np.sort(probs, axis=1)[:, -2:]
    if (top_two[:, 1] - top_two[:, 0] < 1e-5).any():
        return False
    reaches = probs >= thresholds
    counted = np.where(reaches.any(axis=1), np.where(reaches, probs, -1).argmax(axis=1), -1)
    k = probs.shape[1]
    return all(((labels == c) & (counted == c)).any() for c in range(k))


def _problem(rng: np.random.Generator, *, weak: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Given labels and probabilities of a model that favours the true class; 25% noise.

    ``weak=True`` gives a poor, many-class model whose thresholds are low, where examples
    often pass several thresholds (so the tie-break rule matters).
    """
    while True:
        n = int(rng.integers(150, 600))
        k = int(rng.integers(5, 12)) if weak else int(rng.integers(2, 9))
        true = rng.permutation(np.arange(n) % k)
        logits = rng.normal(size=(n, k)) * (1.5 if weak else 1.0)
        logits[np.arange(n), true] += 0.8 if weak else float(rng.uniform(1.5, 3.0))
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        given = np.where(rng.random(n) < 0.25, rng.integers(0, k, size=n), true)
        if np.bincount(given, minlength=k).min() >= 2 and _well_separated(given, probs):
            return given, probs


# --- Q1: per_class_thresholds -------------------------------------------------------------


def _q1_toy(f, rng):
    expected = ref.per_class_thresholds(TOY_LABELS, TOY_PROBS)
    got = assert_array(f(TOY_LABELS, TOY_PROBS), "per_class_thresholds(toy)", shape=(3,))
    assert_close(got, expected, "the thresholds of the notebook's ten examples")


def _q1_one_hot(f, rng):
    labels = np.array([0, 1, 1, 2])
    probs = np.eye(3)[[0, 1, 2, 2]]
    assert_close(f(labels, probs), [1.0, 0.5, 1.0], "thresholds when one class-1 example is a 2")


def _q1_hidden(f, rng):
    for _ in range(4):
        labels, probs = _problem(rng)
        expected = ref.per_class_thresholds(labels, probs)
        assert_close(f(labels.copy(), probs.copy()), expected, "the thresholds", atol=1e-9)


# --- Q2: confident_joint ------------------------------------------------------------------


def _q2_toy(f, rng):
    expected = np.array([[3, 1, 0], [0, 2, 1], [0, 0, 2]])
    got = assert_array(f(TOY_LABELS, TOY_PROBS), "confident_joint(toy)", shape=(3, 3), kind="iu")
    assert_equal_arrays(got, expected, "the confident joint of the notebook's ten examples")


def _q2_tiebreak(f, rng):
    expected = ref.confident_joint(TIE_LABELS, TIE_PROBS)
    got = assert_array(f(TIE_LABELS, TIE_PROBS), "confident_joint", shape=(3, 3), kind="iu")
    if got[2, 0] == expected[2, 0] + 1 and got[2, 1] == expected[2, 1] - 1:
        raise AssertionError(
            "the last example reaches the thresholds of classes 1 and 2 but not of class 0: "
            "count it under the most probable of the classes it reaches (1), not under "
            "the most probable class overall (0)."
        )
    assert_equal_arrays(got, expected, "the confident joint when an example reaches two classes")


def _q2_hidden(f, rng):
    for weak in (False, False, True, True):
        labels, probs = _problem(rng, weak=weak)
        expected = ref.confident_joint(labels, probs)
        k = probs.shape[1]
        got = assert_array(f(labels.copy(), probs.copy()), "confident_joint", shape=(k, k))
        assert_equal_arrays(got, expected, f"the confident joint ({k} classes)")


# --- Q3: prune_by_noise_rate --------------------------------------------------------------


def _q3_case(f, labels, probs, what):
    calibrated = ref.confident_joint(labels, probs, calibrate=True)
    expected = ref.find_label_issues(labels, probs, filter_by="prune_by_noise_rate")
    got = assert_array(
        f(labels.copy(), probs.copy(), calibrated.copy()), what, shape=labels.shape, kind="b"
    )
    assert_equal_arrays(got, expected, what)


def _q3_toy(f, rng):
    calibrated = ref.confident_joint(TOY_LABELS, TOY_PROBS, calibrate=True)
    got = assert_array(
        f(TOY_LABELS, TOY_PROBS, calibrated), "prune_by_noise_rate(toy)", shape=(10,), kind="b"
    )
    expected = np.zeros(10, dtype=bool)
    expected[[3, 6]] = True
    assert_equal_arrays(got, expected, "the flags of the notebook's ten examples (3 and 6)")


def _q3_public(f, rng):
    labels, probs = _problem(np.random.default_rng(2))
    _q3_case(f, labels, probs, "the flags of a random problem")


def _q3_hidden(f, rng):
    for _ in range(4):
        labels, probs = _problem(rng)
        _q3_case(f, labels, probs, f"the flags ({probs.shape[1]} classes, {len(labels)} examples)")


# --- Q4: rank_by_self_confidence ----------------------------------------------------------


def _q4_small(f, rng):
    labels = np.array([0, 1, 1, 0])
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])
    mask = np.array([True, True, False, True])
    got = assert_array(f(labels, probs, mask), "rank_by_self_confidence", shape=(3,), kind="iu")
    assert_equal_arrays(got, np.array([1, 3, 0]), "the ranking (self-confidences 0.9, 0.2, 0.3)")


def _q4_hidden(f, rng):
    for _ in range(4):
        labels, probs = _problem(rng)
        mask = rng.random(len(labels)) < 0.3
        expected = ref.rank_label_issues(labels, probs, mask=mask)
        got = assert_array(f(labels, probs, mask), "rank_by_self_confidence", shape=expected.shape)
        assert_equal_arrays(got, expected, "the ranking")


# --- Q5: precision_recall -----------------------------------------------------------------


def _call_pr(f, flags, truth, what):
    out = f(flags, truth)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError("precision_recall should return a tuple (precision, recall).")
    expected = ref.detection_scores(flags, truth)
    assert_close(out[0], expected["precision"], f"the precision {what}", atol=1e-12)
    assert_close(out[1], expected["recall"], f"the recall {what}", atol=1e-12)


def _q5_small(f, rng):
    flags = np.array([True, True, True, False, False])
    truth = np.array([True, False, True, True, False])
    _call_pr(f, flags, truth, "of 3 flags, 2 right, out of 3 errors")


def _q5_nothing_flagged(f, rng):
    _call_pr(f, np.zeros(4, dtype=bool), np.array([True, False, False, False]), "with no flag")


def _q5_hidden(f, rng):
    for _ in range(5):
        n = int(rng.integers(20, 500))
        _call_pr(f, rng.random(n) < 0.3, rng.random(n) < 0.2, "of random flags")
    _call_pr(f, rng.random(50) < 0.5, np.zeros(50, dtype=bool), "with no error to find")


# --- Q7: ranking real label errors ---------------------------------------------------------


def _crowd_precision(f, name: str, ks: tuple[int, ...], thresholds: tuple[float, ...]):
    labels, probs, verdicts = datasets.load_label_errors(name)
    n = labels.size
    got = assert_array(f(labels.copy(), probs.copy()), f"your ranking of {name}", kind="iu")
    if got.ndim != 1 or got.size < max(ks):
        raise AssertionError(
            f"the ranking should be a 1-D array of at least {max(ks)} row indices, "
            f"got shape {got.shape}."
        )
    if got.min() < 0 or got.max() >= n or np.unique(got).size != got.size:
        raise AssertionError(f"the ranking should hold distinct row indices in 0..{n - 1}.")
    table = ref.crowd_precision_at_k(got, verdicts, ks=ks)
    for k, needed in zip(ks, thresholds, strict=True):
        precision = table.loc[k, "precision (unreviewed = correct)"]
        if precision < needed:
            raise AssertionError(
                f"on {name}, {table.loc[k, 'confirmed']} of your first {k} examples are "
                f"crowd-confirmed label errors (precision {precision:.2f}); at least "
                f"{needed:.2f} is needed. Put first the examples whose given label the "
                "model finds least likely compared with its best alternative."
            )


def _q7_cifar10(f, rng):
    _crowd_precision(f, "cifar10", (100,), (0.20,))


def _q7_imdb(f, rng):
    _crowd_precision(f, "imdb", (100, 500), (0.60, 0.50))


# --- Q8 and Q9: improve a noisy training set for a fixed model -----------------------------

#: Accuracy gain over training on the given labels (mean of the problems), per tier.
GAIN_TIER_1 = 0.01
GAIN_TIER_2 = 0.025
_PROBLEMS_PER_TEST = 3


def fixed_model():
    """The model of Q8-Q9: standardised pixels, logistic regression with ``C=0.05``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000))


def noisy_digits_problem(seed: int):
    """Digits split 70/30 (``random_state=seed``); 30% class-pair noise in the training
    labels between four random pairs of digits. Returns ``X_train, noisy_labels, X_test,
    y_test``; the learner only ever sees the first two."""
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(seed)
    X, y = datasets.load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    digits = rng.permutation(10)
    pairs = [(int(digits[2 * i]), int(digits[2 * i + 1])) for i in range(4)]
    matrix = noise.class_pair_noise_matrix(10, pairs, 0.3)
    noisy, _ = noise.inject_label_noise(y_train, matrix, seed=seed)
    return X_train, noisy, X_test, y_test


def _check_improved(out, X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not (isinstance(out, tuple | list) and len(out) == 2):
        raise AssertionError("improve_training_set should return a tuple (X_new, y_new).")
    X_new = assert_array(out[0], "X_new", kind="fiu")
    y_new = assert_array(out[1], "y_new", kind="iu")
    if X_new.ndim != 2 or X_new.shape[1] != X_train.shape[1]:
        raise AssertionError(f"X_new should have {X_train.shape[1]} columns, got {X_new.shape}.")
    if y_new.shape != (X_new.shape[0],):
        raise AssertionError("y_new should hold one label per row of X_new.")
    if not 0 < X_new.shape[0] <= X_train.shape[0]:
        raise AssertionError(
            f"X_new should have between 1 and {X_train.shape[0]} rows (no more than given)."
        )
    if y_new.min() < 0 or y_new.max() > 9:
        raise AssertionError("y_new should hold digit labels 0..9.")
    given = {row.tobytes() for row in np.ascontiguousarray(X_train, dtype=float)}
    rows = np.ascontiguousarray(X_new, dtype=float)
    if any(row.tobytes() not in given for row in rows):
        raise AssertionError("every row of X_new should be a row of X_train (no new examples).")
    return X_new, y_new


def _mean_gain(f, seeds) -> tuple[float, float, float]:
    gains, before, after = [], [], []
    for seed in seeds:
        X_train, noisy, X_test, y_test = noisy_digits_problem(int(seed))
        X_new, y_new = _check_improved(f(X_train.copy(), noisy.copy()), X_train)
        base = fixed_model().fit(X_train, noisy).score(X_test, y_test)
        score = fixed_model().fit(X_new, y_new).score(X_test, y_test)
        gains.append(score - base)
        before.append(base)
        after.append(score)
    return float(np.mean(gains)), float(np.mean(before)), float(np.mean(after))


def _tier(f, seeds, needed: float):
    gain, before, after = _mean_gain(f, seeds)
    if gain < needed:
        raise AssertionError(
            f"the fixed model scores {after:.3f} on held-out data when trained on your set, "
            f"against {before:.3f} on the given labels: a gain of {gain:+.3f}, and at least "
            f"{needed:+.3f} is needed."
        )


def _q8_public(f, rng):
    _tier(f, [20260], GAIN_TIER_1)


def _q8_hidden(f, rng):
    _tier(f, rng.integers(0, 2**31, size=_PROBLEMS_PER_TEST), GAIN_TIER_1)


def _q9_public(f, rng):
    _tier(f, [20261], GAIN_TIER_2)


def _q9_hidden(f, rng):
    _tier(f, rng.integers(0, 2**31, size=_PROBLEMS_PER_TEST), GAIN_TIER_2)


LAB = Lab(
    id="02_confident_learning_lab",
    title="Lab 02: confident learning",
    questions=[
        Question(
            "02.q1",
            "Per-class thresholds",
            2,
            "per_class_thresholds",
            [
                Test("the notebook's ten examples", _q1_toy),
                Test("one-hot probabilities", _q1_one_hot),
                Test("random problems", _q1_hidden, hidden=True),
            ],
            hint="the threshold of class k only looks at the examples labelled k.",
        ),
        Question(
            "02.q2",
            "The confident joint",
            3,
            "confident_joint",
            [
                Test("the notebook's ten examples", _q2_toy),
                Test("an example that reaches two classes", _q2_tiebreak),
                Test("random problems, strong and weak models", _q2_hidden, hidden=True),
            ],
            hint="an example counts once at most, in the row of its given label and the "
            "column of the most probable class among those whose threshold it reaches.",
        ),
        Question(
            "02.q3",
            "Pruning by noise rate",
            3,
            "prune_by_noise_rate",
            [
                Test("the notebook's ten examples", _q3_toy),
                Test("a random problem", _q3_public),
                Test("random problems", _q3_hidden, hidden=True),
            ],
            hint="each off-diagonal cell (k, j) says how many examples labelled k to flag; "
            "pick those that look most like a j rather than a k, and never flag an example "
            "the model predicts as its given label.",
        ),
        Question(
            "02.q4",
            "Ranking by self-confidence",
            1,
            "rank_by_self_confidence",
            [
                Test("a small example", _q4_small),
                Test("random problems", _q4_hidden, hidden=True),
            ],
            hint="return positions in the whole data set, not positions among the masked "
            "examples; the least confident first.",
        ),
        Question(
            "02.q5",
            "Precision and recall of a detector",
            1,
            "precision_recall",
            [
                Test("a small example", _q5_small),
                Test("nothing flagged", _q5_nothing_flagged),
                Test("random flags", _q5_hidden, hidden=True),
            ],
            hint="both ratios share a numerator; mind the cases with nothing flagged or "
            "nothing to find.",
        ),
        Question("02.q6", "Written: which detector would you use?", 2, manual=True),
        Question(
            "02.q7",
            "Ranking real label errors",
            2,
            "rank_suspicious",
            [
                Test("CIFAR-10: precision >= 0.20 among the first 100", _q7_cifar10),
                Test(
                    "IMDB: precision >= 0.60 among the first 100, >= 0.50 among 500",
                    _q7_imdb,
                    hidden=True,
                ),
            ],
            hint="score every example by how much the model prefers another class over "
            "the given one; rank all examples, not only those flagged.",
        ),
        Question(
            "02.q8",
            "Improve the training set: a first gain",
            2,
            "improve_training_set",
            [
                Test("one noisy problem: gain >= 0.01", _q8_public),
                Test("three new noisy problems: mean gain >= 0.01", _q8_hidden, hidden=True),
            ],
            hint="the labels are noisy, the model is fixed: find the examples whose label "
            "the model, trained without them, doubts most, then remove or relabel them.",
            time_limit=120.0,
        ),
        Question(
            "02.q9",
            "Improve the training set: a larger gain",
            2,
            "improve_training_set",
            [
                Test("one noisy problem: gain >= 0.025", _q9_public),
                Test("three new noisy problems: mean gain >= 0.025", _q9_hidden, hidden=True),
            ],
            hint="remove only as many examples as the noise is estimated to hold, the most "
            "suspicious first; check the gain on your validation split, over several seeds.",
            time_limit=120.0,
        ),
    ],
)
