"""Logging to a rotating file and a ring of the last 200 lines for maintenance mode.

Callers log event types and durations only: never names, card data, file names or
document content. This module cannot tell; code review and the privacy tests do.
"""
from __future__ import annotations

import collections
import logging
import logging.handlers
import threading

from session.paths import Paths

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
RING_LINES = 200
FILE_BYTES, FILE_BACKUPS = 1_000_000, 3


def _formatter() -> logging.Formatter:
    return logging.Formatter(FORMAT, DATE_FORMAT)


class RingBufferHandler(logging.Handler):
    """The newest formatted lines in memory, readable from the UI thread while others log."""

    def __init__(self, capacity: int = RING_LINES) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._guard = threading.Lock()
        self.setFormatter(_formatter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # logging's own policy: report through handleError, never raise into the caller
            self.handleError(record)
            return
        with self._guard:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._guard:
            return list(self._lines)


def setup_logging(paths: Paths, level: int = logging.INFO) -> RingBufferHandler:
    """Replaces any handlers an earlier call installed, so a restart in-process does not double lines."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_virtu", False):
            root.removeHandler(h)
            h.close()
    paths.data.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=FILE_BYTES, backupCount=FILE_BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(_formatter())
    ring = RingBufferHandler()
    for h in (file_handler, ring):
        h._virtu = True  # type: ignore[attr-defined]
        root.addHandler(h)
    root.setLevel(level)
    return ring
