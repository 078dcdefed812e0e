"""Input checks and helpers shared by the privacy modules.

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from .._validation import (
    check_2d,
    check_class_labels,
    check_labels,
    check_pred_probs,
    check_same_length,
)

#: Probabilities are clipped to at least this before the log (a model may give 0).
EPS = 1e-12


def _finite_2d(X: Any, name: str = "X") -> np.ndarray:
    arr = check_2d(X, name=name)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains infinity; every feature must be a finite number.")
    return arr


def _class_labels(labels: Any, name: str) -> np.ndarray:
    return check_class_labels(labels, name=name)[0]


# --- attack scores ----------------------------------------------------------------------------


def _probs_and_labels(pred_probs: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    probs = check_pred_probs(pred_probs)
    y = check_labels(labels, probs.shape[1])
    check_same_length(pred_probs=probs, labels=y)
    return probs, y


# --- membership inference over seeds ----------------------------------------------------------


def _fitted_seeded(model: Any, X: np.ndarray, y: np.ndarray, seed: int) -> Any:
    fitted = clone(model)
    if "random_state" in fitted.get_params():
        fitted.set_params(random_state=seed)
    return fitted.fit(X, y)
