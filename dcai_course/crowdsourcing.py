"""Crowdsourcing quality: agreement, annotator quality, gold screening and redundancy.

A crowd gives each item several labels from workers of unknown, varied quality. This
module measures that crowd and the consensus drawn from it:

* agreement: :func:`item_agreement` (per item), :func:`cohen_kappa` (two raters) and
  :func:`fleiss_kappa` (many raters), read with :func:`interpret_kappa`;
* annotator quality: :func:`annotator_quality` against a reference (a consensus, or gold
  labels on the items that have them), :func:`implied_accuracy` from Dawid-Skene's
  confusion matrices, and gold-question screening with :func:`screen_workers` and
  :func:`weighted_majority_vote`;
* one EM iteration of Dawid-Skene, written densely for reading:
  :func:`dawid_skene_e_step` and :func:`dawid_skene_m_step` (the fast, sparse version
  is :func:`dcai_course.aggregation.dawid_skene`);
* redundancy: :func:`subsample_answers`, :func:`redundancy_curve` and
  :func:`plot_redundancy`, how accuracy grows with the number of labels per item.

Answers come in the two formats of :mod:`dcai_course.aggregation`: a long DataFrame
with columns ``item``, ``worker``, ``label`` (results are then indexed by item or
worker), or a vote matrix of shape ``(n_items, n_workers)`` with ``-1`` for "did not
answer".

Taught in: notebooks/05_crowdsourcing.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from ._validation import (
    SeedLike,
    as_rng,
    check_confusions,
    check_count,
    check_distribution,
    check_fractions,
    check_int_sequence,
    check_labels,
    check_n_classes,
    check_no_duplicates,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_seeds,
    check_table,
)
from .aggregation import ABSTAIN, dawid_skene, majority_vote, to_vote_matrix
from .evidence import mean_ci

__all__ = [
    "KAPPA_BANDS",
    "annotator_quality",
    "cohen_kappa",
    "dawid_skene_e_step",
    "dawid_skene_m_step",
    "fleiss_kappa",
    "implied_accuracy",
    "interpret_kappa",
    "item_agreement",
    "plot_redundancy",
    "redundancy_curve",
    "screen_workers",
    "subsample_answers",
    "weighted_majority_vote",
]

#: Landis & Koch (1977): the upper end of each band of kappa and its name.
KAPPA_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "poor"),
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
)

#: Probabilities are clipped at this value before logs and divisions, as in aggregation.
_EPS = 1e-10


# --- input helpers ------------------------------------------------------------------------


def _per_item_labels(values: Any, votes, name: str) -> np.ndarray:
    """One label per item of ``votes`` (``-1`` = none), from a Series (long input) or array.

    With long input ``values`` must be a Series indexed by item: items missing from it,
    or NaN in it, get ``-1``. With a vote matrix it must be an array with one entry per
    row, ``-1`` meaning "no label".
    """
    n_items = votes.matrix.shape[0]
    if votes.items is not None:
        if not isinstance(values, pd.Series):
            raise TypeError(
                f"With a long answers table, {name} must be a pandas Series indexed by item "
                f"(got {type(values).__name__}); e.g. the output of majority_vote(answers)."
            )
        if values.index.has_duplicates:
            raise ValueError(f"{name} has duplicate items in its index; give one label per item.")
        if not (pd.api.types.is_numeric_dtype(values.dtype) and values.dtype != bool):
            raise TypeError(
                f"{name} must hold integer class indices, got dtype {values.dtype}; encode "
                "class names the same way as the answers' labels."
            )
        aligned = values.reindex(votes.items)
        if aligned.notna().sum() == 0:
            raise ValueError(
                f"{name} shares no item with the answers: check that both use the same item "
                f"ids (first answer item: {votes.items[0]!r}, first {name} item: "
                f"{values.index[0] if len(values) else None!r})."
            )
        raw = aligned.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.all(np.isnan(raw) | (raw == np.round(raw))):
            raise ValueError(f"{name} must hold integer class indices.")
        labels = np.where(np.isnan(raw), ABSTAIN, raw).astype(np.int64)
    else:
        labels = np.asarray(values)
        if labels.ndim != 1 or labels.size != n_items:
            raise ValueError(
                f"{name} must be 1-D with one entry per row of the vote matrix ({n_items}), "
                f"got shape {labels.shape}."
            )
        if labels.dtype.kind not in "iu" and not (
            labels.dtype.kind == "f" and np.all(labels == np.round(labels))
        ):
            raise TypeError(
                f"{name} must be integer class indices (-1 = none), got {labels.dtype}."
            )
        labels = labels.astype(np.int64)
    if (labels < ABSTAIN).any():
        raise ValueError(f"{name} must be class indices >= 0 (or -1 for none).")
    if labels.max(initial=ABSTAIN) >= votes.n_classes:
        raise ValueError(
            f"{name} contains the class {labels.max()}, but the answers have only "
            f"{votes.n_classes} classes. Pass n_classes if some class was never answered."
        )
    return labels


def _per_worker(values: Any, votes, name: str) -> np.ndarray:
    """One float per worker of ``votes``, from a Series indexed by worker or an array."""
    if votes.sources is not None:
        if not isinstance(values, pd.Series):
            raise TypeError(
                f"With a long answers table, {name} must be a pandas Series indexed by worker, "
                f"got {type(values).__name__}."
            )
        missing = votes.sources.difference(values.index)
        if len(missing):
            raise ValueError(
                f"{name} has no value for {len(missing)} worker(s) of the answers, e.g. "
                f"{missing[0]!r}: give every worker a value (0 to ignore them)."
            )
        if not pd.api.types.is_numeric_dtype(values.dtype) or values.dtype == bool:
            raise TypeError(f"{name} must hold numbers, got dtype {values.dtype}.")
        if values.index.has_duplicates:
            raise ValueError(f"{name} has duplicate workers in its index; give one per worker.")
        arr = values.reindex(votes.sources).to_numpy(dtype=np.float64)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "fiu":
            raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}.")
        arr = arr.astype(np.float64)
        if arr.shape != (votes.matrix.shape[1],):
            raise ValueError(
                f"{name} must have one value per column of the vote matrix "
                f"({votes.matrix.shape[1]}), got shape {arr.shape}."
            )
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"{name} must be finite and >= 0.")
    return arr


def _check_long(answers: Any, name: str = "answers") -> pd.DataFrame:
    if not isinstance(answers, pd.DataFrame):
        raise TypeError(
            f"{name} must be a long DataFrame with columns item, worker, label, got "
            f"{type(answers).__name__}."
        )
    to_vote_matrix(answers, name=name)  # validates columns, labels and duplicates
    return answers


# --- agreement ----------------------------------------------------------------------------


def item_agreement(answers: Any, consensus: Any, n_classes: int | None = None):
    """Per item, the fraction of its annotators whose label equals the consensus label.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label) or vote matrix (n_items, n_workers)
    consensus : pandas.Series indexed by item, or array of shape (n_items,)
        The consensus label of each item (e.g. :func:`~dcai_course.aggregation.majority_vote`);
        ``-1``, NaN or a missing item means "no consensus".
    n_classes : int, optional
        K; inferred from the answers by default.

    Returns
    -------
    pandas.Series named ``"agreement"`` indexed by item (long input), or numpy.ndarray
        In ``[0, 1]``; NaN for items without a consensus or without an answer.

    Examples
    --------
    >>> votes = [[0, 0, 1], [1, 1, 1], [2, -1, 0]]
    >>> item_agreement(votes, [0, 1, 2], n_classes=3)
    array([0.66666667, 1.        , 0.5       ])

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    v = to_vote_matrix(answers, n_classes, name="answers")
    consensus = _per_item_labels(consensus, v, "consensus")
    voted = v.matrix != ABSTAIN
    agree = (v.matrix == consensus[:, None]) & voted
    n_votes = voted.sum(axis=1)
    defined = (n_votes > 0) & (consensus != ABSTAIN)
    values = np.full(n_votes.shape, np.nan)
    values[defined] = agree.sum(axis=1)[defined] / n_votes[defined]
    if v.items is None:
        return values
    return pd.Series(values, index=v.items, name="agreement")


