"""Synthetic label noise and simulated annotators, with known ground truth.

Real data sets rarely tell us which labels are wrong. To *measure* a data-centric method
we start from trusted labels, corrupt them in a controlled way and check what the method
recovers. Two kinds of corruption are offered:

* :func:`inject_label_noise` flips labels according to a noise matrix (uniform or
  class-pair noise, built by :func:`uniform_noise_matrix` and
  :func:`class_pair_noise_matrix`);
* :func:`simulate_annotators` plays a crowd of annotators of known accuracy, each of
  whom labels a subset of the items (crowdsourcing and active-learning notebooks).

Convention
----------
``noise_matrix[i, j] = P(observed label j | true label i)``: the entries for a true class
``i`` (row ``i``) sum to 1. cleanlab uses the transpose, ``noise_matrix[given, true]``
(its columns sum to 1); convert with ``noise_matrix.T``.

Taught in: notebooks/01_model_vs_data_centric.ipynb.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ._validation import (
    SeedLike,
    as_rng,
    check_class_labels,
    check_fractions,
    check_int,
    check_labels,
    check_labels_within,
    check_n_classes,
    check_probability,
    check_sequence,
)

__all__ = [
    "class_pair_noise_matrix",
    "empirical_noise_matrix",
    "inject_label_noise",
    "simulate_annotators",
    "uniform_noise_matrix",
    "validate_noise_matrix",
]

_ROW_SUM_ATOL = 1e-6


def uniform_noise_matrix(n_classes: int, noise_rate: float) -> np.ndarray:
    """Noise matrix that flips each label with probability ``noise_rate``, uniformly.

    A flipped label goes to any of the ``n_classes - 1`` other classes with equal
    probability.

    Parameters
    ----------
    n_classes : int
        Number of classes K >= 2.
    noise_rate : float
        Probability that a label is flipped, in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray of shape (K, K)
        ``M[i, j] = P(observed j | true i)``; each row sums to 1.

    Examples
    --------
    >>> uniform_noise_matrix(3, 0.3)
    array([[0.7 , 0.15, 0.15],
           [0.15, 0.7 , 0.15],
           [0.15, 0.15, 0.7 ]])
    """
    n_classes = check_n_classes(n_classes)
    noise_rate = check_probability(noise_rate, "noise_rate")
    matrix = np.full((n_classes, n_classes), noise_rate / (n_classes - 1))
    np.fill_diagonal(matrix, 1.0 - noise_rate)
    return matrix


def class_pair_noise_matrix(
    n_classes: int,
    pairs: Iterable[tuple[int, int]],
    noise_rate: float,
    *,
    symmetric: bool = True,
) -> np.ndarray:
    """Noise matrix that confuses given pairs of classes (asymmetric, realistic noise).

    For each pair ``(a, b)`` a true ``a`` is observed as ``b`` with probability
    ``noise_rate``; with ``symmetric=True`` a true ``b`` is also observed as ``a``. This
    mimics annotators who mix up look-alike classes (1/7, 3/8, O/Q) rather than erring
    at random. A class may appear in several pairs, as long as its total flip
    probability stays at most 1.

    Parameters
    ----------
    n_classes : int
        Number of classes K >= 2.
    pairs : iterable of (int, int)
        Pairs of distinct class indices.
    noise_rate : float
        Flip probability along each pair, in ``[0, 1]``.
    symmetric : bool, default True
        Also flip ``b -> a`` for each pair ``(a, b)``.

    Returns
    -------
    numpy.ndarray of shape (K, K)

    Examples
    --------
    >>> class_pair_noise_matrix(3, [(0, 1)], 0.2)
    array([[0.8, 0.2, 0. ],
           [0.2, 0.8, 0. ],
           [0. , 0. , 1. ]])
    """
    n_classes = check_n_classes(n_classes)
    noise_rate = check_probability(noise_rate, "noise_rate")
    matrix = np.eye(n_classes)
    pairs = check_sequence(pairs, "pairs")
    for pair in pairs:
        if isinstance(pair, str) or not isinstance(pair, Sequence | np.ndarray) or len(pair) != 2:
            raise ValueError(f"Each of pairs must be a pair of classes (a, b), got {pair!r}.")
        a, b = (check_int(c, f"pairs entry {pair!r}") for c in pair)
        if a == b or not (0 <= a < n_classes and 0 <= b < n_classes):
            raise ValueError(f"Pair {pair!r} must hold two distinct classes in 0..{n_classes - 1}.")
        directions = [(a, b), (b, a)] if symmetric else [(a, b)]
        for src, dst in directions:
            matrix[src, dst] += noise_rate
            matrix[src, src] -= noise_rate
    if (np.diag(matrix) < -_ROW_SUM_ATOL).any():
        worst = int(np.argmin(np.diag(matrix)))
        raise ValueError(
            f"Class {worst} appears in so many pairs that its flip probability exceeds 1 "
            f"({1 - matrix[worst, worst]:.3g}); lower noise_rate or use fewer pairs."
        )
    return np.clip(matrix, 0.0, 1.0)


def validate_noise_matrix(noise_matrix: Sequence, n_classes: int | None = None) -> np.ndarray:
    """Check that ``noise_matrix`` is a K×K matrix whose rows are distributions.

    Raises
    ------
    ValueError
        If it is not square, does not match ``n_classes``, has NaN or entries outside
        ``[0, 1]``, or a row (a true class) does not sum to 1. When the columns sum to 1
        instead, the message points out the transposed (cleanlab) convention.
    """
    matrix = np.asarray(noise_matrix)
    if matrix.dtype.kind not in "fiu":
        raise TypeError(
            f"noise_matrix must hold numbers (probabilities), got dtype {matrix.dtype}."
        )
    matrix = matrix.astype(np.float64)
    if n_classes is not None:
        n_classes = check_n_classes(n_classes)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"noise_matrix must be square (K, K), got shape {matrix.shape}.")
    if matrix.shape[0] < 2:
        raise ValueError("noise_matrix must describe at least 2 classes.")
    if n_classes is not None and matrix.shape[0] != n_classes:
        raise ValueError(
            f"noise_matrix is {matrix.shape[0]}x{matrix.shape[0]} but the labels have "
            f"{n_classes} classes."
        )
    if np.isnan(matrix).any() or (matrix < 0).any() or (matrix > 1).any():
        raise ValueError("noise_matrix entries must be probabilities in [0, 1] (no NaN).")
    row_sums = matrix.sum(axis=1)
    if not np.allclose(row_sums, 1.0, atol=_ROW_SUM_ATOL):
        bad = int(np.argmax(np.abs(row_sums - 1)))
        hint = ""
        if np.allclose(matrix.sum(axis=0), 1.0, atol=_ROW_SUM_ATOL):
            hint = (
                " Its columns sum to 1 instead: this looks like cleanlab's convention "
                "noise_matrix[given, true]; pass noise_matrix.T."
            )
        raise ValueError(
            "noise_matrix[i, j] must be P(observed j | true i), so each row (a true class) "
            f"must sum to 1; row {bad} sums to {row_sums[bad]:.6g}.{hint}"
        )
    return matrix


def inject_label_noise(
    labels: Sequence[int],
    noise_matrix: Sequence | None = None,
    noise_rate: float | None = None,
    seed: SeedLike = None,
    *,
    n_classes: int | None = None,
    exact: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Corrupt labels according to a noise matrix; return the noisy labels and a flip mask.

    Each example of true class ``i`` is given the observed label ``j`` with probability
    ``noise_matrix[i, j]``, independently of the others (vectorised: one uniform draw
    per example, compared with the cumulative row of its class).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        True class indices ``0..K-1``.
    noise_matrix : array-like of shape (K, K), optional
        ``noise_matrix[i, j] = P(observed j | true i)``; rows sum to 1.
    noise_rate : float, optional
        Shorthand for ``uniform_noise_matrix(K, noise_rate)``. Give exactly one of
        ``noise_matrix`` and ``noise_rate``.
    seed : int or numpy.random.Generator, optional
        Source of randomness; the same seed gives the same result.
    n_classes : int, optional
        K; inferred from ``noise_matrix`` or from ``labels.max() + 1``.
    exact : bool, default False
        Instead of drawing each example independently, flip exactly
        ``round(n_i * (1 - noise_matrix[i, i]))`` randomly chosen examples of each class
        ``i``, shared among the classes ``j`` in proportion to ``noise_matrix[i, j]``
        (largest remainders), so that the achieved matrix equals the requested one up to
        rounding. cleanlab's ``generate_noisy_labels`` works the same way.

    Returns
    -------
    noisy_labels : numpy.ndarray of int64, shape (n,)
    is_flipped : numpy.ndarray of bool, shape (n,)
        ``noisy_labels != labels``.

    Examples
    --------
    >>> noisy, flipped = inject_label_noise([0, 1, 2, 0, 1, 2], noise_rate=0.5, seed=0)
    >>> bool((noisy[~flipped] == np.array([0, 1, 2, 0, 1, 2])[~flipped]).all())
    True
    """
    if (noise_matrix is None) == (noise_rate is None):
        raise ValueError("Give exactly one of noise_matrix and noise_rate.")
    if noise_matrix is not None:
        matrix = validate_noise_matrix(noise_matrix, n_classes)
        n_classes = matrix.shape[0]
        y = check_labels(labels, n_classes)
    else:
        y, n_classes = check_class_labels(labels, n_classes)
        matrix = uniform_noise_matrix(n_classes, noise_rate)
    rng = as_rng(seed)
    noisy = _sample_exact(y, matrix, rng) if exact else _sample_independent(y, matrix, rng)
    return noisy, noisy != y


