"""Lab 10: scaling laws (a power-law fit, samples needed, forecasts, quality against quantity)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ... import scaling as ref
from ..open_ended import hidden_seeds, keep_rows_test, public_seeds
from ..spec import Lab, Question, Test
from ..testing import assert_close, assert_keys

#: The stated bound of the real-curve test: a power law fitted on 200 <= n <= 1,600 of a
#: 1-NN learning curve of Letter Recognition must forecast the errors measured at 3,200
#: to 12,800 examples within this mean absolute error (the reference achieves 0.01 to 0.03).
REAL_CURVE_BOUND = 0.04

# --- helpers --------------------------------------------------------------------------------


def _reference_fit(n, error):
    fit = ref.fit_power_law(n, error)
    return fit.a, fit.b, fit.c


def _random_params(rng):
    """A realistic learning curve: error between c + 0.2 and 0.9 at n = 50, then a power law.

    Exponents start at 0.35: on shallower curves ``a`` and ``c`` trade off so easily that
    no fit recovers them from 8 sizes (the reference included).
    """
    b = float(rng.uniform(0.35, 1.0))
    c = float(rng.uniform(0, 0.12))
    start = float(rng.uniform(c + 0.2, 0.9))
    return (start - c) * 50**b, b, c


def _synthetic(rng, a, b, c, sd=0.003, repeats=3):
    sizes = np.array([50, 100, 200, 400, 800, 1600, 3200, 6400])
    n = np.repeat(sizes, repeats)
    error = np.clip(ref.power_law(n, a, b, c) + rng.normal(0, sd, n.size), 0, 1)
    return n, error


def _call_fit(f, n, error):
    out = f(np.array(n, copy=True), np.array(error, copy=True))
    if not (isinstance(out, tuple | list) and len(out) == 3):
        raise AssertionError(f"fit_power_law should return a tuple (a, b, c), got {out!r}.")
    try:
        a, b, c = (float(v) for v in out)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"fit_power_law should return three numbers, got {out!r}.") from exc
    if not np.isfinite([a, b, c]).all():
        raise AssertionError(f"fit_power_law returned non-finite parameters {(a, b, c)}.")
    return a, b, c


def _check_recovery(f, rng, a, b, c, what):
    n, error = _synthetic(rng, a, b, c)
    fa, fb, fc = _call_fit(f, n, error)
    if fc < -1e-9:
        raise AssertionError(f"{what}: c = {fc:.4g} is negative; the error floor must be >= 0.")
    grid = np.geomspace(50, 6400, 30)
    gap = np.abs(ref.power_law(grid, fa, fb, fc) - ref.power_law(grid, a, b, c)).max()
    if abs(fb - b) > 0.15 * b + 0.03 or abs(fc - c) > 0.02 or gap > 0.01:
        raise AssertionError(
            f"{what}: the true parameters are a = {a:.3g}, b = {b:.3g}, c = {c:.3g}; you found "
            f"a = {fa:.3g}, b = {fb:.3g}, c = {fc:.3g} (tolerance: b within 15% + 0.03, c "
            f"within 0.02, the curve within 0.01 of the truth; it is {gap:.3g} away)."
        )


# --- Q1: fit_power_law ----------------------------------------------------------------------


def _q1_exact(f, rng):
    n = np.array([50, 100, 200, 400, 800, 1600, 3200])
    a, b, c = _call_fit(f, n, ref.power_law(n, 3.0, 0.6, 0.05))
    assert_close(
        np.array([a, b, c]),
        np.array([3.0, 0.6, 0.05]),
        "(a, b, c) on a noise-free curve",
        atol=2e-3,
    )


def _q1_floor_not_negative(f, rng):
    n = np.array([50, 100, 200, 400, 800, 1600, 3200], dtype=float)
    error = np.clip(2.0 * n**-0.4 - 0.01, 0, 1)  # a free fit would want c < 0
    _, _, c = _call_fit(f, n, error)
    if c < -1e-9:
        raise AssertionError(
            f"c = {c:.4g}: an error rate cannot fall below 0, so c must be bounded below by 0 "
            "(curve_fit's bounds= argument)."
        )


def _q1_noisy(f, rng):
    _check_recovery(f, np.random.default_rng(1), 4.0, 0.5, 0.04, "a noisy curve")


def _q1_hidden_synthetic(f, rng):
    for i in range(5):
        a, b, c = _random_params(rng)
        _check_recovery(f, rng, a, b, c, f"hidden synthetic curve {i + 1}")


@lru_cache(maxsize=4)
def _real_curve(seed: int) -> pd.DataFrame:
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier

    from ...datasets import load_letters

    X, y = load_letters()
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=2000, random_state=seed, stratify=y
    )
    sizes = [200, 400, 800, 1600, 3200, 6400, 12800]
    return ref.learning_curve(
        KNeighborsClassifier(1, algorithm="kd_tree"),
        X_pool,
        y_pool,
        sizes,
        n_repeats=[3, 3, 3, 3, 2, 1, 1],
        seed=seed,
        progress=False,
        test_set=(X_test, y_test),
    )


def _q1_hidden_real(f, rng):
    seed = int(rng.integers(1_000))
    curve = _real_curve(seed)
    seen, future = curve[curve.n <= 1600], curve[curve.n > 1600]
    a, b, c = _call_fit(f, seen.n.to_numpy(), seen.error.to_numpy())
    forecast = ref.PowerLawFit(a, b, max(c, 0.0))
    error = ref.extrapolation_error(forecast, future.n, future.error)
    if error > REAL_CURVE_BOUND:
        raise AssertionError(
            f"fitted on a real 1-NN learning curve of Letter Recognition (200 <= n <= 1600), "
            f"your power law forecasts the errors at 3,200 to 12,800 examples with a mean "
            f"absolute error of {error:.3f}; it should be at most {REAL_CURVE_BOUND}."
        )


# --- Q2: samples_needed ---------------------------------------------------------------------


def _q2_example(f, rng):
    assert_close(
        float(f(2.0, 0.5, 0.1, 0.12)), 10_000.0, "samples_needed(2.0, 0.5, 0.1, 0.12)", atol=1e-6
    )


def _expect_value_error(f, args, what):
    try:
        out = f(*args)
    except ValueError:
        return
    raise AssertionError(
        f"{what} should raise ValueError (the target is out of reach), got {out!r}."
    )


def _q2_unreachable(f, rng):
    _expect_value_error(f, (2.0, 0.5, 0.1, 0.05), "samples_needed(2.0, 0.5, 0.1, 0.05)")
    _expect_value_error(f, (2.0, 0.5, 0.1, 0.1), "samples_needed(2.0, 0.5, 0.1, 0.1)")


def _q2_hidden(f, rng):
    for _ in range(10):
        a, b, c = (
            float(rng.uniform(0.5, 10)),
            float(rng.uniform(0.1, 1.5)),
            float(rng.uniform(0, 0.2)),
        )
        target = float(c + rng.uniform(0.005, 0.2))
        expected = (a / (target - c)) ** (1 / b)
        got = float(f(a, b, c, target))
        if not np.isclose(got, expected, rtol=1e-6):
            raise AssertionError(
                f"samples_needed({a:.3f}, {b:.3f}, {c:.3f}, {target:.3f}) should be "
                f"{expected:.6g}, got {got:.6g}."
            )
        _expect_value_error(f, (a, b, c, c * float(rng.uniform(0, 1))), "a target below c")


# --- Q3: compare_forecasts ------------------------------------------------------------------


def _reference_compare(curve, n_seen):
    seen, future = curve[curve.n <= n_seen], curve[curve.n > n_seen]
    fit = ref.fit_power_law(seen.n, seen.error)
    base = ref.last_value_baseline(seen.n, seen.error)
    return {
        "power law": ref.extrapolation_error(fit, future.n, future.error),
        "last value": ref.extrapolation_error(base, future.n, future.error),
    }


def _synthetic_curve(rng, a, b, c):
    n, error = _synthetic(rng, a, b, c, sd=0.005)
    return pd.DataFrame({"n": n, "error": error})


def _check_compare(f, curve, n_seen, what):
    got = f(curve.copy(), n_seen, _reference_fit)
    expected = _reference_compare(curve, n_seen)
    assert_keys(got, set(expected), what)
    for key, value in expected.items():
        assert_close(float(got[key]), value, f"{what}[{key!r}]", atol=1e-6)


def _q3_example(f, rng):
    curve = _synthetic_curve(np.random.default_rng(2), 4.0, 0.5, 0.02)
    _check_compare(f, curve, 800, "compare_forecasts(curve, 800, fit)")


def _q3_flat(f, rng):
    n = np.repeat([100, 200, 400, 800, 1600], 2)
    curve = pd.DataFrame({"n": n, "error": np.where(n <= 400, 0.3, 0.29) + 0.001 * (n % 3)})
    _check_compare(f, curve, 400, "on a flat curve")


def _q3_hidden(f, rng):
    for _ in range(3):
        curve = _synthetic_curve(rng, *_random_params(rng))
        _check_compare(f, curve, int(rng.choice([400, 800, 1600])), "on a random curve")


# --- Q5/Q6: quality against quantity (open-ended) ------------------------------------------

#: Held-out accuracy of the fixed 1-NN model for Q5 and Q6. Measured over 8 draws: all
#: rows as given 0.63 to 0.68, the clean source alone 0.755 to 0.775, the model solution
#: 0.88 to 0.90.
MIX_THRESHOLDS = {"10.q5": 0.79, "10.q6": 0.86}
N_CLEAN, N_NOISY, NOISE_RATE = 1000, 8000, 0.35


def mix_model():
    """The fixed model of Q5/Q6: 1-nearest neighbour, which memorises every label."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=1)