def annotator_quality(answers: Any, reference: Any, n_classes: int | None = None) -> pd.DataFrame:
    """Per annotator, the fraction of their labels that agree with a reference.

    The reference may be a consensus (every item) or gold labels on a subset of the
    items: only the answers on items with a reference label count.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label) or vote matrix (n_items, n_workers)
    reference : pandas.Series indexed by item, or array of shape (n_items,)
        The reference label of each item; ``-1``, NaN or a missing item means "no
        reference for this item".
    n_classes : int, optional

    Returns
    -------
    pandas.DataFrame indexed by ``worker``
        ``accuracy``: the fraction of the worker's answers on referenced items that equal
        the reference (NaN if there is none); ``n_labels``: how many answers that fraction
        rests on. Read ``accuracy`` together with ``n_labels``: 1.0 from 2 labels says
        little.

    Examples
    --------
    >>> votes = [[0, 0, 1], [1, 1, 1], [2, -1, 0]]
    >>> annotator_quality(votes, [0, 1, -1], n_classes=3)
            accuracy  n_labels
    worker
    0            1.0         2
    1            1.0         2
    2            0.5         2

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    v = to_vote_matrix(answers, n_classes, name="answers")
    reference = _per_item_labels(reference, v, "reference")
    counted = (v.matrix != ABSTAIN) & (reference != ABSTAIN)[:, None]
    n_labels = counted.sum(axis=0)
    correct = ((v.matrix == reference[:, None]) & counted).sum(axis=0)
    accuracy = np.full(n_labels.shape, np.nan)
    accuracy[n_labels > 0] = correct[n_labels > 0] / n_labels[n_labels > 0]
    index = v.sources if v.sources is not None else pd.RangeIndex(n_labels.size, name="worker")
    return pd.DataFrame({"accuracy": accuracy, "n_labels": n_labels}, index=index)


def cohen_kappa(labels_a: Any, labels_b: Any) -> float:
    """Cohen's kappa: agreement of two raters on the same items, corrected for chance.

    ``kappa = (p_o - p_e) / (1 - p_e)``, where ``p_o`` is the fraction of items on which
    the two raters agree and ``p_e = sum_k p_a(k) p_b(k)`` the agreement expected if they
    labelled independently with their own class frequencies. 1 is perfect agreement, 0
    is chance level, negative is worse than chance. Equals
    ``sklearn.metrics.cohen_kappa_score`` (unweighted).

    Parameters
    ----------
    labels_a, labels_b : array-like of int, shape (n,)
        The two raters' labels of the same ``n`` items.

    Returns
    -------
    float
        NaN when ``p_e = 1`` (both raters always give the same single class: kappa is
        undefined), as scikit-learn does.

    Examples
    --------
    >>> cohen_kappa([0, 1, 1, 0], [0, 1, 1, 0])
    1.0
    >>> round(cohen_kappa([0, 1, 1, 0, 1], [0, 1, 0, 0, 0]), 3)
    0.286

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    a = check_labels(labels_a, name="labels_a")
    b = check_labels(labels_b, name="labels_b")
    check_same_length(labels_a=a, labels_b=b)
    k = int(max(a.max(), b.max())) + 1
    observed = np.mean(a == b)
    expected = float(np.dot(np.bincount(a, minlength=k), np.bincount(b, minlength=k))) / a.size**2
    if expected >= 1.0:
        return float("nan")
    return float((observed - expected) / (1.0 - expected))


