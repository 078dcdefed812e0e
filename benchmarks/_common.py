"""What the benchmark scripts share: timing, and one row per from-scratch/reference pair.

Each ``bench_*.py`` prints its own detailed table when run, and offers
``comparisons(quick=False)``: the headline rows, as :class:`Comparison`, that
``run_all.py`` gathers into one table.
"""

from __future__ import annotations

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
