"""Scaling laws: learning curves, power-law fits, extrapolation and "how much data is enough".

A **learning curve** is the test error of a model as a function of the number of
training examples ``n``. Over a wide middle range, many learning curves follow a power
law plus a floor,

.. math:: E(n) = a \\, n^{-b} + c,

where ``b`` is the learning exponent and ``c >= 0`` the irreducible error (Hestness et
al., 2017, "Deep Learning Scaling is Predictable, Empirically", arXiv:1712.00409). This
module measures learning curves properly (stratified random subsets of a fixed training
pool, one fixed held-out test set), fits the power law with bounds and good starting
values, extrapolates it, puts a bootstrap interval around every derived number, and
compares the fit with the "last observed value" baseline that the Learning Curve
Database of Mohr et al. (2022) found hard to beat.

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_eval_data,
    check_finite_array,
    check_fit_data,
    check_float,
    check_int,
    check_int_sequence,
    check_labels,
    check_no_duplicates,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = [
    "B_MAX",
    "LastValueBaseline",
    "PowerLawBootstrap",
    "PowerLawFit",
    "PowerLawFitError",
    "extrapolation_error",
    "fit_power_law",
    "fit_power_law_bootstrap",
    "last_value_baseline",
    "learning_curve",
    "pareto_front",
    "plot_learning_curve",
    "power_law",
    "stratified_subset",
    "summarize_curve",
]

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


# --- input checks ---------------------------------------------------------------------------


def _check_sizes(n: Any, name: str = "n") -> np.ndarray:
    arr = np.asarray(n)
    if arr.dtype == object or arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be numbers of training examples, got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of sizes, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values; every size must be finite.")
    if (arr <= 0).any():
        raise ValueError(
            f"{name} must be positive numbers of training examples, got {arr[arr <= 0][0]:g}."
        )
    return arr


def _check_params(a: Any, b: Any, c: Any) -> tuple[float, float, float]:
    """The parameters of a power law of the error: ``a >= 0``, ``b >= 0``, ``c`` in [0, 1]."""
    return (
        check_float(a, "a", minimum=0.0),
        check_float(b, "b", minimum=0.0),
        check_float(c, "c", minimum=0.0, maximum=1.0),
    )


def _check_errors(error: Any, name: str = "error") -> np.ndarray:
    arr = np.asarray(error)
    if arr.dtype == object or arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be error rates (numbers in [0, 1]), got dtype {arr.dtype}.")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(
            f"{name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite value(s): drop "
            "the failed runs before fitting."
        )
    if (arr < 0).any() or (arr > 1).any():
        bad = arr[(arr < 0) | (arr > 1)][0]
        raise ValueError(
            f"{name} must be error rates in [0, 1], got {bad:g}. Pass 1 - accuracy, not a "
            "percentage or a loss."
        )
    return arr


def _check_weights(weights: Any, size: int) -> np.ndarray:
    if weights is None:
        return np.ones(size)
    arr = np.asarray(weights, dtype=np.float64)
    if arr.shape != (size,):
        raise ValueError(f"weights must have one entry per point ({size}), got shape {arr.shape}.")
    if not np.isfinite(arr).all() or (arr < 0).any() or not (arr > 0).any():
        raise ValueError("weights must be finite, non-negative, and not all zero.")
    return arr


def _check_curve(curve: Any) -> pd.DataFrame:
    if not isinstance(curve, pd.DataFrame):
        raise TypeError(
            f"curve must be a pandas DataFrame with columns 'n' and 'error' (the output of "
            f"learning_curve), got {type(curve).__name__}."
        )
    missing = {"n", "error"} - set(curve.columns)
    if missing:
        raise ValueError(
            f"curve is missing the column(s) {sorted(missing)}; it needs 'n' and 'error', "
            "one row per (size, repeat), as learning_curve returns."
        )
    if curve.empty:
        raise ValueError("curve is empty: it has no rows.")
    _check_sizes(curve["n"].to_numpy(), "curve['n']")
    _check_errors(curve["error"].to_numpy(), "curve['error']")
    if "repeat" in curve.columns:
        check_no_duplicates(curve, "curve", ("n", "repeat"))
    return curve


def _check_int(value: Any, name: str, minimum: int) -> int:
    return check_int(value, name, minimum=minimum)


def _check_level(level: Any) -> float:
    return check_float(level, "level", minimum=0.0, maximum=1.0, strict=True, percent_hint=True)


# --- measuring a learning curve -------------------------------------------------------------


def stratified_subset(labels: Any, n: int, seed: SeedLike = None) -> np.ndarray:
    """Indices of a random subset of ``n`` examples with the class proportions of ``labels``.

    Systematic sampling: the examples are shuffled, grouped by class (keeping the random
    order inside each class), and every ``N / n``-th one is taken from a random offset.
    Each class therefore gets ``n * N_k / N`` examples rounded up or down at random, the
    total is exactly ``n``, and no Python loop runs over examples or classes.

    Parameters
    ----------
    labels : array-like of int, shape (N,)
    n : int
        Size of the subset, ``1 <= n <= N``.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of int64, shape (n,)
        Sorted positions in ``labels``.

    Examples
    --------
    >>> labels = np.repeat([0, 1, 2], [50, 30, 20])
    >>> np.bincount(labels[stratified_subset(labels, 10, seed=0)]).tolist()
    [5, 3, 2]

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    y = check_labels(labels)
    n = _check_int(n, "n", 1)
    if n > y.size:
        raise ValueError(f"n={n} is larger than the pool it is drawn from ({y.size} examples).")
    rng = as_rng(seed)
    shuffled = rng.permutation(y.size)
    grouped = shuffled[np.argsort(y[shuffled], kind="stable")]
    step = y.size / n
    positions = np.floor(rng.uniform(0, step) + step * np.arange(n)).astype(np.int64)
    return np.sort(grouped[np.minimum(positions, y.size - 1)])


