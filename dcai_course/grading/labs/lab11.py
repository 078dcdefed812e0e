"""Lab 11: active learning (stopping rule, diverse and capped batches, k-center, a budget)."""

from __future__ import annotations

import numpy as np

from ... import active_learning as ref
from ..open_ended import check_indices, fresh_seeds, held_out_accuracy, require_accuracy
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_equal_arrays, random_pred_probs

# --- reference answers (grader side; the questions forbid calling them) ---------------------


def _ref_stopping_point(accuracies, patience, min_gain):
    acc = np.asarray(accuracies, dtype=float)
    best, since = acc[0], 0
    stop = len(acc) - 1
    for i in range(1, len(acc)):
        if acc[i] >= best + min_gain:
            best, since = acc[i], 0
        else:
            since += 1
            if since == patience:
                stop = i
                break
    return stop, int(np.argmax(acc[: stop + 1]))


def _order(scores):
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


def _ref_diverse_batch(scores, X, batch_size, radius):
    X = np.asarray(X, dtype=float)
    blocked = np.zeros(len(X), dtype=bool)
    picked = []
    for i in _order(scores):
        if len(picked) == batch_size:
            break
        if blocked[i]:
            continue
        picked.append(int(i))
        blocked |= np.linalg.norm(X - X[i], axis=1) < radius
    return np.array(picked, dtype=int)


