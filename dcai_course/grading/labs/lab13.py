"""Lab 13: privacy and security of training data (membership inference, a backdoor)."""

from __future__ import annotations

import numpy as np

from ... import privacy as ref
from ..open_ended import check_indices, held_out_accuracy, hidden_seeds, public_seeds
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close

# --- inputs -----------------------------------------------------------------------------------


def _probs(rng: np.random.Generator, n: int, k: int, *, zeros: bool = False) -> np.ndarray:
    """Random probability rows; with ``zeros``, some exact 0s and 1s (as a forest gives)."""
    logits = rng.normal(scale=2.0, size=(n, k))
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    if zeros:
        sure = rng.random(n) < 0.3
        probs[sure] = np.eye(k)[rng.integers(0, k, sure.sum())]
    return probs


def _membership(rng: np.random.Generator, *, ties: bool) -> tuple[np.ndarray, np.ndarray]:
    """Scores of members (shifted up) and non-members; with ``ties``, rounded scores."""
    n_in, n_out = int(rng.integers(50, 600)), int(rng.integers(50, 600))
    scores = np.r_[rng.normal(float(rng.uniform(0, 1.5)), 1, n_in), rng.normal(0, 1, n_out)]
    if ties:
        scores = np.round(scores, 1)
    is_member = np.r_[np.ones(n_in, bool), np.zeros(n_out, bool)]
    order = rng.permutation(scores.size)
    return scores[order], is_member[order]


# --- Q1: loss-threshold scores ----------------------------------------------------------------


def _q1_example(f, rng):
    probs = np.array([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]])
    got = assert_array(f(probs, np.array([0, 0, 0])), "loss_scores", shape=(3,))
    assert_close(got, np.log([0.5, 0.9, 0.2]), "loss_scores of three examples (minus the loss)")


def _q1_zero(f, rng):
    got = assert_array(f(np.array([[1.0, 0.0]]), np.array([1])), "loss_scores", shape=(1,))
    assert_close(got, [np.log(1e-12)], "a probability of 0 (clip it at 1e-12 first)")


def _q1_hidden(f, rng):
    for zeros in (False, True, True):
        n, k = int(rng.integers(20, 500)), int(rng.integers(2, 12))
        probs = _probs(rng, n, k, zeros=zeros)
        labels = rng.integers(0, k, n)
        expected = ref.loss_attack_scores(probs, labels)
        got = assert_array(f(probs.copy(), labels.copy()), "loss_scores", shape=(n,))
        assert_close(got, expected, f"loss_scores of {n} examples, {k} classes", atol=1e-9)


# --- Q2: TPR at a fixed FPR -------------------------------------------------------------------


def _call_tpr(f, scores, is_member, fpr, what):
    got = f(scores.copy(), is_member.copy(), fpr)
    assert_close(float(got), ref.tpr_at_fpr(scores, is_member, fpr), what, atol=1e-12)


def _q2_example(f, rng):
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.1])
    is_member = np.array([True, True, False, True, False])
    _call_tpr(
        f, scores, is_member, 0.0, "tpr_at_fpr with fpr=0 (two members above every non-member)"
    )
    _call_tpr(f, scores, is_member, 0.5, "tpr_at_fpr with fpr=0.5")


def _q2_ties(f, rng):
    scores = np.array([1.0, 1.0, 1.0, 0.5, 0.2, 0.1])
    is_member = np.array([True, True, False, True, False, False])
    _call_tpr(f, scores, is_member, 0.01, "tpr_at_fpr when a non-member ties with the top members")


def _q2_hidden(f, rng):
    for ties in (False, True, True):
        scores, is_member = _membership(rng, ties=ties)
        for fpr in (0.01, 0.1):
            _call_tpr(f, scores, is_member, fpr, f"tpr_at_fpr at FPR {fpr} ({scores.size} scores)")


# --- Q4/Q5: remove a backdoor (open-ended) ----------------------------------------------------

#: Thresholds of Q4/Q5 on held-out data. In a first run over 8 draws the set as given let
#: the trigger through on 0.92 to 0.995 of the triggered test images, a k-NN outlier filter
#: alone on 0.83 to 0.97, the model solution on 0.0 to 0.06 (clean accuracy 0.955 to 0.975,
#: no clean row removed). Over the grader's draws for seeds 1 to 20, the model solution
#: passes Q5 every time and the outlier filter alone fails every time.
MAX_ATTACK_SUCCESS = 0.15
MIN_CLEAN_ACCURACY = 0.94
MAX_CLEAN_REMOVED = {"13.q4": 1.0, "13.q5": 0.03}
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")


