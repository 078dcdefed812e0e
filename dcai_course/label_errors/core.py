"""The algorithm of confident learning: thresholds, confident joint, noise estimates, pruning.

See :mod:`dcai_course.label_errors` for the conventions.

Taught in: notebooks/02_confident_learning.ipynb.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .._validation import (
    PROBABILITY_ATOL,
    SeedLike,
    as_random_state,
    check_fit_data,
    check_int,
    check_labels,
    check_mask,
    check_pred_probs,
    check_probability,
)

__all__ = [
    "FILTER_BY",
    "RANK_BY",
    "TIEBREAKS",
    "NoiseEstimates",
    "confident_joint",
    "estimate_noise_matrices",
    "find_label_issues",
    "label_quality_scores",
    "out_of_sample_pred_probs",
    "per_class_thresholds",
    "rank_label_issues",
]

#: The ways :func:`find_label_issues` can flag examples; the last one is the naive baseline.
FILTER_BY = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
)
#: How an example that passes several classes' thresholds is counted in the confident joint.
TIEBREAKS = ("paper", "cleanlab")
#: Ways of scoring how likely each given label is to be correct (lower: more suspicious).
RANK_BY = ("self_confidence", "normalized_margin")

# cleanlab's constants, kept so that tiebreak="cleanlab" reproduces it bit for bit.
_EPS = 1e-6  # threshold slack, and the nudge of the given label's probability
_THRESHOLD_FLOOR = 2e-6  # thresholds are clipped from below at twice the slack
_UNREACHABLE = 2.0  # threshold of a class with no given example: no probability reaches it
_TINY = 1e-100
_MIN_EXAMPLES_PER_CLASS = 1  # a class with this many examples or fewer is never pruned
_CHUNK = 1 << 15  # rows per block when streaming over pred_probs


# --- out-of-sample probabilities -----------------------------------------------------------


def out_of_sample_pred_probs(
    model: Any, X: Any, labels: Any, cv: int = 5, seed: SeedLike = None
) -> np.ndarray:
    """Cross-validated predicted probabilities: each row comes from a model that never saw it.

    Taught in: notebooks/01_model_vs_data_centric.ipynb (section 3) and
    notebooks/02_confident_learning.ipynb (section 2).

    The data are split into ``cv`` stratified folds; for each fold a clone of ``model``
    is trained on the other folds and predicts the fold's probabilities. Probabilities
    of a model on its own training data are over-confident (it has memorised the noisy
    labels), which is why every label-error method needs out-of-sample ones.

    Parameters
    ----------
    model : scikit-learn classifier
        Must implement ``predict_proba``; it is cloned, never fitted in place.
    X : array-like of shape (n, d)
    labels : array-like of int, shape (n,)
        The given (possibly noisy) labels ``0..K-1``.
    cv : int, default 5
        Number of stratified folds (at least 2, at most the size of the smallest class).
    seed : int or numpy.random.Generator, optional
        Shuffles the folds.

    Returns
    -------
    numpy.ndarray of shape (n, K)

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> out_of_sample_pred_probs(LogisticRegression(max_iter=500), X, y, seed=0).shape
    (1797, 10)
    """
    if not isinstance(model, type) and not hasattr(model, "predict_proba"):
        raise TypeError(
            f"model ({type(model).__name__}) has no predict_proba: use a probabilistic classifier "
            "(e.g. LogisticRegression, or SVC(probability=True))."
        )
    X, y = check_fit_data(model, X, labels, y_name="labels", proba=True)
    cv = check_int(cv, "cv", minimum=2)
    counts = np.bincount(y)
    if counts.min() < cv:
        small = int(np.argmin(counts))
        raise ValueError(
            f"Class {small} has only {counts.min()} example(s), fewer than cv={cv} folds: "
            "lower cv or gather more examples of that class."
        )
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=as_random_state(seed))
    return cross_val_predict(clone(model), X, y, cv=folds, method="predict_proba")


# --- input checks and grouping -------------------------------------------------------------


def _check_probs(pred_probs: Any, n_examples: int) -> np.ndarray:
    """``check_pred_probs`` with a fast path for valid float64 input (no N×K temporaries).

    Two reductions decide that the input is valid; anything else goes through
    ``check_pred_probs``, which converts or raises its usual, detailed error.
    """
    arr = np.asarray(pred_probs)
    if (
        arr.dtype == np.float64
        and arr.ndim == 2
        and arr.shape[0] == n_examples > 0
        and arr.shape[1] >= 2
        and arr.flags.c_contiguous
    ):
        smallest = arr.min()  # NaN propagates
        if smallest >= 0 and np.all(np.abs(arr @ np.ones(arr.shape[1]) - 1) <= PROBABILITY_ATOL):
            return arr
    return np.ascontiguousarray(check_pred_probs(arr, n_examples))


def _check_inputs(labels: Any, pred_probs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(labels, pred_probs)``: int64 labels in ``0..K-1``, float64 rows summing to 1."""
    y = check_labels(labels)
    probs = _check_probs(pred_probs, y.size)
    n_classes = probs.shape[1]
    if y.max() >= n_classes:
        raise ValueError(
            f"labels contain the class {y.max()}, but pred_probs has only {n_classes} columns "
            f"(classes 0..{n_classes - 1}). Column k of pred_probs must be the probability of "
            "class k: check that the model saw every class, or re-encode the labels."
        )
    return y, probs


