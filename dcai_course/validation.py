"""Data validation and reproducible data pipelines: schemas, drift checks, content hashes.

What a production team does before any model sees a batch of data:

* **profile** it (:func:`profile`, :func:`string_patterns`), **infer a schema** from a
  trusted sample (:func:`infer_schema`) and tighten it by hand (:meth:`Schema.with_rule`);
* **validate** every new batch against the schema (:func:`validate`), one row per
  violation (row, column, rule, value), and the same checks with ``pandera``
  (:func:`to_pandera`, :func:`pandera_violations`);
* compare each batch's **distributions** with the training data: the population
  stability index (:func:`psi`) and a two-sample test per column (:func:`ks_2sample`
  for numbers, :func:`chi2_2sample` for categories), gathered by :func:`drift_report`;
* **hash** data sets (:func:`hash_frame`, :func:`hash_array`, :func:`content_hash`) and
  record the hash of every step's output in a small pipeline (:class:`DataPipeline`) so
  that the exact data a model was trained on can be named and rebuilt.

The same checks are cheap enough for millions of rows: every check is one vectorised
pass over a column (``benchmarks/bench_validation.py`` times them against pandera).

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._validation import as_rng, check_bool, check_count, check_float, check_str, check_table

__all__ = [
    "VIOLATION_COLUMNS",
    "ColumnRule",
    "DataPipeline",
    "Schema",
    "break_batch",
    "chi2_2sample",
    "content_hash",
    "drift_report",
    "hash_array",
    "hash_frame",
    "infer_schema",
    "ks_2sample",
    "pandera_violations",
    "profile",
    "psi",
    "raw_youtube_dates",
    "string_patterns",
    "to_pandera",
    "validate",
]

#: The columns of a violation table, in order.
VIOLATION_COLUMNS = ["row", "column", "rule", "value"]
_KINDS = ("int", "float", "category", "string", "datetime")
#: Strings that often stand for "missing" in raw files.
MISSING_TOKENS = ("?", "", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-")


# --- schema ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRule:
    """The contract of one column.

    Parameters
    ----------
    kind : {"int", "float", "category", "string", "datetime"}
        ``int``: any integer dtype; ``float``: a float dtype (an integer column is
        accepted too); ``category`` and ``string``: strings (``category`` with
        ``allowed``); ``datetime``: a datetime64 dtype.
    nullable : bool
        Whether missing values are allowed.
    minimum, maximum : float, optional
        Inclusive bounds for ``int`` and ``float`` columns (missing values are not checked).
    allowed : tuple of str, optional
        The allowed values of a ``category`` column.
    unique : bool
        Whether the non-missing values must all be distinct.
    """

    kind: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    unique: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}.")
        for bound in ("minimum", "maximum"):
            value = getattr(self, bound)
            if value is not None and (
                isinstance(value, bool | np.bool_) or not isinstance(value, Real)
            ):
                raise TypeError(
                    f"{bound} must be a number or None, got {type(value).__name__} {value!r}."
                )
            if value is not None and np.isnan(value):
                raise ValueError(f"{bound} is NaN: give a number, or None for no bound.")
        if self.kind not in ("int", "float") and (
            self.minimum is not None or self.maximum is not None
        ):
            raise ValueError(
                f"minimum/maximum only apply to int and float columns, not {self.kind!r}."
            )
        if self.allowed is not None:
            if self.kind != "category":
                raise ValueError("allowed values only apply to kind='category' columns.")
            if isinstance(self.allowed, str) or not all(isinstance(v, str) for v in self.allowed):
                raise TypeError(
                    "allowed must be a tuple of strings, e.g. ('Male', 'Female'), "
                    f"got {self.allowed!r}."
                )
            object.__setattr__(self, "allowed", tuple(self.allowed))
        if (
            self.minimum is not None
            and self.maximum is not None
            and float(self.minimum) > float(self.maximum)
        ):
            raise ValueError(f"minimum {self.minimum} is above maximum {self.maximum}.")


@dataclass(frozen=True)
class Schema:
    """A data contract: one :class:`ColumnRule` per expected column.

    ``strict=True`` makes every column not in the schema a violation (``column_extra``).
    Build one with :func:`infer_schema` and tighten it with :meth:`with_rule`.
    """

    columns: Mapping[str, ColumnRule]
    strict: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.columns, Mapping) or not self.columns:
            raise ValueError(
                "columns must be a non-empty dict {column name: ColumnRule}, got "
                f"{type(self.columns).__name__} {self.columns!r}."
            )
        for name, rule in self.columns.items():
            if not isinstance(rule, ColumnRule):
                raise TypeError(
                    f"the rule of column {name!r} must be a ColumnRule, got {type(rule).__name__}."
                )
        object.__setattr__(self, "columns", dict(self.columns))

    def with_rule(self, column: str, **changes: Any) -> Schema:
        """A copy with the rule of ``column`` changed (e.g. ``minimum=17``, ``nullable=True``).

        Examples
        --------
        >>> s = Schema({"age": ColumnRule("int", minimum=17, maximum=90)})
        >>> s.with_rule("age", maximum=100).columns["age"].maximum
        100
        """
        column = check_str(column, "column")
        if column not in self.columns:
            raise ValueError(f"no column {column!r} in the schema; it has {list(self.columns)}.")
        rule = replace(self.columns[column], **changes)
        return replace(self, columns={**self.columns, column: rule})

    def to_frame(self) -> pd.DataFrame:
        """The schema as a table, one row per column (for display)."""
        rows = []
        for name, r in self.columns.items():
            allowed = None if r.allowed is None else f"{len(r.allowed)} values"
            rows.append(
                {"column": name, "kind": r.kind, "nullable": r.nullable, "minimum": r.minimum,
                 "maximum": r.maximum, "allowed": allowed, "unique": r.unique}
            )  # fmt: skip
        return pd.DataFrame(rows).set_index("column")


def _is_string_column(col: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(col.dtype) or (
        col.dtype == object and col.dropna().map(type).eq(str).all()
    )


def _kind_of(col: pd.Series) -> str | None:
    """The kind a column's dtype satisfies (None if no kind fits)."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return None
    if pd.api.types.is_integer_dtype(col.dtype):
        return "int"
    if pd.api.types.is_float_dtype(col.dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return "datetime"
    if _is_string_column(col):
        return "string"
    return None


def infer_schema(df: pd.DataFrame, *, max_categories: int = 50, strict: bool = True) -> Schema:
    """A first schema from a trusted sample: what it *is* becomes what every batch must be.

    Parameters
    ----------
    df : pandas.DataFrame
        A sample you trust (cleaned, reviewed).
    max_categories : int, default 50
        A string column with at most this many distinct values becomes a ``category``
        with those values allowed; otherwise a free ``string``.
    strict : bool, default True
        Whether columns not in ``df`` are violations in later batches.

    Returns
    -------
    Schema
        Kind from the dtype; ``nullable`` if the sample has a missing value; observed
        minimum and maximum of numeric columns; allowed values of categories;
        ``unique`` when every value of an int or string column is distinct. Review it:
        an inferred schema only knows the sample (tighten or loosen with
        :meth:`Schema.with_rule`).

    Examples
    --------
    >>> df = pd.DataFrame({"age": [25, 40, 61], "sex": ["Male", "Female", "Male"]})
    >>> s = infer_schema(df)
    >>> s.columns["age"].minimum, s.columns["sex"].allowed
    (25, ('Female', 'Male'))
    """
    df = check_table(df, "df")
    max_categories = check_count(max_categories, "max_categories")
    strict = check_bool(strict, "strict")
    rules = {}
    for name in df.columns:
        col = df[name]
        kind = _kind_of(col)
        if kind is None:
            raise TypeError(
                f"column {name!r} has dtype {col.dtype}, which no schema kind covers; "
                "convert it to numbers, strings or datetimes first."
            )
        values = col.dropna()
        nullable = bool(col.isna().any())
        unique = kind in ("int", "string") and values.size > 1 and values.is_unique
        if kind in ("int", "float") and values.size:
            lo, hi = values.min(), values.max()
            cast = int if kind == "int" else float
            rules[name] = ColumnRule(kind, nullable, cast(lo), cast(hi), unique=unique)
        elif kind == "string" and values.nunique() <= max_categories and not unique:
            allowed = tuple(sorted(str(v) for v in values.unique()))
            rules[name] = ColumnRule("category", nullable, allowed=allowed)
        else:
            rules[name] = ColumnRule(kind, nullable, unique=unique)
    return Schema(rules, strict=strict)


# --- validation ------------------------------------------------------------------------------


def _rows(df: pd.DataFrame, column: str, rule: str, mask: np.ndarray) -> pd.DataFrame:
    where = np.flatnonzero(mask)
    return pd.DataFrame(
        {"row": df.index[where], "column": column, "rule": rule,
         "value": df[column].iloc[where].astype(object).to_numpy()}
    )  # fmt: skip


def _column_level(column: str, rule: str, value: Any) -> pd.DataFrame:
    return pd.DataFrame({"row": [None], "column": [column], "rule": [rule], "value": [value]})


def _dtype_ok(col: pd.Series, kind: str) -> bool:
    have = _kind_of(col)
    if kind in ("category", "string"):
        return have == "string"
    if kind == "float":
        return have in ("float", "int")
    return have == kind


def validate(df: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Every violation of ``schema`` in ``df``, one row each: row, column, rule, value.

    Rules, in the order they are checked per column:

    * ``column_missing`` / ``column_extra`` (``row`` is None): a schema column absent from
      ``df``; a ``df`` column not in a strict schema;
    * ``dtype`` (``row`` is None, ``value`` the dtype): the column's dtype does not fit
      the kind (numbers stored as strings, say). Its values are then not checked further;
    * ``not_null``: a missing value where the column is not nullable;
    * ``minimum`` / ``maximum``: a number outside the inclusive bounds;
    * ``allowed``: a category not in the allowed values;
    * ``unique``: every copy of a value that appears more than once.

    Parameters
    ----------
    df : pandas.DataFrame
        The batch to check; ``row`` holds its index labels.
    schema : Schema
        The contract.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VIOLATION_COLUMNS`; empty when ``df`` meets the contract.

    Examples
    --------
    >>> s = Schema({"age": ColumnRule("int", minimum=17, maximum=90)})
    >>> validate(pd.DataFrame({"age": [30, 12, 95]}), s)[["row", "rule", "value"]].values.tolist()
    [[1, 'minimum', 12], [2, 'maximum', 95]]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    if not isinstance(schema, Schema):
        raise TypeError(f"schema must be a Schema (see infer_schema), got {type(schema).__name__}.")
    if df.columns.has_duplicates:
        raise ValueError("df has repeated column names; give every column its own name.")
    parts = []
    for name, rule in schema.columns.items():
        if name not in df.columns:
            parts.append(_column_level(name, "column_missing", None))
            continue
        col = df[name]
        if not _dtype_ok(col, rule.kind):
            parts.append(_column_level(name, "dtype", str(col.dtype)))
            continue
        null = col.isna().to_numpy()
        if not rule.nullable and null.any():
            parts.append(_rows(df, name, "not_null", null))
        if rule.minimum is not None:
            parts.append(_rows(df, name, "minimum", (col < rule.minimum).to_numpy(bool)))
        if rule.maximum is not None:
            parts.append(_rows(df, name, "maximum", (col > rule.maximum).to_numpy(bool)))
        if rule.allowed is not None:
            parts.append(_rows(df, name, "allowed", ~col.isin(rule.allowed).to_numpy() & ~null))
        if rule.unique:
            parts.append(_rows(df, name, "unique", col.duplicated(keep=False).to_numpy() & ~null))
    if schema.strict:
        extra = [c for c in df.columns if c not in schema.columns]
        parts += [_column_level(c, "column_extra", None) for c in extra]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VIOLATION_COLUMNS})
    return pd.concat(parts, ignore_index=True)


# --- the reference library: pandera ------------------------------------------------------------

_PANDERA_DTYPES = {"int": "int64", "float": "float64", "category": str, "string": str,
                   "datetime": "datetime64[ns]"}  # fmt: skip


def to_pandera(schema: Schema):
    """The same contract as a ``pandera`` ``DataFrameSchema`` (no coercion).

    ``int`` becomes ``int64``, ``float`` ``float64``, ``category``/``string`` ``str`` and
    ``datetime`` ``datetime64[ns]``; bounds become ``Check.ge``/``Check.le``, allowed
    values ``Check.isin``. (pandera's dtypes are exact: an int32 column fails ``int64``,
    where :func:`validate` accepts any integer dtype.)
    """
    import pandera.pandas as pa

    if not isinstance(schema, Schema):
        raise TypeError(f"schema must be a Schema, got {type(schema).__name__}.")
    columns = {}
    for name, r in schema.columns.items():
        checks = []
        if r.minimum is not None:
            checks.append(pa.Check.ge(r.minimum))
        if r.maximum is not None:
            checks.append(pa.Check.le(r.maximum))
        if r.allowed is not None:
            checks.append(pa.Check.isin(list(r.allowed)))
        columns[name] = pa.Column(
            _PANDERA_DTYPES[r.kind], checks, nullable=r.nullable, unique=r.unique
        )
    return pa.DataFrameSchema(columns, strict=schema.strict)


def _pandera_rule(check: str) -> str:
    for prefix, rule in (
        ("not_nullable", "not_null"), ("greater_than_or_equal_to", "minimum"),
        ("less_than_or_equal_to", "maximum"), ("isin", "allowed"), ("field_uniqueness", "unique"),
        ("column_in_dataframe", "column_missing"), ("column_in_schema", "column_extra"),
        ("dtype", "dtype"),
    ):  # fmt: skip
        if check.startswith(prefix):
            return rule
    return check


def pandera_violations(df: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Run pandera with :func:`to_pandera` (lazily, every failure) as a violation table.

    pandera's ``failure_cases`` are renamed to the rules of :func:`validate`, so that the
    two tables can be compared row for row (see :func:`violation_keys`).
    """
    import pandera.pandas as pa

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    try:
        to_pandera(schema).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VIOLATION_COLUMNS})
    column = np.where(
        cases["column"].isna() | cases["check"].astype(str).str.startswith("column_in"),
        cases["failure_case"].astype(object),
        cases["column"].astype(object),
    )
    table = pd.DataFrame(
        {
            "row": cases["index"].astype(object).where(cases["index"].notna(), None),
            "column": column,
            "rule": cases["check"].astype(str).map(_pandera_rule),
            "value": cases["failure_case"].astype(object),
        }
    )
    # On a column of the wrong dtype pandera still runs its value checks, which then fail
    # as a whole (a TypeError comparing strings with numbers); validate() reports the
    # dtype alone, so those column-level errors are dropped here.
    wrong_dtype = table.loc[table["rule"] == "dtype", "column"]
    noise = table["column"].isin(wrong_dtype) & (table["rule"] != "dtype") & table["row"].isna()
    return table[~noise].reset_index(drop=True)


def violation_keys(table: pd.DataFrame) -> set[tuple]:
    """The set of ``(row, column, rule)`` of a violation table, to compare two tables."""
    table = check_table(table, "table", VIOLATION_COLUMNS) if len(table) else table
    return {
        (None if r is None or (isinstance(r, float) and np.isnan(r)) else r, c, u)
        for r, c, u in zip(table["row"], table["column"], table["rule"], strict=True)
    }


__all__.append("violation_keys")


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
    from .datasets.registry import fetch_file
    from .datasets.text import _YOUTUBE_FILES

    frames = []
    for video, name in enumerate(_YOUTUBE_FILES, start=1):
        raw = pd.read_csv(fetch_file(f"youtube_spam/{name}"), dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({"video": video, "date": raw["DATE"]}))
    return pd.concat(frames, ignore_index=True)


# --- distribution checks ---------------------------------------------------------------------


def _sample(values: Any, name: str) -> pd.Series:
    if isinstance(values, str | pd.DataFrame):
        raise TypeError(
            f"{name} must be one sample (a 1-D array or a Series), got {type(values).__name__}. "
            "Pass one column, e.g. df['age']."
        )
    if not isinstance(values, pd.Series) and np.ndim(values) != 1:
        raise ValueError(
            f"{name} must be a non-empty 1-D sample, got shape {np.shape(values)}. "
            "Pass one column, e.g. X[:, 0]."
        )
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if s.ndim != 1 or s.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sample, got {s.size} values.")
    return s.reset_index(drop=True)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def _shares(expected: pd.Series, actual: pd.Series, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of each sample in each bin (quantile bins of ``expected``; NaN its own bin)."""
    if _is_numeric(expected) and _is_numeric(actual):
        ref = expected.dropna().to_numpy(float)
        if ref.size:
            inner = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
        else:
            inner = np.array([])

        def counts(s):
            v = s.to_numpy(float)
            nan = np.isnan(v)
            c = np.bincount(np.searchsorted(inner, v[~nan], side="right"), minlength=inner.size + 1)
            return np.r_[c, nan.sum()]
    else:
        cats = pd.Index(pd.concat([expected, actual]).dropna().astype(str).unique())

        def counts(s):
            codes = cats.get_indexer(s.dropna().astype(str))
            return np.r_[np.bincount(codes, minlength=cats.size), s.isna().sum()]

    e, a = counts(expected), counts(actual)
    return e / e.sum(), a / a.sum()


def psi(expected: Any, actual: Any, *, bins: int = 10, eps: float = 1e-4) -> float:
    """Population stability index of ``actual`` against ``expected``.

    ``PSI = sum_b (a_b - e_b) * ln(a_b / e_b)`` over bins ``b``, where ``e_b`` and
    ``a_b`` are the shares of each sample in the bin. For numbers the bins are the
    ``bins`` quantile bins of ``expected`` (edges at its inner quantiles, merged when
    equal; the outer bins are open); for strings, one bin per category. Missing values
    are a bin of their own, so a column that turns to nulls shows. Shares are floored at
    ``eps`` so that an empty bin gives a large, finite value.

    Rule of thumb (Siddiqi 2006): below 0.1 stable, 0.1 to 0.25 a moderate shift, above
    0.25 a major shift. PSI is the symmetrised Kullback-Leibler divergence
    ``KL(a||e) + KL(e||a)`` of the binned shares.

    Parameters
    ----------
    expected, actual : array-like or pandas.Series
        The reference sample (the training data) and the new batch, same kind of values.
    bins : int, default 10
    eps : float, default 1e-4

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(psi(rng.normal(size=5000), rng.normal(size=5000)), 3) < 0.01
    True
    >>> round(psi(["a"] * 50 + ["b"] * 50, ["a"] * 90 + ["b"] * 10), 3)
    0.879
    """
    e_s, a_s = _sample(expected, "expected"), _sample(actual, "actual")
    bins = check_count(bins, "bins", minimum=2)
    eps = check_float(eps, "eps", minimum=0, maximum=0.5, strict=True)
    e, a = _shares(e_s, a_s, bins)
    e, a = np.maximum(e, eps), np.maximum(a, eps)
    return float(np.sum((a - e) * np.log(a / e)))


def ks_2sample(a: Any, b: Any) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov test: the statistic and its asymptotic p-value.

    The statistic is the largest gap between the two empirical distribution functions,
    evaluated at every observed value; the p-value is that of the Kolmogorov distribution
    with ``n = round(n_a n_b / (n_a + n_b))`` (as ``scipy.stats.ks_2samp`` with
    ``method="asymp"``). Missing values are dropped.

    Examples
    --------
    >>> d, p = ks_2sample([1, 2, 3, 4], [3, 4, 5, 6])
    >>> d
    0.5
    """
    samples = _sample(a, "a"), _sample(b, "b")
    for name, sample in zip("ab", samples, strict=True):
        if not _is_numeric(sample):
            raise TypeError(
                f"{name} must hold numbers (KS compares numeric distributions), got dtype "
                f"{sample.dtype}. For categories use chi2_2sample."
            )
    x, y = (sample.dropna().to_numpy(float) for sample in samples)
    if x.size == 0 or y.size == 0:
        raise ValueError("ks_2sample needs at least one non-missing value in each sample.")
    x, y = np.sort(x), np.sort(y)
    grid = np.concatenate([x, y])
    cdf_x = np.searchsorted(x, grid, side="right") / x.size
    cdf_y = np.searchsorted(y, grid, side="right") / y.size
    d = float(np.max(np.abs(cdf_x - cdf_y)))
    n = np.round(x.size * y.size / (x.size + y.size))
    return d, float(np.clip(stats.kstwo.sf(d, n), 0.0, 1.0))


def chi2_2sample(a: Any, b: Any) -> tuple[float, float]:
    """Chi-square test that two samples of categories share one distribution.

    A 2 × K contingency table of category counts (categories seen in either sample;
    missing values are a category of their own) and Pearson's statistic without
    continuity correction, as ``scipy.stats.chi2_contingency(table, correction=False)``.
    Returns ``(statistic, p_value)``; a single category in both gives ``(0.0, 1.0)``.

    Examples
    --------
    >>> round(chi2_2sample(["a"] * 50 + ["b"] * 50, ["a"] * 50 + ["b"] * 50)[1], 3)
    1.0
    """
    x = _sample(a, "a").astype(object).fillna("<missing>").astype(str)
    y = _sample(b, "b").astype(object).fillna("<missing>").astype(str)
    cats = pd.Index(pd.concat([x, y]).unique())
    table = np.vstack(
        [np.bincount(cats.get_indexer(s), minlength=cats.size) for s in (x, y)]
    ).astype(float)
    if cats.size < 2:
        return 0.0, 1.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(stats.chi2.sf(statistic, cats.size - 1))


def drift_report(
    reference: pd.DataFrame,
    batch: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    bins: int = 10,
    psi_threshold: float = 0.25,
    alpha: float = 0.001,
) -> pd.DataFrame:
    """Per column: PSI and a two-sample test of ``batch`` against ``reference``.

    Numeric columns get :func:`ks_2sample`, others :func:`chi2_2sample`. A column is
    flagged (``drift``) when its PSI exceeds ``psi_threshold`` *or* the test's p-value is
    below ``alpha`` (a small alpha, because a large batch makes tiny, harmless shifts
    significant). Columns absent from ``batch`` are skipped (the schema reports them).

    Returns
    -------
    pandas.DataFrame
        Indexed by column: ``test``, ``statistic``, ``p_value``, ``psi``, ``drift``.
    """
    reference = check_table(reference, "reference")
    batch = check_table(batch, "batch")
    alpha = check_float(alpha, "alpha", minimum=0, maximum=1, strict=True)
    psi_threshold = check_float(psi_threshold, "psi_threshold", minimum=0, strict=True)
    columns = list(reference.columns) if columns is None else list(columns)
    missing = [c for c in columns if c not in reference.columns]
    if missing:
        raise ValueError(
            f"columns {missing} are not in reference; it has {list(reference.columns)}."
        )
    rows = []
    for name in columns:
        if name not in batch.columns:
            continue
        ref, new = reference[name], batch[name]
        numeric = _is_numeric(ref) and _is_numeric(new)
        if numeric and new.notna().any():
            stat, p = ks_2sample(ref, new)
            test = "ks"
        else:
            stat, p = chi2_2sample(ref, new)
            test = "chi2"
        value = psi(ref, new, bins=bins)
        rows.append({"column": name, "test": test, "statistic": stat, "p_value": p, "psi": value,
                     "drift": bool(value > psi_threshold or p < alpha)})  # fmt: skip
    return pd.DataFrame(rows).set_index("column")


# --- broken batches --------------------------------------------------------------------------

#: The ways :func:`break_batch` breaks an Adult batch.
BREAKS = ("renamed_category", "unit_change", "null_column", "silent_shift")
__all__.append("BREAKS")


def break_batch(batch: pd.DataFrame, how: str, *, seed: Any = None) -> pd.DataFrame:
    """A cleaned Adult batch broken the way real upstream changes break data.

    * ``"renamed_category"``: ``workclass`` "Private" written "private" (a new upstream
      form);
    * ``"unit_change"``: ``hours_per_week`` reported per month (× 4.33, rounded);
    * ``"null_column"``: ``occupation`` entirely missing (a failed join);
    * ``"silent_shift"``: the batch resampled (same size, with replacement) with weights
      rising with ``education_num``: every value is valid, only the mix changes.

    ``seed`` is only used by ``"silent_shift"``. Returns a new DataFrame.
    """
    batch = check_table(batch, "batch", ["workclass", "hours_per_week", "occupation",
                                         "education_num"])  # fmt: skip
    how = check_str(how, "how")
    if how not in BREAKS:
        raise ValueError(f"how must be one of {BREAKS}, got {how!r}.")
    out = batch.copy()
    if how == "renamed_category":
        out["workclass"] = out["workclass"].replace("Private", "private")
    elif how == "unit_change":
        out["hours_per_week"] = np.round(out["hours_per_week"] * 4.33).astype(np.int64)
    elif how == "null_column":
        out["occupation"] = pd.Series(np.nan, index=out.index, dtype=out["occupation"].dtype)
    else:
        rng = as_rng(seed)
        w = np.exp(0.3 * (out["education_num"].to_numpy(float) - 10))
        pick = rng.choice(len(out), size=len(out), replace=True, p=w / w.sum())
        out = out.iloc[pick].reset_index(drop=True)
    return out


# --- content hashing -------------------------------------------------------------------------


def hash_array(arr: Any) -> str:
    """SHA-256 of a NumPy array's dtype, shape and bytes (C order), as 64 hex digits.

    Two arrays get the same hash exactly when they have the same dtype, shape and
    values (``[1, 2]`` as int64 and as float64 differ). Object arrays are refused: their
    bytes are memory addresses; use :func:`hash_frame` for strings.

    Examples
    --------
    >>> hash_array(np.arange(3)) == hash_array(np.array([0, 1, 2]))
    True
    """
    arr = np.asarray(arr)
    if arr.dtype == object:
        raise TypeError(
            "hash_array cannot hash an object array (its bytes are pointers); put the "
            "values in a DataFrame and use hash_frame."
        )
    h = hashlib.sha256()
    h.update(f"{arr.dtype.str}|{arr.shape}|".encode())
    h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def hash_frame(
    df: pd.DataFrame, *, ignore_row_order: bool = False, include_index: bool = False
) -> str:
    """SHA-256 of a DataFrame's content, as 64 hex digits.

    The hash covers the column names, their order and dtypes, and every value (each row
    is first reduced to a 64-bit hash by ``pandas.util.hash_pandas_object``, which hashes
    strings by content). With ``ignore_row_order=True`` the row hashes are sorted first,
    so the same rows in any order give the same hash (a multiset of rows: a repeated row
    counts each time). ``include_index=True`` adds the index labels. Hashes are stable
    across runs and machines for one pandas version; a pandas upgrade may change them.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    >>> hash_frame(df) == hash_frame(df.iloc[::-1])
    False
    >>> hash_frame(df, ignore_row_order=True) == hash_frame(df.iloc[::-1], ignore_row_order=True)
    True
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    ignore_row_order = check_bool(ignore_row_order, "ignore_row_order")
    include_index = check_bool(include_index, "include_index")
    rows = pd.util.hash_pandas_object(df, index=include_index).to_numpy(np.uint64)
    if ignore_row_order:
        rows = np.sort(rows)
    h = hashlib.sha256()
    h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
    h.update(rows.tobytes())
    return h.hexdigest()


def content_hash(obj: Any) -> str:
    """The content hash of a pipeline value: :func:`hash_frame` for a DataFrame (a Series
    as a one-column frame), :func:`hash_array` for an array, and SHA-256 of the pickle
    for anything else (a fitted model: stable for the same object and library versions).
    """
    if isinstance(obj, pd.DataFrame):
        return hash_frame(obj)
    if isinstance(obj, pd.Series):
        return hash_frame(obj.to_frame())
    if isinstance(obj, np.ndarray) and obj.dtype != object:
        return hash_array(obj)
    return hashlib.sha256(pickle.dumps(obj, protocol=4)).hexdigest()


def _code_hash(func: Callable) -> str:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        source = repr(getattr(func, "__code__", func))
    return hashlib.sha256(source.encode()).hexdigest()


@dataclass
class DataPipeline:
    """A minimal pipeline that records the lineage of every value it produces.

    Declare named **sources** (data given from outside) and **steps** (a function of
    named inputs); :meth:`run` executes the steps in order and records, for each value,
    the hash of its content (:func:`content_hash`) and a **fingerprint**: the hash of the
    step's code, its parameters and the fingerprints of its inputs. The fingerprint says
    *how* a value was made, the content hash *what* it is. A step whose fingerprint was
    seen before is not re-run: its cached output is reused (``cached`` in the lineage).

    Examples
    --------
    >>> p = DataPipeline()
    >>> p.source("raw", pd.DataFrame({"x": [3, 1, 2]}))
    >>> p.step("sorted", lambda raw: raw.sort_values("x"), ["raw"])
    >>> outputs = p.run()
    >>> outputs["sorted"]["x"].tolist()
    [1, 2, 3]
    >>> p.lineage()["name"].tolist()
    ['raw', 'sorted']
    """

    _sources: dict[str, Any] = field(default_factory=dict)
    _steps: list[tuple[str, Callable, list[str], dict]] = field(default_factory=list)
    _cache: dict[str, Any] = field(default_factory=dict)
    _records: list[dict] = field(default_factory=list)

    def _check_new(self, name: str) -> str:
        name = check_str(name, "name")
        if name in self._sources or any(s[0] == name for s in self._steps):
            raise ValueError(f"the name {name!r} is already used in this pipeline.")
        return name

    def source(self, name: str, data: Any) -> None:
        """Add (or, for an existing source, replace) input data under ``name``."""
        name = check_str(name, "name")
        if any(s[0] == name for s in self._steps):
            raise ValueError(f"{name!r} is a step, not a source.")
        self._sources[name] = data

    def step(self, name: str, func: Callable, inputs: Sequence[str], **params: Any) -> None:
        """Add a step: ``func(*inputs, **params)``; inputs name earlier sources or steps."""
        name = self._check_new(name)
        if not callable(func):
            raise TypeError(f"func of step {name!r} must be callable, got {type(func).__name__}.")
        inputs = [check_str(i, "input") for i in inputs]
        known = set(self._sources) | {s[0] for s in self._steps}
        unknown = [i for i in inputs if i not in known]
        if unknown:
            raise ValueError(
                f"step {name!r} reads {unknown}, which no earlier source or step produces; "
                f"known: {sorted(known)}."
            )
        self._steps.append((name, func, inputs, params))

    def run(self) -> dict[str, Any]:
        """Run every step; returns ``{name: value}`` for sources and steps."""
        values, prints, records = {}, {}, []
        for name, data in self._sources.items():
            digest = content_hash(data)
            values[name] = data
            prints[name] = hashlib.sha256(f"source|{digest}".encode()).hexdigest()
            records.append(
                {"name": name, "kind": "source", "inputs": "", "code": "",
                 "fingerprint": prints[name], "content": digest, "cached": False}
            )  # fmt: skip
        for name, func, inputs, params in self._steps:
            code = _code_hash(func)
            key = "|".join([name, code, repr(sorted(params.items()))] + [prints[i] for i in inputs])
            fingerprint = hashlib.sha256(key.encode()).hexdigest()
            cached = fingerprint in self._cache
            if not cached:
                self._cache[fingerprint] = func(*(values[i] for i in inputs), **params)
            values[name], prints[name] = self._cache[fingerprint], fingerprint
            records.append({"name": name, "kind": "step", "inputs": ",".join(inputs), "code": code,
                            "fingerprint": fingerprint, "content": content_hash(values[name]),
                            "cached": cached})  # fmt: skip
        self._records = records
        return values

    def lineage(self, *, digits: int = 12) -> pd.DataFrame:
        """The record of the last :meth:`run`: one row per source and step, hashes cut to
        ``digits`` hex digits for display."""
        if not self._records:
            raise ValueError("nothing has run yet: call run() first.")
        digits = check_count(digits, "digits")
        table = pd.DataFrame(self._records)
        for c in ("code", "fingerprint", "content"):
            table[c] = table[c].str[:digits]
        return table


# --- experiments of the lecture ----------------------------------------------------------------

#: The missing-value strategies compared by :func:`missing_value_experiment`.
MISSING_STRATEGIES = ("drop rows", "most frequent", "missing as a category")
__all__ += ["MISSING_STRATEGIES", "adult_model", "contract_experiment", "missing_value_experiment"]


def adult_model(strategy: str = "missing as a category"):
    """The lecture's fixed model for cleaned Adult rows: one-hot categories, standardised
    numbers, logistic regression. ``strategy`` sets how missing categories are imputed:
    ``"missing as a category"`` (its own category, as ``adult_preprocessor``) or
    ``"most frequent"`` (the commonest category of the training rows)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from .datasets import ADULT_CATEGORICAL, ADULT_NUMERIC, adult_preprocessor

    if strategy == "missing as a category":
        pre = adult_preprocessor()
    elif strategy in ("most frequent", "drop rows"):
        cats = make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        pre = ColumnTransformer(
            [("numeric", StandardScaler(), ADULT_NUMERIC), ("categories", cats, ADULT_CATEGORICAL)]
        )
    else:
        raise ValueError(f"strategy must be one of {MISSING_STRATEGIES}, got {strategy!r}.")
    return make_pipeline(pre, LogisticRegression(max_iter=2000))


def _draw(df: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    return df.iloc[rng.choice(len(df), size=min(n, len(df)), replace=False)].reset_index(drop=True)


def missing_value_experiment(
    train: pd.DataFrame,
    test: pd.DataFrame,
    seeds: Sequence[int],
    *,
    n_train: int = 5000,
    n_test: int = 5000,
) -> pd.DataFrame:
    """Held-out accuracy of :func:`adult_model` under each missing-value strategy.

    For each seed, ``n_train`` training rows and ``n_test`` test rows are drawn (cleaned
    Adult). ``"drop rows"`` trains on the complete rows only (and, since every test row
    needs a prediction, fills the test rows' gaps with the most frequent category);
    ``"most frequent"`` imputes; ``"missing as a category"`` keeps "missing" as a value
    the model can learn from. Returns one row per seed and strategy: ``accuracy`` on all
    test rows and ``accuracy_missing`` on the test rows that have a missing value.
    """
    from ._validation import check_seeds

    train = check_table(train, "train", ["income"])
    test = check_table(test, "test", ["income"])
    rows = []
    for seed in check_seeds(seeds):
        rng = np.random.default_rng(seed)
        tr, te = _draw(train, n_train, rng), _draw(test, n_test, rng)
        has_gap = te.isna().any(axis=1).to_numpy()
        y_te = te.pop("income").eq(">50K").to_numpy()
        for strategy in MISSING_STRATEGIES:
            fit_rows = tr.dropna() if strategy == "drop rows" else tr
            model = adult_model(strategy).fit(
                fit_rows.drop(columns="income"), fit_rows["income"].eq(">50K")
            )
            right = model.predict(te) == y_te
            rows.append(
                {"seed": seed, "strategy": strategy, "train_rows": len(fit_rows),
                 "accuracy": right.mean(), "accuracy_missing": right[has_gap].mean()}
            )  # fmt: skip
    return pd.DataFrame(rows)


def contract_experiment(
    train: pd.DataFrame,
    test: pd.DataFrame,
    seeds: Sequence[int],
    *,
    schema: Schema,
    n_train: int = 8000,
    batch_size: int = 2000,
) -> pd.DataFrame:
    """Break fresh batches in every way of :data:`BREAKS`, check them, score the model.

    For each seed: :func:`adult_model` is trained on ``n_train`` rows of ``train``; a
    batch of ``batch_size`` rows is drawn from ``test`` and broken by each
    :func:`break_batch` (plus ``"none"``, the intact batch: any alarm on it is a false
    alarm). For each batch: the number of schema violations (:func:`validate` against
    ``schema``), the columns :func:`drift_report` flags against the training rows, the
    largest PSI, and the model's accuracy on the batch and on the intact batch.
    """
    from ._validation import check_seeds

    rows = []
    for seed in check_seeds(seeds):
        rng = np.random.default_rng(seed)
        tr = _draw(train, n_train, rng)
        model = adult_model().fit(tr.drop(columns="income"), tr["income"].eq(">50K"))
        batch = _draw(test, batch_size, rng)
        intact = model.score(batch.drop(columns="income"), batch["income"].eq(">50K"))
        features = tr.drop(columns="income")
        for how in ("none", *BREAKS):
            broken = batch if how == "none" else break_batch(batch, how, seed=rng)
            drift = drift_report(features, broken.drop(columns="income"))
            score = model.score(broken.drop(columns="income"), broken["income"].eq(">50K"))
            rows.append({
                "seed": seed, "break": how, "violations": len(validate(broken, schema)),
                "drifted": ",".join(drift.index[drift["drift"]]), "max_psi": drift["psi"].max(),
                "accuracy": score, "loss": intact - score,
            })  # fmt: skip
    return pd.DataFrame(rows)
