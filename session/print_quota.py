"""Pages a resident may still print in this session (a per-session limit from config)."""
from __future__ import annotations

import threading


class PrintQuota:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    def spend(self, pages: int) -> None:
        with self._lock:
            self.used += pages

    def reset(self) -> None:
        with self._lock:
            self.used = 0
