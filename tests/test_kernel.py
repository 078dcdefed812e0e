"""The grader's kernel sees the Python environment it needs, wherever that lives.

CI builds its virtual environment under ``mktemp -d`` (in ``/tmp``), and the sandbox
mounts an empty ``/tmp``: everything Python imports from there must be mounted back,
read-only, while the kernels' own parent folder stays hidden.
"""

from __future__ import annotations

import os
import sys

import pytest

from dcai_course.grading.kernel import Kernel, bwrap_available

pytestmark = pytest.mark.slow


@pytest.fixture
def module_under_tmp(tmp_path, monkeypatch):
    """A module importable only from a folder under /tmp, as a CI virtual environment is."""
    if not str(tmp_path.resolve()).startswith("/tmp/"):
        pytest.skip("pytest's temporary folder is not under /tmp on this machine")
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "under_tmp_probe.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), *sys.path[1:]]))
    return site


def test_sandbox_argv_mounts_back_what_python_needs_from_tmp(module_under_tmp, tmp_path):
    kernels = tmp_path / "kernels"
    (kernels / "k1").mkdir(parents=True)
    argv = Kernel(kernels / "k1", sandbox="bwrap", memory_bytes=0)._argv(tmp_path / "c.json")
    site = str(module_under_tmp.resolve())
    empty_tmp = argv.index("--tmpfs")
    assert argv[empty_tmp + 1] == "/tmp"
    rebind = [i for i, a in enumerate(argv) if a == site and argv[i - 1] == "--ro-bind"]
    assert rebind and rebind[0] > empty_tmp, argv
    hidden = [
        i for i, a in enumerate(argv) if a == str(kernels.resolve()) and argv[i - 1] == "--tmpfs"
    ]
    assert hidden and hidden[0] > rebind[0], (
        "the kernels' parent folder is hidden after the rebinds"
    )


def test_a_sandboxed_kernel_imports_from_an_environment_under_tmp(module_under_tmp, tmp_path):
    if not bwrap_available():
        pytest.skip("bubblewrap is not available on this machine")
    folder = tmp_path / "kernels" / "k1"
    folder.mkdir(parents=True)
    with Kernel(folder, sandbox="bwrap", memory_bytes=0) as kernel:
        kernel.start()
        outcome = kernel.execute("import under_tmp_probe; assert under_tmp_probe.VALUE == 42", 60)
    assert outcome.status == "ok", outcome
