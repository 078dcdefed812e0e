"""Learning with noisy labels: losses and training loops that tolerate label errors.

Confident learning (:mod:`dcai_course.label_errors`) *removes* the labels it believes
wrong. The other half of the field *trains through* the errors that remain:

* **loss correction**: :func:`forward_corrected_loss` (Patrini et al., CVPR 2017)
  passes the model's clean-label probabilities through the noise matrix
  ``T[true, given] = P(given | true)`` before the cross-entropy, so that the model is
  fitted to the noisy labels *as noisy labels*;
* **the small-loss trick**: :func:`small_loss_selection` keeps the examples of a batch
  with the smallest losses (networks fit clean examples before flipped ones), either for
  the network itself or, in co-teaching (Han et al., NeurIPS 2018), for its peer;
* **robust losses**: :func:`generalized_cross_entropy` (Zhang & Sabuncu, NeurIPS 2018)
  and :func:`label_smoothing_loss`.

:func:`train_classifier` trains a small multilayer perceptron on the CPU with any of
these, deterministically (one thread, ``torch.use_deterministic_algorithms``, every
random draw from a ``torch.Generator`` seeded by ``seed``), and records the accuracy of
each evaluation set after every epoch. :class:`NoisyMLPClassifier` wraps it as a
scikit-learn classifier (for cross-validated probabilities and for cleanlab).

The noise matrix follows the course convention of :mod:`dcai_course.noise`:
``noise_matrix[true, given] = P(given | true)``, rows sum to 1 (cleanlab's
``noise_matrix`` is its transpose).

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from torch import nn
from torch.nn import functional as F

from ._validation import (
    SeedLike,
    as_random_state,
    check_2d,
    check_class_labels,
    check_features,
    check_finite_array,
    check_fractions,
    check_int,
    check_labels,
    check_no_duplicates,
    check_positive,
    check_probability,
    check_str,
    check_table,
)
from .evidence import mean_ci
from .noise import validate_noise_matrix

__all__ = [
    "LOSSES",
    "SMALL_LOSS",
    "FitResult",
    "NoisyMLPClassifier",
    "accuracy",
    "compare_methods",
    "deterministic_torch",
    "downsample_images",
    "filter_then_train",
    "forget_rate_schedule",
    "forward_corrected_loss",
    "generalized_cross_entropy",
    "label_smoothing_loss",
    "make_loss",
    "make_mlp",
    "predict_proba",
    "small_loss_selection",
    "summarize_runs",
    "train_classifier",
]

#: The losses :func:`make_loss` and :func:`train_classifier` know, with their parameters.
LOSSES = {
    "ce": (),
    "forward": ("noise_matrix",),
    "gce": ("q",),
    "label_smoothing": ("epsilon",),
}
#: Ways of training on small-loss examples only: the network's own choice, or its peer's.
SMALL_LOSS = ("self", "co_teaching")

_REDUCTIONS = ("mean", "none")


# --- input checks --------------------------------------------------------------------------


def _as_tensor(values: Any, name: str) -> torch.Tensor:
    """``values`` as a tensor; arrays of strings or objects are refused by name."""
    if not isinstance(values, torch.Tensor):
        arr = np.asarray(values)
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be numbers (a tensor or array), got dtype {arr.dtype}.")
        values = arr
    return torch.as_tensor(values)


def _check_logits(logits: Any) -> torch.Tensor:
    t = _as_tensor(logits, "logits")
    if not t.is_floating_point():
        raise TypeError(f"logits must be a float tensor, got dtype {t.dtype}.")
    if t.ndim != 2 or t.shape[1] < 2:
        raise ValueError(
            f"logits must be 2-D (n_examples, n_classes) with at least 2 classes, got shape "
            f"{tuple(t.shape)}. Pass the network's raw outputs, before the softmax."
        )
    if not torch.isfinite(t).all():
        raise ValueError("logits contain NaN or infinite values; check the network's inputs.")
    return t


def _check_targets(labels: Any, logits: torch.Tensor) -> torch.Tensor:
    t = _as_tensor(labels, "labels")
    if t.is_floating_point() or t.dtype == torch.bool:
        raise TypeError(
            f"labels must be integer class indices, got dtype {t.dtype}. "
            "Convert them with labels.long()."
        )
    n, k = logits.shape
    if t.shape != (n,):
        raise ValueError(
            f"labels must have shape ({n},), one class index per row of logits, got "
            f"{tuple(t.shape)}."
        )
    if n and (t.min() < 0 or t.max() >= k):
        raise ValueError(f"labels must be class indices 0..{k - 1} (logits have {k} columns).")
    return t.long()


def _check_reduction(reduction: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}.")
    return reduction


def _check_rate(value: Any, name: str) -> float:
    """A rate in [0, 1): 1 would forget (or smooth away) every example."""
    value = check_probability(value, name)
    if value >= 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}: 1 would discard everything.")
    return value


def _check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
    return int(value)


def _reduce(per_example: torch.Tensor, reduction: str) -> torch.Tensor:
    return per_example.mean() if reduction == "mean" else per_example


# --- losses --------------------------------------------------------------------------------


def forward_corrected_loss(
    logits: Any, labels: Any, noise_matrix: Any, reduction: str = "mean"
) -> torch.Tensor:
    """Cross-entropy of the noisy labels against the model's probabilities passed through T.

    The network's softmax estimates the *clean* label distribution ``p(true | x)``. The
    noisy label is distributed as ``p(given | x) = sum_j p(j | x) T[j, given]``; forward
    correction (Patrini et al., CVPR 2017) takes the cross-entropy of that with the given
    label: ``-log (softmax(logits) @ T)[i, y_i]``. With ``T`` the identity it is the
    plain cross-entropy. Computed as a log-sum-exp, for stability.

    Parameters
    ----------
    logits : tensor of shape (n, K)
        Raw network outputs.
    labels : tensor of int, shape (n,)
        The given (noisy) labels.
    noise_matrix : array-like of shape (K, K)
        ``T[true, given] = P(given | true)``; each row sums to 1.
    reduction : {"mean", "none"}, default "mean"
        The mean over examples, or one loss per example.

    Examples
    --------
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> T = [[0.8, 0.2], [0.3, 0.7]]
    >>> forward_corrected_loss(logits, torch.tensor([0, 0]), T, reduction="none")
    tensor([0.3006, 0.8336])

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 4).
    """
    logits = _check_logits(logits)
    y = _check_targets(labels, logits)
    k = logits.shape[1]
    matrix = torch.as_tensor(validate_noise_matrix(noise_matrix, k), dtype=logits.dtype)
    log_t = torch.log(matrix[:, y].T)  # (n, K): log T[j, y_i]; -inf where T is 0
    per = -torch.logsumexp(F.log_softmax(logits, dim=1) + log_t, dim=1)
    return _reduce(per, _check_reduction(reduction))


def generalized_cross_entropy(
    logits: Any, labels: Any, q: float = 0.7, reduction: str = "mean"
) -> torch.Tensor:
    """Generalised cross-entropy ``(1 - p_y^q) / q`` (Zhang & Sabuncu, NeurIPS 2018).

    ``q -> 0`` gives the cross-entropy; ``q = 1`` the mean absolute error, which is
    robust to noise but slow to fit. In between, an example the model finds very
    unlikely (a flipped label) pulls on the weights less than under cross-entropy.

    Parameters
    ----------
    logits : tensor of shape (n, K)
    labels : tensor of int, shape (n,)
    q : float in (0, 1], default 0.7
        The value recommended by the paper.
    reduction : {"mean", "none"}, default "mean"

    Examples
    --------
    >>> generalized_cross_entropy(torch.tensor([[0.0, 0.0]]), torch.tensor([0]), q=1.0)
    tensor(0.5000)

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 6).
    """
    logits = _check_logits(logits)
    y = _check_targets(labels, logits)
    q = check_probability(q, "q")
    if q == 0:
        raise ValueError("q must be in (0, 1]; q -> 0 is the cross-entropy: use loss='ce'.")
    p_y = F.softmax(logits, dim=1).gather(1, y[:, None]).squeeze(1)
    return _reduce((1 - p_y.clamp_min(1e-12) ** q) / q, _check_reduction(reduction))


def label_smoothing_loss(
    logits: Any, labels: Any, epsilon: float = 0.1, reduction: str = "mean"
) -> torch.Tensor:
    """Cross-entropy against the smoothed target ``(1 - epsilon) * onehot + epsilon / K``.

    The same as ``torch.nn.functional.cross_entropy(..., label_smoothing=epsilon)``.

    Examples
    --------
    >>> label_smoothing_loss(torch.tensor([[0.0, 0.0]]), torch.tensor([0]), epsilon=0.2)
    tensor(0.6931)

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 6).
    """
    logits = _check_logits(logits)
    y = _check_targets(labels, logits)
    epsilon = _check_rate(epsilon, "epsilon")
    log_p = F.log_softmax(logits, dim=1)
    k = logits.shape[1]
    per = -(1 - epsilon) * log_p.gather(1, y[:, None]).squeeze(1) - epsilon / k * log_p.sum(1)
    return _reduce(per, _check_reduction(reduction))


def _cross_entropy(logits: Any, labels: Any, reduction: str = "mean") -> torch.Tensor:
    logits = _check_logits(logits)
    y = _check_targets(labels, logits)
    return F.cross_entropy(logits, y, reduction=_check_reduction(reduction))


def make_loss(name: str = "ce", **params: Any) -> Callable[[Any, Any], torch.Tensor]:
    """The loss ``name`` as a function ``(logits, labels) -> per-example losses``.

    Parameters
    ----------
    name : {"ce", "forward", "gce", "label_smoothing"}
    **params
        ``noise_matrix`` for ``"forward"``, ``q`` for ``"gce"``, ``epsilon`` for
        ``"label_smoothing"`` (see :data:`LOSSES`).

    Examples
    --------
    >>> loss = make_loss("gce", q=0.5)
    >>> loss(torch.zeros(2, 3), torch.tensor([0, 2])).shape
    torch.Size([2])

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    functions = {
        "ce": _cross_entropy,
        "forward": forward_corrected_loss,
        "gce": generalized_cross_entropy,
        "label_smoothing": label_smoothing_loss,
    }
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got name={name!r}.")
    unknown = set(params) - set(LOSSES[name])
    if unknown:
        raise ValueError(
            f"loss {name!r} takes the parameters {list(LOSSES[name]) or 'none'}, got "
            f"{sorted(unknown)}."
        )
    if name == "forward" and "noise_matrix" not in params:
        raise ValueError("loss 'forward' needs noise_matrix=T, with T[true, given].")
    if name == "forward":  # validate once, not on every batch
        params = {"noise_matrix": validate_noise_matrix(params["noise_matrix"])}
    function = functions[name]
    if name in ("gce", "label_smoothing"):  # check q or epsilon now, not at the first batch
        function(torch.zeros(1, 2), torch.zeros(1, dtype=torch.long), **params)

    def loss(logits: Any, labels: Any) -> torch.Tensor:
        return function(logits, labels, reduction="none", **params)

    return loss


