"""The benchmarks run (a quick smoke run here), and the README shows the saved full run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# bench_grader.py times the grader on a class, not an algorithm against a library
SCRIPTS = sorted(
    p.stem for p in (ROOT / "benchmarks").glob("bench_*.py") if p.stem != "bench_grader"
)

pytestmark = pytest.mark.slow


def test_run_all_lists_every_benchmark_script():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run_all
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert sorted(run_all.BENCHMARKS) == SCRIPTS


def test_quick_run_of_every_benchmark(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run_all.py"),
            "--quick",
            "--no-notebooks",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text())
    scripts = {Path(r["script"]).stem for r in results["algorithms"]}
    assert scripts == set(SCRIPTS)
    for row in results["algorithms"]:
        assert row["ours_s"] > 0 and row["reference_s"] > 0, row
        assert "DIFFER" not in row["agreement"], row
    assert "| Topic | Ours | Reference |" in result.stdout


def test_saved_results_are_a_full_run_of_everything():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    assert results["quick"] is False
    assert {Path(r["script"]).stem for r in results["algorithms"]} == set(SCRIPTS)
    notebooks = sorted(
        [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "solutions").glob("*.ipynb")]
    )
    assert [r["notebook"] for r in results["notebooks"]] == [
        str(p.relative_to(ROOT)) for p in notebooks
    ]
    assert all(r["seconds"] <= 60 for r in results["notebooks"]), "a notebook is over 60 s"


def test_saved_grader_run_is_complete():
    """100 submissions, two at a time: every row written, under 3 GB, nothing left behind.

    Its wall time is reported in the README, not asserted (timings depend on the load).
    """
    grader = json.loads((ROOT / "benchmarks" / "results.json").read_text())["grader"]
    assert grader["submissions"] == grader["csv_rows"] == 100
    assert grader["peak_mb"] < 3 * 1024
    assert grader["left_over"] == 0 and grader["exit_code"] == 0
