"""Lab 11's questions Q1-Q3: a correct answer passes, plausible wrong answers fail."""

import numpy as np
import pytest

from dcai_course.active_learning import margin
from dcai_course.grading.labs import lab11
from dcai_course.grading.spec import get_question, run_question


def grade(question_id, answer, seed=11):
    return run_question(get_question(question_id), answer, include_hidden=True, seed=seed)


# --- answers written as a learner would (the grader rejects the package's own references) ---


def stopping_point(accuracies, patience, min_gain):
    acc = np.asarray(accuracies, dtype=float)
    best, since, stop = acc[0], 0, len(acc) - 1
    for r in range(1, len(acc)):
        if acc[r] >= best + min_gain:
            best, since = acc[r], 0
        else:
            since += 1
            if since == patience:
                stop = r
                break
    return stop, int(np.argmax(acc[: stop + 1]))


def diverse_batch(scores, X, batch_size, radius):
    X = np.asarray(X, dtype=float)
    blocked, picked = np.zeros(len(X), dtype=bool), []
    for i in np.argsort(-np.asarray(scores, dtype=float), kind="stable"):
        if len(picked) == batch_size:
            break
        if not blocked[i]:
            picked.append(int(i))
            blocked |= np.linalg.norm(X - X[i], axis=1) < radius
    return np.array(picked, dtype=int)


def balanced_margin_batch(pred_probs, batch_size):
    probs = np.asarray(pred_probs, dtype=float)
    cap = -(-batch_size // probs.shape[1])
    predicted, picked = probs.argmax(axis=1), []
    taken = np.zeros(probs.shape[1], dtype=int)
    order = np.argsort(-margin(probs), kind="stable")
    for i in order:
        if len(picked) < batch_size and taken[predicted[i]] < cap:
            taken[predicted[i]] += 1
            picked.append(int(i))
    rest = [int(i) for i in order if int(i) not in picked][: batch_size - len(picked)]
    return np.array(picked + rest, dtype=int)


# --- Q1: the stopping rule ---------------------------------------------------------------


def against_previous_round(accuracies, patience, min_gain):
    """Compares each round with the round before, not with the best so far."""
    acc = np.asarray(accuracies, dtype=float)
    since, stop = 0, len(acc) - 1
    for r in range(1, len(acc)):
        since = 0 if acc[r] >= acc[r - 1] + min_gain else since + 1
        if since == patience:
            stop = r
            break
    return stop, int(np.argmax(acc[: stop + 1]))


def keeps_the_last_round(accuracies, patience, min_gain):
    stop, _ = stopping_point(accuracies, patience, min_gain)
    return stop, stop


def test_q1_the_reference_passes_and_two_slips_fail():
    assert grade("11.q1", stopping_point).status == "passed"
    for wrong in (against_previous_round, keeps_the_last_round):
        result = grade("11.q1", wrong)
        assert result.status == "failed" and "(stop_round, best_round)" in result.message


def test_q1_stopping_rule_by_hand():
    for f in (stopping_point, lab11._ref_stopping_point):
        assert f([0.5, 0.6, 0.6, 0.6], 2, 0.01) == (3, 1)
        assert f([0.5, 0.6, 0.7], 1, 0.0) == (2, 2)


# --- Q2: a batch without near-copies -------------------------------------------------------


def top_scores(scores, X, batch_size, radius):
    return np.argsort(-np.asarray(scores), kind="stable")[:batch_size]


def test_q2_the_reference_passes_and_plain_top_k_fails():
    assert grade("11.q2", diverse_batch).status == "passed"
    assert grade("11.q2", top_scores).status == "failed"


def test_q2_skips_near_copies_and_returns_fewer_when_they_run_out():
    X = np.array([[0.0], [0.1], [5.0]])
    assert lab11._ref_diverse_batch(np.array([3.0, 2.0, 1.0]), X, 3, 0.5).tolist() == [0, 2]


# --- Q3: margin with a cap per class -------------------------------------------------------


def top_margins(pred_probs, batch_size):
    return np.argsort(-margin(pred_probs), kind="stable")[:batch_size]


def capped_without_fill(pred_probs, batch_size):
    out = balanced_margin_batch(pred_probs, batch_size)
    cap = -(-batch_size // pred_probs.shape[1])
    predicted = pred_probs[out].argmax(axis=1)
    counts = np.array([np.sum(predicted[: i + 1] == predicted[i]) for i in range(len(out))])
    kept = out[counts <= cap]
    return np.concatenate([kept, np.full(batch_size - kept.size, kept[0])])


def test_q3_the_reference_passes_and_plain_margin_fails():
    assert grade("11.q3", balanced_margin_batch).status == "passed"
    assert grade("11.q3", top_margins).status == "failed"


def test_q3_the_cap_applies_then_the_fill():
    probs = np.array([[0.55, 0.45], [0.6, 0.4], [0.52, 0.48], [0.7, 0.3], [0.1, 0.9]])
    assert sorted(lab11._ref_balanced_margin_batch(probs, 4).tolist()) == [0, 1, 2, 4]
    assert grade("11.q3", capped_without_fill).status == "failed"


@pytest.mark.parametrize("question_id", ["11.q1", "11.q2", "11.q3"])
def test_a_missing_answer_scores_zero(question_id):
    def stub(*args):
        raise NotImplementedError

    assert grade(question_id, stub).status in {"failed", "error"}
