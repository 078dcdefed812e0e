"""dcai_course: the companion package of the Data-Centric AI notebook course.

One module per topic, each implementing the lesson's algorithm from scratch (and checked
against the field's reference library in the tests):

========================  ===========================================================
``datasets``, ``noise``   real data through a pinned registry; synthetic label noise
``model_vs_data``         01: model-centric versus data-centric experiments
``label_errors``          02: confident learning
``aggregation``           03, 04: majority vote and Dawid-Skene
``crowdsourcing``         04: agreement, kappa, annotator quality, redundancy
``grading``               labs: exercises from solutions, ``check``, the autograder
========================  ===========================================================
"""

from __future__ import annotations

import sys
from importlib import metadata

__version__ = "0.1.0"

__all__ = ["__version__", "check", "check_environment"]

_INSTALL_HINT = (
    'From the course folder, run `pip install -e ".[test]"` (after installing the CPU '
    "build of torch, see the README), or `conda env update -f environment.yml`."
)


def check(question_id: str, obj=None) -> None:
    """Run a lab question's public tests on your answer (see :func:`grading.check`)."""
    from .grading.checks import check as _check

    _check(question_id, obj)


def _requirement_problems() -> list[str]:
    from packaging.requirements import Requirement

    try:
        requirements = metadata.requires("dcai-course") or []
    except metadata.PackageNotFoundError:
        return [f"dcai_course is importable but not installed as a package. {_INSTALL_HINT}"]
    problems = []
    for spec in requirements:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # an optional extra such as [test]
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            problems.append(
                f"{req.name} is not installed (the course needs {req.name}{req.specifier})"
            )
            continue
        if req.specifier and not req.specifier.contains(installed, prereleases=True):
            problems.append(
                f"{req.name} {installed} is installed, the course needs {req.name}{req.specifier}"
            )
    return problems


def check_environment(
    *, datasets: tuple[str, ...] | list[str] = (), requires: str | None = None
) -> None:
    """Fail fast, with a clear message, when this environment cannot run the course.

    Checks the Python version, that every package the course depends on is installed
    at a suitable version, optionally that ``dcai_course`` itself is recent enough, and
    that the given data sets are available (downloading them once if needed).

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
    from packaging.version import Version

    problems = []
    if requires is not None and Version(__version__) < Version(requires):
        problems.append(
            f"dcai_course {__version__} is older than this notebook needs ({requires})."
        )
    problems.extend(_requirement_problems())
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
            f"This environment cannot run the course yet:\n  - {listed}\n{_INSTALL_HINT}"
        )
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    data = f" Data ready: {', '.join(datasets)}." if datasets else ""
    print(
        f"Environment OK: Python {py}, dcai_course {__version__} with all its requirements.{data}"
    )
