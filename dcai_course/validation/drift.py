"""Distribution drift between a reference batch and a new one: :func:`psi`,
:func:`ks_2sample`, :func:`chi2_2sample` and the per-column :func:`drift_report`.

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_count, check_float, check_table

# --- distribution checks ---------------------------------------------------------------------


def _sample(values: Any, name: str) -> pd.Series:
    if isinstance(values, str | pd.DataFrame):
        raise TypeError(
            f"{name} must be one sample (a 1-D array or a Series), got {type(values).__name__}. "
            "Pass one column, e.g. df['age']."
        )
    if not isinstance(values, pd.Series) and np.ndim(values) != 1:
        raise ValueError(
            f"{name} must be a non-empty 1-D sample, got shape {np.shape(values)}. "
            "Pass one column, e.g. X[:, 0]."
        )
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sample, got {s.size} values.")
    return s.reset_index(drop=True)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _shares(expected: pd.Series, actual: pd.Series, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of each sample in each bin (quantile bins of ``expected``; NaN its own bin)."""
    if _is_numeric(expected) and _is_numeric(actual):
        ref = expected.dropna().to_numpy(float)
        if ref.size:
            inner = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
        else:
            inner = np.array([])

        def counts(s):
            v = s.to_numpy(float)
            nan = np.isnan(v)
            c = np.bincount(np.searchsorted(inner, v[~nan], side="right"), minlength=inner.size + 1)
            return np.r_[c, nan.sum()]
    else:
        cats = pd.Index(pd.concat([expected, actual]).dropna().astype(str).unique())

        def counts(s):
            codes = cats.get_indexer(s.dropna().astype(str))
            return np.r_[np.bincount(codes, minlength=cats.size), s.isna().sum()]

    e, a = counts(expected), counts(actual)
    return e / e.sum(), a / a.sum()


