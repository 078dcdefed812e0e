"""Plain data between the grader and a learner's kernel: a JSON tree plus an ``.npz`` file.

The grader sends a graded function's arguments to the learner's kernel and reads back its
result. Both travel as two files keyed by a random nonce: ``NONCE.json`` holds a tree of
tagged nodes and ``NONCE.npz`` (``numpy.savez``, uncompressed) holds the arrays the tree
refers to. What may travel back from the kernel is *plain data* only: ``None``, bools,
ints, floats, strings, lists, tuples, dicts, numpy arrays and scalars, and pandas
``Series``/``DataFrame``/``Index``. The grader decodes it with
``numpy.load(allow_pickle=False)`` and a strict schema check (:func:`decode` with
``rich=False``), so no object built by the learner's code ever runs in the grader.

The other direction may also carry *rich* nodes, because the grader is trusted: a
pickled object (an unfitted scikit-learn estimator) or a reference to a module-level
function of this package (a callback such as a fitting routine).

This module is also sent, as source, to the learner's kernel with every request (see
:mod:`dcai_course.grading.kernel_stub`), so it imports nothing from the package.

Taught in: the grader of every lab (``dcai-course grade``).
"""

from __future__ import annotations

import importlib
import json
import math
import pickle
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MAX_BYTES", "NotPlainData", "decode", "encode", "read_message", "write_message"]

#: The largest message (both files together) the grader reads back from a kernel.
MAX_BYTES = 512 * 2**20
#: Deepest nesting of lists, dicts and tuples accepted.
MAX_DEPTH = 32
#: Most nodes in one message.
MAX_NODES = 2_000_000
_ARRAY_KINDS = "biufcUSmM"


class NotPlainData(TypeError):
    """A value that cannot travel as plain data (a function, a model, a custom object)."""


