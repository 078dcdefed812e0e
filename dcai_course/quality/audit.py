"""Class balance and the whole audit in one call.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    SeedLike,
    as_rng,
    check_class_labels,
    check_float,
    check_int,
    check_labels,
    check_labels_within,
    check_same_length,
)
from .duplicates import (
    disagrees_with_group,
    find_duplicates,
    label_conflicts,
)
from .features import (
    _as_numeric,
    _as_texts,
    _check_threshold,
    _exact_keys,
    _groups_from_keys,
    _is_text,
)
from .leakage import find_leakage
from .outliers import flag_outliers, outlier_scores


def class_balance(labels: Any, n_classes: int | None = None) -> dict[str, Any]:
    """Class counts, proportions and the imbalance ratio (largest count / smallest count).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    n_classes : int, optional
        K; classes ``0..K-1`` with no example count as 0 (and make the ratio infinite).
        By default ``labels.max() + 1``.

    Returns
    -------
    dict
        ``counts`` (int array of shape (K,)), ``proportions`` (float array, sums to 1)
        and ``imbalance_ratio`` (float, 1.0 for perfectly balanced classes).

    Examples
    --------
    >>> b = class_balance([0, 0, 0, 1, 2, 2])
    >>> b["counts"].tolist(), b["imbalance_ratio"]
    ([3, 1, 2], 3.0)

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y, k = check_class_labels(labels, n_classes)
    counts = np.bincount(y, minlength=k).astype(np.int64)
    smallest = counts.min()
    ratio = float(counts.max() / smallest) if smallest > 0 else float("inf")
    return {"counts": counts, "proportions": counts / counts.sum(), "imbalance_ratio": ratio}


# --- the audit ------------------------------------------------------------------------------


@dataclass
class AuditReport:
    """The result of :func:`audit`: a summary and one DataFrame per issue type.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per issue type: ``issue``, ``examples`` (how many examples are
        affected), ``share`` (of the audited examples) and ``detail``.
    duplicates : pandas.DataFrame
        One row per duplicated example: ``index``, ``group``, ``group_size``, ``kind``
        (``"exact"`` or ``"near"``), and ``label`` / ``text`` when known.
    label_conflicts : pandas.DataFrame
        The rows of ``duplicates`` whose group has conflicting labels, with
        ``disagrees`` (the label differs from the group's most common one).
    leakage : pandas.DataFrame
        Test examples with a copy in the training data (see :func:`find_leakage`).
    outliers : pandas.DataFrame
        Flagged examples (:func:`flag_outliers`), most unusual first: ``index``,
        ``score``, ``rank``.
    class_balance : pandas.DataFrame
        ``count`` and ``proportion`` per class.
    imbalance_ratio : float
    n_examples : int

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """

    summary: pd.DataFrame
    duplicates: pd.DataFrame
    label_conflicts: pd.DataFrame
    leakage: pd.DataFrame
    outliers: pd.DataFrame
    class_balance: pd.DataFrame
    imbalance_ratio: float
    n_examples: int
    n_worst: int = field(default=5, repr=False)

    def worst(self, issue: str) -> pd.DataFrame:
        """The first ``n_worst`` rows of an issue's table (they are sorted worst first)."""
        tables = {
            "duplicates": self.duplicates,
            "label_conflicts": self.label_conflicts,
            "leakage": self.leakage,
            "outliers": self.outliers,
        }
        if not isinstance(issue, str) or issue not in tables:
            raise ValueError(f"issue must be one of {sorted(tables)}, got {issue!r}.")
        return tables[issue].head(self.n_worst)

    def __str__(self) -> str:
        with pd.option_context("display.width", 120, "display.max_colwidth", 60):
            parts = [
                f"Data-quality audit of {self.n_examples} examples",
                self.summary.to_string(index=False),
            ]
            for issue in ("duplicates", "label_conflicts", "leakage", "outliers"):
                table = self.worst(issue)
                if len(table):
                    parts.append(
                        f"\n{issue}: the first {len(table)} of {len(getattr(self, issue))}"
                    )
                    parts.append(table.to_string(index=False))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.__str__()


