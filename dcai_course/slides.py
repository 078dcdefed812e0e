"""Every lecture is also a slide deck: the slide rule, its check, and the deck builder.

A lecture notebook carries, on every cell, ``cell.metadata.slideshow.slide_type`` (the
field JupyterLab's property inspector and RISE edit). The course's rule:

* the title cell and each ``#``/``##`` section-heading cell → ``"slide"``;
* a cell that carries a figure or a table → ``"subslide"`` (or ``"fragment"`` when it
  belongs to the previous slide);
* long explanatory Markdown (more than ~80 words) → ``"notes"`` (speaker notes);
* setup and plumbing code, and the ``assert`` cell → ``"skip"``;
* everything else → ``"-"`` (stays on the current slide).

:func:`slide_problems` checks a notebook against the rule (the tests run it on every
lecture) and :func:`build_deck` writes the reveal.js deck with nbconvert's
``SlidesExporter``, loading reveal.js and MathJax from files copied beside the deck
(:func:`copy_assets`), so that a deck works offline.

Taught in: README.md ("Presenting a lecture").
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from ._validation import check_bool, check_dir, check_file
from .notebook_tools import read_notebook

__all__ = [
    "NOTES_WORDS",
    "SLIDE_TYPES",
    "allowed_slide_types",
    "build_deck",
    "copy_assets",
    "deck_name",
    "fill_slide_types",
    "slide_problems",
    "slide_type",
    "suggest_slide_type",
]

#: The slide types nbconvert's reveal.js exporter and RISE understand.
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
#: Markdown longer than this many words is reading: it goes to the speaker notes.
NOTES_WORDS = 80
# the rule says "~80 words": the check lets a cell of up to this many stay on a slide
_NOTES_REQUIRED_WORDS = 100

STATIC = Path(__file__).resolve().parent / "_static"
_ASSETS = ("reveal.js", "mathjax")
_HEADING = re.compile(r"^#{1,2}\s+\S", re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_MD_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(|<img\b")
_NOTEBOOK_LINK = re.compile(r"\]\((?!https?://)([^)\s#]+?)\.ipynb(#[^)\s]*)?\)")


def _check_cell(cell) -> None:
    if not isinstance(cell, dict) or "cell_type" not in cell or "source" not in cell:
        raise TypeError(
            f"cell must be a notebook cell (an element of nb.cells), got {type(cell).__name__}."
        )


def _prose(cell) -> str:
    return _FENCE.sub("", cell.source)


def _is_heading(cell) -> bool:
    return cell.cell_type == "markdown" and bool(_HEADING.search(_prose(cell)))


def _is_learning_objectives(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith(
        "**What you will learn**"
    )


def _carries_figure_or_table(cell) -> bool:
    if cell.cell_type == "markdown":
        text = _prose(cell)
        return bool(_MD_TABLE.search(text) or _MD_IMAGE.search(text))
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if any(mime.startswith("image/") for mime in data):
            return True
        if "<table" in data.get("text/html", "") or _MD_TABLE.search(data.get("text/markdown", "")):
            return True
    return False


def _words(cell) -> int:
    return len(cell.source.split())


def slide_type(cell) -> str | None:
    """The cell's ``metadata.slideshow.slide_type``, or ``None`` when it has none."""
    _check_cell(cell)
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def allowed_slide_types(cell) -> tuple[frozenset[str], str]:
    """The slide types the course's rule allows for ``cell``, and the reason.

    Examples
    --------
    >>> import nbformat
    >>> allowed_slide_types(nbformat.v4.new_markdown_cell("## 2. Pruning"))
    (frozenset({'slide'}), 'a # or ## heading starts a slide')
    """
    _check_cell(cell)
    if _is_heading(cell):
        return frozenset({"slide"}), "a # or ## heading starts a slide"
    if "assert" in cell.get("metadata", {}).get("tags", []):
        return frozenset({"skip"}), "the assert cell is not shown"
    visual = _carries_figure_or_table(cell)
    if cell.cell_type == "code":
        if visual:
            return frozenset({"subslide", "fragment"}), "a cell with a figure or table"
        return frozenset({"-", "skip"}), "code without a figure or table (skip for plumbing)"
    allowed = {"notes"} | ({"subslide", "fragment"} if visual else set())
    if _words(cell) <= _NOTES_REQUIRED_WORDS or _is_learning_objectives(cell):
        allowed.add("-")
        return frozenset(allowed), "short Markdown stays on the slide (or goes to the notes)"
    return frozenset(allowed), (
        f"Markdown of {_words(cell)} words is reading: speaker notes (or split it into a "
        "short cell for the slide and a notes cell)"
    )


def suggest_slide_type(cell, *, setup: bool = False) -> str:
    """The slide type the rule gives ``cell`` (``setup=True`` for the setup code cell)."""
    _check_cell(cell)
    setup = check_bool(setup, "setup")
    allowed, _ = allowed_slide_types(cell)
    if len(allowed) == 1:
        return next(iter(allowed))
    if cell.cell_type == "code":
        if "subslide" in allowed:
            return "subslide"
        return "skip" if setup else "-"
    if "subslide" in allowed:
        return "subslide"
    if _words(cell) > NOTES_WORDS and not _is_learning_objectives(cell):
        return "notes"
    return "-"


