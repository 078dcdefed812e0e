"""Lab 02: confident learning (thresholds, confident joint, pruning, ranking, evaluation)."""

from __future__ import annotations

import numpy as np

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
            hint="for each class k, average pred_probs[labels == k, k].",
            forbids=("dcai_course.label_errors.per_class_thresholds",),
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
            hint="reaches = pred_probs >= thresholds; count an example under "
            "np.where(reaches, pred_probs, -1).argmax(axis=1), only if reaches.any(axis=1); "
            "rows are the given labels.",
            forbids=(
                "dcai_course.label_errors.confident_joint",
                "cleanlab.count.compute_confident_joint",
            ),
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
            hint="for given class k and true class j != k, take the calibrated_joint[k, j] "
            "examples labelled k with the largest pred_probs[:, j] - pred_probs[:, k]; at "
            "the end unflag the examples whose arg-max is their label.",
            forbids=(
                "dcai_course.label_errors.find_label_issues",
                "cleanlab.filter.find_label_issues",
            ),
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
            hint="idx = np.flatnonzero(mask); sort idx by pred_probs[idx, labels[idx]], "
            "smallest first.",
            forbids=(
                "dcai_course.label_errors.rank_label_issues",
                "cleanlab.rank.order_label_issues",
            ),
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
            hint="precision = (flags & truth).sum() / flags.sum(); recall divides by "
            "truth.sum(); return 0.0 when the denominator is 0.",
            forbids=(
                "dcai_course.label_errors.detection_scores",
                "dcai_course.quality.precision_recall",
            ),
        ),
        Question("02.q6", "Written: which detector would you use?", 2, manual=True),
    ],
)
