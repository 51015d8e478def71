"""The one owner of the booth's camera.

A camera can be opened by one user at a time, and the booth has several (the preview, the
barcode reader, later the call, and a web page granted the camera). So exactly one
thread reads it and hands each frame to whoever subscribed; the device is released while
something outside this process (a web page) has been granted it, and reopened after.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from devices.health import N_, Health, HealthState

log = logging.getLogger(__name__)

Frame = np.ndarray  # BGR, as OpenCV gives it
RETRY_AFTER_S = 30.0
Subscriber = Callable[[Frame], None]


@dataclass(frozen=True)
class CameraSource:
    """A device index on a booth, or a video file standing in for the camera in tests."""

    device: int | str = 0
    width: int = 1280
    height: int = 720
    loop: bool = True
    """A file source starts over at its end, like a camera that never stops."""

    @classmethod
    def from_setting(cls, value: str) -> "CameraSource | None":
        """The config's devices.camera: "auto" (the first camera), "none", a device number,
        or a video file standing in for the camera (demos, tests)."""
        if value == "none":
            return None
        if value == "auto":
            return cls(0)
        if value.isdigit():
            return cls(int(value))
        return cls(value)

    def open(self) -> cv2.VideoCapture:
        if isinstance(self.device, int):
            cap = cv2.VideoCapture(self.device, cv2.CAP_V4L2)
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            return cap
        return cv2.VideoCapture(self.device)


class CameraOwner:
    def __init__(self, source: CameraSource, fps: float = 30.0) -> None:
        self.source = source
        self._interval = 1.0 / fps
        self._subscribers: dict[object, Subscriber] = {}
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._released_for: str | None = None
        self._opened = False
        self._failed = False
        self._failed_at = 0.0
        self.frames_read = 0

    # --- subscribers ----------------------------------------------------------------
    def subscribe(self, key: object, callback: Subscriber) -> None:
        """The camera runs while anyone is subscribed; callbacks run on the camera thread."""
        with self._guard:
            self._subscribers[key] = callback
        self._ensure_running()

    def unsubscribe(self, key: object) -> None:
        with self._guard:
            self._subscribers.pop(key, None)
            idle = not self._subscribers
        if idle:
            self.stop()

    # --- sharing with the web view ------------------------------------------------------
    def release_for(self, holder: str) -> None:
        """A web page was granted the camera: close the device so it can open it."""
        log.info("camera released for %s", holder)
        self._released_for = holder
        self.stop()

    def reclaim(self) -> None:
        self._released_for = None
        with self._guard:
            wanted = bool(self._subscribers)
        if wanted:
            self._ensure_running()

    # --- state ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def health(self) -> Health:
        if self._released_for is not None:
            # TRANSLATORS: health line in maintenance mode: a web page in the internet screen uses the camera now
            return Health("camera", HealthState.OK, N_("The camera is lent to a web service."))
        if self._failed:
            # TRANSLATORS: health line in maintenance mode: no camera is connected or it stopped working
            return Health("camera", HealthState.DOWN, N_("No camera was found."))
        if self._opened:
            # TRANSLATORS: health line in maintenance mode: the camera gives pictures
            return Health("camera", HealthState.OK, N_("The camera works."))
        cap = self.source.open()
        try:
            ok = cap.isOpened()
        finally:
            cap.release()
        if ok:
            # TRANSLATORS: health line in maintenance mode: the camera gives pictures
            return Health("camera", HealthState.OK, N_("The camera works."))
        # TRANSLATORS: health line in maintenance mode: no camera is connected or it stopped working
        return Health("camera", HealthState.DOWN, N_("No camera was found."))

    def stop(self) -> None:
        self._stop.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout=5)
        self._thread = None

    def _ensure_running(self) -> None:
        if self._released_for is not None or self.running:
            return
        if self._failed and time.monotonic() - self._failed_at < RETRY_AFTER_S:
            return  # an absent camera is not probed on every screen change
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        cap = self.source.open()
        if not cap.isOpened():
            self._failed = True
            self._failed_at = time.monotonic()
            log.warning("camera could not be opened")
            return
        self._failed = False
        self._opened = True
        is_file = not isinstance(self.source.device, int)
        next_at = time.monotonic()
        try:
            while not self._stop.is_set():
                ok, frame = cap.read()
                if not ok:
                    if is_file and self.source.loop:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        continue
                    log.warning("camera stopped giving frames")
                    self._failed = True
                    self._failed_at = time.monotonic()
                    break
                self.frames_read += 1
                with self._guard:
                    subscribers = list(self._subscribers.values())
                for callback in subscribers:
                    try:
                        callback(frame)
                    except Exception:
                        # One broken consumer must not blind the others.
                        log.exception("camera subscriber failed")
                if is_file:  # a file reads faster than a camera: pace it like one
                    next_at += self._interval
                    delay = next_at - time.monotonic()
                    if delay > 0:
                        self._stop.wait(delay)
                    else:
                        next_at = time.monotonic()
        finally:
            cap.release()
            self._opened = False