def two_sources(seed: int):
    """Letters from two sources: ``(X, y, source, X_test, y_test)``.

    ``source`` is 0 for the 1,000 rows labelled by experts (clean) and 1 for the 8,000
    rows labelled by a cheap crowd, 35% of whose labels are wrong (uniform noise); the
    rows are shuffled. ``X_test, y_test`` are 3,000 other letters with clean labels,
    split with ``seed``.
    """
    from sklearn.model_selection import train_test_split

    from ...datasets import load_letters
    from ...noise import inject_label_noise

    rng = np.random.default_rng(seed)
    X, y = load_letters()
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=3000, random_state=int(rng.integers(2**31)), stratify=y
    )
    rows = rng.permutation(len(y_rest))[: N_CLEAN + N_NOISY]
    X_s, y_s = X_rest[rows], y_rest[rows].copy()
    source = (np.arange(len(rows)) >= N_CLEAN).astype(np.int64)
    y_s[source == 1], _ = inject_label_noise(
        y_s[source == 1], noise_rate=NOISE_RATE, seed=int(rng.integers(2**31))
    )
    order = rng.permutation(len(rows))
    return X_s[order], y_s[order], source[order], X_test, y_test


def _mix(question_id: str, seeds):
    return keep_rows_test(
        two_sources,
        mix_model,
        MIX_THRESHOLDS[question_id],
        "select_training_set(X, y, source)",
        seeds,
        min_size=26,
    )


