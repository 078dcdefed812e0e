"""Time dcai_course.fairness's group metrics and group thresholds against fairlearn.

On the same inputs:

* ``group_metrics`` (selection rate, true and false positive rates per group) against
  ``fairlearn.metrics.MetricFrame`` with the same three metrics, and the three summaries
  (``demographic_parity_difference``/``ratio``, ``equalized_odds_difference``) against
  fairlearn's functions, on random decisions for 1,000,000 people in 5 groups (100,000 with
  ``--quick``); agreement is the largest absolute difference;
* ``fit_group_thresholds`` + ``apply_group_thresholds`` against
  ``fairlearn.postprocessing.ThresholdOptimizer`` (prefit logistic regression on Adult,
  both constraints); agreement is the share of identical decisions (fairlearn randomises
  between two thresholds, ours does not).

Run: python benchmarks/bench_fairness.py [--quick]
"""

from __future__ import annotations

import warnings

import numpy as np
from _common import Comparison, best_of, comparisons_main

from dcai_course import fairness

TOPIC = "09 fairness and bias"
SUMMARIES = (
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
)


def random_decisions(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    names = np.array(["Amber", "Blue", "Coral", "Dune", "Ember"])
    groups = names[rng.choice(5, size=n, p=[0.5, 0.25, 0.15, 0.07, 0.03])]
    y = (rng.random(n) < 0.3).astype(np.int64)
    pred = np.where(rng.random(n) < 0.8, y, 1 - y)
    return y, pred, groups


def metric_rows(n: int, repeats: int) -> list[Comparison]:
    import fairlearn.metrics as fm

    y, pred, groups = random_decisions(n)
    columns = ["selection_rate", "true_positive_rate", "false_positive_rate"]
    t_ours, ours = best_of(
        lambda: fairness.group_metrics(y, pred, sensitive_features=groups)[columns], repeats
    )
    metrics = {
        "selection_rate": fm.selection_rate,
        "true_positive_rate": fm.true_positive_rate,
        "false_positive_rate": fm.false_positive_rate,
    }
    t_fl, frame = best_of(
        lambda: (
            fm.MetricFrame(
                metrics=metrics, y_true=y, y_pred=pred, sensitive_features=groups
            ).by_group
        ),
        repeats,
    )
    gap = np.abs(ours.to_numpy() - frame[columns].to_numpy(dtype=float)).max()
    rows = [
        Comparison(
            TOPIC,
            "fairness.group_metrics",
            "fairlearn MetricFrame (3 metrics)",
            f"random, {n:,} people, 5 groups",
            t_ours,
            t_fl,
            f"max |diff| {gap:.1e}",
        )
    ]
    t_ours = t_fl = 0.0
    worst = 0.0
    for name in SUMMARIES:
        t1, a = best_of(
            lambda name=name: getattr(fairness, name)(y, pred, sensitive_features=groups), repeats
        )
        t2, b = best_of(
            lambda name=name: getattr(fm, name)(y, pred, sensitive_features=groups), repeats
        )
        t_ours, t_fl, worst = t_ours + t1, t_fl + t2, max(worst, abs(a - b))
    rows.append(
        Comparison(
            TOPIC,
            "fairness DP difference/ratio + EO difference",
            "fairlearn's three functions",
            f"random, {n:,} people, 5 groups",
            t_ours,
            t_fl,
            f"max |diff| {worst:.1e}",
        )
    )
    return rows


def threshold_rows(repeats: int) -> list[Comparison]:
    from fairlearn.postprocessing import ThresholdOptimizer
    from sklearn.linear_model import LogisticRegression

    frame, y = fairness.adult_fairness_data()
    split = fairness.adult_split(frame, y, "sex", 0, n_train=10_000, n_valid=10_000, n_test=10_000)
    (X, y_tr, _), (X_va, y_va, a_va) = split["train"], split["valid"]
    model = LogisticRegression(solver="liblinear").fit(X, y_tr)
    rows = []
    for constraint in fairness.CONSTRAINTS:

        def ours(constraint=constraint):
            score = model.predict_proba(X_va)[:, 1]
            thresholds = fairness.fit_group_thresholds(y_va, score, a_va, constraint)
            return fairness.apply_group_thresholds(score, a_va, thresholds)

        def theirs(constraint=constraint):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                opt = ThresholdOptimizer(
                    estimator=model,
                    constraints=constraint,
                    prefit=True,
                    predict_method="predict_proba",
                )
                opt.fit(X_va, y_va, sensitive_features=a_va)
                return opt.predict(X_va, sensitive_features=a_va, random_state=0)

        t_ours, a = best_of(ours, repeats)
        t_fl, b = best_of(theirs, repeats)
        rows.append(
            Comparison(
                TOPIC,
                f"fairness.fit_group_thresholds ({constraint})",
                "fairlearn ThresholdOptimizer",
                "Adult, 10,000 people (fit + predict)",
                t_ours,
                t_fl,
                f"{(a == b).mean():.2%} same decisions",
            )
        )
    return rows


def comparisons(quick: bool = False) -> list[Comparison]:
    """Group metrics on 1M random decisions, and group thresholds on Adult."""
    repeats = 1 if quick else 3
    n = 100_000 if quick else 1_000_000
    return metric_rows(n, repeats) + threshold_rows(repeats)


def main() -> None:
    comparisons_main(__doc__, comparisons)


if __name__ == "__main__":
    main()