def psi(expected: Any, actual: Any, *, bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index of ``actual`` against ``expected``.

    ``PSI = sum_b (a_b - e_b) * ln(a_b / e_b)`` over bins ``b``, where ``e_b`` and
    ``a_b`` are the shares of each sample in the bin. For numbers the bins are the
    ``bins`` quantile bins of ``expected`` (edges at its inner quantiles, merged when
    equal; the outer bins are open); for strings, one bin per category. Missing values
    are a bin of their own, so a column that turns to nulls shows. Shares are floored at
    ``eps`` so that an empty bin gives a large, finite value.

    Rule of thumb (Siddiqi 2006): below 0.1 stable, 0.1 to 0.25 a moderate shift, above
    0.25 a major shift. PSI is the symmetrised Kullback-Leibler divergence
    ``KL(a||e) + KL(e||a)`` of the binned shares.

    Parameters
    ----------
    expected, actual : array-like or pandas.Series
        The reference sample (the training data) and the new batch, same kind of values.
    bins : int, default 10
    eps : float, default 1e-4

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(psi(rng.normal(size=5000), rng.normal(size=5000)), 3) < 0.01
    True
    >>> round(psi(["a"] * 50 + ["b"] * 50, ["a"] * 90 + ["b"] * 10), 3)
    0.879
    """
    e_s, a_s = _sample(expected, "expected"), _sample(actual, "actual")
    bins = check_count(bins, "bins", minimum=2)
    eps = check_float(eps, "eps", minimum=0, maximum=0.5, strict=True)
    e, a = _shares(e_s, a_s, bins)
    e, a = np.maximum(e, eps), np.maximum(a, eps)
    return float(np.sum((a - e) * np.log(a / e)))


def ks_2sample(a: Any, b: Any) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov test: the statistic and its asymptotic p-value.

    The statistic is the largest gap between the two empirical distribution functions,
    evaluated at every observed value; the p-value is that of the Kolmogorov distribution
    with ``n = round(n_a n_b / (n_a + n_b))`` (as ``scipy.stats.ks_2samp`` with
    ``method="asymp"``). Missing values are dropped.

    Examples
    --------
    >>> d, p = ks_2sample([1, 2, 3, 4], [3, 4, 5, 6])
    >>> d
    0.5
    """
    samples = _sample(a, "a"), _sample(b, "b")
    for name, sample in zip("ab", samples, strict=True):
        if not _is_numeric(sample):
            raise TypeError(
                f"{name} must hold numbers (KS compares numeric distributions), got dtype "
                f"{sample.dtype}. For categories use chi2_2sample."
            )
    x, y = (sample.dropna().to_numpy(float) for sample in samples)
    if x.size == 0 or y.size == 0:
        raise ValueError("ks_2sample needs at least one non-missing value in each sample.")
    x, y = np.sort(x), np.sort(y)
    grid = np.concatenate([x, y])
    cdf_x = np.searchsorted(x, grid, side="right") / x.size
    cdf_y = np.searchsorted(y, grid, side="right") / y.size
    d = float(np.max(np.abs(cdf_x - cdf_y)))
    n = np.round(x.size * y.size / (x.size + y.size))
    return d, float(np.clip(stats.kstwo.sf(d, n), 0.0, 1.0))


def chi2_2sample(a: Any, b: Any) -> tuple[float, float]:
    """Chi-square test that two samples of categories share one distribution.

    A 2 × K contingency table of category counts (categories seen in either sample;
    missing values are a category of their own) and Pearson's statistic without
    continuity correction, as ``scipy.stats.chi2_contingency(table, correction=False)``.
    Returns ``(statistic, p_value)``; a single category in both gives ``(0.0, 1.0)``.

    Examples
    --------
    >>> round(chi2_2sample(["a"] * 50 + ["b"] * 50, ["a"] * 50 + ["b"] * 50)[1], 3)
    1.0
    """
    x = _sample(a, "a").astype(object).fillna("<missing>").astype(str)
    y = _sample(b, "b").astype(object).fillna("<missing>").astype(str)
    cats = pd.Index(pd.concat([x, y]).unique())
    table = np.vstack(
        [np.bincount(cats.get_indexer(s), minlength=cats.size) for s in (x, y)]
    ).astype(float)
    if cats.size < 2:
        return 0.0, 1.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(stats.chi2.sf(statistic, cats.size - 1))


def drift_report(
    reference: pd.DataFrame,
    batch: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    bins: int = 10,
    psi_threshold: float = 0.25,
    alpha: float = 0.001,
) -> pd.DataFrame:
    """Per column: PSI and a two-sample test of ``batch`` against ``reference``.

    Numeric columns get :func:`ks_2sample`, others :func:`chi2_2sample`. A column is
    flagged (``drift``) when its PSI exceeds ``psi_threshold`` *or* the test's p-value is
    below ``alpha`` (a small alpha, because a large batch makes tiny, harmless shifts
    significant). Columns absent from ``batch`` are skipped (the schema reports them).

    Returns
    -------
    pandas.DataFrame
        Indexed by column: ``test``, ``statistic``, ``p_value``, ``psi``, ``drift``.
    """
    reference = check_table(reference, "reference")
    batch = check_table(batch, "batch")
    alpha = check_float(alpha, "alpha", minimum=0, maximum=1, strict=True)
    psi_threshold = check_float(psi_threshold, "psi_threshold", minimum=0, strict=True)
    columns = list(reference.columns) if columns is None else list(columns)
    missing = [c for c in columns if c not in reference.columns]
    if missing:
        raise ValueError(
            f"columns {missing} are not in reference; it has {list(reference.columns)}."
        )
    rows = []
    for name in columns:
        if name not in batch.columns:
            continue
        ref, new = reference[name], batch[name]
        numeric = _is_numeric(ref) and _is_numeric(new)
        if numeric and new.notna().any():
            stat, p = ks_2sample(ref, new)
            test = "ks"
        else:
            stat, p = chi2_2sample(ref, new)
            test = "chi2"
        value = psi(ref, new, bins=bins)
        rows.append({"column": name, "test": test, "statistic": stat, "p_value": p, "psi": value,
                     "drift": bool(value > psi_threshold or p < alpha)})  # fmt: skip
    return pd.DataFrame(rows).set_index("column")
