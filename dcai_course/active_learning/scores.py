"""Uncertainty scores and the simple batch strategies (random, top-k uncertain).

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_rng,
    check_choice,
    check_pred_probs,
)

_UNCERTAINTY = ("least_confidence", "margin", "entropy")


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
