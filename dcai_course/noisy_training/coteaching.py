"""Small-loss selection (co-teaching) and its forget-rate schedule.

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
import torch

from ._common import _as_tensor, _check_positive_int, _check_rate

#: Ways of training on small-loss examples only: the network's own choice, or its peer's.
SMALL_LOSS = ("self", "co_teaching")


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
