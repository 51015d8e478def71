"""The one way background work reports back to the UI thread.

Blocking device calls (a scan, a print job, a card read) run on a worker thread; their
result or error comes back as a queued signal, so callbacks always run on the Qt thread
and never touch widgets from elsewhere (as Anki's `aqt.operations` does).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class Bridge(QObject):
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliver.connect(self._run, Qt.QueuedConnection)

    def post(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the Qt thread, from any thread (device watchers use this)."""
        self._deliver.emit(callback)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        name: str = "task",
    ) -> threading.Thread:
        """`work` on a worker thread; exactly one of the callbacks later on the Qt thread."""

        def worker() -> None:
            try:
                result = work()
            except Exception as e:  # handed to on_error on the Qt thread: nothing is swallowed
                log.info("%s failed: %s", name, type(e).__name__)
                self.post(lambda e=e: on_error(e))
            else:
                self.post(lambda: on_done(result))

        t = threading.Thread(target=worker, name=name, daemon=True)
        t.start()
        return t

    def _run(self, callback: Callable[[], None]) -> None:
        callback()
