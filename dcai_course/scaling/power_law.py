"""Fitting the power law ``E(n) = a n^-b + c`` with bounds and good starting values
(:func:`fit_power_law`) and a bootstrap interval around it
(:func:`fit_power_law_bootstrap`).

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from .._validation import (
    SeedLike,
    as_rng,
    check_float,
    check_probability,
    check_same_length,
)
from ._checks import (
    _check_curve,
    _check_errors,
    _check_int,
    _check_level,
    _check_params,
    _check_sizes,
    _check_weights,
)

#: Upper bound of the exponent ``b`` in the fit. Hestness et al. (2017) report 0.07 to
#: 0.35 for deep networks; classical theory gives 0.5 to 1; 3 leaves ample room.
B_MAX = 3.0


#: Exponents tried to find the starting values of the fit (see :func:`fit_power_law`).
_B_GRID = np.geomspace(0.01, B_MAX, 60)


class PowerLawFitError(RuntimeError):
    """The least-squares fit of a power law did not converge."""


def power_law(n: Any, a: float, b: float, c: float) -> np.ndarray | float:
    """The learning-curve model ``E(n) = a * n**(-b) + c`` (a float for a scalar ``n``).

    ``n`` must be positive sizes and the parameters finite (a fitted
    :class:`PowerLawFit` further has ``a, b >= 0`` and ``c`` in [0, 1]).

    Examples
    --------
    >>> power_law([1, 100], a=2.0, b=0.5, c=0.1)
    array([2.1, 0.3])

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    sizes = _check_sizes(np.atleast_1d(n))
    a, b, c = (check_float(v, name) for v, name in ((a, "a"), (b, "b"), (c, "c")))
    out = a * sizes ** (-b) + c
    return out if np.ndim(n) else out[0]


# --- fitting the power law ------------------------------------------------------------------


@dataclass(frozen=True)
class PowerLawFit:
    """A fitted learning curve ``E(n) = a * n**(-b) + c``.

    Attributes
    ----------
    a, b, c : float
        Scale, exponent and irreducible error (``c >= 0``).
    converged : bool
        Whether the least-squares solver reported convergence.
    message : str
        The solver's message.
    n_range : tuple of float
        Smallest and largest training size the fit saw: beyond the largest, its
        predictions are extrapolations.
    rmse : float
        Weighted root-mean-square residual of the fit on its points.
    at_bounds : tuple of str
        Parameters that ended on a bound (``a = 0``, ``b = 0`` or ``b = B_MAX``,
        ``c = 0`` or ``c = 1``). ``c = 0`` is often genuine; ``b`` on a bound means the
        points do not pin down a power law.

    Taught in: notebooks/10_scaling_laws.ipynb.
    """

    a: float
    b: float
    c: float
    converged: bool = True
    message: str = ""
    n_range: tuple[float, float] = (math.nan, math.nan)
    rmse: float = math.nan
    at_bounds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_params(self.a, self.b, self.c)

    def predict(self, n: Any) -> np.ndarray | float:
        """The fitted error at training sizes ``n`` (a float for a scalar ``n``, as NumPy).

        Examples
        --------
        >>> PowerLawFit(2.0, 0.5, 0.1).predict([100, 10_000]).round(3)
        array([0.3 , 0.12])
        """
        return power_law(n, self.a, self.b, self.c)

    def samples_needed(self, target_error: float) -> float:
        """Training examples needed to reach ``target_error``: ``(a / (target - c))**(1/b)``.

        Raises
        ------
        ValueError
            If the target is at or below the irreducible error ``c`` (no amount of data
            reaches it, according to this fit), or the fitted curve is flat.

        Examples
        --------
        >>> round(PowerLawFit(2.0, 0.5, 0.1).samples_needed(0.12))
        10000
        >>> PowerLawFit(2.0, 0.5, 0.1).samples_needed(0.05)
        Traceback (most recent call last):
        ...
        ValueError: The target error 0.05 is at or below the fitted irreducible error c = 0.1: ...
        """
        target = check_probability(target_error, "target_error")
        if target <= self.c:
            raise ValueError(
                f"The target error {target:g} is at or below the fitted irreducible error "
                f"c = {self.c:.4g}: according to this fit no amount of data reaches it. Aim "
                "higher, or change the model or the data quality."
            )
        if self.a <= 0 or self.b <= 0:
            raise ValueError(
                "The fitted curve is flat (a = 0 or b = 0): more data does not change its "
                "error, so no number of examples can be derived from it."
            )
        return max(float((self.a / (target - self.c)) ** (1.0 / self.b)), 1.0)

    def __str__(self) -> str:
        return f"E(n) = {self.a:.4g}·n^(-{self.b:.3f}) + {self.c:.4f}"