def _check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}.")
    return value


class _Groups(NamedTuple):
    """The examples of each given class: ``order[starts[k]:starts[k + 1]]``, increasing."""

    order: np.ndarray
    counts: np.ndarray
    starts: np.ndarray

    def members(self, k: int) -> np.ndarray:
        return self.order[self.starts[k] : self.starts[k + 1]]


def _group_by_class(y: np.ndarray, n_classes: int) -> _Groups:
    # A stable sort keeps each class's examples in index order (as boolean masks would);
    # on a small integer type NumPy uses a linear-time radix sort.
    small = y.astype(np.uint8 if n_classes <= 256 else np.uint16 if n_classes <= 65536 else y.dtype)
    order = np.argsort(small, kind="stable")
    counts = np.bincount(y, minlength=n_classes)
    starts = np.concatenate(([0], np.cumsum(counts)))
    return _Groups(order, counts, starts)


def _self_confidence(y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """``probs[i, y[i]]`` for every example, without a K×N temporary."""
    return probs.ravel()[np.arange(y.size) * probs.shape[1] + y]


def _thresholds(y: np.ndarray, probs: np.ndarray, groups: _Groups) -> np.ndarray:
    grouped = _self_confidence(y, probs)[groups.order]
    values = [
        grouped[groups.starts[k] : groups.starts[k + 1]].mean()
        if groups.counts[k]
        else _UNREACHABLE
        for k in range(probs.shape[1])  # a loop over classes; each mean is vectorised
    ]
    return np.clip(values, _THRESHOLD_FLOOR, None)


# --- step 1: per-class thresholds ----------------------------------------------------------


def per_class_thresholds(labels: Any, pred_probs: Any) -> np.ndarray:
    """The mean self-confidence of each given class: the threshold ``t_k`` of confident learning.

    Taught in: notebooks/02_confident_learning.ipynb (section 3).

    ``t_k`` is the average of ``pred_probs[i, k]`` over the examples ``i`` labelled ``k``.
    An example is "confidently" of class ``k`` when its probability of ``k`` reaches
    ``t_k``. A per-class threshold adapts to classes the model is more or less sure of,
    where a single global threshold would not.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels ``0..K-1``.
    pred_probs : array-like of shape (n, K)
        Out-of-sample predicted probabilities; each row sums to 1.

    Returns
    -------
    numpy.ndarray of float, shape (K,)
        As in cleanlab, thresholds are clipped from below at ``2e-6``, and a class that no
        example is labelled with gets the unreachable threshold ``2.0`` (no example is
        ever counted as truly belonging to it).

    Examples
    --------
    >>> per_class_thresholds([0, 0, 1], [[0.9, 0.1], [0.7, 0.3], [0.4, 0.6]])
    array([0.8, 0.6])
    """
    y, probs = _check_inputs(labels, pred_probs)
    return _thresholds(y, probs, _group_by_class(y, probs.shape[1]))


# --- step 2: the confident joint -----------------------------------------------------------


def _confident_guesses(
    y: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, tiebreak: str
) -> np.ndarray:
    """The class each example is confidently counted as, or -1 when no threshold is reached.

    Streams over blocks of rows. Fast path: when the arg-max class reaches its own
    threshold, both tie-breaks count the example there. Only the other rows (those whose
    most probable class is below its threshold) need the full K-column comparison.
    """
    n, k = probs.shape
    reach = thresholds - _EPS  # cleanlab: pred_probs >= thresholds - 1e-6
    guesses = np.empty(n, dtype=np.int64)
    for start in range(0, n, _CHUNK):
        block = probs[start : start + _CHUNK]
        top = block.argmax(axis=1)
        p_top = block.ravel()[np.arange(top.size) * k + top]
        passes = p_top >= reach[top]
        guess = np.where(passes, top, -1)
        rest = np.flatnonzero(~passes)
        if rest.size:
            sub = block[rest]
            confident = sub >= reach
            n_confident = confident.sum(axis=1)
            if tiebreak == "cleanlab":
                # two or more classes pass: cleanlab takes the arg-max over all classes
                other = np.where(n_confident > 1, top[rest], confident.argmax(axis=1))
            else:
                other = np.where(confident, sub, -1.0).argmax(axis=1)
            guess[rest] = np.where(n_confident > 0, other, -1)
        guesses[start : start + block.shape[0]] = guess
    return guesses


def _count_joint(y: np.ndarray, guesses: np.ndarray, n_classes: int) -> np.ndarray:
    counted = guesses >= 0
    cells = guesses[counted] * n_classes + y[counted]
    # C[given, true], stored true-major (the transpose of a C-ordered array) like
    # cleanlab's: calibration sums the matrix in memory order, and the same order gives
    # the same rounding, hence the same counts when rounding meets an exact tie.
    joint = np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes).T
    # As cleanlab does: at least one example on each diagonal entry, so that every class
    # keeps an example and calibration never divides by zero.
    np.fill_diagonal(joint, np.maximum(joint.diagonal(), 1))
    return joint


