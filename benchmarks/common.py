"""What every benchmark group shares: the figure and result records, the machine
description and the timing helpers, so all groups report in the one JSON format."""
from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Figure:
    """A figure a group promises to report, known before it runs, so a group that
    cannot run still reports each of its figures (value null, with the error)."""

    group: str
    name: str
    unit: str
    target: str
    baseline_name: str | None = None

    def result(self, value: float, baseline: float | None = None) -> "Result":
        return Result(self.group, self.name, value, self.unit, self.baseline_name, baseline, self.target)

    def failed(self, error: str) -> "Result":
        return Result(self.group, self.name, None, self.unit, self.baseline_name, None, self.target, error)


@dataclass(frozen=True)
class Result:
    group: str
    name: str
    value: float | None
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    target: str | None = None
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "group": self.group,
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline_name": self.baseline_name,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": self.target,
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def attempt(figures: list[Figure], measure: Callable[[], list[Result]]) -> list[Result]:
    """Runs a measurement; if it raises (a component missing or broken), its figures
    report the error with a null value instead of vanishing from the report."""
    try:
        return measure()
    except Exception as e:
        return [f.failed(f"{type(e).__name__}: {e}") for f in figures]


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call, with the garbage collector kept out of the measurement."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def median(values: list[float]) -> float:
    return statistics.median(values)


def rss_mib() -> float:
    """Resident set size now (not the peak), from /proc."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except FileNotFoundError:
        raise RuntimeError("no /proc/self/statm: resident memory is only measured on Linux") from None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


def tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
