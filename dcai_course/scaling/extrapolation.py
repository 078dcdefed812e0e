"""Judging an extrapolation: the last-observed-value baseline, the extrapolation
error of a fit, and the Pareto front of cost against error.

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    check_finite_array,
    check_float,
    check_positive,
    check_same_length,
)
from ._checks import _check_errors, _check_sizes

# --- baseline and evaluation ----------------------------------------------------------------


@dataclass(frozen=True)
class LastValueBaseline:
    """Forecast that the error stays at its last observed value, whatever ``n``.

    Attributes
    ----------
    value : float
        Mean error at the largest observed size.
    n_last : float
        That size.

    Taught in: notebooks/10_scaling_laws.ipynb.
    """

    value: float
    n_last: float

    def __post_init__(self) -> None:
        check_float(self.value, "value", minimum=0.0, maximum=1.0, percent_hint=True)
        check_positive(self.n_last, "n_last")

    def predict(self, n: Any) -> np.ndarray | float:
        """The last observed error, at every size in ``n`` (a float for a scalar ``n``)."""
        out = np.full(_check_sizes(np.atleast_1d(n)).shape, self.value)
        return out if np.ndim(n) else out[0]


def last_value_baseline(n: Any, error: Any) -> LastValueBaseline:
    """The "last observed value" forecast: the mean error at the largest size measured.

    Mohr et al. (2022, Learning Curve Database) find that this naive forecast is hard to
    beat when the curve has flattened over the observed range.

    Examples
    --------
    >>> last_value_baseline([100, 100, 400, 400], [0.3, 0.2, 0.12, 0.1]).predict([1600])
    array([0.11])

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    sizes, errors = _check_sizes(n), _check_errors(error)
    check_same_length(n=sizes, error=errors)
    last = sizes.max()
    return LastValueBaseline(value=float(errors[sizes == last].mean()), n_last=float(last))


def extrapolation_error(fit: Any, n_heldout: Any, error_heldout: Any) -> float:
    """Mean absolute difference between a forecast and errors measured at held-out sizes.

    Parameters
    ----------
    fit : PowerLawFit, LastValueBaseline or any object with ``predict(n)``
    n_heldout : array-like of shape (m,)
        Sizes the forecast did not see (usually larger than those it was fitted on).
    error_heldout : array-like of shape (m,)
        The errors then measured there (repeats allowed).

    Examples
    --------
    >>> from dcai_course.scaling import PowerLawFit
    >>> extrapolation_error(PowerLawFit(2.0, 0.5, 0.1), [100, 10_000], [0.25, 0.13])
    0.03

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    if not callable(getattr(fit, "predict", None)):
        raise TypeError(f"fit must have a predict(n) method, got {type(fit).__name__}.")
    sizes = _check_sizes(n_heldout, "n_heldout")
    errors = _check_errors(error_heldout, "error_heldout")
    check_same_length(n_heldout=sizes, error_heldout=errors)
    return round(float(np.mean(np.abs(np.asarray(fit.predict(sizes)) - errors))), 12)


def pareto_front(cost: Any, error: Any) -> np.ndarray:
    """Which options are Pareto-optimal: no other option is both cheaper and more accurate.

    An option is dominated when another costs no more and errs no more, and is strictly
    better in one of the two. Ties (same cost and error) are all kept.

    Returns
    -------
    numpy.ndarray of bool
        True for the options on the front.

    Examples
    --------
    >>> pareto_front([1, 2, 3, 4], [0.3, 0.35, 0.2, 0.2]).tolist()
    [True, False, True, False]

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    cost = check_finite_array(cost, "cost", ndim=1)
    error = check_finite_array(error, "error", ndim=1)
    check_same_length(cost=cost, error=error)
    order = np.lexsort((error, cost))  # by cost, then by error
    sorted_cost, sorted_error = cost[order], error[order]
    # Start of each point's group of equal cost; the group's lowest error comes first.
    _, starts, group = np.unique(sorted_cost, return_index=True, return_inverse=True)
    start = starts[group]
    cheaper_best = np.concatenate([[np.inf], np.minimum.accumulate(sorted_error)])[start]
    on_front = (sorted_error < cheaper_best) & (sorted_error == sorted_error[start])
    front = np.zeros(cost.size, dtype=bool)
    front[order] = on_front
    return front
