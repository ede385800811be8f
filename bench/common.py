"""Shared bits of the benchmark: paths, statistics and the row every measurement reports."""

from __future__ import annotations

import contextlib
import math
import statistics
from dataclasses import dataclass
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
APP = REPO / "app.py"
BASELINE = BENCH / "baseline_app.py"


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


@dataclass
class Row:
    """One line of the results table. `target` and `verdict` stay empty where no target applies."""

    measure: str
    ours: str
    baseline: str = "—"
    ratio: str = "—"
    target: str = ""
    verdict: str = ""


def process_tree(pid: int) -> list[psutil.Process]:
    """A process and every process under it."""
    proc = psutil.Process(pid)
    return [proc, *proc.children(recursive=True)]


def cpu_seconds(procs: list[psutil.Process], reaped: bool = False) -> float:
    """CPU time (user + system) the processes have used so far; `reaped` adds that of their children
    that have already ended. A process gone since the list was made counts for nothing."""
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
            if reaped:
                total += times.children_user + times.children_system
    return total
