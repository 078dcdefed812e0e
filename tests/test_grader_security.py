"""Attacks on the grader: the grader process decides every point (issue 12).

One class of lab 01 submissions (``tests/grader_attacks.py``) is graded in one run, two
notebooks at a time, under the bubblewrap sandbox where it works; a smaller class runs
without the sandbox. Every honest variant keeps full marks, every cheat scores zero on
the affected questions or is flagged, no process outlives the run, and the run always
ends with its gradebook.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import grader_attacks as attacks
import numpy as np
import pytest

from dcai_course.cli import main
from dcai_course.grading.codec import NotPlainData, decode, encode, read_message, write_message
from dcai_course.grading.grader import GradeOptions, grade_paths
from dcai_course.grading.kernel import bwrap_available
from dcai_course.grading.report import clean_text, csv_cell
from dcai_course.grading.spec import get_lab
from dcai_course.grading.testing import assert_close

pytestmark = pytest.mark.slow
HAS_BWRAP = bwrap_available()
LAB01_SPEC = get_lab(attacks.LAB01)
#: Lab 01's autograded questions and their points, and its written ones, from the spec.
POINTS = {q.id: q.points for q in LAB01_SPEC.questions if not q.manual}
MANUAL = [q.id for q in LAB01_SPEC.questions if q.manual]
GUARD = "must not call the reference implementation"


def _processes_with(text: str) -> list[str]:
    """Command lines of live processes that contain ``text`` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if text.encode() in cmdline:
                found.append(cmdline.decode(errors="replace"))
    return found


def _grade_class(folder: Path, sandbox: str, names=None):
    paths = attacks.write_class(folder / "submissions", names)
    hashes = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths.values()}
    (folder / "work").mkdir()
    options = GradeOptions(
        sandbox=sandbox, timeout=20, question_timeout=15, seed=7, workdir=folder / "work"
    )
    subs = grade_paths([folder / "submissions"], jobs=2, options=options, progress=False)
    by_name = {Path(s.notebook).stem: s for s in subs}
    return by_name, paths, hashes


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory):
    if not HAS_BWRAP:
        if os.environ.get("CI"):  # .ci/run installs bubblewrap: CI must test the sandbox
            pytest.fail("bubblewrap is not available, so the sandbox was not tested")
        pytest.skip("bubblewrap is not available on this machine")
    return _grade_class(tmp_path_factory.mktemp("sandboxed"), "bwrap")


@pytest.fixture(scope="module")
def unsandboxed(tmp_path_factory):
    names = {"solution_cells", "getsource_copy", "wrap_reference", "detached_processes"}
    return _grade_class(tmp_path_factory.mktemp("unsandboxed"), "none", names)


def points(sub) -> dict[str, float]:
    return {q["id"]: q["points"] for q in sub.questions}


def question(sub, qid: str) -> dict:
    return next(q for q in sub.questions if q["id"] == qid)


def assert_full(sub):
    assert sub.error is None, sub.error
    assert sub.score == sub.max_score == LAB01_SPEC.max_score, [
        (q["id"], q["message"]) for q in sub.questions
    ]


# -- honest work keeps its marks -------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "carol_upper", "honest_prints", "honest_float32",
                                  "shadow_writer"])  # fmt: skip
def test_honest_answers_keep_full_marks(sandboxed, name):
    by_name, _, _ = sandboxed
    assert_full(by_name[name])


def test_blank_exercise_scores_zero(sandboxed):
    by_name, _, _ = sandboxed
    assert by_name["bob"].score == 0


def test_a_shadow_package_beside_the_submissions_changes_nothing(sandboxed):
    by_name, paths, _ = sandboxed
    assert (paths["alice"].parent / "numpy" / "__init__.py").exists()
    assert_full(by_name["alice"])


def test_float32_failure_messages_show_the_difference():
    assert_close(np.float32(1 / 3), 1 / 3, "a float32 third")  # passes: within rtol
    with pytest.raises(AssertionError, match=r"0\.3433333333.*0\.3333333333"):
        assert_close(np.array([0.1, 1 / 3 + 0.01]), np.array([0.1, 1 / 3]), "x")


# -- forged reports and patched comparisons score nothing -------------------------------------

