"""Lab 09: fairness and bias in data (group rates, fairness gaps, reweighing, a data fix)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import fairness as ref
from ..open_ended import hidden_seeds, public_seeds
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_keys

RATE_COLUMNS = ["selection_rate", "true_positive_rate", "false_positive_rate"]
GAP_KEYS = {"dp_difference", "dp_ratio", "eo_difference"}

# --- random inputs --------------------------------------------------------------------------


def _random_case(rng, n=None, k=None):
    n = int(rng.integers(50, 5000)) if n is None else n
    k = int(rng.integers(2, 6)) if k is None else k
    names = np.array(["Amber", "Blue", "Coral", "Dune", "Ember"][:k])
    groups = names[rng.choice(k, size=n, p=rng.dirichlet(np.ones(k) * 2))]
    groups[:k] = names  # every group present
    base = rng.uniform(0.1, 0.5, size=k)[np.searchsorted(names, groups)]
    y = (rng.random(n) < base).astype(np.int64)
    y[: 2 * k : 2], y[1 : 2 * k : 2] = 0, 1
    groups[: 2 * k] = np.repeat(names, 2)  # every (group, label) pair present
    pred = np.where(rng.random(n) < rng.uniform(0.6, 0.9), y, 1 - y).astype(np.int64)
    return y, pred, groups


def _small():
    y = np.array([1, 0, 1, 0, 1, 0, 0, 0])
    pred = np.array([1, 1, 0, 0, 1, 0, 0, 1])
    groups = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    return y, pred, groups


# --- Q1: rates per group --------------------------------------------------------------------


def _check_rates(got, y, pred, groups, what):
    if not isinstance(got, pd.DataFrame):
        raise AssertionError(f"{what} should be a pandas DataFrame, got {type(got).__name__}.")
    expected = ref.group_metrics(y, pred, sensitive_features=groups)[RATE_COLUMNS]
    missing = [c for c in RATE_COLUMNS if c not in got.columns]
    if missing:
        raise AssertionError(f"{what} lacks the column(s) {missing}; it has {list(got.columns)}.")
    if [str(i) for i in got.index] != [str(i) for i in expected.index]:
        raise AssertionError(
            f"{what} should have one row per group, sorted: {list(expected.index)}; "
            f"got the index {list(got.index)}."
        )
    for col in RATE_COLUMNS:
        assert_close(got[col].to_numpy(dtype=float), expected[col].to_numpy(), f"{what}[{col!r}]")


def _q1_small(f, rng):
    y, pred, groups = _small()
    _check_rates(f(y, pred, groups), y, pred, groups, "group_rates on the 8-person example")


def _q1_empty_denominator(f, rng):
    y = np.array([0, 0, 1, 1, 0])
    pred = np.array([1, 0, 1, 0, 0])
    groups = np.array(["a", "a", "b", "b", "b"])
    _check_rates(
        f(y, pred, groups), y, pred, groups, "group_rates when group 'a' has no positive example"
    )


def _q1_hidden(f, rng):
    for _ in range(4):
        y, pred, groups = _random_case(rng)
        _check_rates(f(y, pred, groups), y, pred, groups, f"group_rates on {y.size} people")


# --- Q2: the gaps -----------------------------------------------------------------------------


def _check_gaps(got, y, pred, groups, what):
    assert_keys(got, GAP_KEYS, what)
    expected = ref.fairness_report(y, pred, sensitive_features=groups)
    for key in sorted(GAP_KEYS):
        assert_close(float(got[key]), expected[key], f"{what}[{key!r}]", atol=1e-9)


def _q2_small(f, rng):
    y, pred, groups = _small()
    _check_gaps(f(y, pred, groups), y, pred, groups, "fairness_gaps on the 8-person example")


def _q2_hidden(f, rng):
    for _ in range(4):
        y, pred, groups = _random_case(rng)
        _check_gaps(f(y, pred, groups), y, pred, groups, f"fairness_gaps on {y.size} people")


# --- Q3: reweighing ---------------------------------------------------------------------------


def _q3_small(f, rng):
    y = np.array([1, 1, 1, 0, 1, 0, 0, 0])
    groups = np.array(["a"] * 4 + ["b"] * 4)
    got = assert_array(f(y, groups), "reweighing_weights(y, groups)", shape=(8,), kind="fiu")
    assert_close(got, ref.reweighing_weights(y, groups), "reweighing_weights on 8 people")


def _q3_independent(f, rng):
    y, _, groups = _random_case(rng, n=2000, k=3)
    w = assert_array(f(y, groups), "the weights", shape=y.shape, kind="fiu").astype(float)
    for g in np.unique(groups):
        m = groups == g
        rate = np.average(y[m], weights=w[m])
        if abs(rate - y.mean()) > 1e-6:
            raise AssertionError(
                f"with your weights group {g!r} has a weighted base rate of {rate:.4f}; "
                f"reweighing should give every group the overall rate {y.mean():.4f}."
            )


def _q3_hidden(f, rng):
    for _ in range(4):
        y, _, groups = _random_case(rng)
        got = assert_array(f(y, groups), "the weights", shape=y.shape, kind="fiu")
        assert_close(got, ref.reweighing_weights(y, groups), f"reweighing_weights on {y.size}")


# --- Q5/Q6: fix a flawed training set (open-ended) ------------------------------------------

#: (largest equalized odds difference, smallest accuracy) on the held-out split. Measured
#: over 15 draws: the training set as given scores 0.30 to 0.42 at accuracy 0.841 to
#: 0.850; the model solution 0.051 to 0.109 at 0.840 to 0.850 (clean labels: about 0.07
#: to 0.15). Predicting 0 for everybody has no gap and an accuracy of about 0.76.
FIX_THRESHOLDS = {"09.q5": (0.25, 0.83), "09.q6": (0.15, 0.83)}
#: The group whose labels are corrupted, and how: 40% of its 1s were recorded as 0.
NOISE = {"Female": (0.4, 0.0)}


def fixed_model():
    """The fixed model of Q5/Q6: logistic regression (liblinear) on Adult's features."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(solver="liblinear")


