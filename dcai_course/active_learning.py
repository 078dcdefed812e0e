"""Active learning: choosing which examples to label next, measured offline and honestly.

Pool-based active learning starts from a small labelled set and a large unlabelled pool.
Each round a model is trained on the labelled set, a *strategy* picks a batch of pool
examples, an *oracle* (a person, here a simulation that may be noisy) labels them, and
the model is retrained. This module offers

* uncertainty scores computed from predicted probabilities: :func:`least_confidence`,
  :func:`margin` and :func:`entropy` (for all three, **higher means more informative**);
* batch strategies: :func:`random_sampling`, :func:`uncertainty_sampling`, the core-set
  method :func:`k_center_greedy` (Sener & Savarese, ICLR 2018) and one hybrid,
  :func:`margin_k_center` (the most uncertain candidates, spread out by k-center);
* the loop, :func:`active_learning_round` and :func:`run_active_learning`, with the
  labelled set kept as a boolean mask over the pool, and :func:`compare_strategies`
  over several seeds;
* summaries of the resulting learning curves: :func:`learning_curve_summary` (mean and
  confidence band), :func:`area_under_curve`, :func:`labels_to_reach` and
  :func:`strategy_table`, and :func:`plot_learning_curves`;
* noisy annotators: :func:`annotator_oracle` (one simulated answer per item) and
  :func:`run_relabeling` (several annotators per item, where a strategy may ask for a
  new label of an already labelled item, as cleanlab's ActiveLab does).

Everything is offline: the "oracle" is a vector of labels that were known all along and
revealed only when an example is queried, so every strategy is scored on the same clean
test split that no strategy ever queries.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_choice,
    check_class_labels,
    check_estimator,
    check_eval_data,
    check_features,
    check_float,
    check_fractions,
    check_int,
    check_labels,
    check_labels_within,
    check_mask,
    check_no_duplicates,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_table,
    check_training_labels,
)
from .noise import simulate_annotators

__all__ = [
    "STRATEGIES",
    "active_learning_round",
    "annotator_oracle",
    "area_under_curve",
    "compare_strategies",
    "entropy",
    "k_center_greedy",
    "labels_to_reach",
    "learning_curve_summary",
    "least_confidence",
    "margin",
    "margin_k_center",
    "plot_learning_curves",
    "random_sampling",
    "run_active_learning",
    "run_relabeling",
    "strategy_table",
    "uncertainty_sampling",
]

#: The built-in strategies of :func:`run_active_learning`, by name.
STRATEGIES = ("random", "least_confidence", "margin", "entropy", "k_center", "margin_k_center")

#: The strategies of :func:`run_relabeling`.
RELABELING_STRATEGIES = (
    "random",
    "least_confidence",
    "margin",
    "entropy",
    "least_confidence_relabel",
    "activelab",
)

_UNCERTAINTY = ("least_confidence", "margin", "entropy")

#: k-center greedy computes the distances to the labelled points this many centers at a
#: time, so its largest work array holds ``_CENTER_CHUNK * n_pool`` floats: O(n_pool).
_CENTER_CHUNK = 16


# --- uncertainty scores -------------------------------------------------------------------


def least_confidence(pred_probs: Any) -> np.ndarray:
    """Least-confidence score: one minus the probability of the predicted class.

    ``1 - max_k p_k``; 0 for a certain prediction, ``1 - 1/K`` for a uniform one. Higher
    means more informative (Lewis & Gale, SIGIR 1994).

    Parameters
    ----------
    pred_probs : array-like of shape (n, K)
        Predicted class probabilities; each row sums to 1.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> least_confidence([[0.9, 0.1], [0.5, 0.5]])
    array([0.1, 0.5])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    probs = check_pred_probs(pred_probs)
    return 1.0 - probs.max(axis=1)


