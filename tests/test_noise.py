import numpy as np
import pytest

from dcai_course import noise


def balanced_labels(n, k, seed=0):
    return np.random.default_rng(seed).permutation(np.arange(n) % k)


def test_uniform_matrix_rows_sum_to_one():
    m = noise.uniform_noise_matrix(4, 0.3)
    assert np.allclose(m.sum(axis=1), 1)
    assert np.allclose(np.diag(m), 0.7)
    assert np.allclose(m[0, 1:], 0.1)


def test_class_pair_matrix():
    m = noise.class_pair_noise_matrix(4, [(0, 1), (2, 3)], 0.25, symmetric=False)
    assert m[0, 1] == 0.25 and m[1, 0] == 0 and m[2, 3] == 0.25
    assert np.allclose(m.sum(axis=1), 1)


@pytest.mark.parametrize(
    ("pairs", "rate", "message"),
    [
        ([], 0.2, "empty"),
        ([(0, 0)], 0.2, "distinct"),
        ([(0, 5)], 0.2, "0..3"),
        ([(0, 1), (0, 2), (0, 3)], 0.5, "exceeds 1"),
    ],
)
def test_class_pair_matrix_errors(pairs, rate, message):
    with pytest.raises(ValueError, match=message):
        noise.class_pair_noise_matrix(4, pairs, rate)


def test_achieved_flip_rate_is_within_tolerance():
    y = balanced_labels(50_000, 10)
    _, flipped = noise.inject_label_noise(y, noise_rate=0.3, seed=1)
    # binomial standard deviation is 0.002; 0.01 is five of them
    assert abs(flipped.mean() - 0.3) < 0.01


def test_the_matrix_is_respected_per_class():
    y = balanced_labels(60_000, 6)
    matrix = noise.class_pair_noise_matrix(6, [(0, 1), (2, 3)], 0.35, symmetric=False)
    noisy, flipped = noise.inject_label_noise(y, matrix, seed=2)
    achieved = noise.empirical_noise_matrix(y, noisy, 6)
    assert np.abs(achieved - matrix).max() < 0.02
    assert (achieved[matrix == 0] == 0).all()  # impossible flips never happen
    assert (flipped == (noisy != y)).all()


def test_exact_mode_hits_the_rates_up_to_rounding():
    y = balanced_labels(1000, 4)
    matrix = noise.uniform_noise_matrix(4, 0.2)
    noisy, _ = noise.inject_label_noise(y, matrix, seed=0, exact=True)
    achieved = noise.empirical_noise_matrix(y, noisy, 4)
    assert np.abs(achieved - matrix).max() <= 1 / 250 + 1e-12


def test_same_seed_same_result_and_generators_work():
    y = balanced_labels(500, 3)
    a = noise.inject_label_noise(y, noise_rate=0.4, seed=7)[0]
    b = noise.inject_label_noise(y, noise_rate=0.4, seed=7)[0]
    c = noise.inject_label_noise(y, noise_rate=0.4, seed=8)[0]
    d = noise.inject_label_noise(y, noise_rate=0.4, seed=np.random.default_rng(7))[0]
    assert (a == b).all() and (a == d).all() and not (a == c).all()


