"""The static site: every notebook as HTML, an index, and no broken internal link."""

from pathlib import Path

import nbformat
import pytest

from dcai_course.cli import main
from dcai_course.guide import instructor_guide, learning_objectives, missing_instructor_notes
from dcai_course.notebook_tools import clean_notebook
from dcai_course.site import broken_links, build_site
from dcai_course.slides import build_deck, slide_problems, suggest_slide_type

ROOT = Path(__file__).resolve().parents[1]


def write_notebook(path: Path, *markdown: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": suggest_slide_type(cell)}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture
def mini_course(tmp_path):
    root = tmp_path / "course"
    write_notebook(
        root / "notebooks" / "01_model_vs_data_centric.ipynb",
        "# 01 · First\n## A section",
        "See [the next one](02_confident_learning.ipynb) and "
        "[the lab](../exercises/01_model_vs_data_centric_lab.ipynb), "
        "[a section](#A-section) and [the web](https://example.org/x.ipynb).",
    )
    write_notebook(
        root / "notebooks" / "02_confident_learning.ipynb",
        "# 02 · Second",
        "Back to [01](01_model_vs_data_centric.ipynb#A-section).",
    )
    write_notebook(root / "exercises" / "01_model_vs_data_centric_lab.ipynb", "# Lab 01")
    return root


def test_build_site_rewrites_links_and_has_no_broken_one(mini_course, tmp_path):
    out = tmp_path / "site"
    report = build_site(mini_course, out)
    assert report.pages[0] == out / "index.html"
    assert {p.relative_to(out).as_posix() for p in report.pages} == {
        "index.html",
        "instructor_guide.html",
        "notebooks/01_model_vs_data_centric.html",
        "notebooks/02_confident_learning.html",
        "exercises/01_model_vs_data_centric_lab.html",
    }
    first = (out / "notebooks" / "01_model_vs_data_centric.html").read_text()
    assert 'href="02_confident_learning.html"' in first
    assert 'href="../exercises/01_model_vs_data_centric_lab.html"' in first
    assert 'href="https://example.org/x.ipynb"' in first  # external links are left alone
    index = (out / "index.html").read_text()
    assert 'href="notebooks/01_model_vs_data_centric.html"' in index
    assert 'href="slides/01_model_vs_data_centric.slides.html"' in index
    assert 'href="instructor_guide.html"' in index
    deck = (out / "slides" / "01_model_vs_data_centric.slides.html").read_text()
    assert 'href="02_confident_learning.slides.html"' in deck  # lecture to lecture: decks
    assert 'href="../exercises/01_model_vs_data_centric_lab.html"' in deck
    assert 'src="reveal.js/dist/reveal.js"' in deck and "unpkg.com" not in deck
    assert [d.name for d in report.decks] == [
        "01_model_vs_data_centric.slides.html",
        "02_confident_learning.slides.html",
    ]
    assert broken_links(out) == []
    (out / "slides" / "reveal.js" / "dist" / "reveal.js").unlink()  # the checker sees assets
    assert any("reveal.js/dist/reveal.js: no such page" in b for b in broken_links(out))


def test_the_slide_rule(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Title"),
        nbformat.v4.new_markdown_cell("word " * 150),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("assert x == 1", metadata={"tags": ["assert"]}),
    ]
    assert len(slide_problems(nb)) == 5  # four cells without a type, and no title slide
    for cell, kind in zip(nb.cells, ["slide", "notes", "skip", "skip"], strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    assert slide_problems(nb) == []
    nb.cells[1].metadata["slideshow"]["slide_type"] = "-"  # 150 words on a slide
    nb.cells[3].metadata["slideshow"]["slide_type"] = "-"  # the assert cell shown
    problems = slide_problems(nb)
    assert len(problems) == 2 and "150 words" in problems[0] and "assert" in problems[1]
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="breaks the course's rule"):
        build_deck(path, tmp_path / "slides")
    # dcai-course execute keeps the slide metadata
    assert clean_notebook(nb).cells[1].metadata["slideshow"] == {"slide_type": "-"}


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_lecture_follows_the_slide_rule(path):
    assert slide_problems(path) == [], "\n".join(slide_problems(path))


def test_every_lecture_has_instructor_notes():
    problems = missing_instructor_notes(ROOT)
    assert problems == [], "\n".join(problems)


def test_the_instructor_guide_draws_on_the_course():
    guide = instructor_guide(ROOT)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"slides/{path.stem}.slides.html" in guide
        assert learning_objectives(path)[0] in guide
    assert "| 02.q1 · Per-class thresholds | 2 |" in guide  # questions, points, hints
    assert "--gradescope /autograder/results/results.json" in guide


def test_broken_links_are_reported(mini_course, tmp_path):
    (mini_course / "notebooks" / "02_confident_learning.ipynb").unlink()
    out = tmp_path / "site"
    build_site(mini_course, out)
    broken = broken_links(out)
    assert any("02_confident_learning.html: no such page" in b for b in broken)
    page = out / "notebooks" / "01_model_vs_data_centric.html"
    page.write_text(page.read_text() + '<a href="#nowhere">x</a>')
    assert any("no anchor #nowhere" in b for b in broken_links(out))
    assert main(["build-site", str(tmp_path / "again"), "--root", str(mini_course)]) == 1


def test_build_site_needs_notebooks(tmp_path, capsys):
    with pytest.raises(FileNotFoundError):
        build_site(tmp_path, tmp_path / "site")
    assert main(["build-site", str(tmp_path / "site"), "--root", str(tmp_path)]) == 2


def test_the_course_site_has_every_page_and_no_broken_link(course_site):
    report, out = course_site
    lectures = sorted((ROOT / "notebooks").glob("*.ipynb"))
    labs = sorted((ROOT / "exercises").glob("*.ipynb"))
    assert len(report.pages) == 2 + len(lectures) + len(labs)
    assert len(report.decks) == len(lectures)
    for nb in lectures:
        assert (out / "notebooks" / f"{nb.stem}.html").exists()
    index = (out / "index.html").read_text()
    for nb in lectures:
        assert f'href="notebooks/{nb.stem}.html"' in index
    assert broken_links(out) == []


def test_project_metadata_is_honest():
    import re
    import tomllib

    import yaml

    from dcai_course.datasets.registry import REGISTRY

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "dcai-course/dcai-course" not in str(project.get("urls", {}))  # MIT's site, not ours
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "MIT"
    cited = (ROOT / "CITATION.cff").read_text()
    dois = {doi for f in REGISTRY.values() for doi in re.findall(r"10\.24432/\w+", f.citation)}
    assert dois and all(doi in cited for doi in dois), dois
    readme = (ROOT / "README.md").read_text()
    assert "## Licenses and citation" in readme and "## Presenting a lecture" in readme
    assert "slides/NN_topic.slides.html" in readme and "instructor_guide.html" in readme


def test_check_slides_reports_and_fills(tmp_path, capsys):
    path = tmp_path / "01_x.ipynb"
    write_notebook(path, "# 01 · Title\n\n**Prerequisites**: none.", "word " * 120)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        del cell.metadata["slideshow"]
    nbformat.write(nb, path)
    assert main(["check-slides", str(path)]) == 1
    assert "no slideshow.slide_type" in capsys.readouterr().out
    assert main(["check-slides", "--fill", str(path)]) == 0
    types = [c.metadata["slideshow"]["slide_type"] for c in nbformat.read(path, 4).cells]
    assert types == ["slide", "notes", "skip"]
    assert main(["check-slides", str(tmp_path / "missing.ipynb")]) == 2