def margin(pred_probs: Any) -> np.ndarray:
    """Margin score: one minus the gap between the two most probable classes.

    ``1 - (p_(1) - p_(2))`` where ``p_(1) >= p_(2)`` are the two largest probabilities of
    a row. It is 0 when the model is certain and 1 when its two best guesses tie. Higher
    means more informative (Scheffer et al., IDA 2001). The usual "smallest margin
    first" rule is the same ranking.

    Parameters
    ----------
    pred_probs : array-like of shape (n, K)
        Predicted class probabilities; each row sums to 1.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> margin([[0.7, 0.2, 0.1], [0.4, 0.4, 0.2]])
    array([0.5, 1. ])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    probs = check_pred_probs(pred_probs)
    top2 = np.partition(probs, probs.shape[1] - 2, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def entropy(pred_probs: Any) -> np.ndarray:
    """Entropy score: ``-sum_k p_k log p_k`` in nats (``0 log 0 = 0``).

    0 for a certain prediction, ``log K`` for a uniform one. Unlike the two other scores
    it looks at the whole distribution, not only at the best one or two classes. Higher
    means more informative.

    Parameters
    ----------
    pred_probs : array-like of shape (n, K)
        Predicted class probabilities; each row sums to 1.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> entropy([[1.0, 0.0], [0.5, 0.5]]).round(4)
    array([0.    , 0.6931])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    probs = check_pred_probs(pred_probs)
    logs = np.log(probs, out=np.zeros_like(probs), where=probs > 0)
    return np.abs(-(probs * logs).sum(axis=1))  # abs turns -0.0 into 0.0


_SCORES: dict[str, Callable[[Any], np.ndarray]] = {
    "least_confidence": least_confidence,
    "margin": margin,
    "entropy": entropy,
}


# --- batch strategies ---------------------------------------------------------------------


