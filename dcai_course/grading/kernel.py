"""One learner's kernel: a private folder, an optional sandbox, limits, and a clean death.

Each submission gets a fresh IPython kernel that

* runs in a private temporary folder (its working directory and ``HOME``) that holds
  only a copy of the submitted notebook and the grader's request files;
* talks to the grader over ZeroMQ ``ipc`` sockets in that folder, so it needs no network;
* with ``sandbox="bwrap"`` (the default where ``bwrap`` is installed), runs inside a
  bubblewrap sandbox: no network, the whole filesystem read-only except its own folder
  (and an empty ``/tmp``), the submissions, the course's ``solutions/`` and the grader's
  other folders hidden, and its own PID namespace, so that nothing it starts survives it;
* has an address-space limit (``prlimit --as``);
* is killed with its whole process tree when it is done, when a cell ignores the
  interrupt at its time limit, or when the notebook's time is up.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from ..notebook_tools import SINGLE_THREAD_ENV

__all__ = ["Kernel", "KernelDied", "Outcome", "bwrap_available", "resolve_sandbox"]

#: Seconds a cell or a call gets to stop after an interrupt before the kernel is killed.
INTERRUPT_GRACE = 5.0
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "DCAI_COURSE_DATA", "VIRTUAL_ENV")


class KernelDied(RuntimeError):
    """The kernel process exited, or was killed, while the grader waited for it."""


@dataclass
class Outcome:
    """How one execution went: ``ok``, ``error``, ``timeout`` (interrupted), ``killed``
    (ignored the interrupt) or ``dead`` (the kernel exited)."""

    status: str
    ename: str = ""
    evalue: str = ""


@functools.cache
def bwrap_available() -> bool:
    """Whether bubblewrap is installed and can create a sandbox on this machine."""
    path = shutil.which("bwrap")
    if not path:
        return False
    probe = [path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--unshare-net", "--unshare-pid", "--die-with-parent", "true"]  # fmt: skip
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def resolve_sandbox(choice: str) -> str:
    """``"auto"`` becomes ``"bwrap"`` where it works and ``"none"`` elsewhere."""
    if choice not in ("auto", "bwrap", "none"):
        raise ValueError(f"sandbox must be 'auto', 'bwrap' or 'none', got {choice!r}.")
    if choice == "auto":
        return "bwrap" if bwrap_available() else "none"
    if choice == "bwrap" and not bwrap_available():
        raise RuntimeError(
            "--sandbox bwrap was asked for, but bubblewrap is not installed or cannot create "
            "a sandbox here: install Debian's `bubblewrap` package, or pass --sandbox none."
        )
    return choice


def become_subreaper() -> None:
    """Adopt orphaned descendants (Linux), so that a detached process can still be found."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid``, read from /proc (Linux)."""
    if not Path("/proc").is_dir():
        return []
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _needed_paths() -> list[Path]:
    """What the kernel must see: Python, its environment and packages, the course, the data."""
    from ..datasets import data_dir

    needed = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve()]
    needed += [Path(__file__).parents[2], data_dir()]
    needed += [Path(p) for p in sys.path if p]
    return [p.resolve() for p in needed if p.exists()]


def _hideable(path: Path) -> bool:
    """Whether hiding ``path`` leaves what the kernel needs: Python, its packages, the data."""
    path = path.resolve()
    return path != Path("/") and not any(n.is_relative_to(path) for n in _needed_paths())


def _rebinds_under(root: Path) -> list[str]:
    """``--ro-bind`` arguments that bring back what the kernel needs from under ``root``.

    The sandbox mounts an empty ``/tmp``; a virtual environment or a checkout that lives
    there (as in CI, which builds its environment under ``mktemp -d``) must stay visible.
    """
    inside = sorted({p for p in _needed_paths() if p.is_relative_to(root) and p != root})
    tops = [p for p in inside if not any(p != q and p.is_relative_to(q) for q in inside)]
    return [arg for p in tops for arg in ("--ro-bind", str(p), str(p))]


