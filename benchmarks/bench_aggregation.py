"""Time dcai_course.aggregation.dawid_skene against crowd-kit's DawidSkene.

Both run on the same answers with their default settings (majority-vote start, up to 100
EM iterations, each its own convergence rule): the real Dog data set (807 items, 109
workers, 10 answers per item) and a simulated crowd of 10^5 items, 10 workers of
accuracies between 0.5 and 0.95, 3 answers per item, 4 classes. Printed per data set:
the best of 3 wall times, the ratio crowd-kit / ours, the iterations each ran, and the
fraction of items given the same label.

Run: python benchmarks/bench_aggregation.py
"""

from __future__ import annotations

import warnings

import numpy as np
from _common import Comparison, best_of
from crowdkit.aggregation import DawidSkene

from dcai_course.aggregation import dawid_skene
from dcai_course.datasets import load_crowd
from dcai_course.noise import simulate_annotators


def simulated_crowd(n_items=100_000, n_workers=10, per_item=3, n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, n_items)
    return simulate_annotators(truth, rng.uniform(0.5, 0.95, n_workers), per_item, seed=seed + 1)


def _compare(answers):
    t_ours, ours = best_of(lambda: dawid_skene(answers))
    t_ck, ck = best_of(lambda: DawidSkene(n_iter=100).fit(answers.rename(columns={"item": "task"})))
    same = (ours.labels == ck.labels_.loc[ours.labels.index]).mean()
    return t_ours, t_ck, same, ours, ck


def comparisons(quick: bool = False) -> list[Comparison]:
    """Dog and a simulated crowd of 10^5 items (10^4 with ``quick``)."""
    warnings.simplefilter("ignore")
    rows = []
    n_items = 10_000 if quick else 100_000
    for name, answers in [
        ("Dog (real)", load_crowd("dog")[0]),
        (f"simulated, {n_items:,} items", simulated_crowd(n_items)),
    ]:
        t_ours, t_ck, same, _, _ = _compare(answers)
        rows.append(
            Comparison(
                "04/05 aggregation",
                "aggregation.dawid_skene",
                "crowd-kit DawidSkene",
                name,
                t_ours,
                t_ck,
                f"{same:.2%} same labels",
            )
        )
    return rows


def main() -> None:
    warnings.simplefilter("ignore")  # crowd-kit's pandas deprecation warnings
    data_sets = {"Dog (real)": load_crowd("dog")[0], "simulated 10^5 items": simulated_crowd()}
    header = (
        "data",
        "answers",
        "ours (s)",
        "crowd-kit (s)",
        "speed-up",
        "iters ours/ck",
        "same label",
    )
    print("{:<22} {:>8} {:>9} {:>14} {:>9} {:>14} {:>11}".format(*header))
    for name, answers in data_sets.items():
        t_ours, t_ck, same, ours, ck = _compare(answers)
        iters = f"{ours.n_iter}/{len(ck.loss_history_)}"
        print(
            f"{name:<22} {len(answers):>8} {t_ours:>9.3f} {t_ck:>14.3f} {t_ck / t_ours:>8.1f}× "
            f"{iters:>14} {same:>11.2%}"
        )


if __name__ == "__main__":
    main()
