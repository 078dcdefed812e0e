"""Time dcai_course.privacy's attack metrics against scikit-learn's ROC functions.

Membership scores of many examples (members shifted up, scores rounded so that ties
occur, as with a random forest's probabilities of 1) are scored by ours and by
scikit-learn on the same inputs:

* AUC: ``privacy.roc_auc`` against ``sklearn.metrics.roc_auc_score``;
* TPR at 1% FPR: ``privacy.tpr_at_fpr`` against ``roc_curve`` read as Carlini et al.
  (S&P 2022) do, the largest TPR among the points with FPR <= 1%;
* the loss attack's scores: ``privacy.per_example_loss`` summed against
  ``sklearn.metrics.log_loss(normalize=False)``.

Run: python benchmarks/bench_privacy.py [--quick]
"""

from __future__ import annotations

import numpy as np
from _common import Comparison, best_of, comparisons_main
from sklearn.metrics import log_loss, roc_auc_score, roc_curve

from dcai_course import privacy

TOPIC = "13 privacy and security"


def membership_scores(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` members and ``n`` non-members; scores rounded to 2 decimals (ties)."""
    rng = np.random.default_rng(seed)
    scores = np.round(np.r_[rng.normal(0.5, 1, n), rng.normal(0, 1, n)], 2)
    return scores, np.r_[np.ones(n, bool), np.zeros(n, bool)]


def sklearn_tpr(scores, is_member, fpr=0.01):
    fprs, tprs, _ = roc_curve(is_member, scores)
    return float(tprs[fprs <= fpr].max())


def _agreement(ours: float, theirs: float) -> str:
    diff = abs(ours - theirs)
    return f"|diff| {diff:.1e}" if diff < 1e-9 else f"DIFFER by {diff:.3g}"


def comparisons(quick: bool = False) -> list[Comparison]:
    """AUC, TPR at 1% FPR and the summed loss, ours against scikit-learn."""
    repeats = 1 if quick else 5
    n = 20_000 if quick else 200_000
    scores, member = membership_scores(n)
    data = f"{2 * n:,} membership scores with ties"
    t_ours, auc = best_of(lambda: privacy.roc_auc(scores, member), repeats)
    t_sk, auc_sk = best_of(lambda: roc_auc_score(member, scores), repeats)
    rows = [
        Comparison(
            TOPIC,
            "privacy.roc_auc",
            "sklearn roc_auc_score",
            data,
            t_ours,
            t_sk,
            _agreement(auc, auc_sk),
        )
    ]
    t_ours, tpr = best_of(lambda: privacy.tpr_at_fpr(scores, member, 0.01), repeats)
    t_sk, tpr_sk = best_of(lambda: sklearn_tpr(scores, member), repeats)
    rows.append(
        Comparison(
            TOPIC,
            "privacy.tpr_at_fpr (1%)",
            "sklearn roc_curve",
            data,
            t_ours,
            t_sk,
            _agreement(tpr, tpr_sk),
        )
    )
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(10), size=n)
    labels = rng.integers(0, 10, n)
    t_ours, loss = best_of(lambda: privacy.per_example_loss(probs, labels).sum(), repeats)
    t_sk, loss_sk = best_of(
        lambda: log_loss(labels, probs, normalize=False, labels=range(10)), repeats
    )
    rows.append(
        Comparison(
            TOPIC,
            "privacy.per_example_loss",
            "sklearn log_loss",
            f"{n:,} × 10 probabilities",
            t_ours,
            t_sk,
            _agreement(loss / n, loss_sk / n),
        )
    )
    return rows


def main() -> None:
    comparisons_main(__doc__, comparisons)


if __name__ == "__main__":
    main()
