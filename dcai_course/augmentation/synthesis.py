"""Synthetic data from a class-conditional generator, judged by the downstream model.

:func:`gaussian_mixture_candidates` fits one Gaussian mixture per class and samples new
labelled rows from it; :func:`accept_by_validation` (shared with the capstone,
:mod:`dcai_course.curation`) keeps a batch of candidates only when it raises the
accuracy on a held-out validation split.

Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_count,
    check_features,
    check_labels,
)
from ..curation import accept_by_validation

__all__ = ["accept_by_validation", "gaussian_mixture_candidates"]


def gaussian_mixture_candidates(
    X: Any, y: Any, n_per_class: int, n_components: int = 2, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``n_per_class`` synthetic rows per class from a per-class Gaussian mixture.

    Each class's rows are fitted by ``sklearn.mixture.GaussianMixture`` with
    ``n_components`` full-covariance components (fewer when the class is small, with a
    small ridge ``reg_covar=1e-3`` so that a covariance stays invertible), and new rows are
    drawn from it with that class's label.

    Returns
    -------
    (X_new, y_new)
        ``n_per_class`` rows for every class, class by class.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 2)); y = np.repeat([0, 1], 20)
    >>> Xs, ys = gaussian_mixture_candidates(X, y, 5, seed=0)
    >>> Xs.shape, np.bincount(ys).tolist()
    ((10, 2), [5, 5])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    from sklearn.mixture import GaussianMixture

    labels = check_labels(y, name="y")
    data = check_features(X, "X", n_rows=labels.size, allow_sparse=False, labels_name="y")
    n_per_class = check_count(n_per_class, "n_per_class")
    n_components = check_count(n_components, "n_components")
    rng = as_rng(seed)
    out_X, out_y = [], []
    for c in np.unique(labels):
        members = data[labels == c]
        if len(members) < 2:
            raise ValueError(f"class {c} has a single example; a generator needs at least 2.")
        gm = GaussianMixture(
            min(n_components, len(members) // 2 or 1),
            reg_covar=1e-3,
            random_state=as_random_state(rng),
        ).fit(members)
        sample, _ = gm.sample(n_per_class)
        out_X.append(sample[rng.permutation(n_per_class)])
        out_y.append(np.full(n_per_class, c))
    return np.concatenate(out_X), np.concatenate(out_y)