def _round_preserving_sum(values: np.ndarray) -> np.ndarray:
    """Round to integers keeping the (rounded) total: largest remainders get the extra units."""
    floats = np.asarray(values, dtype=float)
    ints = floats.round()
    target = np.sum(floats).round()
    total = np.sum(ints).round()
    while abs(total - target) > _EPS:  # at most a couple of passes over K numbers
        diff = np.round(target - total)
        step = -1 if diff < 0 else 1
        changes = min(int(abs(diff)), floats.size)
        chosen = np.argsort(floats - ints)[::-step][:changes]
        ints[chosen] += step
        total = np.sum(ints).round()
    return ints.astype(int)


def _round_rows(matrix: np.ndarray) -> np.ndarray:
    return np.array([_round_preserving_sum(row) for row in matrix]).astype(int)


def _calibrate(joint: np.ndarray, label_counts: np.ndarray) -> np.ndarray:
    """Rescale each row to its class's number of given labels and the whole to N; round."""
    row_sums = np.clip(joint.sum(axis=1), _TINY, None)
    calibrated = (joint.T / row_sums * label_counts).T
    calibrated = calibrated / np.clip(np.sum(calibrated), _TINY, None) * int(label_counts.sum())
    return _round_rows(calibrated)


def confident_joint(
    labels: Any, pred_probs: Any, calibrate: bool = False, tiebreak: str = "paper"
) -> np.ndarray:
    """The confident joint ``C[given, true]``: counts of confidently re-labelled examples.

    Taught in: notebooks/02_confident_learning.ipynb (section 4).

    Example ``i`` with given label ``g`` is counted in row ``g``, column ``c``, when its
    probability of ``c`` reaches the threshold of ``c`` (:func:`per_class_thresholds`,
    minus a slack of ``1e-6``). Examples that reach no threshold are not counted. The
    off-diagonal entries are the candidate label errors: ``C[g, c]`` examples labelled
    ``g`` look confidently like ``c``.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels ``0..K-1``.
    pred_probs : array-like of shape (n, K)
        Out-of-sample predicted probabilities; each row sums to 1.
    calibrate : bool, default False
        Rescale each row to the number of examples given that label and the whole
        matrix to ``n``, then round keeping the row totals (as cleanlab's
        ``calibrate=True``): an estimate of the joint *counts* of given and true labels.
    tiebreak : {"paper", "cleanlab"}, default "paper"
        When an example reaches several thresholds: ``"paper"`` counts it under the most
        probable of the classes that passed, ``"cleanlab"`` under the most probable class
        overall (cleanlab 2.x, reproduced exactly).

    Returns
    -------
    numpy.ndarray of int, shape (K, K)
        As in cleanlab, each diagonal entry is at least 1 (before calibration).

    Examples
    --------
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.1, 0.9], [0.7, 0.3]]
    >>> confident_joint(labels, probs)
    array([[2, 1],
           [1, 2]])
    """
    if not isinstance(calibrate, bool | np.bool_):
        raise TypeError(f"calibrate must be True or False, got {calibrate!r}.")
    _check_choice(tiebreak, "tiebreak", TIEBREAKS)
    y, probs = _check_inputs(labels, pred_probs)
    joint, _, _ = _confident_joint(y, probs, tiebreak, calibrate=calibrate)
    return joint


