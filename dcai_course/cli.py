"""The ``dcai-course`` command line.

Sub-commands::

    dcai-course doctor                       versions, data cache, what to do
    dcai-course fetch-data                   download every data file once (before going offline)
    dcai-course build-exercises [--check]    exercises/ from solutions/
    dcai-course grade PATH... [--csv F] [--json] [--jobs N] [--sandbox auto|bwrap|none]
    dcai-course execute [PATH...]            re-execute course notebooks in place
    dcai-course build-readme [--check]       regenerate the README's generated sections
    dcai-course build-site OUTDIR            static HTML of every notebook, with an index
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from pathlib import Path

from ._validation import check_dir, check_file

__all__ = ["main"]

_KEY_PACKAGES = (
    "dcai-course",
    "numpy",
    "pandas",
    "scikit-learn",
    "scipy",
    "matplotlib",
    "cleanlab",
    "snorkel",
    "torch",
    "crowd-kit",
    "pooch",
    "nbclient",
    "jupyterlab",
    "ipykernel",
    "pytest",
    "nbval",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _data_problems(status, folder: Path) -> list[str]:
    """What keeps the data layer from working as is, each with what to do."""
    from .datasets import DATA_ENV_VAR

    if folder.exists() and not folder.is_dir():
        return [f"{DATA_ENV_VAR} points at the file {folder}: set it to a folder."]
    problems = []
    for row in status[status.status == "checksum mismatch"].itertuples():
        problems.append(f"{row.path} is corrupt (checksum mismatch): delete it and fetch again.")
    for row in status[status.status == "a folder, not a file"].itertuples():
        problems.append(f"{row.path} is a folder where a data file should be: remove it.")
    missing = status[status.status == "missing"]
    writable = _writable(folder)
    if not missing.empty and writable:
        problems.append(
            f"{len(missing)} data file(s) not cached: run `dcai-course fetch-data` while online "
            f"(each file is downloaded once, checksum-verified), or copy the files into "
            f"{folder} under the paths shown, or set {DATA_ENV_VAR} to a folder that has them."
        )
    if not writable and (status.status != "cached").any():
        problems.append(
            f"The data folder {folder} is not writable, so missing files cannot be stored: "
            f"make it writable, or set {DATA_ENV_VAR} to a writable folder that holds the files."
        )
    return problems


def _writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (or in its nearest existing parent)."""
    import os

    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    return existing is not None and existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)


