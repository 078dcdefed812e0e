import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from dcai_course import datasets, model_vs_data
from dcai_course._validation import as_random_state
from dcai_course.label_errors import out_of_sample_pred_probs


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


@pytest.fixture(scope="module")
def small_experiment():
    X, y = datasets.load_breast_cancer()
    return model_vs_data.run_noise_experiment(
        X,
        y,
        baseline=make_pipeline(StandardScaler(), LogisticRegression()),
        stronger=GaussianNB(),
        noise_rates=(0.0, 0.3),
        seeds=(0, 1),
        progress=False,
    )


def test_run_noise_experiment_layout(small_experiment):
    r = small_experiment
    assert len(r) == 2 * 2 * 4
    assert set(r.setting) == set(model_vs_data.SETTINGS)
    assert r.accuracy.between(0, 1).all()
    # settings of one run share their split and noise
    per_run = r.groupby(["noise_rate", "seed"])
    assert (per_run.n_flipped.nunique() == 1).all()
    assert (r[r.noise_rate == 0].n_flipped == 0).all()
    assert (r[r.noise_rate == 0.3].n_flipped > 0).all()


def test_effects_and_cleaning_tables(small_experiment):
    effects = model_vs_data.effects_table(small_experiment)
    means = small_experiment.groupby(["noise_rate", "setting"]).accuracy.mean().unstack() * 100
    expected = means[model_vs_data.SETTINGS[3]] - means[model_vs_data.SETTINGS[0]]
    assert np.allclose(effects["data ceiling"].to_numpy(), expected.to_numpy())
    assert (effects.xs(0.0, level="noise_rate")["data ceiling"] == 0).all()
    cleaning = model_vs_data.cleaning_table(small_experiment)
    assert list(cleaning.columns) == ["flipped", "removed", "precision", "recall"]
    row = cleaning.xs(0.3, level="noise_rate").iloc[0]
    assert 0 < row.precision <= 1 and 0 < row.recall <= 1


def test_run_noise_experiment_errors():
    X, y = datasets.load_breast_cancer()
    with pytest.raises(ValueError, match="pairs"):
        model_vs_data.run_noise_experiment(
            X, y, baseline=GaussianNB(), stronger=GaussianNB(), noise="class_pair", progress=False
        )
    with pytest.raises(ValueError, match="uniform"):
        model_vs_data.run_noise_experiment(
            X, y, baseline=GaussianNB(), stronger=GaussianNB(), noise="gaussian", progress=False
        )


def test_accuracy_across_splits_and_plot():
    X, y = datasets.load_breast_cancer()
    accs = model_vs_data.accuracy_across_splits(GaussianNB(), X, y, range(3))
    assert isinstance(accs, pd.Series) and len(accs) == 3 and accs.between(0.8, 1).all()
    results = pd.DataFrame(
        {
            "noise_rate": [0.0, 0.0, 0.2, 0.2] * 4,
            "setting": np.repeat(model_vs_data.SETTINGS, 4),
            "accuracy": np.linspace(0.7, 0.9, 16),
        }
    )
    ax = model_vs_data.plot_accuracy_vs_noise(results)
    assert len(ax.get_lines()) == 4 and ax.get_xlabel()
