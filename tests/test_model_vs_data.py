import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from dcai_course import datasets, model_vs_data
from dcai_course._validation import as_random_state
from dcai_course.label_errors import out_of_sample_pred_probs
from dcai_course.noise import inject_label_noise, uniform_noise_matrix


def brute_force_disagreements(labels, probs, threshold):
    flags = []
    for label, row in zip(labels, probs, strict=True):
        best = int(np.argmax(row))
        flags.append(best != label and row[best] >= threshold)
    return np.array(flags)


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.6, 1.0])
def test_confident_disagreements_matches_brute_force(threshold):
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(5) * 0.5, size=400)
    labels = rng.integers(0, 5, size=400)
    expected = brute_force_disagreements(labels, probs, threshold)
    assert (model_vs_data.confident_disagreements(labels, probs, threshold) == expected).all()


def test_confident_disagreements_validates():
    with pytest.raises(ValueError, match="sum to 1"):
        model_vs_data.confident_disagreements([0, 1], [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(ValueError, match="labels has 3"):
        model_vs_data.confident_disagreements([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="between 0 and 1"):
        model_vs_data.confident_disagreements([0, 1], [[0.5, 0.5], [0.5, 0.5]], threshold=2)


def test_out_of_sample_pred_probs_is_cross_val_predict():
    X, y = datasets.load_breast_cancer()
    model = GaussianNB()
    ours = out_of_sample_pred_probs(model, X, y, cv=4, seed=3)
    folds = StratifiedKFold(4, shuffle=True, random_state=as_random_state(3))
    theirs = cross_val_predict(model, X, y, cv=folds, method="predict_proba")
    assert np.array_equal(ours, theirs)


def test_out_of_sample_pred_probs_errors():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="fewer than cv"):
        out_of_sample_pred_probs(GaussianNB(), X, [0] * 8 + [1] * 2, cv=5)
    with pytest.raises(ValueError, match=r"never \{1\}"):
        out_of_sample_pred_probs(GaussianNB(), X, [0] * 5 + [2] * 5, cv=2)
    with pytest.raises(TypeError, match="predict_proba"):
        out_of_sample_pred_probs(LinearSVC(), X, [0, 1] * 5, cv=2)
    with pytest.raises(ValueError, match="Length mismatch"):
        out_of_sample_pred_probs(GaussianNB(), X, [0, 1] * 4, cv=2)


def test_compare_clean_vs_noisy():
    X, y = datasets.load_digits()
    from dcai_course.noise import inject_label_noise

    noisy, _ = inject_label_noise(y[:1000], noise_rate=0.5, seed=0)
    r = model_vs_data.compare_clean_vs_noisy(
        GaussianNB(), X[:1000], y[:1000], noisy, X[1000:], y[1000:]
    )
    assert set(r) == {"clean", "noisy", "drop"}
    assert r["drop"] == pytest.approx(r["clean"] - r["noisy"])
    assert r["clean"] > r["noisy"]


MODELS = {
    "baseline": make_pipeline(StandardScaler(), LogisticRegression()),
    "naive Bayes": GaussianNB(),
}


@pytest.fixture(scope="module")
def factorial():
    X, y = datasets.load_breast_cancer()
    return model_vs_data.run_factorial(
        X,
        y,
        models=MODELS,
        noise=["uniform", "one_way"],
        pairs=[(0, 1)],
        noise_rates=(0.1, 0.3),
        seeds=(0, 1, 2),
        progress=False,
    )


def test_run_factorial_layout(factorial):
    r = factorial
    assert len(r) == 2 * 2 * 3 * 2 * 3  # kinds x rates x seeds x models x label sets
    assert list(r.columns[:6]) == ["noise", "noise_rate", "seed", "model", "labels", "accuracy"]
    assert list(r.noise.unique()) == ["uniform", "one_way"]
    assert set(r.labels) == set(model_vs_data.LABEL_SETS)
    assert r.accuracy.between(0, 1).all()
    # one split per seed: the true-label cells do not depend on the noise
    true = r[r.labels == "true"].groupby(["seed", "model"]).accuracy.nunique()
    assert (true == 1).all()
    # one noise draw and one cleaning per (noise, rate, seed), shared by every cell
    per_run = r.groupby(["noise", "noise_rate", "seed"])
    assert (per_run.n_flipped.nunique() == 1).all() and (per_run.n_removed.nunique() == 1).all()
    # one-way noise on (0, 1) flips only class 0, so fewer labels than uniform noise
    flips = r.groupby("noise").n_flipped.mean()
    assert flips["one_way"] < flips["uniform"]
    assert r.precision.between(0, 1).all() and r.recall.between(0, 1).all()


def test_run_factorial_is_the_open_computation(factorial):
    """Seed 1 by hand, as the notebook does it, gives the runner's cells."""
    X, y = datasets.load_breast_cancer()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
    matrix = uniform_noise_matrix(2, 0.3)
    noisy, _ = inject_label_noise(y_tr, matrix, seed=1)
    keep = model_vs_data.clean_by_confident_learning(MODELS["baseline"], X_tr, noisy, seed=1)
    by_hand = model_vs_data.factorial_one_seed(MODELS, X_tr, y_tr, noisy, keep, X_te, y_te)
    run = factorial.query("noise == 'uniform' and noise_rate == 0.3 and seed == 1")
    merged = by_hand.merge(run, on=["model", "labels"], suffixes=("_hand", "_run"))
    assert len(merged) == 6
    assert np.allclose(merged.accuracy_hand, merged.accuracy_run)


def test_factorial_effects_are_paired_differences(factorial):
    effects = model_vs_data.factorial_effects(factorial, "baseline", "naive Bayes")
    assert list(effects.columns) == ["mean", "low", "high", "wins", "n"]
    assert list(effects.index.get_level_values("noise").unique()) == ["uniform", "one_way"]
    cells = (
        factorial.pivot_table(
            index=["noise", "noise_rate", "seed"], columns=["model", "labels"], values="accuracy"
        )
        * 100
    )
    part = cells.xs(("one_way", 0.3), level=["noise", "noise_rate"])
    b, s = part["baseline"], part["naive Bayes"]
    interaction = (s["cleaned"] - s["noisy"]) - (b["cleaned"] - b["noisy"])
    row = effects.loc[("one_way", 0.3, "interaction")]
    assert row["mean"] == pytest.approx(interaction.mean())
    assert row["low"] <= row["mean"] <= row["high"] and row["n"] == 3
    assert row["wins"] == (interaction > 0).sum()
    lever = effects.loc[("one_way", 0.3, "model lever"), "mean"]
    assert lever == pytest.approx((s["noisy"] - b["noisy"]).mean())
    ceiling = effects.xs("data ceiling", level="effect")["mean"]
    assert (ceiling.xs("uniform") > 0).all()


def test_arm_and_cleaning_tables(factorial):
    arms = model_vs_data.arm_table(factorial)
    assert arms.index.names == ["noise", "noise_rate", "model", "labels"]
    means = factorial.groupby(["noise", "noise_rate", "model", "labels"]).accuracy.mean() * 100
    assert np.allclose(arms["mean"].sort_index(), means.sort_index())
    assert (arms["n"] == 3).all() and (arms["low"] <= arms["high"]).all()
    cleaning = model_vs_data.cleaning_table(factorial)
    assert list(cleaning.columns) == ["flipped", "removed", "precision", "recall"]
    assert (cleaning.precision > 0.3).all() and (cleaning.recall > 0.3).all()


def test_plots(factorial):
    ax = model_vs_data.plot_factorial(factorial, noise="uniform")
    assert len(ax.containers) == 6 and ax.get_xlabel() and ax.get_ylabel()
    effects = model_vs_data.factorial_effects(factorial, "baseline", "naive Bayes")
    ax = model_vs_data.plot_effects(effects, ["model lever", "data ceiling"])
    assert len(ax.get_yticklabels()) == 4 and ax.get_xlabel()


def test_run_factorial_errors():
    X, y = datasets.load_breast_cancer()

    def run(**kwargs):
        args = {"models": MODELS, "noise_rates": (0.2,), "seeds": (0,)} | kwargs
        model_vs_data.run_factorial(X, y, **args)

    with pytest.raises(TypeError, match="non-empty dict"):
        run(models=[GaussianNB()])
    with pytest.raises(TypeError, match="with fit and predict"):
        run(models={"a": "svm"})
    with pytest.raises(TypeError, match="predict_proba"):
        run(models={"svm": LinearSVC()})
    with pytest.raises(ValueError, match="pairs"):
        run(noise="class_pair")
    with pytest.raises(ValueError, match="one_way"):
        run(noise="gaussian")
    with pytest.raises(ValueError, match="seeds"):
        run(seeds=())
    with pytest.raises(ValueError, match="noise_rates"):
        run(noise_rates=(1.5,))
    with pytest.raises(ValueError, match="Length mismatch"):
        model_vs_data.run_factorial(X, y[:-1], models=MODELS)


def test_effects_and_one_seed_errors(factorial):
    with pytest.raises(ValueError, match="not in results"):
        model_vs_data.factorial_effects(factorial, "baseline", "SVM")
    with pytest.raises(ValueError, match="lacks the column"):
        model_vs_data.factorial_effects(factorial.drop(columns="labels"), "baseline", "naive Bayes")
    X, y = datasets.load_breast_cancer()
    with pytest.raises(TypeError, match="boolean mask"):
        model_vs_data.factorial_one_seed(MODELS, X, y, y, np.arange(len(y)), X, y)
    with pytest.raises(ValueError, match="label_sets"):
        model_vs_data.factorial_one_seed(
            MODELS, X, y, y, np.ones(len(y), bool), X, y, label_sets=("dirty",)
        )


def test_accuracy_across_splits():
    X, y = datasets.load_breast_cancer()
    accs = model_vs_data.accuracy_across_splits(GaussianNB(), X, y, range(3))
    assert isinstance(accs, pd.Series) and len(accs) == 3 and accs.between(0.8, 1).all()
