"""Lineage: content hashes of arrays and tables (:func:`content_hash`) and a
:class:`DataPipeline` that records what each step read, ran and wrote.

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_bool, check_count, check_str

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
