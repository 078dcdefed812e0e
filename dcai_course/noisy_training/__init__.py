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

from .coteaching import SMALL_LOSS, forget_rate_schedule, small_loss_selection
from .experiments import METHODS as METHODS
from .experiments import Comparison as Comparison
from .experiments import compare_methods, downsample_images, summarize_runs
from .losses import (
    LOSSES,
    forward_corrected_loss,
    generalized_cross_entropy,
    label_smoothing_loss,
    make_loss,
)
from .training import (
    FitResult,
    NoisyMLPClassifier,
    accuracy,
    deterministic_torch,
    filter_then_train,
    make_mlp,
    predict_proba,
    train_classifier,
)

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
