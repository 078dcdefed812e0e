"""Weak supervision: labeling functions, their analysis, and training on their votes.

A **labeling function** (LF) is a small program that looks at one example and returns
a class or abstains (``-1``). Applying ``m`` LFs to ``n`` examples gives a **label
matrix** ``L`` of shape ``(n, m)``, the vote matrix of :mod:`dcai_course.aggregation`.
This module holds what sits around the aggregation step:

* :func:`apply_lfs` turns LFs and a DataFrame into ``L`` (Snorkel's
  ``@labeling_function`` objects and plain Python functions alike);
* :func:`lf_summary` and :func:`label_matrix_stats` describe ``L`` (polarity,
  coverage, overlaps, conflicts and, given gold labels, accuracy), with Snorkel's
  definitions (``LFAnalysis``);
* :func:`dawid_skene_posteriors` applies a fitted Dawid-Skene label model to new rows,
  :func:`accuracy_with_abstains` scores predictions that may abstain, and
  :func:`soft_label_dataset` turns probabilistic labels into a weighted training set
  for any scikit-learn classifier;
* :func:`lecture_lfs` are notebook 04's twelve LFs, :func:`uncovered_splits` the
  comments none of them covers, and :func:`score_weak_labels` scores labels that may
  abstain (lab 04 uses all three).

Taught in: notebooks/04_weak_supervision.ipynb.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from ._validation import (
    check_bool,
    check_float,
    check_fractions,
    check_int,
    check_labels,
    check_labels_within,
    check_model_features,
    check_n_classes,
    check_table,
)
from .aggregation import ABSTAIN, DawidSkeneResult, to_vote_matrix

__all__ = [
    "accuracy_with_abstains",
    "apply_lfs",
    "dawid_skene_posteriors",
    "label_matrix_stats",
    "lecture_lfs",
    "lf_names",
    "lf_summary",
    "plot_lf_summary",
    "score_weak_labels",
    "soft_label_dataset",
    "uncovered_splits",
]


def lf_names(lfs: Sequence[Callable]) -> list[str]:
    """The name of each labeling function: its ``name`` (Snorkel) or ``__name__``.

    Examples
    --------
    >>> def short(x):
    ...     return 0
    >>> lf_names([short, len])
    ['short', 'len']
    """
    names = []
    for j, lf in enumerate(_check_lfs(lfs)):
        name = getattr(lf, "name", None) or getattr(lf, "__name__", None)
        names.append(str(name) if name else f"lf_{j}")
    return names


def _check_lfs(lfs: Any) -> list[Callable]:
    if isinstance(lfs, str | bytes) or not isinstance(lfs, Sequence):
        raise TypeError(
            f"lfs must be a list of labeling functions, got {type(lfs).__name__}. "
            "Wrap a single function in a list: [my_lf]."
        )
    lfs = list(lfs)
    if not lfs:
        raise ValueError("lfs is empty: write at least one labeling function.")
    for j, lf in enumerate(lfs):
        if not callable(lf):
            raise TypeError(
                f"lfs[{j}] is a {type(lf).__name__}, not a function. A labeling function "
                "takes one row x (with x.text, ...) and returns a class or -1."
            )
    return lfs


def apply_lfs(
    lfs: Sequence[Callable],
    df: pd.DataFrame,
    *,
    n_classes: int | None = None,
    progress: bool = True,
) -> np.ndarray:
    """Apply labeling functions to every row of a DataFrame: the label matrix ``L``.

    Each row is passed to each LF as a ``pandas.Series`` (so ``x.text`` reads the
    ``text`` column), exactly as Snorkel's ``PandasLFApplier`` does; Snorkel
    ``LabelingFunction`` objects (with their preprocessors) and plain functions work.

    Parameters
    ----------
    lfs : list of callables
        Each returns a class index ``0..K-1`` or ``-1`` (abstain) for one row.
    df : pandas.DataFrame
        One example per row.
    n_classes : int, optional
        If given, an LF output ``>= n_classes`` raises an error.
    progress : bool, default True
        Show a progress bar over the rows.

    Returns
    -------
    numpy.ndarray of int64, shape (len(df), len(lfs))

    Raises
    ------
    TypeError
        If ``lfs`` is not a list of callables or ``df`` is not a DataFrame.
    ValueError
        If an LF returns something other than an integer ``>= -1`` (``None`` or
        ``True`` included: return ``-1`` to abstain), naming the LF and the row.

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["check out my channel", "love this song"]})
    >>> def check_out(x):
    ...     return 1 if "check out" in x.text else -1
    >>> def song(x):
    ...     return 0 if "song" in x.text else -1
    >>> apply_lfs([check_out, song], df, progress=False)
    array([[ 1, -1],
           [-1,  0]])

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb.
    """
    from tqdm.auto import tqdm

    lfs = _check_lfs(lfs)
    check_table(df, "df", hint=" Each row is one example, passed to each LF.")
    if n_classes is not None:
        n_classes = check_n_classes(n_classes)
    names = lf_names(lfs)
    L = np.full((len(df), len(lfs)), ABSTAIN, dtype=np.int64)
    rows = tqdm(df.iterrows(), total=len(df), disable=not progress, desc="applying LFs")
    for i, (index, row) in enumerate(rows):
        for j, lf in enumerate(lfs):
            out = lf(row)
            if (
                isinstance(out, bool | np.bool_)
                or not isinstance(out, int | np.integer)
                or out < ABSTAIN
                or (n_classes is not None and out >= n_classes)
            ):
                allowed = "-1 or a class index" + (
                    f" 0..{n_classes - 1}" if n_classes is not None else ""
                )
                raise ValueError(
                    f"Labeling function {names[j]!r} returned {out!r} for row {index!r}; it "
                    f"must return {allowed} (an int; return -1 to abstain, never None)."
                )
            L[i, j] = out
    return L


def _check_label_matrix(L: Any, n_classes: int | None = None) -> np.ndarray:
    """The label matrix ``L`` (``-1`` = abstain); LFs that never fire are allowed."""
    if isinstance(L, pd.DataFrame):
        raise TypeError(
            "L must be a label matrix (n_examples, n_lfs) of class indices and -1, got a "
            "DataFrame; use apply_lfs(lfs, df) to build it."
        )
    return to_vote_matrix(L, n_classes, name="L", allow_no_vote=True).matrix


def _row_flags(L: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    voted = L != ABSTAIN
    n_votes = voted.sum(axis=1)
    # a row conflicts when its non-abstain votes are not all equal
    high = np.where(voted, L, -np.inf).max(axis=1)
    low = np.where(voted, L, np.inf).min(axis=1)
    conflicted = (n_votes > 1) & (high != low)
    return voted, n_votes > 0, n_votes > 1, conflicted


def label_matrix_stats(L: Any) -> dict[str, float]:
    """Fractions of examples with at least one vote, two votes, and a disagreement.

    Returns ``{"coverage": ..., "overlap": ..., "conflict": ...}``, equal to Snorkel's
    ``LFAnalysis(L).label_coverage()``, ``label_overlap()`` and ``label_conflict()``.

    Examples
    --------
    >>> label_matrix_stats([[1, -1], [1, 0], [-1, -1], [0, 0]])
    {'coverage': 0.75, 'overlap': 0.5, 'conflict': 0.25}
    """
    L = _check_label_matrix(L)
    _, covered, overlapped, conflicted = _row_flags(L)
    return {
        "coverage": float(covered.mean()),
        "overlap": float(overlapped.mean()),
        "conflict": float(conflicted.mean()),
    }


def lf_summary(L: Any, Y: Any = None, lf_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-LF statistics of a label matrix, as Snorkel's ``LFAnalysis.lf_summary``.

    Parameters
    ----------
    L : array of int, shape (n, m)
        The label matrix (``-1`` = abstain).
    Y : array of int, shape (n,), optional
        Gold labels; adds the columns ``Correct``, ``Incorrect`` and ``Emp. Acc.``.
    lf_names : list of str, optional
        Row names; with them a column ``j`` (the LF's position) is added, as Snorkel does.

    Returns
    -------
    pandas.DataFrame
        One row per LF with the columns

        - ``Polarity``: the sorted list of classes the LF ever outputs;
        - ``Coverage``: the fraction of examples it labels;
        - ``Overlaps``: the fraction it labels *and* at least one other LF labels;
        - ``Conflicts``: the fraction it labels and some other LF labels differently;
        - with ``Y``: ``Correct`` and ``Incorrect`` (counts over its non-abstain votes)
          and ``Emp. Acc.`` = Correct / (Correct + Incorrect), 0 for an LF that never
          votes.

    Examples
    --------
    >>> L = np.array([[1, -1, 0], [1, 1, -1], [-1, -1, 0], [1, 0, 0]])
    >>> lf_summary(L, Y=[1, 1, 0, 0])
      Polarity  Coverage  Overlaps  Conflicts  Correct  Incorrect  Emp. Acc.
    0      [1]      0.75      0.75       0.50        2          1   0.666667
    1   [0, 1]      0.50      0.50       0.25        2          0   1.000000
    2      [0]      0.75      0.50       0.50        2          1   0.666667

    Notes
    -----
    Coverage, overlaps and conflicts are fractions of *all* examples (Snorkel's
    convention), so an LF's overlaps can never exceed its coverage.
    Taught in: notebooks/04_weak_supervision.ipynb.
    """
    L = _check_label_matrix(L)
    n, m = L.shape
    voted, _, overlapped, conflicted = _row_flags(L)
    columns: dict[str, Any] = {}
    if lf_names is not None:
        lf_names = [str(name) for name in lf_names]
        if len(lf_names) != m:
            raise ValueError(f"lf_names has {len(lf_names)} names but L has {m} columns.")
        columns["j"] = list(range(m))
    index = lf_names if lf_names is not None else list(range(m))
    columns["Polarity"] = [sorted(int(c) for c in np.unique(L[voted[:, j], j])) for j in range(m)]
    columns["Coverage"] = voted.mean(axis=0)
    columns["Overlaps"] = (voted & overlapped[:, None]).mean(axis=0)
    columns["Conflicts"] = (voted & conflicted[:, None]).mean(axis=0)
    if Y is not None:
        Y = check_labels(Y, name="Y")
        if Y.shape[0] != n:
            raise ValueError(f"Y has {Y.shape[0]} labels but L has {n} rows.")
        if voted.any():
            check_labels_within(Y, "Y", L=L[voted])
        correct = (voted & (Y[:, None] == L)).sum(axis=0)
        n_votes = voted.sum(axis=0)
        columns["Correct"] = correct
        columns["Incorrect"] = n_votes - correct
        columns["Emp. Acc."] = np.divide(correct, n_votes, out=np.zeros(m), where=n_votes > 0)
    return pd.DataFrame(columns, index=index)


