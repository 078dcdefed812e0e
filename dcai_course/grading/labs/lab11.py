"""Lab 11: active learning (uncertainty scores, one round of the loop, k-center greedy)."""

from __future__ import annotations

import numpy as np

from ... import active_learning as ref
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays, random_pred_probs

# --- Q1: margin ---------------------------------------------------------------------------


def _scores(f, probs, what):
    return assert_array(f(probs.copy()), what, shape=(probs.shape[0],), kind="fiu")


def _q1_example(f, rng):
    probs = np.array([[0.7, 0.2, 0.1], [0.4, 0.4, 0.2], [1.0, 0.0, 0.0]])
    assert_close(_scores(f, probs, "margin(probs)"), [0.5, 1.0, 0.0], "margin(probs)")


def _q1_column_order(f, rng):
    probs = np.array([[0.1, 0.2, 0.7], [0.25, 0.05, 0.7]])
    assert_close(
        _scores(f, probs, "margin(probs)"),
        [0.5, 0.55],
        "margin of rows whose largest probability is not in the first column",
    )


def _q1_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(1, 400)), int(rng.integers(2, 15))
        probs = random_pred_probs(rng, n, k, concentration=float(rng.uniform(0.2, 2)))
        assert_close(
            _scores(f, probs, "margin(probs)"),
            ref.margin(probs),
            f"margin on {n}x{k} probabilities",
        )


# --- Q2: entropy --------------------------------------------------------------------------