def fleiss_kappa(answers: Any, n_classes: int | None = None) -> float:
    """Fleiss' kappa: chance-corrected agreement of many raters per item.

    For item ``i`` with ``n_i`` answers of which ``c_ik`` are class ``k``, the observed
    agreement is the fraction of agreeing pairs of answers,
    ``P_i = (sum_k c_ik^2 - n_i) / (n_i (n_i - 1))``; ``P`` is its mean over items. The
    chance agreement is ``P_e = sum_k p_k^2`` with ``p_k`` the share of class ``k`` among
    all answers, and ``kappa = (P - P_e) / (1 - P_e)``. With the same number of raters
    per item this equals ``statsmodels.stats.inter_rater.fleiss_kappa`` on the table of
    counts; with varying numbers each item uses its own ``n_i``, and items with fewer
    than two answers are skipped.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label) or vote matrix (n_items, n_workers)
    n_classes : int, optional

    Returns
    -------
    float
        NaN when every answer is the same class (``P_e = 1``: undefined).

    Examples
    --------
    >>> fleiss_kappa([[0, 0, 0], [1, 1, 1], [2, 2, 2]])
    1.0
    >>> round(fleiss_kappa([[0, 0, 1], [1, 1, 1], [0, 1, 0]]), 3)
    0.1

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    v = to_vote_matrix(answers, n_classes, name="answers")
    items, workers = np.nonzero(v.matrix != ABSTAIN)
    flat = items * v.n_classes + v.matrix[items, workers]
    counts = np.bincount(flat, minlength=v.matrix.shape[0] * v.n_classes)
    counts = counts.reshape(-1, v.n_classes).astype(np.float64)
    n_per_item = counts.sum(axis=1)
    keep = n_per_item >= 2
    if not keep.any():
        raise ValueError(
            "Fleiss' kappa needs items with at least two answers; every item has at most one."
        )
    counts, n_per_item = counts[keep], n_per_item[keep]
    p_items = ((counts**2).sum(axis=1) - n_per_item) / (n_per_item * (n_per_item - 1))
    shares = counts.sum(axis=0) / counts.sum()
    expected = float((shares**2).sum())
    if expected >= 1.0:
        return float("nan")
    return float((p_items.mean() - expected) / (1.0 - expected))


def interpret_kappa(kappa: float) -> str:
    """The Landis & Koch (1977) band of a kappa value.

    ``< 0`` poor, ``0-0.2`` slight, ``0.2-0.4`` fair, ``0.4-0.6`` moderate, ``0.6-0.8``
    substantial, ``0.8-1`` almost perfect (each band includes its upper end); NaN gives
    ``"undefined"``. The bands are a convention, not a law: what is good enough depends
    on the task.

    Examples
    --------
    >>> interpret_kappa(0.45), interpret_kappa(-0.1), interpret_kappa(0.8)
    ('moderate', 'poor', 'substantial')

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    if isinstance(kappa, bool | np.bool_) or not isinstance(kappa, Real):
        raise TypeError(f"kappa must be a number, got {kappa!r}.")
    kappa = float(kappa)
    if np.isnan(kappa):
        return "undefined"
    if not -1.0 <= kappa <= 1.0 + 1e-12:
        raise ValueError(f"kappa must be between -1 and 1, got {kappa}.")
    if kappa < 0:
        return KAPPA_BANDS[0][1]
    return next(name for upper, name in KAPPA_BANDS[1:] if kappa <= upper + 1e-12)


