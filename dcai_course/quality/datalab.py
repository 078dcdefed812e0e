"""The reference: cleanlab's Datalab on the same data.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._validation import (
    check_labels,
    check_same_length,
)
from .features import (
    _as_numeric,
    _check_metric,
)
from .outliers import _check_k


@dataclass
class DatalabResult:
    """What :func:`run_datalab` returns.

    Attributes
    ----------
    issues : pandas.DataFrame
        One row per example: ``is_<issue>_issue`` (bool) and ``<issue>_score`` (in
        [0, 1], **lower = more severe**, cleanlab's convention) for each issue type run.
    summary : pandas.DataFrame
        ``issue_type``, ``num_issues`` and ``score`` per issue type.
    near_duplicate_sets : list of numpy.ndarray
        For each example, the indices Datalab considers its near-duplicates (empty if
        none); only when ``"near_duplicate"`` was run.

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame
    near_duplicate_sets: list[np.ndarray]


_DATALAB_ISSUES = ("near_duplicate", "outlier", "label")


def run_datalab(
    features: Any = None,
    labels: Any = None,
    pred_probs: Any = None,
    *,
    issue_types: Sequence[str] = _DATALAB_ISSUES,
    metric: str | None = None,
    k: int = 10,
) -> DatalabResult:
    """Run cleanlab's ``Datalab`` on the same data as our audit, for comparison.

    Only the issue types asked for are run, with the inputs already computed (features
    for ``near_duplicate`` and ``outlier``, out-of-sample ``pred_probs`` for ``label``),
    so nothing is trained again.

    Parameters
    ----------
    features : array-like of shape (n, d)
        Dense numeric features (for text: a dense TF-IDF or embedding matrix).
    labels : array-like of int, shape (n,), optional
        Needed for ``"label"``.
    pred_probs : array-like of shape (n, K), optional
        Out-of-sample predicted probabilities, needed for ``"label"``.
    issue_types : sequence of {"near_duplicate", "outlier", "label"}
    metric : str, optional
        Distance of the k-NN graph shared by ``near_duplicate`` and ``outlier``. Datalab's
        own default is cosine for more than 3 features, euclidean otherwise.
    k : int, default 10
        Neighbours in that graph.

    Returns
    -------
    DatalabResult

    Notes
    -----
    ``cleanlab.Datalab`` needs the ``datasets`` package, installed with the course
    (``cleanlab[datalab]``).

    Examples
    --------
    >>> X = np.array([[0.0, 0], [0, 0], [1, 1], [1, 1.1], [2, 2], [9, 9]])
    >>> r = run_datalab(X, issue_types=["near_duplicate"], metric="euclidean", k=2)
    >>> r.issues["is_near_duplicate_issue"].tolist()
    [True, True, False, False, False, False]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    unknown = set(issue_types) - set(_DATALAB_ISSUES)
    if unknown or not issue_types:
        raise ValueError(
            f"issue_types must be a non-empty subset of {_DATALAB_ISSUES}, got {list(issue_types)}."
        )
    X = None
    n = None
    if features is not None:
        X = _as_numeric(features, "features", allow_nan=False)
        if sp.issparse(X):
            X = X.toarray()
        n = X.shape[0]
    elif {"near_duplicate", "outlier"} & set(issue_types):
        raise ValueError("near_duplicate and outlier issues need features.")
    y = probs = None
    if "label" in issue_types:
        from .._validation import check_pred_probs

        if labels is None or pred_probs is None:
            raise ValueError("label issues need labels and out-of-sample pred_probs.")
        probs = check_pred_probs(pred_probs)
        y = check_labels(labels, probs.shape[1])
        check_same_length(labels=y, pred_probs=probs)
        n = y.size if n is None else n
        check_same_length(features=np.empty(n), labels=y)
    elif labels is not None:
        y = check_labels(labels)
        check_same_length(features=np.empty(n), labels=y)
    params: dict[str, dict[str, Any]] = {}
    for name in issue_types:
        params[name] = {}
        if name in ("near_duplicate", "outlier"):
            params[name]["k"] = _check_k(k, n)
            if metric is not None:
                params[name]["metric"] = _check_metric(metric, False)
    from cleanlab import Datalab

    data = {"label": y} if y is not None else {"index": np.arange(n)}
    lab = Datalab(data=data, label_name="label" if y is not None else None, verbosity=0)
    lab.find_issues(features=X, pred_probs=probs, issue_types=params)
    columns = [c for name in issue_types for c in (f"is_{name}_issue", f"{name}_score")]
    issues = lab.get_issues()[columns].reset_index(drop=True)
    summary = lab.get_issue_summary()
    sets = (
        lab.get_info("near_duplicate")["near_duplicate_sets"]
        if "near_duplicate" in issue_types
        else []
    )
    summary = summary[["issue_type", "num_issues", "score"]].reset_index(drop=True)
    sets = [np.sort(np.asarray(s, dtype=np.int64)) for s in sets]
    return DatalabResult(issues=issues, summary=summary, near_duplicate_sets=sets)
