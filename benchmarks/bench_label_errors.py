"""Time dcai_course.label_errors.find_label_issues against cleanlab's, on the same inputs.

Both run with ``filter_by="prune_by_noise_rate"`` (the default of both) and ours with
``tiebreak="cleanlab"``, so the two masks must be identical; cleanlab runs with
``n_jobs=1`` (one process, as ours). The inputs are synthetic but realistic: softmax
probabilities of a model that favours the true class, and 20% of the given labels
flipped uniformly.

Each time is the best of ``--repeats`` runs, ours and cleanlab's interleaved so that a
busy machine slows both alike. Peak memory is measured in a separate run with
``tracemalloc`` (NumPy reports its buffers to it) and given in copies of ``pred_probs``
(N × K × 8 bytes), on top of the inputs.

With ``--tiebreak``, it instead reports how often the paper's and cleanlab's tie-break
rules for the confident joint disagree (cleanlab issues #737 and #823): on issue #737's
example, on notebook 02's digits settings and on the published probabilities of four
real test sets (see benchmarks/MAINTAINERS.md, section 02).

Run: python benchmarks/bench_label_errors.py [--repeats 3] [--filter-by both] [--tiebreak]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
import warnings

import numpy as np
from _common import Comparison, best_of
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues

from dcai_course import datasets, noise
from dcai_course.label_errors import (
    FILTER_BY,
    find_label_issues,
    out_of_sample_pred_probs,
    per_class_thresholds,
)

SIZES = [(10**4, 10), (10**5, 10), (10**6, 10), (10**5, 100)]


def make_problem(n: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), true] += 2.5
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    given = np.where(rng.random(n) < 0.2, rng.integers(0, k, size=n), true)
    return given, probs


def ours(labels, probs, filter_by):
    return find_label_issues(labels, probs, filter_by=filter_by, tiebreak="cleanlab")


def theirs(labels, probs, filter_by):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cleanlab_find_label_issues(labels, probs, filter_by=filter_by, n_jobs=1)


def timed(fn, *args):
    gc.collect()
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def peak_copies(fn, labels, probs, filter_by) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fn(labels, probs, filter_by)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / probs.nbytes


def comparisons(quick: bool = False) -> list[Comparison]:
    """The headline row: N = 10^6 (10^5 with ``quick``), K = 10, prune_by_noise_rate."""
    n, k = (10**5 if quick else 10**6), 10
    labels, probs = make_problem(n, k)
    t_ours, mask_ours = best_of(lambda: ours(labels, probs, "prune_by_noise_rate"))
    t_cl, mask_cl = best_of(lambda: theirs(labels, probs, "prune_by_noise_rate"))
    differ = int((mask_ours != mask_cl).sum())
    return [
        Comparison(
            "02 confident learning",
            'label_errors.find_label_issues(tiebreak="cleanlab")',
            "cleanlab.filter.find_label_issues (n_jobs=1)",
            f"N={n:,}, K={k}",
            t_ours,
            t_cl,
            "identical masks" if differ == 0 else f"masks differ on {differ}",
        )
    ]


def counted_differently(labels: np.ndarray, probs: np.ndarray) -> int:
    """Examples that reach several thresholds while their arg-max class reaches none: the
    only ones that the paper's rule and cleanlab's count in different cells."""
    reach = probs >= per_class_thresholds(labels, probs) - 1e-6  # cleanlab's 1e-6 slack
    top = probs.argmax(axis=1)
    return int(((reach.sum(axis=1) > 1) & ~reach[np.arange(len(top)), top]).sum())


def tiebreak_report() -> None:
    """The tie-break forensics that used to sit in notebook 02, section 4."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    t, p = np.array([0.5, 0.2, 0.2]), np.array([0.40, 0.35, 0.25])
    passes = p >= t
    print(f"issue #737: thresholds {t}, probabilities {p}: passes {np.flatnonzero(passes)}")
    print(f"  paper counts it as {np.where(passes, p, -1).argmax()}, cleanlab as {p.argmax()}")
    X, y = datasets.load_digits()
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000))
    matrices = {
        "uniform": noise.uniform_noise_matrix(10, 0.3),
        "class-pair": noise.class_pair_noise_matrix(10, [(1, 7), (3, 8), (4, 9), (5, 6)], 0.3),
    }
    for kind, matrix in matrices.items():
        noisy, _ = noise.inject_label_noise(y_train, matrix, seed=0)
        probs = out_of_sample_pred_probs(model, X_train, noisy, cv=5, seed=0)
        print(
            f"digits, {kind} noise (notebook 02, seed 0): "
            f"{counted_differently(noisy, probs)} of {len(noisy)} counted differently"
        )
    for name in datasets.LABEL_ERROR_SETS:
        labels, probs, _ = datasets.load_label_errors(name)
        print(
            f"{name} test set (published pred_probs): "
            f"{counted_differently(labels, probs)} of {len(labels)} counted differently"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--filter-by", default="prune_by_noise_rate", choices=FILTER_BY)
    parser.add_argument("--tiebreak", action="store_true", help="tie-break forensics only")
    args = parser.parse_args()
    if args.tiebreak:
        tiebreak_report()
        return
    print(f"filter_by={args.filter_by!r}, best of {args.repeats} runs\n")
    header = ("N", "K", "ours (s)", "cleanlab (s)", "ratio", "same mask", "flagged")
    header += ("ours peak", "cleanlab peak")
    print("{:>9} {:>4} {:>9} {:>13} {:>6} {:>10} {:>8} {:>10} {:>14}".format(*header))
    for n, k in SIZES:
        labels, probs = make_problem(n, k)
        t_ours, t_theirs = [], []
        for _ in range(args.repeats):
            t, mask_ours = timed(ours, labels, probs, args.filter_by)
            t_ours.append(t)
            t, mask_theirs = timed(theirs, labels, probs, args.filter_by)
            t_theirs.append(t)
        same = bool(np.array_equal(mask_ours, mask_theirs))
        mem_ours = peak_copies(ours, labels, probs, args.filter_by)
        mem_theirs = peak_copies(theirs, labels, probs, args.filter_by)
        best_ours, best_theirs = min(t_ours), min(t_theirs)
        print(
            f"{n:>9} {k:>4} {best_ours:>9.3f} {best_theirs:>13.3f} "
            f"{best_ours / best_theirs:>6.2f} {same!s:>10} {int(mask_ours.sum()):>8} "
            f"{mem_ours:>9.2f}x {mem_theirs:>13.2f}x"
        )
    print("\nratio = ours / cleanlab (below 1: ours is faster); peak = extra memory at the")
    print("peak, in copies of pred_probs.")


if __name__ == "__main__":
    main()