def slide_problems(notebook) -> list[str]:
    """Every cell of ``notebook`` (a path or a notebook) whose slide type breaks the rule.

    An empty list means the notebook is a valid deck.
    """
    if isinstance(notebook, nbformat.NotebookNode):
        nb = notebook
    else:
        nb = read_notebook(check_file(notebook, "notebook"))
    if not nb.cells:
        return ["the notebook has no cells"]
    problems = []
    for index, cell in enumerate(nb.cells):
        found = slide_type(cell)
        allowed, reason = allowed_slide_types(cell)
        first_line = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
        where = f"cell {index} ({cell.cell_type}, {first_line!r})"
        if found is None:
            problems.append(f"{where}: no slideshow.slide_type; expected one of {sorted(allowed)}")
        elif found not in SLIDE_TYPES:
            problems.append(f"{where}: unknown slide type {found!r}; use one of {SLIDE_TYPES}")
        elif found not in allowed:
            problems.append(f"{where}: slide type {found!r}, expected {sorted(allowed)} ({reason})")
    if slide_type(nb.cells[0]) != "slide":
        problems.append("cell 0: the title cell must be a 'slide' (a deck starts with a slide)")
    return problems


def fill_slide_types(nb: nbformat.NotebookNode) -> int:
    """Give every cell without a slide type the one the rule suggests; return how many.

    The first code cell is taken for the setup cell (``"skip"``). Cells that already have
    a slide type are left alone, and long cells are not split: check the result with
    :func:`slide_problems` and adjust by hand (JupyterLab's property inspector).
    """
    if not isinstance(nb, nbformat.NotebookNode) or "cells" not in nb:
        raise TypeError(f"nb must be a notebook read with read_notebook, got {type(nb).__name__}.")
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    filled = 0
    for index, cell in enumerate(nb.cells):
        if slide_type(cell) is None:
            kind = suggest_slide_type(cell, setup=index == first_code)
            cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
            filled += 1
    return filled


def deck_name(notebook: str | Path) -> str:
    """The deck's file name: ``NN_topic.slides.html`` for ``NN_topic.ipynb``."""
    if not isinstance(notebook, str | Path) or not str(notebook).endswith(".ipynb"):
        raise TypeError(f"notebook must be the path of a .ipynb file, got {notebook!r}.")
    return f"{Path(notebook).stem}.slides.html"


def _deck_links(text: str) -> str:
    """A lecture's link to another lecture goes to its deck; any other notebook to its page."""

    def repl(match):
        target, anchor = match.group(1), match.group(2) or ""
        if "/" in target:
            return f"]({target}.html{anchor})"
        return f"]({target}.slides.html{anchor})"

    return _NOTEBOOK_LINK.sub(repl, text)


def copy_assets(outdir: str | Path) -> list[Path]:
    """Copy the vendored reveal.js and MathJax beside the decks in ``outdir`` (a folder)."""
    outdir = check_dir(outdir, "outdir")
    copied = []
    for name in _ASSETS:
        shutil.copytree(STATIC / name, outdir / name, dirs_exist_ok=True)
        copied.append(outdir / name)
    return copied


def build_deck(notebook: str | Path, outdir: str | Path, *, check: bool = True) -> Path:
    """Write the reveal.js deck of a lecture to ``outdir/NN_topic.slides.html``.

    Parameters
    ----------
    notebook : path
        An executed lecture notebook with slide metadata on every cell.
    outdir : path
        The folder of the decks; call :func:`copy_assets` on it once so they work offline.
    check : bool
        Refuse (``ValueError``) a notebook whose slide metadata breaks the course's rule.

    Returns
    -------
    pathlib.Path
        The deck written.
    """
    from nbconvert import SlidesExporter

    nb = read_notebook(check_file(notebook, "notebook"))
    if check_bool(check, "check") and (problems := slide_problems(nb)):
        raise ValueError(
            f"{notebook}: slide metadata breaks the course's rule (see dcai_course.slides):\n  "
            + "\n  ".join(problems)
        )
    outdir = check_dir(outdir, "outdir", must_exist=False)
    outdir.mkdir(parents=True, exist_ok=True)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _deck_links(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"] = _deck_links(data["text/markdown"])
    exporter = SlidesExporter(
        template_name="dcai_slides",
        extra_template_basedirs=[str(STATIC / "templates")],
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
    )
    body, _ = exporter.from_notebook_node(
        nb,
        resources={
            "metadata": {"name": Path(notebook).stem},
            "dcai_mathjax_url": "mathjax/tex-svg.js",
        },
    )
    deck = outdir / deck_name(notebook)
    deck.write_text(body, encoding="utf-8")
    return deck