def _ref_balanced_margin_batch(pred_probs, batch_size):
    probs = np.asarray(pred_probs, dtype=float)
    k = probs.shape[1]
    cap = -(-batch_size // k)
    predicted = probs.argmax(axis=1)
    taken = np.zeros(k, dtype=int)
    picked = []
    order = _order(ref.margin(probs))
    for i in order:
        if len(picked) == batch_size:
            break
        if taken[predicted[i]] < cap:
            taken[predicted[i]] += 1
            picked.append(int(i))
    chosen = set(picked)
    picked += [int(i) for i in order if int(i) not in chosen][: batch_size - len(picked)]
    return np.array(picked, dtype=int)


# --- Q1: a stopping rule ------------------------------------------------------------------


def _stop(f, accuracies, patience, min_gain, what):
    out = f(np.array(accuracies, dtype=float), patience, min_gain)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError(f"{what}: return a tuple (stop_round, best_round).")
    got = tuple(int(v) for v in out)
    expected = _ref_stopping_point(accuracies, patience, min_gain)
    if got != expected:
        raise AssertionError(
            f"{what}: got (stop_round, best_round) = {got}, expected {expected}. Walk the "
            "rounds in order, keep the best accuracy so far, and count the rounds since it "
            "last improved by at least min_gain."
        )


def _q1_example(f, rng):
    acc = [0.60, 0.70, 0.78, 0.80, 0.795, 0.805, 0.80, 0.80, 0.90]
    _stop(f, acc, 2, 0.01, "accuracies rising then flat, patience 2, min_gain 0.01")


def _q1_small_gains(f, rng):
    acc = [0.50, 0.504, 0.508, 0.512, 0.516, 0.52, 0.6]
    _stop(f, acc, 3, 0.01, "gains of 0.004 a round, smaller than min_gain 0.01")


def _q1_never(f, rng):
    _stop(f, [0.2, 0.3, 0.4, 0.5], 2, 0.05, "a curve that keeps rising (no stop)")


def _q1_hidden(f, rng):
    for _ in range(8):
        n = int(rng.integers(2, 30))
        acc = np.cumsum(rng.normal(0.01, 0.02, size=n)) + 0.5
        _stop(
            f, acc, int(rng.integers(1, 5)), float(rng.choice([0.0, 0.005, 0.01, 0.02])),
            f"a random curve of {n} rounds",
        )  # fmt: skip


# --- Q2: a batch without near-copies --------------------------------------------------------


def _diverse(f, scores, X, batch_size, radius, what):
    got = assert_array(f(scores.copy(), X.copy(), batch_size, radius), what, kind="iu")
    expected = _ref_diverse_batch(scores, X, batch_size, radius)
    if got.shape != expected.shape:
        raise AssertionError(
            f"{what}: expected {expected.size} picks, got {got.size}. Take the next "
            "candidate whenever it is at least radius away from every pick so far; return "
            "fewer than batch_size only when the candidates run out."
        )
    assert_equal_arrays(got, expected, f"{what} (picks in the order they are taken)")


def _q2_line(f, rng):
    X = np.array([[0.0], [0.05], [0.1], [3.0], [3.02], [7.0]])
    scores = np.array([0.9, 0.95, 0.8, 0.7, 0.85, 0.1])
    _diverse(f, scores, X, 3, 0.5, "six points on a line, radius 0.5")


def _q2_short(f, rng):
    X = np.zeros((5, 2))
    X[4] = [10.0, 0.0]
    _diverse(f, np.arange(5.0), X, 3, 1.0, "four copies of one point and one other")


def _q2_hidden(f, rng):
    for _ in range(5):
        n, d = int(rng.integers(20, 300)), int(rng.integers(1, 8))
        base = rng.normal(size=(max(n // 5, 1), d)) * 3
        X = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.05, size=(n, d))
        scores = np.round(rng.random(n), 2)  # ties
        _diverse(
            f, scores, X, int(rng.integers(1, 25)), float(rng.uniform(0.1, 2)),
            f"{n} points in {d}-d with near-copies",
        )  # fmt: skip


# --- Q3: margin under class imbalance -------------------------------------------------------


def _balanced(f, probs, batch_size, what):
    got = assert_array(f(probs.copy(), batch_size), what, shape=(batch_size,), kind="iu")
    if np.unique(got).size != got.size:
        raise AssertionError(f"{what}: the picks should be distinct.")
    expected = _ref_balanced_margin_batch(probs, batch_size)
    if set(got.tolist()) != set(expected.tolist()):
        wrong = len(set(got.tolist()) - set(expected.tolist()))
        raise AssertionError(
            f"{what}: {wrong} of the {batch_size} picks differ from the expected batch. Cap "
            "each predicted class at ceil(batch_size / n_classes) while walking the rows by "
            "decreasing margin, then fill any places left with the best remaining margins."
        )


def _q3_example(f, rng):
    probs = np.array(
        [[0.5, 0.4, 0.1], [0.45, 0.45, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]]
    )
    _balanced(f, probs, 3, "five rows, three classes, a batch of 3")


def _q3_fill(f, rng):
    probs = np.array([[0.55, 0.45], [0.6, 0.4], [0.52, 0.48], [0.7, 0.3], [0.1, 0.9]])
    _balanced(f, probs, 4, "class 1 predicted once: its unused places are filled")


def _q3_hidden(f, rng):
    for _ in range(5):
        n, k = int(rng.integers(10, 400)), int(rng.integers(2, 12))
        probs = random_pred_probs(rng, n, k, concentration=float(rng.uniform(0.2, 2)))
        skew = np.ones(k)
        skew[0] = float(rng.uniform(1, 6))  # one class predicted far more often
        probs = probs * skew
        probs /= probs.sum(axis=1, keepdims=True)
        _balanced(f, probs, int(rng.integers(1, min(n, 40) + 1)), f"{n}x{k} skewed probabilities")


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
            "When to stop buying labels",
            2,
            "stopping_point",
            [
                Test("a curve that rises, then wobbles", _q1_example),
                Test("small gains count once they add up to min_gain", _q1_small_gains),
                Test("a curve that never stops rising", _q1_never),
                Test("random curves", _q1_hidden, hidden=True),
            ],
            hint="keep best (the best accuracy so far) and since (rounds since it last "
            "improved); a round improves only if acc >= best + min_gain. Stop at the round where "
            "since reaches patience, or at the last round; best_round is the first argmax of "
            "the accuracies up to and including the stop round.",
            forbids=("dcai_course.grading.labs.lab11._ref_stopping_point",),
        ),
        Question(
            "11.q2",
            "A batch without near-copies",
            3,
            "diverse_batch",
            [
                Test("six points on a line", _q2_line),
                Test("copies run the candidates out", _q2_short),
                Test("random pools with near-copies", _q2_hidden, hidden=True),
            ],
            hint="walk the rows by np.argsort(-scores, kind='stable'); keep a boolean mask of "
            "rows closer than radius to a pick (strictly less); skip masked rows. Distances "
            "are to the picks of this batch only, including the first pick itself.",
            forbids=("dcai_course.grading.labs.lab11._ref_diverse_batch",),
        ),
        Question(
            "11.q3",
            "Margin sampling with a cap per class",
            3,
            "balanced_margin_batch",
            [
                Test("five rows, three classes", _q3_example),
                Test("unused places are filled", _q3_fill),
                Test("skewed random probabilities", _q3_hidden, hidden=True),
            ],
            hint="the predicted class is pred_probs.argmax(axis=1); cap = -(-batch_size // "
            "n_classes); walk by decreasing margin (ties to the lowest index) counting picks "
            "per predicted class, then top up with the best-margin rows not yet picked.",
            forbids=(
                "dcai_course.grading.labs.lab11._ref_balanced_margin_batch",
                "dcai_course.grading.labs.lab11._ref_diverse_batch",
            ),
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
            hint="rank the pool by its margin score (dcai_course.active_learning.margin; "
            "highest first, ties to the lowest index), keep the first 10 * batch_size, run "
            "notebook 11's k-center greedy on those rows only, and map its picks back to pool "
            "indices.",
            forbids=(
                "dcai_course.active_learning.margin_k_center",
                "dcai_course.active_learning.k_center_greedy",
            ),
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
