"""Lab 14: model-based data curation (score-based selection, the compression ratio)."""

from __future__ import annotations

import numpy as np

from ... import curation as ref
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

# --- Q1: select_top_fraction --------------------------------------------------------------


def _selected(f, scores, fraction) -> np.ndarray:
    out = assert_array(
        f(np.asarray(scores, dtype=float), fraction), "the selected indices", kind="iu"
    )
    if out.ndim != 1:
        raise AssertionError(f"the selected indices should be 1-D, got shape {out.shape}.")
    return np.sort(out)


def _q1_example(f, rng):
    got = _selected(f, [0.2, 0.9, 0.5, 0.9], 0.5)
    assert_equal_arrays(got, np.array([1, 3]), "select_top_fraction([0.2, 0.9, 0.5, 0.9], 0.5)")


def _q1_all_and_one(f, rng):
    scores = [0.3, 0.1, 0.2]
    assert_equal_arrays(_selected(f, scores, 1.0), np.array([0, 1, 2]), "with fraction 1.0")
    got = _selected(f, scores, 0.01)
    assert_equal_arrays(got, np.array([0]), "with a tiny fraction (at least one example is kept)")


def _q1_ties(f, rng):
    got = _selected(f, [0.5, 0.5, 0.5, 0.5], 0.5)
    assert_equal_arrays(got, np.array([0, 1]), "with tied scores (the earlier examples win)")


def _q1_hidden(f, rng):
    for _ in range(6):
        n = int(rng.integers(5, 400))
        scores = np.round(rng.random(n), 1)  # many ties
        fraction = float(rng.uniform(0.05, 1.0))
        expected = ref.select_top_fraction(scores, fraction)
        assert_equal_arrays(
            _selected(f, scores, fraction),
            expected,
            f"the selection for {n} scores and fraction {fraction:.3f}",
        )


# --- Q2: compression_ratio ----------------------------------------------------------------


def _q2_example(f, rng):
    got = f([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)
    assert_close(
        got, 2.0, "compression_ratio([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)"
    )


def _q2_none(f, rng):
    got = f([0.5, 1.0], [0.6, 0.7], 0.9)
    if not (np.ndim(got) == 0 and np.isnan(float(got))):
        raise AssertionError(
            f"when no fraction reaches the target the result should be nan, got {got!r}."
        )


def _q2_unsorted(f, rng):
    got = f([1.0, 0.25, 0.5], [0.8, 0.81, 0.79], 0.8)
    assert_close(got, 4.0, "with fractions in any order ([1.0, 0.25, 0.5])")


def _q2_hidden(f, rng):
    for _ in range(8):
        m = int(rng.integers(2, 12))
        fractions = rng.permutation(np.round(rng.uniform(0.05, 1.0, m), 3))
        accuracies = np.round(rng.uniform(0.5, 0.95, m), 3)
        target = float(rng.choice(accuracies)) if rng.random() < 0.8 else 0.99
        expected = ref.compression_ratio(fractions, accuracies, target)
        got = f(fractions, accuracies, target)
        if np.isnan(expected):
            if not np.isnan(float(got)):
                raise AssertionError(f"no fraction reaches {target}: expected nan, got {got!r}.")
        else:
            assert_close(got, expected, f"the compression ratio for target {target}", atol=1e-9)


LAB = Lab(
    id="14_model_based_curation_lab",
    title="Lab 14: model-based data curation",
    questions=[
        Question(
            "14.q1",
            "Selecting the top fraction by score",
            3,
            "select_top_fraction",
            [
                Test("a small example", _q1_example),
                Test("all, and at least one", _q1_all_and_one),
                Test("ties keep the earlier examples", _q1_ties),
                Test("random scores and fractions", _q1_hidden, hidden=True),
            ],
            hint="k = max(1, round(fraction * n)); np.argsort(-scores, kind='stable')[:k], sorted.",
        ),
        Question(
            "14.q2",
            "The compression ratio",
            3,
            "compression_ratio",
            [
                Test("a small example", _q2_example),
                Test("no fraction reaches the target", _q2_none),
                Test("fractions in any order", _q2_unsorted),
                Test("random curves", _q2_hidden, hidden=True),
            ],
            hint="keep the fractions whose accuracy >= target; return 1 / their minimum, "
            "or np.nan.",
        ),
        Question("14.q3", "Written: why random subsets of the same size", 2, manual=True),
    ],
)
