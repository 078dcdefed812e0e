"""The course as a set of files: notebook hygiene, the course map and the README."""

import re
from pathlib import Path

import nbformat
import pytest

from dcai_course.cli import main
from dcai_course.course import COURSE, existing_lessons, render_readme
from dcai_course.grading.spec import all_labs
from dcai_course.notebook_tools import KERNELSPEC

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
ALL = LECTURES + SOLUTIONS + EXERCISES


def read(path):
    return nbformat.read(path, as_version=4)


def test_there_is_something_to_check():
    assert LECTURES and SOLUTIONS and EXERCISES


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_clean_metadata(path):
    nb = read(path)
    nbformat.validate(nb)
    assert dict(nb.metadata["kernelspec"]) == KERNELSPEC
    assert set(nb.metadata) <= {"kernelspec", "language_info", "dcai_course"}, nb.metadata.keys()
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "NN_snake_case names, no spaces"
    for cell in nb.cells:
        kept = {"tags", "jupyter", "dcai_course", "editable", "deletable", "slideshow"}
        assert set(cell.metadata) <= kept
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


@pytest.mark.parametrize("path", LECTURES + SOLUTIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_notebooks_are_executed_without_errors(path):
    nb = read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "run `dcai-course execute`"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    assert nb.metadata.get("dcai_course", {}).get("execution_seconds", 0) > 0


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercises_have_no_outputs(path):
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_lecture_anatomy(path):
    nb = read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "check_environment(" in code, "the setup cell checks the environment"
    last = nb.cells[-1]
    assert last.cell_type == "code" and "assert" in last.metadata.get("tags", [])
    assert last.metadata.get("jupyter", {}).get("source_hidden") is True
    assert "assert " in last.source
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("What you will learn", "Summary", "References"):
        assert heading in markdown, f"missing section {heading!r}"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "Prerequisites" in first.source, (
        "the notebook begins with what it assumes"
    )


@pytest.mark.parametrize("lesson", COURSE, ids=lambda lesson: lesson.number)
def test_each_lecture_links_to_the_next(lesson):
    if not (ROOT / lesson.notebook).exists():
        pytest.skip(f"{lesson.notebook} is not written yet")
    later = [x for x in COURSE if x.number > lesson.number and (ROOT / x.notebook).exists()]
    if not later:
        return
    markdown = "\n".join(
        c.source for c in read(ROOT / lesson.notebook).cells if c.cell_type == "markdown"
    )
    assert f"({Path(later[0].notebook).name})" in markdown, f"link to {later[0].notebook}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_labs_are_known_and_check_every_autograded_question(path):
    nb = read(path)
    lab = all_labs()[nb.metadata["dcai_course"]["lab"]]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for question in lab.questions:
        if not question.manual:
            assert f'check("{question.id}", {question.name})' in code
            assert f"def {question.name}(" in code


def test_every_notebook_is_on_the_course_map():
    mapped = {lesson.notebook for lesson in COURSE}
    for path in LECTURES:
        assert f"notebooks/{path.name}" in mapped
    for lesson in existing_lessons(ROOT):
        if lesson.has_lab:
            assert (ROOT / lesson.solution).exists() and (ROOT / lesson.lab).exists()


def test_readme_generated_sections_are_up_to_date():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(text, ROOT) == text, "run `dcai-course build-readme`"
    assert main(["build-readme", "--check", "--root", str(ROOT)]) == 0


def test_readme_table_lists_every_existing_notebook():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in existing_lessons(ROOT):
        assert f"]({lesson.notebook})" in text


def test_environment_yml_matches_pyproject():
    import tomllib

    import yaml
    from packaging.requirements import Requirement
    from packaging.version import Version

    env_text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    env = yaml.safe_load(env_text)
    conda = {}
    for entry in env["dependencies"]:
        if isinstance(entry, str):
            name, _, version = entry.partition("=")
            conda[name.lower()] = version
    pip_section = next(e["pip"] for e in env["dependencies"] if isinstance(e, dict))
    assert "-e .[test]" in pip_section, "the course package is installed in editable mode"
    pip_pins = {
        Requirement(p).name.lower(): Requirement(p) for p in pip_section if not p.startswith("-e")
    }
    for line in env_text.splitlines():
        if line.strip().startswith('- "') and "=" in line:
            assert "#" in line, f"every pinned dependency names its notebooks: {line.strip()}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    aliases = {"torch": "pytorch-cpu"}
    for spec in map(Requirement, requirements):
        name = aliases.get(spec.name.lower(), spec.name.lower())
        if name in pip_pins:
            pinned = next(iter(pip_pins[name].specifier)).version
            assert spec.specifier.contains(pinned), f"{name}: {pinned} vs {spec.specifier}"
            continue
        assert name in conda, f"{spec.name} is missing from environment.yml"
        # a conda minor pin like 2.4 means 2.4.*: its first release must satisfy pyproject
        version = conda[name]
        first = Version(version + ".0") if version.count(".") == 1 else Version(version)
        assert spec.specifier.contains(first, prereleases=True), (
            f"{name}={version} does not satisfy {spec.specifier}"
        )


@pytest.mark.parametrize("path", LECTURES + SOLUTIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_recorded_run_time_is_within_budget(path):
    """`dcai-course execute` records each run; the budget is 60 s per notebook on 2 cores."""
    seconds = read(path).metadata["dcai_course"]["execution_seconds"]
    assert seconds <= 60, f"{path.name} took {seconds} s"
