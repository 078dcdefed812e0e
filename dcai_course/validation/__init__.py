"""Data validation and reproducible data pipelines: schemas, drift checks, content hashes.

What a production team does before any model sees a batch of data:

* **profile** it (:func:`profile`, :func:`string_patterns`), **infer a schema** from a
  trusted sample (:func:`infer_schema`) and tighten it by hand (:meth:`Schema.with_rule`);
* **validate** every new batch against the schema (:func:`validate`), one row per
  violation (row, column, rule, value), and the same checks with ``pandera``
  (:func:`to_pandera`, :func:`pandera_violations`);
* compare each batch's **distributions** with the training data: the population
  stability index (:func:`psi`) and a two-sample test per column (:func:`ks_2sample`
  for numbers, :func:`chi2_2sample` for categories), gathered by :func:`drift_report`;
* **hash** data sets (:func:`hash_frame`, :func:`hash_array`, :func:`content_hash`) and
  record the hash of every step's output in a small pipeline (:class:`DataPipeline`) so
  that the exact data a model was trained on can be named and rebuilt.

The same checks are cheap enough for millions of rows: every check is one vectorised
pass over a column (``benchmarks/bench_validation.py`` times them against pandera).

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

from .drift import chi2_2sample, drift_report, ks_2sample, psi
from .experiments import (
    BREAKS,
    MISSING_STRATEGIES,
    adult_model,
    break_batch,
    contract_experiment,
    missing_value_experiment,
)
from .lineage import DataPipeline, content_hash, hash_array, hash_frame
from .profiling import MISSING_TOKENS as MISSING_TOKENS
from .profiling import profile, raw_youtube_dates, string_patterns
from .schema import (
    VIOLATION_COLUMNS,
    ColumnRule,
    Schema,
    infer_schema,
    pandera_violations,
    to_pandera,
    validate,
    violation_keys,
)

__all__ = [
    "BREAKS",
    "MISSING_STRATEGIES",
    "VIOLATION_COLUMNS",
    "ColumnRule",
    "DataPipeline",
    "Schema",
    "adult_model",
    "break_batch",
    "chi2_2sample",
    "content_hash",
    "contract_experiment",
    "drift_report",
    "hash_array",
    "hash_frame",
    "infer_schema",
    "ks_2sample",
    "missing_value_experiment",
    "pandera_violations",
    "profile",
    "psi",
    "raw_youtube_dates",
    "string_patterns",
    "to_pandera",
    "validate",
    "violation_keys",
]