def _check_batch_size(batch_size: Any, n_available: int, what: str = "the pool") -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, Integral):
        raise TypeError(f"batch_size must be an int, got {batch_size!r}.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
    if batch_size > n_available:
        raise ValueError(
            f"batch_size={batch_size} is larger than {what} ({n_available} examples): "
            "lower batch_size or n_rounds, or use a larger pool."
        )
    return int(batch_size)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, highest first; ties go to the lowest index."""
    return np.argsort(-scores, kind="stable")[:k]


def random_sampling(n_pool: int, batch_size: int, seed: SeedLike = None) -> np.ndarray:
    """The passive baseline: ``batch_size`` distinct pool indices drawn uniformly.

    Parameters
    ----------
    n_pool : int
        Number of unlabelled examples to choose from.
    batch_size : int
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of int64, shape (batch_size,)

    Examples
    --------
    >>> random_sampling(10, 3, seed=0)
    array([5, 9, 6])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    if isinstance(n_pool, bool) or not isinstance(n_pool, Integral) or n_pool < 1:
        raise ValueError(f"n_pool must be a positive int, got {n_pool!r}.")
    batch_size = _check_batch_size(batch_size, int(n_pool))
    return as_rng(seed).choice(int(n_pool), size=batch_size, replace=False).astype(np.int64)


def uncertainty_sampling(pred_probs: Any, batch_size: int, method: str = "margin") -> np.ndarray:
    """The ``batch_size`` most uncertain examples by one of the three scores.

    Parameters
    ----------
    pred_probs : array-like of shape (n_pool, K)
        The current model's predicted probabilities on the unlabelled pool.
    batch_size : int
    method : {"least_confidence", "margin", "entropy"}, default "margin"

    Returns
    -------
    numpy.ndarray of int64, shape (batch_size,)
        Row indices of ``pred_probs``, most uncertain first; ties go to the lowest index.

    Examples
    --------
    >>> uncertainty_sampling([[0.9, 0.1], [0.5, 0.5], [0.6, 0.4]], 2)
    array([1, 2])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    check_choice(method, "method", sorted(_SCORES))
    scores = _SCORES[method](pred_probs)
    batch_size = _check_batch_size(batch_size, scores.size)
    return _top(scores, batch_size).astype(np.int64)


def _check_features(X: Any, name: str, n_features: int | None = None) -> np.ndarray:
    """A 2-D float64 array, checked for NaN/inf in O(n) extra memory (no n x d mask)."""
    arr = np.asarray(X)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}.")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_examples, n_features), got shape {arr.shape}.")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} features but X_pool has {n_features}: both must live "
            "in the same feature space."
        )
    return arr.astype(np.float64, copy=False)


def _squared_norms(X: np.ndarray, name: str) -> np.ndarray:
    norms = np.einsum("ij,ij->i", X, X)
    if not np.isfinite(norms).all():
        bad = np.flatnonzero(~np.isfinite(norms))
        raise ValueError(
            f"{name} contains NaN or infinite values in {bad.size} row(s), first at row "
            f"{bad[0]}; impute or drop them first."
        )
    return norms


def k_center_greedy(
    X_pool: Any, X_labeled: Any, batch_size: int, seed: SeedLike = None
) -> np.ndarray:
    """Core-set selection: greedily pick the pool point farthest from every chosen center.

    The labelled points are the initial centers. Each step picks the pool point whose
    distance to its nearest center is largest, and makes it a center. This is Gonzalez's
    greedy 2-approximation of the k-center problem, used for batch active learning by
    Sener & Savarese (ICLR 2018): the batch covers the pool, so no region is left far from
    a labelled example.

    One running minimum distance is kept per pool point and updated with the distances to
    the newest center only, so a batch costs O(n_pool · batch_size · d) time and O(n_pool)
    memory, instead of recomputing the distances to every center at every step. Squared
    distances are computed as ``|x|² - 2 x·c + |c|²`` (one matrix-vector product per
    step).

    Parameters
    ----------
    X_pool : array-like of shape (n_pool, d)
        Features of the unlabelled pool (pass float64 to avoid a copy).
    X_labeled : array-like of shape (n_labeled, d) or None
        Features of the labelled examples; ``None`` or zero rows for none.
    batch_size : int
        Number of pool points to pick, at most ``n_pool``.
    seed : int or numpy.random.Generator, optional
        Only used when there is no labelled point: the first center is then a pool point
        drawn at random.

    Returns
    -------
    numpy.ndarray of int64, shape (batch_size,)
        Indices into ``X_pool``, in the order they were picked. Ties go to the lowest
        index. A point is never picked twice, even if the pool holds duplicates.

    Examples
    --------
    >>> pool = [[0.0], [1.0], [2.0], [10.0], [11.0]]
    >>> k_center_greedy(pool, [[0.5]], 2)
    array([4, 2])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    rng = as_rng(seed)
    pool = _check_features(X_pool, "X_pool")
    n_pool, n_features = pool.shape
    if n_pool == 0:
        raise ValueError("X_pool is empty: there is nothing to pick from.")
    batch_size = _check_batch_size(batch_size, n_pool)
    pool_sq = _squared_norms(pool, "X_pool")
    min_d2 = np.full(n_pool, np.inf)
    if X_labeled is not None and np.asarray(X_labeled).size:
        centers = _check_features(X_labeled, "X_labeled", n_features)
        centers_sq = _squared_norms(centers, "X_labeled")
        for start in range(0, centers.shape[0], _CENTER_CHUNK):  # chunks of centers
            stop = start + _CENTER_CHUNK
            block = pool @ centers[start:stop].T
            block *= -2.0
            block += pool_sq[:, None]
            block += centers_sq[None, start:stop]
            np.minimum(min_d2, block.min(axis=1), out=min_d2)
            del block  # free it before the next chunk's block is computed
        first = None
    else:
        first = int(rng.integers(n_pool))
    picked = np.empty(batch_size, dtype=np.int64)
    d2 = np.empty(n_pool)
    for step in range(batch_size):  # a loop over the batch, vectorised over the pool
        i = first if (step == 0 and first is not None) else int(np.argmax(min_d2))
        picked[step] = i
        np.dot(pool, pool[i], out=d2)
        d2 *= -2.0
        d2 += pool_sq
        d2 += pool_sq[i]
        np.minimum(min_d2, d2, out=min_d2)
        min_d2[i] = -np.inf  # never picked again (np.minimum keeps -inf)
    return picked


def margin_k_center(
    pred_probs: Any,
    X_pool: Any,
    X_labeled: Any,
    batch_size: int,
    *,
    n_candidates: int | None = None,
) -> np.ndarray:
    """Hybrid: the most uncertain candidates by margin, spread out by k-center greedy.

    Pure uncertainty sampling fills a batch with near-duplicates (ten copies of the same
    ambiguous 1-or-7 teach little more than one); pure k-center ignores what the model
    already knows. This hybrid first keeps the ``n_candidates`` pool points with the
    highest :func:`margin` score, then runs :func:`k_center_greedy` among them, with the
    labelled points as the initial centers. It is a simple member of the family of
    Zhdanov (2019) and of Cluster-Margin (Citovsky et al., NeurIPS 2021), which filter by
    margin and then diversify.

    Parameters
    ----------
    pred_probs : array-like of shape (n_pool, K)
        The current model's probabilities on the pool.
    X_pool : array-like of shape (n_pool, d)
    X_labeled : array-like of shape (n_labeled, d) or None
    batch_size : int
    n_candidates : int, optional
        How many uncertain points to keep before diversifying; default
        ``10 * batch_size`` (capped at the pool size). ``n_candidates == batch_size``
        gives plain margin sampling; ``n_candidates == n_pool`` gives plain k-center.

    Returns
    -------
    numpy.ndarray of int64, shape (batch_size,)
        Indices into the pool, in the order k-center picked them.

    Examples
    --------
    >>> probs = [[0.5, 0.5], [0.5, 0.5], [0.9, 0.1], [0.55, 0.45]]
    >>> pool = [[0.0], [0.1], [5.0], [3.0]]
    >>> margin_k_center(probs, pool, [[1.0]], 2, n_candidates=3)
    array([3, 0])

    Taught in: notebooks/11_active_learning.ipynb.
    """
    scores = margin(pred_probs)
    pool = _check_features(X_pool, "X_pool")
    _squared_norms(pool, "X_pool")
    check_same_length(pred_probs=scores, X_pool=pool)
    batch_size = _check_batch_size(batch_size, scores.size)
    if n_candidates is None:
        n_candidates = 10 * batch_size
    elif isinstance(n_candidates, bool) or not isinstance(n_candidates, Integral):
        raise TypeError(f"n_candidates must be an int, got {n_candidates!r}.")
    elif n_candidates < batch_size:
        raise ValueError(
            f"n_candidates ({n_candidates}) must be at least batch_size ({batch_size})."
        )
    candidates = _top(scores, min(int(n_candidates), scores.size))
    chosen = k_center_greedy(pool[candidates], X_labeled, batch_size)
    return candidates[chosen].astype(np.int64)


# --- the loop -----------------------------------------------------------------------------

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


# --- summaries ----------------------------------------------------------------------------

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


# --- noisy annotators ---------------------------------------------------------------------


def annotator_oracle(
    true_labels: Any,
    accuracies: Sequence[float],
    seed: SeedLike = None,
    *,
    n_classes: int | None = None,
) -> np.ndarray:
    """A noisy oracle: each item's label comes from one randomly assigned annotator.

    A thin wrapper of :func:`dcai_course.noise.simulate_annotators` with one label per
    item: annotator ``w`` is right with probability ``accuracies[w]`` and otherwise picks
    another class uniformly. Pass the result as ``y_oracle`` to
    :func:`run_active_learning`.

    Returns
    -------
    numpy.ndarray of int64, shape (n_items,)

    Examples
    --------
    >>> y = np.arange(1000) % 4
    >>> noisy = annotator_oracle(y, [0.9, 0.7], seed=0)
    >>> round(float((noisy == y).mean()), 2)
    0.79

    Taught in: notebooks/11_active_learning.ipynb.
    """
    y, k = check_class_labels(true_labels, n_classes, name="true_labels")
    answers = simulate_annotators(y, accuracies, 1, seed, n_classes=k)
    labels = np.empty(y.size, dtype=np.int64)
    labels[answers["item"].to_numpy()] = answers["label"].to_numpy()
    return labels


def _consensus(
    counts: np.ndarray, probs: np.ndarray | None, rng: np.random.Generator
) -> np.ndarray:
    """Majority vote per row of a vote-count matrix.

    Ties go to the tied class the model finds most probable (as cleanlab's
    ``get_majority_vote_label`` does), then at random.
    """
    tie_break = rng.random(counts.shape) * 1e-6
    if probs is not None:
        tie_break += 0.5 * probs
    return np.argmax(counts + tie_break, axis=1).astype(np.int64)


def _out_of_sample_probs(
    model: Any,
    X_lab: np.ndarray,
    consensus: np.ndarray,
    n_classes: int,
    cv: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Cross-validated probabilities of the labelled items (``cv`` fits)."""
    from sklearn.model_selection import KFold

    probs = np.zeros((X_lab.shape[0], n_classes))
    folds = KFold(n_splits=cv, shuffle=True, random_state=as_random_state(rng))
    for train, test in folds.split(X_lab):
        if np.unique(consensus[train]).size < 2:
            probs[test] = 1.0 / n_classes
            continue
        fold_model = _Refitter(model).fit(X_lab[train], consensus[train])
        probs[test] = _probs_full(fold_model, X_lab[test], n_classes)
    return probs


def _activelab_scores(
    model: Any,
    wide: np.ndarray,
    X_lab: np.ndarray,
    consensus: np.ndarray,
    probs_unl: np.ndarray,
    n_classes: int,
    cv: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """cleanlab's ActiveLab scores (lower = label next) for labelled and unlabelled items."""
    from cleanlab.multiannotator import get_active_learning_scores

    probs_lab = _out_of_sample_probs(model, X_lab, consensus, n_classes, cv, rng)
    used = ~np.isnan(wide).all(axis=0)  # cleanlab rejects annotators with no label yet
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return get_active_learning_scores(wide[:, used], probs_lab, probs_unl)


def run_relabeling(
    model: Any,
    X_pool: Any,
    answers: pd.DataFrame,
    X_test: Any,
    y_test: Any,
    strategy: str,
    initial_size: int,
    batch_size: int,
    n_rounds: int,
    seed: SeedLike = None,
    progress: bool = True,
    *,
    true_labels: Any = None,
    cv: int = 3,
) -> pd.DataFrame:
    """Active learning with several imperfect annotators, where relabelling is allowed.

    Each pool item has a queue of answers from different annotators (for example from
    :func:`dcai_course.noise.simulate_annotators` with several labels per item), revealed
    one at a time, in a random order, when the item is queried. Every query buys exactly
    one label, so the x-axis is the number of labels (annotations) bought. The model is
    trained on the majority vote of each labelled item's answers; a tie goes to the tied
    class the previous round's model finds most probable (as in cleanlab's
    ``get_majority_vote_label``).

    Strategies:

    * ``"random"``: label new items, chosen uniformly;
    * ``"least_confidence"``, ``"margin"``, ``"entropy"``: label the new items the model is
      least sure of (these never relabel);
    * ``"least_confidence_relabel"``: least confidence over *all* items, labelled ones
      scored with out-of-sample probabilities (``cv`` folds): the most uncertain items get
      a label next, new or not. This is ActiveLab without the annotators' information,
      the "uncertainty" baseline of Goh & Mueller (2023);
    * ``"activelab"``: cleanlab's ActiveLab (Goh & Mueller, 2023) scores labelled and
      unlabelled items on one scale, from out-of-sample probabilities (``cv`` folds over
      the labelled items) and the agreement between annotators; the lowest scores get a
      label next, whether that is a first label or one more for an item whose label is
      in doubt. Items whose every annotator has answered are not queried again.

    Parameters
    ----------
    answers : pandas.DataFrame
        Long format ``item``, ``worker``, ``label``; items are positions in ``X_pool`` and
        every item must have at least one answer.
    true_labels : array-like of int, optional
        The true labels of the pool, used only to report how many consensus labels are
        right (``consensus_accuracy``).
    cv : int, default 3
        Folds for ActiveLab's out-of-sample probabilities.
    Other parameters
        As in :func:`run_active_learning`.

    Returns
    -------
    pandas.DataFrame
        One row per round: ``round``, ``n_labeled`` (labels bought), ``n_items`` (items
        with at least one label), ``n_relabels`` (queries of already labelled items so
        far), ``accuracy``, ``strategy``, ``seed`` and, with ``true_labels``,
        ``consensus_accuracy``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> from dcai_course.noise import simulate_annotators
    >>> X, y = load_digits()
    >>> crowd = simulate_annotators(y[:600], [0.8, 0.6, 0.5], labels_per_item=3, seed=0)
    >>> curve = run_relabeling(LogisticRegression(max_iter=200), X[:600] / 16, crowd,
    ...     X[600:] / 16, y[600:], "activelab", initial_size=60, batch_size=30, n_rounds=2,
    ...     seed=0, progress=False)
    >>> curve["n_labeled"].tolist()
    [60, 90, 120]

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from tqdm.auto import tqdm

    check_estimator(model)
    pool = check_features(X_pool, "X_pool", allow_sparse=False)
    n_pool = pool.shape[0]
    hint = " (e.g. from dcai_course.noise.simulate_annotators)"
    check_table(answers, "answers", ("item", "worker", "label"), hint=hint)
    check_no_duplicates(answers, "answers", ("item", "worker"))
    items = check_labels(answers["item"], name="answers.item")
    workers = check_labels(answers["worker"], name="answers.worker")
    labels = check_labels(answers["label"], name="answers.label")
    if items.max() >= n_pool or np.unique(items).size != n_pool:
        raise ValueError(
            f"answers must cover every pool item 0..{n_pool - 1} (one per row of X_pool, and "
            "no other): each item needs at least one answer to reveal."
        )
    X_te, y_te = check_eval_data(
        X_test, y_test, labels, X_name="X_test", y_name="y_test", train_name="answers.label"
    )
    if strategy not in RELABELING_STRATEGIES:
        raise ValueError(
            f"Unknown strategy {strategy!r}; choose one of {list(RELABELING_STRATEGIES)}."
        )
    truth = None if true_labels is None else check_labels(true_labels, name="true_labels")
    if truth is not None:
        check_same_length(X_pool=pool, true_labels=truth)
        check_labels_within(labels, "answers.label", true_labels=truth)
    cv = _check_count(cv, "cv", 2)
    initial_size, batch_size, n_rounds = _check_budget(n_pool, initial_size, batch_size, n_rounds)
    n_classes = int(max(labels.max(), y_te.max())) + 1
    n_workers = int(workers.max()) + 1
    seed_label = seed if isinstance(seed, Integral) else None
    rng = as_rng(seed)

    # Each item's answers in a random order: the queue the oracle reveals from.
    shuffled = rng.permutation(items.size)
    by_item = shuffled[np.argsort(items[shuffled], kind="stable")]
    queue_start = np.searchsorted(items[by_item], np.arange(n_pool))
    queue_size = np.bincount(items, minlength=n_pool)
    n_got = np.zeros(n_pool, dtype=np.int64)
    wide = np.full((n_pool, n_workers), np.nan)
    votes = np.zeros((n_pool, n_classes))

    def reveal(chosen: np.ndarray) -> None:
        rows = by_item[queue_start[chosen] + n_got[chosen]]
        wide[chosen, workers[rows]] = labels[rows]
        votes[chosen, labels[rows]] += 1
        n_got[chosen] += 1

    reveal(rng.choice(n_pool, size=initial_size, replace=False))
    n_bought, n_relabels = initial_size, 0
    learner = _Refitter(model)
    fitted = None
    rows = []
    with _single_threaded():
        for rnd in tqdm(range(n_rounds + 1), disable=not progress, desc=strategy, leave=False):
            labeled = n_got > 0
            probs = None if fitted is None else _probs_full(fitted, pool[labeled], n_classes)
            consensus = _consensus(votes[labeled], probs, rng)
            fitted = learner.fit(pool[labeled], consensus)
            row = {
                "round": rnd,
                "n_labeled": n_bought,
                "n_items": int(labeled.sum()),
                "n_relabels": n_relabels,
                "accuracy": float(np.mean(fitted.predict(X_te) == y_te)),
                "strategy": strategy,
                "seed": seed_label,
            }
            if truth is not None:
                row["consensus_accuracy"] = float(np.mean(consensus == truth[labeled]))
            rows.append(row)
            if rnd == n_rounds:
                break
            unlabeled = np.flatnonzero(~labeled)
            if strategy == "random":
                chosen = unlabeled[random_sampling(unlabeled.size, batch_size, rng)]
            elif strategy in _UNCERTAINTY:
                probs = _probs_full(fitted, pool[unlabeled], n_classes)
                chosen = unlabeled[uncertainty_sampling(probs, batch_size, strategy)]
            else:
                lab_idx = np.flatnonzero(labeled)
                probs_unl = _probs_full(fitted, pool[unlabeled], n_classes)
                if strategy == "activelab":
                    s_lab, s_unl = _activelab_scores(
                        model,
                        wide[lab_idx],
                        pool[lab_idx],
                        consensus,
                        probs_unl,
                        n_classes,
                        cv,
                        rng,
                    )
                else:  # least confidence on one scale for labelled and new items
                    probs_lab = _out_of_sample_probs(
                        model, pool[lab_idx], consensus, n_classes, cv, rng
                    )
                    s_lab, s_unl = probs_lab.max(axis=1), probs_unl.max(axis=1)
                s_lab = np.where(n_got[lab_idx] < queue_size[lab_idx], s_lab, np.inf)
                candidates = np.concatenate([lab_idx, unlabeled])
                scores = np.concatenate([s_lab, s_unl])
                _check_batch_size(batch_size, int(np.isfinite(scores).sum()), "the items left")
                chosen = candidates[_top(-scores, batch_size)]
                n_relabels += int(labeled[chosen].sum())
            reveal(chosen)
            n_bought += batch_size
    return pd.DataFrame(rows)
