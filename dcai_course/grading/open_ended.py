"""Grader-side helpers of the open-ended data tasks (MIT dcai-lab style).

In such a task the learner writes a function that receives plain data (a flawed training
set, or a pool to choose from) and returns the indices of the rows to train on. The
grader checks what comes back, trains a fixed model on those rows and scores it on
held-out data that never reaches the learner, against a threshold stated in the lab.

Taught in: solutions/06_data_quality_audit_lab.ipynb, solutions/10_scaling_laws_lab.ipynb,
solutions/11_active_learning_lab.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "check_indices",
    "fresh_seeds",
    "held_out_accuracy",
    "hidden_seeds",
    "keep_rows_test",
    "public_seeds",
    "require_accuracy",
]


def check_indices(
    value: Any,
    n_rows: int,
    what: str,
    *,
    min_size: int = 1,
    max_size: int | None = None,
    exclude: Any = None,
) -> np.ndarray:
    """The learner's row indices, checked: 1-D integers in ``0..n_rows-1``, no repeats.

    A boolean mask of length ``n_rows`` is accepted too and turned into indices.
    ``exclude`` lists indices that may not be returned (e.g. rows already labelled).
    Raises ``AssertionError`` with a message for the learner.

    Examples
    --------
    >>> check_indices([3, 0, 2], 5, "keep").tolist()
    [3, 0, 2]
    >>> check_indices(np.array([True, False, True]), 3, "keep").tolist()
    [0, 2]
    """
    arr = np.asarray(value)
    if arr.dtype == bool:
        if arr.shape != (n_rows,):
            raise AssertionError(
                f"{what}: a boolean mask must have one entry per row ({n_rows}), "
                f"got shape {arr.shape}."
            )
        arr = np.flatnonzero(arr)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise AssertionError(
            f"{what} should be a 1-D array of integer row indices (or a boolean mask), "
            f"got shape {arr.shape} and dtype {arr.dtype}."
        )
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= n_rows):
        raise AssertionError(f"{what}: every index must lie in 0..{n_rows - 1}.")
    if np.unique(arr).size != arr.size:
        raise AssertionError(f"{what}: an index appears more than once; return each row once.")
    if arr.size < min_size:
        raise AssertionError(f"{what}: {arr.size} rows returned, at least {min_size} needed.")
    if max_size is not None and arr.size > max_size:
        raise AssertionError(f"{what}: {arr.size} rows returned, at most {max_size} allowed.")
    if exclude is not None and np.isin(arr, exclude).any():
        raise AssertionError(f"{what}: some of the returned rows were not allowed (already given).")
    return arr


def held_out_accuracy(model: Any, X: np.ndarray, y: np.ndarray, X_test, y_test) -> float:
    """Accuracy on held-out data of a fresh clone of ``model`` fitted on ``X``, ``y``."""
    from sklearn.base import clone

    if np.unique(y).size < 2:
        raise AssertionError("the rows you returned hold a single class; the model needs two.")
    return float(clone(model).fit(X, y).score(X_test, y_test))


def require_accuracy(accuracy: float, threshold: float, what: str) -> None:
    """Pass when ``accuracy >= threshold``; otherwise say by how much it fell short."""
    if accuracy < threshold:
        raise AssertionError(
            f"{what}: held-out accuracy {accuracy:.3f}, below the threshold {threshold:.3f}."
        )


def fresh_seeds(rng: np.random.Generator, count: int) -> list[int]:
    """``count`` task seeds for hidden tests, drawn from the grader's generator."""
    return [int(s) for s in rng.integers(1, 10_000, size=count)]


def public_seeds(rng: np.random.Generator) -> list[int]:
    """The draw of an open-ended task that the notebook's self-check also uses: seed 0."""
    return [0]


def hidden_seeds(rng: np.random.Generator) -> list[int]:
    """Two fresh draws of an open-ended task for its hidden test."""
    return fresh_seeds(rng, 2)


def keep_rows_test(task, model_factory, threshold: float, what: str, seeds, min_size: int = 1):
    """A grader test for "return the rows to train on" tasks.

    ``task(seed)`` returns ``(X, y, *more, X_test, y_test)``; the learner's function is
    called with copies of everything but the test split and returns row indices; the
    fixed model from ``model_factory()`` is trained on those rows and must reach
    ``threshold`` on the held-out split, for every seed in ``seeds(rng)``.
    """

    def test(f, rng):
        for seed in seeds(rng):
            *given, X_test, y_test = task(seed)
            X, y = given[0], given[1]
            keep = check_indices(f(*(a.copy() for a in given)), len(y), what, min_size=min_size)
            accuracy = held_out_accuracy(model_factory(), X[keep], y[keep], X_test, y_test)
            require_accuracy(accuracy, threshold, f"the training set of seed {seed}")

    return test
