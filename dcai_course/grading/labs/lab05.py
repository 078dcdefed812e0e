"""Lab 05: crowdsourcing quality (kappa, agreement, annotator quality, one EM iteration, and
cleaning a crowd's labels for a fixed model)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import crowdsourcing as ref
from ...aggregation import majority_vote
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close

#: The held-out accuracies of the fixed model that Q7 and Q8 ask for (stated in the lab).
CROWD_THRESHOLDS = {"05.q7": 0.87, "05.q8": 0.895}
#: The simulated crowd of Q7/Q8: honest workers, spammers and label-shifting workers.
CROWD_WORKERS = {"honest": 12, "spammer": 6, "shifted": 4}
CROWD_LABELS_PER_ITEM = 3
CROWD_TRAIN_SIZE = 1200

# --- random crowds ------------------------------------------------------------------------


def _random_votes(rng, n_items, n_workers, k, p_answer=0.6):
    """A vote matrix in which every worker and every item has at least one vote."""
    truth = rng.integers(0, k, n_items)
    accuracy = rng.uniform(0.2, 0.95, n_workers)
    right = rng.random((n_items, n_workers)) < accuracy
    votes = np.where(right, truth[:, None], rng.integers(0, k, (n_items, n_workers)))
    answered = rng.random((n_items, n_workers)) < p_answer
    answered[np.arange(n_items), rng.integers(0, n_workers, n_items)] = True
    answered[rng.integers(0, n_items, n_workers), np.arange(n_workers)] = True
    return np.where(answered, votes, -1), truth


def _random_answers(rng, n_items=None, n_workers=None, k=None):
    """A long answers table with non-contiguous item and worker ids, shuffled rows."""
    n_items = n_items or int(rng.integers(5, 80))
    n_workers = n_workers or int(rng.integers(2, 15))
    k = k or int(rng.integers(2, 6))
    votes, truth = _random_votes(rng, n_items, n_workers, k)
    item_ids = rng.choice(10_000, n_items, replace=False) + 100
    worker_ids = np.array([f"w{x}" for x in rng.choice(1000, n_workers, replace=False)])
    i, j = np.nonzero(votes >= 0)
    answers = pd.DataFrame({"item": item_ids[i], "worker": worker_ids[j], "label": votes[i, j]})
    answers = answers.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)
    return answers, pd.Series(truth, index=item_ids), k


def _as_series(value, what):
    if not isinstance(value, pd.Series):
        raise AssertionError(f"{what} should be a pandas Series, got {type(value).__name__}.")
    return value


def _compare_series(got, expected, what):
    got = _as_series(got, what)
    if set(got.index) != set(expected.index):
        missing = list(set(expected.index) - set(got.index))[:3]
        extra = list(set(got.index) - set(expected.index))[:3]
        raise AssertionError(
            f"{what} should be indexed by the items of the answers (missing e.g. {missing}, "
            f"unexpected e.g. {extra})."
        )
    assert_close(got.loc[expected.index].to_numpy(dtype=float), expected.to_numpy(), what)


# --- Q1: cohen_kappa ----------------------------------------------------------------------


def _q1_example(f, rng):
    assert_close(f(np.array([0, 1, 1, 0, 1]), np.array([0, 1, 0, 0, 0])), 2 / 7,
                 "cohen_kappa([0, 1, 1, 0, 1], [0, 1, 0, 0, 0])")  # fmt: skip


def _q1_perfect(f, rng):
    labels = np.array([0, 2, 1, 1, 2, 0])
    assert_close(f(labels, labels.copy()), 1.0, "the kappa of a rater with itself")
    assert_close(f(np.array([0, 1, 0, 1]), np.array([1, 0, 1, 0])), -1.0,
                 "the kappa of two raters who always disagree")  # fmt: skip


def _q1_undefined(f, rng):
    value = f(np.array([2, 2, 2]), np.array([2, 2, 2]))
    if not (isinstance(value, float | np.floating) and np.isnan(value)):
        raise AssertionError(f"when both raters always give one class, return nan, got {value!r}.")


def _q1_reference(f, rng):
    a = np.random.default_rng(3).integers(0, 4, 200)
    b = np.where(np.random.default_rng(4).random(200) < 0.6, a, 3)
    assert_close(f(a, b), ref.cohen_kappa(a, b), "cohen_kappa on 200 items, 4 classes")


def _q1_hidden(f, rng):
    for _ in range(6):
        k, n = int(rng.integers(2, 9)), int(rng.integers(3, 300))
        a = rng.integers(0, k, n)
        b = np.where(rng.random(n) < rng.uniform(0, 1), a, rng.integers(0, k, n))
        assert_close(f(a, b), ref.cohen_kappa(a, b), f"cohen_kappa on {n} items, {k} classes")


# --- Q2: item_agreement -------------------------------------------------------------------


def _q2_example(f, rng):
    answers = pd.DataFrame(
        {"item": [7, 7, 7, 3, 3], "worker": [1, 2, 3, 1, 2], "label": [0, 0, 1, 1, 0]}
    )
    expected = pd.Series({3: 0.0, 7: 2 / 3})
    _compare_series(f(answers, pd.Series({7: 0, 3: 2})), expected, "item_agreement(...)")


def _q2_reference(f, rng):
    answers, _, _ = _random_answers(np.random.default_rng(1))
    consensus = majority_vote(answers, tie_break="lowest")
    expected = ref.item_agreement(answers, consensus)
    _compare_series(f(answers, consensus), expected, "item_agreement on a random crowd")


def _q2_hidden(f, rng):
    for _ in range(4):
        answers, truth, _ = _random_answers(rng)
        consensus = truth if rng.random() < 0.5 else majority_vote(answers, seed=rng)
        expected = ref.item_agreement(answers, consensus)
        _compare_series(f(answers.copy(), consensus.copy()), expected, "item_agreement")


# --- Q3: annotator_quality ----------------------------------------------------------------


def _compare_quality(got, expected, what):
    if not isinstance(got, pd.DataFrame):
        raise AssertionError(f"{what} should be a pandas DataFrame, got {type(got).__name__}.")
    if not {"accuracy", "n_labels"} <= set(got.columns):
        raise AssertionError(
            f"{what} should have the columns 'accuracy' and 'n_labels', got {list(got.columns)}."
        )
    if set(got.index) != set(expected.index):
        raise AssertionError(
            f"{what} should have one row per worker of the answers ({len(expected)} workers), "
            f"indexed by worker; got {len(got)} rows."
        )
    got = got.loc[expected.index]
    assert_close(
        got["n_labels"].to_numpy(dtype=float),
        expected["n_labels"].to_numpy(float),
        f"{what} n_labels",
    )
    assert_close(
        got["accuracy"].to_numpy(dtype=float), expected["accuracy"].to_numpy(), f"{what} accuracy"
    )


def _q3_example(f, rng):
    answers = pd.DataFrame(
        {"item": [1, 1, 2, 2, 3], "worker": ["a", "b", "a", "b", "c"], "label": [0, 1, 1, 1, 0]}
    )
    expected = pd.DataFrame(
        {"accuracy": [1.0, 0.5, np.nan], "n_labels": [2, 2, 0]}, index=["a", "b", "c"]
    )
    _compare_quality(
        f(answers, pd.Series({1: 0, 2: 1, 9: 0})), expected, "annotator_quality(...) (gold on 1, 2)"
    )


def _q3_reference(f, rng):
    answers, truth, _ = _random_answers(np.random.default_rng(2))
    expected = ref.annotator_quality(answers, truth)
    _compare_quality(f(answers, truth), expected, "annotator_quality against full gold")


def _q3_hidden(f, rng):
    for _ in range(4):
        answers, truth, _ = _random_answers(rng)
        gold = truth.sample(
            frac=float(rng.uniform(0.1, 0.6)), random_state=int(rng.integers(1_000_000))
        )
        gold = pd.concat([gold, pd.Series({-5: 0})])  # an item nobody answered
        expected = ref.annotator_quality(answers, gold)
        _compare_quality(f(answers.copy(), gold.copy()), expected, "annotator_quality on gold")


# --- Q4: E-step ---------------------------------------------------------------------------


def _random_model(rng, n_workers, k):
    priors = rng.dirichlet(np.ones(k))
    confusions = rng.dirichlet(np.ones(k), size=(n_workers, k))
    return priors, confusions


def _check_e_step(f, votes, priors, confusions, what):
    expected = ref.dawid_skene_e_step(votes, priors, confusions)
    got = assert_array(f(votes.copy(), priors.copy(), confusions.copy()), what, kind="fiu")
    if np.isnan(got).any():
        raise AssertionError(
            f"{what} contain NaN: a product of many probabilities underflows to 0 (and 0/0 is "
            "NaN). Add logs instead of multiplying, and subtract each row's maximum."
        )
    assert_close(got, expected, what, atol=1e-8)


def _q4_example(f, rng):
    confusions = np.array([[[0.9, 0.1], [0.2, 0.8]]] * 2)
    votes = np.array([[0, 0], [0, 1], [-1, -1]])
    expected = np.array([[0.81 / 0.85, 0.04 / 0.85], [0.36, 0.64], [0.5, 0.5]])
    got = f(votes, np.array([0.5, 0.5]), confusions)
    assert_close(got, expected, "the posteriors of a 2-worker example", atol=1e-8)


def _q4_reference(f, rng):
    g = np.random.default_rng(5)
    votes, _ = _random_votes(g, 40, 6, 3)
    _check_e_step(f, votes, *_random_model(g, 6, 3), "the posteriors on a random crowd")


def _q4_hidden(f, rng):
    for _ in range(4):
        n, j, k = int(rng.integers(5, 200)), int(rng.integers(2, 30)), int(rng.integers(2, 7))
        votes, _ = _random_votes(rng, n, j, k, p_answer=float(rng.uniform(0.1, 0.9)))
        votes[rng.integers(0, n)] = -1  # an item without votes gets the prior
        _check_e_step(f, votes, *_random_model(rng, j, k), f"the posteriors ({n} items, K={k})")


def _q4_hidden_long(f, rng):
    """Many votes per item: a product of probabilities would underflow without logs."""
    votes, _ = _random_votes(rng, 20, 1000, 4, p_answer=1.0)
    _check_e_step(f, votes, *_random_model(rng, 1000, 4), "the posteriors with 1000 votes per item")


# --- Q5: M-step ---------------------------------------------------------------------------


def _check_m_step(f, votes, posteriors, k, what):
    out = f(votes.copy(), posteriors.copy(), k)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError("dawid_skene_m_step should return a tuple (priors, confusions).")
    priors_ref, confusions_ref = ref.dawid_skene_m_step(votes, posteriors, k)
    priors = assert_array(out[0], f"{what}: priors", shape=priors_ref.shape, kind="fiu")
    confusions = assert_array(out[1], f"{what}: confusions", shape=confusions_ref.shape, kind="fiu")
    if np.isnan(confusions).any():
        raise AssertionError(
            f"{what}: confusions contains NaN. A worker who never answered has all counts 0, "
            "and 0/0 is NaN: clip the counts at 1e-10 before normalising."
        )
    assert_close(priors, priors_ref, f"{what}: priors", atol=1e-8)
    assert_close(confusions, confusions_ref, f"{what}: confusions", atol=1e-8)


def _q5_example(f, rng):
    votes = np.array([[0, 0], [1, 0]])
    out = f(votes, np.array([[1.0, 0.0], [0.0, 1.0]]), 2)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise AssertionError("dawid_skene_m_step should return a tuple (priors, confusions).")
    assert_close(out[0], np.array([0.5, 0.5]), "the priors of a 2-item example", atol=1e-8)
    assert_close(out[1][1], np.array([[1.0, 0.0], [1.0, 0.0]]), "worker 1's confusion matrix",
                 atol=1e-8)  # fmt: skip


def _q5_reference(f, rng):
    g = np.random.default_rng(6)
    votes, _ = _random_votes(g, 50, 5, 3)
    _check_m_step(f, votes, g.dirichlet(np.ones(3), size=50), 3, "on a random crowd")


def _q5_idle_worker(f, rng):
    votes = np.array([[0, -1], [1, -1], [2, -1]])
    posteriors = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    _check_m_step(f, votes, posteriors, 3, "with a worker who never answered (uniform rows)")


def _q5_hidden(f, rng):
    for _ in range(4):
        n, j, k = int(rng.integers(5, 200)), int(rng.integers(2, 30)), int(rng.integers(2, 7))
        votes, _ = _random_votes(rng, n, j, k, p_answer=float(rng.uniform(0.1, 0.9)))
        posteriors = rng.dirichlet(np.full(k, 0.5), size=n)
        _check_m_step(f, votes, posteriors, k, f"on a random crowd ({n} items, K={k})")


# --- Q7/Q8: clean the crowd's labels for a fixed model -------------------------------------


def crowd_task(rng):
    """A train/held-out split of the digits and a simulated crowd on the training part.

    Returns ``X_train, answers, X_test, y_test, y_train``: the crowd's ``answers`` (long
    format; items ``0..n_train-1`` are the rows of ``X_train``) come from
    ``CROWD_WORKERS``: honest workers of accuracies evenly spread from 0.5 to 0.9 (errors
    uniform), spammers who answer uniformly at random, and workers who answer the next
    digit (``(y + 1) % 10``) nine times in ten.
    """
    from ...datasets import load_digits
    from ...noise import simulate_annotators

    X, y = load_digits()
    k = 10
    order = rng.permutation(len(y))
    train, test = order[:CROWD_TRAIN_SIZE], order[CROWD_TRAIN_SIZE:]
    kinds = [kind for kind, n in CROWD_WORKERS.items() for _ in range(n)]
    honest = iter(np.linspace(0.5, 0.9, CROWD_WORKERS["honest"]))
    confusions = np.empty((len(kinds), k, k))
    for w, kind in enumerate(kinds):
        if kind == "honest":
            accuracy = next(honest)
            confusions[w] = (1 - accuracy) / (k - 1)
            np.fill_diagonal(confusions[w], accuracy)
        elif kind == "spammer":
            confusions[w] = 1 / k
        else:
            confusions[w] = 0.1 / (k - 1)
            confusions[w][np.arange(k), (np.arange(k) + 1) % k] = 0.9
    accuracies = np.diagonal(confusions, axis1=1, axis2=2).mean(axis=1)
    answers = simulate_annotators(
        y[train], accuracies, CROWD_LABELS_PER_ITEM, seed=rng, n_classes=k, confusions=confusions
    )
    return X[train], answers, X[test], y[test], y[train]


def crowd_fixed_model():
    """The fixed model of Q7/Q8: standardised pixels, a regularised logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=300))


