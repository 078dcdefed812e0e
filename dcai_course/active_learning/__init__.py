"""Active learning: choosing which examples to label next, measured offline and honestly.

Pool-based active learning starts from a small labelled set and a large unlabelled pool.
Each round a model is trained on the labelled set, a *strategy* picks a batch of pool
examples, an *oracle* (a person, here a simulation that may be noisy) labels them, and
the model is retrained. This module offers

* uncertainty scores computed from predicted probabilities: :func:`least_confidence`,
  :func:`margin` and :func:`entropy` (for all three, **higher means more informative**);
* batch strategies: :func:`random_sampling`, :func:`uncertainty_sampling`, the core-set
  method :func:`k_center_greedy` (Sener & Savarese, ICLR 2018) and one hybrid,
  :func:`margin_k_center` (the most uncertain candidates, spread out by k-center);
* the loop, :func:`active_learning_round` and :func:`run_active_learning`, with the
  labelled set kept as a boolean mask over the pool, and :func:`compare_strategies`
  over several seeds (:func:`compare_over_splits`: each seed with its own split);
* summaries of the resulting learning curves: :func:`learning_curve_summary` (mean and
  confidence band), :func:`area_under_curve`, :func:`labels_to_reach` and
  :func:`strategy_table`, and :func:`plot_learning_curves`;
* noisy annotators: :func:`annotator_oracle` (one simulated answer per item) and
  :func:`run_relabeling` (several annotators per item, where a strategy may ask for a
  new label of an already labelled item, as cleanlab's ActiveLab does).

Everything is offline: the "oracle" is a vector of labels that were known all along and
revealed only when an example is queried, so every strategy is scored on the same clean
test split that no strategy ever queries.

Taught in: notebooks/11_active_learning.ipynb.
"""

from __future__ import annotations

from .activelab import (  # noqa: F401 (RELABELING_STRATEGIES, _consensus: used by tests)
    RELABELING_STRATEGIES,
    _consensus,
    annotator_oracle,
    run_relabeling,
)
from .curves import (
    area_under_curve,
    labels_to_reach,
    learning_curve_summary,
    plot_learning_curves,
    strategy_table,
)
from .diversity import _CENTER_CHUNK, k_center_greedy, margin_k_center  # noqa: F401
from .loop import STRATEGIES, active_learning_round, compare_strategies, run_active_learning
from .resplit import compare_over_splits
from .scores import entropy, least_confidence, margin, random_sampling, uncertainty_sampling

__all__ = [
    "STRATEGIES",
    "active_learning_round",
    "annotator_oracle",
    "area_under_curve",
    "compare_over_splits",
    "compare_strategies",
    "entropy",
    "k_center_greedy",
    "labels_to_reach",
    "learning_curve_summary",
    "least_confidence",
    "margin",
    "margin_k_center",
    "plot_learning_curves",
    "random_sampling",
    "run_active_learning",
    "run_relabeling",
    "strategy_table",
    "uncertainty_sampling",
]