def _q2_example(f, rng):
    probs = np.array([[0.5, 0.5, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
    assert_close(_scores(f, probs, "entropy(probs)"), [np.log(2), np.log(4)], "entropy(probs)")


def _q2_zeros(f, rng):
    probs = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    got = _scores(f, probs, "entropy of certain rows")
    if np.isnan(got).any():
        raise AssertionError(
            "entropy of a row with zeros is NaN: 0 * log(0) must count as 0 "
            "(use np.where, or np.log(p, where=p > 0, out=...))."
        )
    assert_close(got, [0.0, 0.0], "entropy of certain rows")


def _q2_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(1, 400)), int(rng.integers(2, 15))
        probs = random_pred_probs(rng, n, k, concentration=float(rng.uniform(0.2, 2)))
        probs[rng.random(probs.shape) < 0.2] = 0.0  # exact zeros
        probs[probs.sum(axis=1) == 0, 0] = 1.0
        probs /= probs.sum(axis=1, keepdims=True)
        assert_close(
            _scores(f, probs, "entropy(probs)"),
            ref.entropy(probs),
            f"entropy on {n}x{k} probabilities with zeros",
            atol=1e-9,
        )


# --- Q3: one round of the loop ------------------------------------------------------------


def _problem(rng, n=300, d=5, k=3, n_labeled=30):
    centers = rng.normal(0, 2.0, size=(k, d))
    y = rng.integers(0, k, size=n)
    X = centers[y] + rng.normal(size=(n, d))
    labeled = np.zeros(n, dtype=bool)
    for c in range(k):  # every class once, then random
        labeled[rng.choice(np.flatnonzero(y == c))] = True
    extra = rng.choice(np.flatnonzero(~labeled), size=n_labeled - k, replace=False)
    labeled[extra] = True
    return X, y, labeled


def _model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=500)


def _call_round(f, X, y, labeled, batch_size):
    original = labeled.copy()
    out = f(_model(), X, y, labeled, batch_size)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError(
            "active_learning_round should return a tuple (new_labeled, picked_indices)."
        )
    new = assert_array(out[0], "new_labeled", shape=labeled.shape, kind="b")
    picked = assert_array(out[1], "picked_indices", shape=(batch_size,), kind="iu")
    assert_equal_arrays(labeled, original, "the mask you were given (do not modify it in place)")
    if labeled[picked].any():
        raise AssertionError("some picked indices were already labelled: pick from ~labeled only.")
    expected_new = labeled.copy()
    expected_new[picked] = True
    assert_equal_arrays(new, expected_new, "new_labeled (the old mask plus the picked indices)")
    return new, picked


def _check_round(f, X, y, labeled, batch_size):
    _, picked = _call_round(f, X, y, labeled, batch_size)
    _, expected = ref.active_learning_round(_model(), X, y, labeled, batch_size)
    if set(picked.tolist()) != set(expected.tolist()):
        wrong = len(set(picked.tolist()) - set(expected.tolist()))
        raise AssertionError(
            f"{wrong} of the {batch_size} picked examples are not among the {batch_size} "
            "unlabelled examples with the highest margin score."
        )


def _q3_shape(f, rng):
    X, y, labeled = _problem(np.random.default_rng(0))
    new, _ = _call_round(f, X, y, labeled, 10)
    if new.sum() != labeled.sum() + 10:
        raise AssertionError("new_labeled should hold 10 more labelled examples than labeled.")


def _q3_values(f, rng):
    X, y, labeled = _problem(np.random.default_rng(1))
    _check_round(f, X, y, labeled, 15)


def _q3_hidden(f, rng):
    for _ in range(3):
        k = int(rng.integers(2, 6))
        X, y, labeled = _problem(
            rng, n=int(rng.integers(150, 400)), d=int(rng.integers(2, 10)), k=k,
            n_labeled=int(rng.integers(k + 5, 60)),
        )  # fmt: skip
        _check_round(f, X, y, labeled, int(rng.integers(1, 30)))


# --- Q4: k-center greedy ------------------------------------------------------------------


def _check_k_center(f, pool, labeled, batch_size, what):
    got = assert_array(
        f(pool.copy(), labeled.copy(), batch_size), what, shape=(batch_size,), kind="iu"
    )
    assert_equal_arrays(got, ref.k_center_greedy(pool, labeled, batch_size), what)


def _q4_line(f, rng):
    pool = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    _check_k_center(f, pool, np.array([[0.5]]), 2, "k_center_greedy on a line, 2 picks")


def _q4_plane(f, rng):
    pool = np.array([[10.0, 0.0], [0.0, 9.0], [-8.0, 0.0], [1.0, 1.0], [9.0, 1.0]])
    _check_k_center(f, pool, np.array([[0.0, 0.0]]), 4, "k_center_greedy on a plane, 4 picks")


def _q4_hidden(f, rng):
    for _ in range(4):
        n, d = int(rng.integers(20, 400)), int(rng.integers(1, 12))
        pool = rng.normal(size=(n, d)) * rng.uniform(0.5, 5)
        labeled = rng.normal(size=(int(rng.integers(1, 30)), d))
        batch = int(rng.integers(1, min(n, 50)))
        _check_k_center(f, pool, labeled, batch, f"k_center_greedy, {batch} picks from {n}")


def _q4_hidden_duplicates(f, rng):
    pool = np.repeat(rng.normal(size=(3, 2)), 4, axis=0)
    got = assert_array(f(pool, pool[:1], 12), "k_center_greedy on a pool of duplicates", kind="iu")
    if sorted(got.tolist()) != list(range(12)):
        raise AssertionError(
            "with duplicated points, picking the whole pool must return every index once: "
            "never pick a point twice."
        )


LAB = Lab(
    id="11_active_learning_lab",
    title="Lab 11: active learning",
    questions=[
        Question(
            "11.q1",
            "The margin score",
            2,
            "margin",
            [
                Test("a small example", _q1_example),
                Test("the largest probability anywhere in the row", _q1_column_order),
                Test("random probabilities", _q1_hidden, hidden=True),
            ],
            hint="sort each row (np.sort(pred_probs, axis=1)); the two largest are the last two "
            "columns; the score is 1 - (largest - second largest).",
        ),
        Question(
            "11.q2",
            "The entropy score",
            2,
            "entropy",
            [
                Test("uniform rows", _q2_example),
                Test("certain rows (0 log 0 = 0)", _q2_zeros),
                Test("random probabilities with zeros", _q2_hidden, hidden=True),
            ],
            hint="-(p * log p).sum(axis=1) in natural logs, counting 0 * log 0 as 0.",
        ),
        Question(
            "11.q3",
            "One round of the loop",
            3,
            "active_learning_round",
            [
                Test("returns a new mask with batch_size more labels", _q3_shape),
                Test("picks the highest margins", _q3_values),
                Test("random problems", _q3_hidden, hidden=True),
            ],
            hint="fit clone(model) on X_pool[labeled], y_oracle[labeled]; score "
            "X_pool[~labeled] with your margin; np.flatnonzero(~labeled) maps positions in "
            "the unlabelled set back to pool indices.",
        ),
        Question(
            "11.q4",
            "k-center greedy",
            3,
            "k_center_greedy",
            [
                Test("points on a line", _q4_line),
                Test("points on a plane", _q4_plane),
                Test("random layouts", _q4_hidden, hidden=True),
                Test("duplicated points", _q4_hidden_duplicates, hidden=True),
            ],
            hint="keep min_dist[i] = distance from pool point i to its nearest center; pick "
            "argmax(min_dist), then update min_dist with the distances to that new center only "
            "and set min_dist of the pick to -inf.",
        ),
        Question("11.q5", "Written: can you trust this accuracy?", 2, manual=True),
    ],
)
