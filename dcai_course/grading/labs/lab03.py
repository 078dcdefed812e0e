"""Lab 03: learning with noisy labels (forward correction, small-loss selection, a plan)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from ... import noisy_training as ref
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

#: The open-ended task (Q3): the data, the noise and the fixed network, as stated in the lab.
TASK_SEED = 2024
N_TRAIN, N_VALID = 3000, 2000
TASK_PAIRS = [(1, 7), (3, 8), (4, 9), (5, 6), (0, 2)]
TASK_NOISE = 0.35
RECIPE = {"hidden": 64, "epochs": 25, "batch_size": 500, "lr": 5e-3, "seed": 0}
#: The accuracy Q3 asks for, on the validation part (public) and the test part (hidden).
MIN_ACCURACY = 0.83
PLAN_KEYS = {"keep", "loss", "loss_params", "small_loss", "forget_rate"}


def _random_noise_matrix(rng: np.random.Generator, k: int) -> np.ndarray:
    """Rows sum to 1, a strong diagonal, and some exact zeros off the diagonal."""
    matrix = rng.dirichlet(np.ones(k), size=k) * (rng.random((k, k)) < 0.6)
    matrix *= rng.uniform(0.1, 0.5, size=(k, 1)) / np.maximum(matrix.sum(1, keepdims=True), 1e-12)
    np.fill_diagonal(matrix, 0)
    np.fill_diagonal(matrix, 1 - matrix.sum(axis=1))
    return matrix


def _expected_forward(logits, labels, matrix) -> np.ndarray:
    out = ref.forward_corrected_loss(
        torch.as_tensor(logits), torch.as_tensor(labels), matrix, reduction="none"
    )
    return out.numpy()


# --- Q1: forward_corrected_loss -----------------------------------------------------------

_Q1_LOGITS = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_Q1_LABELS = np.array([0, 0, 1])
_Q1_T = np.array([[0.8, 0.2], [0.3, 0.7]])


def _call_forward(f, logits, labels, matrix, what):
    got = f(logits.copy(), labels.copy(), matrix.copy())
    return assert_array(got, what, shape=labels.shape, kind="f")


def _q1_example(f, rng):
    got = _call_forward(f, _Q1_LOGITS, _Q1_LABELS, _Q1_T, "forward_corrected_loss(example)")
    expected = _expected_forward(_Q1_LOGITS, _Q1_LABELS, _Q1_T)
    assert_close(got, expected, "the losses of the three examples (one loss per example)")


def _q1_identity(f, rng):
    logits = np.random.default_rng(1).normal(size=(20, 5))
    labels = np.arange(20) % 5
    got = _call_forward(f, logits, labels, np.eye(5), "forward_corrected_loss with T = I")
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert_close(got, -log_p[np.arange(20), labels], "with the identity matrix (plain CE)")


def _q1_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(1, 200)), int(rng.integers(2, 11))
        logits = rng.normal(size=(n, k)) * rng.uniform(0.5, 5)
        labels = rng.integers(0, k, size=n)
        matrix = _random_noise_matrix(rng, k)
        got = _call_forward(f, logits, labels, matrix, f"forward_corrected_loss ({n}×{k})")
        expected = _expected_forward(logits, labels, matrix)
        assert_close(got, expected, f"the losses for a random {k}-class noise matrix", atol=1e-6)


# --- Q2: small_loss_selection -------------------------------------------------------------


def _call_select(f, losses, rate, what):
    got = f(losses.copy(), rate)
    return assert_array(got, what, shape=losses.shape, kind="b")


def _expected_select(losses, rate) -> np.ndarray:
    return ref.small_loss_selection(torch.as_tensor(losses), rate).numpy()


def _q2_example(f, rng):
    losses = np.array([0.2, 2.9, 0.4, 0.1, 1.7, 0.3, 0.2, 3.5])
    got = _call_select(f, losses, 0.25, "small_loss_selection(example, 0.25)")
    assert_equal_arrays(got, losses < 2.0, "the kept examples (drop the 2 largest losses)")


def _q2_ties_and_zero(f, rng):
    losses = np.array([1.0, 0.5, 1.0, 1.0, 0.5])
    got = _call_select(f, losses, 0.4, "small_loss_selection with ties")
    expected = np.array([True, True, False, False, True])
    assert_equal_arrays(got, expected, "with tied losses (the earlier example is kept)")
    got = _call_select(f, losses, 0.0, "small_loss_selection(losses, 0.0)")
    assert_equal_arrays(got, np.ones(5, dtype=bool), "with forget_rate 0 (keep everything)")


def _q2_hidden(f, rng):
    for _ in range(6):
        n = int(rng.integers(1, 500))
        losses = np.round(rng.exponential(size=n), int(rng.integers(1, 4)))  # ties
        rate = float(rng.uniform(0, 0.95))
        got = _call_select(f, losses, rate, f"small_loss_selection ({n} losses)")
        expected = _expected_select(losses, rate)
        assert_equal_arrays(got, expected, f"the kept examples for forget_rate {rate:.3f}")


# --- Q3: my_training_plan -----------------------------------------------------------------


@lru_cache(maxsize=1)
def task() -> dict[str, np.ndarray]:
    """The lab's data: noisy training labels, and the clean validation and test parts."""
    from ...datasets import load_mnist
    from ...noise import class_pair_noise_matrix, inject_label_noise

    images, digits = load_mnist(split="test")
    X = ref.downsample_images(images)
    rng = np.random.default_rng(TASK_SEED)
    order = rng.permutation(len(digits))
    train, valid = order[:N_TRAIN], order[N_TRAIN : N_TRAIN + N_VALID]
    test = order[N_TRAIN + N_VALID :]
    matrix = class_pair_noise_matrix(10, TASK_PAIRS, TASK_NOISE)
    noisy, _ = inject_label_noise(digits[train], matrix, seed=rng)
    return {"X_train": X[train], "noisy_train": noisy, "X_valid": X[valid],
            "y_valid": digits[valid], "X_test": X[test], "y_test": digits[test]}  # fmt: skip


