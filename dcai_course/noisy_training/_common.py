"""Input checks shared by the noisy-training modules.

Taught in: notebooks/03_learning_with_noisy_labels.ipynb.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
import torch

from .._validation import check_probability

# --- input checks --------------------------------------------------------------------------


def _as_tensor(values: Any, name: str) -> torch.Tensor:
    """``values`` as a tensor; arrays of strings or objects are refused by name."""
    if not isinstance(values, torch.Tensor):
        arr = np.asarray(values)
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be numbers (a tensor or array), got dtype {arr.dtype}.")
        values = arr
    return torch.as_tensor(values)


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
