"""Profiling a table before writing its contract: per-column summaries (:func:`profile`),
the shapes of string values (:func:`string_patterns`) and the raw YouTube dates.

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_count, check_table
from .schema import _is_string_column, _kind_of

#: Strings that often stand for "missing" in raw files.
MISSING_TOKENS = ("?", "", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-")


# --- profiling -------------------------------------------------------------------------------


def profile(df: pd.DataFrame, *, missing_tokens: Sequence[str] = MISSING_TOKENS) -> pd.DataFrame:
    """One row per column: what a first look at raw data should report.

    Columns: ``dtype``, ``missing`` (real missing values), ``missing_tokens`` (strings
    such as ``"?"`` that stand for missing), ``padded`` (strings with leading or
    trailing whitespace), ``numeric_strings`` (share of non-missing strings that parse
    as numbers), ``distinct``, ``unique`` (every value distinct), ``min``, ``max`` and
    ``top`` (the most common value, ``repr`` so that whitespace shows).

    Examples
    --------
    >>> table = profile(pd.DataFrame({"a": [" x", "?", "y"]}))
    >>> table.loc["a", ["missing_tokens", "padded"]].tolist()
    [1, 1]
    """
    df = check_table(df, "df")
    tokens = list(missing_tokens)
    rows = []
    for name in df.columns:
        col = df[name]
        present = col.dropna()
        row = {"column": name, "dtype": str(col.dtype), "missing": int(col.isna().sum())}
        if _is_string_column(col):
            s = present.astype(str)
            stripped = s.str.strip()
            row["missing_tokens"] = int(stripped.isin(tokens).sum())
            row["padded"] = int((s != stripped).sum())
            numeric = pd.to_numeric(stripped[~stripped.isin(tokens)], errors="coerce")
            row["numeric_strings"] = float(numeric.notna().mean()) if numeric.size else 0.0
        else:
            row.update(missing_tokens=0, padded=0, numeric_strings=0.0)
        row["distinct"] = int(present.nunique())
        row["unique"] = bool(present.is_unique)
        orderable = _kind_of(col) in ("int", "float", "datetime")
        row["min"] = present.min() if orderable and present.size else None
        row["max"] = present.max() if orderable and present.size else None
        row["top"] = repr(present.value_counts().index[0]) if present.size else None
        rows.append(row)
    return pd.DataFrame(rows).set_index("column")


def string_patterns(values: Any, *, top: int = 10) -> pd.Series:
    """Counts of the *shapes* of strings: every digit becomes ``9``, every letter ``a``.

    A column of dates written in several formats shows one pattern per format
    (``"9999-99-99T99:99:99"`` and ``"9999-99-99T99:99:99.999999"``); missing values
    show as ``"<missing>"``.

    Examples
    --------
    >>> string_patterns(["2014-01-02", "02/01/2014", "2015-03-04"]).to_dict()
    {'9999-99-99': 2, '99/99/9999': 1}
    """
    if isinstance(values, str):
        raise TypeError(
            f"values must be a sequence of strings, not one string; wrap it: [{values!r}]."
        )
    if isinstance(values, pd.DataFrame) or (
        not isinstance(values, pd.Series) and np.ndim(np.asarray(values, dtype=object)) != 1
    ):
        raise ValueError(
            f"values must be 1-D (one column of strings), got {type(values).__name__} of shape "
            f"{np.shape(values)}. Pass one column, e.g. df['DATE']."
        )
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    if s.empty:
        raise ValueError("values is empty: give at least one string.")
    top = check_count(top, "top")
    shape = s.astype(object).where(s.notna(), None)
    shape = shape.map(
        lambda v: "<missing>" if v is None or v == "" else str(v),
    )
    shape = shape.str.replace(r"\d", "9", regex=True).str.replace(r"[A-Za-z]", "a", regex=True)
    shape = shape.where(s.notna() & (s.astype(object) != ""), "<missing>")
    return shape.value_counts().head(top).rename("rows")


def raw_youtube_dates() -> pd.DataFrame:
    """The YouTube Spam Collection's ``DATE`` field exactly as written in each file.

    Returns a DataFrame with ``video`` (1..5, as in ``load_youtube_spam``) and ``date``
    (the raw string; ``""`` where the file has none). Source and license: see
    :func:`dcai_course.datasets.load_youtube_spam`.
    """
    from ..datasets.registry import fetch_file
    from ..datasets.text import _YOUTUBE_FILES

    frames = []
    for video, name in enumerate(_YOUTUBE_FILES, start=1):
        raw = pd.read_csv(fetch_file(f"youtube_spam/{name}"), dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({"video": video, "date": raw["DATE"]}))
    return pd.concat(frames, ignore_index=True)
