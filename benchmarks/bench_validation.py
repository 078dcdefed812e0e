"""Time dcai_course.validation against pandera (schema checks) and SciPy (drift tests).

* validate: the schema of notebook 07 (inferred from the cleaned Adult training split,
  then tightened by hand) on Adult rows resampled to 1M rows, with 1% of the cells of
  four columns broken (out-of-range ages and hours, unknown categories, missing
  education). Ours is :func:`dcai_course.validation.validate`; the reference is
  ``pandera``'s ``DataFrameSchema.validate(lazy=True)`` for the same contract
  (:func:`~dcai_course.validation.to_pandera`). Agreement: the share of (row, column,
  rule) violations that both report.
* ks_2sample and chi2_2sample against ``scipy.stats.ks_2samp(method="asymp")`` and
  ``scipy.stats.chi2_contingency(correction=False)`` on two 1M-row columns.

Run: python benchmarks/bench_validation.py [--quick]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import Comparison, best_of, comparisons_main
from scipy import stats

from dcai_course import datasets, validation

TOPIC = "07 data validation"


def schema() -> validation.Schema:
    return (
        validation.infer_schema(datasets.load_adult("train"))
        .with_rule("fnlwgt", minimum=1, maximum=None)
        .with_rule("age", minimum=16, maximum=100)
        .with_rule("hours_per_week", minimum=1, maximum=168)
    )


def big_batch(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` Adult test rows drawn with replacement, 1% of four columns broken."""
    rng = np.random.default_rng(seed)
    test = datasets.load_adult("test")
    df = test.iloc[rng.integers(0, len(test), n)].reset_index(drop=True)
    broken = {c: rng.random(n) < 0.01 for c in ("age", "hours_per_week", "sex", "education")}
    df.loc[broken["age"], "age"] = 150
    df.loc[broken["hours_per_week"], "hours_per_week"] = 0
    df.loc[broken["sex"], "sex"] = "unknown"
    df.loc[broken["education"], "education"] = np.nan
    return df


def agreement(ours: pd.DataFrame, theirs: pd.DataFrame) -> float:
    a, b = validation.violation_keys(ours), validation.violation_keys(theirs)
    return len(a & b) / max(len(a | b), 1)


def comparisons(quick: bool = False) -> list[Comparison]:
    """Schema validation on 1M rows (100k with ``quick``), KS and chi-square on 1M values."""
    repeats = 1 if quick else 3
    n = 100_000 if quick else 1_000_000
    s = schema()
    df = big_batch(n)
    t_ours, ours = best_of(lambda: validation.validate(df, s), repeats)
    t_pa, theirs = best_of(lambda: validation.pandera_violations(df, s), repeats)
    rows = [
        Comparison(
            TOPIC, "validation.validate", "pandera DataFrameSchema.validate(lazy=True)",
            f"Adult resampled, {n:,} rows × 15, {len(ours):,} violations", t_ours, t_pa,
            f"{agreement(ours, theirs):.2%} same violations",
        )
    ]  # fmt: skip
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=n), rng.normal(0.01, size=n)
    t_ours, mine = best_of(lambda: validation.ks_2sample(a, b), repeats)
    t_sp, ref = best_of(lambda: stats.ks_2samp(a, b, method="asymp"), repeats)
    rows.append(
        Comparison(
            TOPIC, "validation.ks_2sample", "scipy.stats.ks_2samp (asymp)",
            f"two normal samples, {n:,} each", t_ours, t_sp,
            f"|ΔD| {abs(mine[0] - ref.statistic):.1e}, |Δp| {abs(mine[1] - ref.pvalue):.1e}",
        )
    )  # fmt: skip
    x, y = df["occupation"], big_batch(n, seed=1)["occupation"]

    def scipy_chi2():
        cats = pd.concat([x, y]).fillna("<missing>").to_numpy()
        table = pd.crosstab(np.r_[np.zeros(len(x)), np.ones(len(y))], cats)
        return stats.chi2_contingency(table, correction=False)

    t_ours, mine = best_of(lambda: validation.chi2_2sample(x, y), repeats)
    t_sp, ref = best_of(scipy_chi2, repeats)
    rows.append(
        Comparison(
            TOPIC, "validation.chi2_2sample", "scipy.stats.chi2_contingency (+ crosstab)",
            f"Adult occupation, {n:,} each", t_ours, t_sp,
            f"relative Δ statistic {abs(mine[0] - ref.statistic) / ref.statistic:.1e}",
        )
    )  # fmt: skip
    return rows


def main() -> None:
    comparisons_main(__doc__, comparisons)


if __name__ == "__main__":
    main()
