"""Data-centric evaluation and distribution shift.

Split by concern:

* :mod:`.slices`: accuracy per slice (a group of rows) with Wilson or bootstrap
  intervals, for single columns and their intersections;
* :mod:`.sliceline`: SliceLine (Sagadeeva & Boehm, SIGMOD 2021), the lattice search for
  large slices where a model errs most;
* :mod:`.shift`: two-sample tests for covariate shift (a domain classifier with a
  permutation p-value, per-feature Kolmogorov-Smirnov with a multiple-testing
  correction, MMD), importance weights with their effective sample size, and black-box
  shift estimation (BBSE) for label shift.

Taught in: notebooks/08_evaluation_and_distribution_shift.ipynb.
"""

from .shift import (
    adjust_correction,
    auc_permutation_test,
    bbse_weights,
    classifier_two_sample_test,
    effective_sample_size,
    importance_weights,
    ks_tests,
    mmd_test,
    reweight_probs,
)
from .sliceline import slice_mask, sliceline
from .slices import bootstrap_interval, slice_metrics, wilson_interval

__all__ = [
    "adjust_correction",
    "auc_permutation_test",
    "bbse_weights",
    "bootstrap_interval",
    "classifier_two_sample_test",
    "effective_sample_size",
    "importance_weights",
    "ks_tests",
    "mmd_test",
    "reweight_probs",
    "slice_mask",
    "slice_metrics",
    "sliceline",
    "wilson_interval",
]
