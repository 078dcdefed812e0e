"""Noisy annotators: a noisy oracle, and relabelling with ActiveLab.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_class_labels,
    check_estimator,
    check_eval_data,
    check_features,
    check_labels,
    check_labels_within,
    check_no_duplicates,
    check_same_length,
    check_table,
)
from ..noise import simulate_annotators
from .loop import (
    _check_budget,
    _check_count,
    _probs_full,
    _Refitter,
    _single_threaded,
)
from .scores import _UNCERTAINTY, _check_batch_size, _top, random_sampling, uncertainty_sampling

#: The strategies of :func:`run_relabeling`.
RELABELING_STRATEGIES = (
    "random",
    "least_confidence",
    "margin",
    "entropy",
    "least_confidence_relabel",
    "activelab",
)


def annotator_oracle(
    true_labels: Any,
    accuracies: Sequence[float],
    seed: SeedLike = None,
    *,
    n_classes: int | None = None,
) -> np.ndarray:
    """A noisy oracle: each item's label comes from one randomly assigned annotator.

    A thin wrapper of :func:`dcai_course.noise.simulate_annotators` with one label per
    item: annotator ``w`` is right with probability ``accuracies[w]`` and otherwise picks
    another class uniformly. Pass the result as ``y_oracle`` to
    :func:`run_active_learning`.

    Returns
    -------
    numpy.ndarray of int64, shape (n_items,)

    Examples
    --------
    >>> y = np.arange(1000) % 4
    >>> noisy = annotator_oracle(y, [0.9, 0.7], seed=0)
    >>> round(float((noisy == y).mean()), 2)
    0.79

    Taught in: notebooks/11_active_learning.ipynb.
    """
    y, k = check_class_labels(true_labels, n_classes, name="true_labels")
    answers = simulate_annotators(y, accuracies, 1, seed, n_classes=k)
    labels = np.empty(y.size, dtype=np.int64)
    labels[answers["item"].to_numpy()] = answers["label"].to_numpy()
    return labels


def _consensus(
    counts: np.ndarray, probs: np.ndarray | None, rng: np.random.Generator
) -> np.ndarray:
    """Majority vote per row of a vote-count matrix.

    Ties go to the tied class the model finds most probable (as cleanlab's
    ``get_majority_vote_label`` does), then at random.
    """
    tie_break = rng.random(counts.shape) * 1e-6
    if probs is not None:
        tie_break += 0.5 * probs
    return np.argmax(counts + tie_break, axis=1).astype(np.int64)


def _out_of_sample_probs(
    model: Any,
    X_lab: np.ndarray,
    consensus: np.ndarray,
    n_classes: int,
    cv: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Cross-validated probabilities of the labelled items (``cv`` fits)."""
    from sklearn.model_selection import KFold

    probs = np.zeros((X_lab.shape[0], n_classes))
    folds = KFold(n_splits=cv, shuffle=True, random_state=as_random_state(rng))
    for train, test in folds.split(X_lab):
        if np.unique(consensus[train]).size < 2:
            probs[test] = 1.0 / n_classes
            continue
        fold_model = _Refitter(model).fit(X_lab[train], consensus[train])
        probs[test] = _probs_full(fold_model, X_lab[test], n_classes)
    return probs