def _aggregate(n: np.ndarray, error: np.ndarray, weights: np.ndarray):
    """Collapse repeated sizes to their weighted mean (the least-squares minimiser is unchanged)."""
    sizes, inverse = np.unique(n, return_inverse=True)
    w = np.bincount(inverse, weights=weights)
    keep = w > 0
    means = np.bincount(inverse, weights=weights * error)[keep] / w[keep]
    return sizes[keep], means, w[keep]


def _start_values(n: np.ndarray, e: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Best (a, b, c) over a grid of exponents, with (a, c) >= 0 solved in closed form.

    For a fixed ``b`` the model is linear in ``a`` and ``c`` (variable projection), so a
    weighted two-parameter regression of ``e`` on ``n**-b`` gives them; when it makes one
    negative, that one is set to 0 and the other refitted. The grid point with the lowest
    weighted squared error starts the nonlinear fit.
    """
    x = n[None, :] ** -_B_GRID[:, None]  # (grid, points)
    sw, sy = w.sum(), (w * e).sum()
    sx, sxx, sxy = (w * x).sum(1), (w * x * x).sum(1), (w * x * e).sum(1)
    det = sw * sxx - sx**2
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(det > 0, (sw * sxy - sx * sy) / det, 0.0)
    c = (sy - a * sx) / sw
    neg_a = a < 0
    a, c = np.where(neg_a, 0.0, a), np.where(neg_a, sy / sw, c)
    neg_c = c < 0
    a, c = np.where(neg_c, sxy / sxx, a), np.where(neg_c, 0.0, c)
    c = np.clip(c, 0.0, 1.0)
    sse = (w * (a[:, None] * x + c[:, None] - e) ** 2).sum(1)
    best = int(np.argmin(sse))
    return np.array([a[best], _B_GRID[best], c[best]])


def fit_power_law(
    n: Any,
    error: Any,
    weights: Any = None,
    *,
    max_nfev: int | None = None,
    raise_on_failure: bool = True,
) -> PowerLawFit:
    """Fit ``E(n) = a * n**(-b) + c`` to measured errors by bounded least squares.

    Minimises ``sum(weights * (E(n_i) - error_i)**2)`` with ``scipy.optimize.least_squares``
    under the bounds ``a >= 0``, ``0 <= b <= B_MAX`` and ``0 <= c <= 1`` (an error rate
    cannot fall below 0, so neither can its floor). The solver starts from the best point
    of a grid of exponents, where ``a`` and ``c`` are solved in closed form (see
    ``_start_values``): a power law is easy to fit from a good start and easy to get wrong
    from a bad one (try ``scipy.optimize.curve_fit`` with its default start of ones).

    Parameters
    ----------
    n : array-like of shape (m,)
        Training sizes, positive; repeats of the same size are allowed (one point per
        repeat, as :func:`learning_curve` returns).
    error : array-like of shape (m,)
        Error rates in ``[0, 1]``.
    weights : array-like of shape (m,), optional
        Non-negative weights of the squared residuals (for example ``1 / variance``).
    max_nfev : int, optional
        Maximum number of function evaluations of the solver (its default if None).
    raise_on_failure : bool, default True
        If the solver does not converge, raise :class:`PowerLawFitError`; with False,
        return the last iterate with ``converged=False`` and the solver's message.

    Returns
    -------
    PowerLawFit

    Raises
    ------
    ValueError
        For fewer than three distinct sizes, non-positive sizes, errors outside
        ``[0, 1]`` or NaN.
    PowerLawFitError
        If the fit does not converge (unless ``raise_on_failure=False``).

    Examples
    --------
    >>> sizes = np.array([50, 100, 200, 400, 800, 1600])
    >>> fit = fit_power_law(sizes, power_law(sizes, 3.0, 0.6, 0.05))
    >>> print(fit)
    E(n) = 3·n^(-0.600) + 0.0500
    >>> round(fit.samples_needed(0.08))
    2154

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    sizes = _check_sizes(n)
    errors = _check_errors(error)
    check_same_length(n=sizes, error=errors)
    w = _check_weights(weights, sizes.size)
    if max_nfev is not None:
        max_nfev = _check_int(max_nfev, "max_nfev", 1)
    n_u, e_u, w_u = _aggregate(sizes, errors, w)
    if n_u.size < 3:
        raise ValueError(
            f"A power law a·n^(-b) + c has three parameters and needs at least three distinct "
            f"training sizes with positive weight; got {n_u.size}. Measure the curve at more "
            "sizes."
        )
    sqrt_w = np.sqrt(w_u)
    log_n = np.log(n_u)

    def residuals(p):
        return sqrt_w * (p[0] * np.exp(-p[1] * log_n) + p[2] - e_u)

    def jacobian(p):
        power = np.exp(-p[1] * log_n)
        return sqrt_w[:, None] * np.column_stack(
            [power, -p[0] * log_n * power, np.ones_like(power)]
        )

    lower, upper = np.array([0.0, 0.0, 0.0]), np.array([np.inf, B_MAX, 1.0])
    start = np.clip(_start_values(n_u, e_u, w_u), lower, upper)
    result = least_squares(
        residuals,
        start,
        jac=jacobian,
        bounds=(lower, upper),
        method="trf",
        x_scale="jac",
        max_nfev=max_nfev,
    )
    converged = bool(result.status > 0)
    if not converged and raise_on_failure:
        raise PowerLawFitError(
            f"The power-law fit did not converge: {result.message} Pass raise_on_failure="
            "False to inspect the last iterate, check that the error falls with n, or add "
            "sizes."
        )
    # Values within rounding of a bound are put on it (c = 3e-16 is c = 0).
    tol = 1e-9
    params = np.where(
        result.x <= lower + tol, lower, np.where(result.x >= upper - tol, upper, result.x)
    )
    a, b, c = (float(v) for v in params)
    at_bounds = tuple(
        name
        for name, value, lo, hi in zip("abc", params, lower, upper, strict=True)
        if value in (lo, hi)
    )
    rmse = float(np.sqrt(np.sum(result.fun**2) / w_u.sum()))
    return PowerLawFit(
        a=a,
        b=b,
        c=c,
        converged=converged,
        message=str(result.message),
        n_range=(float(n_u[0]), float(n_u[-1])),
        rmse=rmse,
        at_bounds=at_bounds,
    )


# --- bootstrap ------------------------------------------------------------------------------


def _quantiles(values: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along axis 0; infinite values (unreachable targets) stay infinite."""
    alpha = (1 - level) / 2
    finite = np.where(np.isfinite(values), values, np.finfo(np.float64).max)
    low, high = np.quantile(finite, [alpha, 1 - alpha], axis=0)
    big = np.finfo(np.float64).max / 2
    return np.where(low > big, np.inf, low), np.where(high > big, np.inf, high)


@dataclass(frozen=True)
class PowerLawBootstrap:
    """A power-law fit and its bootstrap replicates (see :func:`fit_power_law_bootstrap`).

    Attributes
    ----------
    fit : PowerLawFit
        The fit on the original curve.
    replicates : pandas.DataFrame
        Columns ``a``, ``b``, ``c``: one row per bootstrap replicate that converged.
    n_failed : int
        Replicates whose fit did not converge (left out of the intervals).

    Taught in: notebooks/10_scaling_laws.ipynb.
    """

    fit: PowerLawFit
    replicates: pd.DataFrame = field(repr=False)
    n_failed: int = 0

    def intervals(self, level: float = 0.9) -> pd.DataFrame:
        """Percentile intervals of ``a``, ``b`` and ``c``: columns estimate, low, high."""
        level = _check_level(level)
        low, high = _quantiles(self.replicates[["a", "b", "c"]].to_numpy(), level)
        estimate = [self.fit.a, self.fit.b, self.fit.c]
        return pd.DataFrame(
            {"estimate": estimate, "low": low, "high": high}, index=pd.Index(list("abc"))
        )

    def predict_interval(self, n: Any, level: float = 0.9) -> pd.DataFrame:
        """The predicted error at sizes ``n`` with a percentile interval, one row per size."""
        level = _check_level(level)
        sizes = _check_sizes(np.atleast_1d(n))
        r = self.replicates
        a, b, c = (r[p].to_numpy()[:, None] for p in "abc")
        preds = a * sizes[None, :] ** (-b) + c
        low, high = _quantiles(preds, level)
        return pd.DataFrame(
            {"estimate": self.fit.predict(sizes), "low": low, "high": high},
            index=pd.Index(sizes, name="n"),
        )

    def samples_needed_interval(self, target_error: float, level: float = 0.9) -> pd.Series:
        """Examples needed to reach ``target_error``, with a percentile interval.

        A replicate whose floor ``c`` is at or above the target can never reach it and
        counts as infinitely many examples, so the upper end may be ``inf``: the data do
        not rule out that the target is out of reach. The share of such replicates is
        returned as ``unreachable``.

        Raises
        ------
        ValueError
            If the fit on the original curve cannot reach the target (see
            :meth:`PowerLawFit.samples_needed`).
        """
        level = _check_level(level)
        estimate = self.fit.samples_needed(target_error)
        r = self.replicates
        gap = target_error - r.c.to_numpy()
        reachable = (gap > 0) & (r.a.to_numpy() > 0) & (r.b.to_numpy() > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = np.where(
                reachable,
                np.maximum((r.a.to_numpy() / gap) ** (1.0 / r.b.to_numpy()), 1.0),
                np.inf,
            )
        low, high = _quantiles(needed, level)
        return pd.Series(
            {
                "estimate": estimate,
                "low": float(low),
                "high": float(high),
                "unreachable": float(1 - reachable.mean()),
            },
            name=f"samples needed for error {target_error:g}",
        )


def fit_power_law_bootstrap(
    curve: pd.DataFrame,
    n_boot: int = 200,
    seed: SeedLike = None,
    *,
    progress: bool = True,
) -> PowerLawBootstrap:
    """Bootstrap a power-law fit by resampling the repeats measured at each size.

    Each replicate draws, at every size, as many rows as were measured there, with
    replacement, and refits :func:`fit_power_law` (a stratified case bootstrap: the sizes
    stay fixed, the randomness of the subsets is resampled). Intervals are percentiles
    of the replicates. With few repeats per size (say 5) the bootstrap slightly
    understates the spread, so treat a 90% interval as a little optimistic.

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``n`` and ``error``, one row per fit (the output of
        :func:`learning_curve`).
    n_boot : int, default 200
        Bootstrap replicates.
    seed : int or numpy.random.Generator, optional
    progress : bool, default True
        Show a ``tqdm`` progress bar (a few hundred fits take about a second).

    Returns
    -------
    PowerLawBootstrap
        With ``intervals``, ``predict_interval`` and ``samples_needed_interval``.

    Raises
    ------
    PowerLawFitError
        If the fit on the original curve, or every replicate, fails to converge.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n = np.repeat([50, 100, 200, 400, 800, 1600], 5)
    >>> curve = pd.DataFrame({"n": n, "error": power_law(n, 3, 0.6, 0.05)
    ...                       + rng.normal(0, 0.005, n.size)})
    >>> boot = fit_power_law_bootstrap(curve, n_boot=100, seed=0, progress=False)
    >>> ci = boot.intervals(0.9)
    >>> bool(ci.loc["b", "low"] < 0.6 < ci.loc["b", "high"])
    True

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    from tqdm.auto import tqdm

    curve = _check_curve(curve)
    n_boot = _check_int(n_boot, "n_boot", 1)
    rng = as_rng(seed)
    sizes = curve["n"].to_numpy(np.float64)
    errors = curve["error"].to_numpy(np.float64)
    fit = fit_power_law(sizes, errors)
    distinct = np.unique(sizes)
    # Resampled mean error at every size, for every replicate: (n_boot, n_sizes).
    means = np.empty((n_boot, distinct.size))
    counts = np.empty(distinct.size)
    for j, size in enumerate(distinct):  # a loop over sizes, not examples
        group = errors[sizes == size]
        draws = rng.integers(0, group.size, size=(n_boot, group.size))
        means[:, j] = group[draws].mean(axis=1)
        counts[j] = group.size
    params, failed = [], 0
    for row in tqdm(means, disable=not progress, desc="bootstrap fits"):
        replicate = fit_power_law(distinct, row, counts, raise_on_failure=False)
        if replicate.converged:
            params.append((replicate.a, replicate.b, replicate.c))
        else:
            failed += 1
    if not params:
        raise PowerLawFitError(f"None of the {n_boot} bootstrap fits converged.")
    replicates = pd.DataFrame(params, columns=["a", "b", "c"])
    return PowerLawBootstrap(fit=fit, replicates=replicates, n_failed=failed)
