"""Time dcai_course.scaling.fit_power_law against scipy.optimize.curve_fit on the same points.

For each true learning curve E(n) = a·n^(-b) + c, 50 noisy replicates are drawn (8 sizes
from 50 to 6,400, 5 repeats each, Gaussian noise of s.d. 0.005, clipped to [0, 1]), and
each replicate is fitted three ways:

* ``ours``: :func:`fit_power_law` (bounds, grid-search start, ``least_squares``);
* ``cf bounded``: ``curve_fit`` with the same bounds, started from its default (ones);
* ``cf default``: ``curve_fit`` with no bounds and its default start, as a newcomer
  would call it.

Columns: mean time per fit, the share of replicates whose exponent is recovered within
10% + 0.03 ("ok"), and, between ours and the bounded ``curve_fit`` (which minimise the
same objective), the largest difference of a fitted parameter and of the prediction at
n = 25,600 (an extrapolation). ``cf default`` failures (exceptions) count as not ok.

Run: python benchmarks/bench_scaling.py
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from _common import Comparison
from scipy.optimize import OptimizeWarning, curve_fit

from dcai_course.scaling import B_MAX, fit_power_law, fit_power_law_bootstrap, power_law

SIZES = np.array([50, 100, 200, 400, 800, 1600, 3200, 6400])
CASES = [(3.0, 0.6, 0.05), (1.5, 0.35, 0.1), (8.0, 0.9, 0.02), (2.5, 0.45, 0.0)]
N_REPLICATES = 50


def timed(fn):
    start = time.perf_counter()
    try:
        out = fn()
    except RuntimeError:
        out = None
    return time.perf_counter() - start, out


def recovered(params, b):
    return params is not None and abs(params[1] - b) < 0.1 * b + 0.03


def comparisons(quick: bool = False) -> list[Comparison]:
    """Our fit against bounded curve_fit on noisy replicates of one curve (10 with ``quick``)."""
    rng = np.random.default_rng(0)
    n = np.repeat(SIZES, 5).astype(float)
    a, b, c = CASES[0]
    t_ours = t_cf = 0.0
    gap = 0.0
    replicates = 10 if quick else N_REPLICATES
    for _ in range(replicates):
        error = np.clip(power_law(n, a, b, c) + rng.normal(0, 0.005, n.size), 0, 1)
        t, fit = timed(lambda error=error: fit_power_law(n, error))
        t_ours += t
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, out = timed(
                lambda error=error: curve_fit(
                    power_law, n, error, bounds=([0, 0, 0], [np.inf, B_MAX, 1])
                )
            )
        t_cf += t
        if out is not None:
            gap = max(gap, float(np.abs(np.subtract((fit.a, fit.b, fit.c), out[0])).max()))
    return [
        Comparison(
            "10 scaling laws",
            "scaling.fit_power_law",
            "scipy curve_fit (same bounds)",
            f"{replicates} noisy curves, 40 points each",
            t_ours / replicates,
            t_cf / replicates,
            f"max parameter difference {gap:.0e}",
        )
    ]


def main() -> None:
    rng = np.random.default_rng(0)
    n = np.repeat(SIZES, 5).astype(float)
    rows = []
    for a, b, c in CASES:
        stats = {k: [] for k in ("t_ours", "t_cfb", "t_cfd", "ok_ours", "ok_cfb", "ok_cfd")}
        diff_param, diff_pred = 0.0, 0.0
        for _ in range(N_REPLICATES):
            error = np.clip(power_law(n, a, b, c) + rng.normal(0, 0.005, n.size), 0, 1)
            t, fit = timed(lambda error=error: fit_power_law(n, error))
            ours = (fit.a, fit.b, fit.c)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", OptimizeWarning)
                warnings.simplefilter("ignore", RuntimeWarning)
                t_b, out_b = timed(
                    lambda error=error: curve_fit(
                        power_law, n, error, bounds=([0, 0, 0], [np.inf, B_MAX, 1])
                    )
                )
                t_d, out_d = timed(lambda error=error: curve_fit(power_law, n, error, maxfev=5000))
            cfb = None if out_b is None else out_b[0]
            cfd = None if out_d is None else out_d[0]
            stats["t_ours"].append(t)
            stats["t_cfb"].append(t_b)
            stats["t_cfd"].append(t_d)
            stats["ok_ours"].append(recovered(ours, b))
            stats["ok_cfb"].append(recovered(cfb, b))
            stats["ok_cfd"].append(recovered(cfd, b))
            if cfb is not None:
                diff_param = max(diff_param, float(np.abs(np.subtract(ours, cfb)).max()))
                diff_pred = max(
                    diff_pred, abs(float(power_law(25_600, *ours) - power_law(25_600, *cfb)))
                )
        rows.append(
            {
                "true (a, b, c)": f"({a:g}, {b:g}, {c:g})",
                "ours (ms)": 1000 * np.mean(stats["t_ours"]),
                "cf bounded (ms)": 1000 * np.mean(stats["t_cfb"]),
                "cf default (ms)": 1000 * np.mean(stats["t_cfd"]),
                "ours ok": np.mean(stats["ok_ours"]),
                "cf bounded ok": np.mean(stats["ok_cfb"]),
                "cf default ok": np.mean(stats["ok_cfd"]),
                "max |Δparam| ours-cfb": diff_param,
                "max |Δpred@25600|": diff_pred,
            }
        )
    table = pd.DataFrame(rows).set_index("true (a, b, c)")
    with pd.option_context("display.width", 200, "display.precision", 3):
        print(f"{N_REPLICATES} noisy replicates per curve, {n.size} points each\n")
        print(table.to_string(float_format=lambda x: f"{x:.3g}"))

    curve = pd.DataFrame({"n": n, "error": power_law(n, 3.0, 0.6, 0.05)})
    curve["error"] += rng.normal(0, 0.005, n.size)
    start = time.perf_counter()
    boot = fit_power_law_bootstrap(curve, n_boot=200, seed=0, progress=False)
    elapsed = time.perf_counter() - start
    print(
        f"\nfit_power_law_bootstrap, 200 replicates of a {n.size}-point curve: {elapsed:.2f} s "
        f"({boot.n_failed} failed fits)"
    )


if __name__ == "__main__":
    main()
