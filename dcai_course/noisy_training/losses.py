"""Noise-robust losses: forward correction, generalized cross-entropy, label
smoothing, and :func:`make_loss` to pick one by name.

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.nn import functional as F

from .._validation import check_probability
from ..noise import validate_noise_matrix
from ._common import _as_tensor, _check_rate

#: The losses :func:`make_loss` and :func:`train_classifier` know, with their parameters.
LOSSES = {
    "ce": (),
    "forward": ("noise_matrix",),
    "gce": ("q",),
    "label_smoothing": ("epsilon",),
}


_REDUCTIONS = ("mean", "none")


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
