"""Tabular data sets: UCI Adult, Wine Quality and Letter Recognition; scikit-learn's
bundled digits and breast cancer."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from .._validation import check_bool
from .registry import _check_name, fetch_file

#: The 26 classes of Letter Recognition, in label order (label 0 is "A").
LETTER_NAMES: list[str] = list(string.ascii_uppercase)

#: The 16 integer features of Letter Recognition, as named in its ``.names`` file.
LETTER_FEATURES: list[str] = [
    "x-box", "y-box", "width", "high", "onpix", "x-bar", "y-bar", "x2bar",
    "y2bar", "xybar", "x2ybr", "xy2br", "x-ege", "xegvy", "y-ege", "yegvx",
]  # fmt: skip


def load_letters(*, as_frame: bool = False) -> tuple[np.ndarray | pd.DataFrame, np.ndarray]:
    """UCI Letter Recognition: 20,000 letter images as 16 integer features, 26 classes.

    Parameters
    ----------
    as_frame : bool, default False
        Return ``X`` as a DataFrame with the feature names of :data:`LETTER_FEATURES`.

    Returns
    -------
    X : numpy.ndarray of shape (20000, 16), int64 (or a DataFrame)
        Features scaled by the authors to integers 0..15.
    y : numpy.ndarray of shape (20000,), int64
        Class indices 0..25; ``LETTER_NAMES[y]`` gives the letter.

    Notes
    -----
    Source: Slate (1991), UCI ML Repository, https://doi.org/10.24432/C5ZP40; Frey &
    Slate, Machine Learning 6(2), 1991. License: CC BY 4.0.
    Taught in: notebooks/02_confident_learning.ipynb.
    """
    raw = pd.read_csv(
        fetch_file("letter_recognition/letter-recognition.data"),
        header=None,
        names=["letter", *LETTER_FEATURES],
    )
    as_frame = check_bool(as_frame, "as_frame")
    y = raw["letter"].map({c: i for i, c in enumerate(LETTER_NAMES)}).to_numpy(np.int64)
    features = raw[LETTER_FEATURES].astype(np.int64)
    return (features if as_frame else features.to_numpy()), y


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled handwritten digits: 1,797 8×8 images, 10 classes (offline).

    Returns ``(X, y)`` with ``X`` of shape (1797, 64), pixel intensities 0..16, and
    ``y`` the digit. Reshape a row with ``x.reshape(8, 8)`` to see the image.

    Source: UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak, 1998),
    CC BY 4.0, bundled with scikit-learn. Taught in:
    notebooks/01_model_vs_data_centric.ipynb.
    """
    from sklearn.datasets import load_digits as _load

    X, y = _load(return_X_y=True)
    return X, y.astype(np.int64)


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled Breast Cancer Wisconsin (diagnostic): 569 × 30, binary.

    Returns ``(X, y)`` with ``y = 1`` for benign and ``0`` for malignant (scikit-learn's
    coding). Source: Wolberg, Street, Mangasarian (1995), UCI ML Repository, CC BY 4.0,
    bundled with scikit-learn. Taught in: notebooks/01_model_vs_data_centric.ipynb.
    """
    from sklearn.datasets import load_breast_cancer as _load

    X, y = _load(return_X_y=True)
    return X, y.astype(np.int64)


#: Adult's 14 attributes and its target, in file order (names from ``adult.names``,
#: with ``-`` written as ``_``).
ADULT_COLUMNS: list[str] = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
    "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
    "hours_per_week", "native_country", "income",
]  # fmt: skip
#: Adult's integer attributes; the other attributes are categories.
ADULT_NUMERIC: list[str] = [
    "age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week",
]  # fmt: skip
ADULT_CATEGORICAL: list[str] = [c for c in ADULT_COLUMNS[:-1] if c not in ADULT_NUMERIC]
_ADULT_SPLITS = {"train": "adult/adult.data", "test": "adult/adult.test"}


def load_adult(split: str = "train", *, clean: bool = True) -> pd.DataFrame:
    """UCI Adult (Census Income): 48,842 people from the 1994 US census, income > $50K.

    Parameters
    ----------
    split : {"train", "test"}
        ``"train"`` is ``adult.data`` (32,561 rows), ``"test"`` is ``adult.test``
        (16,281 rows; its first line, ``|1x3 Cross validator``, is skipped).
    clean : bool, default True
        ``True``: whitespace stripped, ``?`` read as missing (``NaN``), the integer
        attributes as ``int64``, and the test file's labels without their trailing
        period, so that both splits share the labels ``"<=50K"`` and ``">50K"``.
        ``False``: every field exactly as written in the file, as strings (leading
        spaces, ``?`` and ``">50K."`` included): the raw material of the data-validation
        lesson.

    Returns
    -------
    pandas.DataFrame
        One row per person in file order, with the columns of :data:`ADULT_COLUMNS`.
        Cleaned, the train split has 2,399 rows (4,262 cells) with a missing value, the
        test split 1,221 rows (2,203 cells).

    Notes
    -----
    Source: Becker & Kohavi (1996), UCI ML Repository, https://doi.org/10.24432/C5XW20;
    Kohavi, KDD-96. License: CC BY 4.0. Pinned copy: see :data:`REGISTRY`.
    """
    _check_name(split, _ADULT_SPLITS, "split of Adult", "split")
    clean = check_bool(clean, "clean")
    raw = pd.read_csv(
        fetch_file(_ADULT_SPLITS[split]),
        header=None,
        names=ADULT_COLUMNS,
        dtype=str,
        skiprows=1 if split == "test" else 0,
        na_filter=False,
        skipinitialspace=False,
    )
    if not clean:
        return raw
    frame = raw.apply(lambda col: col.str.strip()).replace("?", np.nan)
    frame["income"] = frame["income"].str.rstrip(".")
    frame[ADULT_NUMERIC] = frame[ADULT_NUMERIC].astype(np.int64)
    return frame


def adult_preprocessor():
    """An unfitted scikit-learn transformer for cleaned Adult rows (any split).

    Integer attributes are standardised; categories are one-hot encoded with missing
    values as their own category and categories unseen in training ignored. Fit it on
    training rows only (``make_pipeline(adult_preprocessor(), model)``).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False),
    )
    return ColumnTransformer(
        [
            ("numeric", StandardScaler(), ADULT_NUMERIC),
            ("categories", categories, ADULT_CATEGORICAL),
        ]
    )