def accuracy_with_abstains(y_true: Any, y_pred: Any) -> dict[str, float]:
    """Accuracy of predictions that may abstain (``-1``), counted two ways.

    Returns
    -------
    dict
        ``accuracy``: over all examples, an abstain counting as an error (what a user
        who needs a label for every example gets); ``accuracy_on_labeled``: over the
        examples with a prediction only (what Snorkel's ``LabelModel.score`` and
        ``MajorityLabelVoter.score`` report by default); ``coverage``: the fraction
        with a prediction.

    Examples
    --------
    >>> accuracy_with_abstains([1, 0, 1, 0], [1, 0, -1, 1])
    {'accuracy': 0.5, 'accuracy_on_labeled': 0.6666666666666666, 'coverage': 0.75}
    """
    y_true = check_labels(y_true, name="y_true")
    y_pred = np.asarray(y_pred)
    if y_pred.dtype.kind == "f" and np.all(np.isfinite(y_pred) & (y_pred == np.round(y_pred))):
        y_pred = y_pred.astype(np.int64)
    if y_pred.dtype.kind not in "iu":
        raise TypeError(
            f"y_pred must hold class indices or -1 (abstain), got dtype {y_pred.dtype}."
        )
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred has shape {y_pred.shape} but y_true has shape {y_true.shape}.")
    if y_pred.size and y_pred.min() < ABSTAIN:
        raise ValueError(f"y_pred must hold class indices or -1 (abstain), found {y_pred.min()}.")
    check_labels_within(y_true, "y_true", y_pred=y_pred)
    labeled = y_pred != ABSTAIN
    right = y_pred == y_true
    return {
        "accuracy": float(right.mean()),
        "accuracy_on_labeled": float(right[labeled].mean()) if labeled.any() else float("nan"),
        "coverage": float(labeled.mean()),
    }


