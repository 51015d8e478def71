"""Reads codes a resident holds up to the camera, on the camera owner's thread.

Decoding takes ~13 ms a 720p frame (see pipeline.py), so every second frame is enough
to feel instant and leaves the core to the UI. The same code held in view is reported
once, not thirty times a second, until it has been out of view for `repeat_after_s`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import cv2

from devices.barcode.pipeline import Decoder
from devices.camera import CameraOwner, Frame
from session.clock import Clock

log = logging.getLogger(__name__)


class CameraBarcodeReader:
    def __init__(self, camera: CameraOwner, clock: Clock, on_code: Callable[[str], None], every_nth: int = 2, repeat_after_s: float = 5.0) -> None:
        self._camera = camera
        self._clock = clock
        self._on_code = on_code
        self._every = every_nth
        self._repeat_after = repeat_after_s
        self._decoder = Decoder()
        self._count = 0
        self._last_seen: dict[str, float] = {}

    def start(self) -> None:
        self._camera.subscribe(self, self._frame)

    def stop(self) -> None:
        self._camera.unsubscribe(self)

    def _frame(self, frame: Frame) -> None:
        self._count += 1
        if self._count % self._every:
            return
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        now = self._clock.monotonic()
        for code in self._decoder.decode(grey):
            last = self._last_seen.get(code.text)
            self._last_seen[code.text] = now
            if last is None or now - last > self._repeat_after:
                log.info("code read by the camera: %s", code.symbology)
                self._on_code(code.text)
        # Forget codes long out of view, so the table does not grow for ever.
        self._last_seen = {t: s for t, s in self._last_seen.items() if now - s <= self._repeat_after}