def _confident_joint(
    y: np.ndarray, probs: np.ndarray, tiebreak: str, *, calibrate: bool
) -> tuple[np.ndarray, np.ndarray, _Groups]:
    """(confident joint, per-example guesses, class groups) on validated inputs."""
    n_classes = probs.shape[1]
    groups = _group_by_class(y, n_classes)
    thresholds = _thresholds(y, probs, groups)
    guesses = _confident_guesses(y, probs, thresholds, tiebreak)
    joint = _count_joint(y, guesses, n_classes)
    if calibrate:
        joint = _calibrate(joint, groups.counts)
    return joint, guesses, groups


# --- step 3: noise matrices ----------------------------------------------------------------


class NoiseEstimates(NamedTuple):
    """What confident learning estimates about the noise (see :func:`estimate_noise_matrices`).

    Taught in: notebooks/02_confident_learning.ipynb (section 5).
    """

    #: Calibrated confident joint ``C[given, true]``: counts that sum to n.
    confident_joint: np.ndarray
    #: ``P(given, true)``: the calibrated confident joint divided by n.
    joint: np.ndarray
    #: ``noise_matrix[true, given] = P(given | true)``; rows sum to 1 (course convention).
    noise_matrix: np.ndarray
    #: ``inverse_noise_matrix[given, true] = P(true | given)``; rows sum to 1.
    inverse_noise_matrix: np.ndarray
    #: ``P(true)``, the estimated distribution of the true labels.
    true_prior: np.ndarray
    #: Estimated number of label errors: n minus the trace of the calibrated joint.
    n_label_issues: int


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)


def estimate_noise_matrices(
    labels: Any, pred_probs: Any, tiebreak: str = "paper"
) -> NoiseEstimates:
    """Estimate the joint of given and true labels, and the noise matrices, from the data.

    Taught in: notebooks/02_confident_learning.ipynb (section 5).

    The calibrated confident joint (:func:`confident_joint` with ``calibrate=True``) is an
    estimate of how many examples have each (given, true) pair. Normalising it gives the
    joint distribution; normalising its columns gives the noise matrix
    ``P(given | true)``, and its rows the inverse noise matrix ``P(true | given)``.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    pred_probs : array-like of shape (n, K)
        Out-of-sample predicted probabilities.
    tiebreak : {"paper", "cleanlab"}, default "paper"
        See :func:`confident_joint`.

    Returns
    -------
    NoiseEstimates
        A named tuple ``(confident_joint, joint, noise_matrix, inverse_noise_matrix,
        true_prior, n_label_issues)``. ``noise_matrix`` follows the course convention
        ``[true, given]`` (cleanlab's ``noise_matrix`` is its transpose). A true class
        that no example is counted into gets a row of zeros.

    Examples
    --------
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.1, 0.9], [0.7, 0.3]]
    >>> est = estimate_noise_matrices(labels, probs)
    >>> est.noise_matrix
    array([[0.66666667, 0.33333333],
           [0.33333333, 0.66666667]])
    >>> est.n_label_issues
    2
    """
    _check_choice(tiebreak, "tiebreak", TIEBREAKS)
    y, probs = _check_inputs(labels, pred_probs)
    calibrated, _, _ = _confident_joint(y, probs, tiebreak, calibrate=True)
    joint = calibrated / y.size
    return NoiseEstimates(
        confident_joint=calibrated,
        joint=joint,
        noise_matrix=_normalise_rows(joint.T),
        inverse_noise_matrix=_normalise_rows(joint),
        true_prior=joint.sum(axis=0),
        n_label_issues=int(y.size - np.trace(calibrated)),
    )


