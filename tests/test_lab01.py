"""Lab 01's open-ended task and factorial question: thresholds hold, bad answers fail."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from dcai_course.evidence import mean_ci
from dcai_course.grading.labs import lab01
from dcai_course.grading.spec import get_question, run_question


def drop_svm_disagreements(X_train, y_train):
    """The solution's approach: drop what an out-of-sample RBF SVM disagrees with."""
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    svm = make_pipeline(StandardScaler(), SVC())
    predicted = cross_val_predict(svm, X_train, y_train, cv=folds)
    keep = predicted == y_train
    return X_train[keep], y_train[keep]


def unchanged(X_train, y_train):
    return X_train, y_train


def test_solution_clears_tier_2_with_margin_on_fresh_seeds():
    gains = [
        lab01.improvement_gain(drop_svm_disagreements, np.random.default_rng(seed))[0]
        for seed in range(100, 108)
    ]
    assert min(gains) > lab01.TIER_2_GAIN + 1.0, gains


def test_unchanged_data_fails_both_tiers():
    for qid in ("01.q6", "01.q7"):
        result = run_question(get_question(qid), unchanged, include_hidden=True, seed=3)
        assert result.status == "failed" and "gained +0.0 points" in result.message


@pytest.mark.parametrize(
    "answer, message",
    [
        (lambda X, y: X, "tuple"),
        (lambda X, y: (X[:, :10], y), "64 columns"),
        (lambda X, y: (np.vstack([X, X]), np.concatenate([y, y])), "no more than"),
        (lambda X, y: (X, y[:-1]), "one label per row"),
        (lambda X, y: (X[y != 3], y[y != 3]), "missing [3]"),
        (lambda X, y: (X, y + 1), "labels 0..9"),
        (lambda X, y: (X, y.astype(float)), "integers"),
    ],
)
def test_invalid_training_sets_get_a_clear_message(answer, message):
    result = run_question(get_question("01.q6"), answer, include_hidden=False)
    assert result.status == "failed" and message in result.message, result.message


def lever_effects(results):
    """A from-scratch answer to 01.q3, as a learner would write it."""
    from scipy import stats

    cells = results.pivot_table(index="seed", columns=["model", "labels"], values="accuracy")
    b, s = cells["baseline"], cells["stronger"]
    per_seed = {
        "model lever": s["noisy"] - b["noisy"],
        "data lever": b["cleaned"] - b["noisy"],
        "interaction": (s["cleaned"] - s["noisy"]) - (b["cleaned"] - b["noisy"]),
    }
    rows = {}
    for name, d in per_seed.items():
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        rows[name] = {"mean": d.mean(), "low": d.mean() - half, "high": d.mean() + half}
    return pd.DataFrame(rows).T


def test_lever_effects_answer_passes_every_seed():
    question = get_question("01.q3")
    for seed in range(20):
        result = run_question(question, lever_effects, include_hidden=True, seed=seed)
        assert result.status == "passed", result.message


def test_lever_effects_rejects_unpaired_or_wrong_interval():
    def unpaired(results):  # means of the cells, with an interval that ignores pairing
        out = lever_effects(results)
        g = results.groupby(["model", "labels"]).accuracy
        out.loc["model lever", ["low", "high"]] = mean_ci(
            g.get_group(("stronger", "noisy")).to_numpy()
            - g.get_group(("baseline", "noisy")).mean()
        )[1:]
        return out

    def normal_interval(results):
        out = lever_effects(results)
        width = (out["high"] - out["low"]) / 2
        out["low"], out["high"] = out["mean"] - width * 0.8, out["mean"] + width * 0.8
        return out

    for wrong in (unpaired, normal_interval, lambda r: lever_effects(r).drop(index="interaction")):
        result = run_question(get_question("01.q3"), wrong, include_hidden=False)
        assert result.status == "failed"