def backdoor_model():
    """The fixed model of Q4/Q5: logistic regression on the pixels (scaled to 0..1)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def _backdoor_task(seed: int):
    from sklearn.model_selection import train_test_split

    from ...datasets import load_digits

    rng = np.random.default_rng(seed)
    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(
        X / 16, y, test_size=0.4, random_state=int(rng.integers(2**31)), stratify=y
    )
    corner = CORNERS[int(rng.integers(len(CORNERS)))]
    target = int(rng.integers(10))
    X_p, y_p, poisoned = ref.plant_backdoor(X_tr, y_tr, target, 0.05, seed=rng, corner=corner)
    return X_p, y_p, poisoned, ref.add_trigger(X_te, corner=corner), X_te, y_te, target


def poisoned_digits(seed: int):
    """A poisoned training set and a clean validation split: ``(X_train, y_train, X_valid,
    y_valid)``.

    The digits (pixels scaled to 0..1) are split 60/40 with ``seed``. In the training
    part, 5% of the rows carry a small trigger patch in one corner and were relabelled
    as one target digit (the corner and the target depend on ``seed``). The validation
    part is clean. The grader draws its own seeds, keeps its test split to itself, and
    also measures the attack with the trigger it planted.
    """
    X_p, y_p, _, _, X_te, y_te, _ = _backdoor_task(seed)
    return X_p, y_p, X_te, y_te


def _backdoor(question_id: str, seeds):
    def test(f, rng):
        for seed in seeds(rng):
            X_p, y_p, poisoned, X_trig, X_te, y_te, target = _backdoor_task(seed)
            keep = check_indices(
                f(X_p.copy(), y_p.copy()), len(y_p), "remove_backdoor(X, y)", min_size=100
            )
            model = backdoor_model().fit(X_p[keep], y_p[keep])
            success = ref.attack_success_rate(model.predict(X_trig), y_te, target)
            accuracy = held_out_accuracy(backdoor_model(), X_p[keep], y_p[keep], X_te, y_te)
            removed = 1 - np.isin(np.flatnonzero(~poisoned), keep).mean()
            if success > MAX_ATTACK_SUCCESS:
                raise AssertionError(
                    f"the training set of seed {seed}: the trigger still turns {success:.3f} "
                    f"of the held-out images into a {target}; at most {MAX_ATTACK_SUCCESS} "
                    "is allowed."
                )
            if accuracy < MIN_CLEAN_ACCURACY:
                raise AssertionError(
                    f"the training set of seed {seed}: held-out accuracy {accuracy:.3f} on "
                    f"clean images, below {MIN_CLEAN_ACCURACY}: too many good rows removed?"
                )
            if removed > MAX_CLEAN_REMOVED[question_id]:
                raise AssertionError(
                    f"the training set of seed {seed}: you removed {removed:.3f} of the clean "
                    f"rows; at most {MAX_CLEAN_REMOVED[question_id]} is allowed here."
                )

    return test


LAB = Lab(
    id="13_privacy_and_security_lab",
    title="Lab 13: privacy and security of training data",
    questions=[
        Question(
            "13.q1",
            "Loss-threshold membership scores",
            2,
            "loss_scores",
            [
                Test("three examples", _q1_example),
                Test("a probability of 0", _q1_zero),
                Test("random probabilities", _q1_hidden, hidden=True),
            ],
            hint="take each row's probability of its own label (fancy indexing with "
            "np.arange(n) and the labels), clip it to at least 1e-12, and return its log: "
            "minus the loss, so that higher means 'more likely a member'.",
            forbids=(
                "dcai_course.privacy.loss_attack_scores",
                "dcai_course.privacy.per_example_loss",
            ),
        ),
        Question(
            "13.q2",
            "TPR at a fixed FPR",
            3,
            "tpr_at_fpr",
            [
                Test("a small example", _q2_example),
                Test("tied scores", _q2_ties),
                Test("random scores, with and without ties", _q2_hidden, hidden=True),
            ],
            hint="sort the scores from high to low and compute, at every distinct score "
            "(threshold), the rates of members and non-members at or above it; tied scores "
            "move together, so only the last position of each run of ties is a point of "
            "the curve. Return the largest TPR among the points whose FPR is <= fpr "
            "(the point (0, 0) counts).",
            forbids=(
                "dcai_course.privacy.tpr_at_fpr",
                "dcai_course.privacy.roc_points",
                "dcai_course.privacy.attack_metrics",
            ),
        ),
        Question("13.q3", "Written: duplicates and the low-FPR end", 2, manual=True),
        Question(
            "13.q4",
            "Remove a backdoor: attack success at most 0.15",
            3,
            "remove_backdoor",
            [
                Test("the training set of seed 0", _backdoor("13.q4", public_seeds)),
                Test("two fresh training sets", _backdoor("13.q4", hidden_seeds), hidden=True),
            ],
            hint="k-NN outlier scores find many of the poisoned rows but not all of them; "
            "what do the rows they flag have in common that clean rows lack? Find that "
            "pattern, then look for every row that carries it.",
            time_limit=120.0,
        ),
        Question(
            "13.q5",
            "Remove a backdoor, keeping 97% of the clean rows",
            2,
            "remove_backdoor",
            [
                Test("the training set of seed 0", _backdoor("13.q5", public_seeds)),
                Test("two fresh training sets", _backdoor("13.q5", hidden_seeds), hidden=True),
            ],
            hint="an outlier filter also removes unusual but genuine digits; once you know "
            "the trigger, is the outlier filter still needed?",
            time_limit=120.0,
        ),
    ],
)
