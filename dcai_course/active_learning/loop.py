"""The pool-based active-learning loop, one round or many, over strategies and seeds.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .._validation import (
    SeedLike,
    as_rng,
    check_class_labels,
    check_estimator,
    check_eval_data,
    check_features,
    check_int,
    check_mask,
    check_same_length,
    check_training_labels,
)
from .diversity import k_center_greedy, margin_k_center
from .scores import _UNCERTAINTY, _check_batch_size, random_sampling, uncertainty_sampling

#: The built-in strategies of :func:`run_active_learning`, by name.
STRATEGIES = ("random", "least_confidence", "margin", "entropy", "k_center", "margin_k_center")


StrategyFunc = Callable[[np.ndarray | None, np.ndarray, np.ndarray, int, np.random.Generator], Any]


def _probs_full(model: Any, X: np.ndarray, n_classes: int) -> np.ndarray:
    """``predict_proba`` with one column per class 0..n_classes-1 (zeros for unseen ones)."""
    probs = model.predict_proba(X)
    classes = np.asarray(model.classes_, dtype=np.int64)
    if classes.size == n_classes and (classes == np.arange(n_classes)).all():
        return probs
    full = np.zeros((probs.shape[0], n_classes))
    full[:, classes] = probs
    return full


def _strategy_name(strategy: Any) -> str:
    if isinstance(strategy, str):
        return strategy
    return getattr(strategy, "__name__", type(strategy).__name__)


def _check_strategy(strategy: Any, known: Sequence[str]) -> None:
    if isinstance(strategy, str):
        if strategy not in known:
            raise ValueError(f"Unknown strategy {strategy!r}; choose one of {list(known)}.")
    elif not callable(strategy):
        raise TypeError(
            "strategy must be a name such as 'margin' or a function "
            "f(pred_probs, X_unlabeled, X_labeled, batch_size, rng) -> indices, "
            f"got {type(strategy).__name__}."
        )


def _select(
    strategy: str | StrategyFunc,
    query_model: Any,
    X_pool: np.ndarray,
    labeled: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    n_classes: int,
) -> np.ndarray:
    """Pool indices of the next batch (the bookkeeping is done on boolean masks)."""
    unlabeled = np.flatnonzero(~labeled)
    _check_batch_size(batch_size, unlabeled.size, "the unlabelled pool")
    if strategy == "random":
        picks = random_sampling(unlabeled.size, batch_size, rng)
    elif strategy == "k_center":
        picks = k_center_greedy(X_pool[unlabeled], X_pool[labeled], batch_size, rng)
    else:
        probs = _probs_full(query_model, X_pool[unlabeled], n_classes)
        if strategy in _UNCERTAINTY:
            picks = uncertainty_sampling(probs, batch_size, strategy)
        elif strategy == "margin_k_center":
            picks = margin_k_center(probs, X_pool[unlabeled], X_pool[labeled], batch_size)
        else:
            picks = strategy(probs, X_pool[unlabeled], X_pool[labeled], batch_size, rng)
    picks = np.asarray(picks)
    if picks.shape != (batch_size,) or picks.dtype.kind not in "iu":
        raise ValueError(
            f"the strategy must return {batch_size} integer indices into the unlabelled "
            f"pool, got an array of shape {picks.shape} and dtype {picks.dtype}."
        )
    if np.unique(picks).size != batch_size or picks.min() < 0 or picks.max() >= unlabeled.size:
        raise ValueError(
            f"the strategy must return {batch_size} distinct indices in 0..{unlabeled.size - 1} "
            "(positions in the unlabelled pool)."
        )
    return unlabeled[picks]


def _single_threaded():
    """One BLAS and OpenMP thread inside the loops: their matrices are small, and on a
    busy machine threads spend more time waiting for each other than computing."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


class _Refitter:
    """Refit one estimator per run; keep it (warm start) while its set of classes holds."""

    def __init__(self, model: Any):
        self.model = model
        self.fitted: Any = None
        self.classes: np.ndarray | None = None

    def fit(self, X: np.ndarray, y: np.ndarray) -> Any:
        classes = np.unique(y)
        if classes.size < 2:
            raise ValueError(
                f"the labelled set holds {classes.size} class(es); a classifier needs at "
                "least two. Increase initial_size."
            )
        if self.fitted is None or not np.array_equal(classes, self.classes):
            self.fitted = clone(self.model)  # a fresh start when a new class appears
            self.classes = classes
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)
            warnings.filterwarnings("ignore", message=".*(converge|iterations).*")
            self.fitted.fit(X, y)
        return self.fitted