def dawid_skene_posteriors(result: DawidSkeneResult, L: Any) -> np.ndarray:
    """P(class | votes) for new rows under a fitted Dawid-Skene model (no refitting).

    The label model is fitted once on the (unlabeled) training matrix; this applies its
    priors and confusion matrices to another matrix of the same LFs, e.g. the test
    split's. Whether abstains are modelled is read from ``result`` (its confusion
    matrices have ``K + 1`` responses when ``abstain_as_vote=True``).

    Parameters
    ----------
    result : DawidSkeneResult
        From :func:`dcai_course.aggregation.dawid_skene`.
    L : array of int, shape (n, m)
        Votes of the same ``m`` sources (``-1`` = abstain).

    Returns
    -------
    numpy.ndarray of shape (n, K)
        Rows with no information (all abstains, abstains not modelled) get the prior.

    Examples
    --------
    >>> L_train = np.array([[1, -1], [1, 1], [-1, 0], [0, 0], [-1, -1]])
    >>> from dcai_course.aggregation import dawid_skene
    >>> model = dawid_skene(L_train, abstain_as_vote=True)
    >>> np.allclose(dawid_skene_posteriors(model, L_train), model.posteriors)
    True

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb.
    """
    if not isinstance(result, DawidSkeneResult):
        raise TypeError(f"result must be what dawid_skene returns, got {type(result).__name__}.")
    confusions = np.asarray(result.confusions)
    n_sources, k, n_responses = confusions.shape
    L = _check_label_matrix(L, k)
    if L.shape[1] != n_sources:
        raise ValueError(
            f"L has {L.shape[1]} columns but the model was fitted on {n_sources} sources."
        )
    if L.max() >= k:
        raise ValueError(f"L contains the class {L.max()}, but the model has {k} classes.")
    abstain_as_vote = n_responses == k + 1
    responses = np.where(L == ABSTAIN, k, L)
    log_conf = np.log(np.clip(confusions, 1e-10, None))
    if not abstain_as_vote:  # an abstain is missing: it contributes log 1 = 0
        log_conf = np.concatenate([log_conf, np.zeros((n_sources, k, 1))], axis=2)
    # log P(votes of row i | class c) = sum_j log_conf[j, c, responses[i, j]]
    per_vote = log_conf[np.arange(n_sources)[None, :], :, responses]  # (n, m, K)
    joint = per_vote.sum(axis=1) + np.log(np.clip(result.priors, 1e-10, None))
    joint -= joint.max(axis=1, keepdims=True)
    probs = np.exp(joint)
    return probs / probs.sum(axis=1, keepdims=True)