# --- the small-loss trick ------------------------------------------------------------------


def small_loss_selection(losses: Any, forget_rate: float) -> torch.Tensor:
    """Boolean mask of the examples with the smallest losses, dropping ``forget_rate``.

    ``round(forget_rate * n)`` examples are dropped (rounding half to even), those with
    the largest losses; ties are broken by position (the earlier example is kept).
    This is the selection of co-teaching (Han et al., NeurIPS 2018): early in training a
    network fits the clean examples first, so the small-loss ones are mostly clean.

    Parameters
    ----------
    losses : tensor of shape (n,)
        One loss per example.
    forget_rate : float in [0, 1)
        The fraction to drop; set it to the estimated noise rate.

    Returns
    -------
    torch.Tensor of bool, shape (n,)

    Examples
    --------
    >>> small_loss_selection(torch.tensor([0.5, 2.0, 0.1, 0.9]), 0.5)
    tensor([ True, False,  True, False])

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 5).
    """
    t = _as_tensor(losses, "losses")
    if not t.is_floating_point() or t.ndim != 1 or t.numel() == 0:
        raise ValueError(
            f"losses must be a non-empty 1-D float tensor (one loss per example), got dtype "
            f"{t.dtype} and shape {tuple(t.shape)}. Use reduction='none'."
        )
    if torch.isnan(t).any():
        raise ValueError("losses contain NaN; check the logits.")
    forget_rate = _check_rate(forget_rate, "forget_rate")
    n = t.numel()
    n_keep = n - int(np.rint(forget_rate * n))
    order = torch.argsort(t, stable=True)
    keep = torch.zeros(n, dtype=torch.bool)
    keep[order[:n_keep]] = True
    return keep


