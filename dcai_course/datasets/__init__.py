"""Real data sets for the course, offline first.

Two kinds of data are used:

* scikit-learn's bundled sets (digits, breast cancer), which need no network;
* files fetched once through a single `pooch <https://www.fatiando.org/pooch>`_ registry,
  each pinned to an exact URL and SHA-256 checksum (see :data:`REGISTRY`).

The cache folder is read from the environment variable ``DCAI_COURSE_DATA``; when it is
not set, the user's cache folder is used (``pooch.os_cache("dcai-course")``, e.g.
``~/.cache/dcai-course`` on Linux). A file that is already in the cache is checked
against its checksum and never downloaded again; a file that is missing is downloaded
to a temporary name and moved into place only once its checksum matches, so a broken
download never leaves a partial file behind.

Taught in: notebooks/01_model_vs_data_centric.ipynb (every later notebook uses it).
"""

from __future__ import annotations

from .crowd import load_crowd
from .images import load_mnist
from .label_errors import LABEL_ERROR_SETS, LabelErrorsSet, load_label_errors
from .registry import (
    DATA_ENV_VAR,
    REGISTRY,
    DataChecksumError,
    DataFile,
    DataUnavailableError,
    cache_status,
    data_dir,
    fetch_file,
)
from .tabular import (
    ADULT_CATEGORICAL,
    ADULT_COLUMNS,
    ADULT_NUMERIC,
    LETTER_FEATURES,
    LETTER_NAMES,
    adult_preprocessor,
    load_adult,
    load_breast_cancer,
    load_digits,
    load_letters,
    load_wine_quality,
)
from .text import YouTubeSpamSplits, load_youtube_spam, youtube_spam_splits

__all__ = [
    "ADULT_CATEGORICAL",
    "ADULT_COLUMNS",
    "ADULT_NUMERIC",
    "DATA_ENV_VAR",
    "LABEL_ERROR_SETS",
    "LETTER_FEATURES",
    "LETTER_NAMES",
    "REGISTRY",
    "DataChecksumError",
    "DataFile",
    "DataUnavailableError",
    "LabelErrorsSet",
    "YouTubeSpamSplits",
    "adult_preprocessor",
    "cache_status",
    "data_dir",
    "fetch_file",
    "load_adult",
    "load_breast_cancer",
    "load_crowd",
    "load_digits",
    "load_label_errors",
    "load_letters",
    "load_mnist",
    "load_wine_quality",
    "load_youtube_spam",
    "youtube_spam_splits",
]