# --- step 4: finding and ranking label issues ----------------------------------------------


def _keep_at_least_one(prune_counts: np.ndarray, frac_noise: float) -> np.ndarray:
    """cleanlab's prune-count matrix ``[true, given]``: each class keeps an example;
    off-diagonal counts are scaled by ``frac_noise``, column totals preserved."""
    n = _MIN_EXAMPLES_PER_CLASS
    diagonal = np.diagonal(prune_counts)
    new_diagonal = np.maximum(diagonal, n)
    raised = new_diagonal - diagonal
    n_noise_cells = np.maximum(np.count_nonzero(prune_counts, axis=0) - 1.0, 1.0)
    matrix = prune_counts - raised / n_noise_cells
    matrix[matrix < 0] = 0
    np.fill_diagonal(matrix, new_diagonal)
    # scale the noise by frac_noise; the diagonal takes back what was removed
    scaled = matrix * frac_noise
    np.fill_diagonal(scaled, matrix.diagonal())
    np.fill_diagonal(scaled, matrix.diagonal() + np.sum(matrix - scaled, axis=0))
    return _round_rows(scaled.astype(int)).astype(int)


def _select(values: np.ndarray, m: int, *, largest: bool) -> np.ndarray:
    """Boolean mask of the ``m`` largest (or smallest) values, ties broken as cleanlab does.

    cleanlab sorts the whole array (``np.argsort``) and takes the first ``m``. The set it
    takes only depends on the order when values tie across the cut, so a linear-time
    partition finds the cut value, and only in the rare tied case is the array sorted the
    same way cleanlab sorts it. When ``m`` is small, the ``m``-th largest value of a
    regular subsample (a lower bound on the cut) first discards most of the array.
    """
    n = values.size
    if m >= n:
        return np.ones(n, dtype=bool)
    work = values if largest else -values  # negation is exact: ties stay ties
    stride = n // (8 * m)
    if stride >= 2:
        sample = work[::stride]  # at least 8m values: its m-th largest is <= the cut
        bound = np.partition(sample, sample.size - m)[sample.size - m]
        candidates = work[work >= bound]
    else:
        candidates = work
    kth = candidates.size - m
    cut = np.partition(candidates, kth)[kth]
    chosen = work >= cut
    if np.count_nonzero(chosen) == m:
        return chosen
    order = np.argsort(-values if largest else values)  # a tie at the cut: sort like cleanlab
    chosen = np.zeros(n, dtype=bool)
    chosen[order[:m]] = True
    return chosen