CHEATS = ["forge_emit_report", "forge_run_question", "forge_import", "forge_transformer",
          "forge_print", "patch_numpy", "patch_assert_close", "frame_peek", "odd_eq"]  # fmt: skip


@pytest.mark.parametrize("name", CHEATS)
def test_cheats_score_zero_and_the_report_follows_the_spec(sandboxed, name):
    by_name, _, _ = sandboxed
    sub = by_name[name]
    assert sub.score == 0
    assert [q["id"] for q in sub.questions] == [q.id for q in LAB01_SPEC.questions]
    for qid in MANUAL:
        assert question(sub, qid)["status"] == "manual" and question(sub, qid)["points"] == 0
    maxima = {q.id: q.points for q in LAB01_SPEC.questions}
    assert all(q["max_points"] == maxima[q["id"]] for q in sub.questions)


def test_tampering_constructs_are_flagged(sandboxed):
    by_name, _, _ = sandboxed
    assert any("hooks or rewrites" in f for f in by_name["forge_transformer"].flags)
    assert any("builtin" in f for f in by_name["forge_import"].flags)
    assert any("frames" in f for f in by_name["frame_peek"].flags)
    assert not by_name["alice"].flags and not by_name["honest_float32"].flags


def test_objects_that_are_not_plain_data_are_refused(sandboxed):
    by_name, _, _ = sandboxed
    for name, qid in (("frame_peek", "01.q1"), ("odd_eq", "01.q3"), ("odd_eq", "01.q2")):
        assert "cannot read" in question(by_name[name], qid)["message"], name


# -- the reference is out of reach ------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["sandboxed", "unsandboxed"])
def test_wrapped_references_raise(request, fixture):
    by_name, _, _ = request.getfixturevalue(fixture)
    sub = by_name["wrap_reference"]
    assert sub.score == 0
    for qid, name in (("01.q1", "noise.uniform_noise_matrix"),
                      ("01.q2", "cleanlab.benchmarking.noise_generation.generate_noisy_labels"),
                      ("01.q3", "model_vs_data.factorial_effects"),
                      ("01.q4", "model_vs_data.confident_disagreements")):  # fmt: skip
        message = question(sub, qid)["message"]
        assert GUARD in message and name in message, (qid, message)


@pytest.mark.parametrize("fixture", ["sandboxed", "unsandboxed"])
def test_a_copy_of_the_reference_source_is_flagged(request, fixture):
    by_name, _, _ = request.getfixturevalue(fixture)
    q1 = question(by_name["getsource_copy"], "01.q1")
    assert q1["similarity"]["flagged"]
    assert q1["similarity"]["match"].startswith("reference dcai_course.noise.uniform_noise_matrix")


def test_the_solutions_are_hidden_in_the_sandbox(sandboxed):
    by_name, _, _ = sandboxed
    assert by_name["solution_cells"].score == 0


def test_solution_cells_run_without_the_sandbox_are_flagged(unsandboxed):
    by_name, _, _ = unsandboxed
    sub = by_name["solution_cells"]
    assert sub.sandbox == "none"
    for qid in POINTS:
        assert question(sub, qid)["similarity"]["match"].startswith("the lab's solution")
        assert question(sub, qid)["similarity"]["flagged"]


def test_similarity_flags_copies_between_classmates(sandboxed):
    by_name, _, _ = sandboxed
    q = question(by_name["honest_prints"], "01.q2")
    assert q["similarity"]["score"] >= 0.7 and q["similarity"]["flagged"]


# -- submissions cannot reach each other or outlive the run -----------------------------------


def test_classmates_files_are_out_of_reach(sandboxed):
    by_name, _, hashes = sandboxed
    assert by_name["overwrite_classmates"].score == 0  # running alice's cells did not help
    for path, digest in hashes.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


@pytest.mark.parametrize("fixture", ["sandboxed", "unsandboxed"])
def test_no_process_outlives_the_run(request, fixture):
    by_name, paths, _ = request.getfixturevalue(fixture)
    assert_full(by_name["detached_processes"])
    assert _processes_with(attacks.MARKER) == []
    work = paths["alice"].parent.parent / "work"
    assert _processes_with(str(work)) == []  # no kernel of this run, no process it started
    assert list(work.iterdir()) == []  # every private folder was removed
    assert not (paths["alice"].parent.parent / "grades.csv").exists()


