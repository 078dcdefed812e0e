"""Data contracts: a :class:`Schema` of :class:`ColumnRule`, inferred from a trusted batch,
checked row by row with :func:`validate`, and the same contract run by pandera
(:func:`to_pandera`, :func:`pandera_violations`) for comparison.

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_bool, check_count, check_str, check_table

#: The columns of a violation table, in order.
VIOLATION_COLUMNS = ["row", "column", "rule", "value"]


_KINDS = ("int", "float", "category", "string", "datetime")


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