def flawed_adult(seed: int):
    """A flawed training set, a clean validation split, and a held-out split.

    Returns ``(X, y, groups, X_valid, y_valid, groups_valid, X_test, y_test, groups_test)``:
    a stratified draw of pooled Adult (10,000 rows to train, 5,000 to validate, 15,000
    held out) as model features, with the ``sex`` column as the groups. In the training
    labels, one group's labels were recorded badly (see :data:`NOISE`); the validation
    and held-out labels are as in the census. The grader draws its own seeds and keeps the
    held-out split to itself.
    """
    rng = np.random.default_rng(seed)
    frame, y = ref.adult_fairness_data()
    split = ref.adult_split(frame, y, "sex", rng, n_train=10_000, n_valid=5_000, n_test=15_000)
    (X, y_tr, a_tr), (X_va, y_va, a_va), (X_te, y_te, a_te) = (
        split[k] for k in ("train", "valid", "test")
    )
    a_tr, a_va, a_te = (a.astype(str) for a in (a_tr, a_va, a_te))
    noisy, _ = ref.inject_group_noise(y_tr, a_tr, NOISE, seed=rng)
    return X, noisy, a_tr, X_va, y_va, a_va, X_te, y_te, a_te


def check_fix(value, n_rows: int):
    """The learner's ``(rows, labels, weights)``, checked; raises ``AssertionError``."""
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise AssertionError(
            "fix_training_data should return a tuple (rows, labels, weights); "
            f"got {type(value).__name__}."
        )
    rows = assert_array(value[0], "rows", kind="iu")
    if rows.ndim != 1 or rows.size < 100:
        raise AssertionError(
            f"rows should be a 1-D array of at least 100 row indices, got shape {rows.shape}."
        )
    if rows.min() < 0 or rows.max() >= n_rows:
        raise AssertionError(f"rows: every index must lie in 0..{n_rows - 1}.")
    labels = assert_array(value[1], "labels", shape=rows.shape, kind="biu").astype(np.int64)
    if not np.isin(labels, (0, 1)).all():
        raise AssertionError("labels must be 0 or 1, one per returned row.")
    if np.unique(labels).size < 2:
        raise AssertionError("labels hold a single class; the model needs both.")
    weights = value[2]
    if weights is not None:
        weights = assert_array(weights, "weights", shape=rows.shape, kind="fiu").astype(float)
        if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
            raise AssertionError("weights must be finite, non-negative and not all zero.")
    return rows, labels, weights


