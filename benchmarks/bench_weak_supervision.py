"""Time dcai_course.weak_supervision against Snorkel on the same inputs.

Three rows, each the best of 3 wall times, with the ratio Snorkel / ours and whether
the outputs agree:

* ``lf_summary`` (with gold labels) against ``LFAnalysis(L).lf_summary(Y)`` on a random
  label matrix of 10^5 examples x 20 LFs, 3 classes, each LF voting on 30% of them;
* ``apply_lfs`` against ``PandasLFApplier`` with ten keyword LFs on the 1,586 training
  comments of the YouTube split;
* the label models of notebook 04 on the YouTube label matrix of those LFs: our
  ``dawid_skene(abstain_as_vote=True)`` against Snorkel's ``LabelModel`` (500 epochs,
  one torch thread); "agree" is the fraction of the training comments with at least one
  vote that both give the same label.

Run: python benchmarks/bench_weak_supervision.py
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import torch
from _common import Comparison, best_of
from snorkel.labeling import LabelingFunction, LFAnalysis, PandasLFApplier
from snorkel.labeling.model import LabelModel

from dcai_course.aggregation import dawid_skene
from dcai_course.datasets import youtube_spam_splits
from dcai_course.weak_supervision import apply_lfs, lf_summary

PATTERNS = {
    "check_out": (r"check.*out", 1),
    "subscribe": (r"subscri", 1),
    "link": (r"https?:|www\.|\.com\b", 1),
    "please": (r"\bplea?se?\b|\bplz\b", 1),
    "my_channel": (r"\bmy (channel|video|music)", 1),
    "money": (r"money|\$|\bfree\b", 1),
    "song": (r"\bsong", 0),
    "views": (r"\bviews?\b|billion", 0),
    "love": (r"\blove\b", 0),
    "wow": (r"\bwow\b|\bomg\b", 0),
}


def keyword_lfs():
    def vote(x, pattern, label):
        return label if re.search(pattern, x.text, flags=re.IGNORECASE) else -1

    return [
        LabelingFunction(name, vote, resources={"pattern": p, "label": c})
        for name, (p, c) in PATTERNS.items()
    ]


def _random_label_matrix(n, m=20, k=3, seed=0):
    rng = np.random.default_rng(seed)
    L = np.where(rng.random((n, m)) < 0.3, rng.integers(0, k, (n, m)), -1)
    return L, rng.integers(0, k, n)


def _summary_gap(ours, theirs):
    numeric = ours.drop(columns="Polarity").to_numpy(float)
    gap = np.abs(numeric - theirs.drop(columns="Polarity").to_numpy(float)).max()
    return gap, ours["Polarity"].tolist() == theirs["Polarity"].tolist()


def comparisons(quick: bool = False) -> list[Comparison]:
    """lf_summary on 10^5 x 20 (10^4 with ``quick``), and applying ten LFs to 1,586 comments."""
    warnings.simplefilter("ignore")
    n = 10_000 if quick else 100_000
    L, Y = _random_label_matrix(n)
    t_ours, ours = best_of(lambda: lf_summary(L, Y))
    t_snorkel, theirs = best_of(lambda: LFAnalysis(L).lf_summary(Y=Y))
    gap, same_polarity = _summary_gap(ours, theirs)
    rows = [
        Comparison(
            "04 weak supervision",
            "weak_supervision.lf_summary",
            "Snorkel LFAnalysis",
            f"{n:,} x 20 label matrix",
            t_ours,
            t_snorkel,
            f"max difference {gap:.0e}, polarities {'equal' if same_polarity else 'DIFFER'}",
        )
    ]
    train, lfs = youtube_spam_splits().train, keyword_lfs()
    t_ours, L_ours = best_of(lambda: apply_lfs(lfs, train, progress=False))
    t_snorkel, L_snorkel = best_of(lambda: PandasLFApplier(lfs).apply(train, progress_bar=False))
    same = "identical label matrices" if np.array_equal(L_ours, L_snorkel) else "matrices DIFFER"
    rows.append(
        Comparison(
            "04 weak supervision",
            "weak_supervision.apply_lfs",
            "Snorkel PandasLFApplier",
            f"10 LFs x {len(train):,} comments",
            t_ours,
            t_snorkel,
            same,
        )
    )
    return rows


def main() -> None:
    warnings.simplefilter("ignore")  # Snorkel 0.10 with SciPy 1.17 (FutureWarning)
    torch.set_num_threads(1)
    rows = []

    L, Y = _random_label_matrix(100_000)
    t_ours, ours = best_of(lambda: lf_summary(L, Y))
    t_snorkel, theirs = best_of(lambda: LFAnalysis(L).lf_summary(Y=Y))
    gap, same = _summary_gap(ours, theirs)
    rows.append(("lf_summary, 10^5 x 20", t_ours, t_snorkel, f"max diff {gap:.0e}, {same=}"))

    train = youtube_spam_splits().train
    lfs = keyword_lfs()
    t_ours, L_ours = best_of(lambda: apply_lfs(lfs, train, progress=False))
    t_snorkel, L_snorkel = best_of(lambda: PandasLFApplier(lfs).apply(train, progress_bar=False))
    same = "identical" if np.array_equal(L_ours, L_snorkel) else "DIFFER"
    rows.append(("apply 10 LFs, 1,586 comments", t_ours, t_snorkel, same))

    def fit_label_model():
        model = LabelModel(cardinality=2, verbose=False)
        model.fit(L_ours, n_epochs=500, seed=123, progress_bar=False)
        return model.predict(L_ours, tie_break_policy="random")

    t_ours, ds = best_of(lambda: dawid_skene(L_ours, n_classes=2, abstain_as_vote=True))
    t_snorkel, lm = best_of(fit_label_model)
    covered = (L_ours != -1).any(axis=1)
    agree = (ds.labels == lm)[covered].mean()
    rows.append(("label model, YouTube L", t_ours, t_snorkel, f"agree on {agree:.1%} (covered)"))

    table = pd.DataFrame(rows, columns=["task", "ours (s)", "Snorkel (s)", "outputs"])
    ratio = table["Snorkel (s)"] / table["ours (s)"]
    table["speed-up"] = [f"{r:.1f}×" for r in ratio]
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
