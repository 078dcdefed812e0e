"""Grade submitted lab notebooks: the grader process decides every point.

For every submission the grader

1. reads the file itself (never through the learner's kernel) and finds the lab from its
   metadata (``metadata.dcai_course.lab``), not from its file name; a file that is not a
   readable lab notebook gets an error row and grading goes on;
2. starts a fresh kernel in a private temporary folder that holds only a copy of the
   notebook, sandboxed with bubblewrap where available (:mod:`.kernel`), and runs the
   learner's cells with a time limit per cell and per notebook; a cell that raises, runs
   over time or kills its kernel is noted, and the cells after it still run;
3. for each autograded question, runs the lab's public and hidden tests *in the grader
   process*: the tests generate the inputs, call the learner's function in its kernel
   through a :class:`~.remote.RemoteFunction` (plain data in, plain data out), and
   compare the outputs with the reference implementation; the reference implementations
   the question names raise inside the kernel during those calls;
4. builds the report from the lab's spec: ids, points and maxima come from the spec,
   written questions are ``manual`` whatever the notebook says;
5. kills the kernel with every process it started and deletes the folder.

:func:`grade_paths` grades a class (``--jobs`` in parallel) and then compares each
answer with the reference, the solution and every other submission
(:mod:`.similarity`): a close match is flagged for the instructor, not zeroed.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .demo_cells import skippable_cells
from .kernel import Kernel, KernelDied, become_subreaper, private_folder, resolve_sandbox
from .remote import Budget, KernelGone, NotPlainResult, QuestionTimeout, RemoteFunction, Session
from .report import clean_text, format_table, write_csv, write_gradescope
from .similarity import (
    add_similarity,
    bytecode_match,
    provided_cells,
    suspicious_constructs,
)
from .spec import Lab, Question, get_lab, run_question

__all__ = [
    "GradeOptions",
    "Submission",
    "collect_notebooks",
    "format_table",
    "grade_notebook",
    "grade_paths",
    "write_csv",
    "write_gradescope",
]

#: The default memory limit of a kernel (its address space), in bytes.
DEFAULT_MEMORY = 4 * 2**30
#: The largest notebook file the grader reads.
MAX_NOTEBOOK_BYTES = 100 * 2**20
#: How many times a kernel that died or ignored an interrupt is restarted for one notebook.
MAX_RESTARTS = 3
_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class GradeOptions:
    """How submissions are run.

    Parameters
    ----------
    timeout : float
        Seconds per learner cell; a cell over it is interrupted, and killed with its
        kernel (which is then restarted without it) if it ignores the interrupt.
    notebook_timeout : float
        Seconds for all the learner's cells of one notebook; the cells left are skipped.
    sandbox : {"auto", "bwrap", "none"}
    memory : int
        Address-space limit of each kernel in bytes (0: none).
    hide : list of Path
        Folders the kernel must not see (the submissions); ``solutions/`` is always added.
    seed : int or None
        Seed of the hidden tests (None: a fresh one per question).
    question_timeout : float or None
        Caps every question's own time limit (seconds of the learner's code per question).
    workdir : Path or None
        Where the private folders are made (default: the system's temporary folder).
    run_every_cell : bool
        Also run handed-out demonstration cells that nothing graded reads (by default they
        are skipped; see :mod:`dcai_course.grading.demo_cells`).
    """

    timeout: float = 120
    notebook_timeout: float = 900
    sandbox: str = "auto"
    memory: int = DEFAULT_MEMORY
    hide: list[Path] = field(default_factory=list)
    seed: int | None = None
    question_timeout: float | None = None
    workdir: Path | None = None
    adopt_orphans: bool = False
    run_every_cell: bool = False


@dataclass
class Submission:
    """The grade of one submitted notebook."""

    notebook: str
    lab: str | None
    score: float
    max_score: int
    questions: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    sandbox: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out = {
            "notebook": self.notebook,
            "lab": self.lab,
            "score": self.score,
            "max_score": self.max_score,
            "questions": self.questions,
            "sandbox": self.sandbox,
        }
        for key in ("error", "notes", "flags"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


# -- finding and reading submissions -----------------------------------------------------------


def collect_notebooks(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into a sorted list of notebooks (``.ipynb``, any case).

    Checkpoint folders and symbolic links are skipped.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() == ".ipynb"
                and p.is_file()
                and not p.is_symlink()
                and ".ipynb_checkpoints" not in p.parts
            )
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path} does not exist.")
    return found


class BadSubmission(ValueError):
    """A file that is not a gradable lab notebook; the message says why."""


def read_submission(path: Path) -> tuple[list[str], str]:
    """The code cells' sources and the lab id of a notebook file, checked strictly."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise BadSubmission(f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
        nb = json.loads(path.read_text(encoding="utf-8"))
    except BadSubmission:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadSubmission(
            f"not a readable Jupyter notebook ({type(exc).__name__}: {exc})"
        ) from exc
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise BadSubmission("not a readable Jupyter notebook: it has no list of cells")
    meta = nb.get("metadata")
    entry = meta.get("dcai_course") if isinstance(meta, dict) else None
    lab = entry.get("lab") if isinstance(entry, dict) else None
    if lab is None:
        raise BadSubmission(
            "not a dcai-course lab: its metadata has no dcai_course.lab entry "
            "(start from the notebook in exercises/, which carries it)"
        )
    if not isinstance(lab, str):
        raise BadSubmission(f"its metadata dcai_course.lab should be a lab id, got {lab!r:.80}")
    return [_cell_source(i, c) for i, c in enumerate(nb["cells"]) if _is_code(c)], lab


def _is_code(cell: Any) -> bool:
    if not isinstance(cell, dict):
        raise BadSubmission("not a readable Jupyter notebook: a cell is not an object")
    return cell.get("cell_type") == "code"


def _cell_source(index: int, cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if not isinstance(source, str):
        raise BadSubmission(f"code cell {index} has a source that is not text")
    return source


# -- running the learner's cells ----------------------------------------------------------------


def _only_checks(source: str) -> bool:
    """Whether a cell does nothing but ``check("NN.qK", name)`` calls (self-checks)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return bool(tree.body) and all(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "check"
        and all(isinstance(a, ast.Constant | ast.Name) for a in node.value.args)
        and not node.value.keywords
        for node in tree.body
    )


def _cells_to_run(cells: list[str]) -> list[str]:
    """The learner's cells, with self-check cells blanked (their output is not used).

    Only when the notebook never defines its own ``check``.
    """
    if any(
        re.search(r"^\s*(def\s+check\b|check\s*=)|import .*\bcheck as\b", c, re.M) for c in cells
    ):
        return cells
    return ["" if _only_checks(c) else c for c in cells]


class _Runner:
    """Runs the learner's cells in a kernel, restarting it without a cell that killed it."""

    def __init__(self, kernel: Kernel, cells: list[str], options: GradeOptions):
        self.kernel, self.cells, self.options = kernel, cells, options
        self.skip: set[int] = set()
        self.notes: dict[str, None] = {}
        self.restarts = 0

    def note(self, text: str) -> None:
        self.notes[clean_text(text, 300)] = None

    def skip_demonstrations(self, lab: Lab) -> None:
        """Skip the handed-out cells whose results nothing graded reads."""
        graded = [q.name for q in lab.questions if q.name]
        skipped = skippable_cells(self.cells, provided_cells(lab.id), graded)
        if skipped:
            self.skip |= skipped
            cells = ", ".join(str(i) for i in sorted(skipped))
            self.note(f"handed-out demonstration cells not run (they do not change the grade): "
                      f"code cells {cells}")  # fmt: skip

    def run(self) -> None:
        """Start a kernel and run the cells; restart without a cell that killed it."""
        while not self._run_once():
            self.restarts += 1
            if self.restarts > MAX_RESTARTS:
                raise KernelDied(f"the kernel was lost {self.restarts} times")

    def restart(self) -> None:
        """A fresh kernel with the cells replayed (after a graded call killed the kernel)."""
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise KernelDied(f"the kernel was lost {self.restarts} times")
        self.run()

    def _run_once(self) -> bool:
        self.kernel.start()
        deadline = time.monotonic() + self.options.notebook_timeout
        for index, source in enumerate(self.cells):
            if index in self.skip or not source.strip():
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                self.note(
                    f"the notebook's time ({self.options.notebook_timeout:g} s) ran out: "
                    f"code cells {index} and after were not run"
                )
                return True
            limit = min(self.options.timeout, left)
            outcome = self.kernel.execute(source, limit)
            if outcome.status == "error" and outcome.ename != "NotImplementedError":
                self.note(f"code cell {index} raised {outcome.ename}: {outcome.evalue[:200]}")
            elif outcome.status == "timeout":
                self.note(f"code cell {index} ran over {limit:g} s and was interrupted "
                          "(KeyboardInterrupt)")  # fmt: skip
            elif outcome.status in ("killed", "dead"):
                what = ("ignored the interrupt at its time limit; its kernel was killed"
                        if outcome.status == "killed" else "stopped the kernel")  # fmt: skip
                self.note(f"code cell {index} {what}, and was skipped when the notebook ran again")
                self.skip.add(index)
                return False
        return True


# -- grading one notebook ---------------------------------------------------------------------


def _row(question: Question, status: str, message: str, points: float = 0) -> dict[str, Any]:
    return {
        "id": question.id,
        "points": points if status == "passed" else 0,
        "max_points": question.points,
        "status": "manual" if question.manual else status,
        "message": "written answer: graded by the instructor" if question.manual else message,
    }


def _error_rows(lab: Lab, message: str) -> list[dict[str, Any]]:
    return [_row(q, "error", message) for q in lab.questions]


def _grade_question(question: Question, session: Session, options: GradeOptions) -> dict:
    limit = question.time_limit
    if options.question_timeout is not None:
        limit = min(limit, options.question_timeout)
    budget = Budget(limit)
    f = RemoteFunction(session, question.name, question.forbids, budget)
    try:
        described = f.describe()
    except (QuestionTimeout, KernelGone, NotPlainResult) as exc:
        return _row(question, "error", f"the grader could not reach `{question.name}` ({exc!r})")
    if described.get("status") == "missing":
        return _row(
            question,
            "error",
            f"`{question.name}` is not defined in the notebook: did its cell run without "
            "errors, and is the name spelled as in the question?",
        )
    if not described.get("callable"):
        kind = clean_text(str(described.get("type", "object")), 60)
        return _row(question, "error", f"`{question.name}` is a {kind}, not a function.")
    result = run_question(question, f, include_hidden=True, seed=options.seed, time_limit=limit)
    row = _row(question, result.status, clean_text(result.message, 600), result.points)
    match = bytecode_match(question, described.get("fingerprints"))
    if match:
        row["similarity"] = {"score": 1.0, "match": match, "flagged": True}
    return row


def _lab_of_file(path: Path) -> tuple[list[str], Lab]:
    cells, lab_id = read_submission(path)
    try:
        return cells, get_lab(lab_id)
    except KeyError as exc:
        raise BadSubmission(clean_text(str(exc.args[0]), 300)) from exc


def grade_notebook(
    path: str | Path, *, timeout: float = 120, options: GradeOptions | None = None
) -> Submission:
    """Execute one submission in a fresh (sandboxed) kernel and grade it.

    Never raises for a bad submission: a malformed file, an unknown lab or a kernel that
    cannot run gets a row with an ``error``.
    """
    options = options or GradeOptions(timeout=timeout)
    path = Path(path)
    name = clean_text(str(path), 300)
    sandbox = resolve_sandbox(options.sandbox)
    start = time.monotonic()
    try:
        cells, lab = _lab_of_file(path)
    except BadSubmission as exc:
        return Submission(name, None, 0, 0, error=clean_text(str(exc), 300), sandbox=sandbox)
    flags = suspicious_constructs(cells, provided_cells(lab.id))
    hide = [*options.hide, _ROOT / "solutions"]
    with private_folder(root=options.workdir) as folder:
        shutil.copyfile(path, folder / "submission.ipynb")
        kernel = Kernel(
            folder,
            sandbox=sandbox,
            memory_bytes=options.memory,
            hide=hide,
            adopt_orphans=options.adopt_orphans,
        )
        with kernel:
            runner = _Runner(kernel, _cells_to_run(cells), options)
            if not options.run_every_cell:
                runner.skip_demonstrations(lab)
            try:
                runner.run()
                session = Session(kernel, restart=runner.restart)
                questions = [
                    _grade_question(q, session, options) if not q.manual else _row(q, "manual", "")
                    for q in lab.questions
                ]
                error = None
            except (KernelDied, OSError) as exc:
                error = clean_text(f"could not grade: {exc}", 300)
                questions = _error_rows(lab, error)
    score = sum(q["points"] for q in questions if q["status"] == "passed")
    return Submission(
        name,
        lab.id,
        score,
        lab.max_score,
        questions,
        error=error,
        notes=list(runner.notes)[:10],
        flags=flags,
        sandbox=sandbox,
        seconds=round(time.monotonic() - start, 1),
    )


# -- a class ------------------------------------------------------------------------------------


def _worker_init() -> None:
    become_subreaper()


def _grade_in_worker(path: str, options: GradeOptions) -> Submission:
    return grade_notebook(path, options=options)


def _crashed(path: Path, exc: BaseException, sandbox: str) -> Submission:
    message = clean_text(f"could not grade: the grading worker failed ({exc!r})", 300)
    return Submission(clean_text(str(path), 300), None, 0, 0, error=message, sandbox=sandbox)


def _submission_roots(paths: Sequence[str | Path]) -> list[Path]:
    roots = []
    for raw in paths:
        path = Path(raw).resolve()
        roots.append(path if path.is_dir() else path.parent)
    return roots


def grade_paths(
    paths: Sequence[str | Path],
    *,
    timeout: float = 120,
    progress: bool = True,
    jobs: int = 1,
    options: GradeOptions | None = None,
    similarity: bool = True,
) -> list[Submission]:
    """Grade every notebook found under ``paths``, one row per notebook, in input order.

    Each notebook is graded in a worker process (``jobs`` at once) that adopts and kills
    whatever its kernel left behind. Then, with ``similarity``, every answer is compared
    with the reference, the solution and the other submissions.
    """
    from tqdm.auto import tqdm

    if isinstance(paths, str | Path):
        raise TypeError(
            f"paths must be a list of files or folders, got the single {type(paths).__name__} "
            f"{str(paths)!r}: write grade_paths([{str(paths)!r}])."
        )
    options = replace(
        options or GradeOptions(timeout=timeout),
        adopt_orphans=True,
    )
    options.sandbox = resolve_sandbox(options.sandbox)
    options.hide = [*options.hide, *_submission_roots(paths)]
    notebooks = collect_notebooks(paths)
    results: dict[int, Submission] = {}
    if notebooks:
        workers = max(1, min(int(jobs), len(notebooks), os.cpu_count() or 1))
        context = get_context("forkserver")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init) as pool:
            futures = {
                pool.submit(_grade_in_worker, str(p), options): i for i, p in enumerate(notebooks)
            }
            bar = tqdm(total=len(futures), disable=not progress, desc="grading", unit="notebook")
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except BaseException as exc:  # a worker that died: a row, and go on
                    results[i] = _crashed(notebooks[i], exc, options.sandbox)
                bar.update()
            bar.close()
    submissions = [results[i] for i in range(len(notebooks))]
    if similarity:
        add_similarity(submissions, notebooks)
    return submissions


def read_submission_cells(path: Path) -> list[str]:
    """The code cells of a submission, or ``[]`` if it is not a readable notebook."""
    try:
        return read_submission(path)[0]
    except BadSubmission:
        return []
