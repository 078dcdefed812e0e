"""Real label errors: a detector's flags and rankings checked against crowd verdicts.

The verdicts come from :func:`dcai_course.datasets.load_label_errors`: one row per
candidate that crowd workers reviewed, with its row ``index`` and ``confirmed`` (fewer
than 3 of 5 workers chose the given label). Only the candidates that Northcutt et al.
flagged were reviewed, so every function here reports how many of the examples it
scores were reviewed at all, next to how many were confirmed.

Taught in: notebooks/02_confident_learning.ipynb (section 10).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_int_sequence, check_mask, check_no_duplicates, check_table

__all__ = ["crowd_precision_at_k", "verdict_summary"]


def _check_verdicts(verdicts: Any) -> pd.DataFrame:
    if not isinstance(verdicts, pd.DataFrame) or not {"index", "confirmed"} <= set(verdicts):
        raise TypeError(
            "verdicts must be a DataFrame with the columns 'index' and 'confirmed', as "
            "returned by dcai_course.datasets.load_label_errors(name).verdicts; got "
            f"{type(verdicts).__name__}."
        )
    check_table(verdicts, "verdicts", ("index", "confirmed"))
    check_no_duplicates(verdicts, "verdicts", ("index",))
    return verdicts


def _status(rows: np.ndarray, verdicts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row: was it reviewed, and was it confirmed as a label error?"""
    confirmed = verdicts.set_index("index")["confirmed"].astype(bool)
    reviewed = np.isin(rows, confirmed.index.to_numpy())
    is_error = reviewed & np.isin(rows, confirmed.index[confirmed.to_numpy()].to_numpy())
    return reviewed, is_error


def _check_ranking(ranking: Any) -> np.ndarray:
    arr = np.asarray(ranking)
    if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
        arr = arr.astype(np.int64)  # whole floats are indices too
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TypeError(
            "ranking must be a 1-D array of integer row indices (most suspicious first); "
            f"got shape {arr.shape} and dtype {arr.dtype}."
        )
    if not arr.size:
        raise ValueError("ranking is empty: rank at least one example.")
    if arr.min() < 0:
        raise ValueError("ranking holds negative indices; pass row numbers 0..n-1.")
    if np.unique(arr).size != arr.size:
        raise ValueError("ranking holds an index twice; each example can be ranked once.")
    return arr.astype(np.int64)


def crowd_precision_at_k(ranking: Any, verdicts: Any, ks: Any = (50, 100, 500)) -> pd.DataFrame:
    """Precision against crowd verdicts among the first ``k`` examples of a ranking.

    Parameters
    ----------
    ranking : array-like of int
        Row indices, most suspicious first (e.g. from
        :func:`~dcai_course.label_errors.rank_label_issues`).
    verdicts : pandas.DataFrame
        ``load_label_errors(name).verdicts``.
    ks : sequence of int, default (50, 100, 500)
        Cut-offs; a ``k`` beyond the end of the ranking looks at the whole ranking.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; columns ``ranked`` (examples looked at: ``min(k, len(ranking))``),
        ``reviewed`` (of those, how many the crowd saw), ``confirmed`` (how many it
        confirmed as errors), ``precision`` (``confirmed / reviewed``: among the
        reviewed ones) and ``precision (unreviewed = correct)`` (``confirmed /
        ranked``: a lower bound, counting every unreviewed example as correctly
        labelled).

    Examples
    --------
    >>> verdicts = pd.DataFrame({"index": [3, 5, 8], "confirmed": [True, False, True]})
    >>> crowd_precision_at_k([3, 5, 1, 8], verdicts, ks=[2, 4])
       ranked  reviewed  confirmed  precision  precision (unreviewed = correct)
    k
    2       2         2          1   0.500000                              0.5
    4       4         3          2   0.666667                              0.5
    """
    order = _check_ranking(ranking)
    reviewed, is_error = _status(order, _check_verdicts(verdicts))
    rows = {}
    for k in check_int_sequence(ks, "ks", minimum=1):
        n = min(int(k), order.size)
        n_reviewed, n_confirmed = int(reviewed[:n].sum()), int(is_error[:n].sum())
        rows[int(k)] = {
            "ranked": n,
            "reviewed": n_reviewed,
            "confirmed": n_confirmed,
            "precision": n_confirmed / n_reviewed if n_reviewed else 0.0,
            "precision (unreviewed = correct)": n_confirmed / n if n else 0.0,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("k")


def verdict_summary(is_issue: Any, verdicts: Any) -> dict[str, float]:
    """How a mask of flags fares against crowd verdicts.

    Parameters
    ----------
    is_issue : array-like of bool, shape (n,)
        The detector's flags, one per example of the test set.
    verdicts : pandas.DataFrame
        ``load_label_errors(name).verdicts``.

    Returns
    -------
    dict
        ``flagged``; ``reviewed`` (flags the crowd saw); ``confirmed`` (flags it
        confirmed); ``precision`` (``confirmed / reviewed``); ``recall`` (the fraction
        of all confirmed errors that are flagged).

    Examples
    --------
    >>> verdicts = pd.DataFrame({"index": [0, 2], "confirmed": [True, False]})
    >>> verdict_summary([True, True, True, False], verdicts)
    {'flagged': 3, 'reviewed': 2, 'confirmed': 1, 'precision': 0.5, 'recall': 1.0}
    """
    flags = check_mask(is_issue, "is_issue")
    table = _check_verdicts(verdicts)
    if table["index"].max() >= flags.size:
        raise ValueError(
            f"is_issue has {flags.size} entries, but verdicts refer to row "
            f"{int(table['index'].max())}; pass one flag per example of the test set."
        )
    reviewed, is_error = _status(np.flatnonzero(flags), table)
    n_reviewed, n_confirmed = int(reviewed.sum()), int(is_error.sum())
    n_errors = int(table["confirmed"].sum())
    return {
        "flagged": int(flags.sum()),
        "reviewed": n_reviewed,
        "confirmed": n_confirmed,
        "precision": n_confirmed / n_reviewed if n_reviewed else 0.0,
        "recall": n_confirmed / n_errors if n_errors else 0.0,
    }
