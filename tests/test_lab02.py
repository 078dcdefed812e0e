"""Lab 02's real-data and open-ended questions: good answers pass, lazy ones fail."""

import numpy as np
import pytest

from dcai_course import label_errors as le
from dcai_course.grading.labs import lab02
from dcai_course.grading.spec import get_question, run_question


def grade(question_id, answer, seed=11):
    return run_question(get_question(question_id), answer, include_hidden=True, seed=seed)


def by_margin(labels, pred_probs):
    return np.argsort(le.label_quality_scores(labels, pred_probs, by="normalized_margin"))


def disagreements_first(labels, pred_probs):
    """Every example whose prediction differs from its label, in file order: too crude."""
    disagree = np.asarray(pred_probs).argmax(axis=1) != np.asarray(labels)
    return np.concatenate([np.flatnonzero(disagree), np.flatnonzero(~disagree)])


def test_q7_a_margin_ranking_passes_and_file_order_fails():
    assert grade("02.q7", by_margin).status == "passed"
    result = grade("02.q7", disagreements_first)
    assert result.status == "failed" and "crowd-confirmed" in result.message


def test_q7_rejects_a_malformed_ranking():
    result = grade("02.q7", lambda labels, probs: np.zeros(200, dtype=int))
    assert result.status == "failed" and "distinct" in result.message


def remove_flagged(X_train, y_train):
    probs = le.out_of_sample_pred_probs(lab02.fixed_model(), X_train, y_train, cv=5, seed=0)
    keep = ~le.find_label_issues(y_train, probs)
    return X_train[keep], y_train[keep]


@pytest.mark.parametrize("question_id", ["02.q8", "02.q9"])
def test_q8_q9_cleaning_passes_and_unchanged_data_fail(question_id):
    assert grade(question_id, remove_flagged).status == "passed"
    result = grade(question_id, lambda X, y: (X, y))
    assert result.status == "failed" and "gain of +0.000" in result.message


def test_q8_checks_what_comes_back():
    new_rows = grade("02.q8", lambda X, y: (np.vstack([X[:-1], X[:1] + 0.5]), y))
    assert new_rows.status == "failed" and "row of X_train" in new_rows.message
    too_many = grade("02.q8", lambda X, y: (np.vstack([X, X[:1]]), np.append(y, y[0])))
    assert too_many.status == "failed" and "no more than given" in too_many.message
    bad_labels = grade("02.q8", lambda X, y: (X, y + 10))
    assert bad_labels.status == "failed" and "0..9" in bad_labels.message
    not_a_tuple = grade("02.q8", lambda X, y: X)
    assert not_a_tuple.status == "failed" and "tuple" in not_a_tuple.message
