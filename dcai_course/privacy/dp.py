"""Differential privacy: noisy vote counts (:func:`noisy_vote_counts`).

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_rng,
    check_float,
    check_int,
    check_labels,
)

# --- differential privacy: noisy aggregation of teachers' votes --------------------------------


def noisy_vote_counts(
    votes: Any, n_classes: int, epsilon: float | None, seed: SeedLike = None
) -> np.ndarray:
    """Vote counts of an ensemble, with Laplace noise for ``epsilon``-differential privacy.

    ``votes[t, i]`` is the class that teacher ``t`` predicts for query ``i``. When each
    teacher was trained on its own disjoint partition of the data, adding or removing one
    training example changes at most one teacher's vote, so each query's count vector
    moves by at most 2 in L1 norm (one count down, one up). Adding Laplace noise of scale
    ``2 / epsilon`` to every count (the Laplace mechanism) makes **each query's answer**
    ``epsilon``-DP; the arg-max is post-processing and costs nothing more. Answering
    ``q`` queries costs up to ``q * epsilon`` in total (basic composition); PATE's
    tighter accounting does better, and is beyond this course.

    Parameters
    ----------
    votes : array-like of int, shape (n_teachers, n_queries)
    n_classes : int
    epsilon : float > 0 or None
        ``None`` returns the exact counts (no privacy).
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of shape (n_queries, n_classes)

    Examples
    --------
    >>> noisy_vote_counts([[0, 1], [0, 1], [1, 1]], 2, None).tolist()
    [[2.0, 1.0], [0.0, 3.0]]

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    v = np.asarray(votes)
    if v.ndim != 2 or v.size == 0:
        raise ValueError(
            f"votes must be a 2-D array (n_teachers, n_queries) of class indices, got shape "
            f"{v.shape}."
        )
    k = check_int(n_classes, "n_classes", minimum=2)
    flat = check_labels(v.ravel(), k, name="votes")
    counts = np.zeros((v.shape[1], k))
    np.add.at(counts, (np.tile(np.arange(v.shape[1]), v.shape[0]), flat), 1.0)
    if epsilon is None:
        return counts
    eps = check_float(epsilon, "epsilon", minimum=0.0, strict=True)
    return counts + as_rng(seed).laplace(scale=2.0 / eps, size=counts.shape)
