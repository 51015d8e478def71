"""Background work reports back on the Qt thread, results and errors alike."""
from __future__ import annotations

import threading

import pytest

from kiosk.bridge import Bridge

pytestmark = pytest.mark.qt


def test_result_and_error_arrive_on_the_qt_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge = Bridge()
    main = threading.current_thread()
    seen: list[tuple[str, object, bool]] = []
    worker_threads: list[threading.Thread] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    def broken() -> int:
        raise OSError("scanner jammed")

    bridge.run(work, lambda r: seen.append(("done", r, threading.current_thread() is main)), lambda e: seen.append(("error", e, False)))
    bridge.run(broken, lambda r: seen.append(("done", r, False)), lambda e: seen.append(("error", type(e).__name__, threading.current_thread() is main)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
    assert sorted(seen) == [("done", 42, True), ("error", "OSError", True)]
    assert worker_threads and worker_threads[0] is not main
