"""Is this environment ready for the course? Packages, versions and data, with what to do.

Taught in: notebooks/00_start_here.ipynb (every notebook calls :func:`check_environment`
in its setup cell).
"""

from __future__ import annotations

import os
from importlib import metadata

import pandas as pd

__all__ = [
    "INSTALL_HINT",
    "check_environment",
    "data_status",
    "environment_report",
    "package_status",
]

INSTALL_HINT = (
    'From the course folder, run `pip install -e ".[test]"` (after installing the CPU build '
    "of torch, see the README), or `conda env update -f environment.yml`."
)


def _requirements():
    from packaging.requirements import Requirement

    try:
        specs = metadata.requires("dcai-course") or []
    except metadata.PackageNotFoundError:
        return None
    out = []
    for spec in specs:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # an optional extra such as [test]
        out.append(req)
    return out


def package_status() -> pd.DataFrame:
    """One row per package the course needs: ``package``, ``required``, ``status``, ``what to do``.

    ``status`` is ``"ok"``, ``"missing"`` or ``"wrong version"``; the installed version
    is in ``installed``.
    """
    requirements = _requirements()
    if requirements is None:
        return pd.DataFrame(
            [
                {
                    "package": "dcai-course",
                    "required": "installed",
                    "installed": "not installed",
                    "status": "missing",
                    "what to do": INSTALL_HINT,
                }
            ]
        )
    rows = []
    for req in requirements:
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            installed, status = "not installed", "missing"
        else:
            ok = not req.specifier or req.specifier.contains(installed, prereleases=True)
            status = "ok" if ok else "wrong version"
        todo = "" if status == "ok" else f'pip install "{req.name}{req.specifier}"'
        if req.name == "torch" and status != "ok":
            todo = "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
        rows.append(
            {
                "package": req.name,
                "required": str(req.specifier) or "any",
                "installed": installed,
                "status": status,
                "what to do": todo,
            }
        )
    return pd.DataFrame(rows)


def data_status() -> pd.DataFrame:
    """One row per data set of the registry: whether all its files are cached and valid."""
    from .datasets import DATA_ENV_VAR, cache_status, data_dir

    files = cache_status()
    rows = []
    for name, part in files.groupby("dataset", sort=False):
        bad = part[part.status != "cached"]
        if bad.empty:
            status, todo = "cached", ""
        elif (bad.status == "checksum mismatch").any():
            status = "checksum mismatch"
            todo = f"delete the corrupt file(s) in {data_dir()} and run `dcai-course fetch-data`"
        else:
            status = "not downloaded yet"
            todo = (
                "downloaded on first use; offline, run `dcai-course fetch-data` beforehand or "
                f"set {DATA_ENV_VAR} to a folder with the files"
            )
        rows.append({"data set": name, "files": len(part), "status": status, "what to do": todo})
    return pd.DataFrame(rows)


def environment_report() -> pd.DataFrame:
    """Every package and data set with its status, problems first: a table for a notebook."""
    packages = package_status().rename(columns={"package": "component"})
    packages["kind"] = "package"
    data = data_status().rename(columns={"data set": "component"})
    data["kind"] = "data"
    data["required"] = data["files"].astype(str) + " files"
    report = pd.concat([packages, data], ignore_index=True)
    report["ok"] = report.status.isin(["ok", "cached"])
    report = report.sort_values("ok", kind="stable")
    return report[["kind", "component", "required", "status", "what to do"]].reset_index(drop=True)


def check_environment(
    *, datasets: tuple[str, ...] | list[str] = (), requires: str | None = None
) -> None:
    """Fail fast, with a clear message, when this environment cannot run the course.

    Checks that every package the course depends on is installed at a suitable version,
    optionally that ``dcai_course`` itself is recent enough, and that the given data sets
    are available (downloading them once if needed).

    Parameters
    ----------
    datasets : sequence of str
        Data set names of the registry (``"youtube_spam"``, ``"bluebirds"``, ``"dog"``,
        ``"letters"``) that the notebook is about to use.
    requires : str, optional
        The minimum ``dcai_course`` version the notebook was written for.

    Raises
    ------
    RuntimeError
        Listing every problem found and how to fix it.

    Examples
    --------
    >>> check_environment()  # doctest: +SKIP
    Environment OK: Python 3.11, dcai_course 0.1.0 with all its requirements.
    """
    import sys

    from packaging.version import InvalidVersion, Version

    from . import __version__
    from ._validation import check_sequence, check_str

    datasets = check_sequence(datasets, "datasets", allow_empty=True)
    for name in datasets:
        check_str(name, "datasets entry")
    if requires is not None:
        try:
            Version(check_str(requires, "requires"))
        except InvalidVersion:
            raise ValueError(
                f"requires must be a version such as '0.1', got {requires!r}."
            ) from None
    problems = []
    if requires is not None and Version(__version__) < Version(requires):
        problems.append(
            f"dcai_course {__version__} is older than this notebook needs ({requires})."
        )
    packages = package_status()
    for row in packages[packages.status != "ok"].itertuples():
        problems.append(
            f"{row.package}: {row.status} (installed: {row.installed}, needs {row.required})"
        )
    if datasets:
        from .datasets import REGISTRY, DataUnavailableError, fetch_file

        known = {f.dataset for f in REGISTRY.values()}
        for name in datasets:
            if name not in known:
                problems.append(f"unknown data set {name!r}; known: {sorted(known)}")
                continue
            for rel, entry in REGISTRY.items():
                if entry.dataset == name:
                    try:
                        fetch_file(rel)
                    except DataUnavailableError as exc:
                        problems.append(str(exc))
    if problems:
        listed = "\n  - ".join(problems)
        raise RuntimeError(
            f"This environment cannot run the course yet:\n  - {listed}\n{INSTALL_HINT}"
        )
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    data = f" Data ready: {', '.join(datasets)}." if datasets else ""
    print(
        f"Environment OK: Python {py}, dcai_course {__version__} with all its requirements.{data}"
    )


def _data_env_source() -> str:
    from .datasets import DATA_ENV_VAR

    if os.environ.get(DATA_ENV_VAR):
        return f"${DATA_ENV_VAR}"
    return f"the user cache ({DATA_ENV_VAR} not set)"
