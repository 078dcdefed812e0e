"""Small assertion helpers for writing lab tests with messages a learner can act on."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "assert_array",
    "assert_close",
    "assert_equal_arrays",
    "assert_keys",
    "assert_same_type",
    "random_pred_probs",
]


def assert_array(
    value: Any, what: str, *, shape: tuple | None = None, kind: str | None = None
) -> np.ndarray:
    """Check that ``value`` is array-like with the given shape and dtype kind; return it."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise AssertionError(f"{what} should be an array, got {type(value).__name__}.") from exc
    if arr.dtype == object:
        raise AssertionError(
            f"{what} should be a numeric array, got {type(value).__name__} of objects."
        )
    if shape is not None and arr.shape != shape:
        raise AssertionError(f"{what} should have shape {shape}, got {arr.shape}.")
    if kind is not None and arr.dtype.kind not in kind:
        names = {"b": "booleans", "iu": "integers", "f": "floats", "fiu": "numbers"}
        raise AssertionError(f"{what} should hold {names.get(kind, kind)}, got dtype {arr.dtype}.")
    return arr


def assert_close(actual: Any, expected: Any, what: str, *, atol: float = 1e-8) -> None:
    """Check numbers or arrays are equal within ``atol``; show the largest difference."""
    actual_arr = assert_array(actual, what, shape=np.shape(expected))
    if not np.allclose(actual_arr, expected, atol=atol, rtol=0, equal_nan=True):
        diff = np.nanmax(np.abs(actual_arr.astype(float) - np.asarray(expected, dtype=float)))
        if np.ndim(expected) == 0:
            raise AssertionError(
                f"{what} should be {float(expected):.6g}, got {float(actual_arr):.6g}."
            )
        raise AssertionError(
            f"{what} differs from the expected values (largest difference {diff:.3g})."
        )


def assert_equal_arrays(actual: Any, expected: np.ndarray, what: str) -> None:
    """Check exact equality of arrays; report how many entries differ."""
    actual_arr = assert_array(actual, what, shape=expected.shape)
    wrong = np.flatnonzero(actual_arr.ravel() != expected.ravel())
    if wrong.size:
        i = wrong[0]
        raise AssertionError(
            f"{what} differs from the expected result in {wrong.size} of {expected.size} entries "
            f"(first at flat index {i}: got {actual_arr.ravel()[i]!r}, "
            f"expected {expected.ravel()[i]!r})."
        )


def assert_keys(value: Any, keys: set[str], what: str) -> None:
    """Check ``value`` is a mapping with exactly ``keys``."""
    if not hasattr(value, "keys"):
        raise AssertionError(
            f"{what} should be a dict with keys {sorted(keys)}, got {type(value).__name__}."
        )
    if set(value.keys()) != keys:
        raise AssertionError(
            f"{what} should have the keys {sorted(keys)}, got {sorted(value.keys())}."
        )


def assert_same_type(value: Any, expected_type: type | tuple, what: str) -> None:
    if not isinstance(value, expected_type):
        raise AssertionError(f"{what} should be a {expected_type}, got {type(value).__name__}.")


def random_pred_probs(
    rng: np.random.Generator, n: int, k: int, concentration: float = 1.0
) -> np.ndarray:
    """Random probability rows (Dirichlet) for tests."""
    return rng.dirichlet(np.full(k, concentration), size=n)
