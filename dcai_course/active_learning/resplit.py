"""Strategies compared over seeds that each draw their own split (and noise, if any).

:func:`compare_strategies` repeats the loop on one fixed pool and test split, so its
seeds vary only the initial labels and the random picks. The course's evidence standard
asks more of a comparative claim: each seed draws its own split (and its own label
noise). :func:`compare_over_splits` does that, and still pairs the strategies within a
seed (same split, same initial labels).

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .loop import StrategyFunc, _check_count, compare_strategies

__all__ = ["compare_over_splits"]

SplitFunc = Callable[[int], tuple[Any, Any, Any, Any]]


def compare_over_splits(
    model: Any,
    split: SplitFunc,
    strategies: Sequence[str | StrategyFunc] | Mapping[str, str | StrategyFunc],
    n_seeds: int,
    *,
    initial_size: int,
    batch_size: int,
    n_rounds: int,
    seed: int = 0,
    query_model: Any = None,
    progress: bool = True,
    return_orders: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[tuple[str, int], np.ndarray]]:
    """Run every strategy on the seeds ``seed, ..., seed + n_seeds - 1``, each on its own split.

    Parameters
    ----------
    model : scikit-learn classifier with ``predict_proba``
    split : callable
        ``split(seed) -> (X_pool, y_oracle, X_test, y_test)``: the seed's own pool, the
        labels its oracle reveals (noisy ones too) and its clean test split.
    strategies, n_seeds, initial_size, batch_size, n_rounds, query_model, return_orders
        As in :func:`compare_strategies`; within a seed, every strategy starts from the
        same initial labels (paired runs).
    seed : int, default 0
        The first seed.
    progress : bool, default True
        Show a progress bar over seeds.

    Returns
    -------
    pandas.DataFrame
        The curves of every strategy and seed, stacked (``seed`` names the split).
    dict, optional
        With ``return_orders=True``: ``{(strategy, seed): pool indices in labelling
        order}``, indices into that seed's pool.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> def split(seed):
    ...     X_pool, X_test, y_pool, y_test = train_test_split(
    ...         X[:1000] / 16, y[:1000], test_size=0.3, random_state=seed)
    ...     return X_pool, y_pool, X_test, y_test
    >>> runs = compare_over_splits(LogisticRegression(max_iter=200), split,
    ...     ["random", "margin"], n_seeds=2, initial_size=30, batch_size=30, n_rounds=1,
    ...     progress=False)
    >>> sorted(runs.seed.unique().tolist()), len(runs)
    ([0, 1], 8)

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from tqdm.auto import tqdm

    n_seeds = _check_count(n_seeds, "n_seeds", 1)
    if not callable(split):
        raise TypeError(
            "split must be a function split(seed) -> (X_pool, y_oracle, X_test, y_test), "
            f"got {type(split).__name__}."
        )
    curves, orders = [], {}
    for run_seed in tqdm(range(seed, seed + n_seeds), disable=not progress, desc="seeds"):
        parts = split(run_seed)
        if not (isinstance(parts, tuple) and len(parts) == 4):
            raise ValueError(
                "split(seed) must return a tuple (X_pool, y_oracle, X_test, y_test), got "
                f"{type(parts).__name__}."
            )
        curve, order = compare_strategies(
            model,
            *parts,
            strategies,
            1,
            initial_size=initial_size,
            batch_size=batch_size,
            n_rounds=n_rounds,
            seed=run_seed,
            query_model=query_model,
            progress=False,
            return_orders=True,
        )
        curves.append(curve)
        orders.update(order)
    results = pd.concat(curves, ignore_index=True)
    return (results, orders) if return_orders else results
