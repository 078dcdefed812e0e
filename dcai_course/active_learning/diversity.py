"""Diversity sampling: k-center greedy (core sets) and the margin/k-center hybrid.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_rng,
    check_same_length,
)
from .scores import _check_batch_size, _top, margin

#: k-center greedy computes the distances to the labelled points this many centers at a
#: time, so its largest work array holds ``_CENTER_CHUNK * n_pool`` floats: O(n_pool).
_CENTER_CHUNK = 16


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
