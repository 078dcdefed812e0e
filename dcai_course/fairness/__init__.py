"""Fairness and bias in data: group metrics, reweighing, resampling, group thresholds.

Binary decisions (label 1 = the favourable outcome, e.g. "income above $50K") and one
sensitive attribute (``sex``, ``race``, or any array of group names):

* **measuring**: :func:`group_metrics` (per-group selection rate, true/false positive
  rates, accuracy, base rate and calibration), :func:`demographic_parity_difference`,
  :func:`demographic_parity_ratio`, :func:`equalized_odds_difference` and
  :func:`fairness_report`. They equal ``fairlearn.metrics.MetricFrame`` and its
  difference/ratio functions on the same inputs, including fairlearn's convention that
  a rate whose denominator is empty (a group with no positive example) is 0;
* **bias in the data**: :func:`inject_group_noise` (label noise whose rate depends on the
  group) and :func:`find_label_issues_by_group` (confident learning,
  :func:`dcai_course.label_errors.find_label_issues`, run inside each group);
* **mitigation before training**: :func:`reweighing_weights` (Kamiran & Calders 2012)
  and :func:`resample_indices` (the same target, reached by sampling rows);
* **mitigation after training**: :func:`fit_group_thresholds` and
  :func:`apply_group_thresholds`, one decision threshold per group chosen to equalise
  selection rates (demographic parity) or true positive rates (equal opportunity) at
  the best overall accuracy; the deterministic counterpart of fairlearn's
  ``ThresholdOptimizer``.

:func:`adult_fairness_data` and :func:`compare_mitigations` are the notebook's
experiment plumbing; :func:`plot_tradeoff` draws its accuracy/fairness plane.

Taught in: notebooks/09_fairness_and_bias.ipynb.
"""

from __future__ import annotations

from .bias import find_label_issues_by_group, inject_group_noise
from .experiments import (
    MITIGATIONS,
    adult_fairness_data,
    adult_split,
    compare_mitigations,
    group_noise_experiment,
    plot_tradeoff,
)
from .metrics import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    fairness_report,
    group_metrics,
)
from .mitigation import (
    CONSTRAINTS,
    apply_group_thresholds,
    fit_group_thresholds,
    resample_indices,
    reweighing_weights,
)

__all__ = [
    "CONSTRAINTS",
    "MITIGATIONS",
    "adult_fairness_data",
    "adult_split",
    "apply_group_thresholds",
    "compare_mitigations",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "fairness_report",
    "find_label_issues_by_group",
    "fit_group_thresholds",
    "group_metrics",
    "group_noise_experiment",
    "inject_group_noise",
    "plot_tradeoff",
    "resample_indices",
    "reweighing_weights",
]
