"""Scaling laws: learning curves, power-law fits, extrapolation and "how much data is enough".

A **learning curve** is the test error of a model as a function of the number of
training examples ``n``. Over a wide middle range, many learning curves follow a power
law plus a floor,

.. math:: E(n) = a \\, n^{-b} + c,

where ``b`` is the learning exponent and ``c >= 0`` the irreducible error (Hestness et
al., 2017, "Deep Learning Scaling is Predictable, Empirically", arXiv:1712.00409). This
module measures learning curves properly (stratified random subsets of a fixed training
pool, one fixed held-out test set), fits the power law with bounds and good starting
values, extrapolates it, puts a bootstrap interval around every derived number, and
compares the fit with the "last observed value" baseline that the Learning Curve
Database of Mohr et al. (2022) found hard to beat.

Taught in: notebooks/10_scaling_laws.ipynb.
"""

from __future__ import annotations

from .curves import learning_curve, plot_learning_curve, stratified_subset, summarize_curve
from .extrapolation import LastValueBaseline, extrapolation_error, last_value_baseline, pareto_front
from .power_law import (
    B_MAX,
    PowerLawBootstrap,
    PowerLawFit,
    PowerLawFitError,
    fit_power_law,
    fit_power_law_bootstrap,
    power_law,
)

__all__ = [
    "B_MAX",
    "LastValueBaseline",
    "PowerLawBootstrap",
    "PowerLawFit",
    "PowerLawFitError",
    "extrapolation_error",
    "fit_power_law",
    "fit_power_law_bootstrap",
    "last_value_baseline",
    "learning_curve",
    "pareto_front",
    "plot_learning_curve",
    "power_law",
    "stratified_subset",
    "summarize_curve",
]
