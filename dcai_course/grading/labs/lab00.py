"""A practice question for notebook 00: how ``check(...)`` reports on an answer.

It belongs to no graded lab: notebook 00 uses it to show the lab workflow without
printing the answer to a graded question.
"""

from __future__ import annotations

import numpy as np

from ..spec import Lab, Question, Test
from ..testing import assert_close


def _expected(labels, predictions):
    return float(np.mean(np.asarray(labels) == np.asarray(predictions)))


def _small(f, rng):
    labels, predictions = np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2])
    assert_close(f(labels, predictions), 0.75, "accuracy([0, 1, 1, 2], [0, 1, 2, 2])")


def _perfect(f, rng):
    labels = np.arange(5)
    assert_close(f(labels, labels.copy()), 1.0, "accuracy of perfect predictions")


def _hidden(f, rng):
    for _ in range(3):
        n, k = int(rng.integers(5, 500)), int(rng.integers(2, 10))
        labels, predictions = rng.integers(0, k, size=n), rng.integers(0, k, size=n)
        assert_close(
            f(labels, predictions), _expected(labels, predictions), f"accuracy on {n} examples"
        )


LAB = Lab(
    id="00_practice",
    title="Practice question for notebook 00 (not graded)",
    questions=[
        Question(
            "00.q1",
            "Practice: accuracy",
            1,
            "accuracy",
            [
                Test("four examples", _small),
                Test("perfect predictions", _perfect),
                Test("random labels", _hidden, hidden=True),
            ],
            hint="accuracy is a fraction of the examples, between 0 and 1, not a count.",
        )
    ],
)
