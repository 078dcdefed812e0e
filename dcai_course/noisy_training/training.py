"""Training a small MLP on noisy labels, deterministically: :func:`train_classifier`,
:func:`filter_then_train` and the scikit-learn style :class:`NoisyMLPClassifier`.

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from torch import nn
from torch.nn import functional as F

from .._validation import (
    SeedLike,
    as_random_state,
    check_class_labels,
    check_features,
    check_labels,
    check_positive,
    check_str,
)
from ._common import _check_positive_int, _check_rate
from .coteaching import SMALL_LOSS, forget_rate_schedule, small_loss_selection
from .losses import make_loss

# --- the network and the trainer -----------------------------------------------------------


@contextmanager
def deterministic_torch(threads: int = 1) -> Iterator[None]:
    """Run torch on ``threads`` CPU threads with deterministic algorithms, then restore.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    threads = _check_positive_int(threads, "threads")
    before = (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled())
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(before[0])
        torch.use_deterministic_algorithms(before[1])


def _generator(seed: SeedLike) -> torch.Generator:
    return torch.Generator().manual_seed(as_random_state(seed))


def make_mlp(
    n_features: int, n_classes: int, hidden: int = 64, seed: SeedLike = 0
) -> nn.Sequential:
    """A one-hidden-layer perceptron ``Linear -> ReLU -> Linear``, seeded.

    Weights and biases are drawn uniformly from ``±1/sqrt(fan_in)`` (torch's default
    range) with a ``torch.Generator``, so no global random state is touched.

    Examples
    --------
    >>> make_mlp(196, 10, hidden=32, seed=0)
    Sequential(
      (0): Linear(in_features=196, out_features=32, bias=True)
      (1): ReLU()
      (2): Linear(in_features=32, out_features=10, bias=True)
    )

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    sizes = [_check_positive_int(v, n) for v, n in ((n_features, "n_features"), (hidden, "hidden"))]
    n_classes = _check_positive_int(n_classes, "n_classes")
    model = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], n_classes))
    g = _generator(seed)
    with torch.no_grad():
        for layer in (model[0], model[2]):
            bound = 1 / np.sqrt(layer.in_features)
            layer.weight.uniform_(-bound, bound, generator=g)
            layer.bias.uniform_(-bound, bound, generator=g)
    return model


class FitResult(NamedTuple):
    """What :func:`train_classifier` returns.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """

    #: The trained network (with co-teaching: the first of the two).
    model: nn.Module
    #: One row per epoch: ``epoch``, ``forget_rate`` and the accuracy of each eval set.
    history: pd.DataFrame
    #: The epoch whose weights ``model`` holds (the last, or the best on ``select_on``).
    epoch: int


def _tensors(X: Any, labels: Any, name: str = "X") -> tuple[torch.Tensor, torch.Tensor]:
    x = check_features(X, name=name, allow_sparse=False)
    y = check_labels(labels, name=f"labels of {name}")
    if len(y) != len(x):
        raise ValueError(f"{name} has {len(x)} rows but its labels have {len(y)} entries.")
    return torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y)


def predict_proba(model: nn.Module, X: Any) -> np.ndarray:
    """Softmax probabilities of ``model`` on ``X``, as a float64 NumPy array.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    x = torch.as_tensor(check_features(X, allow_sparse=False), dtype=torch.float32)
    with torch.no_grad():
        return F.softmax(model(x), dim=1).double().numpy()


