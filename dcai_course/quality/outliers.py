"""Outlier scores (k nearest neighbours, isolation forest, LOF) and Tukey's fence.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_finite_array,
    check_float,
    check_int,
    check_mask,
    check_same_length,
)
from .features import (
    _check_metric,
    featurize,
)

#: Methods of :func:`outlier_scores`.
OUTLIER_METHODS = ("knn", "isolation_forest", "lof")


def _check_k(k: Any, n: int) -> int:
    k = check_int(k, "k")
    if not 1 <= k < n:
        raise ValueError(
            f"k must be between 1 and n_examples - 1 = {n - 1}, got {k}: each example needs "
            "k other examples to be compared with."
        )
    return int(k)


def outlier_scores(
    X: Any,
    method: str = "knn",
    *,
    k: int = 10,
    metric: str | None = None,
    seed: SeedLike = None,
) -> np.ndarray:
    """How unusual each example is. Convention: **higher = more unusual**, for every method.

    Parameters
    ----------
    X : array-like of shape (n, d), sparse matrix, or sequence of str
        Numeric features (no NaN) or texts (TF-IDF, see :func:`featurize`).
    method : {"knn", "isolation_forest", "lof"}
        - ``"knn"``: the mean distance to the ``k`` nearest other examples (cleanlab's
          Datalab scores outliers from the same quantity, as ``exp(-distance / scale)``,
          where *lower* is more unusual);
        - ``"isolation_forest"``: the anomaly score of Liu, Ting & Zhou (2008), in
          ``(0, 1]``: how few random splits isolate the example (scikit-learn's
          ``-IsolationForest.score_samples``);
        - ``"lof"``: the local outlier factor of Breunig et al. (2000) with ``k``
          neighbours, about 1 for an example as dense as its neighbours and larger for
          one in a sparser region (scikit-learn's ``-negative_outlier_factor_``).
    k : int, default 10
        Neighbours for ``"knn"`` and ``"lof"``.
    metric : str, optional
        Distance for ``"knn"`` and ``"lof"``: ``"cosine"`` for text, ``"euclidean"``
        otherwise.
    seed : int or numpy.random.Generator, optional
        For ``"isolation_forest"``.

    Returns
    -------
    numpy.ndarray of float, shape (n,)

    Raises
    ------
    ValueError
        If ``X`` contains NaN (no method here can take it: impute first), is empty, or
        ``k`` is not below the number of examples.

    Examples
    --------
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1], [9, 9]]
    >>> int(outlier_scores(X, k=2).argmax())
    4
    >>> int(outlier_scores(X, "isolation_forest", seed=0).argmax())
    4

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    if method not in OUTLIER_METHODS:
        raise ValueError(f"method must be one of {OUTLIER_METHODS}, got {method!r}.")
    seed = as_rng(seed)
    features, is_text = featurize(X)
    n = features.shape[0]
    if method == "isolation_forest":
        from sklearn.ensemble import IsolationForest

        if n < 2:
            raise ValueError("at least 2 examples are needed to score outliers.")
        forest = IsolationForest(random_state=as_random_state(seed), n_jobs=1)
        data = features.tocsc() if sp.issparse(features) else features
        return -forest.fit(data).score_samples(data)
    k = _check_k(k, n)
    metric = _check_metric(metric, is_text)
    if method == "knn":
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=k, metric=metric, n_jobs=1).fit(features)
        distances, _ = nn.kneighbors()  # without X: each example is not its own neighbour
        return np.clip(distances, 0.0, None).mean(axis=1)
    from sklearn.neighbors import LocalOutlierFactor

    lof = LocalOutlierFactor(n_neighbors=k, metric=metric, n_jobs=1).fit(features)
    return -lof.negative_outlier_factor_


def flag_outliers(scores: Any, factor: float = 1.5) -> np.ndarray:
    """Flag scores above Tukey's upper fence ``Q3 + factor × (Q3 - Q1)``.

    A rule that needs no ground truth and adapts to the spread of the scores. cleanlab's
    Datalab applies the same rule to the mean k-NN distance with
    ``factor = 1 / 0.37037 - 1 ≈ 1.7``.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Outlier scores, higher = more unusual (see :func:`outlier_scores`).
    factor : float, default 1.5
        Tukey's classic value; larger flags fewer examples.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> flag_outliers([1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 5.0])
    array([False, False, False, False, False, False,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    s = check_finite_array(scores, "scores", ndim=1)
    factor = check_float(factor, "factor", minimum=0.0)
    q1, q3 = np.percentile(s, [25, 75])
    return s > q3 + float(factor) * (q3 - q1)


def precision_recall(flagged: Any, truth: Any) -> dict[str, float]:
    """Precision and recall of a boolean flag against the known truth.

    Returns ``{"flagged", "precision", "recall"}``; precision is NaN when nothing is
    flagged, recall NaN when nothing is true.

    Examples
    --------
    >>> precision_recall([True, True, False, False], [True, False, True, False])
    {'flagged': 2, 'precision': 0.5, 'recall': 0.5}

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    f, t = check_mask(flagged, "flagged"), check_mask(truth, "truth")
    check_same_length(flagged=f, truth=t)
    hits = int((f & t).sum())
    return {
        "flagged": int(f.sum()),
        "precision": float(hits / f.sum()) if f.any() else float("nan"),
        "recall": float(hits / t.sum()) if t.any() else float("nan"),
    }
