"""Summaries of learning curves: mean and band, area under the curve, labels to a target, plots.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_float,
    check_fractions,
    check_no_duplicates,
    check_probability,
)

_CURVE_COLUMNS = ("strategy", "seed", "n_labeled", "accuracy")


def _check_results(results: Any) -> pd.DataFrame:
    if not isinstance(results, pd.DataFrame):
        raise TypeError(
            f"results must be the DataFrame of run_active_learning / compare_strategies, "
            f"got {type(results).__name__}."
        )
    missing = [c for c in _CURVE_COLUMNS if c not in results.columns]
    if missing:
        raise ValueError(
            f"results lacks the column(s) {missing}; pass the output of compare_strategies "
            "(or concatenated run_active_learning curves)."
        )
    if results.empty:
        raise ValueError("results is empty.")
    check_fractions(results["accuracy"], "results['accuracy']")
    check_no_duplicates(results, "results", ("strategy", "seed", "n_labeled"))
    return results


def _check_confidence(confidence: Any) -> float:
    return check_float(
        confidence, "confidence", minimum=0.0, maximum=1.0, strict=True, percent_hint=True
    )


def learning_curve_summary(results: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean accuracy per strategy and number of labels, with a t confidence band over seeds.

    Parameters
    ----------
    results : pandas.DataFrame
        Output of :func:`compare_strategies`.
    confidence : float, default 0.95
        Level of the two-sided interval for the mean, ``mean ± t · sd / sqrt(n_seeds)``.
        With a single seed the band has zero width.

    Returns
    -------
    pandas.DataFrame
        Columns ``strategy``, ``n_labeled``, ``mean``, ``std``, ``n_seeds``, ``low``,
        ``high``.

    Examples
    --------
    >>> runs = pd.DataFrame({"strategy": "a", "seed": [0, 1, 2], "n_labeled": 10,
    ...                      "accuracy": [0.7, 0.8, 0.9]})
    >>> learning_curve_summary(runs).round(3)
      strategy  n_labeled  mean  std  n_seeds    low   high
    0        a         10   0.8  0.1        3  0.552  1.048

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from scipy.stats import t

    results = _check_results(results)
    confidence = _check_confidence(confidence)
    stats = (
        results.groupby(["strategy", "n_labeled"], sort=False)["accuracy"]
        .agg(mean="mean", std="std", n_seeds="count")
        .reset_index()
    )
    stats["std"] = stats["std"].fillna(0.0)
    dof = (stats["n_seeds"] - 1).clip(lower=1)
    half = t.ppf(0.5 + confidence / 2, dof) * stats["std"] / np.sqrt(stats["n_seeds"])
    stats["low"] = stats["mean"] - half
    stats["high"] = stats["mean"] + half
    return stats


def area_under_curve(results: pd.DataFrame) -> pd.DataFrame:
    """Normalised area under each run's accuracy-versus-labels curve.

    The trapezoidal area divided by the range of labels, i.e. the run's average accuracy
    over the labelling budget: 1 is perfect from the first label on. Every run of a
    comparison covers the same range, so the areas are comparable.

    Returns
    -------
    pandas.DataFrame
        One row per run: ``strategy``, ``seed``, ``auc``.

    Examples
    --------
    >>> runs = pd.DataFrame({"strategy": "a", "seed": 0, "n_labeled": [10, 20, 30],
    ...                      "accuracy": [0.5, 0.7, 0.9]})
    >>> area_under_curve(runs)
      strategy  seed  auc
    0        a     0  0.7

    Taught in: notebooks/11_active_learning.ipynb.
    """
    results = _check_results(results)
    rows = []
    for (strategy, seed), run in results.groupby(["strategy", "seed"], sort=False, dropna=False):
        run = run.sort_values("n_labeled")
        x = run["n_labeled"].to_numpy(dtype=float)
        acc = run["accuracy"].to_numpy(dtype=float)
        if x.size < 2 or x[-1] == x[0]:
            auc = float(acc.mean())
        else:
            auc = float(np.trapezoid(acc, x) / (x[-1] - x[0]))
        rows.append({"strategy": strategy, "seed": seed, "auc": auc})
    return pd.DataFrame(rows)


def labels_to_reach(
    results: pd.DataFrame, target: float, *, per_seed: bool = False
) -> pd.Series | pd.DataFrame:
    """The number of labels after which accuracy first reaches ``target``.

    Parameters
    ----------
    results : pandas.DataFrame
        Output of :func:`compare_strategies`.
    target : float
        An accuracy, e.g. ``0.95 * full_data_accuracy``.
    per_seed : bool, default False
        ``False``: one number per strategy, read on the mean curve over seeds. ``True``:
        one number per run.

    Returns
    -------
    pandas.Series (by strategy) or pandas.DataFrame (``strategy``, ``seed``, ``labels``)
        NaN where the target is never reached within the budget.

    Examples
    --------
    >>> runs = pd.DataFrame({"strategy": "a", "seed": 0, "n_labeled": [10, 20, 30],
    ...                      "accuracy": [0.5, 0.7, 0.9]})
    >>> labels_to_reach(runs, 0.7).to_dict()
    {'a': 20.0}

    Taught in: notebooks/11_active_learning.ipynb.
    """
    results = _check_results(results)
    target = check_probability(target, "target")

    def first(curve: pd.DataFrame, column: str) -> float:
        curve = curve.sort_values("n_labeled")
        reached = curve["n_labeled"][curve[column].to_numpy() >= target - 1e-12]
        return float(reached.iloc[0]) if len(reached) else np.nan

    if per_seed:
        rows = [
            {"strategy": strategy, "seed": seed, "labels": first(run, "accuracy")}
            for (strategy, seed), run in results.groupby(
                ["strategy", "seed"], sort=False, dropna=False
            )
        ]
        return pd.DataFrame(rows)
    summary = learning_curve_summary(results)
    return pd.Series(
        {s: first(curve, "mean") for s, curve in summary.groupby("strategy", sort=False)},
        name="labels",
        dtype=float,
    ).rename_axis("strategy")


def strategy_table(
    results: pd.DataFrame, target: float | None = None, baseline: str | None = "random"
) -> pd.DataFrame:
    """One row per strategy: mean area under the curve, its spread, and labels to a target.

    Columns: ``auc`` (mean over seeds), ``auc_sd``, ``final`` (mean accuracy at the end
    of the budget), with ``baseline`` present also ``auc_gain`` (mean of the paired
    differences from the baseline's run with the same seed) and ``wins`` (seeds where the
    strategy's area beats the baseline's), and with ``target`` given ``labels``
    (:func:`labels_to_reach` on the mean curve). Sorted by ``auc``, best first.

    Examples
    --------
    >>> runs = pd.DataFrame({"strategy": ["a", "a", "b", "b"], "seed": 0,
    ...                      "n_labeled": [10, 20, 10, 20], "accuracy": [0.5, 0.7, 0.5, 0.9]})
    >>> strategy_table(runs, target=0.8, baseline="a")[["auc", "auc_gain", "labels"]]
               auc  auc_gain  labels
    strategy
    b          0.7       0.1    20.0
    a          0.6       0.0     NaN

    Taught in: notebooks/11_active_learning.ipynb.
    """
    results = _check_results(results)
    if baseline is not None and not isinstance(baseline, str):
        raise TypeError(f"baseline must be a strategy name or None, got {baseline!r}.")
    areas = area_under_curve(results)
    last = results.loc[results.groupby(["strategy", "seed"], dropna=False)["n_labeled"].idxmax()]
    table = areas.groupby("strategy", sort=False)["auc"].agg(auc="mean", auc_sd="std")
    table["final"] = last.groupby("strategy")["accuracy"].mean()
    if baseline is not None:
        wide = areas.pivot_table(index="seed", columns="strategy", values="auc", aggfunc="mean")
        if baseline not in wide.columns:
            raise ValueError(
                f"baseline {baseline!r} is not among the strategies {list(wide.columns)}; "
                "pass baseline=None for no paired comparison."
            )
        diffs = wide.sub(wide[baseline], axis=0)
        table["auc_gain"] = diffs.mean()
        table["wins"] = (diffs > 0).sum().astype(int)
    if target is not None:
        table["labels"] = labels_to_reach(results, target)
    return table.sort_values("auc", ascending=False)


def plot_learning_curves(
    results: pd.DataFrame,
    ax=None,
    *,
    confidence: float = 0.95,
    target: float | None = None,
    title: str | None = None,
    strategies: Sequence[str] | None = None,
):
    """Mean test accuracy against labels bought, one line per strategy, with a band.

    Parameters
    ----------
    results : pandas.DataFrame
        Output of :func:`compare_strategies`.
    ax : matplotlib Axes, optional
    confidence : float, default 0.95
        The band is the confidence interval of the mean over seeds.
    target : float, optional
        Draw a horizontal line at this accuracy (e.g. 95% of the full-data accuracy).
    title : str, optional
    strategies : sequence of str, optional
        Which strategies to draw, in this order (default: all, in order of appearance).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> runs = pd.DataFrame({"strategy": "margin", "seed": [0, 0, 1, 1],
    ...                      "n_labeled": [10, 20, 10, 20], "accuracy": [0.5, 0.7, 0.6, 0.8]})
    >>> ax = plot_learning_curves(runs, target=0.75)
    >>> [line.get_label() for line in ax.get_lines()]
    ['margin', 'target']

    Taught in: notebooks/11_active_learning.ipynb.
    """
    import matplotlib.pyplot as plt

    summary = learning_curve_summary(results, confidence)
    if target is not None:
        target = check_probability(target, "target")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.2))
    order = list(strategies) if strategies is not None else list(summary["strategy"].unique())
    for name in order:
        part = summary[summary["strategy"] == name]
        if part.empty:
            raise ValueError(f"strategy {name!r} is not in results.")
        style = {"color": "0.35", "linestyle": "--"} if name == "random" else {}
        (line,) = ax.plot(part["n_labeled"], part["mean"], label=name, **style)
        ax.fill_between(
            part["n_labeled"], part["low"], part["high"], color=line.get_color(), alpha=0.15
        )
    if target is not None:
        ax.axhline(target, color="black", linewidth=0.8, linestyle=":", label="target")
    n_seeds = int(summary["n_seeds"].max())
    ax.set_xlabel("labels bought")
    ax.set_ylabel("accuracy on the clean test split")
    ax.set_title(title or f"Mean over {n_seeds} seeds, {confidence:.0%} confidence band")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax
