"""Lab 12: data augmentation and synthetic data (MixUp, SMOTE, augment to a target)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ... import augmentation as ref
from ..open_ended import hidden_seeds, public_seeds, require_accuracy
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

# --- Q1: MixUp ------------------------------------------------------------------------------


def _call_mixup(f, X, Y, alpha, seed, what):
    got = f(X.copy(), Y.copy(), alpha, seed)
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise AssertionError(f"{what} should return a pair (X_mixed, targets_mixed).")
    X_m = assert_array(got[0], f"{what}: X_mixed", shape=X.shape, kind="f")
    Y_m = assert_array(got[1], f"{what}: targets_mixed", shape=Y.shape, kind="f")
    return X_m, Y_m


def _q1_check(f, X, Y, alpha, seed, what):
    X_m, Y_m = _call_mixup(f, X, Y, alpha, seed, what)
    X_ref, Y_ref = ref.mixup(X, Y, alpha, seed=seed)
    assert_close(Y_m, Y_ref, f"{what}: the mixed labels (same draws: lam first, then perm)")
    assert_close(X_m, X_ref, f"{what}: the mixed examples")


def _q1_example(f, rng):
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]])
    Y = np.eye(3)
    _q1_check(f, X, Y, 0.4, 0, "mixup(3 points, one_hot, alpha=0.4, seed=0)")


def _q1_rows_sum(f, rng):
    X = np.random.default_rng(3).random((6, 4, 4))
    Y = ref.one_hot(np.arange(6) % 3, 3)
    _, Y_m = _call_mixup(f, X, Y, 1.0, 7, "mixup on images")
    assert_close(Y_m.sum(axis=1), np.ones(6), "each mixed label row sums to 1")
    _q1_check(f, X, Y, 1.0, 7, "mixup on a batch of 4×4 images")


def _q1_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(2, 200)), int(rng.integers(2, 11))
        shape = (n, int(rng.integers(1, 30))) if rng.random() < 0.5 else (n, 8, 8)
        X = rng.normal(size=shape)
        Y = ref.one_hot(rng.integers(0, k, n), k)
        alpha = float(rng.uniform(0.1, 3.0))
        _q1_check(f, X, Y, alpha, int(rng.integers(10_000)), f"mixup on shape {shape}")


# --- Q2: SMOTE ------------------------------------------------------------------------------


def _call_smote(f, X, y, k, seed, what):
    got = f(X.copy(), y.copy(), k, seed)
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise AssertionError(f"{what} should return a pair (X_resampled, y_resampled).")
    y_r = assert_array(got[1], f"{what}: y_resampled", kind="iu")
    X_r = assert_array(got[0], f"{what}: X_resampled", shape=(y_r.size, X.shape[1]), kind="f")
    return X_r, y_r


def _q2_check(f, X, y, k, seed, what):
    X_r, y_r = _call_smote(f, X, y, k, seed, what)
    X_ref, y_ref = ref.smote(X, y, k, seed=seed)
    if np.bincount(y_r).tolist() != np.bincount(y_ref).tolist():
        raise AssertionError(
            f"{what}: class counts after SMOTE should be {np.bincount(y_ref).tolist()}, got "
            f"{np.bincount(y_r).tolist()} (every class up to the largest one)."
        )
    assert_equal_arrays(y_r, y_ref, f"{what}: y_resampled (originals first, then class by class)")
    assert_close(X_r[: len(y)], X, f"{what}: the original rows, unchanged and first")
    assert_close(X_r, X_ref, f"{what}: the synthetic rows (same draws, in the stated order)")


def _q2_example(f, rng):
    X = np.array([[0.0, 0], [1, 0], [0, 1], [5, 5], [6, 5], [5, 6], [6, 6], [5.5, 5.5]])
    y = np.array([0, 0, 0, 1, 1, 1, 1, 1])
    _q2_check(f, X, y, 2, 0, "smote(8 points, k_neighbors=2, seed=0)")


def _q2_three_classes(f, rng):
    r = np.random.default_rng(5)
    X = np.r_[r.normal(0, 1, (30, 3)), r.normal(3, 1, (8, 3)), r.normal(-3, 1, (12, 3))]
    y = np.repeat([0, 1, 2], [30, 8, 12])
    _q2_check(f, X, y, 5, 1, "smote with three classes (30, 8, 12 examples)")


def _q2_hidden(f, rng):
    for _ in range(4):
        k_cls = int(rng.integers(2, 5))
        counts = rng.integers(8, 120, size=k_cls)
        y = np.repeat(np.arange(k_cls), counts)
        X = rng.normal(size=(y.size, int(rng.integers(2, 12)))) + y[:, None]
        order = rng.permutation(y.size)
        k = int(rng.integers(1, 7))
        _q2_check(f, X[order], y[order], k, int(rng.integers(10_000)), f"smote, counts {counts}")


# --- Q4: augment a small training set (open-ended) ------------------------------------------

#: The task of Q4, as stated in the lab.
N_LABELLED, N_HELD_OUT = 200, 2000
#: Most rows the learner may return, as a multiple of the rows given.
MAX_FACTOR = 20
#: Gain in held-out accuracy of the fixed model that Q4 asks for. Measured over 8 draws:
#: the set as given scores 0.77 to 0.82; 16 augmented copies (±15°, ±1 px) gain 0.049 to
#: 0.079.
MIN_GAIN = 0.035


def fixed_model():
    """The fixed model of Q4: 1-nearest neighbour on the 784 pixels (scaled to 0..1)."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=1)


