"""Self-checks (``check``) and the question runner behind the grader."""

import time

import numpy as np
import pytest

from dcai_course import check
from dcai_course.grading.checks import run_check
from dcai_course.grading.spec import Lab, Question, Test, all_labs, get_question, run_question
from dcai_course.noise import uniform_noise_matrix as reference_uniform


def my_uniform(n_classes, noise_rate):
    m = np.full((n_classes, n_classes), noise_rate / (n_classes - 1))
    np.fill_diagonal(m, 1 - noise_rate)
    return m


def wrong_uniform(n_classes, noise_rate):
    return np.full((n_classes, n_classes), 1 / n_classes)


def stub(n_classes, noise_rate):
    raise NotImplementedError()


def crashes(n_classes, noise_rate):
    return n_classes / 0


def test_check_passes(capsys):
    check("01.q1", my_uniform)
    out = capsys.readouterr().out
    assert out.startswith("✅ 01.q1 passed (2 points)")
    assert "Hidden tests run when the lab is graded" in out


def test_check_fails_with_a_message_and_a_hint(capsys):
    check("01.q1", wrong_uniform)
    out = capsys.readouterr().out
    assert out.startswith("❌ 01.q1") and "failed" in out and "Hint:" in out


def test_check_on_a_stub_says_not_answered(capsys):
    check("01.q1", stub)
    assert "not answered yet" in capsys.readouterr().out


def test_check_reports_an_exception_with_its_line(capsys):
    check("01.q1", crashes)
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "n_classes / 0" in out


def test_the_reference_implementation_does_not_count():
    result = run_check("01.q1", reference_uniform)
    assert result.status == "failed" and "reference implementation" in result.message


def test_unknown_question():
    with pytest.raises(KeyError, match="Question ids look like"):
        get_question("01.q99")


def test_hidden_tests_only_at_grading():
    question = get_question("01.q1")
    public = run_question(question, my_uniform, include_hidden=False)
    graded = run_question(question, my_uniform, include_hidden=True)
    assert public.tests_run < graded.tests_run and graded.status == "passed"


def test_hard_coded_answers_fail_hidden_tests():
    public_answer = reference_uniform(3, 0.3)

    def hard_coded(n_classes, noise_rate):
        if (n_classes, noise_rate) == (3, 0.3):
            return public_answer
        return np.eye(n_classes) if noise_rate == 0 else np.full((n_classes, n_classes), 0.2)

    question = get_question("01.q1")
    assert run_question(question, hard_coded, include_hidden=False).status == "passed"
    graded = run_question(question, hard_coded, include_hidden=True)
    assert graded.status == "failed" and "hidden test (seed" in graded.message


def test_a_slow_answer_is_stopped():
    def slow(obj, rng):
        time.sleep(5)

    question = Question("99.q1", "slow", 1, "f", [Test("sleeps", slow)])
    start = time.perf_counter()
    result = run_question(question, object(), include_hidden=True, time_limit=0.5)
    assert result.status == "error" and "did not finish" in result.message
    assert time.perf_counter() - start < 3


def test_labs_are_well_formed():
    labs = all_labs()
    assert "01_model_vs_data_centric_lab" in labs
    for lab in labs.values():
        assert lab.max_score > 0
        for q in lab.questions:
            assert q.id.startswith(lab.id[:2] + ".q")
            # every autograded question names the reference implementations it forbids,
            # the package's own first; open-ended data tasks have no reference to forbid
            if q.manual or q.id in OPEN_ENDED or q.id.startswith("00."):
                continue
            assert q.forbids and q.forbids[0].startswith("dcai_course."), q.id


#: Open-ended tasks (improve the data for a fixed model): scored on held-out data, with no
#: reference implementation to forbid.
OPEN_ENDED = {
    "01.q6",
    "01.q7",
    "02.q8",
    "02.q9",
    "03.q3",
    "05.q7",
    "05.q8",
    "06.q6",
    "06.q7",
    "07.q4",
    "07.q5",
    "08.q5",
    "09.q5",
    "09.q6",
    "10.q5",
    "10.q6",
    "11.q6",
    "11.q7",
    "12.q4",
    "13.q4",
    "13.q5",
    "14.q3",
    "14.q4",
}


def test_lab_question_ids_must_be_unique():
    q = Question("1.q1", "x", 1, "f", [Test("t", lambda f, rng: None)])
    with pytest.raises(ValueError, match="duplicate"):
        Lab("x", "x", [q, q])
    with pytest.raises(ValueError, match="needs a name and tests"):
        Question("1.q2", "x", 1)


def test_lab01_hidden_tests_pass_the_reference_for_any_seed():
    """Hidden tests draw a fresh seed per grading run: the reference must pass them all."""
    from dcai_course import model_vs_data, noise
    from dcai_course.grading.spec import get_lab

    lab = get_lab("01_model_vs_data_centric_lab")
    references = {
        "uniform_noise_matrix": noise.uniform_noise_matrix,
        "confident_disagreements": model_vs_data.confident_disagreements,
    }
    for question in lab.questions:
        if question.name not in references:
            continue
        for test in question.tests:
            if test.hidden:
                for seed in range(30):
                    test.func(references[question.name], np.random.default_rng(seed))