def _shorten(texts: np.ndarray, width: int = 50) -> np.ndarray:
    s = pd.Series(texts, dtype=object).str.replace(r"\s+", " ", regex=True)
    return np.where(s.str.len() > width, s.str.slice(0, width - 1) + "…", s).astype(object)


def _group_table(groups: list[np.ndarray], kinds: list[str]) -> pd.DataFrame:
    """One row per member: the groups ordered largest first, then by their first index."""
    sizes = np.array([g.size for g in groups], dtype=np.int64)
    table = pd.DataFrame(
        {
            "index": np.concatenate(groups) if groups else np.array([], dtype=np.int64),
            "group": np.repeat(np.arange(len(groups), dtype=np.int64), sizes),
            "group_size": np.repeat(sizes, sizes),
            "kind": np.repeat(np.array(kinds, dtype=object), sizes),
        }
    )
    return table.sort_values(
        ["group_size", "group", "index"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


def audit(
    X: Any,
    labels: Any = None,
    X_test: Any = None,
    labels_test: Any = None,
    *,
    near_threshold: float | None = None,
    metric: str | None = None,
    outlier_method: str = "knn",
    k: int = 10,
    outlier_factor: float = 1.5,
    n_worst: int = 5,
    seed: SeedLike = None,
) -> AuditReport:
    """Run every check of this module on a data set and gather the results.

    Parameters
    ----------
    X : array-like of shape (n, d), or sequence of str
        The (training) data; numeric data must have no NaN (outlier scores need
        distances).
    labels : array-like of int, shape (n,), optional
        Enables label conflicts among duplicates and the class balance.
    X_test : like ``X``, optional
        Enables train/test leakage.
    labels_test : array-like of int, optional
        Added to the leakage table next to the training copy's label.
    near_threshold : float, optional
        Also group near-duplicates (and find near copies across the split) within this
        distance; exact ones only by default.
    metric, k, outlier_method, seed
        Passed to :func:`find_duplicates`, :func:`find_leakage` and
        :func:`outlier_scores`.
    outlier_factor : float, default 1.5
        Passed to :func:`flag_outliers`.
    n_worst : int, default 5
        Rows per issue shown when the report is printed.

    Returns
    -------
    AuditReport

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(size=(50, 2)), [[8.0, 8.0]], rng.normal(size=(1, 2))])
    >>> X[-1] = X[0]
    >>> report = audit(X, labels=np.r_[np.zeros(26), np.ones(26)].astype(int))
    >>> report.summary[["issue", "examples"]]
                               issue  examples
    0               exact duplicates         2
    1  label conflicts in duplicates         2
    2      outliers (knn, Tukey 1.5)         4
    3                 smallest class        26
    >>> int(report.outliers["index"].iloc[0])  # the planted point is the most unusual
    50

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    text = _is_text(X)
    data = _as_texts(X, "X") if text else _as_numeric(X, "X", allow_nan=False)
    n = data.shape[0]
    n_worst = check_int(n_worst, "n_worst", minimum=1)
    k = check_int(k, "k", minimum=1)
    outlier_factor = check_float(outlier_factor, "outlier_factor", minimum=0.0)
    seed = as_rng(seed)
    y = None
    if labels is not None:
        y, _ = check_class_labels(labels)
        check_same_length(X=np.empty(n), labels=y)
    near_threshold = _check_threshold(near_threshold, "near_threshold")

    # duplicates: exact groups, or near groups (which contain the exact ones)
    keys = _exact_keys(data, normalize_text=True)
    exact = _groups_from_keys(keys)
    in_exact = np.zeros(n, dtype=bool)
    if exact:
        in_exact[np.concatenate(exact)] = True
    groups = exact if near_threshold is None else find_duplicates(data, near_threshold, metric)
    is_near = [np.unique(keys[g]).size > 1 for g in groups]
    duplicates = _group_table(groups, ["near" if f else "exact" for f in is_near])
    if y is not None:
        duplicates["label"] = y[duplicates["index"].to_numpy()]
    if text:
        duplicates["text"] = _shorten(data[duplicates["index"].to_numpy()])

    conflicts = duplicates.iloc[0:0].assign(disagrees=pd.Series(dtype=bool))
    if y is not None and groups:
        bad = {int(g[0]) for g in label_conflicts(groups, y)}
        odd = disagrees_with_group(groups, y)
        first = duplicates.groupby("group")["index"].transform("min")
        conflicts = duplicates[first.isin(bad).to_numpy()].copy()
        conflicts["disagrees"] = odd[conflicts["index"].to_numpy()]
        conflicts = conflicts.reset_index(drop=True)

    leakage = pd.DataFrame(columns=["test_index", "train_index", "distance"])
    n_test = 0
    if X_test is not None:
        leakage = find_leakage(data if text else X, X_test, near_threshold, metric)
        n_test = len(X_test) if not hasattr(X_test, "shape") else X_test.shape[0]
        if labels_test is not None:
            yt = check_labels(labels_test, name="labels_test")
            check_same_length(X_test=np.empty(n_test), labels_test=yt)
            if y is not None:
                check_labels_within(y, "labels", labels_test=yt)
            leakage["test_label"] = yt[leakage["test_index"].to_numpy()]
        if y is not None:
            leakage["train_label"] = y[leakage["train_index"].to_numpy()]
        if text:
            leakage["text"] = _shorten(data[leakage["train_index"].to_numpy()])

    scores = outlier_scores(data, outlier_method, k=min(k, n - 1), metric=metric, seed=seed)
    flagged = flag_outliers(scores, outlier_factor)
    order = np.argsort(-scores, kind="stable")
    flagged_idx = order[flagged[order]]
    outliers = pd.DataFrame(
        {
            "index": flagged_idx,
            "score": scores[flagged_idx],
            "rank": np.arange(1, flagged_idx.size + 1),
        }
    )
    if y is not None:
        outliers["label"] = y[flagged_idx]
    if text:
        outliers["text"] = _shorten(data[flagged_idx])

    balance = pd.DataFrame({"count": [], "proportion": []})
    ratio = float("nan")
    if y is not None:
        b = class_balance(y)
        balance = pd.DataFrame({"count": b["counts"], "proportion": b["proportions"]})
        balance.index.name = "class"
        ratio = b["imbalance_ratio"]

    rows = [("exact duplicates", int(in_exact.sum()), n, f"{len(exact)} groups")]
    if near_threshold is not None:
        in_near = np.zeros(n, dtype=bool)
        near_groups = [g for g, f in zip(groups, is_near, strict=True) if f]
        if near_groups:
            in_near[np.concatenate(near_groups)] = True
        rows.append(
            (
                f"near duplicates (<= {near_threshold:g})",
                int((in_near & ~in_exact).sum()),
                n,
                f"{len(near_groups)} groups beyond exact copies",
            )
        )
    if y is not None:
        rows.append(
            (
                "label conflicts in duplicates",
                len(conflicts),
                n,
                f"{int(conflicts['disagrees'].sum())} disagree with their group",
            )
        )
    if X_test is not None:
        rows.append(("test examples leaked", len(leakage), n_test, "copies of training examples"))
    rows.append(
        (
            f"outliers ({outlier_method}, Tukey {outlier_factor:g})",
            int(flagged.sum()),
            n,
            f"median score {np.median(scores):.3g}",
        )
    )
    if y is not None:
        smallest = int(np.argmin(b["counts"]))
        rows.append(
            (
                "smallest class",
                int(b["counts"][smallest]),
                n,
                f"class {smallest}; imbalance ratio {ratio:.3g}",
            )
        )
    summary = pd.DataFrame(rows, columns=["issue", "examples", "of", "detail"])
    summary.insert(2, "share", summary["examples"] / summary["of"])
    summary = summary.drop(columns="of")
    return AuditReport(
        summary=summary,
        duplicates=duplicates,
        label_conflicts=conflicts,
        leakage=leakage,
        outliers=outliers,
        class_balance=balance,
        imbalance_ratio=ratio,
        n_examples=n,
        n_worst=n_worst,
    )
