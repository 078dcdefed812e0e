"""The code base is ruff clean (package, tests and notebooks) and formatted."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ruff():
    exe = shutil.which("ruff")
    assert exe, "ruff is part of the [test] extra"
    return exe


def test_ruff_check(ruff):
    result = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format(ruff):
    result = subprocess.run(
        [ruff, "format", "--check", "dcai_course", "tests", "benchmarks", "conftest.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
