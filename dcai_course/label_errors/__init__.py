"""Confident learning: finding label errors from out-of-sample predicted probabilities.

Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in Dataset
Labels", JAIR 2021.

Every function takes the given (possibly noisy) ``labels`` and the out-of-sample
``pred_probs`` of a model (:func:`out_of_sample_pred_probs`), and works in four steps:

1. :func:`per_class_thresholds`: the mean self-confidence of each given class;
2. :func:`confident_joint`: the K×K counts ``C[given, true]`` of the examples whose
   probability of a class reaches that class's threshold;
3. :func:`estimate_noise_matrices`: the joint distribution of given and true labels and
   the noise matrices, from the calibrated confident joint;
4. :func:`find_label_issues` and :func:`rank_label_issues`: which examples to flag, and
   in which order to look at them.

Conventions
-----------
The confident joint and the joint are indexed ``[given, true]``, as in the paper and in
cleanlab. The noise matrix follows the course convention of :mod:`dcai_course.noise`,
``noise_matrix[true, given] = P(given | true)`` (rows sum to 1); cleanlab's
``noise_matrix`` is its transpose.

``tiebreak="cleanlab"`` reproduces cleanlab 2.x exactly (float64 inputs): when an
example's probabilities reach the thresholds of several classes, cleanlab counts it under
the arg-max over *all* classes, which need not be one of the classes that passed
(cleanlab issues #737 and #823). ``tiebreak="paper"``, the default, takes the arg-max
among the passing classes, as the paper defines it.

The package has three parts: :mod:`~dcai_course.label_errors.core` (the algorithm),
:mod:`~dcai_course.label_errors.evaluation` (precision, recall, retraining, plots, against
a known truth) and :mod:`~dcai_course.label_errors.real` (real label errors, checked
against the verdicts of crowd workers). Everything is importable from here.

Taught in: notebooks/02_confident_learning.ipynb (``out_of_sample_pred_probs`` first
appears in notebooks/01_model_vs_data_centric.ipynb).
"""

from .core import (
    FILTER_BY,
    RANK_BY,
    TIEBREAKS,
    NoiseEstimates,
    confident_joint,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
    out_of_sample_pred_probs,
    per_class_thresholds,
    rank_label_issues,
)
from .evaluation import (
    cleaning_experiment,
    detection_scores,
    detection_table,
    plot_noise_matrix,
    retraining_table,
)
from .real import crowd_precision_at_k, verdict_summary

__all__ = [
    "FILTER_BY",
    "RANK_BY",
    "TIEBREAKS",
    "NoiseEstimates",
    "cleaning_experiment",
    "confident_joint",
    "crowd_precision_at_k",
    "detection_scores",
    "detection_table",
    "estimate_noise_matrices",
    "find_label_issues",
    "label_quality_scores",
    "out_of_sample_pred_probs",
    "per_class_thresholds",
    "plot_noise_matrix",
    "rank_label_issues",
    "retraining_table",
    "verdict_summary",
]