def crowd_heldout_accuracy(X_train, labels, X_test, y_test):
    """Train the fixed model on the rows whose label is not -1 and score the held-out set."""
    keep = labels >= 0
    model = crowd_fixed_model().fit(X_train[keep], labels[keep])
    return float(model.score(X_test, y_test))


def _check_crowd_labels(labels, n_items):
    labels = assert_array(labels, "crowd_training_labels(X, answers)", shape=(n_items,), kind="iu")
    if ((labels < -1) | (labels > 9)).any():
        raise AssertionError("every label must be a digit 0..9, or -1 to leave the image out.")
    kept = labels >= 0
    if kept.sum() < n_items // 2:
        raise AssertionError(
            f"you kept {int(kept.sum())} of {n_items} images; keep at least half of them."
        )
    if np.unique(labels[kept]).size < 10:
        raise AssertionError("the kept images must include every digit 0..9.")
    return labels


def _crowd_test(threshold):
    def test(f, rng):
        X_train, answers, X_test, y_test, _ = crowd_task(rng)
        labels = _check_crowd_labels(f(X_train.copy(), answers.copy()), len(X_train))
        accuracy = crowd_heldout_accuracy(X_train, labels, X_test, y_test)
        if accuracy < threshold:
            raise AssertionError(
                f"the fixed model trained on your labels scores {accuracy:.3f} on the "
                f"held-out digits; {threshold:.2f} is needed."
            )

    return test


