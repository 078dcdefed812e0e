"""The flywheel ablation of notebook 14 at its earlier, twice larger size, over ten seeds.

Notebook 14 runs the ablation on a 6,000-letter pool (start 1,000 labels, 500 units a
round, 50 pilot reviews) over five seeds, to fit its one-minute budget. This script runs
it as the notebook did before it was shrunk: a 12,000-letter pool, 1,000 validation and
4,000 test letters, a start of 2,000 crowd labels, 1,000 units a round for four rounds,
100 pilot reviews, over ten seeds (each its own split and noise draw). It prints the
final test accuracy of each arm and the credit of each step (mean, 95% interval, paired
count). About 2-3 minutes on an idle 2-core machine; not part of the test suite.

Run: python benchmarks/flywheel_ablation_full.py [--seeds N]
"""

from __future__ import annotations

import argparse

from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dcai_course import curation, datasets, noise
from dcai_course.evidence import mean_ci, paired_count

LETTER_PAIRS = ("OQ", "IJ", "UV", "MN", "CG", "EF", "BR", "HK", "PD", "XY", "SZ", "AT", "LW")
STEPS = (
    ("margin sampling", "more data by margin", "more data"),
    ("pilot reviews", "flywheel forced to more data", "more data by margin"),
    ("decision rule", "flywheel", "flywheel forced to more data"),
    ("reviews only vs random labels", "cleaner data", "more data"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    X, y = datasets.load_letters()
    names = datasets.LETTER_NAMES
    pairs = [(names.index(a), names.index(b)) for a, b in LETTER_PAIRS]
    model = make_pipeline(
        StandardScaler(), KNeighborsClassifier(n_neighbors=10, weights="distance")
    )
    runs = curation.flywheel_ablation(
        model,
        X,
        y,
        noise.class_pair_noise_matrix(26, pairs, 0.3),
        seeds=range(args.seeds),
        split_sizes={"pool_size": 12_000, "val_size": 1_000, "test_size": 4_000},
        initial_size=2_000,
        budget_per_round=1_000,
        n_rounds=4,
        review_cost=2,
        pilot_reviews=100,
    )
    last = runs[runs["round"] == runs["round"].max()]
    final = last.pivot_table(index="seed", columns="strategy", values="test_accuracy")
    print(f"final test accuracy over {args.seeds} seeds (mean [95% interval]):")
    for arm in final:
        print(
            f"  {arm:<30} {mean_ci(final[arm])[0]:.3f} [{mean_ci(final[arm])[1]:.3f}, "
            f"{mean_ci(final[arm])[2]:.3f}]"
        )
    total = (final["flywheel"] - final["more data"]).mean()
    print("credit (points, mean [95% interval], seeds where the step helped, share of the lead):")
    for step, with_, without in STEPS:
        diff = 100 * (final[with_] - final[without])
        mean, low, high = mean_ci(diff)
        wins, n = paired_count(final[with_], final[without])
        print(
            f"  {step:<30} {mean:+.1f} [{low:+.1f}, {high:+.1f}]  {wins} of {n}  "
            f"{diff.mean() / 100 / total:.0%}"
        )


if __name__ == "__main__":
    main()
