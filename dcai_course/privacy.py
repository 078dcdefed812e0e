"""Privacy and security of training data: membership inference, defences and poisoning.

What a trained model reveals about the examples it was trained on, and how planted
examples change what it learns:

* **Attack scores** (higher = "more likely a training member"): :func:`per_example_loss`
  and :func:`loss_attack_scores`, the loss-threshold attack of Yeom et al. (CSF 2018);
  :class:`ShadowAttack`, the shadow-model attack of Shokri et al. (S&P 2017).
* **Attack metrics**: :func:`roc_points`, :func:`roc_auc` and :func:`tpr_at_fpr` (the
  true-positive rate at a low false-positive rate, as Carlini et al., S&P 2022, ask
  attacks to be reported), checked against scikit-learn's ``roc_curve`` and
  ``roc_auc_score``; :func:`attack_metrics` returns both.
* **Experiments over seeds**: :func:`membership_experiment` (a target model, members and
  non-members, optional duplicated members and shadow models).
* **Differential privacy, briefly**: :func:`noisy_vote_counts`, the Laplace mechanism on
  the votes of teachers trained on disjoint partitions (subsample and aggregate, as in
  PATE, Papernot et al., ICLR 2017).
* **Poisoning**: :func:`flip_labels` (label flips aimed at one class), :func:`add_trigger`
  and :func:`plant_backdoor` (a trigger patch with a target label, Gu et al., 2017),
  :func:`attack_success_rate`; :func:`sanitize_flags`, sanitisers that reuse the course's
  confident learning (:mod:`dcai_course.label_errors`) and outlier scores
  (:mod:`dcai_course.quality`); :func:`poisoning_experiment` measures them over seeds.

Taught in: notebooks/13_privacy_and_security.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from . import label_errors, quality
from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_2d,
    check_choice,
    check_class_labels,
    check_estimator,
    check_float,
    check_int,
    check_labels,
    check_mask,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_seeds,
)

__all__ = [
    "SANITIZERS",
    "ShadowAttack",
    "add_trigger",
    "attack_metrics",
    "attack_success_rate",
    "flip_labels",
    "loss_attack_scores",
    "membership_experiment",
    "noisy_vote_counts",
    "per_example_loss",
    "plant_backdoor",
    "poisoning_experiment",
    "roc_auc",
    "roc_points",
    "sanitize_flags",
    "tpr_at_fpr",
]

#: Probabilities are clipped to at least this before the log (a model may give 0).
EPS = 1e-12

#: The sanitisers of :func:`sanitize_flags`.
SANITIZERS = ("confident_learning", "outliers", "class_outliers", "none")


def _finite_2d(X: Any, name: str = "X") -> np.ndarray:
    arr = check_2d(X, name=name)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains infinity; every feature must be a finite number.")
    return arr


def _class_labels(labels: Any, name: str) -> np.ndarray:
    return check_class_labels(labels, name=name)[0]


# --- attack scores ----------------------------------------------------------------------------


def _probs_and_labels(pred_probs: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    probs = check_pred_probs(pred_probs)
    y = check_labels(labels, probs.shape[1])
    check_same_length(pred_probs=probs, labels=y)
    return probs, y


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


# --- attack metrics ---------------------------------------------------------------------------


def _scores_and_truth(scores: Any, is_member: Any) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(scores)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"scores must be numbers (one per example), got dtype {arr.dtype}.")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(
            "scores contain NaN or infinity; clip probabilities before taking logs "
            "(per_example_loss does)."
        )
    truth = check_mask(
        is_member, "is_member", hint=" Pass e.g. np.r_[np.ones(n), np.zeros(m)] > 0."
    )
    check_same_length(scores=arr, is_member=truth)
    if truth.all() or not truth.any():
        raise ValueError(
            "is_member must contain both members (True) and non-members (False): an attack "
            "is measured by how well it tells them apart."
        )
    return arr, truth


def roc_points(scores: Any, is_member: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve of membership scores: one point per distinct threshold.

    Parameters
    ----------
    scores : array-like of float, shape (n,)
        Higher = more likely a member.
    is_member : array-like of bool, shape (n,)
        The truth; both values must occur.

    Returns
    -------
    (fpr, tpr, thresholds) : tuple of numpy.ndarray
        Starting at ``(0, 0)`` (threshold ``inf``); the point at threshold ``t`` calls
        every example with ``score >= t`` a member. The same points as
        ``sklearn.metrics.roc_curve(is_member, scores, drop_intermediate=False)``.

    Examples
    --------
    >>> fpr, tpr, _ = roc_points([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    s, truth = _scores_and_truth(scores, is_member)
    order = np.argsort(-s, kind="stable")
    s, truth = s[order], truth[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), s.size - 1]  # last row of each threshold
    tps = np.cumsum(truth)[last]
    fps = (last + 1) - tps
    return (
        np.r_[0.0, fps / (~truth).sum()],
        np.r_[0.0, tps / truth.sum()],
        np.r_[np.inf, s[last]],
    )


def roc_auc(scores: Any, is_member: Any) -> float:
    """Area under the ROC curve of membership scores (0.5 = guessing, 1 = perfect).

    The probability that a random member scores above a random non-member, ties
    counting a half (the trapezoids of :func:`roc_points`).

    Examples
    --------
    >>> roc_auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
    0.75

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    fpr, tpr, _ = roc_points(scores, is_member)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def tpr_at_fpr(scores: Any, is_member: Any, fpr: float = 0.01) -> float:
    """The attack's true-positive rate at a false-positive rate of at most ``fpr``.

    Carlini et al. (S&P 2022): an attack that identifies a few members with confidence
    matters more than one that is slightly better than guessing on everyone, and the AUC
    cannot tell them apart. This is the highest TPR among the ROC points
    (:func:`roc_points`) whose FPR is ``<= fpr``.

    Parameters
    ----------
    scores, is_member : see :func:`roc_points`
    fpr : float in [0, 1], default 0.01
        With ``m`` non-members, an FPR below ``1/m`` allows no false positive at all:
        measure on enough non-members for the rate you report.

    Examples
    --------
    >>> tpr_at_fpr([0.9, 0.8, 0.3, 0.1], [True, False, True, False], fpr=0.0)
    0.5

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    target = check_probability(fpr, "fpr")
    fprs, tprs, _ = roc_points(scores, is_member)
    return float(tprs[fprs <= target + 1e-12].max())


def attack_metrics(scores: Any, is_member: Any, fpr: float = 0.01) -> dict[str, float]:
    """``{"auc": ..., "tpr_at_fpr": ...}`` of membership scores (see :func:`tpr_at_fpr`).

    Examples
    --------
    >>> attack_metrics([0.9, 0.8, 0.3, 0.1], [True, False, True, False], fpr=0.0)
    {'auc': 0.75, 'tpr_at_fpr': 0.5}

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    return {"auc": roc_auc(scores, is_member), "tpr_at_fpr": tpr_at_fpr(scores, is_member, fpr)}


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


