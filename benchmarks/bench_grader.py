"""The grader on a class: 100 lab submissions, honest, blank and adversarial, two at a time.

Builds a folder of 100 submissions from the current exercises and solutions (lab 01's
attacks from ``tests/grader_attacks.py``, honest and blank copies of lab 01, and the
solution and exercise of every other lab), runs

    dcai-course grade DIR --jobs 2 --csv grades.csv --timeout 30 --question-timeout 15

and measures its wall time, the peak memory of its whole process tree (the sum of the
resident memory of every process, sampled from /proc every 0.2 s: an upper bound, since
shared pages are counted once per process), and how many processes it left behind.

Run::

    python benchmarks/bench_grader.py                       # print the figures
    python benchmarks/bench_grader.py --save                # and store them in results.json
    dcai-course build-readme                                # the README shows the stored ones
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import grader_attacks as attacks  # noqa: E402

OPTIONS = ["--jobs", "2", "--timeout", "30", "--question-timeout", "15"]


def build_class(folder: Path, n: int = 100) -> dict[str, int]:
    """Write ``n`` submissions into ``folder``; return how many of each kind."""
    attacks.write_class(folder)  # alice, bob, carol and every attack (about 25 files)
    others = sorted(
        p for p in (ROOT / "solutions").glob("*_lab.ipynb") if attacks.LAB01 not in p.name
    )
    for path in others:
        shutil.copyfile(path, folder / f"solution_{path.name}")
        shutil.copyfile(ROOT / "exercises" / path.name, folder / f"exercise_{path.name}")
    existing = len([p for p in folder.iterdir() if p.suffix.lower() == ".ipynb"])
    honest = _read("solutions")
    blank = _read("exercises")
    for i in range(n - existing):
        nb = honest if i % 2 == 0 else blank
        nbformat.write(nb, folder / f"student_{i:03d}.ipynb")
    files = [p for p in folder.iterdir() if p.suffix.lower() == ".ipynb"]
    adversarial = len(attacks.SIMPLE) + 5  # + overwrite, detached, 3 malformed files
    return {
        "submissions": len(files),
        "adversarial": adversarial,
        "other labs": 2 * len(others),
    }


def _read(folder: str):
    return nbformat.read(ROOT / folder / f"{attacks.LAB01}.ipynb", as_version=4)


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _left_over(folder: Path) -> list[str]:
    """Processes that belong to the grading run and are still alive."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(s in cmdline for s in (attacks.MARKER, str(folder.parent))):
            found.append(cmdline[:120])
    return found


def run(folder: Path) -> dict:
    csv_path = folder.parent / "grades.csv"
    cmd = ["dcai-course", "grade", str(folder), "--csv", str(csv_path), *OPTIONS]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    work = folder.parent / "work"  # the private folders: processes of this run show it
    work.mkdir()
    env = {**os.environ, "TMPDIR": str(work)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, sum(_rss_kb(p) for p in _tree(proc.pid)))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    time.sleep(1.0)
    rows = csv_path.read_text(encoding="utf-8").count("\n") - 1 if csv_path.exists() else 0
    return {
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
        "left_over": len(_left_over(folder)),
        "csv_rows": rows,
        "exit_code": proc.returncode,
        "load_average": round(max(load_before, os.getloadavg()[0]), 1),
        "command": "dcai-course grade DIR --csv grades.csv " + " ".join(OPTIONS),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", action="store_true", help="store the figures in results.json")
    parser.add_argument("-n", type=int, default=100, help="number of submissions (default 100)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-grader-") as tmp:
        folder = Path(tmp) / "submissions"
        kinds = build_class(folder, args.n)
        figures = kinds | run(folder)
    figures["date"] = date.today().isoformat()
    figures["machine"] = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    print(json.dumps(figures, indent=2))
    if args.save:
        path = HERE / "results.json"
        results = json.loads(path.read_text(encoding="utf-8"))
        results["grader"] = figures
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ok = figures["left_over"] == 0 and figures["csv_rows"] == figures["submissions"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
