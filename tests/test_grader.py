"""The autograder: full marks for solutions, zero for exercises, and robust to bad input.

These tests execute lab notebooks in fresh kernels, as ``dcai-course grade`` does: in the
bubblewrap sandbox where it works, and without it. Attacks on the grader are in
``test_grader_security.py``.
"""

import csv
import json
from pathlib import Path

import nbformat
import pytest

from dcai_course.cli import main
from dcai_course.grading.grader import GradeOptions, grade_notebook, grade_paths
from dcai_course.grading.kernel import bwrap_available
from dcai_course.grading.spec import get_lab

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*_lab.ipynb"))
LAB01 = "01_model_vs_data_centric_lab"

pytestmark = pytest.mark.slow


def lab_id(path: Path) -> str:
    return nbformat.read(path, as_version=4).metadata["dcai_course"]["lab"]


def by_id(submission):
    return {q["id"]: q for q in submission.questions}


SANDBOX = "bwrap" if bwrap_available() else "none"
#: The hidden tests' seed: fixed, so that a run checks the same draws every time (the
#: open-ended tasks' thresholds are margins over a sample of draws, not guarantees).
HIDDEN_SEED = 2026


@pytest.fixture(scope="module")
def course_grades():
    """Every solution and every exercise, graded in one run (two at a time), sandboxed."""
    exercises = [ROOT / "exercises" / s.name for s in SOLUTIONS]
    options = GradeOptions(sandbox=SANDBOX, seed=HIDDEN_SEED)
    subs = grade_paths([*SOLUTIONS, *exercises], jobs=2, options=options, progress=False)
    assert all(s.sandbox == SANDBOX for s in subs)
    return dict(zip([*SOLUTIONS, *exercises], subs, strict=True))


@pytest.fixture(scope="module")
def unsandboxed_solutions():
    """The solutions again with ``--sandbox none`` (where the sandbox is the default), and
    with every handed-out demonstration cell run (``--run-every-cell``)."""
    if SANDBOX == "none":
        pytest.skip("bubblewrap is not available: course_grades already ran without it")
    options = GradeOptions(sandbox="none", run_every_cell=True, seed=HIDDEN_SEED)
    subs = grade_paths(SOLUTIONS, jobs=2, options=options, progress=False)
    assert all(s.sandbox == "none" for s in subs)
    return dict(zip(SOLUTIONS, subs, strict=True))


def assert_full_marks(result, solution):
    lab = get_lab(lab_id(solution))
    assert result.error is None, result.error
    assert result.score == result.max_score == lab.max_score
    for q in result.questions:
        assert q["status"] in ("passed", "manual"), q


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_scores_full_marks(course_grades, solution):
    assert_full_marks(course_grades[solution], solution)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_scores_full_marks_without_the_sandbox(unsandboxed_solutions, solution):
    assert_full_marks(unsandboxed_solutions[solution], solution)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_untouched_exercise_scores_zero(course_grades, solution):
    result = course_grades[ROOT / "exercises" / solution.name]
    assert result.score == 0
    autograded = [q for q in result.questions if q["status"] != "manual"]
    assert autograded and all(q["status"] == "error" for q in autograded)
    assert all("not answered yet" in q["message"] for q in autograded)
    assert not any("similarity" in q for q in autograded)  # nothing to compare


def _solution():
    return nbformat.read(ROOT / "solutions" / f"{LAB01}.ipynb", as_version=4)


def _exercise():
    return nbformat.read(ROOT / "exercises" / f"{LAB01}.ipynb", as_version=4)


def _index(nb, text):
    return next(i for i, c in enumerate(nb.cells) if text in c.source)


def _one_answer():
    exercise, solution = _exercise(), _solution()
    answers = {c.id: c.source for c in solution.cells}
    for cell in exercise.cells:
        if "def inject_label_noise" in cell.source:
            cell.source = answers[cell.id]
    return exercise


def _crash():
    nb = _solution()
    nb.cells.insert(
        _index(nb, "def lever_effects"),
        nbformat.v4.new_code_cell("raise RuntimeError('my experiment broke')"),
    )
    return nb


def _hang():
    nb = _solution()
    first_q = _index(nb, "def uniform_noise_matrix")
    nb.cells.insert(first_q + 1, nbformat.v4.new_code_cell("import time\ntime.sleep(3600)"))
    return nb


