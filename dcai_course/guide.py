"""The instructor's guide: one Markdown page assembled from what the course already holds.

For each lecture of :data:`dcai_course.course.COURSE` that exists, the guide gathers

* its learning objectives, the "What you will learn" bullets read from the notebook;
* its running time (lecture and lab), recorded in ``benchmarks/results.json``, or else
  in the notebook's metadata by ``dcai-course execute``;
* links to its slide deck, its page and its lab in the static site;
* the lab's questions and points, and each question's hint as a "common mistake",
  from the lab's grading spec (``dcai_course/grading/labs/labNN.py``);
* the discussion questions and notes written by hand in ``instructor/NN_topic.md``
  (headings ``## Discussion questions`` and ``## Notes for the instructor``);

then how to grade the class, locally and as a Gradescope autograder.
``dcai-course build-site`` writes it to ``instructor_guide.md`` and ``.html``.

Taught in: README.md ("Presenting a lecture").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ._validation import check_dir, check_file
from .course import Lesson, existing_lessons, measured_seconds
from .notebook_tools import read_notebook

__all__ = [
    "INSTRUCTOR_HEADINGS",
    "instructor_guide",
    "instructor_notes_path",
    "learning_objectives",
    "missing_instructor_notes",
]

#: The headings every ``instructor/NN_topic.md`` has, in this order.
INSTRUCTOR_HEADINGS = ("## Discussion questions", "## Notes for the instructor")
_LEARN = re.compile(r"\*\*What you will learn\*\*[^\n]*\n+((?:[-*] .*\n?(?:[ \t]+\S.*\n?)*)+)")


def instructor_notes_path(root: str | Path, lesson: Lesson) -> Path:
    """Where the hand-written notes of ``lesson`` live: ``instructor/NN_topic.md``."""
    if not isinstance(lesson, Lesson):
        raise TypeError(
            f"lesson must be a dcai_course.course.Lesson (an element of COURSE), got {lesson!r}."
        )
    return check_dir(root, "root") / "instructor" / f"{lesson.number}_{lesson.slug}.md"


def missing_instructor_notes(root: str | Path = ".") -> list[str]:
    """Every existing lecture whose ``instructor/`` file is missing or lacks a heading."""
    problems = []
    for lesson in existing_lessons(root):
        path = instructor_notes_path(root, lesson)
        if not path.exists():
            problems.append(
                f"{lesson.notebook} has no instructor notes: write instructor/{path.name} with "
                f"the headings {' and '.join(repr(h) for h in INSTRUCTOR_HEADINGS)}."
            )
            continue
        text = path.read_text(encoding="utf-8")
        for heading in INSTRUCTOR_HEADINGS:
            if not re.search(rf"^{re.escape(heading)}\s*$", text, re.MULTILINE):
                problems.append(f"instructor/{path.name} has no heading {heading!r}.")
    return problems


def learning_objectives(notebook: str | Path) -> list[str]:
    """The "What you will learn" bullets of a lecture, as written in the notebook."""
    nb = read_notebook(check_file(notebook, "notebook"))
    text = "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    match = _LEARN.search(text + "\n")
    if not match:
        raise ValueError(
            f"{notebook} has no '**What you will learn**' list: the lecture anatomy asks "
            "for 3–5 bullets after that line."
        )
    bullets = re.split(r"\n(?=[-*] )", match.group(1).strip())
    return [" ".join(b[2:].split()) for b in bullets]


def _recorded_seconds(root: Path) -> dict[str, float]:
    path = root / "benchmarks" / "results.json"
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
    return {row["notebook"]: float(row["seconds"]) for row in rows}


def _seconds(root: Path, relpath: str | None, recorded: dict[str, float]) -> str:
    if relpath is None:
        return "–"
    if relpath in recorded:
        return f"{recorded[relpath]:.0f} s"
    seconds = measured_seconds(root / relpath)
    return "–" if seconds is None else f"{seconds:.0f} s (recorded in the notebook)"


def _lab_section(root: Path, lesson: Lesson) -> list[str]:
    from .grading.spec import all_labs

    lab = all_labs().get(f"{lesson.number}_{lesson.slug}_lab")
    if lab is None:
        return ["No graded lab."]
    published = (root / lesson.lab).exists()
    title = (
        f"[{lab.title}](exercises/{lesson.number}_{lesson.slug}_lab.html)"
        if published
        else lab.title
    )
    lines = [
        f"**Lab**: {title}, "
        f"{lab.max_score} points graded automatically"
        + (
            f", plus {sum(q.manual for q in lab.questions)} written question(s) graded by hand."
            if any(q.manual for q in lab.questions)
            else "."
        ),
        "",
        "| Question | Points | Common mistake (the grader's hint) |",
        "|---|---|---|",
    ]
    for q in lab.questions:
        points = f"{q.points} (written)" if q.manual else str(q.points)
        hint = " ".join(q.hint.split()).replace("|", "\\|") or "–"
        lines.append(f"| {q.id} · {q.title} | {points} | {hint} |")
    return lines


def _hand_written(root: Path, lesson: Lesson) -> list[str]:
    path = instructor_notes_path(root, lesson)
    if not path.exists():
        return [f"*No instructor notes yet: write `instructor/{path.name}`.*"]
    text = path.read_text(encoding="utf-8").strip()
    # the file's own headings become bold lines under the lecture's (no duplicate anchors)
    return [re.sub(r"^## (.+?)[ \t]*$", r"**\1**", text, flags=re.MULTILINE)]


_GRADING = """\
## Grading the class

