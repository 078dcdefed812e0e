"""What the benchmark scripts share: timing, and one row per from-scratch/reference pair.

Each ``bench_*.py`` prints its own detailed table when run, and offers
``comparisons(quick=False)``: the headline rows, as :class:`Comparison`, that
``run_all.py`` gathers into one table.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Comparison:
    """One from-scratch algorithm against its reference, on the same inputs."""

    topic: str
    ours: str
    reference: str
    data: str
    ours_s: float
    reference_s: float
    agreement: str

    @property
    def speedup(self) -> float:
        """How many times faster ours is (below 1: slower)."""
        return self.reference_s / self.ours_s

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "speedup": self.speedup}


def best_of(fn: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    """The best wall time of ``repeats`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def print_comparisons(rows: list[Comparison]) -> None:
    """One line per row: ours, the reference, the data, both times, speed-up, agreement."""
    width = max([len(r.ours) for r in rows] + [4])
    ref_width = max([len(r.reference) for r in rows] + [9])
    print(f"{'ours':<{width}} {'reference':<{ref_width}} {'ours (s)':>9} {'ref (s)':>9} "
          f"{'speed-up':>9}  agreement  (data)")  # fmt: skip
    for r in rows:
        print(f"{r.ours:<{width}} {r.reference:<{ref_width}} {r.ours_s:>9.3f} "
              f"{r.reference_s:>9.3f} {r.speedup:>8.1f}×  {r.agreement}  ({r.data})")  # fmt: skip


def comparisons_main(doc: str, comparisons: Callable[[bool], list[Comparison]]) -> None:
    """The command line of a benchmark script: ``--quick`` for smaller sizes, one repeat."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    print_comparisons(comparisons(parser.parse_args().quick))