@lru_cache(maxsize=1)
def _mnist():
    from ...datasets import load_mnist

    images, digits = load_mnist("test")
    return images.astype(np.float32) / 255, digits


def small_mnist(seed: int):
    """``(X_train, y_train, X_held_out, y_held_out)``: 200 labelled MNIST images and 2,000 others.

    Both parts are drawn without overlap from the MNIST test set with ``seed``; the
    grader draws its own seeds and keeps the held-out part to itself.
    """
    images, digits = _mnist()
    order = np.random.default_rng(seed).permutation(len(digits))
    train, held_out = order[:N_LABELLED], order[N_LABELLED : N_LABELLED + N_HELD_OUT]
    return images[train], digits[train], images[held_out], digits[held_out]


def held_out_gain(X, y, X_new, y_new, X_test, y_test) -> tuple[float, float]:
    """The fixed model's held-out accuracy on the given set and on the returned one."""
    flat = lambda a: np.asarray(a, dtype=np.float32).reshape(len(a), -1)  # noqa: E731
    base = fixed_model().fit(flat(X), y).score(flat(X_test), y_test)
    new = fixed_model().fit(flat(X_new), y_new).score(flat(X_test), y_test)
    return float(base), float(new)


def _check_training_set(got, X, y):
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise AssertionError("augment_training_set should return a pair (X_new, y_new).")
    y_new = assert_array(got[1], "y_new", kind="iu")
    if y_new.ndim != 1 or y_new.size < len(y):
        raise AssertionError(f"y_new should be 1-D with at least the {len(y)} given examples.")
    X_new = assert_array(got[0], "X_new", shape=(y_new.size, *X.shape[1:]), kind="f")
    if y_new.size > MAX_FACTOR * len(y):
        raise AssertionError(
            f"{y_new.size} rows returned; at most {MAX_FACTOR} × {len(y)} = "
            f"{MAX_FACTOR * len(y)} are allowed."
        )
    if not np.isfinite(X_new).all():
        raise AssertionError("X_new contains NaN or infinite pixels.")
    if not np.isin(y_new, np.unique(y)).all():
        raise AssertionError("y_new uses a class that the given labels never use.")
    return X_new, y_new


def _augment_test(seeds):
    def test(f, rng):
        for seed in seeds(rng):
            X, y, X_test, y_test = small_mnist(seed)
            X_new, y_new = _check_training_set(f(X.copy(), y.copy()), X, y)
            base, new = held_out_gain(X, y, X_new, y_new, X_test, y_test)
            require_accuracy(
                new, base + MIN_GAIN, f"the 200 images of seed {seed} (as given {base:.3f})"
            )

    return test


LAB = Lab(
    id="12_augmentation_and_synthetic_data_lab",
    title="Lab 12: data augmentation and synthetic data",
    questions=[
        Question(
            "12.q1",
            "MixUp",
            3,
            "mixup",
            [
                Test("three points", _q1_example),
                Test("a batch of images; label rows sum to 1", _q1_rows_sum),
                Test("random shapes, classes and alphas", _q1_hidden, hidden=True),
            ],
            hint="rng = np.random.default_rng(seed); lam = rng.beta(alpha, alpha, n) first, "
            "then perm = rng.permutation(n); reshape lam to (n, 1, ...) to broadcast over the "
            "example's dimensions, and mix the targets with the same lam and perm.",
            forbids=("dcai_course.augmentation.mixup", "dcai_course.augmentation.images.mixup"),
        ),
        Question(
            "12.q2",
            "SMOTE",
            4,
            "smote",
            [
                Test("two classes", _q2_example),
                Test("three classes", _q2_three_classes),
                Test("random data sets", _q2_hidden, hidden=True),
            ],
            hint="for each class in increasing order (skip the largest): neighbours from "
            "NearestNeighbors(n_neighbors=k + 1) fitted on that class's rows, dropping column "
            "0 (the row itself); then base = rng.integers(0, m, n_new), "
            "partner = neighbours[base, rng.integers(0, k, n_new)], step = rng.random((n_new, 1)), "
            "in that order, from one rng for the whole call.",
            forbids=(
                "dcai_course.augmentation.smote",
                "dcai_course.augmentation.tabular.smote",
                "imblearn.over_sampling.SMOTE._fit_resample",
            ),
        ),
        Question("12.q3", "Written: which transforms keep the label", 2, manual=True),
        Question(
            "12.q4",
            f"Augment 200 images: held-out accuracy +{MIN_GAIN}",
            4,
            "augment_training_set",
            [
                Test("the 200 images of seed 0", _augment_test(public_seeds)),
                Test("two fresh sets of 200 images", _augment_test(hidden_seeds), hidden=True),
            ],
            hint="the fixed 1-nearest-neighbour model compares raw pixels, so a digit drawn a "
            "little rotated or shifted has no close neighbour; add transformed copies of every "
            "image, keeping its label, and compare strengths and numbers of copies on the "
            "validation images. Flips change the digit.",
            time_limit=120.0,
            forbids=("dcai_course.datasets.load_mnist", "dcai_course.datasets.images.load_mnist"),
        ),
    ],
)