# --- annotator quality from a model, and gold screening -----------------------------------


def implied_accuracy(confusions: Any, priors: Any) -> np.ndarray:
    """Each source's accuracy implied by its confusion matrix: ``sum_k priors[k] C[j, k, k]``.

    The probability that source ``j`` answers correctly on an item drawn from the
    class proportions ``priors``: the quality estimate Dawid-Skene gives without gold.

    Parameters
    ----------
    confusions : array of shape (n_sources, K, R)
        ``confusions[j, k, r]`` = P(source j answers r | true class k), ``R >= K`` (as in
        :class:`~dcai_course.aggregation.DawidSkeneResult`).
    priors : array of shape (K,)

    Returns
    -------
    numpy.ndarray of shape (n_sources,)

    Examples
    --------
    >>> confusions = [[[0.9, 0.1], [0.3, 0.7]], [[0.5, 0.5], [0.5, 0.5]]]
    >>> implied_accuracy(confusions, [0.5, 0.5])
    array([0.8, 0.5])

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    conf = check_confusions(confusions, abstain=True)
    prior = check_distribution(priors, "priors", size=conf.shape[1])
    return np.diagonal(conf[:, :, : conf.shape[1]], axis1=1, axis2=2) @ prior


def screen_workers(
    answers: pd.DataFrame,
    gold: pd.Series,
    threshold: float = 0.5,
    *,
    min_gold: int = 1,
    n_classes: int | None = None,
) -> pd.DataFrame:
    """Gold-question screening: each worker's accuracy on gold items, a verdict and a weight.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label)
    gold : pandas.Series indexed by item
        The known labels of a (usually small) subset of the items.
    threshold : float, default 0.5
        Workers whose gold accuracy is below it are marked ``keep = False``.
    min_gold : int, default 1
        Workers with fewer gold answers are not screened: they are kept, and weighted
        like an average worker.
    n_classes : int, optional

    Returns
    -------
    pandas.DataFrame indexed by worker
        ``accuracy`` (on gold, NaN without gold answers), ``n_gold``, ``keep`` (the
        "drop" policy) and ``weight`` (the "down-weight" policy): the log-odds
        ``log((K - 1) a / (1 - a))`` of the smoothed accuracy ``a = (correct + 1) /
        (n_gold + 2)``, clipped at 0 so that a worker no better than chance counts for
        nothing. Under the one-coin model (each worker right with probability ``a``,
        errors spread evenly) voting with these weights is the optimal rule (Nitzan &
        Paroush, 1982). Unscreened workers get the weight of the pooled gold accuracy.

    Examples
    --------
    >>> answers = pd.DataFrame({"item": [1, 1, 2, 2, 3], "worker": ["a", "b", "a", "b", "a"],
    ...                         "label": [0, 1, 1, 1, 0]})
    >>> screen_workers(answers, pd.Series({1: 0, 2: 1}), threshold=0.6)
            accuracy  n_gold   keep    weight
    worker
    a            1.0       2   True  1.098612
    b            0.5       2  False  0.000000

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    _check_long(answers)
    threshold = check_probability(threshold, "threshold")
    min_gold = check_count(min_gold, "min_gold")
    v = to_vote_matrix(answers, n_classes, name="answers")
    _per_item_labels(gold, v, "gold")
    quality = annotator_quality(answers, gold, n_classes=v.n_classes)
    n_gold = quality["n_labels"].to_numpy()
    correct = np.nan_to_num(quality["accuracy"].to_numpy() * n_gold)
    screened = n_gold >= min_gold
    if not screened.any():
        raise ValueError(
            f"No worker has {min_gold} or more answers on gold items: add gold items or "
            "lower min_gold."
        )
    smoothed = (correct + 1.0) / (n_gold + 2.0)
    pooled = (correct[screened].sum() + 1.0) / (n_gold[screened].sum() + 2.0)
    smoothed = np.where(screened, smoothed, pooled)
    weight = np.log((v.n_classes - 1) * smoothed / (1.0 - smoothed)).clip(min=0.0)
    keep = ~screened | (quality["accuracy"].to_numpy() >= threshold)
    return quality.rename(columns={"n_labels": "n_gold"}).assign(keep=keep, weight=weight)


