"""Time dcai_course.augmentation's SMOTE against imbalanced-learn, and rotations against SciPy.

* SMOTE: ``augmentation.smote`` and ``imblearn.over_sampling.SMOTE`` (both k=5) on the same
  Gaussian data with a 9:1 class ratio. The random draws differ, so agreement is the
  class counts after resampling (must be equal) and the largest difference between the
  means of the two sets of synthetic rows, in units of the features' standard deviation.
* Rotation: ``augmentation.rotate`` (one vectorised call for the whole batch) against
  ``scipy.ndimage.rotate`` image by image (``mode="grid-constant"``) on MNIST test
  images; agreement is the largest absolute pixel difference.

Run: python benchmarks/bench_augmentation.py [--quick]
"""

from __future__ import annotations

import numpy as np
from _common import Comparison, best_of, comparisons_main

from dcai_course import augmentation, datasets

TOPIC = "12 augmentation"


def imbalanced(n: int, d: int = 10, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)
    return rng.normal(size=(n, d)) + 0.8 * y[:, None], y


def smote_row(n: int, repeats: int) -> Comparison:
    from imblearn.over_sampling import SMOTE

    X, y = imbalanced(n)
    t_ours, (X_o, y_o) = best_of(lambda: augmentation.smote(X, y, 5, seed=0), repeats)
    t_lib, (X_l, y_l) = best_of(
        lambda: SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y), repeats
    )
    same_counts = np.array_equal(np.bincount(y_o), np.bincount(y_l))
    gap = np.abs(X_o[n:].mean(0) - X_l[n:].mean(0)).max() / X.std(0).min()
    return Comparison(
        TOPIC,
        "augmentation.smote",
        "imblearn SMOTE",
        f"Gaussian, {n:,} rows, 9:1",
        t_ours,
        t_lib,
        f"counts {'equal' if same_counts else 'DIFFER'}; synthetic means within {gap:.3f} sd",
    )


def rotate_row(n: int, repeats: int) -> Comparison:
    from scipy import ndimage

    images, _ = datasets.load_mnist("test")
    X = images[:n].astype(float) / 255
    angles = np.random.default_rng(0).uniform(-30, 30, n)
    t_ours, ours = best_of(lambda: augmentation.rotate(X, angles), repeats)
    t_ref, ref = best_of(
        lambda: np.stack(
            [
                ndimage.rotate(x, a, reshape=False, order=1, mode="grid-constant")
                for x, a in zip(X, angles, strict=True)
            ]
        ),
        repeats,
    )
    return Comparison(
        TOPIC,
        "augmentation.rotate (batch)",
        "scipy.ndimage.rotate (per image)",
        f"MNIST, {n:,} images",
        t_ours,
        t_ref,
        f"max |difference| {np.abs(ours - ref).max():.1e}",
    )


def comparisons(quick: bool = False) -> list[Comparison]:
    """SMOTE on 100,000 rows (10,000 quick) and rotations of 2,000 MNIST images (500)."""
    repeats = 1 if quick else 3
    return [
        smote_row(10_000 if quick else 100_000, repeats),
        rotate_row(500 if quick else 2_000, repeats),
    ]


def main() -> None:
    comparisons_main(__doc__, comparisons)


if __name__ == "__main__":
    main()
