"""Exact and near duplicates, label conflicts inside groups, deduplication.

Taught in: notebooks/06_data_quality_audit.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._validation import (
    check_labels,
)
from .features import (
    _DISTANCE_SLACK,
    _check_metric,
    _check_threshold,
    _exact_keys,
    _groups_from_keys,
    featurize,
)


def find_duplicates(
    X: Any,
    threshold: float | None = None,
    metric: str | None = None,
    *,
    normalize_text: bool = True,
) -> list[np.ndarray]:
    """Groups of exact duplicates (``threshold=None``) or of near-duplicates.

    Parameters
    ----------
    X : array-like of shape (n, d), sparse matrix, or sequence of str
        Numeric features or one text per example.
    threshold : float, optional
        ``None`` (default): exact duplicates, found by hashing each row (NaN counts as
        equal to NaN) or each text (lower-cased, whitespace collapsed, when
        ``normalize_text``). A number: near-duplicates, pairs of examples at distance
        ``<= threshold``; groups are the connected components of those pairs, so a chain
        ``a ~ b ~ c`` is one group even if ``a`` and ``c`` are farther apart. Text is
        compared through :func:`featurize` (TF-IDF) with the cosine distance
        ``1 - cos(a, b)``.
    metric : {"euclidean", "cosine", "manhattan", "chebyshev"}, optional
        Distance for near-duplicates; by default ``"cosine"`` for text and
        ``"euclidean"`` for numbers.
    normalize_text : bool, default True
        For exact text duplicates, ignore case, zero-width characters (such as the
        byte-order mark U+FEFF) and runs of whitespace.

    Returns
    -------
    list of numpy.ndarray
        One sorted array of indices per group of two or more examples, ordered by the
        first index of each group. Every example is in at most one group.

    Raises
    ------
    ValueError
        If ``X`` is empty, not 2-D, or has NaN when ``threshold`` is given.

    Examples
    --------
    >>> X = [[0, 0], [1, 1], [0, 0], [1, 1.05], [5, 5]]
    >>> [g.tolist() for g in find_duplicates(X)]
    [[0, 2]]
    >>> [g.tolist() for g in find_duplicates(X, threshold=0.1)]
    [[0, 2], [1, 3]]
    >>> [g.tolist() for g in find_duplicates(["Subscribe to me", "subscribe  TO me", "ok"])]
    [[0, 1]]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    threshold = _check_threshold(threshold)
    if threshold is None:
        return _groups_from_keys(_exact_keys(X, normalize_text=normalize_text))
    from scipy.sparse.csgraph import connected_components
    from sklearn.neighbors import radius_neighbors_graph

    features, is_text = featurize(X)
    metric = _check_metric(metric, is_text)
    graph = radius_neighbors_graph(
        features,
        radius=threshold + _DISTANCE_SLACK,
        mode="connectivity",
        metric=metric,
        include_self=False,
        n_jobs=1,
    )
    # Exact copies always belong together: a neighbour search can put identical rows at
    # 1e-8 rather than 0 (rounding in the distance), beyond a threshold of 0.
    keys = _exact_keys(X, normalize_text=normalize_text)
    order = np.argsort(keys, kind="stable")
    same = keys[order[1:]] == keys[order[:-1]]
    links = sp.csr_matrix(
        (np.ones(int(same.sum())), (order[:-1][same], order[1:][same])), shape=graph.shape
    )
    _, components = connected_components(graph + links, directed=False)
    return _groups_from_keys(components)


def _check_groups(groups: Sequence[Any], n: int) -> list[np.ndarray]:
    if isinstance(groups, np.ndarray) and groups.dtype != object and groups.ndim == 1:
        raise TypeError(
            "groups must be a list of index arrays (as returned by find_duplicates), "
            "not a single array."
        )
    checked = []
    for i, group in enumerate(groups):
        g = np.asarray(group)
        if g.ndim != 1 or (g.size and g.dtype.kind not in "iu"):
            raise TypeError(f"group {i} must be a 1-D array of integer indices, got {group!r}.")
        if g.size and (g.min() < 0 or g.max() >= n):
            raise ValueError(
                f"group {i} holds the index {int(g.max() if g.max() >= n else g.min())}, "
                f"outside 0..{n - 1}: groups and labels must describe the same examples."
            )
        checked.append(g.astype(np.int64))
    return checked


def label_conflicts(groups: Sequence[Any], labels: Any) -> list[np.ndarray]:
    """The duplicate groups whose members do not all carry the same label.

    Two copies of one input with different labels cannot both be right: at least one
    label in each such group is wrong, or the features cannot tell the classes apart.

    Parameters
    ----------
    groups : list of array-like of int
        Groups of indices, e.g. from :func:`find_duplicates`.
    labels : array-like of int, shape (n,)

    Returns
    -------
    list of numpy.ndarray
        The conflicting groups, in their original order.

    Examples
    --------
    >>> groups = [np.array([0, 2]), np.array([1, 3, 4])]
    >>> [g.tolist() for g in label_conflicts(groups, [1, 0, 1, 0, 2])]
    [[1, 3, 4]]

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y = check_labels(labels)
    return [g for g in _check_groups(groups, y.size) if g.size and np.unique(y[g]).size > 1]


def disagrees_with_group(groups: Sequence[Any], labels: Any) -> np.ndarray:
    """Members of duplicate groups whose label differs from their group's most common one.

    When a group's most common label is tied, every member of the group is flagged:
    the vote cannot tell which label is wrong.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> disagrees_with_group([np.array([0, 1, 2]), np.array([3, 4])], [5, 5, 7, 1, 2])
    array([False, False,  True,  True,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    y = check_labels(labels)
    checked = _check_groups(groups, y.size)
    flags = np.zeros(y.size, dtype=bool)
    if not checked:
        return flags
    members = np.concatenate(checked)
    group_id = np.repeat(np.arange(len(checked)), [g.size for g in checked])
    table = pd.crosstab(group_id, y[members])
    top = table.to_numpy().max(axis=1)
    tied = (table.to_numpy() == top[:, None]).sum(axis=1) > 1
    majority = table.columns.to_numpy()[table.to_numpy().argmax(axis=1)]
    row = np.searchsorted(table.index.to_numpy(), group_id)
    flags[members] = tied[row] | (y[members] != majority[row])
    return flags


def deduplicate(groups: Sequence[Any], n_examples: int) -> np.ndarray:
    """Boolean mask of the examples to keep: every singleton and the first of each group.

    Examples
    --------
    >>> deduplicate([np.array([0, 2]), np.array([1, 3, 4])], 6)
    array([ True,  True, False, False, False,  True])

    Taught in: notebooks/06_data_quality_audit.ipynb.
    """
    if isinstance(n_examples, bool) or not isinstance(n_examples, int | np.integer):
        raise TypeError(f"n_examples must be an int, got {n_examples!r}.")
    if n_examples < 1:
        raise ValueError(f"n_examples must be >= 1, got {n_examples}.")
    keep = np.ones(int(n_examples), dtype=bool)
    for_drop = [np.sort(g)[1:] for g in _check_groups(groups, int(n_examples)) if g.size]
    if for_drop:
        keep[np.concatenate(for_drop)] = False
    return keep