def soft_label_dataset(X: Any, probs: Any, *, min_weight: float = 0.0):
    """A weighted training set that teaches a classifier probabilistic labels.

    Each example is repeated once per class ``c``, with label ``c`` and sample weight
    ``probs[i, c]``. Minimising a classifier's weighted log-loss on this set is
    minimising its expected log-loss under the probabilistic labels (the "noise-aware"
    loss of Ratner et al., 2016), so any scikit-learn estimator that accepts
    ``sample_weight`` can learn from a label model's output.

    Parameters
    ----------
    X : list, numpy array, scipy sparse matrix, pandas Series or DataFrame
        The features (or raw texts), one row per example.
    probs : array of shape (n, K)
        Probabilistic labels; each row sums to 1.
    min_weight : float, default 0.0
        Drop the repeated rows whose weight is ``<= min_weight`` (rows of weight 0
        never matter; dropping near-zero ones makes training faster).

    Returns
    -------
    X_rep, y_rep, weights
        ``X`` repeated class-major (same type as ``X``), the class of each repeat, and
        its weight.

    Examples
    --------
    >>> X_rep, y_rep, w = soft_label_dataset(["a", "b"], [[0.9, 0.1], [0.0, 1.0]])
    >>> X_rep, y_rep.tolist(), w.tolist()
    (['a', 'a', 'b'], [0, 1, 1], [0.9, 0.1, 1.0])

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb.
    """
    from ._validation import check_pred_probs

    probs = check_pred_probs(probs, name="probs")
    n, k = probs.shape
    min_weight = check_float(min_weight, "min_weight", minimum=0.0, maximum=1.0)
    if min_weight == 1.0:
        raise ValueError("min_weight=1 would drop every row: pass a value below 1 (e.g. 0.01).")
    if not isinstance(X, pd.DataFrame):
        check_model_features(X, "X")
    n_rows = X.shape[0] if hasattr(X, "shape") else len(X)
    if n_rows != n:
        raise ValueError(f"X has {n_rows} rows but probs has {n}.")
    rows = np.repeat(np.arange(n), k)
    labels = np.tile(np.arange(k), n)
    weights = probs.ravel()
    keep = weights > min_weight
    rows, labels, weights = rows[keep], labels[keep], weights[keep]
    if isinstance(X, pd.DataFrame | pd.Series):
        X_rep = X.iloc[rows]
    elif sparse.issparse(X):
        X_rep = X[rows]
    elif isinstance(X, list | tuple):
        X_rep = [X[i] for i in rows]
    else:
        X_rep = np.asarray(X)[rows]
    return X_rep, labels.astype(np.int64), weights


