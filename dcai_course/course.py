"""The course map: one list of every notebook, from which the README table is generated.

Keeping the list here (and generating the README's table from it with
``dcai-course build-readme``) means the table and the notebooks cannot drift apart: a
test regenerates the table and compares.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from ._validation import check_choice, check_dir, check_file, check_str
from .notebook_tools import read_notebook

__all__ = [
    "COURSE",
    "Lesson",
    "benchmark_markdown",
    "benchmark_table",
    "course_table",
    "existing_lessons",
    "measured_seconds",
    "render_readme",
]


@dataclass(frozen=True)
class Lesson:
    """One topic of the course: a lecture notebook and, usually, a graded lab."""

    number: str
    slug: str
    title: str
    learn: str
    datasets: str
    has_lab: bool = True

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.number}_{self.slug}.ipynb"

    @property
    def lab(self) -> str | None:
        return f"exercises/{self.number}_{self.slug}_lab.ipynb" if self.has_lab else None

    @property
    def solution(self) -> str | None:
        return f"solutions/{self.number}_{self.slug}_lab.ipynb" if self.has_lab else None


COURSE: tuple[Lesson, ...] = (
    Lesson(
        "00",
        "start_here",
        "Start here",
        "The course map, how labs and the grader work, and an environment check.",
        "none",
        has_lab=False,
    ),
    Lesson(
        "01",
        "model_vs_data_centric",
        "Model-centric versus data-centric AI",
        "A full factorial: a baseline and a stronger model on noisy, cleaned and true "
        "labels, uniform and structured noise, 95% intervals over seeds; evaluation hygiene.",
        "digits (bundled)",
    ),
    Lesson(
        "02",
        "confident_learning",
        "Confident learning: finding label errors",
        "Out-of-sample probabilities, per-class thresholds, the confident joint, pruning, "
        "ranking; cleanlab; real label errors in famous test sets, checked against crowd "
        "verdicts.",
        "digits (bundled), Letter Recognition (UCI), published label-error study (MNIST, "
        "CIFAR-10, 20 Newsgroups, IMDB)",
    ),
    Lesson(
        "03",
        "learning_with_noisy_labels",
        "Learning with noisy labels: robust training",
        "Memorisation, forward loss correction with a true or estimated noise matrix, "
        "co-teaching, GCE and label smoothing, filter then train; when to clean.",
        "MNIST test set (10,000 images)",
    ),
    Lesson(
        "04",
        "weak_supervision",
        "Weak supervision",
        "Labeling functions, LF analysis, majority vote, Dawid-Skene and Snorkel's label "
        "model, an end model on probabilistic labels.",
        "YouTube Spam Collection (UCI)",
    ),
    Lesson(
        "05",
        "crowdsourcing",
        "Crowdsourcing quality",
        "Agreement and kappa, annotator quality, majority vote versus Dawid-Skene, "
        "redundancy, CROWDLAB.",
        "Bluebirds, Dog (crowd labels), digits",
    ),
    Lesson(
        "06",
        "data_quality_audit",
        "The data-quality audit",
        "Duplicates, train/test leakage, outliers and class imbalance, measured; "
        "cleanlab's Datalab.",
        "YouTube Spam, Letter Recognition, digits",
    ),
    Lesson(
        "07",
        "data_validation_and_pipelines",
        "Data validation and reproducible data pipelines",
        "Profiling raw data, schema inference and validation (with pandera), missing-value "
        "choices over seeds, batch contracts with PSI and two-sample tests, content hashes "
        "and a lineage-recording pipeline.",
        "UCI Adult (raw files), YouTube Spam",
    ),
    Lesson(
        "08",
        "evaluation_and_distribution_shift",
        "Data-centric evaluation and distribution shift",
        "Slice accuracy with Wilson intervals, SliceLine, covariate-shift tests (domain "
        "classifier, KS with a correction, MMD), importance weights and their effective "
        "sample size, BBSE for label shift.",
        "UCI Adult, Wine Quality (UCI), YouTube Spam (UCI)",
    ),
    Lesson(
        "09",
        "fairness_and_bias",
        "Fairness and bias in data",
        "Group metrics with intervals and the small-group problem, why the criteria conflict, "
        "group-dependent label noise and confident learning per group, reweighing, "
        "resampling, ExponentiatedGradient and group thresholds on a Pareto plot.",
        "UCI Adult (census income)",
    ),
    Lesson(
        "10",
        "scaling_laws",
        "Scaling laws and learning curves",
        "Learning curves, power-law fits, extrapolation against a baseline, how much data "
        "is enough, quality versus quantity.",
        "Letter Recognition (UCI)",
    ),
    Lesson(
        "11",
        "active_learning",
        "Active learning",
        "Uncertainty and diversity sampling against random, when active learning fails, "
        "ActiveLab with noisy annotators.",
        "digits (bundled), Letter Recognition (UCI)",
    ),
    Lesson(
        "12",
        "augmentation_and_synthetic_data",
        "Data augmentation and synthetic data",
        "Image transforms, MixUp and CutMix for a tiny CNN, EDA for text, SMOTE against "
        "class weights (and imbalanced-learn), model-guided synthesis and the test-set "
        "filter trap, when augmentation hurts.",
        "MNIST test set, YouTube Spam Collection (UCI), Wine Quality (UCI)",
    ),
    Lesson(
        "13",
        "privacy_and_security",
        "Privacy and security of training data",
        "Membership inference (loss-threshold and shadow-model attacks, AUC and TPR at low "
        "FPR) against capacity, data size and duplicates; defences and their cost, a short "
        "look at differential privacy; label-flip and backdoor poisoning, sanitised with "
        "confident learning and outlier scores.",
        "digits (bundled)",
    ),
    Lesson(
        "14",
        "model_based_curation",
        "Model-based data curation (capstone)",
        "Compressing a noisy data set by a quality score, model-guided augmentation, "
        "the data flywheel.",
        "Letter Recognition (UCI)",
    ),
)


def existing_lessons(root: str | Path = ".") -> list[Lesson]:
    """The lessons whose lecture notebook exists under ``root`` (an existing folder)."""
    root = check_dir(root, "root")
    return [lesson for lesson in COURSE if (root / lesson.notebook).exists()]


def measured_seconds(path: str | Path) -> float | None:
    """The execution time recorded in a notebook by ``dcai-course execute``, if any.

    ``None`` when the notebook does not exist (a lab not written yet) or has no time.
    """
    if not isinstance(path, str | PathLike):
        raise TypeError(f"path must be a path (str or pathlib.Path), got {path!r}.")
    if not Path(path).exists():
        return None
    path = check_file(path, "path")
    value = read_notebook(path).metadata.get("dcai_course", {}).get("execution_seconds")
    return float(value) if value is not None else None


def _fmt_seconds(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.0f} s"


def _link(path: str, base: str, ext: str) -> str:
    target = posixpath.relpath(path, base) if base not in ("", ".") else path
    return target[: -len(".ipynb")] + ext if ext != ".ipynb" else target


def course_table(
    root: str | Path = ".", *, base: str = ".", ext: str = ".ipynb", slides: bool = False
) -> str:
    """The course map as a Markdown table, one row per existing notebook.

    Parameters
    ----------
    root : path
        The course folder.
    base : str
        The folder, relative to ``root``, of the document that shows the table, so that
        links work from there: ``"."`` for the README, ``"notebooks"`` for
        ``notebooks/00_start_here.ipynb``.
    ext : {".ipynb", ".html"}
        Link to the notebooks, or to their pages in the static site.
    slides : bool
        Add a column linking each lecture's slide deck, ``slides/NN_topic.slides.html``
        (the static site's index; the decks exist only there).

    The run times are those recorded in each notebook's metadata when it was last
    executed with ``dcai-course execute`` on a 2-core machine.
    """
    root = check_dir(root, "root")
    check_str(base, "base")
    check_choice(ext, "ext", (".ipynb", ".html"))
    if not isinstance(slides, bool):
        raise TypeError(f"slides must be True or False, got {slides!r}.")
    deck_header = " Slides |" if slides else ""
    rows = [
        f"| # | Notebook |{deck_header} What you learn | Data | Lab "
        "| Time to run (lecture / lab) |",
        "|---|---|---|---|---|---|" + ("---|" if slides else ""),
    ]
    for lesson in existing_lessons(root):
        has_lab = lesson.has_lab and (root / lesson.lab).exists()
        lab = f"[lab]({_link(lesson.lab, base, ext)})" if has_lab else "–"
        lab_time = _fmt_seconds(measured_seconds(root / lesson.solution)) if has_lab else "–"
        # a notebook without a lab is the start page, which shows this very table: it
        # cannot know its own run time before it has run, so none is shown
        own = measured_seconds(root / lesson.notebook) if lesson.has_lab else None
        times = f"{_fmt_seconds(own)} / {lab_time}"
        deck = ""
        if slides:
            stem = f"{lesson.number}_{lesson.slug}"
            deck = f" [slides]({_link(f'slides/{stem}.ipynb', base, '.slides.html')}) |"
        rows.append(
            f"| {lesson.number} | [{lesson.title}]({_link(lesson.notebook, base, ext)}) |{deck} "
            f"{lesson.learn} | {lesson.datasets} | {lab} | {times} |"
        )
    return "\n".join(rows)


def benchmark_markdown(results: dict) -> str:
    """Benchmark results (as written by ``benchmarks/run_all.py --json``) as Markdown tables."""
    if not isinstance(results, dict) or not {"algorithms", "machine"} <= set(results):
        raise ValueError(
            "results must be the dict that benchmarks/run_all.py --json writes, with the keys "
            f"'algorithms' and 'machine'; got {type(results).__name__}."
        )
    lines = [
        "| Topic | Ours | Reference | Data | Ours (s) | Reference (s) | Speed-up | Agreement |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results["algorithms"]:
        lines.append(
            f"| {r['topic']} | `{r['ours']}` | {r['reference']} | {r['data']} | "
            f"{r['ours_s']:.3f} | {r['reference_s']:.3f} | {r['speedup']:.1f}× | {r['agreement']} |"
        )
    if results.get("notebooks"):
        lines += ["", "| Notebook | Run time (s) | Peak memory (MB) |", "|---|---|---|"]
        for r in results["notebooks"]:
            lines.append(f"| {r['notebook']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
        total = sum(r["seconds"] for r in results["notebooks"])
        lines.append(f"| all {len(results['notebooks'])}, one after the other | {total:.0f} | |")
    if results.get("grader"):
        lines += ["", *_grader_rows(results["grader"])]
    machine = results["machine"]
    lines += [
        "",
        f"Measured on {machine['date']} ({machine['cores']} cores, Python {machine['python']}, "
        f"{machine['platform']}) with "
        "`python benchmarks/run_all.py --json benchmarks/results.json`.",
    ]
    return "\n".join(lines)


def _grader_rows(g: dict) -> list[str]:
    """The grader's class run (``benchmarks/bench_grader.py --save``) as a small table."""
    return [
        "| Grading a class | Submissions | Wall time (s) | Peak memory (MB) | Left over |",
        "|---|---|---|---|---|",
        f"| `{g['command']}` | {g['submissions']} ({g['adversarial']} adversarial) | "
        f"{g['seconds']:.0f} | {g['peak_mb']:.0f} | {g['left_over']} processes |",
        "",
        f"The grader's row: measured on {g['date']} ({g['machine']}, load average "
        f"{g.get('load_average', 'not recorded')} from other work) with "
        "`python benchmarks/bench_grader.py --save`; peak memory is the sum of the resident "
        "memory of every process of the run.",
    ]


def benchmark_table(root: str | Path = ".") -> str:
    """The README's benchmark section, from ``benchmarks/results.json``."""
    import json

    path = check_dir(root, "root") / "benchmarks" / "results.json"
    if not path.exists():
        return "No results yet: run `python benchmarks/run_all.py --json benchmarks/results.json`."
    return benchmark_markdown(json.loads(path.read_text(encoding="utf-8")))


def _section_markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"


def render_readme(text: str, root: str | Path = ".") -> str:
    """Return ``text`` with every generated section of the README rebuilt.

    A section sits between ``<!-- BEGIN GENERATED: name -->`` and
    ``<!-- END GENERATED: name -->``; its body is never edited by hand.
    """
    check_str(text, "text")
    check_dir(root, "root")
    sections = {"course-table": course_table, "benchmarks": benchmark_table}
    for name, build in sections.items():
        begin, end = _section_markers(name)
        start, stop = text.find(begin), text.find(end)
        if start < 0 or stop < start:
            raise ValueError(
                f"README has no well-formed generated section {name!r} ({begin} ... {end})."
            )
        text = text[: start + len(begin)] + "\n" + build(root) + "\n" + text[stop:]
    return text
