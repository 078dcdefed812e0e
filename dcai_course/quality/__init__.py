"""The data-quality audit: duplicates, train/test leakage, outliers and class imbalance.

Four checks that every data set deserves before a model is trained on it, each a small
function that works on numeric arrays and on text (a TF-IDF vectoriser is applied where
the input is text, see :func:`featurize`):

* :func:`find_duplicates`: exact duplicates (by hashing the rows or the normalised texts)
  and near-duplicates (examples within a distance ``threshold`` of each other, grouped
  transitively), returned as groups of indices; :func:`label_conflicts` keeps the groups
  whose labels disagree, and :func:`disagrees_with_group` points at the odd ones out;
* :func:`find_leakage`: test examples that are exact or near copies of training examples;
* :func:`outlier_scores`: how unusual each example is, **higher = more unusual** for every
  method (mean distance to the k nearest neighbours, isolation forest, local outlier
  factor), and :func:`flag_outliers`, Tukey's upper fence on such scores;
* :func:`class_balance`: class counts, proportions and the imbalance ratio.

:func:`audit` runs them all and returns one :class:`AuditReport` (a DataFrame per issue
type plus a summary). :func:`run_datalab` runs cleanlab's ``Datalab`` on the same data
for comparison, and :func:`leakage_experiment` measures how much a leak inflates test
accuracy.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from .audit import AuditReport, audit, class_balance
from .datalab import DatalabResult, run_datalab
from .duplicates import deduplicate, disagrees_with_group, find_duplicates, label_conflicts
from .features import METRICS, featurize
from .leakage import find_leakage, leakage_experiment, leakage_inflation
from .outliers import OUTLIER_METHODS, flag_outliers, outlier_scores, precision_recall

__all__ = [
    "METRICS",
    "OUTLIER_METHODS",
    "AuditReport",
    "DatalabResult",
    "audit",
    "class_balance",
    "deduplicate",
    "disagrees_with_group",
    "featurize",
    "find_duplicates",
    "find_leakage",
    "flag_outliers",
    "label_conflicts",
    "leakage_experiment",
    "leakage_inflation",
    "outlier_scores",
    "precision_recall",
    "run_datalab",
]
