"""The autograder: full marks for solutions, zero for exercises, and robust to bad input.

These tests execute lab notebooks in fresh kernels, as ``dcai-course grade`` does.
"""

import csv
import json
from pathlib import Path

import nbformat
import pytest

from dcai_course.cli import main
from dcai_course.grading.grader import grade_notebook
from dcai_course.grading.spec import get_lab

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*_lab.ipynb"))
LAB01 = "01_model_vs_data_centric_lab"

pytestmark = pytest.mark.slow


def lab_id(path: Path) -> str:
    return nbformat.read(path, as_version=4).metadata["dcai_course"]["lab"]


def by_id(submission):
    return {q["id"]: q for q in submission.questions}


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_scores_full_marks(solution):
    result = grade_notebook(solution)
    lab = get_lab(lab_id(solution))
    assert result.error is None, result.error
    assert result.score == result.max_score == lab.max_score
    for q in result.questions:
        assert q["status"] in ("passed", "manual"), q


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_untouched_exercise_scores_zero(solution):
    result = grade_notebook(ROOT / "exercises" / solution.name)
    assert result.score == 0
    autograded = [q for q in result.questions if q["status"] != "manual"]
    assert autograded and all(q["status"] == "error" for q in autograded)
    assert all("not answered yet" in q["message"] for q in autograded)


def write(nb, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


def test_answering_one_question_scores_exactly_its_points(tmp_path):
    exercise = nbformat.read(ROOT / "exercises" / f"{LAB01}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / f"{LAB01}.ipynb", as_version=4)
    answers = {c.id: c.source for c in solution.cells}
    for cell in exercise.cells:
        if "def inject_label_noise" in cell.source:
            cell.source = answers[cell.id]
    result = grade_notebook(write(exercise, tmp_path / "one_answer.ipynb"))
    q2_points = get_lab(LAB01).question("01.q2").points
    assert result.score == q2_points
    assert by_id(result)["01.q2"]["status"] == "passed"
    assert by_id(result)["01.q1"]["status"] == "error"


def test_a_notebook_that_crashes_halfway_is_still_graded(tmp_path):
    nb = nbformat.read(ROOT / "solutions" / f"{LAB01}.ipynb", as_version=4)
    middle = next(i for i, c in enumerate(nb.cells) if "def lever_effects" in c.source)
    nb.cells.insert(middle, nbformat.v4.new_code_cell("raise RuntimeError('my experiment broke')"))
    result = grade_notebook(write(nb, tmp_path / "crash.ipynb"))
    assert result.error is None
    assert result.score == result.max_score  # the cells after the crash still ran
    assert any("my experiment broke" in note for note in result.notes)


def test_a_hanging_cell_times_out_and_grading_goes_on(tmp_path):
    nb = nbformat.read(ROOT / "solutions" / f"{LAB01}.ipynb", as_version=4)
    first_q = next(i for i, c in enumerate(nb.cells) if "def uniform_noise_matrix" in c.source)
    nb.cells.insert(first_q + 1, nbformat.v4.new_code_cell("import time\ntime.sleep(3600)"))
    # 20 s: generous for the ordinary cells on a busy machine, short next to the hour-long cell
    result = grade_notebook(write(nb, tmp_path / "hang.ipynb"), timeout=20)
    assert result.error is None
    assert result.score == result.max_score
    assert any("KeyboardInterrupt" in note for note in result.notes)


def test_a_dying_kernel_gets_a_clear_row(tmp_path):
    nb = nbformat.read(ROOT / "exercises" / f"{LAB01}.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    result = grade_notebook(write(nb, tmp_path / "dies.ipynb"), timeout=30)
    assert result.score == 0 and "could not grade" in result.error
    assert all(q["status"] in ("error", "manual") for q in result.questions)


def test_not_a_lab_and_malformed_notebooks_get_rows(tmp_path):
    lecture = grade_notebook(ROOT / "notebooks" / "01_model_vs_data_centric.ipynb")
    assert lecture.lab is None and "not a dcai-course lab" in lecture.error
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ this is not json")
    assert "not a readable Jupyter notebook" in grade_notebook(broken).error
    unknown = nbformat.v4.new_notebook()
    unknown.metadata["dcai_course"] = {"lab": "42_unknown_lab"}
    assert "Unknown lab" in grade_notebook(write(unknown, tmp_path / "unknown.ipynb")).error


def test_lab_is_read_from_metadata_not_the_file_name(tmp_path):
    renamed = tmp_path / "my homework (final).ipynb"
    renamed.write_bytes((ROOT / "solutions" / f"{LAB01}.ipynb").read_bytes())
    result = grade_notebook(renamed)
    assert result.lab == LAB01 and result.score == result.max_score


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
    assert set(alice["questions"][0]) == {"id", "points", "max_points", "status", "message"}
    assert carol["score"] == 0 and "error" in carol
    with gradebook.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    assert rows[0]["01.q2"] == "3" and rows[0]["01.q5"] == "manual" and rows[1]["score"] == "0"


def test_cli_grade_errors(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nothing-here")]) == 2
    assert main(["grade", str(tmp_path)]) == 2
    assert "no .ipynb" in capsys.readouterr().err