def accuracy(model: nn.Module, X: Any, labels: Any) -> float:
    """Fraction of ``X`` whose arg-max prediction equals ``labels``.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    y = check_labels(labels)
    probs = predict_proba(model, X)
    if len(y) != len(probs):
        raise ValueError(f"X has {len(probs)} rows but labels has {len(y)} entries.")
    if y.max() >= probs.shape[1]:
        raise ValueError(
            f"labels contains the class {y.max()}, but the model has {probs.shape[1]} outputs "
            f"(classes 0..{probs.shape[1] - 1}): the labels are numbered another way."
        )
    return float((probs.argmax(axis=1) == y).mean())


def _check_eval_sets(eval_sets: Mapping | None) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    if eval_sets is None:
        return {}
    if not isinstance(eval_sets, Mapping):
        raise TypeError("eval_sets must be a dict {name: (X, labels)}.")
    return {name: _tensors(*pair, name=f"eval_sets[{name!r}]") for name, pair in eval_sets.items()}


def _check_small_loss(small_loss: str | None, forget_rate: float) -> float:
    if small_loss is not None and small_loss not in SMALL_LOSS:
        raise ValueError(f"small_loss must be None or one of {SMALL_LOSS}, got {small_loss!r}.")
    forget_rate = _check_rate(forget_rate, "forget_rate")
    if small_loss is None and forget_rate > 0:
        raise ValueError("forget_rate needs small_loss='self' or 'co_teaching'.")
    return forget_rate


def _epoch(models, optims, loss_fn, x, y, *, batch_size, rate, small_loss, g) -> None:
    """One pass over the data in shuffled mini-batches."""
    order = torch.randperm(len(y), generator=g)
    for start in range(0, len(y), batch_size):
        idx = order[start : start + batch_size]
        losses = [loss_fn(m(x[idx]), y[idx]) for m in models]
        if small_loss is None:
            keeps = [slice(None)] * len(models)
        else:
            picks = [small_loss_selection(loss.detach(), rate) for loss in losses]
            keeps = picks[::-1] if small_loss == "co_teaching" else picks  # peer's choice
        for opt, loss, keep in zip(optims, losses, keeps, strict=True):
            opt.zero_grad()
            loss[keep].mean().backward()
            opt.step()


def train_classifier(
    X: Any,
    labels: Any,
    *,
    loss: str = "ce",
    loss_params: Mapping[str, Any] | None = None,
    small_loss: str | None = None,
    forget_rate: float = 0.0,
    warmup_epochs: int = 5,
    hidden: int = 64,
    epochs: int = 20,
    batch_size: int = 128,
    lr: float = 1e-3,
    eval_sets: Mapping[str, tuple[Any, Any]] | None = None,
    select_on: str | None = None,
    seed: SeedLike = 0,
    progress: bool = True,
) -> FitResult:
    """Train a small MLP (:func:`make_mlp`) with Adam on the CPU, deterministically.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Features (scale them to about [0, 1] first).
    labels : array-like of int, shape (n,)
        The given, possibly noisy, labels.
    loss : {"ce", "forward", "gce", "label_smoothing"}, default "ce"
    loss_params : dict, optional
        Passed to :func:`make_loss` (e.g. ``{"noise_matrix": T}`` for ``"forward"``).
    small_loss : {None, "self", "co_teaching"}, default None
        Train on the small-loss examples of each batch only: chosen by the network
        itself, or (co-teaching) by a second network trained alongside, each choosing
        for the other.
    forget_rate : float in [0, 1), default 0
        The fraction of each batch to drop, reached after ``warmup_epochs``
        (:func:`forget_rate_schedule`); set it to the estimated noise rate.
    warmup_epochs : int, default 5
    hidden, epochs, batch_size, lr
        The network's width, the number of passes, the batch size and Adam's step size.
    eval_sets : dict {name: (X, labels)}, optional
        Sets whose accuracy (against the labels given here) is recorded after each epoch.
    select_on : str, optional
        Early stopping: return the weights of the epoch with the best accuracy on this
        eval set (the first such epoch), e.g. a *noisy* validation set.
    seed : int or numpy.random.Generator, default 0
        Seeds the initial weights and the order of the batches.
    progress : bool, default True
        Show a tqdm progress bar over the epochs.

    Returns
    -------
    FitResult
        ``(model, history, epoch)``.

    Examples
    --------
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> fit = train_classifier(X / 16, y, epochs=3, seed=0, progress=False)
    >>> fit.history.columns.tolist(), fit.epoch
    (['epoch', 'forget_rate'], 2)

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    from tqdm.auto import tqdm

    x, y = _tensors(X, labels)
    check_class_labels(y.numpy(), name="labels")
    if loss_params is not None and not isinstance(loss_params, Mapping):
        raise TypeError(
            f"loss_params must be a dict such as {{'q': 0.7}}, got {type(loss_params).__name__}."
        )
    loss_fn = make_loss(check_str(loss, "loss"), **dict(loss_params or {}))
    lr = check_positive(lr, "lr")
    if select_on is not None:
        select_on = check_str(select_on, "select_on")
    forget_rate = _check_small_loss(small_loss, forget_rate)
    sets = _check_eval_sets(eval_sets)
    if select_on is not None and select_on not in sets:
        raise ValueError(f"select_on={select_on!r} is not a key of eval_sets {sorted(sets)}.")
    epochs, batch_size = (
        _check_positive_int(v, n) for v, n in ((epochs, "epochs"), (batch_size, "batch_size"))
    )
    k = max(int(y.max()) + 1, *(int(s[1].max()) + 1 for s in sets.values()), 2)
    g = _generator(seed)
    seeds = torch.randint(2**31 - 1, (2,), generator=g).tolist()
    n_models = 2 if small_loss == "co_teaching" else 1
    rows, best = [], (-1.0, None, -1)
    with deterministic_torch(1):
        models = [make_mlp(x.shape[1], k, hidden, seed=s) for s in seeds[:n_models]]
        optims = [torch.optim.Adam(m.parameters(), lr=lr) for m in models]
        for epoch in tqdm(range(epochs), desc="epochs", disable=not progress):
            rate = forget_rate_schedule(epoch, forget_rate, warmup_epochs) if small_loss else 0.0
            _epoch(models, optims, loss_fn, x, y, batch_size=batch_size, rate=rate,
                   small_loss=small_loss, g=g)  # fmt: skip
            row = {"epoch": epoch, "forget_rate": rate}
            row |= {name: accuracy(models[0], sx, sy) for name, (sx, sy) in sets.items()}
            rows.append(row)
            if select_on is not None and row[select_on] > best[0]:
                best = (row[select_on], copy.deepcopy(models[0].state_dict()), epoch)
    model, chosen = models[0], epochs - 1
    if select_on is not None:
        model.load_state_dict(best[1])
        chosen = best[2]
    return FitResult(model, pd.DataFrame(rows), chosen)


