"""The Python half of benchmarks/assets/stamp.js: wall-clock stamps in video frames, and a
stand-in camera that sends them, for the glass-to-glass figure."""
from __future__ import annotations

import threading
import time
from typing import Callable

import numpy as np

BITS = 31
WRAP = 2**31


def now_ms() -> int:
    return int(time.time() * 1000) % WRAP


def draw(frame: np.ndarray, ms: int) -> None:
    h, w = frame.shape[:2]
    cell = w // 40
    frame[: 3 * cell] = 128
    for i in range(BITS):
        frame[cell:2 * cell, (i + 4) * cell:(i + 5) * cell] = 255 if (ms >> i) & 1 else 0


def read(frame: np.ndarray) -> int:
    """`frame`: RGB or BGR; the squares are grey, so any channel does."""
    w = frame.shape[1]
    cell = w // 40
    row = frame[cell + cell // 2, :, 1]
    return sum(1 << i for i in range(BITS) if row[(i + 4) * cell + cell // 2] > 128)


def delay_ms(frame: np.ndarray) -> int | None:
    delay = (now_ms() - read(frame)) % WRAP
    return delay if delay < 5000 else None


class StampCamera:
    """Stands in for devices.camera.CameraOwner (subscribe/unsubscribe): 30 stamped frames
    a second, drawn when they are taken, like a camera's."""

    def __init__(self, width: int, height: int, fps: float = 30.0) -> None:
        self.size = (width, height)
        self._subscribers: dict[object, Callable[[np.ndarray], None]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(1.0 / fps,), name="stamp-camera", daemon=True)
        self._thread.start()

    def subscribe(self, key: object, callback: Callable[[np.ndarray], None]) -> None:
        with self._lock:
            self._subscribers[key] = callback

    def unsubscribe(self, key: object) -> None:
        with self._lock:
            self._subscribers.pop(key, None)

    def _run(self, interval: float) -> None:
        w, h = self.size
        n = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            frame = np.full((h, w, 3), (n * 5) % 200 + 30, np.uint8)
            draw(frame, now_ms())
            with self._lock:
                callbacks = list(self._subscribers.values())
            for callback in callbacks:
                callback(frame)
            n += 1
            next_at += interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