def test_labels_are_not_modified():
    y = balanced_labels(100, 3)
    original = y.copy()
    noise.inject_label_noise(y, noise_rate=0.5, seed=0)
    assert (y == original).all()


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"noise_rate": 0.2, "noise_matrix": np.eye(3)}, ValueError, "exactly one"),
        ({}, ValueError, "exactly one"),
        ({"noise_rate": 1.2}, ValueError, "between 0 and 1"),
        ({"noise_matrix": np.eye(2)}, ValueError, "n_classes|allows only"),
        ({"noise_matrix": [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]}, ValueError, "square"),
        (
            {"noise_matrix": [[0.9, 0.2, 0], [0.1, 0.8, 0], [0, 0, 1.0]]},
            ValueError,
            "noise_matrix.T",
        ),
        ({"noise_matrix": [[0.9, 0.3, 0], [0.1, 0.8, 0], [0, 0, 1.5]]}, ValueError, r"\[0, 1\]"),
        ({"noise_matrix": [[0.5, 0.2, 0], [0.1, 0.8, 0.1], [0, 0, 1.0]]}, ValueError, "row 0 sums"),
        ({"noise_rate": 0.2, "seed": "zero"}, TypeError, "seed"),
    ],
)
def test_bad_inputs_raise_clear_errors(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        noise.inject_label_noise([0, 1, 2, 1], **kwargs)


def test_bad_labels_raise():
    with pytest.raises(ValueError, match=r"only 0\.\.1"):
        noise.inject_label_noise([0, 1, 2], noise_matrix=np.eye(2))
    with pytest.raises(TypeError):
        noise.inject_label_noise(["a", "b"], noise_rate=0.1)


def test_simulate_annotators_accuracy_and_layout():
    y = balanced_labels(20_000, 4)
    accuracies = [0.95, 0.8, 0.6, 0.4]
    answers = noise.simulate_annotators(y, accuracies, labels_per_item=3, seed=0)
    assert list(answers.columns) == ["item", "worker", "label"]
    assert len(answers) == 60_000
    assert (answers.groupby("item").worker.nunique() == 3).all()  # distinct annotators
    correct = answers.label.to_numpy() == y[answers.item.to_numpy()]
    achieved = answers.assign(correct=correct).groupby("worker").correct.mean()
    assert np.abs(achieved.to_numpy() - accuracies).max() < 0.02
    # each annotator gets about 3/4 of the items
    assert np.abs(answers.worker.value_counts(normalize=True) - 0.25).max() < 0.01


def test_simulate_annotators_with_confusions():
    y = balanced_labels(10_000, 3)
    conf = np.stack([np.eye(3), noise.class_pair_noise_matrix(3, [(0, 1)], 0.5, symmetric=False)])
    answers = noise.simulate_annotators(y, [1.0, 0.0], 2, seed=1, confusions=conf)
    second = answers[answers.worker == 1]
    achieved = noise.empirical_noise_matrix(y[second.item], second.label, 3)
    assert np.abs(achieved - conf[1]).max() < 0.03
    first = answers[answers.worker == 0]
    assert (first.label.to_numpy() == y[first.item]).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accuracies": [], "labels_per_item": 1}, "non-empty"),
        ({"accuracies": [0.9, 1.2], "labels_per_item": 1}, r"\[0, 1\]"),
        ({"accuracies": [0.9, 0.8], "labels_per_item": 3}, "between 1 and"),
        (
            {"accuracies": [0.9, 0.8], "labels_per_item": 1, "confusions": np.ones((2, 2, 2))},
            "shape",
        ),
    ],
)
def test_simulate_annotators_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        noise.simulate_annotators([0, 1, 2], **kwargs)


def test_simulate_annotators_is_reproducible():
    a = noise.simulate_annotators([0, 1, 1, 0, 2], [0.9, 0.7, 0.5], 2, seed=4)
    b = noise.simulate_annotators([0, 1, 1, 0, 2], [0.9, 0.7, 0.5], 2, seed=4)
    assert a.equals(b)


def test_exact_mode_agrees_with_cleanlab_on_the_same_inputs():
    from cleanlab.benchmarking.noise_generation import generate_noisy_labels

    labels = balanced_labels(20_000, 5)
    matrix = noise.class_pair_noise_matrix(5, [(0, 1), (2, 3)], 0.3)
    ours, _ = noise.inject_label_noise(labels, matrix, seed=0, exact=True)
    np.random.seed(0)  # cleanlab draws from NumPy's global random state
    theirs = generate_noisy_labels(labels, matrix.T)  # cleanlab: noise_matrix[given, true]
    achieved_ours = noise.empirical_noise_matrix(labels, ours, 5)
    achieved_theirs = noise.empirical_noise_matrix(labels, theirs, 5)
    assert np.allclose(achieved_ours, achieved_theirs, atol=1 / 4000)
    assert np.allclose(achieved_ours, matrix, atol=1 / 4000)