LAB = Lab(
    id="10_scaling_laws_lab",
    title="Lab 10: scaling laws",
    questions=[
        Question(
            "10.q1",
            "Fitting a power law",
            4,
            "fit_power_law",
            [
                Test("a noise-free curve", _q1_exact),
                Test("the floor c is never negative", _q1_floor_not_negative),
                Test("a noisy curve", _q1_noisy),
                Test("random noisy curves", _q1_hidden_synthetic, hidden=True),
                Test("forecasting a real learning curve", _q1_hidden_real, hidden=True),
            ],
            hint="use scipy.optimize.curve_fit with bounds=([0, 0, 0], [np.inf, 3, 1]) and a "
            "good p0: for a fixed b the model is linear in a and c, so try a grid of b values "
            "with np.linalg.lstsq and start from the best one.",
            forbids=(
                "dcai_course.scaling.fit_power_law",
                "dcai_course.scaling.fit_power_law_bootstrap",
            ),
        ),
        Question(
            "10.q2",
            "Examples needed for a target error",
            2,
            "samples_needed",
            [
                Test("a worked example", _q2_example),
                Test("targets at or below c raise ValueError", _q2_unreachable),
                Test("random parameters", _q2_hidden, hidden=True),
            ],
            hint="solve a·n^(-b) + c = target for n; when target <= c there is no solution: "
            "raise ValueError.",
            forbids=("dcai_course.scaling.PowerLawFit.samples_needed",),
        ),
        Question(
            "10.q3",
            "A power law against the last observed value",
            2,
            "compare_forecasts",
            [
                Test("a synthetic curve", _q3_example),
                Test("a flat curve", _q3_flat),
                Test("random curves", _q3_hidden, hidden=True),
            ],
            hint="split the rows at n_seen; fit on the seen rows with the given fit; the last "
            "value is the mean error at the largest seen size; score both by the mean absolute "
            "difference from every held-out row.",
            forbids=(
                "dcai_course.scaling.extrapolation_error",
                "dcai_course.scaling.last_value_baseline",
            ),
        ),
        Question("10.q4", "Written: when to trust a forecast", 2, manual=True),
        Question(
            "10.q5",
            "Quality against quantity: held-out accuracy 0.79",
            3,
            "select_training_set",
            [
                Test("the two sources of seed 0", _mix("10.q5", public_seeds)),
                Test("two fresh draws", _mix("10.q5", hidden_seeds), hidden=True),
            ],
            hint="compare the obvious choices on the validation split first: every row, the "
            "clean rows only. Then ask whether some of the crowd's rows can be trusted.",
            time_limit=180.0,
        ),
        Question(
            "10.q6",
            "Quality against quantity: held-out accuracy 0.86",
            2,
            "select_training_set",
            [
                Test("the two sources of seed 0", _mix("10.q6", public_seeds)),
                Test("two fresh draws", _mix("10.q6", hidden_seeds), hidden=True),
            ],
            hint="a crowd label that disagrees with what its neighbours say (judged without "
            "the row itself) is more likely to be wrong than one that agrees.",
            time_limit=180.0,
        ),
    ],
)