LAB = Lab(
    id="05_crowdsourcing_lab",
    title="Lab 05: crowdsourcing quality",
    questions=[
        Question(
            "05.q1",
            "Cohen's kappa",
            2,
            "cohen_kappa",
            [
                Test("a small example", _q1_example),
                Test("perfect agreement and disagreement", _q1_perfect),
                Test("undefined kappa is nan", _q1_undefined),
                Test("a random pair of raters", _q1_reference),
                Test("random raters", _q1_hidden, hidden=True),
            ],
            hint="p_e is the dot product of the two raters' class frequencies "
            "(np.bincount(..., minlength=K) / n); check p_e == 1 before dividing.",
        ),
        Question(
            "05.q2",
            "Agreement of each item with a consensus",
            2,
            "item_agreement",
            [
                Test("a small example", _q2_example),
                Test("a random crowd", _q2_reference),
                Test("random crowds and consensus labels", _q2_hidden, hidden=True),
            ],
            hint="(answers['label'] == answers['item'].map(consensus)).groupby(answers['item']) "
            "gives each item's answers; take their mean.",
        ),
        Question(
            "05.q3",
            "Annotator quality against a reference",
            2,
            "annotator_quality",
            [
                Test("gold on some items", _q3_example),
                Test("gold on every item", _q3_reference),
                Test("random crowds with partial gold", _q3_hidden, hidden=True),
            ],
            hint="map each answer's item to its reference label; answers whose reference is "
            "NaN do not count. Group by worker; every worker of answers needs a row.",
        ),
        Question(
            "05.q4",
            "The E-step of Dawid-Skene",
            3,
            "dawid_skene_e_step",
            [
                Test("a 2-worker example", _q4_example),
                Test("a random crowd", _q4_reference),
                Test("random crowds", _q4_hidden, hidden=True),
                Test("many votes per item (work in logs)", _q4_hidden_long, hidden=True),
            ],
            hint="sum the clipped logs of confusions[j, :, votes[i, j]] over the workers who "
            "voted, add log(priors), subtract the row maximum, exponentiate and normalise.",
        ),
        Question(
            "05.q5",
            "The M-step of Dawid-Skene",
            3,
            "dawid_skene_m_step",
            [
                Test("a 2-item example", _q5_example),
                Test("a random crowd", _q5_reference),
                Test("a worker who never answered", _q5_idle_worker),
                Test("random crowds", _q5_hidden, hidden=True),
            ],
            hint="counts[j, k, r] = sum_i posteriors[i, k] * (votes[i, j] == r); clip at 1e-10, "
            "then divide each row counts[j, k, :] by its sum. priors = posteriors.mean(axis=0).",
        ),
        Question("05.q6", "Written: which start of EM to report", 2, manual=True),
        *(
            Question(
                qid,
                f"Clean the crowd's labels: held-out accuracy >= {threshold}",
                2,
                "crowd_training_labels",
                [
                    Test("a public crowd", _crowd_test(threshold)),
                    Test("fresh crowds and splits", _crowd_test(threshold), hidden=True),
                ],
                hint="a worker's answers say how reliable they are; some workers carry no "
                "information and some are consistently wrong in the same way.",
                time_limit=120.0,
            )
            for qid, threshold in CROWD_THRESHOLDS.items()
        ),
    ],
)