class Kernel:
    """A fresh kernel for one submission; use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    folder : Path
        The private folder (working directory, request files, sockets).
    sandbox : {"bwrap", "none"}
    memory_bytes : int
        The kernel's address-space limit; 0 for none.
    hide : list of Path
        Folders made invisible inside the sandbox (the submissions, ``solutions/``).
    adopt_orphans : bool
        This process is a grading worker that called :func:`become_subreaper`: every
        process it adopted belongs to the kernel and is killed with it.
    """

    def __init__(
        self, folder: Path, *, sandbox: str, memory_bytes: int, hide=(), adopt_orphans=False
    ):
        self.folder = Path(folder)
        self.adopt_orphans = adopt_orphans
        self.sandbox = sandbox
        self.memory_bytes = memory_bytes
        self.hide = [Path(p) for p in hide]
        self.process: subprocess.Popen | None = None
        self.client: BlockingKernelClient | None = None
        self._generation = 0

    # -- life cycle ------------------------------------------------------------------------

    def _argv(self, connection_file: Path) -> list[str]:
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file)]
        if self.memory_bytes and shutil.which("prlimit"):
            argv = ["prlimit", f"--as={int(self.memory_bytes)}", *argv]
        if self.sandbox != "bwrap":
            return argv
        box = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
               "--tmpfs", "/tmp", *_rebinds_under(Path("/tmp").resolve())]  # fmt: skip
        # hidden: the submissions, solutions/, and the other kernels' private folders
        for path in [*self.hide, self.folder.parent]:
            if path.is_dir() and _hideable(path):
                box += ["--tmpfs", str(path)]
        box += ["--bind", str(self.folder), str(self.folder)]  # after: its own stays visible
        box += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent",
                "--new-session", "--chdir", str(self.folder)]  # fmt: skip
        return [*box, "--", *argv]

    def _env(self) -> dict[str, str]:
        from ..datasets import DATA_ENV_VAR, data_dir

        env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
        # the kernel's HOME is its private folder: point it at the grader's data cache
        env[DATA_ENV_VAR] = str(data_dir())
        home = str(self.folder)
        env.update(SINGLE_THREAD_ENV)
        env.update({"HOME": home, "TMPDIR": home, "MPLBACKEND": "Agg",
                    "MPLCONFIGDIR": str(self.folder / ".matplotlib"),
                    "IPYTHONDIR": str(self.folder / ".ipython"), "PYTHONDONTWRITEBYTECODE": "1",
                    "JUPYTER_PLATFORM_DIRS": "1"})  # fmt: skip
        return env

    def start(self, timeout: float = 90) -> None:
        """Start a fresh kernel (killing the previous one, if any) and wait until it answers."""
        self.kill()
        self._generation += 1
        connection_file = self.folder / f"kernel-{self._generation}.json"
        write_connection_file(
            str(connection_file), transport="ipc", ip=str(self.folder / f"k{self._generation}")
        )
        self.process = subprocess.Popen(
            self._argv(connection_file),
            cwd=self.folder,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = BlockingKernelClient(connection_file=str(connection_file))
        client.load_connection_file()
        client.start_channels()
        self.client = client
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.wait_for_ready(timeout=2)
                return
            except RuntimeError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise KernelDied(f"the kernel did not start ({exc})") from exc

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Kill the kernel and everything it started; close the channels."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None
        if self.process is None:
            return
        pid = self.process.pid
        for _ in range(3):
            victims = descendants(os.getpid()) if self.adopt_orphans else descendants(pid)
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            for victim in [pid, *victims]:
                with contextlib.suppress(OSError):
                    os.kill(victim, signal.SIGKILL)
            for victim in victims:  # adopted orphans: reap them, only them
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(victim, os.WNOHANG)
            if not (descendants(os.getpid()) if self.adopt_orphans else descendants(pid)):
                break
            time.sleep(0.05)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.process = None

    close = kill

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    # -- execution ---------------------------------------------------------------------------

    def interrupt(self) -> None:
        """Ask the kernel to raise KeyboardInterrupt (a message on the control channel)."""
        if self.client is None:
            return
        msg = self.client.session.msg("interrupt_request", {})
        with contextlib.suppress(Exception):
            self.client.control_channel.send(msg)

    def _drain_iopub(self) -> None:
        client = self.client
        with contextlib.suppress(queue.Empty, Exception):
            for _ in range(10_000):
                client.get_iopub_msg(timeout=0)

    def execute(self, code: str, timeout: float, *, store_history: bool = True) -> Outcome:
        """Run ``code``; interrupt it at ``timeout`` s, kill the kernel if it will not stop.

        Outputs are discarded: the grader reads nothing the kernel prints.
        """
        if not self.alive() or self.client is None:
            return Outcome("dead")
        client = self.client
        msg_id = client.execute(
            code, store_history=store_history, allow_stdin=False, stop_on_error=False
        )
        deadline = time.monotonic() + max(timeout, 0.01)
        interrupted = False
        while True:
            now = time.monotonic()
            if now >= deadline:
                if interrupted:
                    self.kill()
                    return Outcome("killed")
                self.interrupt()
                interrupted = True
                deadline = now + INTERRUPT_GRACE
            try:
                msg = client.get_shell_msg(timeout=min(0.25, max(deadline - now, 0.01)))
            except queue.Empty:
                self._drain_iopub()
                if not self.alive():
                    self.kill()
                    return Outcome("dead")
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            self._drain_iopub()
            content = msg.get("content", {})
            if interrupted:
                return Outcome("timeout", "KeyboardInterrupt", "")
            if content.get("status") == "ok":
                return Outcome("ok")
            return Outcome("error", str(content.get("ename", "")), str(content.get("evalue", "")))


@contextlib.contextmanager
def private_folder(prefix: str = "dcai-grade-", root: str | Path | None = None):
    """A fresh private folder (mode 0700) under ``root`` (default: the system's temporary
    folder), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
