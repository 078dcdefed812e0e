"""Data augmentation and synthetic data, judged by the downstream model.

Split by concern:

* :mod:`.images`: label-preserving transforms of image batches (:func:`rotate`,
  :func:`shift`, :func:`hflip`, :func:`random_erasing`, :func:`augment`), mixing
  (:func:`mixup`, :func:`cutmix`) and a tiny CNN (:func:`make_cnn`, :func:`train_cnn`);
* :mod:`.text`: EDA's four operations (:func:`eda`) with an offline synonym list;
* :mod:`.tabular`: :func:`smote` and :func:`imbalance_scores` (nothing, class weights,
  SMOTE ours and imbalanced-learn's);
* :mod:`.synthesis`: a class-conditional generator (:func:`gaussian_mixture_candidates`)
  and the model-guided filter :func:`accept_by_validation`.

The capstone's :func:`dcai_course.curation.transform_images` (rotations and shifts of
flattened 8×8 digits) stays in :mod:`dcai_course.curation`.

Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
"""

from __future__ import annotations

from .images import (
    accuracy,
    augment,
    augmentation_curve,
    cutmix,
    hflip,
    make_cnn,
    mixup,
    one_hot,
    random_erasing,
    rotate,
    shift,
    train_cnn,
)
from .synthesis import accept_by_validation, gaussian_mixture_candidates
from .tabular import IMBALANCE_METHODS, imbalance_scores, smote
from .text import SYNONYMS, eda, random_deletion, random_insertion, random_swap, synonym_replacement

__all__ = [
    "IMBALANCE_METHODS",
    "SYNONYMS",
    "accept_by_validation",
    "accuracy",
    "augment",
    "augmentation_curve",
    "cutmix",
    "eda",
    "gaussian_mixture_candidates",
    "hflip",
    "imbalance_scores",
    "make_cnn",
    "mixup",
    "one_hot",
    "random_deletion",
    "random_erasing",
    "random_insertion",
    "random_swap",
    "rotate",
    "shift",
    "smote",
    "synonym_replacement",
    "train_cnn",
]
