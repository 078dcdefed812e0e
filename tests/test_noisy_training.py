"""Learning with noisy labels: losses, small-loss selection, the trainer, the comparison."""

import numpy as np
import pandas as pd
import pytest
import torch
from torch.nn import functional as F

from dcai_course import noisy_training as nt
from dcai_course.noise import inject_label_noise, uniform_noise_matrix


def _problem(seed, n=50, k=4):
    rng = np.random.default_rng(seed)
    logits = torch.as_tensor(rng.normal(size=(n, k)) * 2)
    labels = torch.as_tensor(rng.integers(0, k, size=n))
    matrix = rng.dirichlet(np.ones(k), size=k) * 0.5 + np.eye(k) * 0.5
    return logits, labels, matrix


def _blobs(seed=0, n=400, k=3):
    """Three well-separated Gaussian blobs in 5 dimensions."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    centres = rng.normal(size=(k, 5)) * 3
    return centres[y] + rng.normal(size=(n, 5)), y


# --- losses --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_forward_corrected_loss_matches_a_direct_computation(seed):
    logits, labels, matrix = _problem(seed)
    noisy_probs = F.softmax(logits, dim=1).numpy() @ matrix  # p(given | x)
    direct = -np.log(noisy_probs[np.arange(len(labels)), labels.numpy()])
    got = nt.forward_corrected_loss(logits, labels, matrix, reduction="none")
    np.testing.assert_allclose(got.numpy(), direct, rtol=1e-10)
    assert float(nt.forward_corrected_loss(logits, labels, matrix)) == pytest.approx(direct.mean())


def test_forward_correction_with_the_identity_is_cross_entropy():
    logits, labels, _ = _problem(0)
    got = nt.forward_corrected_loss(logits, labels, np.eye(4))
    assert float(got) == pytest.approx(float(F.cross_entropy(logits, labels)))


def test_forward_correction_handles_zeros_in_the_matrix():
    logits = torch.tensor([[3.0, -1.0, 0.0]], requires_grad=True)
    matrix = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 1.0]])
    loss = nt.forward_corrected_loss(logits, torch.tensor([2]), matrix)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()


def test_label_smoothing_matches_torch():
    logits, labels, _ = _problem(1)
    for eps in (0.0, 0.1, 0.4):
        expected = F.cross_entropy(logits, labels, label_smoothing=eps)
        assert float(nt.label_smoothing_loss(logits, labels, eps)) == pytest.approx(float(expected))


def test_gce_limits():
    logits, labels, _ = _problem(2)
    p_y = F.softmax(logits, dim=1)[torch.arange(50), labels]
    mae = nt.generalized_cross_entropy(logits, labels, q=1.0, reduction="none")
    np.testing.assert_allclose(mae.numpy(), (1 - p_y).numpy(), rtol=1e-10)
    near_ce = nt.generalized_cross_entropy(logits, labels, q=1e-6)
    assert float(near_ce) == pytest.approx(float(F.cross_entropy(logits, labels)), rel=1e-4)


def test_make_loss_returns_per_example_losses():
    logits, labels, matrix = _problem(3)
    for name, params in [("ce", {}), ("forward", {"noise_matrix": matrix}), ("gce", {"q": 0.5})]:
        assert nt.make_loss(name, **params)(logits, labels).shape == (50,)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: nt.forward_corrected_loss(
                torch.zeros(2, 2), torch.tensor([0, 1]), np.ones((2, 2))
            ),
            "sum to 1",
        ),
        (
            lambda: nt.forward_corrected_loss(torch.zeros(2, 2), torch.tensor([0, 1]), np.eye(3)),
            "2 classes",
        ),
        (
            lambda: nt.forward_corrected_loss(torch.zeros(2, 3), torch.tensor([0, 1]), np.eye(2)),
            "3 classes",
        ),
        (lambda: nt.generalized_cross_entropy(torch.zeros(2, 2), torch.tensor([0, 2])), "0..1"),
        (lambda: nt.generalized_cross_entropy(torch.zeros(2, 2), torch.tensor([0])), "shape"),
        (lambda: nt.generalized_cross_entropy(torch.zeros(2), torch.tensor([0, 1])), "2-D"),
        (
            lambda: nt.generalized_cross_entropy(torch.zeros(2, 2), torch.tensor([0, 1]), q=0),
            "q must",
        ),
        (lambda: nt.label_smoothing_loss(torch.zeros(2, 2), torch.tensor([0, 1]), 1.0), "epsilon"),
        (lambda: nt.make_loss()(torch.zeros(1, 2), torch.tensor([2])), "0..1"),
        (
            lambda: nt.label_smoothing_loss(torch.zeros(1, 2), torch.tensor([0]), 0.1, "sum"),
            "reduction",
        ),
        (lambda: nt.make_loss("mse"), "loss must be"),
        (lambda: nt.make_loss("gce", epsilon=0.1), "parameters"),
        (lambda: nt.make_loss("forward"), "noise_matrix"),
        (lambda: nt.small_loss_selection(torch.tensor([1.0, 2.0]), 1.0), r"\[0, 1\)"),
        (lambda: nt.small_loss_selection(torch.tensor([[1.0]]), 0.1), "1-D"),
        (lambda: nt.small_loss_selection(torch.tensor([1.0, float("nan")]), 0.1), "NaN"),
        (lambda: nt.forget_rate_schedule(-1, 0.2), "epoch"),
        (lambda: nt.forget_rate_schedule(1, 0.2, 0), "warmup_epochs"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_float_labels_and_nan_logits_are_refused():
    with pytest.raises(TypeError, match="integer class indices"):
        nt.generalized_cross_entropy(torch.zeros(2, 2), torch.tensor([0.0, 1.0]))
    with pytest.raises(TypeError, match="float"):
        nt.generalized_cross_entropy(torch.zeros(2, 2, dtype=torch.long), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="NaN"):
        nt.generalized_cross_entropy(torch.tensor([[float("nan"), 0.0]]), torch.tensor([0]))


# --- the small-loss trick ------------------------------------------------------------------


def _numpy_small_loss(losses, forget_rate):
    """The reference: keep the n - round(rate * n) smallest, earlier examples win ties."""
    n = len(losses)
    keep = np.zeros(n, dtype=bool)
    keep[np.argsort(losses, kind="stable")[: n - int(np.rint(forget_rate * n))]] = True
    return keep


@pytest.mark.parametrize("seed", range(8))
def test_small_loss_selection_matches_a_numpy_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    losses = np.round(rng.exponential(size=n), 1)  # many ties
    rate = float(rng.uniform(0, 0.95))
    got = nt.small_loss_selection(torch.as_tensor(losses), rate).numpy()
    np.testing.assert_array_equal(got, _numpy_small_loss(losses, rate))


def test_small_loss_selection_keeps_everything_at_rate_zero():
    assert nt.small_loss_selection(torch.tensor([3.0, 1.0, 2.0]), 0.0).all()


def test_forget_rate_schedule_ramps_up_then_stays():
    rates = [nt.forget_rate_schedule(e, 0.3, 3) for e in range(6)]
    np.testing.assert_allclose(rates, [0, 0.1, 0.2, 0.3, 0.3, 0.3])


# --- the trainer ---------------------------------------------------------------------------


def test_training_is_deterministic_and_leaves_torch_settings_alone():
    X, y = _blobs()
    threads = torch.get_num_threads()
    a = nt.train_classifier(X, y, epochs=3, seed=1, progress=False)
    b = nt.train_classifier(X, y, epochs=3, seed=1, progress=False)
    c = nt.train_classifier(X, y, epochs=3, seed=2, progress=False)
    pa, pb, pc = (nt.predict_proba(f.model, X) for f in (a, b, c))
    np.testing.assert_array_equal(pa, pb)
    assert not np.array_equal(pa, pc)
    assert torch.get_num_threads() == threads
    assert not torch.are_deterministic_algorithms_enabled()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"loss": "forward", "loss_params": {"noise_matrix": uniform_noise_matrix(3, 0.3)}},
        {"loss": "gce"},
        {"loss": "label_smoothing", "loss_params": {"epsilon": 0.2}},
        {"small_loss": "self", "forget_rate": 0.3, "warmup_epochs": 2},
        {"small_loss": "co_teaching", "forget_rate": 0.3, "warmup_epochs": 2},
    ],
)
def test_every_method_learns_blobs_through_noise(kwargs):
    X, y = _blobs()
    noisy, _ = inject_label_noise(y, noise_rate=0.3, seed=0)
    fit = nt.train_classifier(X, noisy, epochs=15, lr=1e-2, seed=0, progress=False, **kwargs)
    assert nt.accuracy(fit.model, X, y) > 0.9
    assert len(fit.history) == 15


def test_history_and_early_stopping():
    X, y = _blobs()
    sets = {"train": (X, y), "half": (X[:200], y[:200])}
    fit = nt.train_classifier(X, y, epochs=6, eval_sets=sets, select_on="half", progress=False)
    assert fit.history.columns.tolist() == ["epoch", "forget_rate", "train", "half"]
    best = int(fit.history["half"].idxmax())
    assert fit.epoch == best
    assert nt.accuracy(fit.model, X[:200], y[:200]) == pytest.approx(fit.history["half"][best])


def test_co_teaching_forgets_on_schedule():
    X, y = _blobs()
    fit = nt.train_classifier(
        X, y, small_loss="co_teaching", forget_rate=0.2, warmup_epochs=2, epochs=4, progress=False
    )
    np.testing.assert_allclose(fit.history["forget_rate"], [0, 0.1, 0.2, 0.2])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loss": "hinge"}, ValueError, "loss must be"),
        ({"small_loss": "peer"}, ValueError, "small_loss"),
        ({"forget_rate": 0.2}, ValueError, "needs small_loss"),
        ({"small_loss": "self", "forget_rate": 1.0}, ValueError, "forget_rate"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"select_on": "val"}, ValueError, "select_on"),
        ({"eval_sets": [1, 2]}, TypeError, "eval_sets"),
        ({"eval_sets": {"v": (np.zeros((3, 5)), [0, 1])}}, ValueError, "3 rows"),
    ],
)
def test_trainer_validates_its_arguments(kwargs, error, match):
    X, y = _blobs(n=30)
    with pytest.raises(error, match=match):
        nt.train_classifier(X, y, epochs=kwargs.pop("epochs", 1), progress=False, **kwargs)


def test_trainer_validates_data():
    with pytest.raises(ValueError, match="2-D"):
        nt.train_classifier(np.zeros(5), [0, 1, 0, 1, 0], progress=False)
    with pytest.raises(ValueError, match="labels"):
        nt.train_classifier(np.zeros((5, 2)), [0, 1], progress=False)


def test_filter_then_train_drops_the_flagged_examples():
    X, y = _blobs()
    flags = np.zeros(len(y), dtype=bool)
    flags[:100] = True
    _, keep = nt.filter_then_train(X, y, flags, epochs=2, progress=False)
    np.testing.assert_array_equal(keep, ~flags)
    with pytest.raises(TypeError, match="boolean mask"):
        nt.filter_then_train(X, y, np.flatnonzero(flags), progress=False)
    with pytest.raises(ValueError, match="nothing is left"):
        nt.filter_then_train(X, y, np.ones(len(y), dtype=bool), progress=False)
    with pytest.raises(ValueError, match="same examples"):
        nt.filter_then_train(X, y, flags[:10], progress=False)


def test_the_scikit_learn_wrapper_gives_cross_validated_probabilities():
    from dcai_course.label_errors import out_of_sample_pred_probs

    X, y = _blobs()
    clf = nt.NoisyMLPClassifier(epochs=10, lr=1e-2)
    probs = out_of_sample_pred_probs(clf, X, y, cv=3, seed=0)
    assert probs.shape == (400, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1, atol=1e-6)
    assert (probs.argmax(axis=1) == y).mean() > 0.9
    assert (clf.fit(X, y).predict(X) == y).mean() > 0.9


def test_make_mlp_is_seeded():
    a, b = nt.make_mlp(5, 3, seed=0), nt.make_mlp(5, 3, seed=0)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    with pytest.raises(ValueError, match="hidden"):
        nt.make_mlp(5, 3, hidden=0)


# --- the lecture's experiment --------------------------------------------------------------


def test_downsample_images():
    images = np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4)
    out = nt.downsample_images(images)
    assert out.shape == (2, 4)
    assert out[0, 0] == pytest.approx(np.mean([0, 1, 4, 5]) / 255)
    with pytest.raises(ValueError, match="divisible"):
        nt.downsample_images(np.zeros((1, 5, 4)))


def test_compare_methods_runs_every_method_on_every_seed():
    X, y = _blobs(n=300)
    out = nt.compare_methods(
        X, y, {"u30": uniform_noise_matrix(3, 0.3)}, seeds=[0, 1], n_train=150, n_val=50,
        recipe={"epochs": 4, "batch_size": 50}, cv_epochs=2, progress=False,
    )  # fmt: skip
    assert len(out.results) == 2 * len(nt.METHODS)
    assert set(out.results["method"]) == set(nt.METHODS)
    assert out.results["accuracy"].between(0, 1).all()
    assert len(out.histories) == 2 * 4 and len(out.estimates) == 2
    summary = nt.summarize_runs(out.results, baseline="cross-entropy")
    assert summary.loc[("u30", "cross-entropy"), "diff"] == 0


def test_summarize_runs_intervals_and_paired_wins():
    runs = pd.DataFrame(
        {
            "setting": "s",
            "seed": [0, 1, 2] * 2,
            "method": ["a"] * 3 + ["b"] * 3,
            "accuracy": [0.5, 0.6, 0.7, 0.6, 0.65, 0.69],
        }
    )
    table = nt.summarize_runs(runs, baseline="a")
    row = table.loc[("s", "b")]
    assert row["wins"] == 2 and row["n"] == 3
    assert row["diff"] == pytest.approx(np.mean([0.1, 0.05, -0.01]))
    assert row["low"] < row["mean"] < row["high"]
    with pytest.raises(ValueError, match="baseline"):
        nt.summarize_runs(runs, baseline="c")
    with pytest.raises(ValueError, match="column"):
        nt.summarize_runs(runs.drop(columns="seed"), baseline="a")


# --- lab 03 --------------------------------------------------------------------------------


def _lab_result(question_id, answer):
    from dcai_course.grading.spec import get_question, run_question

    return run_question(get_question(question_id), answer, include_hidden=True, seed=0)


def test_lab03_grades_reference_answers_and_rejects_wrong_ones():
    def forward(logits, labels, matrix):
        return nt.forward_corrected_loss(
            torch.tensor(logits), torch.tensor(labels), matrix, "none"
        ).numpy()

    def forward_transposed(logits, labels, matrix):  # the cleanlab orientation: a classic slip
        return forward(
            logits, labels, np.asarray(matrix).T / np.asarray(matrix).T.sum(1, keepdims=True)
        )

    def select(losses, rate):
        return nt.small_loss_selection(torch.tensor(losses), rate).numpy()

    def select_floor(losses, rate):  # drops floor(rate * n) instead of round(rate * n)
        return (
            _numpy_small_loss(losses, 0.0)
            if rate == 0
            else np.argsort(np.argsort(losses, kind="stable"))
            < len(losses) - int(rate * len(losses))
        )

    assert _lab_result("03.q1", forward).status == "passed"
    assert _lab_result("03.q1", forward_transposed).status == "failed"
    assert _lab_result("03.q2", select).status == "passed"
    assert _lab_result("03.q2", select_floor).status == "failed"


def test_lab03_plain_cross_entropy_does_not_pass_the_open_task():
    from dcai_course.grading.labs import lab03

    result = _lab_result("03.q3", lambda X, y: {"keep": np.ones(len(y), dtype=bool)})
    assert result.status == "failed" and f"at least {lab03.MIN_ACCURACY:.0%}" in result.message
    bad = _lab_result("03.q3", lambda X, y: {"keep": np.ones(len(y), dtype=bool), "loss": "mse"})
    assert bad.status == "failed" and "could not be trained" in bad.message
    few = _lab_result("03.q3", lambda X, y: {"keep": np.arange(len(y)) < 100})
    assert few.status == "failed" and "at least 500" in few.message


# --- bad inputs found by benchmarks/sweep_bad_inputs.py -------------------------------------


def _small(n=30, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    return np.eye(3, 4)[y] * 2 + rng.normal(scale=0.5, size=(n, 4)), y


@pytest.mark.parametrize(
    "kwargs, exc, message",
    [
        ({"lr": float("nan")}, ValueError, "lr"),
        ({"lr": -0.5}, ValueError, "lr"),
        ({"lr": "0.01"}, TypeError, "lr"),
        ({"lr": True}, TypeError, "lr"),
        ({"loss": ["ce"]}, TypeError, "loss"),
        ({"loss_params": [("q", 0.7)], "loss": "gce"}, TypeError, "loss_params"),
        ({"select_on": ["val"]}, TypeError, "select_on"),
    ],
)
def test_train_classifier_refuses_bad_arguments(kwargs, exc, message):
    X, y = _small()
    with pytest.raises(exc, match=message):
        nt.train_classifier(X, y, epochs=1, hidden=4, progress=False, **kwargs)


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_infinite_features_are_refused_by_name(bad):
    X, y = _small()
    X[0, 0] = bad
    model = nt.make_mlp(4, 3, hidden=4)
    with pytest.raises(ValueError, match="X contains infinite"):
        nt.train_classifier(X, y, epochs=1, hidden=4, progress=False)
    with pytest.raises(ValueError, match="X contains infinite"):
        nt.predict_proba(model, X)
    with pytest.raises(ValueError, match="X contains infinite"):
        nt.filter_then_train(X, y, np.zeros(len(y), bool), epochs=1, progress=False)


def test_labels_not_numbered_from_zero_are_refused():
    X, y = _small()
    with pytest.raises(ValueError, match="labels use the classes"):
        nt.train_classifier(X, y + 1, epochs=1, hidden=4, progress=False)
    with pytest.raises(ValueError, match="y use the classes"):
        nt.NoisyMLPClassifier(hidden=4, epochs=1).fit(X, y * 10)
    model = nt.make_mlp(4, 3, hidden=4)
    with pytest.raises(ValueError, match="labels contains the class 3"):
        nt.accuracy(model, X, y + 1)
    with pytest.raises(ValueError, match="labels has 29"):
        nt.accuracy(model, X, y[:-1])


def test_classifier_checks_its_inputs_by_their_names():
    X, y = _small()
    with pytest.raises(ValueError, match="y has 29"):
        nt.NoisyMLPClassifier(hidden=4, epochs=1).fit(X, y[:-1])
    with pytest.raises(ValueError, match="y must be whole numbers"):
        nt.NoisyMLPClassifier(hidden=4, epochs=1).fit(X, y + 0.5)


@pytest.mark.parametrize("q", [float("nan"), -0.5, "0.5", True, 1.5])
def test_make_loss_checks_its_parameters_at_once(q):
    with pytest.raises((ValueError, TypeError), match="q"):
        nt.make_loss("gce", q=q)
    with pytest.raises((ValueError, TypeError), match="epsilon"):
        nt.make_loss("label_smoothing", epsilon=q)


@pytest.mark.parametrize("name", [["gce"], 3, "GCE"])
def test_make_loss_names_the_bad_name(name):
    with pytest.raises(ValueError, match=r"loss must be one of .*got name="):
        nt.make_loss(name)


@pytest.mark.parametrize("func", [nt.generalized_cross_entropy, nt.label_smoothing_loss])
def test_losses_refuse_strings_by_name(func):
    logits = torch.zeros(4, 3)
    with pytest.raises(TypeError, match="logits"):
        func(np.zeros((4, 3)).astype(str), torch.zeros(4, dtype=torch.long))
    with pytest.raises(TypeError, match="labels"):
        func(logits, np.array(["0", "1", "2", "0"]))
    with pytest.raises(TypeError, match="labels"):
        func(logits, np.array([None, 1, 2, 0], dtype=object))
    with pytest.raises(TypeError, match="losses"):
        nt.small_loss_selection(np.array(["0.1", "0.2"]), 0.5)


@pytest.mark.parametrize(
    "images, exc",
    [
        (np.full((2, 4, 4), np.nan), ValueError),
        (np.full((2, 4, 4), np.inf), ValueError),
        (np.zeros((2, 4, 4)).astype(str), TypeError),
        (np.zeros((0, 4, 4)), ValueError),
        (np.zeros((2, 4, 4), complex), TypeError),
    ],
)
def test_downsample_images_refuses_bad_images(images, exc):
    with pytest.raises(exc, match="images"):
        nt.downsample_images(images)


def _runs():
    return pd.DataFrame(
        {"setting": "s", "seed": [0, 1, 0, 1], "method": ["a", "a", "b", "b"],
         "accuracy": [0.7, 0.8, 0.75, 0.9]}
    )  # fmt: skip


def test_summarize_runs_refuses_bad_tables():
    runs = _runs()
    with pytest.raises(TypeError, match="results must be a pandas DataFrame"):
        nt.summarize_runs(runs.to_numpy(), "a")
    with pytest.raises(ValueError, match="appear more than once"):
        nt.summarize_runs(pd.concat([runs, runs]), "a")
    with pytest.raises(ValueError, match="percentages"):
        nt.summarize_runs(runs.assign(accuracy=runs["accuracy"] * 100), "a")
    with pytest.raises(ValueError, match=r"results\['accuracy'\] contains NaN"):
        nt.summarize_runs(runs.assign(accuracy=[np.nan, 0.8, 0.75, 0.9]), "a")
    with pytest.raises(ValueError, match="value='error' is not a column"):
        nt.summarize_runs(runs, "a", value="error")
    with pytest.raises(TypeError, match="baseline"):
        nt.summarize_runs(runs, ["a"])
