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


#: Relative tolerance of :func:`assert_close`: a float32 answer (about 7 significant
#: digits) passes, a wrong formula does not.
RTOL = 1e-5
#: Smallest absolute tolerance: float32 rounding of values of order 1.
ATOL = 1e-6


def assert_close(
    actual: Any, expected: Any, what: str, *, atol: float = 1e-8, rtol: float = RTOL
) -> None:
    """Check numbers or arrays agree within ``atol + rtol * |expected|`` (elementwise).

    As :func:`numpy.testing.assert_allclose` does; ``atol`` is at least :data:`ATOL`, so
    float32 answers pass. NaN matches NaN. A failure shows the first differing entry with
    ten significant digits, and the largest absolute difference.
    """
    actual_arr = assert_array(actual, what, shape=np.shape(expected))
    expected_arr = np.asarray(expected, dtype=float)
    actual_f = actual_arr.astype(float)
    atol = max(float(atol), ATOL)
    ok = np.isclose(actual_f, expected_arr, atol=atol, rtol=rtol, equal_nan=True)
    if ok.all():
        return
    if np.ndim(expected) == 0:
        raise AssertionError(
            f"{what} should be {float(expected_arr):.10g}, got {float(actual_f):.10g} "
            f"(tolerance {atol:.1g} + {rtol:.0e} relative)."
        )
    first = np.unravel_index(np.flatnonzero(~ok.ravel())[0], ok.shape)
    with np.errstate(invalid="ignore"):
        diff = np.nanmax(np.abs(actual_f - expected_arr))
    raise AssertionError(
        f"{what} differs from the expected values in {int((~ok).sum())} of {ok.size} entries "
        f"(first at index {tuple(int(i) for i in first)}: got {actual_f[first]:.10g}, "
        f"expected {expected_arr[first]:.10g}; largest difference {diff:.3g})."
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
    from .._validation import check_count, check_positive

    n = check_count(n, "n", minimum=1)
    k = check_count(k, "k", minimum=2)
    concentration = check_positive(concentration, "concentration")
    return rng.dirichlet(np.full(k, concentration), size=n)
