"""Time dcai_course.evaluation.sliceline against the sliceline package (Slicefinder).

Both search the same binned UCI Adult test set (16,281 rows, 9 categorical columns)
for the slices where a logistic regression errs, with the same k, alpha, max_l and
min_sup; then the same rows repeated 10 times (min_sup scaled by 10). Agreement: the
top-k slices are the same predicates with the same scores. The sliceline package runs
without numba here (its optional accelerator is not a course dependency).

Run: python benchmarks/bench_evaluation.py [--quick]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _common import Comparison, best_of, comparisons_main

from dcai_course import datasets
from dcai_course.evaluation import sliceline

COLUMNS = [
    "age",
    "workclass",
    "education",
    "marital_status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "hours_per_week",
]


def adult_errors() -> tuple[pd.DataFrame, np.ndarray]:
    """Binned Adult test features and the 0/1 errors of a logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train, test = datasets.load_adult("train"), datasets.load_adult("test")
    model = make_pipeline(datasets.adult_preprocessor(), LogisticRegression(max_iter=1000))
    model.fit(train.drop(columns="income"), train["income"] == ">50K")
    errors = model.predict(test.drop(columns="income")) != (test["income"] == ">50K")
    X = test[COLUMNS].copy()
    X["age"] = pd.cut(X["age"], [0, 25, 35, 45, 55, 65, 100]).astype(str)
    X["hours_per_week"] = pd.cut(X["hours_per_week"], [0, 34, 40, 50, 100]).astype(str)
    return X.fillna("missing").astype(str), errors.to_numpy(dtype=float)


def run_library(X, errors, **kwargs):
    from sliceline.slicefinder import Slicefinder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Slicefinder(verbose=False, **kwargs).fit(X, errors)


def agreement(ours: pd.DataFrame, fitted) -> bool:
    scores = np.array([s["slice_score"] for s in fitted.top_slices_statistics_])
    theirs = np.array(fitted.top_slices_, dtype=object)
    mine = ours.iloc[:, : theirs.shape[1]].to_numpy(dtype=object)
    return (
        len(scores) == len(ours)
        and bool(np.allclose(scores, ours["score"]))
        and all(a == b for a, b in zip(mine.ravel(), theirs.ravel(), strict=True))
    )


def comparisons(quick: bool = False) -> list[Comparison]:
    """SliceLine on Adult test and on 10 copies of it (max_l 3, k 5, alpha 0.95)."""
    repeats = 1 if quick else 3
    X, errors = adult_errors()
    rows = []
    for copies in (1,) if quick else (1, 10):
        Xc = pd.concat([X] * copies, ignore_index=True)
        ec = np.tile(errors, copies)
        kw = dict(k=5, alpha=0.95, max_l=3, min_sup=32 * copies)
        t_ours, ours = best_of(lambda Xc=Xc, ec=ec, kw=kw: sliceline(Xc, ec, **kw), repeats)
        t_lib, lib = best_of(
            lambda Xc=Xc, ec=ec, kw=kw: run_library(Xc, ec, **kw), 1 if copies > 1 else repeats
        )
        rows.append(
            Comparison(
                "08 evaluation and shift",
                "evaluation.sliceline",
                "sliceline Slicefinder",
                f"Adult test binned, {len(Xc):,} rows",
                t_ours,
                t_lib,
                "same top-5 slices and scores" if agreement(ours, lib) else "DIFFERENT top slices",
            )
        )
    return rows


def main() -> None:
    comparisons_main(__doc__, comparisons)


if __name__ == "__main__":
    main()
