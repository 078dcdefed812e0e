"""exercises/ is generated from solutions/ and must stay in sync, without leaks."""

import shutil
from pathlib import Path

import nbformat
import pytest

from dcai_course.cli import main
from dcai_course.grading.exercises import (
    MarkerError,
    build_exercises,
    check_exercises,
    exercise_from_solution,
)

ROOT = Path(__file__).resolve().parents[1]


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nb.metadata["dcai_course"] = {"lab": "99_demo_lab"}
    return nb


def test_code_solutions_become_stubs_with_their_indentation():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n"
    )
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    cell.execution_count = 3
    ex = exercise_from_solution(notebook(cell), "99_demo_lab.ipynb")
    assert (
        ex.cells[0].source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    )
    assert ex.cells[0].outputs == [] and ex.cells[0].execution_count is None
    assert ex.metadata["dcai_course"] == {
        "lab": "99_demo_lab",
        "generated_from": "solutions/99_demo_lab.ipynb",
    }


def test_markdown_answers_are_replaced():
    md = nbformat.v4.new_markdown_cell(
        "Q5\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->"
    )
    ex = exercise_from_solution(notebook(md))
    assert ex.cells[0].source == "Q5\n*Your answer here.*"


@pytest.mark.parametrize(
    "source",
    [
        "### BEGIN SOLUTION\nx = 1\n",
        "### END SOLUTION\n",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n",
    ],
)
def test_unpaired_markers_are_errors(source):
    with pytest.raises(MarkerError):
        exercise_from_solution(notebook(nbformat.v4.new_code_cell(source)))


@pytest.fixture
def course_copy(tmp_path):
    for folder in ("solutions", "exercises"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_repository_exercises_are_in_sync():
    report = check_exercises(ROOT / "solutions", ROOT / "exercises")
    assert report.ok, report.problems
    assert main(["build-exercises", "--check", "--root", str(ROOT)]) == 0


def test_check_fails_after_a_solution_is_edited(course_copy):
    solution = sorted((course_copy / "solutions").glob("*_lab.ipynb"))[0]
    nb = nbformat.read(solution, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("An extra instruction added later."))
    nbformat.write(nb, solution)
    report = check_exercises(course_copy / "solutions", course_copy / "exercises")
    assert any("out of date" in p for p in report.problems)
    assert main(["build-exercises", "--check", "--root", str(course_copy)]) == 1
    assert main(["build-exercises", "--root", str(course_copy)]) == 0
    assert main(["build-exercises", "--check", "--root", str(course_copy)]) == 0


def test_check_detects_a_leaked_solution_line(course_copy):
    exercise = sorted((course_copy / "exercises").glob("*_lab.ipynb"))[0]
    nb = nbformat.read(exercise, as_version=4)
    solution = nbformat.read(course_copy / "solutions" / exercise.name, as_version=4)
    leaked = next(
        line.strip()
        for cell in solution.cells
        for line in cell.source.split("\n")[1:]
        if "### BEGIN SOLUTION" in cell.source and len(line.strip()) > 20 and "###" not in line
    )
    nb.cells.append(nbformat.v4.new_code_cell(f"# copied from a friend\n{leaked}"))
    nbformat.write(nb, exercise)
    problems = check_exercises(course_copy / "solutions", course_copy / "exercises").problems
    assert any("solution line" in p for p in problems), problems


def test_check_detects_markers_outputs_missing_and_extra_files(course_copy):
    exercise = sorted((course_copy / "exercises").glob("*_lab.ipynb"))[0]
    nb = nbformat.read(exercise, as_version=4)
    cell = nbformat.v4.new_code_cell("### BEGIN SOLUTION\n### END SOLUTION")
    cell.outputs = [nbformat.v4.new_output("stream", text="x\n")]
    nb.cells.append(cell)
    nbformat.write(nb, exercise)
    (course_copy / "exercises" / "99_orphan_lab.ipynb").write_text(nbformat.writes(notebook()))
    problems = check_exercises(course_copy / "solutions", course_copy / "exercises").problems
    assert any("marker" in p for p in problems)
    assert any("has outputs" in p for p in problems)
    assert any("no solution" in p for p in problems)
    exercise.unlink()
    problems = check_exercises(course_copy / "solutions", course_copy / "exercises").problems
    assert any("is missing" in p for p in problems)


def test_build_reports_an_empty_solutions_folder(tmp_path):
    (tmp_path / "solutions").mkdir()
    report = build_exercises(tmp_path / "solutions", tmp_path / "exercises")
    assert not report.ok
