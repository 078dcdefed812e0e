"""Numbers in a lecture's prose are numbers its cells printed.

A sentence that reads a result ("GCE gains +0.035 [+0.025, +0.046]") is typed by hand,
so it can drift from the outputs when a notebook is re-executed with other library
versions. Every number written with three decimals in a lecture's Markdown must appear
among the printed outputs of the same notebook (text, tables, Markdown displays), up to
its sign (prose may read "-0.007 of accuracy" as "costs 0.007").
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
RESULT = re.compile(r"(?<![\w.])[-+]?\d{1,3}\.\d{3}(?!\d)")
PRINTED = re.compile(r"[-+]?\d+\.\d+")
MATH = re.compile(r"\$[^$]*\$")


def _printed_numbers(nb) -> set[str]:
    found: set[str] = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            text = out.get("text") or data.get("text/plain") or data.get("text/markdown") or ""
            found |= {n.lstrip("+-") for n in PRINTED.findall("".join(text))}
    return found


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_every_result_quoted_in_the_prose_was_printed(path):
    nb = nbformat.read(path, as_version=4)
    printed = _printed_numbers(nb)
    stale = [
        (index, number)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for number in RESULT.findall(MATH.sub("", cell.source))
        if number.lstrip("+-") not in printed
    ]
    assert not stale, (
        f"{path.name}: Markdown cells quote numbers that no output prints (cell, number): "
        f"{stale}. Re-read the outputs and correct the prose."
    )