def _activelab_scores(
    model: Any,
    wide: np.ndarray,
    X_lab: np.ndarray,
    consensus: np.ndarray,
    probs_unl: np.ndarray,
    n_classes: int,
    cv: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """cleanlab's ActiveLab scores (lower = label next) for labelled and unlabelled items."""
    from cleanlab.multiannotator import get_active_learning_scores

    probs_lab = _out_of_sample_probs(model, X_lab, consensus, n_classes, cv, rng)
    used = ~np.isnan(wide).all(axis=0)  # cleanlab rejects annotators with no label yet
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return get_active_learning_scores(wide[:, used], probs_lab, probs_unl)


def run_relabeling(
    model: Any,
    X_pool: Any,
    answers: pd.DataFrame,
    X_test: Any,
    y_test: Any,
    strategy: str,
    initial_size: int,
    batch_size: int,
    n_rounds: int,
    seed: SeedLike = None,
    progress: bool = True,
    *,
    true_labels: Any = None,
    cv: int = 3,
) -> pd.DataFrame:
    """Active learning with several imperfect annotators, where relabelling is allowed.

    Each pool item has a queue of answers from different annotators (for example from
    :func:`dcai_course.noise.simulate_annotators` with several labels per item), revealed
    one at a time, in a random order, when the item is queried. Every query buys exactly
    one label, so the x-axis is the number of labels (annotations) bought. The model is
    trained on the majority vote of each labelled item's answers; a tie goes to the tied
    class the previous round's model finds most probable (as in cleanlab's
    ``get_majority_vote_label``).

    Strategies:

    * ``"random"``: label new items, chosen uniformly;
    * ``"least_confidence"``, ``"margin"``, ``"entropy"``: label the new items the model is
      least sure of (these never relabel);
    * ``"least_confidence_relabel"``: least confidence over *all* items, labelled ones
      scored with out-of-sample probabilities (``cv`` folds): the most uncertain items get
      a label next, new or not. This is ActiveLab without the annotators' information,
      the "uncertainty" baseline of Goh & Mueller (2023);
    * ``"activelab"``: cleanlab's ActiveLab (Goh & Mueller, 2023) scores labelled and
      unlabelled items on one scale, from out-of-sample probabilities (``cv`` folds over
      the labelled items) and the agreement between annotators; the lowest scores get a
      label next, whether that is a first label or one more for an item whose label is
      in doubt. Items whose every annotator has answered are not queried again.

    Parameters
    ----------
    answers : pandas.DataFrame
        Long format ``item``, ``worker``, ``label``; items are positions in ``X_pool`` and
        every item must have at least one answer.
    true_labels : array-like of int, optional
        The true labels of the pool, used only to report how many consensus labels are
        right (``consensus_accuracy``).
    cv : int, default 3
        Folds for ActiveLab's out-of-sample probabilities.
    Other parameters
        As in :func:`run_active_learning`.

    Returns
    -------
    pandas.DataFrame
        One row per round: ``round``, ``n_labeled`` (labels bought), ``n_items`` (items
        with at least one label), ``n_relabels`` (queries of already labelled items so
        far), ``accuracy``, ``strategy``, ``seed`` and, with ``true_labels``,
        ``consensus_accuracy``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> from dcai_course.noise import simulate_annotators
    >>> X, y = load_digits()
    >>> crowd = simulate_annotators(y[:600], [0.8, 0.6, 0.5], labels_per_item=3, seed=0)
    >>> curve = run_relabeling(LogisticRegression(max_iter=200), X[:600] / 16, crowd,
    ...     X[600:] / 16, y[600:], "activelab", initial_size=60, batch_size=30, n_rounds=2,
    ...     seed=0, progress=False)
    >>> curve["n_labeled"].tolist()
    [60, 90, 120]

    Taught in: notebooks/11_active_learning.ipynb.
    """
    from tqdm.auto import tqdm

    check_estimator(model)
    pool = check_features(X_pool, "X_pool", allow_sparse=False)
    n_pool = pool.shape[0]
    hint = " (e.g. from dcai_course.noise.simulate_annotators)"
    check_table(answers, "answers", ("item", "worker", "label"), hint=hint)
    check_no_duplicates(answers, "answers", ("item", "worker"))
    items = check_labels(answers["item"], name="answers.item")
    workers = check_labels(answers["worker"], name="answers.worker")
    labels = check_labels(answers["label"], name="answers.label")
    if items.max() >= n_pool or np.unique(items).size != n_pool:
        raise ValueError(
            f"answers must cover every pool item 0..{n_pool - 1} (one per row of X_pool, and "
            "no other): each item needs at least one answer to reveal."
        )
    X_te, y_te = check_eval_data(
        X_test, y_test, labels, X_name="X_test", y_name="y_test", train_name="answers.label"
    )
    if strategy not in RELABELING_STRATEGIES:
        raise ValueError(
            f"Unknown strategy {strategy!r}; choose one of {list(RELABELING_STRATEGIES)}."
        )
    truth = None if true_labels is None else check_labels(true_labels, name="true_labels")
    if truth is not None:
        check_same_length(X_pool=pool, true_labels=truth)
        check_labels_within(labels, "answers.label", true_labels=truth)
    cv = _check_count(cv, "cv", 2)
    initial_size, batch_size, n_rounds = _check_budget(n_pool, initial_size, batch_size, n_rounds)
    n_classes = int(max(labels.max(), y_te.max())) + 1
    n_workers = int(workers.max()) + 1
    seed_label = seed if isinstance(seed, Integral) else None
    rng = as_rng(seed)

    # Each item's answers in a random order: the queue the oracle reveals from.
    shuffled = rng.permutation(items.size)
    by_item = shuffled[np.argsort(items[shuffled], kind="stable")]
    queue_start = np.searchsorted(items[by_item], np.arange(n_pool))
    queue_size = np.bincount(items, minlength=n_pool)
    n_got = np.zeros(n_pool, dtype=np.int64)
    wide = np.full((n_pool, n_workers), np.nan)
    votes = np.zeros((n_pool, n_classes))

    def reveal(chosen: np.ndarray) -> None:
        rows = by_item[queue_start[chosen] + n_got[chosen]]
        wide[chosen, workers[rows]] = labels[rows]
        votes[chosen, labels[rows]] += 1
        n_got[chosen] += 1

    reveal(rng.choice(n_pool, size=initial_size, replace=False))
    n_bought, n_relabels = initial_size, 0
    learner = _Refitter(model)
    fitted = None
    rows = []
    with _single_threaded():
        for rnd in tqdm(range(n_rounds + 1), disable=not progress, desc=strategy, leave=False):
            labeled = n_got > 0
            probs = None if fitted is None else _probs_full(fitted, pool[labeled], n_classes)
            consensus = _consensus(votes[labeled], probs, rng)
            fitted = learner.fit(pool[labeled], consensus)
            row = {
                "round": rnd,
                "n_labeled": n_bought,
                "n_items": int(labeled.sum()),
                "n_relabels": n_relabels,
                "accuracy": float(np.mean(fitted.predict(X_te) == y_te)),
                "strategy": strategy,
                "seed": seed_label,
            }
            if truth is not None:
                row["consensus_accuracy"] = float(np.mean(consensus == truth[labeled]))
            rows.append(row)
            if rnd == n_rounds:
                break
            unlabeled = np.flatnonzero(~labeled)
            if strategy == "random":
                chosen = unlabeled[random_sampling(unlabeled.size, batch_size, rng)]
            elif strategy in _UNCERTAINTY:
                probs = _probs_full(fitted, pool[unlabeled], n_classes)
                chosen = unlabeled[uncertainty_sampling(probs, batch_size, strategy)]
            else:
                lab_idx = np.flatnonzero(labeled)
                probs_unl = _probs_full(fitted, pool[unlabeled], n_classes)
                if strategy == "activelab":
                    s_lab, s_unl = _activelab_scores(
                        model,
                        wide[lab_idx],
                        pool[lab_idx],
                        consensus,
                        probs_unl,
                        n_classes,
                        cv,
                        rng,
                    )
                else:  # least confidence on one scale for labelled and new items
                    probs_lab = _out_of_sample_probs(
                        model, pool[lab_idx], consensus, n_classes, cv, rng
                    )
                    s_lab, s_unl = probs_lab.max(axis=1), probs_unl.max(axis=1)
                s_lab = np.where(n_got[lab_idx] < queue_size[lab_idx], s_lab, np.inf)
                candidates = np.concatenate([lab_idx, unlabeled])
                scores = np.concatenate([s_lab, s_unl])
                _check_batch_size(batch_size, int(np.isfinite(scores).sum()), "the items left")
                chosen = candidates[_top(-scores, batch_size)]
                n_relabels += int(labeled[chosen].sum())
            reveal(chosen)
            n_bought += batch_size
    return pd.DataFrame(rows)