_WINE_COLORS = {"red": "wine_quality/winequality-red.csv",
                "white": "wine_quality/winequality-white.csv", "both": None}  # fmt: skip


def load_wine_quality(color: str = "both") -> pd.DataFrame:
    """UCI Wine Quality: Portuguese *vinho verde* wines, 11 lab measurements and a grade.

    Parameters
    ----------
    color : {"red", "white", "both"}
        ``"red"`` (1,599 wines), ``"white"`` (4,898) or both (6,497, reds first).

    Returns
    -------
    pandas.DataFrame
        One row per wine in file order: the 11 physicochemical measurements (column
        names as in the file, spaces written as ``_``, all float64), ``quality`` (a
        median of expert grades, 0..10, int64) and ``color`` (``"red"`` or ``"white"``).
        No values are missing.

    Notes
    -----
    Source: Cortez et al., Decision Support Systems 47(4), 2009; UCI ML Repository,
    https://doi.org/10.24432/C56S3T. License: CC BY 4.0.
    """
    _check_name(color, _WINE_COLORS, "wine color", "color")
    colors = ["red", "white"] if color == "both" else [color]
    frames = []
    for name in colors:
        frame = pd.read_csv(fetch_file(_WINE_COLORS[name]), sep=";")
        frame.columns = [c.replace(" ", "_") for c in frame.columns]
        frame["quality"] = frame["quality"].astype(np.int64)
        frame["color"] = name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