def forget_rate_schedule(epoch: int, forget_rate: float, warmup_epochs: int = 10) -> float:
    """Co-teaching's schedule: the forget rate grows linearly to ``forget_rate``.

    ``forget_rate * min(epoch / warmup_epochs, 1)``: nothing is dropped in epoch 0, while
    the network has not yet learnt which examples are easy.

    Examples
    --------
    >>> [round(forget_rate_schedule(e, 0.4, 4), 2) for e in range(6)]
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.4]

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 5).
    """
    forget_rate = _check_rate(forget_rate, "forget_rate")
    warmup_epochs = _check_positive_int(warmup_epochs, "warmup_epochs")
    if isinstance(epoch, bool) or not isinstance(epoch, Integral) or epoch < 0:
        raise ValueError(f"epoch must be an int >= 0, got {epoch!r}.")
    return forget_rate * min(epoch / warmup_epochs, 1.0)


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
    from ._validation import check_mask

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


# --- reading repeated runs -----------------------------------------------------------------


def summarize_runs(
    results: pd.DataFrame, baseline: str, value: str = "accuracy", confidence: float = 0.95
) -> pd.DataFrame:
    """Mean of each method over seeds, and its paired difference from ``baseline``.

    Parameters
    ----------
    results : pandas.DataFrame
        One row per run, with columns ``setting``, ``method``, ``seed`` and ``value``.
    baseline : str
        The method every other one is compared with, seed by seed (same split and noise).
    value : str, default "accuracy"
    confidence : float, default 0.95
        Level of the t intervals ``mean ± t · sd / sqrt(n_seeds)``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``setting`` and ``method``: ``mean``, ``low``, ``high`` (interval of
        the mean), ``diff``, ``diff_low``, ``diff_high`` (of the paired difference from
        the baseline), ``wins`` (seeds where the method beats the baseline) and ``n``.

    Examples
    --------
    >>> runs = pd.DataFrame({"setting": "s", "seed": [0, 1, 0, 1],
    ...                      "method": ["a", "a", "b", "b"], "accuracy": [0.7, 0.8, 0.75, 0.9]})
    >>> summarize_runs(runs, baseline="a")[["mean", "diff", "wins", "n"]].round(3)
                     mean   diff  wins  n
    setting method
    s       a       0.750  0.000     0  2
            b       0.825  0.075     2  2

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    confidence = check_probability(confidence, "confidence")
    results = check_table(results, "results", ["setting", "method", "seed"])
    value, baseline = check_str(value, "value"), check_str(baseline, "baseline")
    if value not in results.columns:
        raise ValueError(f"value={value!r} is not a column of results {list(results.columns)}.")
    check_no_duplicates(results, "results", ["setting", "method", "seed"])
    if results[value].isna().any():
        raise ValueError(f"results[{value!r}] contains NaN; drop or fix those runs first.")
    if value == "accuracy":
        check_fractions(results[value], "results['accuracy']")
    if baseline not in set(results["method"]):
        raise ValueError(f"baseline {baseline!r} is not a method of results.")
    wide = results.pivot_table(index=["setting", "seed"], columns="method", values=value)
    diff = wide.sub(wide[baseline], axis=0)
    rows = []
    for (setting, method), group in results.groupby(["setting", "method"], sort=False):
        d = diff.loc[setting, method].dropna().to_numpy()
        mean, low, high = mean_ci(group[value].to_numpy(), confidence)
        d_mean, d_low, d_high = mean_ci(d, confidence)
        rows.append(
            {"setting": setting, "method": method, "mean": mean, "low": low, "high": high,
             "diff": d_mean, "diff_low": d_low, "diff_high": d_high,
             "wins": int((d > 0).sum()), "n": len(group)}
        )  # fmt: skip
    return pd.DataFrame(rows).set_index(["setting", "method"])


# --- the lecture's experiment --------------------------------------------------------------


def downsample_images(images: Any, factor: int = 2) -> np.ndarray:
    """Average ``factor × factor`` blocks of grey images and flatten them to rows in [0, 1].

    MNIST's 28×28 images become 14×14 = 196 features with ``factor=2``: four times less
    work for the network, and the digits stay legible.

    Examples
    --------
    >>> downsample_images(np.full((1, 4, 4), 255, dtype=np.uint8)).tolist()
    [[1.0, 1.0, 1.0, 1.0]]

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb (section 1).
    """
    arr = check_finite_array(images, "images")
    factor = _check_positive_int(factor, "factor")
    if arr.ndim != 3 or arr.shape[1] % factor or arr.shape[2] % factor:
        raise ValueError(
            f"images must be (n, height, width) with sides divisible by factor={factor}, got "
            f"shape {arr.shape}."
        )
    n, h, w = arr.shape
    blocks = arr.reshape(n, h // factor, factor, w // factor, factor).mean(axis=(2, 4))
    return blocks.reshape(n, -1) / 255.0


#: The methods of :func:`compare_methods`, in the order of the lecture.
METHODS = (
    "oracle", "cross-entropy", "early stopping", "forward (true T)", "forward (estimated T)",
    "co-teaching", "GCE", "label smoothing", "filter", "filter + GCE",
)  # fmt: skip


class Comparison(NamedTuple):
    """What :func:`compare_methods` returns: three tables, one row per run or epoch."""

    #: ``setting``, ``seed``, ``method``, ``accuracy`` (on the clean test part).
    results: pd.DataFrame
    #: The cross-entropy run's history: ``setting``, ``seed``, ``epoch``, ``clean``,
    #: ``flipped`` (training accuracy against the given labels), ``val`` (noisy), ``test``.
    histories: pd.DataFrame
    #: What confident learning estimated: ``setting``, ``seed``, ``true_rate``,
    #: ``estimated_rate``, ``matrix_error`` (largest row total-variation distance),
    #: ``flagged``, ``precision``, ``recall``.
    estimates: pd.DataFrame


def _split(n: int, n_train: int, n_val: int, rng: np.random.Generator):
    order = rng.permutation(n)
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]


def _estimate(X, noisy, recipe, cv_epochs, seed):
    """Cross-validated probabilities of the same MLP, then confident learning."""
    from .label_errors import estimate_noise_matrices, find_label_issues, out_of_sample_pred_probs

    shape = {k: recipe[k] for k in ("hidden", "batch_size", "lr")}
    clf = NoisyMLPClassifier(**shape, epochs=cv_epochs, seed=seed)
    probs = out_of_sample_pred_probs(clf, X, noisy, cv=3, seed=seed)
    return estimate_noise_matrices(noisy, probs), find_label_issues(noisy, probs)


def _one_setting(X, y, parts, matrix, rng, recipe, cv_epochs, seed):
    from .label_errors import detection_scores
    from .noise import inject_label_noise

    tr, va, te = parts
    noisy, flipped = inject_label_noise(y[tr], matrix, seed=rng)
    noisy_val, _ = inject_label_noise(y[va], matrix, seed=rng)
    Xtr = X[tr]
    watch = {"clean": (Xtr[~flipped], noisy[~flipped]), "flipped": (Xtr[flipped], noisy[flipped])}
    watch |= {"val": (X[va], noisy_val), "test": (X[te], y[te])}
    base = train_classifier(X[tr], noisy, eval_sets=watch, **recipe, seed=seed)
    history = base.history
    est, issues = _estimate(X[tr], noisy, recipe, cv_epochs, seed)
    rate = est.n_label_issues / len(noisy)
    gce, est_t = {"loss": "gce", "loss_params": {"q": 0.7}}, est.noise_matrix
    runs = {
        "forward (true T)": {"loss": "forward", "loss_params": {"noise_matrix": matrix}},
        "forward (estimated T)": {"loss": "forward", "loss_params": {"noise_matrix": est_t}},
        "co-teaching": {"small_loss": "co_teaching", "forget_rate": min(rate, 0.9)},
        "GCE": gce,
        "label smoothing": {"loss": "label_smoothing", "loss_params": {"epsilon": 0.4}},
    }  # fmt: skip
    acc = {"cross-entropy": history["test"].iloc[-1],
           "early stopping": history["test"].iloc[int(history["val"].idxmax())]}  # fmt: skip
    for name, kwargs in runs.items():
        model = train_classifier(X[tr], noisy, **kwargs, **recipe, seed=seed).model
        acc[name] = accuracy(model, X[te], y[te])
    for name, kwargs in {"filter": {}, "filter + GCE": gce}.items():
        fit, _ = filter_then_train(X[tr], noisy, issues, **kwargs, **recipe, seed=seed)
        acc[name] = accuracy(fit.model, X[te], y[te])
    tv = np.abs(est.noise_matrix - matrix).sum(axis=1).max() / 2
    found = detection_scores(issues, flipped)
    estimate = {"true_rate": flipped.mean(), "estimated_rate": rate, "matrix_error": tv}
    estimate |= {key: found[key] for key in ("flagged", "precision", "recall")}
    return acc, history, estimate


def compare_methods(
    X: Any,
    y: Any,
    noise_matrices: Mapping[str, Any],
    seeds: Any = range(5),
    *,
    n_train: int = 2500,
    n_val: int = 1000,
    recipe: Mapping[str, Any] | None = None,
    cv_epochs: int = 12,
    progress: bool = True,
    n_jobs: int = 1,
) -> Comparison:
    """The lecture's experiment: every method on the same splits, noise draws and seeds.

    For each seed: a fresh split of ``(X, y)`` into ``n_train`` training rows, ``n_val``
    validation rows and a clean test part (the rest); the oracle is trained on the true
    labels. Then for each noise setting, the training and validation labels are
    corrupted (:func:`dcai_course.noise.inject_label_noise`) and :data:`METHODS` are
    trained with the same ``recipe`` (arguments of :func:`train_classifier`):
    cross-entropy (its last epoch, and its best epoch on the noisy validation set),
    forward correction with the true and with the estimated matrix, co-teaching with the
    forget rate set to the estimated noise rate, GCE (``q=0.7``), label smoothing
    (``epsilon=0.4``), and confident learning's filter followed by cross-entropy or GCE.
    Confident learning uses 3-fold cross-validated probabilities of the same network
    trained for ``cv_epochs``. With ``n_jobs`` > 1 the seeds run in that many worker
    processes (each on one thread, as in a single process): the results are the same,
    only sooner.

    Returns
    -------
    Comparison
        ``(results, histories, estimates)``: see :class:`Comparison`.

    Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
    """
    from tqdm.auto import tqdm

    from .noise import validate_noise_matrix

    X, y = check_2d(X), check_labels(y)
    matrices = {name: validate_noise_matrix(m) for name, m in dict(noise_matrices).items()}
    recipe = {"hidden": 64, "epochs": 25, "batch_size": 500, "lr": 5e-3, **dict(recipe or {})}
    recipe["progress"] = False
    seeds = list(seeds)
    n_jobs = check_int(n_jobs, "n_jobs", minimum=1)
    run = functools.partial(_one_seed, X, y, matrices, n_train, n_val, recipe, cv_epochs)
    if n_jobs == 1:
        per_seed = [run(seed) for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    else:
        from joblib import Parallel, delayed

        per_seed = Parallel(n_jobs=n_jobs)(delayed(run)(seed) for seed in seeds)
    results = [row for rows, _, _ in per_seed for row in rows]
    histories = [h for _, hs, _ in per_seed for h in hs]
    estimates = [e for _, _, es in per_seed for e in es]
    return Comparison(pd.DataFrame(results), pd.concat(histories, ignore_index=True),
                      pd.DataFrame(estimates))  # fmt: skip


def _one_seed(X, y, matrices, n_train, n_val, recipe, cv_epochs, seed):
    """One seed of :func:`compare_methods`: its split, the oracle, then every setting."""
    results, histories, estimates = [], [], []
    rng = np.random.default_rng(seed)
    parts = _split(len(y), n_train, n_val, rng)
    oracle = train_classifier(X[parts[0]], y[parts[0]], **recipe, seed=seed).model
    oracle_acc = accuracy(oracle, X[parts[2]], y[parts[2]])
    for setting, matrix in matrices.items():
        acc, history, estimate = _one_setting(X, y, parts, matrix, rng, recipe, cv_epochs, seed)
        acc["oracle"] = oracle_acc
        key = {"setting": setting, "seed": seed}
        results += [{**key, "method": m, "accuracy": acc[m]} for m in METHODS]
        histories.append(history.assign(**key))
        estimates.append({**key, **estimate})
    return results, histories, estimates
