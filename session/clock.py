"""One clock for every timer, so tests move time instead of sleeping."""
from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds for measuring intervals (idle, warnings, hold gestures)."""

    def time(self) -> float:
        """Wall-clock epoch seconds, for what must survive a restart (lock-outs) and opening hours."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()


class ManualClock:
    """A clock the tests advance by hand."""

    def __init__(self, start_wall: float = 1_800_000_000.0) -> None:
        self._lock = threading.Lock()
        self._mono = 1000.0
        self._wall = start_wall

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def time(self) -> float:
        with self._lock:
            return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._mono += seconds
            self._wall += seconds
