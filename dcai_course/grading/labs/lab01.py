"""Lab 01: model-centric versus data-centric (noise injection, clean-versus-noisy)."""

from __future__ import annotations

import numpy as np

from ... import model_vs_data as ref
from ... import noise as ref_noise
from ..spec import Lab, Question, Test
from ..testing import (
    assert_array,
    assert_close,
    assert_equal_arrays,
    assert_keys,
    random_pred_probs,
)

# --- Q1: uniform_noise_matrix -------------------------------------------------------------


def _q1_small(f, rng):
    assert_close(f(3, 0.3), ref_noise.uniform_noise_matrix(3, 0.3), "uniform_noise_matrix(3, 0.3)")


def _q1_identity(f, rng):
    assert_close(f(4, 0.0), np.eye(4), "uniform_noise_matrix(4, 0.0)")


def _q1_rows(f, rng):
    m = assert_array(f(5, 0.25), "uniform_noise_matrix(5, 0.25)", shape=(5, 5), kind="fiu")
    assert_close(m.sum(axis=1), np.ones(5), "the row sums of uniform_noise_matrix(5, 0.25)")


def _q1_hidden(f, rng):
    for _ in range(5):
        k = int(rng.integers(2, 21))
        rate = float(rng.uniform(0, 1))
        assert_close(
            f(k, rate),
            ref_noise.uniform_noise_matrix(k, rate),
            f"uniform_noise_matrix({k}, {rate:.3f})",
        )


# --- Q2: inject_label_noise ---------------------------------------------------------------


def _call_inject(f, labels, matrix, seed):
    out = f(labels.copy(), matrix, seed)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError("inject_label_noise should return a tuple (noisy_labels, is_flipped).")
    noisy = assert_array(out[0], "noisy_labels", shape=labels.shape, kind="iu")
    flipped = assert_array(out[1], "is_flipped", shape=labels.shape, kind="b")
    assert_equal_arrays(
        flipped, noisy != labels, "is_flipped (it must equal noisy_labels != labels)"
    )
    return noisy, flipped


def _q2_identity(f, rng):
    labels = np.arange(300) % 3
    _, flipped = _call_inject(f, labels, np.eye(3), 0)
    if flipped.any():
        raise AssertionError(
            f"with the identity matrix nothing may flip, but {flipped.sum()} labels did."
        )


def _q2_rate(f, rng):
    labels = np.arange(30_000) % 3
    _, flipped = _call_inject(f, labels, ref_noise.uniform_noise_matrix(3, 0.3), 0)
    if abs(flipped.mean() - 0.3) > 0.02:
        raise AssertionError(
            f"with a 0.3 uniform noise matrix about 30% should flip, got {flipped.mean():.1%}."
        )


def _q2_seed(f, rng):
    labels = np.arange(1000) % 4
    matrix = ref_noise.uniform_noise_matrix(4, 0.5)
    a, _ = _call_inject(f, labels, matrix, 7)
    b, _ = _call_inject(f, labels, matrix, 7)
    c, _ = _call_inject(f, labels, matrix, 8)
    assert_equal_arrays(a, b, "two runs with the same seed")
    if np.array_equal(a, c):
        raise AssertionError(
            "different seeds gave identical noise: draw from np.random.default_rng(seed)."
        )


def _random_noise_matrix(rng, k):
    matrix = rng.dirichlet(np.ones(k), size=k) * rng.uniform(0.1, 0.6, size=(k, 1))
    matrix[np.arange(k), np.arange(k)] = 0
    # a structural zero per row, which must never be sampled
    zero_col = (np.arange(k) + 1) % k
    matrix[np.arange(k), zero_col] = 0
    np.fill_diagonal(matrix, 1 - matrix.sum(axis=1))
    return matrix


def _q2_hidden_matrix(f, rng):
    k = int(rng.integers(3, 9))
    matrix = _random_noise_matrix(rng, k)
    labels = rng.permutation(np.arange(60_000) % k)
    noisy, _ = _call_inject(f, labels, matrix, int(rng.integers(1_000_000)))
    achieved = ref_noise.empirical_noise_matrix(labels, noisy, k)
    zero = matrix == 0
    if (achieved[zero] > 0).any():
        raise AssertionError("some labels went to a class whose noise-matrix probability is 0.")
    worst = np.abs(achieved - matrix).max()
    if worst > 0.03:
        raise AssertionError(
            f"the achieved flip rates differ from noise_matrix by up to {worst:.3f}: row i of the "
            "matrix is the distribution of the observed label for true class i."
        )


def _q2_hidden_untouched(f, rng):
    labels = rng.integers(0, 5, size=500)
    original = labels.copy()
    f(labels, ref_noise.uniform_noise_matrix(5, 0.4), 1)
    assert_equal_arrays(labels, original, "the labels you were given (do not modify them in place)")


# --- Q3: compare_clean_vs_noisy -----------------------------------------------------------


