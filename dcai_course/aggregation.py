"""Label aggregation: turning many noisy votes per item into one label.

Shared by weak supervision (the votes are labeling functions) and crowdsourcing (the
votes are annotators). Two input formats are accepted everywhere:

* a **vote matrix**: an integer array of shape ``(n_items, n_sources)`` with class
  indices ``0..K-1`` and ``-1`` for "abstained / did not answer";
* a **long DataFrame** with columns ``item``, ``worker``, ``label``, one row per answer
  (a missing row means "did not answer"). Results are then indexed by ``item``.

Two aggregators are implemented from scratch:

* :func:`majority_vote`, with an explicit tie-break;
* :func:`dawid_skene`, the EM algorithm of Dawid & Skene (1979) that learns one
  confusion matrix per source, vectorised with sparse matrix products (no Python loop
  over items or votes).

Abstains are the crux. A crowd worker who did not see an item tells us nothing about it
(missing at random: ``abstain_as_vote=False``). A labeling function that abstains does
tell us something, because most labeling functions fire for one class only; with
``abstain_as_vote=True`` the abstain is modelled as an extra response, and each source
learns P(abstain | true class).

Taught in: notebooks/04_weak_supervision.ipynb and notebooks/05_crowdsourcing.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ._validation import (
    SeedLike,
    as_rng,
    check_float,
    check_int,
    check_n_classes,
    check_no_duplicates,
    check_table,
)

__all__ = [
    "ABSTAIN",
    "DawidSkeneResult",
    "dawid_skene",
    "majority_vote",
    "to_vote_matrix",
    "vote_counts",
]

#: The entry of a vote matrix that means "abstained" or "did not answer".
ABSTAIN = -1
#: With ``n_classes`` not given, a vote matrix may imply at most this many classes.
MAX_INFERRED_CLASSES = 20

_TIE_BREAKS = ("random", "lowest", "abstain")
_INITS = ("majority", "uniform_diag")
#: Probabilities are clipped at this value before taking logs (as crowd-kit does).
_EPS = 1e-10


@dataclass(frozen=True)
class _Votes:
    """A validated vote matrix and, for long input, the item and worker ids."""

    matrix: np.ndarray
    n_classes: int
    items: pd.Index | None = None
    sources: pd.Index | None = None


def _from_long(df: pd.DataFrame, name: str) -> tuple[np.ndarray, pd.Index, pd.Index]:
    check_table(
        df,
        name,
        ("item", "worker", "label"),
        hint=" A long vote table has one row per answer; rename your columns if needed, "
        "e.g. df.rename(columns={'task': 'item'}).",
    )
    if df["label"].isna().any():
        raise ValueError(
            f"The label column of {name} has missing values; drop those rows (a missing row "
            "already means 'did not answer')."
        )
    labels = df["label"].to_numpy()
    if labels.dtype.kind not in "iu" and not (
        labels.dtype.kind == "f" and np.all(labels == np.round(labels))
    ):
        raise TypeError(
            f"The labels of {name} must be integer class indices, got dtype {labels.dtype}; "
            "encode class names first, e.g. with pandas.factorize."
        )
    labels = labels.astype(np.int64)
    if (labels < 0).any():
        raise ValueError(
            f"Labels in {name} must be >= 0: a missing row already means 'did not answer', so "
            "drop abstain rows instead of writing -1."
        )
    check_no_duplicates(df, name, ("item", "worker"))
    item_codes, items = pd.factorize(df["item"], sort=True)
    source_codes, sources = pd.factorize(df["worker"], sort=True)
    matrix = np.full((items.size, sources.size), ABSTAIN, dtype=np.int64)
    matrix[item_codes, source_codes] = labels
    return matrix, pd.Index(items, name="item"), pd.Index(sources, name="worker")


def _from_matrix(votes: Any, name: str) -> np.ndarray:
    if isinstance(votes, pd.Series | dict | str) or np.ndim(votes) == 0:
        raise TypeError(
            f"{name} must be a vote matrix (n_items, n_sources) or a long DataFrame with "
            f"columns item, worker, label; got {type(votes).__name__}."
        )
    matrix = np.asarray(votes)
    if matrix.dtype.kind == "f":
        if np.isnan(matrix).any():
            raise ValueError(f"The vote matrix {name} contains NaN; use -1 for 'abstained'.")
        if not np.all(matrix == np.round(matrix)):
            raise ValueError(f"The vote matrix {name} must hold integer class indices (or -1).")
    elif matrix.dtype.kind not in "iu":
        raise TypeError(
            f"The vote matrix {name} must be integers (class indices, -1 = abstain), got dtype "
            f"{matrix.dtype}."
        )
    if matrix.ndim != 2:
        raise ValueError(
            f"The vote matrix {name} must be 2-D (n_items, n_sources), got shape {matrix.shape}."
        )
    if matrix.size == 0:
        raise ValueError(f"The vote matrix {name} is empty: there is nothing to aggregate.")
    matrix = matrix.astype(np.int64)
    if (matrix < ABSTAIN).any():
        raise ValueError(
            f"Votes in {name} must be class indices >= 0 or -1 (abstain); found {matrix.min()}."
        )
    return matrix


def _infer_classes(matrix: np.ndarray, name: str) -> int:
    """K from the largest vote, refusing gaps and implausibly many classes."""
    top = int(matrix.max())
    k = max(top + 1, 2)
    if k > MAX_INFERRED_CLASSES:
        raise ValueError(
            f"{name} holds the vote {top}, so it would have {k} classes. If it is a long "
            "answers table (item, worker, label) converted to an array, pass the DataFrame "
            f"itself; if there really are {k} classes, pass n_classes={k}."
        )
    return k


def to_vote_matrix(
    votes: Any, n_classes: int | None = None, *, name: str = "votes", allow_no_vote: bool = False
) -> _Votes:
    """Validate ``votes`` (matrix or long DataFrame) and return it as a vote matrix.

    A DataFrame is read as a long table (columns ``item``, ``worker``, ``label``); anything
    else as a vote matrix. When ``n_classes`` is not given, K is the largest vote plus
    one (a class may receive no vote: labeling functions often fire for one class only),
    and at most 20: a long table converted to an array, whose item ids look like classes,
    is refused rather than read as dozens of classes.

    Raises
    ------
    ValueError
        For an empty input, a label ``>= n_classes`` or below ``-1``, a matrix that is
        not 2-D, duplicate (item, worker) rows, an input with no vote at all, or (with K
        inferred) more than 20 classes. ``allow_no_vote``
        accepts a matrix of abstains only (a label matrix whose LFs never fire).
    """
    items = sources = None
    if isinstance(votes, pd.DataFrame):
        matrix, items, sources = _from_long(votes, name)
    else:
        matrix = _from_matrix(votes, name)
    voted = matrix != ABSTAIN
    if not voted.any() and allow_no_vote:
        return _Votes(
            matrix, 2 if n_classes is None else check_n_classes(n_classes), items, sources
        )
    if not voted.any():
        raise ValueError(
            f"Every entry is -1 (abstain) in {name}: there is no vote to aggregate. Check that "
            "the labeling functions or annotators actually produced labels."
        )
    top = int(matrix.max())
    if n_classes is None:
        n_classes = _infer_classes(matrix, name)
    else:
        n_classes = check_n_classes(n_classes)
        if top >= n_classes:
            raise ValueError(
                f"{name} has a vote for class {top}, but n_classes={n_classes} allows only "
                f"0..{n_classes - 1}. Pass the right n_classes or re-encode the labels."
            )
    return _Votes(matrix, n_classes, items, sources)


def vote_counts(votes: Any, n_classes: int | None = None) -> np.ndarray:
    """Number of votes for each class, per item: an array of shape (n_items, K).

    Examples
    --------
    >>> vote_counts([[0, 1, 1], [2, -1, -1]], n_classes=3)
    array([[1, 2, 0],
           [0, 0, 1]])
    """
    v = to_vote_matrix(votes, n_classes)
    return _counts(v.matrix, v.n_classes)


def _counts(matrix: np.ndarray, n_classes: int) -> np.ndarray:
    items, sources = np.nonzero(matrix != ABSTAIN)
    flat = items * n_classes + matrix[items, sources]
    return np.bincount(flat, minlength=matrix.shape[0] * n_classes).reshape(-1, n_classes)


def _indexed(values: np.ndarray, items: pd.Index | None, name: str):
    return values if items is None else pd.Series(values, index=items, name=name)


def majority_vote(
    votes: Any,
    n_classes: int | None = None,
    tie_break: str = "random",
    seed: SeedLike = None,
) -> np.ndarray | pd.Series:
    """The most frequent vote of each item, with an explicit tie-break.

    Parameters
    ----------
    votes : array of shape (n_items, n_sources) or long DataFrame
        Class indices, ``-1`` for abstain (see the module docstring).
    n_classes : int, optional
        K; inferred from the largest vote by default.
    tie_break : {"random", "lowest", "abstain"}, default "random"
        What to do when several classes share the most votes: pick one of them at
        random (reproducible with ``seed``), pick the lowest class index, or return
        ``-1`` (abstain). Items with no vote at all always get ``-1``.
    seed : int or numpy.random.Generator, optional
        For ``tie_break="random"``.

    Returns
    -------
    numpy.ndarray of int, or pandas.Series indexed by item for long input

    Examples
    --------
    >>> majority_vote([[1, 1, 0], [0, 1, -1], [-1, -1, -1]], tie_break="lowest")
    array([ 1,  0, -1])
    >>> majority_vote([[1, 1, 0], [0, 1, -1]], tie_break="abstain")
    array([ 1, -1])
    """
    if tie_break not in _TIE_BREAKS:
        raise ValueError(f"tie_break must be one of {_TIE_BREAKS}, got {tie_break!r}.")
    rng = as_rng(seed)
    v = to_vote_matrix(votes, n_classes)
    counts = _counts(v.matrix, v.n_classes)
    best = counts.max(axis=1, keepdims=True)
    tied = counts == best
    if tie_break == "random":
        scores = tied * (1.0 + rng.random(counts.shape))
        labels = scores.argmax(axis=1)
    else:
        labels = tied.argmax(axis=1)
        if tie_break == "abstain":
            labels = np.where(tied.sum(axis=1) > 1, ABSTAIN, labels)
    labels = np.where(best[:, 0] == 0, ABSTAIN, labels).astype(np.int64)
    return _indexed(labels, v.items, "label")


@dataclass
class DawidSkeneResult:
    """What :func:`dawid_skene` estimated.

    Attributes
    ----------
    labels : numpy.ndarray or pandas.Series
        The most probable class of each item (arg-max of ``posteriors``; the lowest
        class on an exact tie).
    posteriors : numpy.ndarray or pandas.DataFrame, shape (n_items, K)
        P(true class | votes) for each item.
    confusions : numpy.ndarray, shape (n_sources, K, K) or (n_sources, K, K + 1)
        ``confusions[j, k, r]`` = P(source j answers r | true class k); with
        ``abstain_as_vote=True`` the last response ``r = K`` is "abstain".
    priors : numpy.ndarray, shape (K,)
        The estimated class proportions.
    n_iter : int
        EM iterations run.
    log_likelihood : float
        The final marginal log-likelihood of the votes, log P(votes | parameters).
    log_likelihood_history : list of float
        Its value after each iteration (EM never decreases it).
    converged : bool
        Whether the change per vote fell below ``tol`` before ``max_iter``.
    sources : pandas.Index or None
        The worker ids, in the order of ``confusions``, for long input.
    """

    labels: np.ndarray | pd.Series
    posteriors: np.ndarray | pd.DataFrame
    confusions: np.ndarray
    priors: np.ndarray
    n_iter: int
    log_likelihood: float
    log_likelihood_history: list[float] = field(repr=False)
    converged: bool = True
    sources: pd.Index | None = None


def _observations(matrix: np.ndarray, n_classes: int, abstain_as_vote: bool):
    """A sparse 0/1 matrix A of shape (n_items, n_sources * R): A[i, j*R + r] = 1 when
    source j gave response r on item i (R = K, or K + 1 with abstain as a response)."""
    n_items, n_sources = matrix.shape
    n_responses = n_classes + 1 if abstain_as_vote else n_classes
    responses = np.where(matrix == ABSTAIN, n_classes, matrix)
    keep = np.ones_like(matrix, dtype=bool) if abstain_as_vote else matrix != ABSTAIN
    items, sources = np.nonzero(keep)
    columns = sources * n_responses + responses[items, sources]
    data = np.ones(items.size)
    A = sparse.csr_matrix((data, (items, columns)), shape=(n_items, n_sources * n_responses))
    return A, n_responses


# Internally posteriors are kept class-major, shape (K, n_items): NumPy reduces along a
# long contiguous axis far faster than along a short one (40x for K = 4, n = 10^5).


def _m_step(A, posteriors_t: np.ndarray, n_sources: int, n_responses: int, answered: np.ndarray):
    n_classes = posteriors_t.shape[0]
    counts = np.asarray(A.T @ posteriors_t.T)  # (n_sources * R, K): expected counts
    counts = counts.reshape(n_sources, n_responses, n_classes).transpose(0, 2, 1)
    counts = np.clip(counts, _EPS, None)
    confusions = counts / counts.sum(axis=2, keepdims=True)
    priors = np.where(answered, np.clip(posteriors_t.mean(axis=1), _EPS, None), 0.0)
    return priors / priors.sum(), confusions


def _e_step(A, priors: np.ndarray, confusions: np.ndarray):
    n_sources, n_classes, n_responses = confusions.shape
    log_conf = np.log(np.clip(confusions, _EPS, None)).transpose(0, 2, 1)
    weights = log_conf.reshape(n_sources * n_responses, n_classes)
    joint = np.ascontiguousarray(np.asarray(A @ weights).T)  # (K, n_items)
    with np.errstate(divide="ignore"):  # a class nobody answered has prior 0: log 0 = -inf
        joint += np.log(priors)[:, None]
    top = joint.max(axis=0)  # log-sum-exp over classes, shifted for stability
    np.exp(joint - top, out=joint)
    total = joint.sum(axis=0)
    joint /= total
    return joint, float((top + np.log(total)).sum())


def _majority_start(matrix: np.ndarray, n_classes: int) -> np.ndarray:
    counts = np.ascontiguousarray(_counts(matrix, n_classes).T, dtype=np.float64)
    totals = counts.sum(axis=0)
    return np.divide(counts, totals, out=np.full_like(counts, 1.0 / n_classes), where=totals > 0)


def _uniform_diag_start(n_sources: int, n_classes: int, n_responses: int, diag: float):
    confusions = np.full((n_sources, n_classes, n_responses), (1.0 - diag) / (n_responses - 1))
    confusions[:, np.arange(n_classes), np.arange(n_classes)] = diag
    return np.full(n_classes, 1.0 / n_classes), confusions


def dawid_skene(
    votes: Any,
    n_classes: int | None = None,
    init: str = "majority",
    max_iter: int = 100,
    tol: float = 1e-6,
    abstain_as_vote: bool = False,
    seed: SeedLike = None,
    *,
    init_diag: float = 0.7,
) -> DawidSkeneResult:
    """Dawid-Skene: estimate each source's confusion matrix and the true labels by EM.

    Each source ``j`` is modelled by a confusion matrix ``confusions[j, k, r]`` =
    P(answer r | true class k), and the items' true classes by the prior ``priors``. EM
    alternates the E-step (the posterior of each item's class given its votes) and the
    M-step (confusions and priors from the posterior-weighted vote counts). Both steps
    are sparse matrix products over the observed votes, so no Python loop runs over items
    or votes.

    Smoothing: none beyond a floor. Expected counts are clipped at 1e-10 and each
    confusion row is normalised over all ``K`` responses (``K + 1`` with
    ``abstain_as_vote``); crowd-kit normalises each worker's row over the responses that
    worker gave, so the two differ by at most ``K`` times 1e-10 per entry. A class that
    no source ever answered (possible when ``n_classes`` is larger than every vote) gets
    prior 0, so no item is given a class nobody chose.

    Parameters
    ----------
    votes : array of shape (n_items, n_sources) or long DataFrame
        Class indices, ``-1`` for abstain (see the module docstring).
    n_classes : int, optional
        K; inferred from the largest vote by default.
    init : {"majority", "uniform_diag"}, default "majority"
        ``"majority"`` starts from the soft majority vote (each item's vote shares), as
        crowd-kit does. ``"uniform_diag"`` starts every confusion matrix at
        ``init_diag`` on the diagonal (the rest spread evenly) with uniform priors, as
        the benchmark code of Zheng et al. (PVLDB 2017) does; published numbers depend
        on this choice.
    max_iter : int, default 100
        Maximum number of EM iterations (one iteration = one M-step and one E-step).
    tol : float, default 1e-6
        Stop when the log-likelihood per vote improves by less than ``tol``; ``0`` runs
        all ``max_iter`` iterations.
    abstain_as_vote : bool, default False
        Model an abstain as an extra response with its own probability per true class
        (labeling functions), instead of as a missing answer (crowd workers).
    seed : int or numpy.random.Generator, optional
        Unused by the deterministic EM; accepted for a uniform interface. The result is
        a deterministic function of the input.
    init_diag : float, default 0.7
        The starting diagonal for ``init="uniform_diag"``.

    Returns
    -------
    DawidSkeneResult
        With long input, ``labels`` is a Series and ``posteriors`` a DataFrame indexed by
        item, and ``sources`` holds the worker ids.

    Examples
    --------
    >>> votes = [[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]]
    >>> result = dawid_skene(votes)
    >>> result.labels
    array([0, 1, 0, 1])
    >>> result.confusions.shape
    (3, 2, 2)
    """
    if init not in _INITS:
        raise ValueError(f"init must be one of {_INITS}, got {init!r}.")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_float(tol, "tol", minimum=0.0)
    init_diag = check_float(init_diag, "init_diag", minimum=0.0, maximum=1.0, strict=True)
    if not isinstance(abstain_as_vote, bool | np.bool_):
        raise TypeError(f"abstain_as_vote must be True or False, got {abstain_as_vote!r}.")
    as_rng(seed)  # validated for a uniform interface; EM itself draws nothing
    v = to_vote_matrix(votes, n_classes)
    matrix, k = v.matrix, v.n_classes
    n_sources = matrix.shape[1]
    A, n_responses = _observations(matrix, k, abstain_as_vote)
    n_votes = max(A.nnz, 1)
    # A class that no source ever answered gets prior 0, hence posterior 0 (as in
    # crowd-kit, which only knows the labels it has seen).
    answered = np.bincount(matrix[matrix != ABSTAIN], minlength=k)[:k] > 0

    if init == "majority":
        posteriors = _majority_start(matrix, k)
    else:
        priors, confusions = _uniform_diag_start(n_sources, k, n_responses, init_diag)
        posteriors, _ = _e_step(
            A, np.where(answered, priors, 0.0) / priors[answered].sum(), confusions
        )

    history: list[float] = []
    converged = False
    for _ in range(max_iter):
        priors, confusions = _m_step(A, posteriors, n_sources, n_responses, answered)
        posteriors, log_likelihood = _e_step(A, priors, confusions)
        history.append(log_likelihood)
        if tol > 0 and len(history) > 1 and (history[-1] - history[-2]) / n_votes < tol:
            converged = True
            break
    labels = posteriors.argmax(axis=0).astype(np.int64)
    posteriors = np.ascontiguousarray(posteriors.T)
    if v.items is not None:
        posterior_frame = pd.DataFrame(
            posteriors, index=v.items, columns=pd.RangeIndex(k, name="class")
        )
        return DawidSkeneResult(
            _indexed(labels, v.items, "label"),
            posterior_frame,
            confusions,
            priors,
            len(history),
            history[-1],
            history,
            converged,
            v.sources,
        )
    return DawidSkeneResult(
        labels, posteriors, confusions, priors, len(history), history[-1], history, converged
    )
