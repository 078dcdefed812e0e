"""Lab 14: model-based data curation (selection, compression, and the capstone pipeline).

The capstone (Q3, Q4) is an open-ended task in the style of MIT's dcai-lab: a fixed model
(10-nearest-neighbour on standardised features), a pool of letters with crowd labels of
which about 30% are wrong, and a budget of verified labels. The learner's
``curate(X_pool, noisy_labels, budget, verified_indices=None, verified_labels=None)`` is
called twice on a pool the grader draws: first it names the examples to verify (at most
``budget``), then, given their true labels, it returns the curated training set as
``(kept_indices, labels)``. The grader trains the fixed model on what comes back and
scores it on held-out letters it keeps to itself, as the share of the gap between the
pool as given and the pool with every label right that the curation closes.
"""

from __future__ import annotations

import numpy as np

from ... import curation as ref
from ... import datasets, noise
from ..spec import Lab, Question, Test
from ..testing import assert_array, assert_close, assert_equal_arrays

# --- Q1: select_top_fraction --------------------------------------------------------------


def _selected(f, scores, fraction) -> np.ndarray:
    out = assert_array(
        f(np.asarray(scores, dtype=float), fraction), "the selected indices", kind="iu"
    )
    if out.ndim != 1:
        raise AssertionError(f"the selected indices should be 1-D, got shape {out.shape}.")
    return np.sort(out)


def _q1_example(f, rng):
    got = _selected(f, [0.2, 0.9, 0.5, 0.9], 0.5)
    assert_equal_arrays(got, np.array([1, 3]), "select_top_fraction([0.2, 0.9, 0.5, 0.9], 0.5)")


def _q1_all_and_one(f, rng):
    scores = [0.3, 0.1, 0.2]
    assert_equal_arrays(_selected(f, scores, 1.0), np.array([0, 1, 2]), "with fraction 1.0")
    got = _selected(f, scores, 0.01)
    assert_equal_arrays(got, np.array([0]), "with a tiny fraction (at least one example is kept)")


def _q1_ties(f, rng):
    got = _selected(f, [0.5, 0.5, 0.5, 0.5], 0.5)
    assert_equal_arrays(got, np.array([0, 1]), "with tied scores (the earlier examples win)")


def _q1_hidden(f, rng):
    for _ in range(6):
        n = int(rng.integers(5, 400))
        scores = np.round(rng.random(n), 1)  # many ties
        fraction = float(rng.uniform(0.05, 1.0))
        expected = ref.select_top_fraction(scores, fraction)
        assert_equal_arrays(
            _selected(f, scores, fraction),
            expected,
            f"the selection for {n} scores and fraction {fraction:.3f}",
        )


# --- Q2: compression_ratio ----------------------------------------------------------------