def learning_curve(
    model: Any,
    X: Any,
    y: Any,
    sizes: Sequence[int],
    n_repeats: int | Sequence[int] = 5,
    test_size: float | int = 0.2,
    seed: SeedLike = None,
    progress: bool = True,
    *,
    test_set: tuple[Any, Any] | None = None,
    blas_threads: int | None = 1,
) -> pd.DataFrame:
    """Test error of ``model`` trained on random subsets of growing size.

    The data are split once into a training pool and a test set (stratified). For each
    size ``n`` and each repeat, a fresh stratified random subset of ``n`` examples is
    drawn from the pool (:func:`stratified_subset`), a clone of ``model`` is trained on
    it, and its error is measured on the same fixed test set. The test set never
    changes, so differences between sizes are differences between training sets only.

    scikit-learn's ``sklearn.model_selection.learning_curve`` instead trains on the
    *first* ``n`` examples of each cross-validation training fold; unless
    ``shuffle=True`` is passed, on data stored in a meaningful order (sorted by class, by
    date, by source) its small training sets are not samples of the data at all.

    Parameters
    ----------
    model : scikit-learn classifier
        Cloned for every fit, never fitted in place.
    X : array-like of shape (N, d)
    y : array-like of int, shape (N,)
        Labels ``0..K-1``. With ``test_set`` given, ``X, y`` are the whole training pool
        (their labels may be noisy) and the test set is used as given.
    sizes : sequence of int
        Training-set sizes, each at most the size of the pool. When a size equals the
        pool, every repeat would train on the same examples, so it is run once.
    n_repeats : int or sequence of int, default 5
        Random subsets per size, or one count per size (large sizes vary less between
        subsets and cost more, so they often need fewer repeats).
    test_size : float or int, default 0.2
        Fraction (or number) of examples held out as the test set; ignored with
        ``test_set``.
    seed : int or numpy.random.Generator, optional
        Controls the split and the subsets.
    progress : bool, default True
        Show a ``tqdm`` progress bar.
    test_set : tuple (X_test, y_test), optional
        A fixed test set to use instead of splitting ``X, y``.
    blas_threads : int or None, default 1
        BLAS threads while fitting (through ``threadpoolctl``). A learning curve fits
        many small models, for which one thread is faster than several; None leaves the
        setting alone.

    Returns
    -------
    pandas.DataFrame
        One row per fit, sorted by size: ``n``, ``repeat`` and ``error`` (the fraction of
        test examples misclassified).

    Examples
    --------
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> curve = learning_curve(KNeighborsClassifier(1), X, y, [50, 200, 800],
    ...                        n_repeats=2, seed=0, progress=False)
    >>> curve.groupby("n").error.mean().round(2).tolist()
    [0.13, 0.05, 0.01]

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    from threadpoolctl import threadpool_limits
    from tqdm.auto import tqdm

    rng = as_rng(seed)
    X, y = check_fit_data(model, X, y)
    if test_set is None:
        test_size = _check_test_size(test_size)
        X_pool, X_test, y_pool, y_test = train_test_split(
            X, y, test_size=test_size, random_state=as_random_state(rng), stratify=y
        )
    else:
        if not (isinstance(test_set, tuple | list) and len(test_set) == 2):
            raise TypeError("test_set must be a tuple (X_test, y_test).")
        X_pool, y_pool = X, y
        X_test, y_test = check_eval_data(
            test_set[0], test_set[1], y, X_name="X_test", y_name="y_test", train_name="y"
        )
        if X_test.shape[1] != X_pool.shape[1]:
            raise ValueError(f"X_test has {X_test.shape[1]} features but X has {X_pool.shape[1]}.")
    grid = _check_sizes(sizes, "sizes")
    if (grid != np.round(grid)).any():
        raise ValueError("sizes must be whole numbers of training examples.")
    if np.unique(grid).size != grid.size:
        raise ValueError("sizes must be distinct.")
    if grid.max() > y_pool.size:
        raise ValueError(
            f"The largest size ({grid.max():g}) exceeds the training pool ({y_pool.size} "
            "examples after holding out the test set)."
        )
    if isinstance(n_repeats, Integral) and not isinstance(n_repeats, bool):
        repeats = [_check_int(n_repeats, "n_repeats", 1)] * grid.size
    elif isinstance(n_repeats, Real | bool | np.bool_):
        repeats = [_check_int(n_repeats, "n_repeats", 1)]
    else:
        repeats = check_int_sequence(n_repeats, "n_repeats", minimum=1)
        if len(repeats) != grid.size:
            raise ValueError(
                f"n_repeats has {len(repeats)} entries but there are {grid.size} sizes: give "
                "one int, or one count per size."
            )
    order = np.argsort(grid)
    runs = [
        (int(grid[i]), r) for i in order for r in range(1 if grid[i] == y_pool.size else repeats[i])
    ]
    limits = threadpool_limits(blas_threads) if blas_threads is not None else nullcontext()
    rows = []
    with limits, warnings.catch_warnings():
        # scikit-learn warns when a tiny training set has many classes; expected here.
        warnings.filterwarnings("ignore", message="The number of unique classes is greater")
        for n, repeat in tqdm(runs, disable=not progress, desc="learning curve"):
            idx = stratified_subset(y_pool, n, rng)
            fitted = clone(model).fit(X_pool[idx], y_pool[idx])
            error = float(np.mean(fitted.predict(X_test) != y_test))
            rows.append({"n": n, "repeat": repeat, "error": error})
    return pd.DataFrame(rows)


def _check_test_size(test_size: Any) -> float | int:
    if isinstance(test_size, Integral) and not isinstance(test_size, bool):
        return check_int(test_size, "test_size", minimum=1)
    return check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)


def summarize_curve(curve: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation and number of repeats of the error at each size.

    Examples
    --------
    >>> curve = pd.DataFrame({"n": [10, 10, 20, 20], "error": [0.5, 0.3, 0.2, 0.2]})
    >>> summarize_curve(curve).round(3)
        mean    std  count
    n
    10   0.4  0.141      2
    20   0.2  0.000      2

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    curve = _check_curve(curve)
    table = curve.groupby("n")["error"].agg(["mean", "std", "count"])
    table["std"] = table["std"].fillna(0.0)  # a size measured once has no spread
    return table


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


# --- plotting -------------------------------------------------------------------------------


def plot_learning_curve(
    curve: pd.DataFrame,
    ax=None,
    *,
    label: str | None = None,
    fit: PowerLawFit | None = None,
    extend_to: float | None = None,
    color: str | None = None,
    marker: str = "o",
):
    """Plot a learning curve on log-log axes: mean error ± one s.d. per size, and a fit.

    Parameters
    ----------
    curve : pandas.DataFrame
        The output of :func:`learning_curve`.
    ax : matplotlib Axes, optional
    label : str, optional
    fit : PowerLawFit, optional
        Drawn as a line over the sizes it was fitted on, dashed beyond them.
    extend_to : float, optional
        Draw the fit up to this size (default: the largest size of the curve).
    color, marker : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Taught in: notebooks/10_scaling_laws.ipynb.
    """
    import matplotlib.pyplot as plt

    stats = summarize_curve(curve)
    if fit is not None and not isinstance(fit, PowerLawFit):
        raise TypeError(
            f"fit must be a PowerLawFit (from fit_power_law), got {type(fit).__name__}."
        )
    if extend_to is not None:
        extend_to = check_positive(extend_to, "extend_to")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    bars = ax.errorbar(
        stats.index,
        stats["mean"],
        yerr=stats["std"],
        fmt=marker,
        capsize=3,
        label=label,
        color=color,
        markersize=5,
    )
    color = bars[0].get_color()
    if fit is not None:
        low, high = fit.n_range
        end = max(extend_to or stats.index.max(), high)
        inside = np.geomspace(low, high, 100)
        ax.plot(inside, fit.predict(inside), "-", color=color, lw=1.5)
        if end > high:
            beyond = np.geomspace(high, end, 100)
            ax.plot(beyond, fit.predict(beyond), "--", color=color, lw=1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training examples n")
    ax.set_ylabel("test error")
    ax.grid(alpha=0.3, which="both")
    if label is not None:
        ax.legend(fontsize="small")
    return ax