def plot_lf_summary(summary: pd.DataFrame, ax=None, title: str | None = None):
    """Horizontal bars of each LF's coverage, overlaps and conflicts.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`lf_summary` (or Snorkel's ``lf_summary``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    columns = ("Coverage", "Overlaps", "Conflicts")
    check_table(summary, "summary", columns, hint=" Pass the output of lf_summary.")
    if summary.index.has_duplicates:
        raise ValueError("summary has repeated rows (LF names); give one row per LF.")
    for column in columns:
        check_fractions(summary[column], f"summary[{column!r}]")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.35 * len(summary) + 1.2))
    names = [str(i) for i in summary.index]
    y = np.arange(len(summary))
    height = 0.27
    for offset, column, color in [
        (-height, "Coverage", "tab:blue"),
        (0.0, "Overlaps", "tab:orange"),
        (height, "Conflicts", "tab:red"),
    ]:
        ax.barh(y + offset, summary[column], height=height, color=color, label=column.lower())
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("fraction of all examples")
    ax.legend(loc="lower right")
    ax.set_title(title or "Coverage, overlaps and conflicts of each labeling function")
    return ax


#: The regular-expression LFs of notebook 04: (name, pattern, class voted).
_LECTURE_PATTERNS = (
    ("regex_check_out", r"check.*out", 1),
    ("subscribe", r"su[bs]+cri|\bsubs?\b", 1),
    ("my_channel", r"\bmy\s+(channel|chanell|video|vids?|music|page|songs?|mixtape|covers?)", 1),
    ("link", r"https?:|www\.|\.com\b|\.ly\b|/watch\?", 1),
    ("please", r"\bplea?s|\bplz", 1),
    ("money", r"money|\$|\bfree\b|\bearn|\bpaid\b|gift ?card|\bwin\b", 1),
    ("song", r"\bsong", 0),
    ("views", r"\bviews?\b|billion", 0),
)


def _named(name: str, function: Callable) -> Callable:
    function.__name__ = function.__qualname__ = name
    return function


def _regex_lf(name: str, pattern: str, label: int) -> Callable:
    compiled = re.compile(pattern, flags=re.IGNORECASE)
    return _named(name, lambda x: label if compiled.search(x.text) else ABSTAIN)


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _sentiment(text: str) -> float:
    """VADER's compound score, from -1 (negative) to +1 (positive)."""
    return _vader().polarity_scores(text)["compound"]


def lecture_lfs() -> list[Callable]:
    """The twelve labeling functions that notebook 04 develops, in its order.

    Seven spam LFs and five ham LFs: the regular expressions ``regex_check_out``,
    ``subscribe``, ``my_channel``, ``link``, ``please``, ``money``, ``song`` and
    ``views``; the heuristics ``short_comment`` (fewer than 5 words, no link or
    request: ham) and ``long_comment`` (more than 40 words: spam); and two VADER
    sentiment LFs, ``negative_sentiment`` (compound <= -0.25: ham) and
    ``positive_short`` (compound >= 0.5 and at most 10 words: ham). Each takes a row
    ``x`` with a ``text`` field and returns 1 (spam), 0 (ham) or -1 (abstain).

    The notebook writes them one by one (the development loop) and checks that this
    list gives the same label matrix; the lab uses it to find the comments that none
    of them covers (:func:`uncovered_splits`).

    Examples
    --------
    >>> from dcai_course.datasets import youtube_spam_splits  # doctest: +SKIP
    >>> L = apply_lfs(lecture_lfs(), youtube_spam_splits().train)  # doctest: +SKIP
    >>> L.shape  # doctest: +SKIP
    (1586, 12)

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb.
    """
    link = re.compile(_LECTURE_PATTERNS[3][1], flags=re.IGNORECASE)
    request = re.compile(r"su[bs]+cri|channel", flags=re.IGNORECASE)

    def short_comment(x):
        plain = not (link.search(x.text) or request.search(x.text))
        return 0 if len(x.text.split()) < 5 and plain else ABSTAIN

    def long_comment(x):
        return 1 if len(x.text.split()) > 40 else ABSTAIN

    def negative_sentiment(x):
        return 0 if _sentiment(x.text) <= -0.25 else ABSTAIN

    def positive_short(x):
        return 0 if _sentiment(x.text) >= 0.5 and len(x.text.split()) <= 10 else ABSTAIN

    regex = [_regex_lf(*spec) for spec in _LECTURE_PATTERNS]
    return [*regex, short_comment, long_comment, negative_sentiment, positive_short]