def weighted_majority_vote(answers: Any, weights: Any, n_classes: int | None = None):
    """Majority vote in which each worker's vote counts ``weights[worker]``.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label) or vote matrix (n_items, n_workers)
    weights : pandas.Series indexed by worker, or array of shape (n_workers,)
        Non-negative; 0 ignores a worker (e.g. ``screen_workers(...)["weight"]``).
    n_classes : int, optional

    Returns
    -------
    pandas.Series indexed by item (long input), or numpy.ndarray
        The class with the largest total weight (the lowest class on an exact tie);
        ``-1`` for items whose answers all have weight 0.

    Examples
    --------
    >>> weighted_majority_vote([[0, 1, 1], [0, 0, 1]], [3.0, 1.0, 1.0])
    array([0, 0])

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    v = to_vote_matrix(answers, n_classes, name="answers")
    w = _per_worker(weights, v, "weights")
    items, workers = np.nonzero(v.matrix != ABSTAIN)
    flat = items * v.n_classes + v.matrix[items, workers]
    scores = np.bincount(flat, weights=w[workers], minlength=v.matrix.shape[0] * v.n_classes)
    scores = scores.reshape(-1, v.n_classes)
    labels = np.where(scores.max(axis=1) > 0, scores.argmax(axis=1), ABSTAIN).astype(np.int64)
    if v.items is None:
        return labels
    return pd.Series(labels, index=v.items, name="label")


# --- one EM iteration of Dawid-Skene, dense -----------------------------------------------


def _refuse_long(votes: Any) -> None:
    if isinstance(votes, pd.DataFrame):
        raise TypeError(
            "votes must be a vote matrix (n_items, n_workers); convert a long table with "
            "dcai_course.aggregation.to_vote_matrix(answers).matrix."
        )


def _check_dense_votes(votes: Any, n_classes: int | None = None) -> np.ndarray:
    _refuse_long(votes)
    return to_vote_matrix(votes, n_classes).matrix


def dawid_skene_e_step(votes: Any, priors: Any, confusions: Any) -> np.ndarray:
    """The E-step of Dawid-Skene: P(true class | votes) for each item.

    ``log P(y_i = k | votes) = log priors[k] + sum_j log confusions[j, k, votes[i, j]]
    + const``, the sum running over the workers who answered item ``i``; each row is then
    normalised (a log-sum-exp). Probabilities are clipped at 1e-10 before taking logs.
    Items without any vote get the prior.

    Parameters
    ----------
    votes : array of int, shape (n_items, n_workers)
        Class indices, ``-1`` for "did not answer".
    priors : array of shape (K,)
    confusions : array of shape (n_workers, K, K)
        ``confusions[j, k, r]`` = P(worker j answers r | true class k).

    Returns
    -------
    numpy.ndarray of shape (n_items, K)
        Rows sum to 1.

    Examples
    --------
    >>> confusions = np.array([[[0.9, 0.1], [0.2, 0.8]]] * 2)
    >>> dawid_skene_e_step([[0, 0], [0, 1], [-1, -1]], [0.5, 0.5], confusions).round(3)
    array([[0.953, 0.047],
           [0.36 , 0.64 ],
           [0.5  , 0.5  ]])

    Taught in: notebooks/05_crowdsourcing.ipynb (the fast version:
    :func:`dcai_course.aggregation.dawid_skene`).
    """
    _refuse_long(votes)
    prior = check_distribution(priors, "priors")
    k = prior.size
    matrix = _check_dense_votes(votes, k)
    n_workers = matrix.shape[1]
    conf = check_confusions(confusions, n_sources=n_workers)
    if conf.shape[1] != k:
        raise ValueError(
            f"confusions must have shape (n_workers, K, K) = {(n_workers, k, k)}, got "
            f"{conf.shape}: priors has K = {k}."
        )
    log_conf = np.log(np.clip(conf, _EPS, None))  # (J, K, K)
    voted = matrix != ABSTAIN
    # log_conf[j, :, votes[i, j]] for every (i, j): shape (n_items, J, K)
    per_vote = log_conf[np.arange(n_workers)[None, :], :, np.where(voted, matrix, 0)]
    joint = np.log(np.clip(prior, _EPS, None)) + (per_vote * voted[:, :, None]).sum(axis=1)
    joint -= joint.max(axis=1, keepdims=True)
    posteriors = np.exp(joint)
    return posteriors / posteriors.sum(axis=1, keepdims=True)


def dawid_skene_m_step(
    votes: Any, posteriors: Any, n_classes: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The M-step of Dawid-Skene: priors and confusion matrices from soft labels.

    ``priors[k]`` is the mean posterior of class ``k``; ``confusions[j, k, r]`` is the
    posterior-weighted count of "worker j answered r on an item of class k",
    ``sum_i posteriors[i, k] [votes[i, j] = r]``, clipped at 1e-10 and normalised over
    ``r``. A worker who never answered gets uniform rows.

    Parameters
    ----------
    votes : array of int, shape (n_items, n_workers)
        Class indices, ``-1`` for "did not answer".
    posteriors : array of shape (n_items, K)
        Soft labels (rows sum to 1), e.g. from :func:`dawid_skene_e_step` or the vote
        shares of each item (the majority-vote start).
    n_classes : int, optional
        K; by default the number of columns of ``posteriors``.

    Returns
    -------
    priors : numpy.ndarray of shape (K,)
    confusions : numpy.ndarray of shape (n_workers, K, K)

    Examples
    --------
    >>> priors, confusions = dawid_skene_m_step([[0, 0], [1, 0]], [[1.0, 0.0], [0.0, 1.0]])
    >>> priors
    array([0.5, 0.5])
    >>> confusions[1].round(3)
    array([[1., 0.],
           [1., 0.]])

    Taught in: notebooks/05_crowdsourcing.ipynb (the fast version:
    :func:`dcai_course.aggregation.dawid_skene`).
    """
    post = check_pred_probs(posteriors, name="posteriors")
    k = post.shape[1] if n_classes is None else check_n_classes(n_classes)
    if post.shape[1] != k:
        raise ValueError(f"posteriors must have K = {k} columns (n_classes), got {post.shape[1]}.")
    matrix = _check_dense_votes(votes, k)
    if post.shape[0] != matrix.shape[0]:
        raise ValueError(
            f"posteriors must have shape (n_items, K) with n_items = {matrix.shape[0]} (rows "
            f"of votes), got {post.shape}."
        )
    one_hot = (matrix[:, :, None] == np.arange(k)).astype(np.float64)  # (n, J, R); -1 -> 0s
    counts = np.einsum("ik,ijr->jkr", post, one_hot)
    counts = np.clip(counts, _EPS, None)
    confusions = counts / counts.sum(axis=2, keepdims=True)
    priors = np.clip(post.mean(axis=0), _EPS, None)
    return priors / priors.sum(), confusions


