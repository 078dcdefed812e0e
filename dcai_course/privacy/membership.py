"""Membership inference: the loss attack, the shadow-model attack
(:class:`ShadowAttack`) and :func:`membership_experiment`.

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .. import quality
from .._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_estimator,
    check_int,
    check_probability,
    check_same_length,
    check_seeds,
)
from ._common import EPS, _class_labels, _finite_2d, _fitted_seeded, _probs_and_labels
from .metrics import roc_auc, tpr_at_fpr


def per_example_loss(pred_probs: Any, labels: Any) -> np.ndarray:
    """The cross-entropy loss of each example, ``-log p(label)``.

    Parameters
    ----------
    pred_probs : array-like of shape (n, K)
        A model's predicted probabilities (rows sum to 1).
    labels : array-like of int, shape (n,)
        The labels ``0..K-1``.

    Returns
    -------
    numpy.ndarray of shape (n,)
        ``-log(max(p, 1e-12))``: a probability of 0 (a random forest gives them) costs
        about 27.6 rather than infinity.

    Examples
    --------
    >>> per_example_loss([[0.5, 0.5], [0.9, 0.1]], [0, 0]).round(3).tolist()
    [0.693, 0.105]

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    probs, y = _probs_and_labels(pred_probs, labels)
    return -np.log(np.clip(probs[np.arange(y.size), y], EPS, 1.0))


