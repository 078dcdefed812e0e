"""Time dcai_course.noise.inject_label_noise against cleanlab's generate_noisy_labels.

Both corrupt the same labels with the same noise matrix (cleanlab takes its transpose,
noise_matrix[given, true]). cleanlab's function flips an exact number of examples per
pair of classes, like ours with ``exact=True``; ours also offers independent draws
(``exact=False``, the default). Accuracy is the largest difference between each achieved
noise matrix and the requested one: cleanlab truncates each pair's count, so with many
classes its flip rate falls short; ours keeps each class's total flips exact.

Run: python benchmarks/bench_noise.py
"""

from __future__ import annotations

from functools import partial

import numpy as np
from _common import Comparison, best_of
from cleanlab.benchmarking.noise_generation import generate_noisy_labels

from dcai_course.noise import empirical_noise_matrix, inject_label_noise, uniform_noise_matrix


def cleanlab_noise(labels, matrix, seed):
    np.random.seed(seed)  # noqa: NPY002 - cleanlab draws from the global state
    return generate_noisy_labels(labels, matrix.T)


def comparisons(quick: bool = False) -> list[Comparison]:
    """The headline row: N = 10^6 (10^5 with ``quick``), K = 10, exact mode."""
    n, k = (10**5 if quick else 10**6), 10
    labels = np.random.default_rng(0).integers(0, k, size=n)
    matrix = uniform_noise_matrix(k, 0.3)
    t_ours, (ours, _) = best_of(partial(inject_label_noise, labels, matrix, seed=1, exact=True))
    t_cl, theirs = best_of(partial(cleanlab_noise, labels, matrix, 1))
    err_ours = np.abs(empirical_noise_matrix(labels, ours, k) - matrix).max()
    err_theirs = np.abs(empirical_noise_matrix(labels, theirs, k) - matrix).max()
    return [
        Comparison(
            "01 noise",
            "noise.inject_label_noise(exact=True)",
            "cleanlab generate_noisy_labels",
            f"N={n:,}, K={k}",
            t_ours,
            t_cl,
            f"error vs requested matrix: ours {err_ours:.0e}, cleanlab {err_theirs:.0e}",
        )
    ]


def main() -> None:
    header = (
        "N",
        "K",
        "ours exact (s)",
        "ours draws (s)",
        "cleanlab (s)",
        "ratio",
        "ours err",
        "cleanlab err",
    )
    print("{:>9} {:>4} {:>15} {:>15} {:>13} {:>7} {:>9} {:>13}".format(*header))
    for n, k in [(10**5, 10), (10**6, 10), (10**6, 100)]:
        labels = np.random.default_rng(0).integers(0, k, size=n)
        matrix = uniform_noise_matrix(k, 0.3)
        t_exact, (ours, _) = best_of(
            partial(inject_label_noise, labels, matrix, seed=1, exact=True)
        )
        t_draws, _ = best_of(partial(inject_label_noise, labels, matrix, seed=1))
        t_cl, theirs = best_of(partial(cleanlab_noise, labels, matrix, 1))
        err_ours = np.abs(empirical_noise_matrix(labels, ours, k) - matrix).max()
        err_theirs = np.abs(empirical_noise_matrix(labels, theirs, k) - matrix).max()
        ratio = t_exact / t_cl
        row = f"{n:>9} {k:>4} {t_exact:>15.3f} {t_draws:>15.3f} {t_cl:>13.3f}"
        print(f"{row} {ratio:>7.2f} {err_ours:>9.1e} {err_theirs:>13.1e}")


if __name__ == "__main__":
    main()
