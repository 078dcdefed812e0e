"""dcai_course: the companion package of the Data-Centric AI notebook course.

One module per topic, each implementing the lesson's algorithm from scratch (and checked
against the field's reference library in the tests):

========================  ===========================================================
``datasets``, ``noise``   real data through a pinned registry; synthetic label noise
``model_vs_data``         01: model-centric versus data-centric experiments
``evidence``              mean and 95% interval over seeds, paired counts (every notebook)
``label_errors``          02: confident learning
``aggregation``           04, 05: majority vote and Dawid-Skene
``weak_supervision``      04: labeling functions, LF analysis, probabilistic labels
``crowdsourcing``         05: agreement, kappa, annotator quality, redundancy
``scaling``               10: learning curves, power-law fits, samples needed
``active_learning``       11: uncertainty and diversity sampling, the loop, ActiveLab
``quality``               06: duplicates, leakage, outliers, imbalance; the audit
``curation``              14: quality-score compression, augmentation, the flywheel
``grading``               labs: exercises from solutions, ``check``, the autograder
``course``, ``site``      the course map, the README table and the static site
``environment``           ``check_environment`` and the environment report
========================  ===========================================================
"""

from __future__ import annotations

__version__ = "0.1.0"

from .environment import check_environment  # needs __version__ above

__all__ = ["__version__", "check", "check_environment"]


def check(question_id: str, obj=None) -> None:
    """Run a lab question's public tests on your answer (see :func:`grading.check`)."""
    from .grading.checks import check as _check

    _check(question_id, obj)
