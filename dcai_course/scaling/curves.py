"""Measuring learning curves: stratified subsets of a fixed training pool, one fixed
test set (:func:`learning_curve`), their per-size summary and the plot.

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from contextlib import nullcontext
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_eval_data,
    check_fit_data,
    check_float,
    check_int,
    check_int_sequence,
    check_labels,
    check_positive,
)
from ._checks import _check_curve, _check_int, _check_sizes
from .power_law import PowerLawFit

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
