"""Model-based data curation: a model's view of the data decides what to keep, add and pay for.

Three tools, each measured in notebook 14:

* **compression by a quality score**: rank the training examples by a model-derived
  score (cleanlab-style label quality, or a small "judge" trained on a few hundred
  verified examples), keep the top fraction, and find the smallest fraction that trains
  a model as good as the full noisy set (:func:`select_top_fraction`,
  :func:`subset_accuracy_curve`, :func:`compression_ratio`, :func:`judge_features`,
  :func:`train_judge`);
* **model-guided augmentation**: generate candidate examples (rotated and shifted
  images here), and keep a group of candidates only if adding it improves a model on a
  held-out validation set (:func:`transform_images`, :func:`accept_by_validation`);
* **the data flywheel**: a labeling budget spent round by round on more labels or on
  cleaner labels, a learning-curve forecast and a measured pilot deciding which buys
  more (:func:`forecast_more_data`, :func:`run_flywheel`).

Taught in: notebooks/14_model_based_curation.ipynb.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._validation import (
    SeedLike,
    as_random_state,
    as_rng,
    check_count,
    check_eval_data,
    check_features,
    check_finite_array,
    check_fit_data,
    check_float,
    check_fractions,
    check_int,
    check_int_sequence,
    check_labels,
    check_labels_within,
    check_mask,
    check_pred_probs,
    check_probability,
    check_same_length,
    check_sequence,
    check_training_labels,
)

__all__ = [
    "FLYWHEEL_STRATEGIES",
    "Forecast",
    "NoisySplit",
    "accept_by_validation",
    "compression_ratio",
    "flywheel_ablation",
    "forecast_more_data",
    "judge_features",
    "noisy_split",
    "run_flywheel",
    "select_top_fraction",
    "smallest_matching_fraction",
    "subset_accuracy_curve",
    "train_judge",
    "transform_images",
]


# --- compression by a quality score -----------------------------------------------------


def _check_fraction(fraction: Any, name: str = "fraction") -> float:
    fraction = check_float(fraction, name, percent_hint=True)
    if not 0 < fraction <= 1:
        hint = f" It looks like a percentage: {fraction / 100:g}?" if 1 < fraction <= 100 else ""
        raise ValueError(
            f"{name} must be in (0, 1], got {fraction:g}; 1 keeps every example.{hint}"
        )
    return fraction


def _check_scores(scores: Any, name: str = "scores") -> np.ndarray:
    return check_finite_array(scores, name, ndim=1)


def select_top_fraction(scores: Any, fraction: float) -> np.ndarray:
    """Indices of the ``round(fraction * n)`` examples with the highest scores (at least 1).

    Ties keep the earlier example (a stable sort), so the selection is deterministic.

    Examples
    --------
    >>> select_top_fraction([0.2, 0.9, 0.5, 0.9], 0.5)
    array([1, 3])
    """
    values = _check_scores(scores)
    fraction = _check_fraction(fraction)
    k = max(1, round(fraction * values.size))
    return np.sort(np.argsort(-values, kind="stable")[:k])


def subset_accuracy_curve(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    scores: Mapping[str, Any],
    fractions: Sequence[float],
    *,
    random_seeds: Sequence[int] = (0, 1, 2),
    is_flipped: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Test accuracy of ``model`` trained on the top fraction of the data, per selector.

    For each named score (higher = keep first) and each fraction, the model is trained
    on the selected examples with their given labels and scored on the test set. A
    ``"random"`` selector (one run per seed of ``random_seeds``) is added as the
    baseline.

    Returns
    -------
    pandas.DataFrame
        ``selector``, ``fraction``, ``seed`` (-1 for the score selectors), ``n_kept``,
        ``accuracy`` and, with ``is_flipped``, ``noise_kept`` (the fraction of kept
        examples whose label is wrong).
    """
    from tqdm.auto import tqdm

    X_train, y = check_fit_data(model, X_train, y_train, X_name="X_train", y_name="y_train")
    n = y.size
    X_test, y_test = check_eval_data(
        X_test, y_test, y, X_name="X_test", y_name="y_test", train_name="y_train"
    )
    flipped = None
    if is_flipped is not None:
        flipped = check_mask(is_flipped, "is_flipped")
        check_same_length(y_train=y, is_flipped=flipped)
    fractions = [_check_fraction(f, "fractions") for f in check_sequence(fractions, "fractions")]
    random_seeds = check_int_sequence(random_seeds, "random_seeds", minimum=0, allow_empty=True)
    if not isinstance(scores, Mapping) or not scores:
        raise TypeError(
            "scores must be a non-empty dict {selector name: one score per example}, got "
            f"{type(scores).__name__}."
        )
    selectors = {name: _check_scores(s, f"scores[{name!r}]") for name, s in scores.items()}
    for name, s in selectors.items():
        if s.size != n:
            raise ValueError(f"scores[{name!r}] has {s.size} entries for {n} training examples.")
    runs = [(name, -1, s) for name, s in selectors.items()]
    runs += [("random", seed, as_rng(seed).random(n)) for seed in random_seeds]
    rows = []
    X_train = np.asarray(X_train)
    for name, seed, s in tqdm(runs, disable=not progress, desc="selectors"):
        for fraction in fractions:
            keep = select_top_fraction(s, fraction)
            fitted = clone(model).fit(X_train[keep], y[keep])
            row = {
                "selector": name,
                "fraction": fraction,
                "seed": seed,
                "n_kept": keep.size,
                "accuracy": float(fitted.score(X_test, y_test)),
            }
            if flipped is not None:
                row["noise_kept"] = float(flipped[keep].mean())
            rows.append(row)
    return pd.DataFrame(rows)