def _prune(
    y: np.ndarray,
    probs: np.ndarray,
    groups: _Groups,
    prune_counts: np.ndarray,
    *,
    by_class: bool,
    by_noise_rate: bool,
) -> np.ndarray:
    """Flags of prune-by-class and/or prune-by-noise-rate (AND of both when both are asked)."""
    n_classes = probs.shape[1]
    flags_class = np.zeros(y.size, dtype=bool) if by_class else None
    flags_rate = np.zeros(y.size, dtype=bool) if by_noise_rate else None
    for k in range(n_classes):  # a loop over classes; the work inside is vectorised
        n_k = int(groups.counts[k])
        if n_k <= _MIN_EXAMPLES_PER_CLASS:
            continue
        n_by_class = n_k - int(prune_counts[k, k]) if by_class else 0
        targets = [
            (j, int(prune_counts[j, k]))
            for j in range(n_classes)
            if by_noise_rate and j != k and prune_counts[j, k] > 0
        ]
        if n_by_class < 1 and not targets:
            continue
        members = groups.members(k)
        columns = sorted({k, *(j for j, _ in targets)})
        if 2 * len(columns) > n_classes:
            rows = np.take(probs, members, axis=0)
        else:  # few columns needed: gather only those
            rows = np.zeros((n_k, n_classes))
            rows[:, columns] = probs[members[:, None], columns]
        own = rows[:, k]
        if n_by_class >= 1:
            # the examples least likely to belong to their given class
            flags_class[members[_select(own, n_by_class, largest=False)]] = True
        if targets:
            flagged = np.zeros(n_k, dtype=bool)
            for j, m in targets:
                # labelled k, but most likely to be a j: the largest p(j) - p(k)
                flagged |= _select(rows[:, j] - own, m, largest=True)
            flags_rate[members[flagged]] = True
    if by_class and by_noise_rate:
        return flags_class & flags_rate
    return flags_class if by_class else flags_rate


