"""Executing notebooks in the current environment and keeping their metadata clean.

Used by ``dcai-course execute`` (re-execute the course notebooks in place) and by the
grader. Notebooks are committed executed, with clean metadata: the kernelspec
``python3``, no widget state, no per-cell execution timestamps.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from ._validation import check_dir, check_file, check_positive

__all__ = [
    "KERNELSPEC",
    "SINGLE_THREAD_ENV",
    "ExecutionResult",
    "clean_notebook",
    "clear_outputs",
    "current_env_kernel_manager",
    "execute_notebook",
    "read_notebook",
    "write_notebook",
]

#: The kernelspec every committed notebook declares.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

_CURRENT_ENV = "dcai-course-current-env"

#: Kernels run with one BLAS/OpenMP thread: the notebooks' numbers then do not depend on
#: the machine's core count, and two notebooks running side by side (pytest's two
#: workers) do not oversubscribe a 2-core machine.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_KEPT_CELL_METADATA = ("tags", "jupyter", "dcai_course", "editable", "deletable", "slideshow")
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class _CurrentEnvKernelSpecManager(KernelSpecManager):
    """Resolves one extra kernel name to the Python that runs this process."""

    def get_kernel_spec(self, kernel_name):
        if kernel_name == _CURRENT_ENV:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (this environment)",
                language="python",
                resource_dir=str(Path(__file__).parent),
            )
        return super().get_kernel_spec(kernel_name)


def current_env_kernel_manager() -> AsyncKernelManager:
    """A kernel manager whose kernel runs in this very Python environment.

    The notebooks' kernelspec says ``python3``, which on a machine with several
    environments may point at another Python; grading and testing must use the one in
    which ``dcai_course`` is installed. It is asynchronous, as nbclient requires for its
    per-cell timeouts to work.
    """
    return AsyncKernelManager(
        kernel_name=_CURRENT_ENV, kernel_spec_manager=_CurrentEnvKernelSpecManager()
    )


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook (nbformat 4), raising a clear error for a malformed file."""
    path = check_file(path, "path")
    try:
        with path.open(encoding="utf-8") as fh:
            return nbformat.read(fh, as_version=4)
    except Exception as exc:
        raise ValueError(
            f"{path} is not a readable Jupyter notebook ({type(exc).__name__}: {exc})."
        ) from exc


def write_notebook(nb: nbformat.NotebookNode, path: str | Path) -> None:
    """Write a notebook with a trailing newline (stable diffs)."""
    _check_notebook(nb)
    if not isinstance(path, str | os.PathLike) or not str(path):
        raise TypeError(f"path must be a file path (str or pathlib.Path), got {path!r}.")
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"path: {path} is a folder; give the notebook's file name.")
    check_dir(path.parent, "path's folder")
    text = nbformat.writes(nb)
    Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _check_notebook(nb: object) -> None:
    if not isinstance(nb, nbformat.NotebookNode) or "cells" not in nb:
        raise TypeError(
            f"nb must be a notebook read with read_notebook(path), got {type(nb).__name__}."
        )


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy with clean metadata: kernelspec ``python3``, no widget state.

    Keeps only the ``dcai_course`` entry of the notebook metadata, a minimal
    ``language_info`` and, per cell, the tags, ``jupyter`` (collapsed/hidden source) and
    ``dcai_course`` entries. Widget outputs (progress bars) are removed, since the widget
    state they refer to is not saved and their text fallback is a stale "0%" bar.
    """
    _check_notebook(nb)
    nb = copy.deepcopy(nb)
    keep = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    if "dcai_course" in nb.metadata:
        keep["dcai_course"] = nb.metadata["dcai_course"]
    nb.metadata = nbformat.from_dict(keep)
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in _KEPT_CELL_METADATA}
        )
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        outputs = []
        for out in cell.outputs:
            if "data" in out and _WIDGET_MIME in out["data"]:
                continue  # a progress-bar widget: its state is not saved, its text is stale
            out.pop("transient", None)
            outputs.append(out)
        cell.outputs = outputs
    return nb


def clear_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy without outputs or execution counts."""
    _check_notebook(nb)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


@dataclass
class ExecutionResult:
    """A notebook after execution, and how it went."""

    notebook: nbformat.NotebookNode
    seconds: float
    error: str | None = None


def execute_notebook(
    nb: nbformat.NotebookNode,
    *,
    cwd: str | Path,
    timeout: float = 600,
    allow_errors: bool = False,
    interrupt_on_timeout: bool = False,
    timeout_func=None,
) -> ExecutionResult:
    """Execute ``nb`` in a fresh kernel of this environment, with ``cwd`` as working dir.

    Parameters
    ----------
    timeout : float
        Seconds allowed per cell.
    allow_errors : bool
        Go on after a cell raises (the grader); otherwise stop at the first error.
    interrupt_on_timeout : bool
        Interrupt a cell that runs over ``timeout`` and go on with the next one, instead
        of stopping.
    timeout_func : callable, optional
        ``timeout_func(cell)`` gives a cell its own timeout in seconds (the grader gives
        its grading cell more time than the learner's cells).

    Returns
    -------
    ExecutionResult
        The executed copy, the wall time and, if execution stopped early, why.
    """
    _check_notebook(nb)
    check_dir(cwd, "cwd")
    check_positive(timeout, "timeout")
    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb,
        km=current_env_kernel_manager(),
        timeout=timeout,
        allow_errors=allow_errors,
        interrupt_on_timeout=interrupt_on_timeout,
        timeout_func=timeout_func,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    start = time.perf_counter()
    error = None
    try:
        # the kernel's own stderr (transport warnings, shutdown notices) is not the notebook's
        client.execute(stderr=subprocess.DEVNULL, env={**os.environ, **SINGLE_THREAD_ENV})
    except Exception as exc:  # CellExecutionError, DeadKernelError, CellTimeoutError, ...
        error = f"{type(exc).__name__}: {exc}"
    return ExecutionResult(nb, time.perf_counter() - start, error)