def _q2_example(f, rng):
    got = f([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)
    assert_close(
        got, 2.0, "compression_ratio([0.2, 0.5, 0.8, 1.0], [0.70, 0.81, 0.83, 0.80], 0.80)"
    )


def _q2_none(f, rng):
    got = f([0.5, 1.0], [0.6, 0.7], 0.9)
    if not (np.ndim(got) == 0 and np.isnan(float(got))):
        raise AssertionError(
            f"when no fraction reaches the target the result should be nan, got {got!r}."
        )


def _q2_unsorted(f, rng):
    got = f([1.0, 0.25, 0.5], [0.8, 0.81, 0.79], 0.8)
    assert_close(got, 4.0, "with fractions in any order ([1.0, 0.25, 0.5])")


def _q2_hidden(f, rng):
    for _ in range(8):
        m = int(rng.integers(2, 12))
        fractions = rng.permutation(np.round(rng.uniform(0.05, 1.0, m), 3))
        accuracies = np.round(rng.uniform(0.5, 0.95, m), 3)
        target = float(rng.choice(accuracies)) if rng.random() < 0.8 else 0.99
        expected = ref.compression_ratio(fractions, accuracies, target)
        got = f(fractions, accuracies, target)
        if np.isnan(expected):
            if not np.isnan(float(got)):
                raise AssertionError(f"no fraction reaches {target}: expected nan, got {got!r}.")
        else:
            assert_close(got, expected, f"the compression ratio for target {target}", atol=1e-9)


# --- Q3, Q4: the capstone curation pipeline -----------------------------------------------

#: The task as the lab states it: pool size, verification budget, noise, held-out size.
CAPSTONE = {"pool_size": 6000, "budget": 300, "noise_rate": 0.3, "test_size": 4000}
#: Look-alike letters the crowd confuses (as in notebook 14).
LETTER_PAIRS = ("OQ", "IJ", "UV", "MN", "CG", "EF", "BR", "HK", "PD", "XY", "SZ", "AT", "LW")
#: Share of the gap (pool as given -> every label right) the curated set must close, on
#: average over ``DRAWS`` fresh draws: Q3's threshold, then Q4's.
THRESHOLDS = (0.15, 0.25)
DRAWS = 2


def capstone_model():
    """The fixed model of the capstone: 10-nearest-neighbour on standardised features."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=10, weights="distance"))


def capstone_draw(seed, pool_size: int | None = None) -> ref.NoisySplit:
    """A pool with crowd labels and a held-out test set, drawn like the grader's."""
    X, y = datasets.load_letters()
    pairs = [
        (datasets.LETTER_NAMES.index(a), datasets.LETTER_NAMES.index(b)) for a, b in LETTER_PAIRS
    ]
    matrix = noise.class_pair_noise_matrix(26, pairs, CAPSTONE["noise_rate"])
    return ref.noisy_split(
        X,
        y,
        matrix,
        pool_size=pool_size or CAPSTONE["pool_size"],
        val_size=0,
        test_size=CAPSTONE["test_size"],
        seed=seed,
    )


def _int_array(value, what: str, n: int) -> np.ndarray:
    arr = assert_array(value, what, kind="iu")
    if arr.ndim != 1:
        raise AssertionError(f"{what} should be a 1-D array of indices, got shape {arr.shape}.")
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise AssertionError(f"{what} should be indices into the pool, 0..{n - 1}.")
    if np.unique(arr).size != arr.size:
        raise AssertionError(f"{what} should not repeat an index.")
    return arr


def _curated_set(f, split: ref.NoisySplit, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """The learner's two calls; check what comes back, return ``(kept, labels)``."""
    n = split.noisy.size
    chosen = _int_array(
        f(split.X_pool.copy(), split.noisy.copy(), budget),
        "the first call's result (the indices to verify)",
        n,
    )
    if chosen.size > budget:
        raise AssertionError(
            f"the first call asked to verify {chosen.size} examples; the budget is {budget}."
        )
    out = f(split.X_pool.copy(), split.noisy.copy(), budget, chosen, split.y_pool[chosen])
    if not (isinstance(out, tuple | list) and len(out) == 2):
        raise AssertionError(
            "the second call should return a tuple (kept_indices, labels), got "
            f"{type(out).__name__}."
        )
    kept = _int_array(out[0], "kept_indices", n)
    labels = assert_array(out[1], "labels", shape=kept.shape, kind="iu")
    if kept.size < 260:
        raise AssertionError(f"keep at least 260 examples (10 per letter); you kept {kept.size}.")
    if labels.min() < 0 or labels.max() > 25:
        raise AssertionError("labels should be letters coded 0..25.")
    return kept, labels


def _gap_closed(f, seed) -> tuple[float, str]:
    split = capstone_draw(seed)
    kept, labels = _curated_set(f, split, CAPSTONE["budget"])
    model = capstone_model()

    def accuracy(index, y):
        return float(model.fit(split.X_pool[index], y).score(split.X_test, split.y_test))

    everything = np.arange(split.noisy.size)
    as_given, all_right = accuracy(everything, split.noisy), accuracy(everything, split.y_pool)
    yours = accuracy(kept, labels)
    closed = (yours - as_given) / (all_right - as_given)
    detail = (
        f"held-out accuracy {yours:.3f} (pool as given {as_given:.3f}, every label right "
        f"{all_right:.3f}): {closed:.0%} of the gap closed"
    )
    return closed, detail


def _q3_round_trip(f, rng):
    split = capstone_draw(0, pool_size=1500)
    _curated_set(f, split, 75)


def _capstone_threshold(threshold: float):
    def test(f, rng):
        results = [_gap_closed(f, int(rng.integers(2**31 - 1))) for _ in range(DRAWS)]
        mean = float(np.mean([closed for closed, _ in results]))
        if mean < threshold:
            details = "; ".join(detail for _, detail in results)
            raise AssertionError(
                f"over {DRAWS} fresh pools your curation closed {mean:.0%} of the gap on "
                f"average, {threshold:.0%} is needed ({details})."
            )

    return test


_CAPSTONE_HINT = (
    "spend the budget where it teaches you most, then decide for every unverified example "
    "whether to keep, relabel or drop it; check on your validation split first."
)


def _capstone_question(question_id: str, threshold: float) -> Question:
    return Question(
        question_id,
        f"Capstone: a curated set that closes {threshold:.0%} of the gap",
        4,
        "curate",
        [
            Test("a valid round trip on a small pool", _q3_round_trip),
            Test(
                f"closes {threshold:.0%} of the gap on fresh pools",
                _capstone_threshold(threshold),
                hidden=True,
            ),
        ],
        hint=_CAPSTONE_HINT,
        time_limit=240.0,
    )


LAB = Lab(
    id="14_model_based_curation_lab",
    title="Lab 14: model-based data curation",
    questions=[
        Question(
            "14.q1",
            "Selecting the top fraction by score",
            3,
            "select_top_fraction",
            [
                Test("a small example", _q1_example),
                Test("all, and at least one", _q1_all_and_one),
                Test("ties keep the earlier examples", _q1_ties),
                Test("random scores and fractions", _q1_hidden, hidden=True),
            ],
            hint="how many examples does round(fraction * n) give for a tiny fraction? And "
            "which of two equal scores comes first?",
        ),
        Question(
            "14.q2",
            "The compression ratio",
            3,
            "compression_ratio",
            [
                Test("a small example", _q2_example),
                Test("no fraction reaches the target", _q2_none),
                Test("fractions in any order", _q2_unsorted),
                Test("random curves", _q2_hidden, hidden=True),
            ],
            hint="only the fractions that reach the target count, and the smallest of them "
            "decides.",
        ),
        _capstone_question("14.q3", THRESHOLDS[0]),
        _capstone_question("14.q4", THRESHOLDS[1]),
        Question("14.q5", "Written: justify your pipeline", 4, manual=True),
    ],
)
