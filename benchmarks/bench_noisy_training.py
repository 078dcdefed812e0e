"""Filter then train from scratch against cleanlab's CleanLearning, on the same data.

Both start from the same MNIST images (14×14, :func:`noisy_training.downsample_images`)
and the same noisy training labels (30% pair noise: 1/7, 3/8, 4/9, 5/6, 0/2), and both
use the same network, :class:`noisy_training.NoisyMLPClassifier`, for the 3-fold
cross-validated probabilities and for the final fit:

* **ours**: ``label_errors.out_of_sample_pred_probs`` + ``label_errors.find_label_issues``
  (``tiebreak="cleanlab"``) + ``noisy_training.filter_then_train``;
* **cleanlab**: ``CleanLearning(clf, cv_n_folds=3).fit(X, noisy)``, which draws its own
  folds, then prunes by noise rate and refits.

Reported: both wall times (best of ``--repeats``), how many examples each flags, the
fraction of examples on which the two masks agree, and both test accuracies on the
clean test part. The folds differ, so the masks need not be identical; given the same
probabilities they are (notebook 03, section 11).

Run: python benchmarks/bench_noisy_training.py [--repeats 1] [--quick]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _common import Comparison, best_of
from cleanlab.classification import CleanLearning

from dcai_course import label_errors as le
from dcai_course import noisy_training as nt
from dcai_course.datasets import load_mnist
from dcai_course.noise import class_pair_noise_matrix, inject_label_noise

PAIRS = [(1, 7), (3, 8), (4, 9), (5, 6), (0, 2)]


def make_problem(n_train: int, seed: int = 0):
    images, digits = load_mnist(split="test")
    X = nt.downsample_images(images)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(digits))
    train, test = order[:n_train], order[n_train:]
    noisy, _ = inject_label_noise(digits[train], class_pair_noise_matrix(10, PAIRS, 0.3), seed=rng)
    return X[train], noisy, X[test], digits[test]


def network(epochs: int) -> nt.NoisyMLPClassifier:
    return nt.NoisyMLPClassifier(hidden=64, epochs=epochs, batch_size=500, lr=5e-3, seed=0)


def ours(X, noisy, epochs):
    probs = le.out_of_sample_pred_probs(network(epochs), X, noisy, cv=3, seed=0)
    issues = le.find_label_issues(noisy, probs, tiebreak="cleanlab")
    fit, _ = nt.filter_then_train(
        X, noisy, issues, hidden=64, epochs=epochs, batch_size=500, lr=5e-3, seed=0,
        progress=False,
    )  # fmt: skip
    return issues, fit.model


def theirs(X, noisy, epochs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = CleanLearning(
            network(epochs), seed=0, cv_n_folds=3, find_label_issues_kwargs={"n_jobs": 1}
        )
        model.fit(X, noisy)
    return model.label_issues_mask, model


def run(n_train: int, epochs: int, repeats: int) -> dict:
    X, noisy, X_test, y_test = make_problem(n_train)
    nt.train_classifier(X[:50], noisy[:50], epochs=1, progress=False)  # warm-up: torch's first
    # deterministic-mode call loads code for seconds, which neither side should be charged
    t_ours, (mask_ours, model_ours) = best_of(lambda: ours(X, noisy, epochs), repeats)
    t_cl, (mask_cl, model_cl) = best_of(lambda: theirs(X, noisy, epochs), repeats)
    return {
        "n": n_train,
        "t_ours": t_ours,
        "t_cl": t_cl,
        "flag_ours": int(mask_ours.sum()),
        "flag_cl": int(mask_cl.sum()),
        "agree": float(np.mean(mask_ours == mask_cl)),
        "acc_ours": nt.accuracy(model_ours, X_test, y_test),
        "acc_cl": float(model_cl.score(X_test, y_test)),
    }


def comparisons(quick: bool = False) -> list[Comparison]:
    """The headline row: 2,500 training images, 25 epochs (1,000 and 5 with ``quick``)."""
    n, epochs = (1000, 5) if quick else (2500, 25)
    r = run(n, epochs, repeats=1)
    return [
        Comparison(
            "03 noisy labels",
            "out_of_sample_pred_probs + find_label_issues + filter_then_train",
            "cleanlab CleanLearning (cv_n_folds=3, same network)",
            f"MNIST N={n:,}, 30% pair noise",
            r["t_ours"],
            r["t_cl"],
            f"masks agree on {r['agree']:.1%}; test acc ours {r['acc_ours']:.3f}, "
            f"cleanlab {r['acc_cl']:.3f}",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, epochs = (1000, 5) if args.quick else (2500, 25)
    r = run(n, epochs, args.repeats)
    header = ("N", "ours (s)", "cleanlab (s)", "flags ours", "flags cl", "agree", "acc ours")
    print("{:>6} {:>9} {:>13} {:>11} {:>9} {:>7} {:>9} {:>8}".format(*header, "acc cl"))
    print(
        f"{r['n']:>6} {r['t_ours']:>9.2f} {r['t_cl']:>13.2f} {r['flag_ours']:>11} "
        f"{r['flag_cl']:>9} {r['agree']:>7.3f} {r['acc_ours']:>9.3f} {r['acc_cl']:>8.3f}"
    )


if __name__ == "__main__":
    main()