# --- redundancy ---------------------------------------------------------------------------


def subsample_answers(answers: pd.DataFrame, per_item: int, seed: SeedLike = None) -> pd.DataFrame:
    """Keep at most ``per_item`` answers of each item, chosen at random (a smaller crowd).

    Simulates having paid for fewer labels per item. Vectorised: one random key per
    answer, then the ``per_item`` smallest keys within each item are kept.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label)
    per_item : int
        At least 1. Items with fewer answers keep all of them.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    pandas.DataFrame
        The kept rows, in their original order, with a fresh index.

    Examples
    --------
    >>> answers = pd.DataFrame({"item": [0, 0, 0, 1, 1], "worker": [0, 1, 2, 0, 1],
    ...                         "label": [1, 1, 0, 0, 0]})
    >>> subsample_answers(answers, 2, seed=0).groupby("item").size().tolist()
    [2, 2]

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    _check_long(answers)
    per_item = check_count(per_item, "per_item")
    codes, _ = pd.factorize(answers["item"])
    order = np.lexsort((as_rng(seed).random(codes.size), codes))
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, codes.size])
    rank = np.arange(codes.size) - np.repeat(starts, sizes)
    kept = np.sort(order[rank < per_item])
    return answers.iloc[kept].reset_index(drop=True)


def redundancy_curve(
    answers: pd.DataFrame,
    truth: pd.Series,
    per_item: Sequence[int] | None = None,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    n_classes: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Accuracy of majority vote and Dawid-Skene as the number of labels per item grows.

    For each number ``m`` in ``per_item`` and each seed, :func:`subsample_answers` keeps
    ``m`` random answers per item; majority vote (random tie-break, same seed) and
    Dawid-Skene (majority start) aggregate them, and both are scored against ``truth``.

    Parameters
    ----------
    answers : long DataFrame (item, worker, label)
    truth : pandas.Series indexed by item
        Gold labels; accuracy is measured on the items it covers.
    per_item : sequence of int, optional
        Labels per item to try; by default 1 up to the largest number of answers of an
        item.
    seeds : sequence of int
    n_classes : int, optional
    progress : bool, default True
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per (labels per item, seed, method): ``per_item``, ``seed``, ``method``
        (``"majority vote"`` or ``"Dawid-Skene"``) and ``accuracy``.

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    from tqdm.auto import tqdm

    _check_long(answers)
    k = to_vote_matrix(answers, n_classes, name="answers").n_classes
    if not isinstance(truth, pd.Series):
        raise TypeError("truth must be a pandas Series of gold labels indexed by item.")
    if truth.index.has_duplicates:
        raise ValueError(
            "truth has repeated items in its index: give one gold label per item "
            "(truth[~truth.index.duplicated()])."
        )
    seeds = check_seeds(seeds)
    unknown = truth.index.difference(pd.Index(answers["item"].unique()))
    if len(unknown):
        raise ValueError(
            f"{len(unknown)} item(s) of truth have no answer, e.g. {unknown[0]!r}; score only "
            "the answered items: truth.loc[truth.index.isin(answers.item)]."
        )
    gold = check_labels(truth.to_numpy(), k, name="truth")
    if per_item is None:
        per_item = range(1, int(answers.groupby("item").size().max()) + 1)
    per_item = check_int_sequence(per_item, "per_item", minimum=1)
    runs = [(m, s) for m in per_item for s in seeds]
    if not runs:
        raise ValueError("per_item and seeds must both be non-empty.")
    rows = []
    for m, seed in tqdm(runs, disable=not progress, desc="labels per item"):
        sub = subsample_answers(answers, m, seed=seed)
        mv = majority_vote(sub, k, tie_break="random", seed=seed).reindex(truth.index)
        ds = dawid_skene(sub, k).labels.reindex(truth.index)
        for method, labels in (("majority vote", mv), ("Dawid-Skene", ds)):
            accuracy = float(np.mean(labels.to_numpy() == gold))
            rows.append({"per_item": m, "seed": seed, "method": method, "accuracy": accuracy})
    return pd.DataFrame(rows)


def plot_redundancy(curve: pd.DataFrame, ax=None, title: str | None = None):
    """Accuracy against labels per item, per method: mean and its 95% interval over seeds.

    ``curve`` is the output of :func:`redundancy_curve`. Returns the Axes.

    Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    import matplotlib.pyplot as plt

    keys = ("method", "per_item", "seed")
    check_table(curve, "curve", (*keys, "accuracy"), hint=" Pass the output of redundancy_curve.")
    check_no_duplicates(curve, "curve", keys)
    check_fractions(curve["accuracy"], "curve['accuracy']")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    groups = curve.groupby(["method", "per_item"], sort=False)["accuracy"]
    stats = pd.DataFrame(
        [mean_ci(values) for _, values in groups],
        index=groups.size().index,
        columns=["mean", "low", "high"],
    )
    for (method, part), marker in zip(
        stats.groupby(level="method", sort=False), "os", strict=False
    ):
        x = part.index.get_level_values("per_item")
        ax.plot(x, part["mean"], marker=marker, markersize=4, label=method)
        ax.fill_between(x, part["low"], part["high"], alpha=0.2)
    ax.set_xlabel("labels per item")
    ax.set_ylabel("accuracy against gold")
    ax.set_title(title or "Accuracy as labels per item grow")
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