# --- membership inference over seeds ----------------------------------------------------------


def _fitted_seeded(model: Any, X: np.ndarray, y: np.ndarray, seed: int) -> Any:
    fitted = clone(model)
    if "random_state" in fitted.get_params():
        fitted.set_params(random_state=seed)
    return fitted.fit(X, y)


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


# --- differential privacy: noisy aggregation of teachers' votes --------------------------------


def noisy_vote_counts(
    votes: Any, n_classes: int, epsilon: float | None, seed: SeedLike = None
) -> np.ndarray:
    """Vote counts of an ensemble, with Laplace noise for ``epsilon``-differential privacy.

    ``votes[t, i]`` is the class that teacher ``t`` predicts for query ``i``. When each
    teacher was trained on its own disjoint partition of the data, adding or removing one
    training example changes at most one teacher's vote, so each query's count vector
    moves by at most 2 in L1 norm (one count down, one up). Adding Laplace noise of scale
    ``2 / epsilon`` to every count (the Laplace mechanism) makes **each query's answer**
    ``epsilon``-DP; the arg-max is post-processing and costs nothing more. Answering
    ``q`` queries costs up to ``q * epsilon`` in total (basic composition); PATE's
    tighter accounting does better, and is beyond this course.

    Parameters
    ----------
    votes : array-like of int, shape (n_teachers, n_queries)
    n_classes : int
    epsilon : float > 0 or None
        ``None`` returns the exact counts (no privacy).
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of shape (n_queries, n_classes)

    Examples
    --------
    >>> noisy_vote_counts([[0, 1], [0, 1], [1, 1]], 2, None).tolist()
    [[2.0, 1.0], [0.0, 3.0]]

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    v = np.asarray(votes)
    if v.ndim != 2 or v.size == 0:
        raise ValueError(
            f"votes must be a 2-D array (n_teachers, n_queries) of class indices, got shape "
            f"{v.shape}."
        )
    k = check_int(n_classes, "n_classes", minimum=2)
    flat = check_labels(v.ravel(), k, name="votes")
    counts = np.zeros((v.shape[1], k))
    np.add.at(counts, (np.tile(np.arange(v.shape[1]), v.shape[0]), flat), 1.0)
    if epsilon is None:
        return counts
    eps = check_float(epsilon, "epsilon", minimum=0.0, strict=True)
    return counts + as_rng(seed).laplace(scale=2.0 / eps, size=counts.shape)


# --- poisoning --------------------------------------------------------------------------------


def flip_labels(
    labels: Any, source: int, target: int, fraction: float, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Targeted label-flip poisoning: relabel a ``fraction`` of class ``source`` as ``target``.

    Returns
    -------
    (poisoned_labels, flipped) : numpy.ndarray, boolean numpy.ndarray

    Examples
    --------
    >>> y, flipped = flip_labels([0, 1, 1, 1, 1], source=1, target=0, fraction=0.5, seed=0)
    >>> int(flipped.sum()), sorted(set(y[flipped].tolist()))
    (2, [0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    y = _class_labels(labels, "labels")
    source = check_int(source, "source", minimum=0)
    target = check_int(target, "target", minimum=0)
    if source == target:
        raise ValueError("source and target must be different classes.")
    fraction = check_probability(fraction, "fraction")
    candidates = np.flatnonzero(y == source)
    if candidates.size == 0:
        raise ValueError(f"labels: no example has the source label {source}.")
    chosen = as_rng(seed).choice(candidates, round(fraction * candidates.size), replace=False)
    flipped = np.zeros(y.size, dtype=bool)
    flipped[chosen] = True
    poisoned = y.copy()
    poisoned[flipped] = target
    return poisoned, flipped


def add_trigger(
    X: Any,
    image_shape: tuple[int, int] = (8, 8),
    size: int = 2,
    value: float = 1.0,
    corner: str = "bottom-right",
) -> np.ndarray:
    """Stamp a square trigger patch of ``size`` × ``size`` pixels set to ``value``.

    Parameters
    ----------
    X : array-like of shape (n, h * w)
        Flattened images.
    image_shape : (h, w), default (8, 8)
        The digits' shape.
    size : int, default 2
    value : float in [0, 1], default 1.0
        The pixel value of the patch (1.0 is "ink"); scale the pixels to 0..1 first
        (``X / 16`` for the digits).
    corner : {"bottom-right", "bottom-left", "top-right", "top-left"}

    Returns
    -------
    numpy.ndarray
        A copy of ``X`` with the patch.

    Examples
    --------
    >>> add_trigger(np.zeros((1, 16)), image_shape=(4, 4), size=1)[0].tolist()[-1]
    1.0

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    pair = isinstance(image_shape, tuple | list) or (
        isinstance(image_shape, np.ndarray) and image_shape.ndim == 1
    )
    if not pair or len(image_shape) != 2:
        raise TypeError(f"image_shape must be a pair (height, width), got {image_shape!r}.")
    h, w = (check_int(s, "image_shape", minimum=1) for s in image_shape)
    if arr.shape[1] != h * w:
        raise ValueError(f"X has {arr.shape[1]} columns but image_shape {h}×{w} needs {h * w}.")
    size = check_int(size, "size", minimum=1, maximum=min(h, w))
    value = check_float(value, "value", minimum=0.0, maximum=1.0)
    corner = check_choice(
        corner, "corner", ("bottom-right", "bottom-left", "top-right", "top-left")
    )
    rows = slice(h - size, h) if corner.startswith("bottom") else slice(0, size)
    cols = slice(w - size, w) if corner.endswith("right") else slice(0, size)
    out = arr.copy().reshape(-1, h, w)
    out[:, rows, cols] = value
    return out.reshape(arr.shape)