def cmd_doctor(args: argparse.Namespace) -> int:
    from .datasets import cache_status, data_dir
    from .environment import _data_env_source, package_status

    print(f"Python {sys.version.split()[0]} ({sys.executable})")
    for name in _KEY_PACKAGES:
        print(f"  {name:<14} {_version(name)}")
    folder = data_dir()
    print(f"\nData folder: {folder}  (from {_data_env_source()})")
    status = cache_status() if not folder.is_file() else None
    if status is not None:
        for row in status.itertuples():
            print(f"  {row.status:<18} {row.file}")
    packages = package_status()
    problems = [
        f"{row['package']} {row['installed']}: {row['status']}, the course needs "
        f"{row['required']}. {row['what to do']}"
        for row in packages[packages.status != "ok"].to_dict("records")
    ]
    problems += _data_problems(status, folder)
    if problems:
        print("\nProblems (the course cannot run as is):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("\nEverything the course needs is installed. All data is cached.")
    return 0


def cmd_fetch_data(args: argparse.Namespace) -> int:
    from .datasets import REGISTRY, DataUnavailableError, fetch_file

    failed = 0
    for rel in REGISTRY:
        try:
            print(f"ok       {fetch_file(rel)}")
        except DataUnavailableError as exc:
            failed += 1
            print(f"FAILED   {rel}: {exc}", file=sys.stderr)
    return 1 if failed else 0


def cmd_build_exercises(args: argparse.Namespace) -> int:
    from .grading.exercises import build_exercises, check_exercises

    root = check_dir(args.root, "--root")
    solutions, exercises = root / "solutions", root / "exercises"
    if not any(solutions.glob("*_lab.ipynb")):
        raise FileNotFoundError(
            f"--root: no solutions/*_lab.ipynb under {root}; run from the course folder or "
            "pass --root."
        )
    if args.check and not exercises.is_dir():
        raise FileNotFoundError(f"--root: {exercises} does not exist; run build-exercises.")
    if args.check:
        report = check_exercises(solutions, exercises)
        if report.ok:
            n_labs = len(list(solutions.glob("*_lab.ipynb")))
            print(f"exercises/ is in sync with solutions/ ({n_labs} labs).")
            return 0
        print("exercises/ is NOT in sync with solutions/:", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    report = build_exercises(solutions, exercises)
    for path in report.written:
        print(f"wrote {path}")
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    return 0 if report.ok else 1


def _parse_memory(text: str) -> int:
    """``"4G"``, ``"512M"`` or a number of bytes; ``"0"`` for no limit."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    text = text.strip().upper().removesuffix("B")
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--memory takes a size such as 4G or 512M, got {text!r}."
        ) from None


def _grade_outputs(args: argparse.Namespace, n_notebooks: int) -> str | None:
    """Check the output paths before grading starts; return what is wrong, if anything."""
    from .grading.report import check_output_path

    try:
        if args.csv:
            check_output_path(args.csv, "--csv")
        if args.gradescope:
            check_output_path(args.gradescope, "--gradescope")
    except ValueError as exc:
        return str(exc)
    if args.gradescope and n_notebooks != 1:
        return (
            f"--gradescope writes the results of one submission, but {n_notebooks} notebooks "
            "were found: Gradescope's autograder grades one submission at a time."
        )
    return None


def cmd_grade(args: argparse.Namespace) -> int:
    from .grading.grader import GradeOptions, collect_notebooks, format_table, grade_paths
    from .grading.kernel import resolve_sandbox
    from .grading.report import write_csv, write_gradescope

    try:
        notebooks = collect_notebooks(args.paths)
        sandbox = resolve_sandbox(args.sandbox)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not notebooks:
        print("error: no .ipynb files found in the given paths.", file=sys.stderr)
        return 2
    problem = _grade_outputs(args, len(notebooks))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if sandbox == "none":
        print(
            "warning: grading WITHOUT a sandbox (--sandbox none or bubblewrap missing): the "
            "submissions' code can read and write your files and use the network.",
            file=sys.stderr,
        )
    options = GradeOptions(
        timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        sandbox=sandbox,
        memory=args.memory,
        seed=args.seed,
        question_timeout=args.question_timeout,
        run_every_cell=args.run_every_cell,
    )
    submissions = grade_paths(args.paths, jobs=args.jobs, options=options, progress=not args.json)
    if args.csv:
        write_csv(submissions, args.csv)
    if args.gradescope:
        write_gradescope(submissions[0], args.gradescope)
    if args.json:
        print(json.dumps([s.as_dict() for s in submissions], indent=2))
    else:
        print(format_table(submissions))
        if args.csv:
            print(f"\nGradebook written to {args.csv} ({len(submissions)} rows).")
    return 0


def cmd_execute(args: argparse.Namespace) -> int:
    from .notebook_tools import clean_notebook, execute_notebook, read_notebook, write_notebook

    paths = [check_file(p, "PATH") for p in args.paths] or sorted(
        [*Path("notebooks").glob("*.ipynb"), *Path("solutions").glob("*.ipynb")]
    )
    notebooks = {path: read_notebook(path) for path in paths}  # all readable before any run
    # 00_start_here shows every notebook's recorded run time: execute it last
    paths.sort(key=lambda p: p.name.startswith("00_"))
    if not paths:
        print("error: no notebooks to execute (run from the course folder).", file=sys.stderr)
        return 2
    status = 0
    for path in paths:
        result = execute_notebook(notebooks[path], cwd=path.parent, timeout=args.timeout)
        if result.error:
            print(f"FAILED  {path} after {result.seconds:.1f} s\n{result.error}", file=sys.stderr)
            status = 1
            continue
        executed = result.notebook
        executed.metadata.setdefault("dcai_course", {})["execution_seconds"] = round(
            result.seconds, 1
        )
        write_notebook(clean_notebook(executed), path)
        over = args.max_seconds and result.seconds > args.max_seconds
        flag = f"  OVER BUDGET ({args.max_seconds:g} s)" if over else ""
        print(f"{result.seconds:7.1f} s  {path}{flag}")
        status = status or (1 if over else 0)
    return status


def cmd_build_readme(args: argparse.Namespace) -> int:
    from .course import render_readme

    readme = check_file(check_dir(args.root, "--root") / "README.md", "README")
    text = readme.read_text(encoding="utf-8")
    rendered = render_readme(text, args.root)
    if args.check:
        if rendered != text:
            print("README.md is out of date: run `dcai-course build-readme`.", file=sys.stderr)
            return 1
        print("README.md generated sections are up to date.")
        return 0
    readme.write_text(rendered, encoding="utf-8")
    print(f"updated {readme}")
    return 0


def cmd_build_site(args: argparse.Namespace) -> int:
    from .site import broken_links, build_site

    report = build_site(args.root, args.outdir)
    broken = broken_links(args.outdir)
    print(f"wrote {len(report.pages)} pages to {args.outdir} (open {report.pages[0]})")
    for link in broken:
        print(f"broken link: {link}", file=sys.stderr)
    return 1 if broken else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dcai-course", description="Tools for the Data-Centric AI course."
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_version('dcai-course')}"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    parser.subcommands = sub.choices

    p = sub.add_parser("doctor", help="show versions and data status, and what to do")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("fetch-data", help="download every registry file once (checksum-verified)")
    p.set_defaults(func=cmd_fetch_data)

    p = sub.add_parser("build-exercises", help="write exercises/ from solutions/")
    p.add_argument(
        "--check", action="store_true", help="fail if exercises/ is stale or leaks solutions"
    )
    p.add_argument("--root", default=".", help="the course folder (default: .)")
    p.set_defaults(func=cmd_build_exercises)

    p = sub.add_parser("grade", help="grade submitted lab notebooks (files or folders)")
    p.add_argument("paths", nargs="+", help="notebooks or folders of notebooks")
    p.add_argument("--csv", help="write a gradebook CSV, one row per submission")
    p.add_argument("--json", action="store_true", help="print a JSON list of results on stdout")
    p.add_argument(
        "--gradescope", metavar="PATH", help="write Gradescope's results.json (one submission)"
    )
    p.add_argument(
        "--timeout", type=float, default=120, help="seconds allowed per cell (default 120)"
    )
    p.add_argument(
        "--notebook-timeout",
        type=float,
        default=900,
        help="seconds allowed for all the cells of one notebook (default 900)",
    )
    p.add_argument("--jobs", type=int, default=1, help="notebooks graded in parallel (default 1)")
    p.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "none"),
        default="auto",
        help="run each kernel in a bubblewrap sandbox (auto: where bwrap works)",
    )
    p.add_argument(
        "--memory",
        type=_parse_memory,
        default="4G",
        help="memory (address space) limit per kernel, e.g. 4G (default); 0 for none",
    )
    p.add_argument(
        "--question-timeout",
        type=float,
        help="cap on each question's time limit in seconds (default: the lab's own)",
    )
    p.add_argument("--seed", type=int, help="seed of the hidden tests (default: fresh)")
    p.add_argument(
        "--run-every-cell",
        action="store_true",
        help="also run the handed-out demonstration cells whose results nothing graded reads "
        "(skipped by default: they do not change a grade)",
    )
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("execute", help="re-execute notebooks in place with clean metadata")
    p.add_argument("paths", nargs="*", help="notebooks (default: notebooks/ and solutions/)")
    p.add_argument("--timeout", type=_seconds, default=600, help="seconds allowed per cell")
    p.add_argument(
        "--max-seconds", type=_seconds_or_zero, default=0, help="fail if a notebook takes longer"
    )
    p.set_defaults(func=cmd_execute)

    p = sub.add_parser("build-site", help="write a static HTML rendering of the course")
    p.add_argument("outdir", help="the folder to write (index.html, notebooks/, exercises/)")
    p.add_argument("--root", default=".", help="the course folder (default: .)")
    p.set_defaults(func=cmd_build_site)

    p = sub.add_parser("build-readme", help="regenerate the README's generated sections")
    p.add_argument("--check", action="store_true", help="fail if the README is out of date")
    p.add_argument("--root", default=".", help="the course folder (default: .)")
    p.set_defaults(func=cmd_build_readme)
    return parser


def _seconds(text: str) -> float:
    """An argparse type: a finite number of seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text}")
    return value


def _seconds_or_zero(text: str) -> float:
    """An argparse type: ``0`` (no limit) or a number of seconds > 0."""
    return 0.0 if text.strip() in ("0", "0.0") else _seconds(text)


def main(argv: list[str] | None = None) -> int:
    """Run a sub-command: bad input gives one ``error:`` line and exit status 2."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # report it with the sub-command's usage, not the top-level one
        parser.subcommands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return args.func(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
