"""Time dcai_course.quality's duplicate and outlier detection against cleanlab's Datalab.

Both run on the same features. For each data set and issue type the table gives the time
of each (best of ``--repeats``), how many examples each flags and the share of examples on
which the two flags agree.

* near_duplicate: ours is exact hashing (``find_duplicates(X)``) for integer features and
  a radius graph (``find_duplicates(X, threshold)``) for TF-IDF text; Datalab flags an
  example whose nearest neighbour is closer than 0.13 × the median nearest-neighbour
  distance, from a k=10 nearest-neighbour graph.
* outlier: ours is the mean distance to the 10 nearest neighbours with Tukey's fence at
  the factor Datalab uses (1 / 0.37037 - 1 ≈ 1.7); Datalab scores the same distances.

The data: Letter Recognition (integer features with many identical rows), the YouTube
comments as TF-IDF vectors, digits with 36 planted outliers (as in notebook 06), and
Gaussian blobs with 1% planted copies at growing sizes. ``run_datalab`` runs
``cleanlab.Datalab`` on the same features.

Run: python benchmarks/bench_quality.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import Comparison, best_of

from dcai_course import datasets, quality

FENCE = 1 / 0.37037 - 1


def members(groups, n):
    flags = np.zeros(n, dtype=bool)
    if groups:
        flags[np.concatenate(groups)] = True
    return flags


def planted_digits(seed=0):
    X, _ = datasets.load_digits()
    rng = np.random.default_rng(seed)
    n, m = len(X), 12
    src = rng.choice(n, 3 * m, replace=False)
    shuffled = np.take_along_axis(
        X[src[:m]], rng.permuted(np.tile(np.arange(64), (m, 1)), axis=1), 1
    )
    inverted = 16 - X[src[m : 2 * m]]
    blend = (X[src[2 * m :]] + X[rng.choice(n, m)]) / 2
    return np.vstack([X, shuffled, inverted, blend])


def blobs_with_copies(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 8))
    copies = rng.choice(n, n // 100, replace=False)
    X[copies] = X[rng.choice(n, n // 100)]
    return X


def row(name, issue, n, t_ours, t_theirs, ours, theirs):
    agree = float((ours == theirs).mean())
    return (
        f"{name:<22} {issue:<15} {n:>7} {t_ours:>9.3f} {t_theirs:>11.3f} "
        f"{t_theirs / t_ours:>7.1f}× {ours.sum():>6} {theirs.sum():>8} {agree:>9.4f}"
    )


def comparisons(quick: bool = False) -> list[Comparison]:
    """Exact/near duplicates on Letter Recognition and outliers among the planted digits."""
    repeats = 1 if quick else 3
    n = 5000 if quick else 20_000
    X = datasets.load_letters()[0][:n]
    t_ours, groups = best_of(lambda: quality.find_duplicates(X), repeats)
    t_dl, lab = best_of(
        lambda: quality.run_datalab(X, issue_types=["near_duplicate"], metric="euclidean"), repeats
    )
    agree = (members(groups, n) == lab.issues["is_near_duplicate_issue"].to_numpy()).mean()
    rows = [
        Comparison(
            "06 data-quality audit",
            "quality.find_duplicates",
            "cleanlab Datalab near_duplicate",
            f"letters, {n:,} rows",
            t_ours,
            t_dl,
            f"{agree:.2%} same flags",
        )
    ]
    X = planted_digits()
    t_ours, flags = best_of(
        lambda: quality.flag_outliers(quality.outlier_scores(X, k=10), FENCE), repeats
    )
    t_dl, lab = best_of(
        lambda: quality.run_datalab(X, issue_types=["outlier"], metric="euclidean"), repeats
    )
    agree = (flags == lab.issues["is_outlier_issue"].to_numpy()).mean()
    rows.append(
        Comparison(
            "06 data-quality audit",
            "quality.outlier_scores (k-NN)",
            "cleanlab Datalab outlier",
            f"digits + 36 planted, {len(X):,} rows",
            t_ours,
            t_dl,
            f"{agree:.2%} same flags",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    header = (
        "data",
        "issue",
        "n",
        "ours (s)",
        "Datalab (s)",
        "speed-up",
        "ours",
        "Datalab",
        "agreement",
    )
    print("{:<22} {:<15} {:>7} {:>9} {:>11} {:>8} {:>6} {:>8} {:>9}".format(*header))

    # near-duplicates: exact copies among integer features
    X_letters, _ = datasets.load_letters()
    for n in (5000,) if args.quick else (5000, 20000):
        X = X_letters[:n]
        t_ours, groups = best_of(lambda X=X: quality.find_duplicates(X), repeats)
        t_dl, lab = best_of(
            lambda X=X: quality.run_datalab(X, issue_types=["near_duplicate"], metric="euclidean"),
            repeats,
        )
        flags = lab.issues["is_near_duplicate_issue"].to_numpy()
        print(row("letters", "near_duplicate", n, t_ours, t_dl, members(groups, n), flags))

    # near-duplicates in text (TF-IDF, cosine)
    texts = datasets.load_youtube_spam()["text"].to_numpy(dtype=object)
    tfidf, _ = quality.featurize(texts)
    dense = tfidf.toarray()
    t_ours, groups = best_of(lambda: quality.find_duplicates(texts, 0.1), repeats)
    t_dl, lab = best_of(
        lambda: quality.run_datalab(dense, issue_types=["near_duplicate"], metric="cosine"), repeats
    )
    flags = lab.issues["is_near_duplicate_issue"].to_numpy()
    print(
        row(
            "YouTube (TF-IDF)",
            "near_duplicate",
            len(texts),
            t_ours,
            t_dl,
            members(groups, len(texts)),
            flags,
        )
    )

    # outliers: digits with planted outliers, then growing Gaussian blobs
    cases = [("digits + 36 planted", planted_digits())]
    sizes = (10_000,) if args.quick else (10_000, 30_000)
    cases += [("blobs, 8 features", blobs_with_copies(n)) for n in sizes]
    for name, X in cases:
        t_ours, ours = best_of(
            lambda X=X: quality.flag_outliers(quality.outlier_scores(X, k=10), FENCE), repeats
        )
        t_dl, lab = best_of(
            lambda X=X: quality.run_datalab(X, issue_types=["outlier"], metric="euclidean"), repeats
        )
        print(
            row(
                name,
                "outlier",
                len(X),
                t_ours,
                t_dl,
                ours,
                lab.issues["is_outlier_issue"].to_numpy(),
            )
        )


if __name__ == "__main__":
    main()
