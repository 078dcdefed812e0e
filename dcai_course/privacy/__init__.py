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

from ._common import EPS as EPS
from .dp import noisy_vote_counts
from .membership import ShadowAttack, loss_attack_scores, membership_experiment, per_example_loss
from .metrics import attack_metrics, roc_auc, roc_points, tpr_at_fpr
from .poisoning import (
    SANITIZERS,
    add_trigger,
    attack_success_rate,
    flip_labels,
    plant_backdoor,
    poisoning_experiment,
    sanitize_flags,
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