**Locally.** Collect the submitted notebooks in a folder (one `.ipynb` per student, any
names) and run

```bash
dcai-course grade submissions/ --csv grades.csv
```

Each notebook is executed in a fresh kernel (in a bubblewrap sandbox where it works:
`apt install bubblewrap`); the hidden tests run in the grader process with a fresh seed,
so a hard-coded answer does not pass. The terminal table and `grades.csv` list each
question's points and status; written questions are listed as `manual`, to grade by hand;
answers that look copied are flagged, never penalised automatically. `--jobs 2` grades
two notebooks at a time; `--seed N` replays a run. A learner grades their own lab the
same way: `dcai-course grade exercises/NN_topic_lab.ipynb`.

**As a Gradescope autograder.** Upload a zip with a `setup.sh` that installs the course
(`apt-get install -y bubblewrap python3-venv`, then `pip install` of this repository) and
a `run_autograder` that runs

```bash
dcai-course grade /autograder/submission --gradescope /autograder/results/results.json
```

Each autograded question becomes a Gradescope test with its score; written questions are
left to Gradescope's manual grading. The README's "Grading a class" section has the
details (security model, sandbox, time and memory limits).
"""


def instructor_guide(root: str | Path = ".") -> str:
    """The instructor's guide of the course in ``root``, as Markdown.

    Links are relative to the site's root (``dcai-course build-site`` writes the guide
    there). A lecture without ``instructor/NN_topic.md`` gets a placeholder line; the
    tests call :func:`missing_instructor_notes` so that it does not go unnoticed.
    """
    root = check_dir(root, "root")
    recorded = _recorded_seconds(root)
    lines = [
        "# Data-Centric AI: the instructor's guide",
        "",
        "Every lecture is a notebook and a slide deck built from it (the same cells: one idea "
        "per slide, the long reading in the speaker notes, which reveal.js shows when you "
        "press **S**). Present the deck from the site (offline), or live from JupyterLab "
        "with the kernel running: open the notebook and use *View → Render Side-by-Side* "
        "or RISE if it is installed. Running times were measured on a 2-core machine with "
        "`python benchmarks/run_all.py`.",
        "",
    ]
    for lesson in existing_lessons(root):
        stem = f"{lesson.number}_{lesson.slug}"
        lines += [
            f"## {lesson.number} · {lesson.title}",
            "",
            f"[Slides](slides/{stem}.slides.html) · [notebook](notebooks/{stem}.html)"
            + (
                f" · [lab](exercises/{stem}_lab.html)"
                if lesson.has_lab and (root / lesson.lab).exists()
                else ""
            ),
            "",
            f"**Running time**: lecture {_seconds(root, lesson.notebook, recorded)}, "
            f"lab {_seconds(root, lesson.solution if lesson.has_lab else None, recorded)}.",
            "",
            "**Learning objectives** (from the notebook):",
            "",
        ]
        try:
            lines += [f"- {item}" for item in learning_objectives(root / lesson.notebook)]
        except ValueError as exc:
            lines.append(f"- *{exc}*")
        lines += ["", *_lab_section(root, lesson), "", *_hand_written(root, lesson), ""]
    lines.append(_GRADING)
    return "\n".join(lines)