def active_learning_round(
    model: Any,
    X_pool: Any,
    y_oracle: Any,
    labeled: Any,
    batch_size: int,
    strategy: str = "margin",
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One round: fit on the labelled part, pick a batch, reveal its labels.

    A fresh clone of ``model`` is fitted on ``X_pool[labeled]``, ``y_oracle[labeled]``
    (rows in pool order); the strategy scores the unlabelled rows (in pool order) and
    picks ``batch_size`` of them; their oracle labels become available through the new
    mask.

    Parameters
    ----------
    model : scikit-learn classifier with ``predict_proba``
        Cloned, never fitted in place.
    X_pool : array-like of shape (n_pool, d)
    y_oracle : array-like of int, shape (n_pool,)
        The label the oracle gives for each pool example (possibly noisy). Only the
        entries under ``labeled`` are used.
    labeled : array-like of bool, shape (n_pool,)
        Which pool examples are labelled so far.
    batch_size : int
    strategy : str, default "margin"
        One of :data:`STRATEGIES`.
    seed : int or numpy.random.Generator, optional
        For ``"random"``.

    Returns
    -------
    new_labeled : numpy.ndarray of bool, shape (n_pool,)
        A new mask (``labeled`` is not modified) with the batch added.
    picked : numpy.ndarray of int64, shape (batch_size,)
        Pool indices of the batch, in the order the strategy ranked them.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [0.2], [0.45], [0.55], [0.8], [1.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> mask = np.array([True, False, False, False, False, True])
    >>> new, picked = active_learning_round(LogisticRegression(), X, y, mask, 2)
    >>> picked, new.sum()
    (array([2, 3]), np.int64(4))

    Taught in: notebooks/11_active_learning.ipynb.
    """
    check_estimator(model)
    y, _ = check_class_labels(y_oracle, name="y_oracle")
    pool = check_features(
        X_pool, "X_pool", n_rows=y.size, allow_sparse=False, labels_name="y_oracle"
    )
    mask = check_mask(labeled, "labeled")
    check_same_length(X_pool=pool, y_oracle=y, labeled=mask)
    _check_strategy(strategy, STRATEGIES)
    seen = np.unique(y[mask])
    if seen.size < 2:
        what = "no example" if not seen.size else f"{int(mask.sum())} example(s) of a single class"
        raise ValueError(
            f"labeled marks {what}: a classifier needs labelled examples of at least two "
            "classes. Label more first."
        )
    fitted = _Refitter(model).fit(pool[mask], y[mask])
    picked = _select(strategy, fitted, pool, mask, batch_size, as_rng(seed), int(y.max()) + 1)
    new = mask.copy()
    new[picked] = True
    return new, picked.astype(np.int64)


def _check_count(value: Any, name: str, minimum: int) -> int:
    return check_int(value, name, minimum=minimum)


def _check_pool_and_test(model: Any, X_pool: Any, y_oracle: Any, X_test: Any, y_test: Any):
    """The pool and test split of an active-learning run, checked against each other."""
    check_estimator(model)
    y = check_training_labels(y_oracle, "y_oracle")
    pool = check_features(
        X_pool, "X_pool", n_rows=y.size, allow_sparse=False, labels_name="y_oracle"
    )
    X_te, y_te = check_eval_data(
        X_test, y_test, y, X_name="X_test", y_name="y_test", train_name="y_oracle"
    )
    if X_te.shape[1] != pool.shape[1]:
        raise ValueError(f"X_test has {X_te.shape[1]} features but X_pool has {pool.shape[1]}.")
    return pool, y, X_te, y_te


def _check_budget(n_pool: int, initial_size: Any, batch_size: Any, n_rounds: Any):
    initial_size = _check_count(initial_size, "initial_size", 1)
    batch_size = _check_count(batch_size, "batch_size", 1)
    n_rounds = _check_count(n_rounds, "n_rounds", 0)
    total = initial_size + batch_size * n_rounds
    if total > n_pool:
        raise ValueError(
            f"initial_size + batch_size * n_rounds = {total} labels, but the pool has only "
            f"{n_pool} examples: lower the budget or use a larger pool."
        )
    return initial_size, batch_size, n_rounds


def _initial_set(y: np.ndarray, initial_size: int, rng: np.random.Generator) -> np.ndarray:
    """A uniform draw of pool indices, redrawn (rarely) until it holds two classes."""
    if initial_size < 2 or np.unique(y).size < 2:
        raise ValueError(
            f"initial_size must be at least 2 and the pool must hold two classes (got "
            f"initial_size={initial_size}): a classifier needs two classes to start."
        )
    for _ in range(1000):
        chosen = rng.choice(y.size, size=initial_size, replace=False)
        if np.unique(y[chosen]).size >= 2:
            return chosen
    raise ValueError(  # pragma: no cover - needs an extremely unbalanced pool
        "1000 random initial sets all held a single class; increase initial_size."
    )


def run_active_learning(
    model: Any,
    X_pool: Any,
    y_oracle: Any,
    X_test: Any,
    y_test: Any,
    strategy: str | StrategyFunc,
    initial_size: int,
    batch_size: int,
    n_rounds: int,
    seed: SeedLike = None,
    progress: bool = True,
    *,
    query_model: Any = None,
    return_order: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, np.ndarray]:
    """Run pool-based active learning and record test accuracy after every round.

    ``initial_size`` pool examples are drawn at random (redrawn in the rare case where
    they hold a single class) and labelled by the oracle; then
    for ``n_rounds`` rounds the model is trained on the labelled set, scored on the test
    split, and the strategy picks ``batch_size`` more. The labelled set is a boolean mask
    over the pool (no Python lists, no ``list.remove``), so a round's bookkeeping costs
    O(n_pool) whatever the size of the labelled set.

    A model with ``warm_start=True`` (e.g. ``LogisticRegression``) is refitted from its
    previous solution while the set of classes seen stays the same, and re-cloned when a
    new class appears (warm starting across a change of classes is not valid).

    Parameters
    ----------
    model : scikit-learn classifier with ``predict_proba``
        The model that is evaluated (and, unless ``query_model`` is given, that queries).
        Cloned, never fitted in place.
    X_pool : array-like of shape (n_pool, d)
    y_oracle : array-like of int, shape (n_pool,)
        The label the oracle gives for each pool example, revealed only when queried. Use
        :func:`annotator_oracle` for a noisy oracle.
    X_test, y_test : array-like
        A clean test split that is never queried.
    strategy : str or callable
        One of :data:`STRATEGIES`, or ``f(pred_probs, X_unlabeled, X_labeled,
        batch_size, rng)`` returning ``batch_size`` distinct positions in the unlabelled
        pool (``pred_probs`` has one column per class).
    initial_size, batch_size, n_rounds : int
        ``initial_size + batch_size * n_rounds`` labels are bought in total.
    seed : int or numpy.random.Generator, optional
        Draws the initial set (so two strategies with the same seed start from the same
        labelled examples) and the random picks.
    progress : bool, default True
        Show a progress bar over rounds.
    query_model : scikit-learn classifier, optional
        A different model that chooses the queries, while ``model`` is the one trained
        on the result and evaluated (the setting of Lowell et al., 2019).
    return_order : bool, default False
        Also return the pool indices in the order they were labelled.

    Returns
    -------
    pandas.DataFrame
        One row per round ``0..n_rounds``: ``round``, ``n_labeled``, ``accuracy`` (on the
        test split), ``strategy``, ``seed``, and ``classes_seen`` (distinct oracle labels
        in the labelled set).
    numpy.ndarray of int64, optional
        With ``return_order=True``: the labelled pool indices, in labelling order.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> curve = run_active_learning(LogisticRegression(max_iter=200), X[:1000] / 16,
    ...     y[:1000], X[1000:] / 16, y[1000:], "margin", initial_size=30, batch_size=30,
    ...     n_rounds=3, seed=0, progress=False)
    >>> curve[["round", "n_labeled"]].to_numpy().tolist()
    [[0, 30], [1, 60], [2, 90], [3, 120]]

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from tqdm.auto import tqdm

    pool, y, X_te, y_te = _check_pool_and_test(model, X_pool, y_oracle, X_test, y_test)
    if query_model is not None:
        check_estimator(query_model, "query_model", proba=True)
    _check_strategy(strategy, STRATEGIES)
    initial_size, batch_size, n_rounds = _check_budget(len(y), initial_size, batch_size, n_rounds)
    n_classes = int(max(y.max(), y_te.max())) + 1
    seed_label = seed if isinstance(seed, Integral) else None
    rng = as_rng(seed)
    labeled = np.zeros(len(y), dtype=bool)
    order = np.empty(initial_size + batch_size * n_rounds, dtype=np.int64)
    order[:initial_size] = _initial_set(y, initial_size, rng)
    labeled[order[:initial_size]] = True
    n_done = initial_size
    learner = _Refitter(model)
    querier = None if query_model is None else _Refitter(query_model)
    rows = []
    name = _strategy_name(strategy)
    with _single_threaded():
        for rnd in tqdm(range(n_rounds + 1), disable=not progress, desc=name, leave=False):
            fitted = learner.fit(pool[labeled], y[labeled])
            rows.append(
                {
                    "round": rnd,
                    "n_labeled": n_done,
                    "accuracy": float(np.mean(fitted.predict(X_te) == y_te)),
                    "strategy": name,
                    "seed": seed_label,
                    "classes_seen": int(np.unique(y[labeled]).size),
                }
            )
            if rnd == n_rounds:
                break
            asker = fitted if querier is None else querier.fit(pool[labeled], y[labeled])
            picked = _select(strategy, asker, pool, labeled, batch_size, rng, n_classes)
            labeled[picked] = True
            order[n_done : n_done + batch_size] = picked
            n_done += batch_size
    curve = pd.DataFrame(rows)
    return (curve, order) if return_order else curve


def compare_strategies(
    model: Any,
    X_pool: Any,
    y_oracle: Any,
    X_test: Any,
    y_test: Any,
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
    """Run every strategy with the seeds ``seed, seed + 1, ..., seed + n_seeds - 1``.

    A given seed draws the same initial labelled set for every strategy, so the
    strategies are compared on paired runs.

    Parameters
    ----------
    strategies : sequence of str or callables, or a mapping {display name: strategy}
    n_seeds : int
        Number of repetitions per strategy (at least 1; 5 or more for a band).
    return_orders : bool, default False
        Also return, for each ``(strategy, seed)``, the pool indices in labelling order.
    Other parameters
        As in :func:`run_active_learning`.

    Returns
    -------
    pandas.DataFrame
        The curves of :func:`run_active_learning`, stacked (``strategy`` holds the display
        name).
    dict, optional
        With ``return_orders=True``: ``{(strategy, seed): pool indices}``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> runs = compare_strategies(LogisticRegression(max_iter=200), X[:1000] / 16,
    ...     y[:1000], X[1000:] / 16, y[1000:], ["random", "margin"], n_seeds=2,
    ...     initial_size=30, batch_size=30, n_rounds=2, progress=False)
    >>> runs.groupby("strategy").size().to_dict()
    {'margin': 6, 'random': 6}

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from tqdm.auto import tqdm

    n_seeds = _check_count(n_seeds, "n_seeds", 1)
    if isinstance(strategies, Mapping):
        named = list(strategies.items())
    else:
        named = [(_strategy_name(s), s) for s in strategies]
    if not named:
        raise ValueError("strategies is empty: give at least one, e.g. ['random', 'margin'].")
    for _, strategy in named:
        _check_strategy(strategy, STRATEGIES)
    runs = [(label, strategy, seed + i) for label, strategy in named for i in range(n_seeds)]
    curves, orders = [], {}
    for label, strategy, run_seed in tqdm(runs, disable=not progress, desc="runs"):
        curve, order = run_active_learning(
            model,
            X_pool,
            y_oracle,
            X_test,
            y_test,
            strategy,
            initial_size,
            batch_size,
            n_rounds,
            seed=run_seed,
            progress=False,
            query_model=query_model,
            return_order=True,
        )
        curves.append(curve.assign(strategy=label))
        orders[(label, run_seed)] = order
    results = pd.concat(curves, ignore_index=True)
    return (results, orders) if return_orders else results