def smallest_matching_fraction(fractions: Any, accuracies: Any, target: float) -> float:
    """The smallest fraction whose accuracy is at least ``target`` (``nan`` if none is).

    Examples
    --------
    >>> smallest_matching_fraction([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)
    0.5
    """
    fracs = check_fractions(fractions, "fractions")
    accs = check_fractions(accuracies, "accuracies")
    check_same_length(fractions=fracs, accuracies=accs)
    target = check_probability(target, "target")
    if (fracs <= 0).any():
        raise ValueError("fractions must lie in (0, 1]: a subset of 0 examples has no accuracy.")
    matching = fracs[accs >= target]
    return float(matching.min()) if matching.size else float("nan")


def compression_ratio(fractions: Any, accuracies: Any, target: float) -> float:
    """How many times smaller the smallest subset that still reaches ``target`` accuracy is.

    ``1 / smallest_matching_fraction(...)``: 2.0 means half the data does as well as the
    target (usually the accuracy of the full data set); ``nan`` when no fraction does.

    Examples
    --------
    >>> compression_ratio([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)
    2.0
    """
    return 1.0 / smallest_matching_fraction(fractions, accuracies, target)


# --- a judge of label quality ------------------------------------------------------------


def judge_features(
    labels: Any, pred_probs: Any, X: Any = None, n_neighbors: int = 10
) -> pd.DataFrame:
    """Per-example signals a judge of label quality can learn from.

    From out-of-sample predicted probabilities: the probability of the given label, the
    top probability, the margin between the top two, the entropy, and whether the
    prediction agrees with the label; with ``X``, also the fraction of the example's
    ``n_neighbors`` nearest neighbours (standardised features) that share its label.
    """
    probs = check_pred_probs(pred_probs)
    y = check_labels(labels, probs.shape[1])
    n = check_same_length(labels=y, pred_probs=probs)
    n_neighbors = check_int(n_neighbors, "n_neighbors", minimum=1)
    top_two = np.sort(probs, axis=1)[:, -2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.where(probs > 0, probs * np.log(probs), 0.0).sum(axis=1)
    features = pd.DataFrame(
        {
            "given_label_prob": probs[np.arange(n), y],
            "max_prob": top_two[:, 1],
            "margin": top_two[:, 1] - top_two[:, 0],
            "entropy": entropy,
            "prediction_agrees": (probs.argmax(axis=1) == y).astype(float),
        }
    )
    if X is not None:
        from sklearn.neighbors import NearestNeighbors
        from sklearn.preprocessing import StandardScaler

        X = check_features(X, "X", n_rows=n, allow_sparse=False)
        Z = StandardScaler().fit_transform(X)
        k = min(n_neighbors + 1, n)
        _, neighbours = NearestNeighbors(n_neighbors=k).fit(Z).kneighbors(Z)
        features["neighbour_agreement"] = (y[neighbours[:, 1:]] == y[:, None]).mean(axis=1)
    return features


def train_judge(features: pd.DataFrame, label_is_correct: Any, seed: SeedLike = None):
    """Fit a small judge (standardised logistic regression) on verified examples.

    ``label_is_correct`` says, for each row of ``features``, whether a human verified the
    given label as right. The judge's ``predict_proba(features)[:, 1]`` is then a score of
    label quality for every example. It stands in for the learned quality model ("reward
    model") of large-scale curation pipelines.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    target = check_mask(
        label_is_correct,
        "label_is_correct",
        hint=" True where a human verified the given label as right.",
    )
    check_same_length(features=features, label_is_correct=target)
    if target.all() or not target.any():
        raise ValueError(
            "The verified examples must include both correct and wrong labels; verify more "
            "examples."
        )
    judge = make_pipeline(StandardScaler(), LogisticRegression(random_state=as_random_state(seed)))
    return judge.fit(features, target)


# --- model-guided augmentation -----------------------------------------------------------


def transform_images(
    images: Any,
    strengths: Any,
    *,
    shape: tuple[int, int] = (8, 8),
    max_rotation: float = 60.0,
    max_shift: float = 3.0,
    value_range: tuple[float, float] = (0.0, 16.0),
    seed: SeedLike = None,
    return_params: bool = False,
) -> np.ndarray | tuple[np.ndarray, pd.DataFrame]:
    """Rotate and shift flattened images, each by a random amount scaled by its strength.

    Image ``i`` is rotated by an angle drawn uniformly in ``±strengths[i] * max_rotation``
    degrees and shifted by up to ``±strengths[i] * max_shift`` pixels in each direction,
    with bilinear interpolation and zeros outside the canvas. All images are transformed
    in one vectorised call of ``scipy.ndimage.map_coordinates``.

    Returns
    -------
    numpy.ndarray of shape (n, height * width)
        The transformed images; with ``return_params=True``, also a DataFrame with each
        image's ``rotation`` (degrees, counter-clockwise), ``shift_down`` and
        ``shift_right`` (pixels), to label the images with what was done to them.
    """
    from scipy import ndimage

    shape = check_int_sequence(shape, "shape", minimum=1)
    if len(shape) != 2:
        raise ValueError(f"shape must be (height, width), got {shape}.")
    h, w = shape
    imgs = check_features(images, "images", allow_sparse=False)
    if imgs.shape[1] != h * w:
        raise ValueError(
            f"images must be a 2-D array of flattened {h}x{w} images, got {imgs.shape}."
        )
    s = check_finite_array(strengths, "strengths", ndim=1)
    if s.shape != (imgs.shape[0],) or (s < 0).any():
        raise ValueError(
            f"strengths must hold one non-negative number per image (row of images, "
            f"{imgs.shape[0]}), got shape {s.shape}."
        )
    max_rotation = check_float(max_rotation, "max_rotation", minimum=0.0)
    max_shift = check_float(max_shift, "max_shift", minimum=0.0)
    value_range = check_sequence(value_range, "value_range")
    if len(value_range) != 2:
        raise ValueError(f"value_range must be (low, high), got {value_range}.")
    low, high = (check_float(v, "value_range") for v in value_range)
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}.")
    rng = as_rng(seed)
    n = imgs.shape[0]
    angle = np.deg2rad(rng.uniform(-1, 1, n) * s * max_rotation)
    shift = rng.uniform(-1, 1, (n, 2)) * s[:, None] * max_shift
    rows, cols = np.meshgrid(np.arange(h) - (h - 1) / 2, np.arange(w) - (w - 1) / 2, indexing="ij")
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    # the source pixel of each output pixel: inverse rotation about the centre, minus shift
    src_r = cos * rows + sin * cols + (h - 1) / 2 - shift[:, 0, None, None]
    src_c = -sin * rows + cos * cols + (w - 1) / 2 - shift[:, 1, None, None]
    index = np.broadcast_to(np.arange(n)[:, None, None], src_r.shape)
    out = ndimage.map_coordinates(
        imgs.reshape(n, h, w), np.stack([index, src_r, src_c]), order=1, mode="constant", cval=0.0
    )
    images_out = np.clip(out.reshape(n, h * w), *value_range)
    if not return_params:
        return images_out
    params = pd.DataFrame(
        {"rotation": np.rad2deg(angle), "shift_down": shift[:, 0], "shift_right": shift[:, 1]}
    )
    return images_out, params


def accept_by_validation(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_candidates: Any,
    y_candidates: Any,
    groups: Any,
    X_val: Any,
    y_val: Any,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Keep a group of candidates only if adding it improves validation accuracy.

    Groups are tried in sorted order (e.g. bins of transformation strength, mildest
    first); each is added on top of the groups already accepted, and kept when the model
    trained on the original data plus the accepted candidates scores higher on the
    held-out validation set than without it.

    Returns
    -------
    keep : numpy.ndarray of bool
        Which candidates were accepted.
    decisions : pandas.DataFrame
        One row per group: ``group``, ``n_candidates``, ``validation_accuracy`` with the
        group added, ``accepted``.
    """
    X_train, y_train = check_fit_data(model, X_train, y_train, X_name="X_train", y_name="y_train")
    y_cand = check_labels(y_candidates, name="y_candidates")
    check_labels_within(y_train, "y_train", y_candidates=y_cand)
    X_cand = check_features(
        X_candidates,
        "X_candidates",
        n_rows=y_cand.size,
        allow_sparse=False,
        labels_name="y_candidates",
    )
    X_val, y_val = check_eval_data(
        X_val, y_val, y_train, X_name="X_val", y_name="y_val", train_name="y_train"
    )
    group_of = np.asarray(groups)
    if group_of.ndim != 1 or pd.isna(group_of).any():
        raise ValueError("groups must be a 1-D array with one group name per candidate, no NaN.")
    check_same_length(X_candidates=X_cand, y_candidates=y_cand, groups=group_of)

    def validation_accuracy(mask):
        X_fit = np.concatenate([X_train, X_cand[mask]])
        y_fit = np.concatenate([y_train, y_cand[mask]])
        return float(clone(model).fit(X_fit, y_fit).score(X_val, y_val))

    keep = np.zeros(y_cand.size, dtype=bool)
    best = validation_accuracy(keep)
    rows = [
        {
            "group": "none (original data)",
            "n_candidates": 0,
            "validation_accuracy": best,
            "accepted": True,
        }
    ]
    for group in np.unique(group_of):
        trial = keep | (group_of == group)
        score = validation_accuracy(trial)
        accepted = score > best
        rows.append(
            {
                "group": group,
                "n_candidates": int((group_of == group).sum()),
                "validation_accuracy": score,
                "accepted": accepted,
            }
        )
        if accepted:
            keep, best = trial, score
    return keep, pd.DataFrame(rows)


# --- the data flywheel -------------------------------------------------------------------

#: The strategies of :func:`run_flywheel`: the three ways to spend of notebook 14, then
#: the two arms of its ablation that separate margin sampling, pilot reviews and the
#: decision rule.
FLYWHEEL_STRATEGIES = (
    "more data",
    "cleaner data",
    "flywheel",
    "more data by margin",
    "flywheel forced to more data",
)
_PILOTED = ("flywheel", "flywheel forced to more data")


@dataclass(frozen=True)
class Forecast:
    """Validation-accuracy gain per unit of labeling cost of the two ways to spend.

    ``more_data`` is forecast by a learning curve; ``cleaner_data`` is measured on a
    pilot batch of reviews (see :func:`run_flywheel`).
    """

    more_data: float
    cleaner_data: float

    def __post_init__(self) -> None:
        check_float(self.more_data, "more_data")
        check_float(self.cleaner_data, "cleaner_data")

    @property
    def decision(self) -> str:
        return "cleaner data" if self.cleaner_data > self.more_data else "more data"


def _validation_accuracy(model, X, y, X_val, y_val) -> float:
    return float(clone(model).fit(X, y).score(X_val, y_val))


def forecast_more_data(
    model: Any,
    X_labeled: Any,
    y_labeled: Any,
    X_val: Any,
    y_val: Any,
    *,
    n_new: int,
    seed: SeedLike = None,
) -> float:
    """Forecast the validation-accuracy gain of ``n_new`` more labels, from a learning curve.

    The model is trained on stratified subsets of a quarter, half, three quarters and all
    of the labelled set and scored on the trusted validation set; a power law
    (:func:`dcai_course.scaling.fit_power_law`) fitted to those errors is extrapolated
    from ``n`` to ``n + n_new``. A fit that does not converge forecasts no gain.
    """
    from .scaling import fit_power_law, stratified_subset

    X, y = check_fit_data(model, X_labeled, y_labeled, X_name="X_labeled", y_name="y_labeled")
    X = np.asarray(X)
    n = y.size
    X_val, y_val = check_eval_data(
        X_val, y_val, y, X_name="X_val", y_name="y_val", train_name="y_labeled"
    )
    n_new = check_count(n_new, "n_new")
    rng = as_rng(seed)
    smallest = 2 * (int(y.max()) + 1)
    sizes = np.array(sorted({max(int(n * f), smallest) for f in (0.25, 0.5, 0.75)} | {n}))
    errors = []
    for size in sizes:
        subset = np.arange(n) if size == n else stratified_subset(y, int(size), seed=rng)
        errors.append(1.0 - _validation_accuracy(model, X[subset], y[subset], X_val, y_val))
    fit = fit_power_law(sizes.astype(float), np.array(errors), raise_on_failure=False)
    if not fit.converged:
        return 0.0
    return max(0.0, float(fit.predict(n) - fit.predict(n + n_new)))


def run_flywheel(
    model: Any,
    X_pool: Any,
    crowd_labels: Any,
    true_labels: Any,
    X_val: Any,
    y_val: Any,
    X_test: Any,
    y_test: Any,
    *,
    strategy: str,
    initial_size: int,
    budget_per_round: int,
    n_rounds: int,
    review_cost: int = 2,
    pilot_reviews: int = 50,
    seed: SeedLike = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Spend a labeling budget round by round, and measure test accuracy after each round.

    Labels come from two sources: the crowd (``crowd_labels``, cost 1 each, noisy) and a
    reviewer who returns the true label (``true_labels``, cost ``review_cost`` each). The
    run starts from ``initial_size`` random crowd-labelled examples of the pool. A small
    trusted validation set (``X_val``, ``y_val``) guides decisions; the test set only
    measures.

    Strategies:

    * ``"more data"``: every round buys ``budget_per_round`` new crowd labels for random
      pool examples;
    * ``"cleaner data"``: every round sends the labels that look worst (lowest
      :func:`dcai_course.label_errors.label_quality_scores` on cross-validated
      probabilities) to the reviewer, ``budget_per_round // review_cost`` of them;
    * ``"flywheel"``: every round first reviews a pilot batch of the ``pilot_reviews``
      worst labels and measures the validation gain per unit of cost; forecasts the gain
      per unit of the rest of the budget spent on new labels with a learning curve
      (:func:`forecast_more_data`); and spends the rest on the better option. New labels
      are chosen by margin sampling (active learning), not at random.

    Two more strategies take the flywheel apart (an ablation):

    * ``"more data by margin"``: as ``"more data"``, but the new examples are chosen by
      margin sampling;
    * ``"flywheel forced to more data"``: the flywheel's pilot reviews, then the rest of
      the budget always on new labels by margin sampling (no forecast, no decision).

    Returns
    -------
    pandas.DataFrame
        One row per round (round 0 is the start): ``strategy``, ``round``, ``cost``
        (cumulative), ``n_labeled``, ``n_reviewed``, ``label_accuracy`` (of the labelled
        set), ``test_accuracy``, ``decision`` and, for the flywheel, the two gains per
        unit of cost that decided it.
    """
    from tqdm.auto import tqdm

    from .active_learning import uncertainty_sampling
    from .label_errors import label_quality_scores, out_of_sample_pred_probs

    if strategy not in FLYWHEEL_STRATEGIES:
        raise ValueError(f"strategy must be one of {FLYWHEEL_STRATEGIES}, got {strategy!r}.")
    X, truth = check_fit_data(model, X_pool, true_labels, X_name="X_pool", y_name="true_labels")
    X = np.asarray(X)
    crowd = check_labels(crowd_labels, name="crowd_labels")
    check_labels_within(truth, "true_labels", crowd_labels=crowd)
    n = check_same_length(X_pool=X, crowd_labels=crowd, true_labels=truth)
    for X_eval, y_eval, suffix in ((X_val, y_val, "val"), (X_test, y_test, "test")):
        check_eval_data(
            X_eval,
            y_eval,
            truth,
            X_name=f"X_{suffix}",
            y_name=f"y_{suffix}",
            train_name="true_labels",
        )
    initial_size = check_int(initial_size, "initial_size", minimum=1, maximum=n - 1)
    budget_per_round = check_count(budget_per_round, "budget_per_round")
    n_rounds = check_int(n_rounds, "n_rounds", minimum=0)
    review_cost = check_count(review_cost, "review_cost")
    pilot_reviews = check_count(pilot_reviews, "pilot_reviews")
    pilot_cost = pilot_reviews * review_cost if strategy in _PILOTED else 0
    if budget_per_round < review_cost or budget_per_round <= pilot_cost:
        raise ValueError(
            f"budget_per_round ({budget_per_round}) must pay for at least one review and, for "
            f"the flywheel, exceed the pilot's cost ({pilot_cost})."
        )
    rng = as_rng(seed)
    labeled = np.zeros(n, dtype=bool)
    labeled[rng.choice(n, initial_size, replace=False)] = True
    labels = crowd.copy()
    reviewed = np.zeros(n, dtype=bool)

    def review_worst(count):
        idx = np.flatnonzero(labeled)
        probs = out_of_sample_pred_probs(model, X[idx], labels[idx], cv=5, seed=rng)
        order = idx[np.argsort(label_quality_scores(labels[idx], probs), kind="stable")]
        fix = order[~reviewed[order]][:count]
        labels[fix] = truth[fix]
        reviewed[fix] = True

    def buy_labels(count, by_margin):
        idx, candidates = np.flatnonzero(labeled), np.flatnonzero(~labeled)
        count = min(count, candidates.size)
        if by_margin:
            probs = clone(model).fit(X[idx], labels[idx]).predict_proba(X[candidates])
            new = candidates[uncertainty_sampling(probs, count, method="margin")]
        else:
            new = rng.choice(candidates, count, replace=False)
        labeled[new] = True

    def validation_accuracy():
        idx = np.flatnonzero(labeled)
        return _validation_accuracy(model, X[idx], labels[idx], X_val, y_val)

    def record(round_, decision="", forecast=None):
        idx = np.flatnonzero(labeled)
        fitted = clone(model).fit(X[idx], labels[idx])
        return {
            "strategy": strategy,
            "round": round_,
            "cost": round_ * budget_per_round,
            "n_labeled": idx.size,
            "n_reviewed": int(reviewed.sum()),
            "label_accuracy": float((labels[idx] == truth[idx]).mean()),
            "test_accuracy": float(fitted.score(X_test, y_test)),
            "decision": decision,
            "gain_per_unit_more": np.nan if forecast is None else forecast.more_data,
            "gain_per_unit_cleaner": np.nan if forecast is None else forecast.cleaner_data,
        }

    rows = [record(0)]
    for round_ in tqdm(range(1, n_rounds + 1), disable=not progress, desc=strategy):
        forecast = None
        if strategy in ("more data", "more data by margin"):
            buy_labels(budget_per_round, by_margin=strategy == "more data by margin")
        elif strategy == "cleaner data":
            review_worst(budget_per_round // review_cost)
        elif strategy == "flywheel forced to more data":
            review_worst(pilot_reviews)
            buy_labels(budget_per_round - pilot_cost, by_margin=True)
        else:
            before = validation_accuracy()
            review_worst(pilot_reviews)
            pilot_gain = (validation_accuracy() - before) / pilot_cost
            rest = budget_per_round - pilot_cost
            idx = np.flatnonzero(labeled)
            more_gain = (
                forecast_more_data(model, X[idx], labels[idx], X_val, y_val, n_new=rest, seed=rng)
                / rest
            )
            forecast = Forecast(more_data=more_gain, cleaner_data=pilot_gain)
            if forecast.decision == "cleaner data":
                review_worst(rest // review_cost)
            else:
                buy_labels(rest, by_margin=True)
        decision = forecast.decision if forecast else strategy
        rows.append(record(round_, decision, forecast))
    return pd.DataFrame(rows)


# --- repeated runs: a new split and a new noise draw per seed ----------------------------


@dataclass(frozen=True)
class NoisySplit:
    """A noisy pool, a trusted validation set and a clean test set (see :func:`noisy_split`)."""

    X_pool: np.ndarray
    y_pool: np.ndarray  # the true labels of the pool
    noisy: np.ndarray  # the labels the pool comes with
    flipped: np.ndarray  # True where ``noisy`` is wrong
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def noisy_split(
    X: Any,
    y: Any,
    noise_matrix: Any,
    *,
    pool_size: int,
    val_size: int,
    test_size: int,
    seed: SeedLike = None,
) -> NoisySplit:
    """Split ``(X, y)`` into a noisy pool, a validation set and a test set, stratified.

    The pool's labels are drawn through ``noise_matrix`` (rows: true class, columns:
    given class; see :func:`dcai_course.noise.inject_label_noise`); validation and test
    keep their true labels. Each seed gives its own split and its own noise draw, as the
    course's evidence standard asks of repeated runs.

    Examples
    --------
    >>> from dcai_course import datasets, noise
    >>> X, y = datasets.load_digits()
    >>> split = noisy_split(X, y, noise.uniform_noise_matrix(10, 0.2), pool_size=500,
    ...                     val_size=100, test_size=300, seed=0)
    >>> split.X_pool.shape, split.X_val.shape, split.X_test.shape
    ((500, 64), (100, 64), (300, 64))

    Taught in: notebooks/14_model_based_curation.ipynb.
    """
    from sklearn.model_selection import train_test_split

    from .noise import inject_label_noise

    y = check_training_labels(y, "y")
    X = check_features(X, "X", n_rows=y.size, allow_sparse=False, labels_name="y")
    n = check_same_length(X=X, y=y)
    sizes = {"pool_size": pool_size, "val_size": val_size, "test_size": test_size}
    for name, size in sizes.items():
        smallest = 0 if name == "val_size" else 1
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < smallest:
            raise ValueError(f"{name} must be an integer >= {smallest}, got {size!r}.")
    if pool_size + val_size + test_size > n:
        raise ValueError(
            f"pool_size + val_size + test_size = {pool_size + val_size + test_size} exceeds "
            f"the {n} examples given; make the splits smaller."
        )
    rng = as_rng(seed)
    X_pool, X_rest, y_pool, y_rest = train_test_split(
        X, y, train_size=pool_size, random_state=as_random_state(rng), stratify=y
    )
    X_val, X_test, y_val, y_test = train_test_split(
        X_rest,
        y_rest,
        train_size=val_size or None,
        test_size=test_size,
        random_state=as_random_state(rng),
        stratify=y_rest,
    )
    if not val_size:  # no validation set: all of the held-out draw is test
        X_val, y_val = X_val[:0], y_val[:0]
    noisy, flipped = inject_label_noise(y_pool, noise_matrix, seed=rng)
    return NoisySplit(X_pool, y_pool, noisy, flipped, X_val, y_val, X_test, y_test)


def flywheel_ablation(
    model: Any,
    X: Any,
    y: Any,
    noise_matrix: Any,
    *,
    seeds: Sequence[int],
    split_sizes: Mapping[str, int],
    strategies: Sequence[str] = FLYWHEEL_STRATEGIES,
    progress: bool = True,
    **flywheel_options: Any,
) -> pd.DataFrame:
    """:func:`run_flywheel` for every strategy and seed, each seed on its own noisy split.

    For each seed, :func:`noisy_split` draws a pool, a validation and a test set
    (``split_sizes``: ``pool_size``, ``val_size``, ``test_size``); the pool's noisy labels
    play the crowd's answers and its true labels the reviewer's. Every strategy then runs
    on the same split with the same seed, so the strategies are paired by seed.
    ``flywheel_options`` go to :func:`run_flywheel` (``initial_size``,
    ``budget_per_round``, ``n_rounds``, ``review_cost``, ``pilot_reviews``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`run_flywheel`, with a ``seed`` column.

    Taught in: notebooks/14_model_based_curation.ipynb.
    """
    from tqdm.auto import tqdm

    unknown = set(strategies) - set(FLYWHEEL_STRATEGIES)
    if unknown:
        raise ValueError(f"unknown strategies {sorted(unknown)}; use {FLYWHEEL_STRATEGIES}.")
    runs = []
    for seed in tqdm(list(seeds), disable=not progress, desc="seeds"):
        split = noisy_split(X, y, noise_matrix, seed=seed, **split_sizes)
        for strategy in strategies:
            run = run_flywheel(
                model,
                split.X_pool,
                split.noisy,
                split.y_pool,
                split.X_val,
                split.y_val,
                split.X_test,
                split.y_test,
                strategy=strategy,
                seed=seed,
                progress=False,
                **flywheel_options,
            )
            runs.append(run.assign(seed=seed))
    return pd.concat(runs, ignore_index=True)
