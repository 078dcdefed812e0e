"""Lab 11: active learning (uncertainty scores, the loop, k-center greedy, a labelling budget)."""

from __future__ import annotations

import numpy as np

from ... import active_learning as ref
from ..open_ended import check_indices, fresh_seeds, held_out_accuracy, require_accuracy
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


# --- Q4: margin + k-center ----------------------------------------------------------------


def _check_hybrid(f, probs, pool, labeled, batch_size, what):
    got = assert_array(
        f(probs.copy(), pool.copy(), labeled.copy(), batch_size),
        what,
        shape=(batch_size,),
        kind="iu",
    )
    assert_equal_arrays(got, ref.margin_k_center(probs, pool, labeled, batch_size), what)


def _q4_plane(f, rng):
    pool = np.array([[10.0, 0.0], [0.0, 9.0], [-8.0, 0.0], [1.0, 1.0], [9.0, 1.0], [0.5, 0.5]])
    probs = np.array([[0.5, 0.5], [0.6, 0.4], [0.55, 0.45], [0.9, 0.1], [0.52, 0.48], [1.0, 0.0]])
    _check_hybrid(f, probs, pool, np.array([[0.0, 0.0]]), 1, "margin_k_center, 1 pick of 6")


def _q4_candidates(f, rng):
    r = np.random.default_rng(4)
    pool, probs = r.normal(size=(60, 3)), random_pred_probs(r, 60, 4, concentration=0.5)
    _check_hybrid(f, probs, pool, r.normal(size=(5, 3)), 3, "margin_k_center, 3 picks of 60")


def _q4_hidden(f, rng):
    for _ in range(4):
        n, d, k = int(rng.integers(40, 400)), int(rng.integers(1, 12)), int(rng.integers(2, 10))
        pool = rng.normal(size=(n, d)) * rng.uniform(0.5, 5)
        probs = random_pred_probs(rng, n, k, concentration=float(rng.uniform(0.2, 2)))
        labeled = rng.normal(size=(int(rng.integers(1, 30)), d))
        batch = int(rng.integers(1, min(n // 10, 20) + 1))
        _check_hybrid(f, probs, pool, labeled, batch, f"margin_k_center, {batch} picks from {n}")


# --- Q6/Q7: spend a labelling budget (open-ended) ------------------------------------------

#: Labels to buy, labels given at the start, and the thresholds on the mean held-out
#: accuracy over the grader's 5 pools. Measured over 30 pools: random picks average 0.83
#: (the mean of 5 consecutive pools is at most 0.847); the model solution averages 0.89
#: (the mean of 5 consecutive pools is at least 0.874).
BUDGET, N_START = 60, 20
BUDGET_THRESHOLDS = {"11.q6": 0.855, "11.q7": 0.865}


def budget_model():
    """The fixed model of Q6/Q7: logistic regression on the pixels (scaled to 0..1)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def labeling_task(seed: int):
    """A pool to label from: ``(X_pool, labeled, y_labeled, y_pool, X_test, y_test)``.

    The digits (pixels scaled to 0..1) are split 65/35 with ``seed``. The pool is the
    training part plus 40 of its images copied 40 times each with a little jitter (a
    redundant pool, as when many near-identical items are scraped) and 40 junk images
    of random pixels whose "true" labels are random; its rows are shuffled. ``labeled``
    holds 20 indices of ordinary pool digits whose labels ``y_labeled`` are known. The
    learner sees ``X_pool``, ``labeled`` and ``y_labeled``; ``y_pool`` (the oracle) and
    the test split stay with the grader.
    """
    from sklearn.model_selection import train_test_split

    from ...datasets import load_digits

    rng = np.random.default_rng(seed)
    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X / 16, y, test_size=0.35, random_state=int(rng.integers(2**31)), stratify=y
    )
    sources = np.repeat(rng.choice(len(y_tr), 40, replace=False), 40)
    copies = X_tr[sources] + rng.normal(0, 0.02, size=(sources.size, X.shape[1]))
    junk = rng.random((40, X.shape[1]))
    X_pool = np.vstack([X_tr, copies, junk])
    y_pool = np.concatenate([y_tr, y_tr[sources], rng.integers(0, 10, 40)])
    order = rng.permutation(len(y_pool))
    X_pool, y_pool = X_pool[order], y_pool[order]
    ordinary = np.flatnonzero(order < len(y_tr))
    labeled = rng.choice(ordinary, N_START, replace=False)
    return X_pool, labeled, y_pool[labeled], y_pool, X_te, y_te


def _budget(question_id: str, seeds):
    def test(f, rng):
        scores, chosen = [], seeds(rng)
        for seed in chosen:
            X_pool, labeled, y_labeled, y_pool, X_test, y_test = labeling_task(seed)
            picked = check_indices(
                f(X_pool.copy(), labeled.copy(), y_labeled.copy(), BUDGET),
                len(y_pool),
                "choose_labels(X_pool, labeled, y_labeled, budget)",
                max_size=BUDGET,
                exclude=labeled,
            )
            train = np.concatenate([labeled, picked])
            scores.append(
                held_out_accuracy(budget_model(), X_pool[train], y_pool[train], X_test, y_test)
            )
        require_accuracy(
            float(np.mean(scores)),
            BUDGET_THRESHOLDS[question_id],
            f"mean over the pools of seeds {', '.join(map(str, chosen))}",
        )

    return test


def _public_seeds(rng):
    return [0, 1, 2, 3, 4]


def _hidden_seeds(rng):
    return fresh_seeds(rng, 5)


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
            "Uncertain, but spread out",
            3,
            "margin_k_center",
            [
                Test("six points on a plane", _q4_plane),
                Test("60 random points", _q4_candidates),
                Test("random layouts", _q4_hidden, hidden=True),
            ],
            hint="rank the pool by your margin score (highest first, ties to the lowest "
            "index), keep the first 10 * batch_size, run notebook 11's k-center greedy on "
            "those rows only, and map its picks back to pool indices.",
        ),
        Question("11.q5", "Written: can you trust this accuracy?", 2, manual=True),
        Question(
            "11.q6",
            "Spend a labelling budget: held-out accuracy 0.855",
            3,
            "choose_labels",
            [
                Test("the pools of seeds 0 to 4", _budget("11.q6", _public_seeds)),
                Test("five fresh pools", _budget("11.q6", _hidden_seeds), hidden=True),
            ],
            hint="look at the pool before you spend: is every row a digit, and are the rows "
            "all different? One batch chosen by a model trained on 20 labels is a cold start; "
            "compare your choices with random picks on the validation pools.",
            time_limit=180.0,
        ),
        Question(
            "11.q7",
            "Spend a labelling budget: held-out accuracy 0.865",
            2,
            "choose_labels",
            [
                Test("the pools of seeds 0 to 4", _budget("11.q7", _public_seeds)),
                Test("five fresh pools", _budget("11.q7", _hidden_seeds), hidden=True),
            ],
            hint="the picks should cover the digits that are typical of the pool, once each, "
            "and skip what would waste a label.",
            time_limit=180.0,
        ),
    ],
)