def plant_backdoor(
    X: Any, y: Any, target: int, fraction: float, seed: SeedLike = None, **trigger: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backdoor poisoning (Gu et al., 2017): stamp a trigger on a ``fraction`` of the rows
    (chosen among those not labelled ``target``) and relabel them ``target``.

    ``trigger`` is passed to :func:`add_trigger`. Returns ``(X_poisoned, y_poisoned,
    poisoned)``, the last a boolean mask of the planted rows.

    Examples
    --------
    >>> Xp, yp, mask = plant_backdoor(np.zeros((10, 64)), np.arange(10), 0, 0.2, seed=0)
    >>> int(mask.sum()), yp[mask].tolist(), Xp[mask][:, -1].tolist()
    (2, [0, 0], [1.0, 1.0])

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    labels = _class_labels(y, "y")
    check_same_length(X=arr, y=labels)
    target = check_int(target, "target", minimum=0)
    fraction = check_probability(fraction, "fraction")
    candidates = np.flatnonzero(labels != target)
    n_poison = round(fraction * labels.size)
    if n_poison > candidates.size:
        raise ValueError(
            f"fraction={fraction} asks for {n_poison} rows; only {candidates.size} qualify."
        )
    chosen = as_rng(seed).choice(candidates, n_poison, replace=False)
    poisoned = np.zeros(labels.size, dtype=bool)
    poisoned[chosen] = True
    X_out, y_out = arr.copy(), labels.copy()
    X_out[poisoned] = add_trigger(arr[poisoned], **trigger) if n_poison else X_out[poisoned]
    y_out[poisoned] = target
    return X_out, y_out, poisoned


def attack_success_rate(predictions: Any, true_labels: Any, target: int) -> float:
    """Share of the examples whose true class is not ``target`` that are predicted ``target``.

    For a backdoor, pass the predictions on triggered test images; for a targeted label
    flip, the predictions on clean test images of the source class.

    Examples
    --------
    >>> attack_success_rate([0, 0, 1, 0], [1, 2, 1, 0], target=0)
    0.6666666666666666

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    pred = check_labels(predictions, name="predictions")
    true = check_labels(true_labels, name="true_labels")
    check_same_length(predictions=pred, true_labels=true)
    target = check_int(target, "target", minimum=0)
    other = true != target
    if not other.any():
        raise ValueError(f"every true label is the target {target}: no attack to measure.")
    return float((pred[other] == target).mean())


# --- sanitisers -------------------------------------------------------------------------------


def sanitize_flags(
    X: Any,
    y: Any,
    method: str = "confident_learning",
    *,
    model: Any = None,
    k: int = 10,
    seed: SeedLike = None,
) -> np.ndarray:
    """Flag training rows to remove, with the data-cleaning tools of earlier lessons.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of int, shape (n,)
    method : {"confident_learning", "outliers", "class_outliers", "none"}
        - ``"confident_learning"``: :func:`dcai_course.label_errors.find_label_issues` on
          out-of-sample probabilities of ``model`` (notebook 02);
        - ``"outliers"``: Tukey's fence on the k-NN outlier score of
          :func:`dcai_course.quality.outlier_scores` over all rows (notebook 06);
        - ``"class_outliers"``: the same, computed within each given label (an example
          unlike the others *of its label*);
        - ``"none"``: flag nothing.
    model : classifier with predict_proba, optional
        For confident learning; default logistic regression.
    k : int, default 10
        Neighbours of the outlier scores.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> bool(sanitize_flags(X / 16, y, "outliers").mean() < 0.1)
    True

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    arr = _finite_2d(X)
    labels = _class_labels(y, "y")
    check_same_length(X=arr, y=labels)
    method = check_choice(method, "method", SANITIZERS)
    k = check_int(k, "k", minimum=1)
    as_rng(seed)  # refuse a bad seed whatever the method
    if method == "none":
        return np.zeros(labels.size, dtype=bool)
    if method == "confident_learning":
        if model is None:
            from sklearn.linear_model import LogisticRegression

            model = LogisticRegression(max_iter=2000)
        probs = label_errors.out_of_sample_pred_probs(model, arr, labels, seed=seed)
        return label_errors.find_label_issues(labels, probs)
    if method == "outliers":
        return quality.flag_outliers(quality.outlier_scores(arr, "knn", k=k))
    flags = np.zeros(labels.size, dtype=bool)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if rows.size > k + 1:
            scores = quality.outlier_scores(arr[rows], "knn", k=k)
            flags[rows] = quality.flag_outliers(scores)
    return flags


def poisoning_experiment(
    model: Any,
    X: Any,
    y: Any,
    *,
    kind: str,
    target: int,
    fraction: float,
    source: int | None = None,
    methods: Any = SANITIZERS,
    seeds: Any = range(5),
    test_size: float = 0.4,
    k: int = 10,
) -> pd.DataFrame:
    """Poison a training split, sanitise it with each method, retrain, measure; per seed.

    ``kind="backdoor"`` plants a trigger (:func:`plant_backdoor`, the default 2×2 patch)
    on a ``fraction`` of the training rows; the attack success rate is measured on the
    triggered test images of the other classes. ``kind="flip"`` relabels a ``fraction``
    of class ``source`` as ``target`` (:func:`flip_labels`); the success rate is the share
    of clean test images of ``source`` predicted ``target``.

    Returns
    -------
    pandas.DataFrame
        One row per seed and method: ``attack_success``, ``clean_accuracy`` (on the clean
        test split), ``poison_removed`` (share of the poison flagged) and
        ``clean_removed`` (share of the clean rows flagged).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dcai_course.datasets import load_digits
    >>> X, y = load_digits()
    >>> runs = poisoning_experiment(LogisticRegression(max_iter=500), X / 16, y, kind="backdoor",
    ...                             target=0, fraction=0.03, methods=["none"], seeds=[0])
    >>> bool(runs.loc[0, "attack_success"] > 0.5)
    True

    Taught in: notebooks/13_privacy_and_security.ipynb.
    """
    from sklearn.model_selection import train_test_split

    check_estimator(model, "model")
    X = _finite_2d(X)
    y = _class_labels(y, "y")
    check_same_length(X=X, y=y)
    test_size = check_float(test_size, "test_size", minimum=0.0, maximum=1.0, strict=True)
    kind = check_choice(kind, "kind", ("backdoor", "flip"))
    if kind == "flip" and source is None:
        raise ValueError('kind="flip" needs the source class whose labels are flipped.')
    methods = [check_choice(m, "method", SANITIZERS) for m in methods]
    seeds = check_seeds(seeds)
    rows = []
    for seed in seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=test_size, random_state=seed, stratify=y
        )
        if kind == "backdoor":
            X_p, y_p, poison = plant_backdoor(X_tr, y_tr, target, fraction, seed=seed)
            X_eval, y_eval = add_trigger(X_te), y_te
        else:
            y_p, poison = flip_labels(y_tr, source, target, fraction, seed=seed)
            X_p = X_tr
            X_eval, y_eval = X_te[y_te == source], y_te[y_te == source]
        for method in methods:
            flags = sanitize_flags(X_p, y_p, method, k=k, seed=seed)
            fitted = _fitted_seeded(model, X_p[~flags], y_p[~flags], seed)
            rows.append(
                {
                    "seed": seed,
                    "method": method,
                    "attack_success": attack_success_rate(fitted.predict(X_eval), y_eval, target),
                    "clean_accuracy": float(fitted.score(X_te, y_te)),
                    "poison_removed": float(flags[poison].mean()) if poison.any() else 0.0,
                    "clean_removed": float(flags[~poison].mean()),
                }
            )
    return pd.DataFrame(rows)