class UncoveredSplits(NamedTuple):
    """The three parts of :func:`uncovered_splits` (unpack as ``dev, valid, heldout``)."""

    dev: pd.DataFrame
    valid: pd.DataFrame
    heldout: pd.DataFrame


def uncovered_splits(*, heldout_labels: bool = False) -> UncoveredSplits:
    """The YouTube comments on which none of notebook 04's twelve LFs votes, in three parts.

    All 1,956 comments of :func:`~dcai_course.datasets.youtube_spam_splits` (train,
    valid and test) on which every LF of :func:`lecture_lfs` abstains, split
    stratified by label (``random_state=0``) into a **dev** part (80 comments) to write
    new labeling rules on, a **valid** part (60) to check them, and a **heldout**
    part (the rest, 128) that lab 04's grader scores them on. About one comment in
    seven among them is spam.

    Parameters
    ----------
    heldout_labels : bool, default False
        Keep the gold labels of the held-out part (the grader does); otherwise its
        ``label`` column is ``-1``.

    Returns
    -------
    UncoveredSplits
        A named tuple ``(dev, valid, heldout)`` of DataFrames with the columns of
        :func:`~dcai_course.datasets.load_youtube_spam`.

    Examples
    --------
    >>> dev, valid, heldout = uncovered_splits()  # doctest: +SKIP
    >>> len(dev), len(valid), len(heldout)  # doctest: +SKIP
    (80, 60, 128)

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb (used in its lab, Q3).
    """
    from sklearn.model_selection import train_test_split

    from .datasets import youtube_spam_splits

    train, _, valid, test = youtube_spam_splits(train_labels=True)
    comments = pd.concat([train, valid, test])
    L = apply_lfs(lecture_lfs(), comments, progress=False)
    uncovered = comments[(L == ABSTAIN).all(axis=1)]
    rest, heldout = train_test_split(
        uncovered, test_size=len(uncovered) - 140, random_state=0, stratify=uncovered["label"]
    )
    dev, valid = train_test_split(rest, test_size=60, random_state=0, stratify=rest["label"])
    heldout_labels = check_bool(heldout_labels, "heldout_labels")
    if not heldout_labels:
        heldout = heldout.assign(label=np.int64(-1))
    return UncoveredSplits(dev.copy(), valid.copy(), heldout.copy())


def score_weak_labels(y_true: Any, y_pred: Any, *, positive: int = 1) -> dict[str, float]:
    """Coverage, accuracy on the covered examples, and the share of positives found.

    Parameters
    ----------
    y_true : array-like of int, shape (n,)
        Gold labels.
    y_pred : array-like of int, shape (n,)
        Weak labels in ``{-1, 0, 1}`` (-1: abstain).
    positive : int, default 1
        The class whose recall is reported as ``found`` (spam).

    Returns
    -------
    dict
        ``coverage``, the fraction of examples with a label; ``accuracy``, on those
        (0 if none); ``found``, the fraction of the ``positive`` examples labelled
        ``positive`` (0 if there is none).

    Examples
    --------
    >>> score_weak_labels([1, 0, 0, 1], [1, 0, -1, -1])
    {'coverage': 0.5, 'accuracy': 1.0, 'found': 0.5}

    Notes
    -----
    Taught in: notebooks/04_weak_supervision.ipynb (scores lab 04, Q3).
    """
    y_true = check_labels(y_true, 2, name="y_true")
    positive = check_int(positive, "positive", minimum=0, maximum=1)
    y_pred = np.asarray(y_pred)
    if y_pred.dtype.kind not in "iuf":
        raise TypeError(f"y_pred must hold -1, 0 or 1 per example, got dtype {y_pred.dtype}.")
    if y_pred.shape != y_true.shape or not np.isin(y_pred, (ABSTAIN, 0, 1)).all():
        raise ValueError(
            f"y_pred must hold one of -1, 0, 1 per example (y_true has shape "
            f"{y_true.shape}); got shape {y_pred.shape} with values "
            f"{sorted(set(np.unique(y_pred).tolist()))[:5]}."
        )
    covered = y_pred != ABSTAIN
    is_positive = y_true == positive
    return {
        "coverage": float(covered.mean()),
        "accuracy": float((y_pred == y_true)[covered].mean()) if covered.any() else 0.0,
        "found": float((y_pred[is_positive] == positive).mean()) if is_positive.any() else 0.0,
    }