def filter_then_train(
    X: Any, labels: Any, is_issue: Any, **train_kwargs: Any
) -> tuple[FitResult, np.ndarray]:
    """Drop the flagged examples, then :func:`train_classifier` on the rest.

    ``is_issue`` is a boolean mask, e.g. from
    :func:`dcai_course.label_errors.find_label_issues`; ``train_kwargs`` go to the
    trainer (a robust ``loss`` there gives "filter, then train robustly"). Returns the
    fit and the mask of the examples kept.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 7).
    """
    from .._validation import check_mask

    x = check_features(X, allow_sparse=False)
    y = check_labels(labels)
    flags = check_mask(is_issue, "is_issue")
    if not (len(x) == len(y) == len(flags)):
        raise ValueError(
            f"X, labels and is_issue must describe the same examples; got {len(x)}, {len(y)} "
            f"and {len(flags)} rows."
        )
    if flags.all():
        raise ValueError("is_issue flags every example: nothing is left to train on.")
    keep = ~flags
    return train_classifier(x[keep], y[keep], **train_kwargs), keep


class NoisyMLPClassifier(ClassifierMixin, BaseEstimator):
    """:func:`train_classifier` as a scikit-learn classifier (``fit``/``predict_proba``).

    For cross-validated probabilities
    (:func:`dcai_course.label_errors.out_of_sample_pred_probs`) and for cleanlab's
    ``CleanLearning``. Every argument is passed to :func:`train_classifier`.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """

    def __init__(self, loss="ce", loss_params=None, hidden=64, epochs=20, batch_size=128,
                 lr=1e-3, seed=0):  # fmt: skip
        self.loss = loss
        self.loss_params = loss_params
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def fit(self, X, y):
        """Train on ``(X, y)`` (no ``sample_weight``: cleanlab then trains unweighted)."""
        y, _ = check_class_labels(y, name="y")
        X = check_features(X, allow_sparse=False, n_rows=len(y), labels_name="y")
        self.classes_ = np.arange(max(int(y.max()) + 1, 2))
        self.model_ = train_classifier(
            X, y, loss=self.loss, loss_params=self.loss_params, hidden=self.hidden,
            epochs=self.epochs, batch_size=self.batch_size, lr=self.lr, seed=self.seed,
            progress=False,
        ).model  # fmt: skip
        return self

    def predict_proba(self, X):
        return predict_proba(self.model_, X)

    def predict(self, X):
        return self.predict_proba(X).argmax(axis=1)