# -- nothing stops the class ------------------------------------------------------------------


def test_a_cell_that_ignores_sigint_is_killed_and_noted(sandboxed):
    by_name, _, _ = sandboxed
    sub = by_name["ignores_sigint"]
    assert_full(sub)
    assert any("ignored the interrupt" in note for note in sub.notes), sub.notes


def test_a_retry_loop_cannot_swallow_the_question_timeout(sandboxed):
    by_name, _, _ = sandboxed
    got = points(by_name["swallows_timeout"])
    expected = {**POINTS, "01.q2": 0, "01.q4": 0, **dict.fromkeys(MANUAL, 0)}
    assert got == expected
    assert "did not finish" in question(by_name["swallows_timeout"], "01.q2")["message"]
    assert "ignored the interrupt" in question(by_name["swallows_timeout"], "01.q4")["message"]


def test_the_memory_limit_refuses_a_huge_allocation(sandboxed):
    by_name, _, _ = sandboxed
    sub = by_name["memory_hog"]
    assert_full(sub)
    assert any("MemoryError" in note for note in sub.notes), sub.notes


def test_malformed_files_get_error_rows(sandboxed):
    by_name, _, _ = sandboxed
    assert "should be a lab id" in by_name["meta_list"].error
    assert "no list of cells" in by_name["cells_dict"].error
    assert "not a readable Jupyter notebook" in by_name["not_json"].error


def test_student_text_is_cleaned(sandboxed):
    by_name, _, _ = sandboxed
    message = question(by_name["ansi_message"], "01.q1")["message"]
    assert "owned" in message and "\x1b" not in message
    assert clean_text(attacks.ESCAPES) == "owned"
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_cell("-2+3") == "'-2+3"
    assert csv_cell(3) == 3


def test_cli_checks_outputs_before_grading_and_escapes_the_csv(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "=HYPERLINK(evil).ipynb").write_bytes(
        (attacks.ROOT / "exercises" / f"{attacks.LAB01}.ipynb").read_bytes()
    )
    assert main(["grade", str(folder), "--csv", str(tmp_path / "missing" / "g.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    two = [str(folder), str(attacks.ROOT / "exercises" / f"{attacks.LAB01}.ipynb")]
    assert main(["grade", *two, "--gradescope", str(tmp_path / "r.json")]) == 2
    monkeypatch.chdir(folder)
    results = tmp_path / "results.json"
    gradebook = tmp_path / "g.csv"
    assert main(["grade", ".", "--csv", str(gradebook), "--gradescope", str(results)]) == 0
    row = next(csv.DictReader(gradebook.open()))
    assert row["notebook"].startswith("'=HYPERLINK")
    gradescope = json.loads(results.read_text())
    assert gradescope["score"] == 0 and len(gradescope["tests"]) == len(POINTS)
    assert set(gradescope["tests"][0]) == {"score", "max_score", "name", "number", "output",
                                           "visibility"}  # fmt: skip


# -- the plain-data channel ---------------------------------------------------------------------


def test_plain_data_round_trips_and_nothing_else_is_read(tmp_path):
    import pandas as pd

    value = {
        "a": np.arange(3, dtype=np.float32),
        (1, "b"): [None, True, 2, 3.5, float("nan"), "s", np.int64(4)],
        "frame": pd.DataFrame({"x": [1, 2], "w": ["u", "v"]}, index=[7, 9]),
        "series": pd.Series([0.5, 1.0], index=["p", "q"], name="acc"),
        "groups": np.array([np.array([0, 1]), np.array([2, 3, 4])], dtype=object),
    }
    write_message(tmp_path, "m", value)
    back = read_message(tmp_path, "m")
    assert back["a"].dtype == np.float32 and back[(1, "b")][-1] == 4
    pd.testing.assert_frame_equal(back["frame"], value["frame"], check_dtype=False)
    assert list(back["series"].index) == ["p", "q"] and back["series"].name == "acc"
    assert [g.tolist() for g in back["groups"]] == [[0, 1], [2, 3, 4]]
    with pytest.raises(NotPlainData):
        encode(lambda x: x)
    tree, arrays = encode({"model": object()}, rich=True)
    with pytest.raises(ValueError, match="not plain data"):
        decode(tree, arrays)
