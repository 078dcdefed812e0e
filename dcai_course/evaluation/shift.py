"""Distribution shift: two-sample tests, importance weights and label-shift estimation.

* Covariate shift (``p(x)`` changes): a domain classifier's out-of-fold AUC with a
  permutation p-value (the classifier two-sample test of Lopez-Paz & Oquab, ICLR 2017),
  per-feature Kolmogorov-Smirnov tests with a multiple-testing correction, and the
  kernel maximum mean discrepancy (Gretton et al., JMLR 2012) with a permutation test.
  Importance weights ``p_target(x) / p_source(x)`` come from the same domain classifier;
  their effective sample size says how many source rows the weighted estimate is worth.
* Label shift (``p(y)`` changes, ``p(x | y)`` does not): black-box shift estimation
  (Lipton, Wang & Smola, ICML 2018) solves ``C w = μ`` for the class weights, where
  ``C`` is the source confusion matrix (joint of prediction and label) and ``μ`` the
  distribution of predictions on the target.

Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_choice,
    check_count,
    check_estimator,
    check_features,
    check_labels,
    check_positive,
    check_pred_probs,
)

__all__ = [
    "adjust_correction",
    "auc_permutation_test",
    "bbse_weights",
    "classifier_two_sample_test",
    "effective_sample_size",
    "importance_weights",
    "ks_tests",
    "mmd_test",
    "reweight_probs",
]


def _check_domain(domain: Any, n: int) -> np.ndarray:
    arr = np.asarray(domain)
    if arr.dtype != bool or arr.ndim != 1:
        raise TypeError(
            "domain must be a 1-D boolean array (True for rows of the second sample), got "
            f"dtype {arr.dtype}, shape {arr.shape}."
        )
    if arr.size != n:
        raise ValueError(f"Length mismatch: scores has {n} entries but domain has {arr.size}.")
    if arr.all() or not arr.any():
        raise ValueError("domain must contain both samples (some True and some False).")
    return arr


def auc_permutation_test(
    scores: Any, domain: Any, n_permutations: int = 1000, seed: SeedLike = 0
) -> tuple[float, float]:
    """AUC of ``scores`` for telling ``domain`` apart, and its one-sided permutation p-value.

    The AUC is the Mann-Whitney statistic ``(R₁ − n₁(n₁ + 1)/2) / (n₁ n₀)``, with ``R₁``
    the sum of the ranks of the True rows (ties get average ranks). Under the null
    hypothesis (both samples from one distribution) the domain labels are exchangeable,
    so shuffling them gives the null distribution of the AUC; the p-value is
    ``(1 + #{AUC_perm ≥ AUC}) / (1 + n_permutations)``.

    Parameters
    ----------
    scores : 1-D array of float
        A score per row, e.g. a domain classifier's out-of-fold probability of "True".
    domain : 1-D bool array
    n_permutations : int, default 1000
    seed : int or numpy.random.Generator

    Returns
    -------
    (auc, p_value) : tuple of float

    Examples
    --------
    >>> auc, p = auc_permutation_test([0.1, 0.4, 0.35, 0.8], np.array([False, False, True, True]))
    >>> auc
    0.75

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    s = np.asarray(scores)
    if s.dtype.kind not in "biuf" or s.ndim != 1 or s.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D numeric array, got shape {s.shape}.")
    s = s.astype(float)
    if not np.isfinite(s).all():
        raise ValueError("scores contains NaN or infinite values.")
    d = _check_domain(domain, s.size)
    n_permutations = check_count(n_permutations, "n_permutations")
    rng = as_rng(seed)
    ranks = stats.rankdata(s)
    n1, n0 = int(d.sum()), int((~d).sum())

    def auc_of(rank_sums):
        return (rank_sums - n1 * (n1 + 1) / 2) / (n1 * n0)

    auc = float(auc_of(ranks[d].sum()))
    exceed, done = 0, 0
    block = max(1, 2_000_000 // s.size)
    while done < n_permutations:
        size = min(block, n_permutations - done)
        shuffled = rng.permuted(np.tile(d, (size, 1)), axis=1)
        exceed += int((auc_of((shuffled * ranks).sum(axis=1)) >= auc - 1e-12).sum())
        done += size
    return auc, (1 + exceed) / (1 + n_permutations)


def classifier_two_sample_test(
    X_a: Any,
    X_b: Any,
    *,
    model: Any = None,
    cv: int = 5,
    n_permutations: int = 1000,
    seed: SeedLike = 0,
) -> dict[str, Any]:
    """Is sample ``b`` drawn from the same distribution as sample ``a``? Ask a classifier.

    A domain classifier learns to tell the rows of ``b`` from those of ``a``; its
    out-of-fold AUC is 0.5 when it cannot (no shift) and near 1 when the samples differ.
    The p-value comes from :func:`auc_permutation_test` on the out-of-fold scores.

    Parameters
    ----------
    X_a, X_b : 2-D arrays or sparse matrices with the same columns
    model : scikit-learn classifier with ``predict_proba``, optional
        Default: standardisation then logistic regression.
    cv : int, default 5
        Folds for the out-of-fold scores.
    n_permutations : int, default 1000
    seed : int or numpy.random.Generator

    Returns
    -------
    dict
        ``auc``, ``p_value``, ``scores`` (out-of-fold probability of "from b" for the
        rows of ``a`` then those of ``b``) and ``domain`` (True for rows of ``b``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> out = classifier_two_sample_test(rng.normal(size=(200, 2)), rng.normal(1, 1, (200, 2)))
    >>> out["auc"] > 0.7 and out["p_value"] < 0.01
    True

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X_a, X_b = check_features(X_a, "X_a"), check_features(X_b, "X_b")
    if X_a.shape[1] != X_b.shape[1]:
        raise ValueError(
            f"X_a has {X_a.shape[1]} columns but X_b has {X_b.shape[1]}; both samples must "
            "be described by the same features."
        )
    cv = check_count(cv, "cv", minimum=2)
    rng = as_rng(seed)
    if model is not None:
        check_estimator(model, proba=True)
    else:
        model = make_pipeline(StandardScaler(with_mean=False), LogisticRegression(max_iter=1000))
    X = sparse.vstack([X_a, X_b]).tocsr() if sparse.issparse(X_a) else np.vstack([X_a, X_b])
    domain = np.r_[np.zeros(X_a.shape[0], bool), np.ones(X_b.shape[0], bool)]
    folds = StratifiedKFold(cv, shuffle=True, random_state=as_random_state(rng))
    scores = cross_val_predict(clone(model), X, domain, cv=folds, method="predict_proba")[:, 1]
    auc, p_value = auc_permutation_test(scores, domain, n_permutations, rng)
    return {"auc": auc, "p_value": p_value, "scores": scores, "domain": domain}


def adjust_correction(p_values: Any, method: str = "holm") -> np.ndarray:
    """p-values adjusted for testing many hypotheses at once.

    ``"bonferroni"`` multiplies by the number of tests; ``"holm"`` (Holm 1979) is its
    step-down version, never less powerful; both control the family-wise error rate.
    ``"bh"`` (Benjamini & Hochberg 1995) controls the false discovery rate instead.

    Examples
    --------
    >>> adjust_correction([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    p = np.asarray(p_values)
    if p.dtype.kind not in "fiu":
        raise TypeError(f"p_values must be numbers in [0, 1], got dtype {p.dtype}.")
    p = p.astype(float)
    if p.ndim != 1 or p.size == 0 or np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("p_values must be a non-empty 1-D array of numbers in [0, 1].")
    method = check_choice(method, "method", ("bonferroni", "holm", "bh"))
    m = p.size
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    if method == "holm":
        stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    else:
        stepped = np.minimum.accumulate((m / np.arange(m, 0, -1)) * p[order][::-1])[::-1]
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def _ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """The largest gap between the two empirical CDFs."""
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(np.sort(a), grid, side="right") / a.size
    cdf_b = np.searchsorted(np.sort(b), grid, side="right") / b.size
    return float(np.abs(cdf_a - cdf_b).max())


def ks_tests(
    X_a: Any,
    X_b: Any,
    columns: Sequence[str] | None = None,
    *,
    correction: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Two-sample Kolmogorov-Smirnov test of every feature, with a correction.

    The statistic is the largest gap between the two empirical CDFs; the p-value is the
    asymptotic one (Kolmogorov's distribution at the effective size ``n_a n_b /
    (n_a + n_b)``, as ``scipy.stats.ks_2samp(..., method="asymp")``).

    Returns
    -------
    pandas.DataFrame
        One row per feature: ``statistic``, ``p_value``, ``p_adjusted`` and ``shifted``
        (``p_adjusted < alpha``), sorted by statistic, largest first.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(300, 2)), rng.normal(size=(300, 2))
    >>> b[:, 1] += 1
    >>> ks_tests(a, b, ["same", "moved"])["shifted"].tolist()
    [True, False]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    if isinstance(X_a, pd.DataFrame) and columns is None:
        columns = list(X_a.columns)
    a, b = (
        check_features(X_a, "X_a", allow_sparse=False),
        check_features(X_b, "X_b", allow_sparse=False),
    )
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"X_a has {a.shape[1]} columns but X_b has {b.shape[1]}.")
    if columns is None:
        columns = [f"x{j}" for j in range(a.shape[1])]
    if len(columns) != a.shape[1]:
        raise ValueError(f"columns names {len(columns)} features but X_a has {a.shape[1]}.")
    alpha = check_positive(alpha, "alpha")
    correction = check_choice(correction, "correction", ("bonferroni", "holm", "bh"))
    stat = np.array([_ks_statistic(a[:, j], b[:, j]) for j in range(a.shape[1])])
    effective = np.round(a.shape[0] * b.shape[0] / (a.shape[0] + b.shape[0]))
    p = np.clip(stats.kstwo.sf(stat, effective), 0, 1)
    out = pd.DataFrame({"feature": list(columns), "statistic": stat, "p_value": p})
    out["p_adjusted"] = adjust_correction(p, correction)
    out["shifted"] = out["p_adjusted"] < alpha
    return out.sort_values("statistic", ascending=False, kind="stable").reset_index(drop=True)


def _sq_distances(X: np.ndarray) -> np.ndarray:
    sq = (X**2).sum(axis=1)
    return np.maximum(sq[:, None] + sq[None, :] - 2 * X @ X.T, 0)


def mmd_test(
    X_a: Any,
    X_b: Any,
    *,
    bandwidth: float | None = None,
    n_permutations: int = 200,
    seed: SeedLike = 0,
) -> dict[str, float]:
    """Unbiased squared MMD with a Gaussian kernel, and its permutation p-value.

    ``MMD² = mean k(a, a') + mean k(b, b') − 2 mean k(a, b)`` (the first two means over
    distinct pairs), with ``k(x, y) = exp(−‖x − y‖² / (2 σ²))`` and ``σ`` the median
    distance between pooled rows unless ``bandwidth`` is given. The p-value shuffles the
    sample membership of the pooled rows. Memory grows with ``(n_a + n_b)²``: subsample
    to a few thousand rows.

    Returns
    -------
    dict
        ``mmd2``, ``p_value`` and ``bandwidth``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> out = mmd_test(rng.normal(size=(100, 2)), rng.normal(0.5, 1, (100, 2)))
    >>> out["p_value"] < 0.05
    True

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    a, b = (
        check_features(X_a, "X_a", allow_sparse=False),
        check_features(X_b, "X_b", allow_sparse=False),
    )
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"X_a has {a.shape[1]} columns but X_b has {b.shape[1]}.")
    if min(len(a), len(b)) < 2:
        raise ValueError("each sample needs at least 2 rows for the unbiased MMD.")
    n_permutations = check_count(n_permutations, "n_permutations")
    rng = as_rng(seed)
    X = np.vstack([a, b])
    d2 = _sq_distances(X)
    if bandwidth is None:
        bandwidth = float(np.sqrt(np.median(d2[np.triu_indices(len(X), 1)])))
        if bandwidth == 0:
            raise ValueError("the median distance is 0 (mostly identical rows): pass bandwidth.")
    bandwidth = check_positive(bandwidth, "bandwidth")
    K = np.exp(-d2 / (2 * bandwidth**2))
    np.fill_diagonal(K, 0.0)
    m, n = len(a), len(b)

    def mmd2(in_a):  # in_a: (N, P) indicator matrix of sample a
        in_a = in_a.astype(float)
        in_b = 1 - in_a
        k_a, k_b = K @ in_a, K @ in_b
        aa = (in_a * k_a).sum(axis=0) / (m * (m - 1))
        bb = (in_b * k_b).sum(axis=0) / (n * (n - 1))
        ab = (in_b * k_a).sum(axis=0) / (m * n)
        return aa + bb - 2 * ab

    first = np.r_[np.ones(m, bool), np.zeros(n, bool)]
    observed = float(mmd2(first[:, None])[0])
    null = mmd2(rng.permuted(np.tile(first, (n_permutations, 1)), axis=1).T)
    p_value = (1 + int((null >= observed - 1e-12).sum())) / (1 + n_permutations)
    return {"mmd2": observed, "p_value": float(p_value), "bandwidth": float(bandwidth)}


def importance_weights(
    domain_probs: Any, n_source: int, n_target: int, *, clip: float | None = None
) -> np.ndarray:
    """Importance weights ``p_target(x) / p_source(x)`` from a domain classifier.

    By Bayes, ``p_t(x) / p_s(x) = [P(t | x) / P(s | x)] · [n_s / n_t]`` when the
    classifier was trained on ``n_s`` source and ``n_t`` target rows.

    Parameters
    ----------
    domain_probs : 1-D array of float in (0, 1)
        The classifier's (out-of-fold) probability that each source row is a target row.
    n_source, n_target : int
        Sizes of the two samples the classifier was trained on.
    clip : float, optional
        Cap the weights at this value (less variance, some bias).

    Examples
    --------
    >>> importance_weights([0.5, 0.8], 100, 100).round(3).tolist()
    [1.0, 4.0]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    p = np.asarray(domain_probs)
    if p.dtype.kind not in "f" or p.ndim != 1 or p.size == 0:
        raise ValueError("domain_probs must be a non-empty 1-D float array of probabilities.")
    if not ((p > 0) & (p < 1)).all():
        raise ValueError(
            "domain_probs must lie strictly between 0 and 1 (a probability of exactly 0 or 1 "
            "gives a weight of 0 or infinity); use a calibrated, regularised classifier."
        )
    n_source, n_target = check_count(n_source, "n_source"), check_count(n_target, "n_target")
    w = p / (1 - p) * (n_source / n_target)
    if clip is not None:
        w = np.minimum(w, check_positive(clip, "clip"))
    return w


def effective_sample_size(weights: Any) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` of a weighted sample.

    Equal weights give the number of rows; a few dominant weights give a number close
    to the count of those few.

    Examples
    --------
    >>> effective_sample_size([1, 1, 1, 1])
    4.0
    >>> round(effective_sample_size([10, 1, 1, 1]), 2)
    1.64

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    w = np.asarray(weights)
    if w.dtype.kind not in "iuf" or w.ndim != 1 or w.size == 0:
        raise ValueError("weights must be a non-empty 1-D numeric array.")
    w = w.astype(float)
    if not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValueError("weights must be finite, non-negative and not all zero.")
    return float(w.sum() ** 2 / (w**2).sum())


def bbse_weights(
    y_source: Any, pred_source: Any, pred_target: Any, n_classes: int | None = None
) -> np.ndarray:
    """Black-box shift estimation: class weights ``w_y = q(y) / p(y)`` (Lipton et al., 2018).

    With ``C[i, j] = P_source(ŷ = i, y = j)`` measured on held-out source rows and
    ``μ[i] = P_target(ŷ = i)``, label shift gives ``μ = C w``; the estimate solves this
    linear system. Negative solutions (possible with small samples) are set to 0.

    Parameters
    ----------
    y_source, pred_source : 1-D int arrays
        True labels and the model's predicted labels on held-out *source* rows.
    pred_target : 1-D int array
        The model's predicted labels on the (unlabelled) target rows.
    n_classes : int, optional
        Default ``max + 1`` over all the labels given.

    Returns
    -------
    numpy.ndarray of shape (n_classes,)
        The weights; the target class distribution is ``w * p_source``.

    Examples
    --------
    >>> y = np.array([0, 0, 0, 1])
    >>> bbse_weights(y, y, np.array([0, 1, 1, 1])).round(3).tolist()
    [0.333, 3.0]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    y_s = check_labels(y_source, n_classes, name="y_source")
    p_s = check_labels(pred_source, n_classes, name="pred_source")
    p_t = check_labels(pred_target, n_classes, name="pred_target")
    if y_s.size != p_s.size:
        raise ValueError(
            f"Length mismatch: y_source has {y_s.size} entries, pred_source {p_s.size}."
        )
    if n_classes is None:
        n_classes = max(int(y_s.max()), int(p_s.max()), int(p_t.max())) + 1
    k = max(int(n_classes), 2)
    joint = np.zeros((k, k))
    np.add.at(joint, (p_s, y_s), 1.0)
    joint /= y_s.size
    mu = np.bincount(p_t, minlength=k) / p_t.size
    if np.linalg.matrix_rank(joint) < k:
        raise ValueError(
            "the source confusion matrix is singular (a class is never predicted or never "
            "present in the held-out source rows); BBSE needs every class predicted."
        )
    return np.maximum(np.linalg.solve(joint, mu), 0.0)


def reweight_probs(probs: Any, weights: Any) -> np.ndarray:
    """Correct predicted probabilities for label shift: ``q(y | x) ∝ w_y p(y | x)``.

    Examples
    --------
    >>> reweight_probs(np.array([[0.5, 0.5]]), np.array([1.0, 3.0])).tolist()
    [[0.25, 0.75]]

    Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
    """
    p = check_pred_probs(probs)
    w = np.asarray(weights)
    if w.dtype.kind not in "fiu":
        raise TypeError(f"weights must be numbers, one per class, got dtype {w.dtype}.")
    w = w.astype(float)
    if w.shape != (p.shape[1],) or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValueError(
            f"weights must be {p.shape[1]} finite non-negative numbers, one per class, "
            "not all zero."
        )
    out = p * w
    total = out.sum(axis=1, keepdims=True)
    if (total == 0).any():
        raise ValueError("a row has zero probability on every class with a positive weight.")
    return out / total