def _drop_near_ties(flags: np.ndarray, y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Unflag examples whose given label is (within 1e-6) the model's prediction, as cleanlab.

    Only the flagged rows are looked at, so this never copies ``pred_probs``.
    """
    flagged = np.flatnonzero(flags)
    if flagged.size:
        rows = np.take(probs, flagged, axis=0)
        given = y[flagged]
        rows[np.arange(flagged.size), given] += _EPS
        flags[flagged[rows.argmax(axis=1) == given]] = False
    return flags


def find_label_issues(
    labels: Any,
    pred_probs: Any,
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    tiebreak: str = "paper",
) -> np.ndarray:
    """Flag the examples whose given label is likely wrong.

    Taught in: notebooks/02_confident_learning.ipynb (section 6).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels ``0..K-1``.
    pred_probs : array-like of shape (n, K)
        Out-of-sample predicted probabilities (:func:`out_of_sample_pred_probs`).
    filter_by : str, default "prune_by_noise_rate"
        - ``"prune_by_noise_rate"``: for each off-diagonal cell ``(given k, true j)`` of
          the calibrated confident joint holding ``m`` examples, flag the ``m`` examples
          labelled ``k`` with the largest margin ``p(j) - p(k)``;
        - ``"prune_by_class"``: in each class ``k``, flag as many examples as the
          off-diagonal of row ``k`` holds, those with the smallest ``p(k)``;
        - ``"both"``: the examples flagged by both of the above;
        - ``"confident_learning"``: the off-diagonal examples of the confident joint
          (labelled ``k``, confidently counted as another class);
        - ``"predicted_neq_given"``: the naive baseline, every example whose arg-max
          prediction is not its label.

        In every case, as in cleanlab, an example whose given label is (within ``1e-6``)
        the model's most probable class is not flagged, and a class with a single
        example is never pruned.
    frac_noise : float, default 1.0
        Flag only this fraction of the estimated errors (off-diagonal counts are scaled
        by it). Only for the three pruning methods.
    tiebreak : {"paper", "cleanlab"}, default "paper"
        See :func:`confident_joint`. With ``"cleanlab"`` the mask equals
        ``cleanlab.filter.find_label_issues`` for the same ``filter_by``.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True for the examples flagged as label issues.

    Examples
    --------
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.1, 0.9], [0.7, 0.3]]
    >>> find_label_issues(labels, probs)
    array([False, False,  True, False, False,  True])
    """
    _check_choice(filter_by, "filter_by", FILTER_BY)
    _check_choice(tiebreak, "tiebreak", TIEBREAKS)
    frac_noise = check_probability(frac_noise, "frac_noise")
    pruning = filter_by in ("prune_by_noise_rate", "prune_by_class", "both")
    if frac_noise != 1.0 and not pruning:
        raise ValueError(
            f"frac_noise only applies to filter_by='prune_by_noise_rate', 'prune_by_class' "
            f"or 'both'; filter_by={filter_by!r} flags a fixed set. Leave frac_noise=1.0."
        )
    y, probs = _check_inputs(labels, pred_probs)
    if filter_by == "predicted_neq_given":
        flags = probs.argmax(axis=1) != y
    else:
        joint, guesses, groups = _confident_joint(y, probs, tiebreak, calibrate=pruning)
        if filter_by == "confident_learning":
            flags = (guesses >= 0) & (guesses != y)
        else:
            prune_counts = _keep_at_least_one(joint.T, frac_noise)
            flags = _prune(
                y,
                probs,
                groups,
                prune_counts,
                by_class=filter_by in ("prune_by_class", "both"),
                by_noise_rate=filter_by in ("prune_by_noise_rate", "both"),
            )
    return _drop_near_ties(flags, y, probs)


def _max_other(y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """The largest probability of a class other than the given one, streamed by blocks."""
    out = np.empty(y.size)
    for start in range(0, y.size, _CHUNK):
        block = probs[start : start + _CHUNK].copy()
        block[np.arange(block.shape[0]), y[start : start + _CHUNK]] = -np.inf
        out[start : start + block.shape[0]] = block.max(axis=1)
    return out


def label_quality_scores(labels: Any, pred_probs: Any, by: str = "self_confidence") -> np.ndarray:
    """A score per example: how likely its given label is to be correct (lower: more suspect).

    Taught in: notebooks/02_confident_learning.ipynb (section 6).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    pred_probs : array-like of shape (n, K)
    by : {"self_confidence", "normalized_margin"}, default "self_confidence"
        ``"self_confidence"`` is ``p(given)``; ``"normalized_margin"`` is
        ``(p(given) - max_{j != given} p(j) + 1) / 2``, which also looks at how strongly
        another class is preferred. Both equal cleanlab's
        ``rank.get_label_quality_scores`` with the same method.

    Returns
    -------
    numpy.ndarray of float, shape (n,), values in [0, 1]

    Examples
    --------
    >>> label_quality_scores([0, 1], [[0.9, 0.1], [0.7, 0.3]], by="normalized_margin")
    array([0.9, 0.3])
    """
    _check_choice(by, "by", RANK_BY)
    y, probs = _check_inputs(labels, pred_probs)
    return _scores(y, probs, by)


def _scores(y: np.ndarray, probs: np.ndarray, by: str) -> np.ndarray:
    own = _self_confidence(y, probs)
    if by == "self_confidence":
        return own
    return (own - _max_other(y, probs) + 1) / 2


def rank_label_issues(
    labels: Any, pred_probs: Any, mask: Any = None, by: str = "self_confidence"
) -> np.ndarray:
    """Indices of the examples to review, most suspicious first.

    Taught in: notebooks/02_confident_learning.ipynb (section 6).

    Parameters
    ----------
    labels : array-like of int, shape (n,)
    pred_probs : array-like of shape (n, K)
    mask : array-like of bool, shape (n,), optional
        Rank only these examples (e.g. the output of :func:`find_label_issues`). By
        default every example is ranked.
    by : {"self_confidence", "normalized_margin"}, default "self_confidence"
        The score of :func:`label_quality_scores`; lowest first. Ties keep index order.

    Returns
    -------
    numpy.ndarray of int
        Indices into the data set, as many as ``mask`` has True values (or n). With a
        ``mask``, this equals cleanlab's ``find_label_issues(...,
        return_indices_ranked_by=by)`` (up to the order of exact ties).

    Examples
    --------
    >>> rank_label_issues([0, 1, 1], [[0.9, 0.1], [0.8, 0.2], [0.4, 0.6]])
    array([1, 2, 0])
    """
    _check_choice(by, "by", RANK_BY)
    y, probs = _check_inputs(labels, pred_probs)
    scores = _scores(y, probs, by)
    if mask is None:
        return np.argsort(scores, kind="stable")
    flags = check_mask(
        mask, "mask", hint=" True = rank this example: pass the output of find_label_issues."
    )
    if flags.shape != y.shape:
        raise ValueError(f"mask has shape {flags.shape}, but there are {y.size} examples.")
    chosen = np.flatnonzero(flags)
    return chosen[np.argsort(scores[chosen], kind="stable")]