def _q3_problem(rng, n_train=400):
    from sklearn.naive_bayes import GaussianNB

    from ...datasets import load_breast_cancer, load_digits

    X, y = (load_digits if rng.random() < 0.5 else load_breast_cancer)()
    order = rng.permutation(len(y))
    n_train = min(n_train, len(y) - 150)  # breast cancer has only 569 rows: keep a test split
    train, test = order[:n_train], order[n_train : n_train + 300]
    noisy, _ = ref_noise.inject_label_noise(
        y[train], noise_rate=float(rng.uniform(0.1, 0.5)), seed=rng
    )
    return GaussianNB(), X[train], y[train], noisy, X[test], y[test]


def _q3_keys(f, rng):
    args = _q3_problem(np.random.default_rng(0))
    assert_keys(f(*args), {"clean", "noisy", "drop"}, "compare_clean_vs_noisy(...)")


def _q3_values(f, rng):
    args = _q3_problem(np.random.default_rng(1))
    got, expected = f(*args), ref.compare_clean_vs_noisy(*args)
    assert_keys(got, set(expected), "the result")
    for key in expected:
        assert_close(got[key], expected[key], f"result[{key!r}]", atol=1e-9)


def _q3_hidden(f, rng):
    for _ in range(3):
        args = _q3_problem(rng, n_train=int(rng.integers(200, 600)))
        got, expected = f(*args), ref.compare_clean_vs_noisy(*args)
        assert_keys(got, set(expected), "the result")
        for key in expected:
            assert_close(got[key], expected[key], f"result[{key!r}]", atol=1e-9)


# --- Q4: confident_disagreements ----------------------------------------------------------


def _q4_example(f, rng):
    labels = np.array([0, 1, 1, 2])
    probs = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    expected = np.array([False, True, False, False])
    assert_equal_arrays(
        f(labels, probs, 0.6), expected, "confident_disagreements(labels, probs, 0.6)"
    )


def _q4_threshold_zero(f, rng):
    labels = np.array([0, 1, 1, 2])
    probs = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    expected = np.array([False, True, True, False])
    assert_equal_arrays(f(labels, probs, 0.0), expected, "with threshold 0 (every disagreement)")


def _q4_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(50, 500)), int(rng.integers(2, 12))
        probs = random_pred_probs(rng, n, k, concentration=0.5)
        labels = rng.integers(0, k, size=n)
        threshold = float(rng.uniform(0, 1))
        expected = ref.confident_disagreements(labels, probs, threshold)
        assert_equal_arrays(
            f(labels, probs, threshold), expected, f"the flags for threshold {threshold:.3f}"
        )


LAB = Lab(
    id="01_model_vs_data_centric_lab",
    title="Lab 01: model-centric versus data-centric",
    questions=[
        Question(
            "01.q1",
            "A uniform noise matrix",
            2,
            "uniform_noise_matrix",
            [
                Test("3 classes, rate 0.3", _q1_small),
                Test("rate 0 is the identity", _q1_identity),
                Test("rows sum to 1", _q1_rows),
                Test("random sizes and rates", _q1_hidden, hidden=True),
            ],
            hint="the diagonal is 1 - noise_rate; the rest of each row shares noise_rate equally.",
            forbids=("dcai_course.noise.uniform_noise_matrix",),
        ),
        Question(
            "01.q2",
            "Injecting noise from a noise matrix",
            3,
            "inject_label_noise",
            [
                Test("identity matrix flips nothing", _q2_identity),
                Test("30% uniform noise", _q2_rate),
                Test("same seed, same noise", _q2_seed),
                Test("random noise matrices", _q2_hidden_matrix, hidden=True),
                Test("labels are not modified in place", _q2_hidden_untouched, hidden=True),
            ],
            hint="for an example of true class i, draw its observed label from row i of the "
            "matrix; np.cumsum on the rows and one rng.random() per example do it without a loop.",
            forbids=(
                "dcai_course.noise.inject_label_noise",
                "cleanlab.benchmarking.noise_generation.generate_noisy_labels",
            ),
        ),
        Question(
            "01.q3",
            "Clean versus noisy training labels",
            2,
            "compare_clean_vs_noisy",
            [
                Test("returns clean, noisy and drop", _q3_keys),
                Test("matches the reference", _q3_values),
                Test("random problems", _q3_hidden, hidden=True),
            ],
            hint="fit a fresh clone of the model on each label set (sklearn.base.clone) and "
            "score both on the same clean test labels.",
            forbids=("dcai_course.model_vs_data.compare_clean_vs_noisy",),
        ),
        Question(
            "01.q4",
            "Flagging confident disagreements",
            2,
            "confident_disagreements",
            [
                Test("a small example", _q4_example),
                Test("threshold 0 flags every disagreement", _q4_threshold_zero),
                Test("random probabilities", _q4_hidden, hidden=True),
            ],
            hint="flag an example when argmax(pred_probs) != label and "
            "max(pred_probs) >= threshold.",
            forbids=("dcai_course.model_vs_data.confident_disagreements",),
        ),
        Question("01.q5", "Written: why the test split stays untouched", 2, manual=True),
    ],
)