def _sample_independent(y: np.ndarray, matrix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    cumulative = np.cumsum(matrix, axis=1)
    cumulative[:, -1] = 1.0  # guard against rounding: the last bin always closes
    u = rng.random(y.size)
    return (u[:, None] >= cumulative[y]).sum(axis=1).astype(np.int64)


def _exact_flip_counts(row: np.ndarray, true_class: int, n: int) -> np.ndarray:
    """How many of ``n`` examples go to each class: the total kept exact, largest remainders."""
    wanted = row * n
    wanted[true_class] = 0.0
    counts = np.floor(wanted).astype(int)
    total = min(round(n * (1.0 - row[true_class])), n)
    extra = max(total - counts.sum(), 0)
    if extra:
        order = np.argsort(-(wanted - counts), kind="stable")
        counts[order[:extra]] += 1
    return counts


def _sample_exact(y: np.ndarray, matrix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noisy = y.copy()
    for true_class in range(matrix.shape[0]):  # a loop over classes, not examples
        members = rng.permutation(np.flatnonzero(y == true_class))
        counts = _exact_flip_counts(matrix[true_class], true_class, members.size)
        targets = np.repeat(np.arange(matrix.shape[0]), counts)
        noisy[members[: targets.size]] = targets
    return noisy


def empirical_noise_matrix(
    true_labels: Sequence[int], observed_labels: Sequence[int], n_classes: int | None = None
) -> np.ndarray:
    """The achieved noise matrix: row ``i`` is the distribution of observed labels of class ``i``.

    Rows of classes with no example are left as zeros.

    Examples
    --------
    >>> empirical_noise_matrix([0, 0, 1, 1], [0, 1, 1, 1])
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    true = check_labels(true_labels, n_classes, name="true_labels")
    observed = check_labels(observed_labels, n_classes, name="observed_labels")
    if true.shape != observed.shape:
        raise ValueError(
            f"true_labels has {true.size} entries and observed_labels {observed.size}; "
            "they must describe the same examples."
        )
    if n_classes is None:  # the true labels must use every class 0..K-1 of both vectors
        top = max(int(true.max()), int(observed.max()))
        check_class_labels(np.r_[true, top], name="true_labels (numbered like observed_labels)")
        check_labels_within(true, "true_labels", observed_labels=observed)
    k = n_classes if n_classes is not None else max(true.max(), observed.max()) + 1
    counts = np.zeros((k, k))
    np.add.at(counts, (true, observed), 1)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def simulate_annotators(
    true_labels: Sequence[int],
    accuracies: Sequence[float],
    labels_per_item: int,
    seed: SeedLike = None,
    *,
    n_classes: int | None = None,
    confusions: Sequence | None = None,
) -> pd.DataFrame:
    """Simulate a crowd: each item is labelled by ``labels_per_item`` random annotators.

    Annotator ``w`` answers correctly with probability ``accuracies[w]`` and otherwise
    picks one of the other classes uniformly at random, unless ``confusions`` gives it
    its own pattern of mistakes.

    Parameters
    ----------
    true_labels : array-like of int, shape (n_items,)
    accuracies : array-like of float, shape (n_annotators,)
        Each annotator's probability of giving the true label.
    labels_per_item : int
        Distinct annotators per item, between 1 and ``n_annotators``.
    seed : int or numpy.random.Generator, optional
    n_classes : int, optional
        K; inferred from the labels by default.
    confusions : array-like of shape (n_annotators, K, K), optional
        ``confusions[w, i, j] = P(annotator w answers j | true i)``; rows sum to 1.
        Overrides ``accuracies`` for the error pattern (its diagonal is the accuracy).

    Returns
    -------
    pandas.DataFrame
        Long format, one row per answer, sorted by item then worker: ``item`` (the
        position in ``true_labels``), ``worker`` (``0..n_annotators-1``) and ``label``.

    Examples
    --------
    >>> answers = simulate_annotators([0, 1, 1, 0], [0.9, 0.6, 0.8], labels_per_item=2, seed=0)
    >>> answers.groupby("item").size().tolist()
    [2, 2, 2, 2]
    """
    y, k = check_class_labels(true_labels, n_classes, name="true_labels")
    acc = check_fractions(accuracies, "accuracies")
    n_workers = acc.size
    labels_per_item = check_int(labels_per_item, "labels_per_item")
    if not 1 <= labels_per_item <= n_workers:
        raise ValueError(
            f"labels_per_item must be between 1 and the number of annotators ({n_workers}), "
            f"got {labels_per_item}."
        )
    if confusions is None:
        conf = np.empty((n_workers, k, k))
        for w, a in enumerate(acc):  # one small matrix per annotator
            conf[w] = uniform_noise_matrix(k, 1.0 - a)
    else:
        conf = np.asarray(confusions, dtype=np.float64)
        if conf.shape != (n_workers, k, k):
            raise ValueError(
                f"confusions must have shape (n_annotators, K, K) = {(n_workers, k, k)}, "
                f"got {conf.shape}."
            )
        for w in range(n_workers):
            validate_noise_matrix(conf[w], k)
    rng = as_rng(seed)
    n_items = y.size
    # Distinct annotators per item: the first columns of a random permutation per row.
    workers = np.argsort(rng.random((n_items, n_workers)), axis=1)[:, :labels_per_item]
    workers = np.sort(workers, axis=1).ravel()
    items = np.repeat(np.arange(n_items), labels_per_item)
    cumulative = np.cumsum(conf, axis=2)
    cumulative[:, :, -1] = 1.0
    u = rng.random(items.size)
    answers = (u[:, None] >= cumulative[workers, y[items]]).sum(axis=1)
    return pd.DataFrame(
        {
            "item": items.astype(np.int64),
            "worker": workers.astype(np.int64),
            "label": answers.astype(np.int64),
        }
    )