def _dies(times):
    nb = _solution() if times == 1 else _exercise()
    for _ in range(times):
        nb.cells.insert(2, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    return nb


@pytest.fixture(scope="module")
def odd_class(tmp_path_factory):
    """Notebooks that go wrong in ordinary ways, graded in one run (20 s per cell)."""
    folder = tmp_path_factory.mktemp("odd_class")
    notebooks = {
        "one_answer": _one_answer(),
        "crash": _crash(),
        "hang": _hang(),
        "dies": _dies(1),
        "keeps_dying": _dies(5),
        "my homework (final)": _solution(),
    }
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "lecture.ipynb").write_bytes(
        (ROOT / "notebooks" / "01_model_vs_data_centric.ipynb").read_bytes()
    )
    (folder / "broken.ipynb").write_text("{ this is not json")
    unknown = nbformat.v4.new_notebook()
    unknown.metadata["dcai_course"] = {"lab": "42_unknown_lab"}
    nbformat.write(unknown, folder / "unknown.ipynb")
    subs = grade_paths([folder], jobs=2, options=GradeOptions(timeout=20), progress=False)
    return {Path(s.notebook).stem: s for s in subs}


def test_answering_one_question_scores_exactly_its_points(odd_class):
    result = odd_class["one_answer"]
    assert result.score == get_lab(LAB01).question("01.q2").points
    assert by_id(result)["01.q2"]["status"] == "passed"
    assert by_id(result)["01.q1"]["status"] == "error"


def test_a_notebook_that_crashes_halfway_is_still_graded(odd_class):
    result = odd_class["crash"]
    assert result.error is None
    assert result.score == result.max_score  # the cells after the crash still ran
    assert any("my experiment broke" in note for note in result.notes)


def test_a_hanging_cell_times_out_and_grading_goes_on(odd_class):
    result = odd_class["hang"]
    assert result.error is None and result.score == result.max_score
    assert any("KeyboardInterrupt" in note for note in result.notes)


def test_a_cell_that_kills_its_kernel_is_skipped_and_grading_goes_on(odd_class):
    result = odd_class["dies"]
    assert result.error is None and result.score == result.max_score
    assert any("stopped the kernel" in note for note in result.notes)


def test_a_kernel_that_keeps_dying_gets_a_clear_row(odd_class):
    result = odd_class["keeps_dying"]
    assert result.score == 0 and "could not grade" in result.error
    assert all(q["status"] in ("error", "manual") for q in result.questions)


def test_not_a_lab_and_malformed_notebooks_get_rows(odd_class):
    assert (
        odd_class["lecture"].lab is None and "not a dcai-course lab" in odd_class["lecture"].error
    )
    assert "not a readable Jupyter notebook" in odd_class["broken"].error
    assert "Unknown lab" in odd_class["unknown"].error


def test_lab_is_read_from_metadata_not_the_file_name(odd_class):
    result = odd_class["my homework (final)"]
    assert result.lab == LAB01 and result.score == result.max_score


def test_grade_notebook_grades_one_file_in_this_process():
    result = grade_notebook(ROOT / "exercises" / f"{LAB01}.ipynb", timeout=60)
    assert result.lab == LAB01 and result.score == 0 and result.sandbox == SANDBOX


def test_cli_json_and_csv_for_a_class(tmp_path, capsys):
    class_dir = tmp_path / "submissions"
    class_dir.mkdir()
    (class_dir / "alice.ipynb").write_bytes((ROOT / "solutions" / f"{LAB01}.ipynb").read_bytes())
    (class_dir / "bob.ipynb").write_bytes((ROOT / "exercises" / f"{LAB01}.ipynb").read_bytes())
    (class_dir / "carol.ipynb").write_text("not a notebook")
    gradebook = tmp_path / "grades.csv"
    assert main(["grade", str(class_dir), "--json", "--csv", str(gradebook)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [Path(r["notebook"]).name for r in report] == ["alice.ipynb", "bob.ipynb", "carol.ipynb"]
    alice, bob, carol = report
    assert alice["score"] == alice["max_score"] > 0 and bob["score"] == 0
    assert set(alice) >= {"notebook", "score", "max_score", "questions"}
    assert set(alice["questions"][0]) >= {"id", "points", "max_points", "status", "message"}
    assert alice["questions"][0]["similarity"]["match"] == "the lab's solution (identical bytecode)"
    assert carol["score"] == 0 and "error" in carol
    with gradebook.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    assert rows[0]["01.q2"] == "3" and rows[0]["01.q5"] == "manual" and rows[1]["score"] == "0"


def test_cli_grade_errors(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nothing-here")]) == 2
    assert main(["grade", str(tmp_path)]) == 2
    assert "no .ipynb" in capsys.readouterr().err


def test_demonstration_cells_are_skipped_and_running_them_changes_no_grade(
    course_grades, unsandboxed_solutions
):
    solution = ROOT / "solutions" / f"{LAB01}.ipynb"
    skipped, every_cell = course_grades[solution], unsandboxed_solutions[solution]
    assert any("demonstration cells not run" in n for n in skipped.notes), skipped.notes
    assert not any("demonstration cells not run" in n for n in every_cell.notes)
    assert [(q["id"], q["points"]) for q in skipped.questions] == [
        (q["id"], q["points"]) for q in every_cell.questions
    ]