def _check_plan(plan) -> dict:
    if not hasattr(plan, "keys"):
        raise AssertionError(f"my_training_plan should return a dict, got {type(plan).__name__}.")
    unknown = set(plan) - PLAN_KEYS
    if unknown or "keep" not in plan:
        raise AssertionError(
            f"the plan needs the key 'keep' and may have {sorted(PLAN_KEYS - {'keep'})}; "
            f"got {sorted(plan)}."
        )
    keep = assert_array(plan["keep"], "plan['keep']", shape=(N_TRAIN,), kind="b")
    if keep.sum() < 500:
        raise AssertionError(f"plan['keep'] keeps {keep.sum()} examples; keep at least 500.")
    return {
        "keep": keep,
        "loss": plan.get("loss", "ce"),
        "loss_params": plan.get("loss_params") or {},
        "small_loss": plan.get("small_loss"),
        "forget_rate": plan.get("forget_rate", 0.0),
    }


def _plan_accuracy(f, part: str) -> float:
    data = task()
    plan = _check_plan(f(data["X_train"].copy(), data["noisy_train"].copy()))
    keep = plan.pop("keep")
    try:
        fit = ref.train_classifier(
            data["X_train"][keep], data["noisy_train"][keep], **plan, **RECIPE, progress=False
        )
    except (TypeError, ValueError) as exc:
        raise AssertionError(
            f"the fixed network could not be trained with your plan: {exc}"
        ) from exc
    return ref.accuracy(fit.model, data[f"X_{part}"], data[f"y_{part}"])


def _q3_check(f, part):
    acc = _plan_accuracy(f, part)
    if acc < MIN_ACCURACY:
        raise AssertionError(
            f"the fixed network trained with your plan reaches {acc:.1%} on the {part} part; "
            f"at least {MIN_ACCURACY:.0%} is needed. Try removing the examples confident "
            "learning flags, a robust loss, or forward correction with an estimated matrix."
        )


def _q3_valid(f, rng):
    _q3_check(f, "valid")


def _q3_hidden_test(f, rng):
    _q3_check(f, "test")


LAB = Lab(
    id="03_learning_with_noisy_labels_lab",
    title="Lab 03: learning with noisy labels",
    questions=[
        Question(
            "03.q1",
            "Forward loss correction",
            3,
            "forward_corrected_loss",
            [
                Test("a small example", _q1_example),
                Test("the identity matrix gives cross-entropy", _q1_identity),
                Test("random logits and noise matrices", _q1_hidden, hidden=True),
            ],
            hint="softmax each row of logits, multiply by noise_matrix (rows: true classes), "
            "and return -log of the entry of each row's given label; one loss per example.",
        ),
        Question(
            "03.q2",
            "Small-loss selection",
            3,
            "small_loss_selection",
            [
                Test("a small example", _q2_example),
                Test("ties and forget_rate 0", _q2_ties_and_zero),
                Test("random losses and rates", _q2_hidden, hidden=True),
            ],
            hint="n_keep = n - round(forget_rate * n); keep the first n_keep of "
            "np.argsort(losses, kind='stable') in a boolean mask.",
        ),
        Question(
            "03.q3",
            "Your training plan for a noisy data set",
            4,
            "my_training_plan",
            [
                Test("scored on the validation part", _q3_valid),
                Test("scored on the held-out test part", _q3_hidden_test, hidden=True),
            ],
            hint=f"the fixed network must reach {MIN_ACCURACY:.0%}; plain cross-entropy on "
            "every example does not.",
        ),
        Question("03.q4", "Written: when to clean, when to train robustly", 2, manual=True),
    ],
)