class _Encoder:
    def __init__(self, rich: bool):
        self.rich = rich
        self.arrays: dict[str, np.ndarray] = {}

    def key(self, arr: np.ndarray) -> str:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = arr
        return key

    def array(self, arr: np.ndarray) -> dict:
        return {"$array": self.key(arr)}

    def node(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise NotPlainData(f"nesting deeper than {MAX_DEPTH} levels")
        if value is None or type(value) in (bool, str):
            return value
        if isinstance(value, bool | np.bool_):
            return {"$scalar": self.key(np.asarray(value))}
        if type(value) is int:
            return value if abs(value) < 2**53 else {"$bigint": str(value)}
        if type(value) is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if isinstance(value, np.generic):
            return self.scalar(value)
        if isinstance(value, np.ndarray):
            return self.ndarray(np.asarray(value), depth)
        if type(value) in (list, tuple):
            items = [self.node(v, depth + 1) for v in value]
            return items if type(value) is list else {"$tuple": items}
        if type(value) is dict:
            return {
                "$dict": [
                    [self.node(k, depth + 1), self.node(v, depth + 1)] for k, v in value.items()
                ]
            }
        return self.pandas(value, depth)

    def scalar(self, value: np.generic) -> dict:
        if value.dtype.kind not in _ARRAY_KINDS:
            raise NotPlainData(f"a numpy scalar of dtype {value.dtype}")
        return {"$scalar": self.key(np.asarray(value))}

    def ndarray(self, arr: np.ndarray, depth: int) -> dict:
        if arr.dtype.kind in _ARRAY_KINDS and not arr.dtype.fields:
            return self.array(np.ascontiguousarray(arr))
        if arr.dtype.kind == "O":
            items = [self.node(v, depth + 1) for v in arr.ravel().tolist()]
            return {"$objarray": {"shape": list(arr.shape), "items": items}}
        raise NotPlainData(f"a numpy array of dtype {arr.dtype}")

    def pandas(self, value: Any, depth: int) -> Any:
        pd = _pandas_if_loaded()
        if pd is not None and isinstance(value, pd.Index) and not isinstance(value, pd.MultiIndex):
            return {
                "$index": {"values": self.column(value), "name": self.node(value.name, depth + 1)}
            }
        if pd is not None and isinstance(value, pd.Series):
            return {
                "$series": {
                    "values": self.column(value),
                    "index": self.node(value.index, depth + 1),
                    "name": self.node(value.name, depth + 1),
                }
            }
        if pd is not None and isinstance(value, pd.DataFrame):
            return {
                "$frame": {
                    "columns": self.node(value.columns, depth + 1),
                    "index": self.node(value.index, depth + 1),
                    "data": [self.column(value.iloc[:, j]) for j in range(value.shape[1])],
                }
            }
        if self.rich:
            return self.rich_node(value)
        raise NotPlainData(f"a {type(value).__module__}.{type(value).__qualname__}")

    def column(self, values: Any) -> Any:
        arr = values.to_numpy()
        return self.ndarray(arr, 0)

    def rich_node(self, value: Any) -> dict:
        module = getattr(value, "__module__", "") or ""
        qualname = getattr(value, "__qualname__", "")
        if callable(value) and module.startswith("dcai_course") and "<" not in qualname:
            return {"$ref": f"{module}:{qualname}"}
        blob = np.frombuffer(pickle.dumps(value), dtype=np.uint8)
        return {"$pickle": self.key(blob)}


def _pandas_if_loaded():
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return None
    return pd


def encode(value: Any, *, rich: bool = False) -> tuple[Any, dict[str, np.ndarray]]:
    """Encode ``value`` as a JSON-ready tree and the arrays it refers to.

    Raises :class:`NotPlainData` for a value that is not plain data (and, with
    ``rich=True``, cannot be pickled either).
    """
    enc = _Encoder(rich)
    return enc.node(value), enc.arrays


class _Decoder:
    def __init__(self, arrays: Any, rich: bool):
        self.arrays = arrays
        self.rich = rich
        self.count = 0

    def array(self, key: Any) -> np.ndarray:
        if not isinstance(key, str) or key not in self.arrays:
            raise ValueError(f"the message refers to a missing array {key!r}")
        arr = self.arrays[key]
        if arr.dtype.kind not in _ARRAY_KINDS and not (self.rich and arr.dtype == np.uint8):
            raise ValueError(f"an array of dtype {arr.dtype} is not plain data")
        return arr

    def node(self, node: Any, depth: int = 0) -> Any:
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_NODES:
            raise ValueError("the message is nested too deeply or has too many values")
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is list:
            return [self.node(v, depth + 1) for v in node]
        if type(node) is not dict or len(node) != 1:
            raise ValueError("the message has a malformed node")
        ((tag, body),) = node.items()
        handler = getattr(self, "tag_" + tag.lstrip("$"), None) if tag.startswith("$") else None
        if handler is None:
            raise ValueError(f"the message has an unknown node {tag!r}")
        return handler(body, depth)

    def tag_array(self, body, depth):
        return self.array(body)

    def tag_scalar(self, body, depth):
        arr = self.array(body)
        if arr.shape != ():
            raise ValueError("a scalar node refers to an array that is not 0-d")
        return arr[()]

    def tag_bigint(self, body, depth):
        return int(str(body))

    def tag_float(self, body, depth):
        if body not in ("nan", "inf", "-inf"):
            raise ValueError(f"unexpected float {body!r}")
        return float(body)

    def tag_tuple(self, body, depth):
        return tuple(self.items(body, depth))

    def tag_dict(self, body, depth):
        out = {}
        for pair in self.items(body, depth):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError("a dict entry is not a (key, value) pair")
            key = pair[0]
            try:
                hash(key)
            except TypeError as exc:
                raise ValueError("a dict key is not hashable") from exc
            out[key] = pair[1]
        return out

    def tag_objarray(self, body, depth):
        shape = body.get("shape") if isinstance(body, dict) else None
        if not (isinstance(shape, list) and all(type(s) is int and s >= 0 for s in shape)):
            raise ValueError("an object array has a malformed shape")
        items = self.items(body.get("items"), depth)
        if len(items) != math.prod(shape):
            raise ValueError("an object array has the wrong number of items")
        arr = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            arr[i] = item
        return arr.reshape(shape)

    def tag_index(self, body, depth):
        import pandas as pd

        values = self.field(body, "values", depth)
        return pd.Index(values, name=self.field(body, "name", depth))

    def tag_series(self, body, depth):
        import pandas as pd

        values = self.field(body, "values", depth)
        index = self.field(body, "index", depth)
        return pd.Series(values, index=index, name=self.field(body, "name", depth))

    def tag_frame(self, body, depth):
        import pandas as pd

        columns = self.field(body, "columns", depth)
        index = self.field(body, "index", depth)
        data = self.items(body.get("data"), depth)
        if len(data) != len(columns) or any(len(col) != len(index) for col in data):
            raise ValueError("a DataFrame's columns do not match its shape")
        frame = pd.DataFrame(dict(enumerate(data)), index=index)
        frame.columns = columns
        return frame

    def tag_ref(self, body, depth):
        if not self.rich:
            raise ValueError("a function reference is not plain data")
        module, _, qualname = str(body).partition(":")
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        return obj

    def tag_pickle(self, body, depth):
        if not self.rich:
            raise ValueError("a pickled object is not plain data")
        return pickle.loads(self.array(body).tobytes())

    def items(self, body, depth) -> list:
        if type(body) is not list:
            raise ValueError("the message has a malformed list")
        return [self.node(v, depth + 1) for v in body]

    def field(self, body, name, depth):
        if type(body) is not dict or name not in body:
            raise ValueError(f"the message lacks the field {name!r}")
        return self.node(body[name], depth + 1)


def decode(tree: Any, arrays: Any, *, rich: bool = False) -> Any:
    """Rebuild a value from :func:`encode`'s tree and arrays (strict unless ``rich``)."""
    return _Decoder(arrays, rich).node(tree)


def write_message(folder: str | Path, stem: str, payload: dict, *, rich: bool = False) -> None:
    """Write ``payload`` (a dict of values) as ``stem.npz`` then ``stem.json``.

    The JSON file is written last, under a temporary name then renamed, so that its
    presence means the message is complete.
    """
    folder = Path(folder)
    tree, arrays = encode(payload, rich=rich)
    with (folder / f"{stem}.npz").open("wb") as fh:
        np.savez(fh, **arrays)
    tmp = folder / f"{stem}.json.part"
    tmp.write_text(json.dumps(tree), encoding="utf-8")
    tmp.replace(folder / f"{stem}.json")


def read_message(folder: str | Path, stem: str, *, rich: bool = False) -> Any:
    """Read a message written by :func:`write_message`; strict plain data unless ``rich``."""
    folder = Path(folder)
    paths = [folder / f"{stem}.json", folder / f"{stem}.npz"]
    for path in paths:
        if not path.is_file() or path.is_symlink():
            raise ValueError(f"the message file {path.name} is missing")
    if sum(p.stat().st_size for p in paths) > MAX_BYTES:
        raise ValueError(f"the message is larger than {MAX_BYTES // 2**20} MB")
    tree = json.loads(paths[0].read_text(encoding="utf-8"))
    with np.load(paths[1], allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    return decode(tree, arrays, rich=rich)