def _fix_test(question_id: str, seeds):
    max_eo, min_accuracy = FIX_THRESHOLDS[question_id]

    def test(f, rng):
        for seed in seeds(rng):
            *given, X_te, y_te, a_te = flawed_adult(seed)
            rows, labels, weights = check_fix(f(*(a.copy() for a in given)), len(given[1]))
            model = fixed_model().fit(given[0][rows], labels, sample_weight=weights)
            report = ref.fairness_report(y_te, model.predict(X_te), sensitive_features=a_te)
            if report["accuracy"] < min_accuracy:
                raise AssertionError(
                    f"the training set of seed {seed}: held-out accuracy "
                    f"{report['accuracy']:.3f}, below {min_accuracy:.3f}."
                )
            if report["eo_difference"] > max_eo:
                raise AssertionError(
                    f"the training set of seed {seed}: held-out equalized odds difference "
                    f"{report['eo_difference']:.3f}, above {max_eo:.3f}."
                )

    return test


_FIX_HINT = (
    "compare each group's share of 1s in the training set with the validation split: the "
    "group whose share dropped is the one with bad labels. Give its 1s more weight (or "
    "relabel its most likely 1s), and choose how much on the validation split, measuring "
    "both the equalized odds difference and the accuracy (the grader scores held-out people, "
    "so a choice that only fits the validation split may fall short)."
)

LAB = Lab(
    id="09_fairness_and_bias_lab",
    title="Lab 09: fairness and bias in data",
    questions=[
        Question(
            "09.q1",
            "Rates per group",
            2,
            "group_rates",
            [
                Test("an 8-person example", _q1_small),
                Test("a group with no positive example", _q1_empty_denominator),
                Test("random decisions and groups", _q1_hidden, hidden=True),
            ],
            hint="for each group (sorted by name): the share of its people with pred == 1; the "
            "same share among its people with y == 1; and among its people with y == 0. A "
            "share of nobody is 0, as in fairlearn.",
            forbids=(
                "dcai_course.fairness.group_metrics",
                "fairlearn.metrics.MetricFrame",
                "fairlearn.metrics.selection_rate",
                "fairlearn.metrics.true_positive_rate",
                "fairlearn.metrics.false_positive_rate",
            ),
        ),
        Question(
            "09.q2",
            "Demographic parity and equalized odds",
            2,
            "fairness_gaps",
            [
                Test("an 8-person example", _q2_small),
                Test("random decisions and groups", _q2_hidden, hidden=True),
            ],
            hint="start from your group_rates table: the difference is the largest minus the "
            "smallest selection rate, the ratio the smallest over the largest, and the "
            "equalized odds difference the larger of the TPR gap and the FPR gap.",
            forbids=(
                "dcai_course.fairness.fairness_report",
                "dcai_course.fairness.group_metrics",
                "dcai_course.fairness.demographic_parity_difference",
                "dcai_course.fairness.demographic_parity_ratio",
                "dcai_course.fairness.equalized_odds_difference",
                "fairlearn.metrics.MetricFrame",
                "fairlearn.metrics.demographic_parity_difference",
                "fairlearn.metrics.demographic_parity_ratio",
                "fairlearn.metrics.equalized_odds_difference",
            ),
        ),
        Question(
            "09.q3",
            "Reweighing",
            3,
            "reweighing_weights",
            [
                Test("an 8-person example", _q3_small),
                Test("every group gets the overall base rate", _q3_independent),
                Test("random labels and groups", _q3_hidden, hidden=True),
            ],
            hint="the weight of a person in group g with label l is P(g) P(l) / P(g, l), the "
            "three probabilities estimated as shares of the training rows; a cross-tabulation "
            "of groups against labels gives all the counts at once.",
            forbids=("dcai_course.fairness.reweighing_weights",),
        ),
        Question("09.q4", "Written: which metric for which use", 2, manual=True),
        Question(
            "09.q5",
            "Fix a flawed training set: equalized odds difference at most 0.25",
            3,
            "fix_training_data",
            [
                Test("the training set of seed 0", _fix_test("09.q5", public_seeds)),
                Test("two fresh training sets", _fix_test("09.q5", hidden_seeds), hidden=True),
            ],
            hint=_FIX_HINT,
            time_limit=180.0,
        ),
        Question(
            "09.q6",
            "Fix a flawed training set: equalized odds difference at most 0.15",
            2,
            "fix_training_data",
            [
                Test("the training set of seed 0", _fix_test("09.q6", public_seeds)),
                Test("two fresh training sets", _fix_test("09.q6", hidden_seeds), hidden=True),
            ],
            hint=_FIX_HINT,
            time_limit=180.0,
        ),
    ],
)