def loss_attack_scores(pred_probs: Any, labels: Any) -> np.ndarray:
    """Membership scores of the loss-threshold attack (Yeom et al., CSF 2018).

    An example the model was trained on tends to have a lower loss than one it never saw,
    so the score is the negative loss: **higher = more likely a member**. Thresholding it
    at ``-t`` is Yeom's attack with threshold ``t`` (they take the mean training loss);
    :func:`roc_auc` and :func:`tpr_at_fpr` evaluate every threshold at once.

    Parameters
    ----------
    pred_probs : array-like of shape (n, K)
    labels : array-like of int, shape (n,)

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> loss_attack_scores([[1.0, 0.0], [0.6, 0.4]], [0, 0]).round(3).tolist()
    [0.0, -0.511]

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    return -per_example_loss(pred_probs, labels)


# --- the shadow-model attack ------------------------------------------------------------------


def _full_probs(model: Any, X: np.ndarray, n_classes: int) -> np.ndarray:
    """``predict_proba`` with one column per class 0..K-1 (a class unseen in training gets 0)."""
    out = np.zeros((len(X), n_classes))
    out[:, np.asarray(model.classes_, dtype=int)] = model.predict_proba(X)
    return out


def _attack_features(probs: np.ndarray) -> np.ndarray:
    return np.log(np.clip(probs, EPS, 1.0))


class ShadowAttack:
    """The shadow-model membership attack of Shokri et al. (S&P 2017).

    The attacker has data from the same distribution as the target's training data (the
    *shadow data*) and knows how the target was trained. It trains ``n_shadows`` copies
    of the model, each on a random half-sized sample of the shadow data, so that for
    every shadow it knows who was in and who was out; then, for each class, an *attack
    model* learns to tell "in" from "out" from the shadow's log-probabilities. Applied
    to the target's probabilities, the attack models give membership scores.

    Parameters
    ----------
    model : scikit-learn classifier
        The target's recipe (cloned for each shadow).
    n_shadows : int, default 4
    n_in : int, optional
        Training-set size of each shadow (the target's, ideally); default half the data.
    attack_model : scikit-learn classifier, optional
        Default: logistic regression.
    seed : int or numpy.random.Generator, optional

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> attack = ShadowAttack(RandomForestClassifier(20), n_shadows=2, seed=0).fit(X[:600], y[:600])
    >>> attack.score(attack.shadow_probs_[0][:3], y[:3]).shape
    (3,)

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """

    def __init__(
        self,
        model: Any,
        n_shadows: int = 4,
        n_in: int | None = None,
        attack_model: Any = None,
        seed: SeedLike = None,
    ) -> None:
        self.model = check_estimator(model, "model", proba=True)
        self.n_shadows = check_int(n_shadows, "n_shadows", minimum=1)
        self.n_in = None if n_in is None else check_int(n_in, "n_in", minimum=2)
        if attack_model is None:
            from sklearn.linear_model import LogisticRegression

            attack_model = LogisticRegression(max_iter=1000)
        self.attack_model = check_estimator(attack_model, "attack_model", proba=True)
        as_rng(seed)  # refuse a bad seed now, not at fit time
        self.seed = seed

    def fit(self, X_shadow: Any, y_shadow: Any) -> ShadowAttack:
        """Train the shadows and the per-class attack models on the shadow data."""
        X = _finite_2d(X_shadow, name="X_shadow")
        y = _class_labels(y_shadow, "y_shadow")
        check_same_length(X_shadow=X, y_shadow=y)
        n = y.size
        n_in = n // 2 if self.n_in is None else self.n_in
        if not 2 <= n_in < n:
            raise ValueError(f"n_in must be between 2 and {n - 1} (the shadow data hold {n} rows).")
        self.n_classes_ = int(y.max()) + 1
        rng = as_rng(self.seed)
        feats, inside, labels, self.shadow_probs_ = [], [], [], []
        for _ in range(self.n_shadows):
            is_in = np.zeros(n, dtype=bool)
            is_in[rng.choice(n, n_in, replace=False)] = True
            shadow = clone(self.model)
            if "random_state" in shadow.get_params():
                shadow.set_params(random_state=as_random_state(rng))
            shadow.fit(X[is_in], y[is_in])
            probs = _full_probs(shadow, X, self.n_classes_)
            self.shadow_probs_.append(probs)
            feats.append(_attack_features(probs))
            inside.append(is_in)
            labels.append(y)
        F, inside, labels = np.vstack(feats), np.concatenate(inside), np.concatenate(labels)
        self.attack_models_ = {}
        for c in range(self.n_classes_):
            rows = labels == c
            if np.unique(inside[rows]).size == 2:
                self.attack_models_[c] = clone(self.attack_model).fit(F[rows], inside[rows])
        return self

    def score(self, pred_probs: Any, labels: Any) -> np.ndarray:
        """Membership scores (the attack model's probability of "in") for the target's
        predicted probabilities ``pred_probs`` of examples with these ``labels``."""
        if not hasattr(self, "attack_models_"):
            raise RuntimeError("ShadowAttack is not fitted: call .fit(X_shadow, y_shadow) first.")
        probs, y = _probs_and_labels(pred_probs, labels)
        if probs.shape[1] != self.n_classes_:
            raise ValueError(
                f"pred_probs has {probs.shape[1]} columns but the shadows were trained on "
                f"{self.n_classes_} classes."
            )
        out = np.full(y.size, 0.5)
        F = _attack_features(probs)
        for c, attack in self.attack_models_.items():
            rows = y == c
            if rows.any():
                out[rows] = attack.predict_proba(F[rows])[:, 1]
        return out


def membership_experiment(
    model: Any,
    X: Any,
    y: Any,
    *,
    n_train: int,
    seeds: Any = range(5),
    fpr: float = 0.01,
    n_dup: int = 0,
    n_copies: int = 4,
    deduplicate: bool = False,
    shadow: bool = False,
    n_shadows: int = 4,
) -> pd.DataFrame:
    """Membership inference against ``model`` trained on ``n_train`` examples, per seed.

    For each seed the rows are shuffled: the first ``n_train`` are the **members** (the
    target's training set), the next ``n_train`` the **non-members** (also the test set
    of its accuracy), and the rest are the attacker's shadow data. Optionally the first
    ``n_dup`` members appear ``n_copies`` times in the training set (duplicates), and
    ``deduplicate=True`` removes those copies again with
    :func:`dcai_course.quality.find_duplicates` before training.

    Returns
    -------
    pandas.DataFrame
        One row per seed: ``train_accuracy``, ``test_accuracy``, ``auc`` and ``tpr`` (at
        ``fpr``) of the loss attack; with ``n_dup``, ``auc_dup``/``tpr_dup`` (duplicated
        members against all non-members) and ``auc_single``/``tpr_single``; with
        ``shadow``, ``shadow_auc`` and ``shadow_tpr``.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> runs = membership_experiment(DecisionTreeClassifier(), X, y, n_train=300, seeds=[0])
    >>> list(runs.columns)[:4]
    ['seed', 'n_train', 'train_accuracy', 'test_accuracy']

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    check_estimator(model, "model", proba=True)
    X = _finite_2d(X)
    y = _class_labels(y, "y")
    check_same_length(X=X, y=y)
    n_train = check_int(n_train, "n_train", minimum=2)
    n_dup = check_int(n_dup, "n_dup", minimum=0)
    n_copies = check_int(n_copies, "n_copies", minimum=2)
    seeds = check_seeds(seeds)
    check_probability(fpr, "fpr")
    if 2 * n_train > y.size:
        raise ValueError(
            f"n_train={n_train} members and as many non-members need {2 * n_train} rows; "
            f"X has {y.size}. Lower n_train."
        )
    if n_dup >= n_train:
        raise ValueError(f"n_dup ({n_dup}) must be smaller than n_train ({n_train}).")
    if shadow and y.size - 2 * n_train < 4:
        raise ValueError("shadow=True needs rows left over for the attacker's shadow data.")
    n_classes = int(y.max()) + 1
    rows = []
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(y.size)
        members, outs, pool = np.split(order, [n_train, 2 * n_train])
        train = np.r_[members, np.repeat(members[:n_dup], n_copies - 1)]
        if deduplicate and n_dup:
            groups = quality.find_duplicates(X[train])
            train = train[quality.deduplicate(groups, train.size)]
        target = _fitted_seeded(model, X[train], y[train], seed)
        evaluated = np.r_[members, outs]
        is_member = np.r_[np.ones(n_train, bool), np.zeros(n_train, bool)]
        probs = _full_probs(target, X[evaluated], n_classes)
        scores = loss_attack_scores(probs, y[evaluated])
        row = {
            "seed": seed,
            "n_train": n_train,
            "train_accuracy": float(target.score(X[members], y[members])),
            "test_accuracy": float(target.score(X[outs], y[outs])),
            "auc": roc_auc(scores, is_member),
            "tpr": tpr_at_fpr(scores, is_member, fpr),
        }
        if n_dup:
            dup = np.r_[np.arange(n_train) < n_dup, np.zeros(n_train, bool)]
            for name, part in (("dup", dup), ("single", is_member & ~dup)):
                keep = part | ~is_member
                row[f"auc_{name}"] = roc_auc(scores[keep], part[keep])
                row[f"tpr_{name}"] = tpr_at_fpr(scores[keep], part[keep], fpr)
        if shadow:
            n_in = min(n_train, pool.size // 2)
            attack = ShadowAttack(model, n_shadows, n_in=n_in, seed=seed)
            shadow_scores = attack.fit(X[pool], y[pool]).score(probs, y[evaluated])
            row["shadow_auc"] = roc_auc(shadow_scores, is_member)
            row["shadow_tpr"] = tpr_at_fpr(shadow_scores, is_member, fpr)
        rows.append(row)
    return pd.DataFrame(rows)
