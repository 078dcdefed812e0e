"""Run every benchmark and print one table; optionally save it for the README.

Two parts:

* **algorithms**: each from-scratch algorithm against its reference library on the
  same inputs (the headline rows of every ``bench_*.py``, from its ``comparisons()``),
  with both times, the speed-up and how well the outputs agree;
* **notebooks**: each lecture notebook and lab executed in a fresh kernel (one BLAS
  thread, as the tests run them), with its wall time and the kernel's peak memory
  (VmHWM, read from /proc: Linux only).

Run::

    python benchmarks/run_all.py                                   # print the table
    python benchmarks/run_all.py --json benchmarks/results.json    # and save it
    python benchmarks/run_all.py --json benchmarks/results.json --write  # and re-execute in place
    dcai-course build-readme                                       # the README shows the saved one
    python benchmarks/run_all.py --quick --no-notebooks            # a smoke test (CI)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
from datetime import date
from pathlib import Path

from dcai_course.course import benchmark_markdown

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

BENCHMARKS = (
    "bench_noise",
    "bench_label_errors",
    "bench_noisy_training",
    "bench_aggregation",
    "bench_weak_supervision",
    "bench_scaling",
    "bench_active_learning",
    "bench_quality",
    "bench_validation",
    "bench_evaluation",
    "bench_fairness",
    "bench_augmentation",
    "bench_privacy",
)

# The kernel's peak resident memory. VmHWM belongs to the process's own memory map; the
# rusage maximum would also count the parent's memory at the time the kernel was forked.
_PEAK_CELL = (
    "import re as _re\n"
    "_status = open('/proc/self/status').read()\n"
    "print('DCAI-PEAK-RSS-KB', _re.search(r'VmHWM:\\s+(\\d+)', _status)[1])"
)


def run_benchmarks(quick: bool) -> list[dict]:
    """The headline rows of every benchmark script."""
    rows = []
    for name in BENCHMARKS:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"  {name} ...", file=sys.stderr, flush=True)
        rows.extend(
            row.as_dict() | {"script": f"benchmarks/{name}.py"} for row in module.comparisons(quick)
        )
    return rows


def run_notebooks(write: bool = False) -> list[dict]:
    """Run time and the kernel's peak memory of every notebook and lab.

    With ``write``, each executed notebook is also stored in place with its run time, as
    ``dcai-course execute`` does (00_start_here last: it shows the others' run times).
    """
    import nbformat

    from dcai_course.notebook_tools import (
        clean_notebook,
        execute_notebook,
        read_notebook,
        write_notebook,
    )

    rows = []
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "solutions").glob("*.ipynb")
    )
    paths.sort(key=lambda p: p.name.startswith("00_"))
    for path in paths:
        print(f"  {path.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
        nb = read_notebook(path)
        nb.cells.append(nbformat.v4.new_code_cell(_PEAK_CELL))
        result = execute_notebook(nb, cwd=path.parent, timeout=600)
        if result.error:
            raise RuntimeError(f"{path} failed: {result.error}")
        text = "".join(o.get("text", "") for o in result.notebook.cells[-1].outputs)
        peak_kb = int(text.split("DCAI-PEAK-RSS-KB")[1].split()[0])
        if write:
            executed = result.notebook
            executed.cells.pop()  # the peak-memory cell
            executed.metadata.setdefault("dcai_course", {})["execution_seconds"] = round(
                result.seconds, 1
            )
            write_notebook(clean_notebook(executed), path)
        rows.append(
            {
                "notebook": str(path.relative_to(ROOT)),
                "seconds": result.seconds,
                "peak_mb": peak_kb / 1024,
            }
        )
    return sorted(rows, key=lambda row: row["notebook"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke test")
    parser.add_argument("--no-notebooks", action="store_true", help="skip executing the notebooks")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument(
        "--write",
        action="store_true",
        help="store each executed notebook in place with its run time (as dcai-course execute)",
    )
    args = parser.parse_args(argv)
    results = {
        "machine": {
            "date": date.today().isoformat(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
        },
        "quick": args.quick,
        "algorithms": run_benchmarks(args.quick),
        "notebooks": [] if args.no_notebooks else run_notebooks(write=args.write),
    }
    if args.json and Path(args.json).exists():  # keep bench_grader.py's stored run
        previous = json.loads(Path(args.json).read_text(encoding="utf-8"))
        if "grader" in previous:
            results["grader"] = previous["grader"]
    print(benchmark_markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
