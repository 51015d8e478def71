"""Video decoded by libvlc into QImages, for any Qt platform (X11, Wayland, Windows, offscreen).

libvlc's own windows need a native X11 window or HWND, which a Wayland compositor such as
cage and the offscreen platform do not have; its video callbacks draw into memory we own
instead. Those callbacks run on libvlc's threads, so they never touch widgets and never
wait for the GUI thread: they hand over the newest frame and post one queued wake-up.
"""
from __future__ import annotations

import ctypes
import functools
import logging
import threading
import time
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QImage

if TYPE_CHECKING:
    import vlc

log = logging.getLogger(__name__)

# --no-audio: the booth is silent until a resident starts; the aout is a dummy in case
# a file's audio track still gets opened.
_ARGS = ("--intf=dummy", "--aout=dummy", "--no-audio", "--no-video-title-show", "--quiet")
_FALLBACK_RATE_HZ = 60.0


@functools.cache
def libvlc_instance() -> vlc.Instance | None:
    """One libvlc per process: loading its plugins costs ~0.4 s the first time."""
    try:
        import vlc

        instance = vlc.Instance(*_ARGS)
    except (NameError, OSError) as error:
        # python-vlc raises NameError ("no function 'libvlc_new'") when libvlc is absent,
        # OSError when a libvlc is found but cannot be loaded.
        log.warning("video off: libvlc cannot be loaded (%s: %s)", type(error).__name__, error)
        return None
    if instance is None:
        log.warning("video off: libvlc made no instance (are VLC's plugins, vlc-plugin-base, installed?)")
    return instance


class _Wakeup(QObject):
    """Posts from libvlc's threads to the GUI thread. Owned by Python, not by a Qt parent,
    so it cannot be deleted under a running player."""

    frame = Signal()
    vlc_event = Signal(str, int)


class _Pipeline:
    """The player and everything its threads touch, apart from the QObject so that it can
    be closed when the source is destroyed by its Qt parent or collected at exit."""

    def __init__(self, instance: vlc.Instance, size: tuple[int, int], wakeup: _Wakeup) -> None:
        import vlc

        self._width, self._height = size
        self._wakeup = wakeup
        self._buffer = (ctypes.c_ubyte * (self._width * self._height * 4))()
        self._buffer_lock = threading.Lock()  # held while libvlc writes a picture into it
        self._exchange_lock = threading.Lock()  # guards _latest and _pending
        self._latest: QImage | None = None
        self._pending = False
        self._previous = b""
        self.generation = 0
        self.dropped = 0
        # ctypes frees a callback's trampoline with the Python object: keep them for the player's life.
        self._callbacks = (
            vlc.CallbackDecorators.VideoLockCb(self._lock),
            vlc.CallbackDecorators.VideoUnlockCb(self._unlock),
            vlc.CallbackDecorators.VideoDisplayCb(self._display),
        )
        self.player: vlc.MediaPlayer | None = instance.media_player_new()
        self.player.video_set_callbacks(*self._callbacks, None)
        self.player.video_set_format("RV32", self._width, self._height, self._width * 4)
        events = self.player.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerEndReached, self._on_event, "ended")
        events.event_attach(vlc.EventType.MediaPlayerEncounteredError, self._on_event, "error")

    # --- libvlc threads -------------------------------------------------------------
    def _lock(self, _opaque: Any, planes: Any) -> None:
        self._buffer_lock.acquire()
        planes[0] = ctypes.addressof(self._buffer)

    def _unlock(self, _opaque: Any, _picture: Any, _planes: Any) -> None:
        self._buffer_lock.release()

    def _display(self, _opaque: Any, _picture: Any) -> None:
        with self._buffer_lock:
            data = bytes(self._buffer)
        # libvlc re-displays the held picture when frames are more than ~80 ms apart
        # (a 12 fps clip gets each frame twice): pass on only what changed.
        if data == self._previous:
            return
        self._previous = data
        w, h = self._width, self._height
        image = QImage(data, w, h, w * 4, QImage.Format.Format_RGB32).copy()
        with self._exchange_lock:
            if self._pending:
                self.dropped += 1
            self._latest = image
            post = not self._pending
            self._pending = True
        if post:
            self._wakeup.frame.emit()

    def _on_event(self, _event: Any, kind: str) -> None:
        # Never call the player from here: libvlc's event thread would deadlock.
        self._wakeup.vlc_event.emit(kind, self.generation)

    # --- GUI thread ------------------------------------------------------------------
    def take(self) -> QImage | None:
        with self._exchange_lock:
            image, self._latest, self._pending = self._latest, None, False
        return image

    def stop(self) -> None:
        """Returns once libvlc's threads are done with our callbacks."""
        self.generation += 1
        if self.player is not None:
            self.player.stop()
        self.take()
        self._previous = b""

    def close(self) -> None:
        self.stop()
        if self.player is not None:
            self.player.release()
            self.player = None


class VlcFrameSource(QObject):
    """Plays a file into `frame_ready`, scaled by libvlc to `size`, at most at the display's
    refresh rate; a frame the GUI thread has not taken yet is replaced by the newer one.

    `failed` carries a technical reason for the log and for switching to a still image;
    it is not a text for residents.
    """

    frame_ready = Signal(QImage)
    failed = Signal(str)

    repeats: ClassVar[int] = 65535
    """How often libvlc repeats a looping file itself (`input-repeat`): it restarts inside its
    own input thread with no gap and no trip through the GUI thread. After that (~6 days of
    an 8 s clip) EndReached makes us start the file again."""

    def __init__(self, parent: QObject | None = None, size: tuple[int, int] = (640, 360)) -> None:
        super().__init__(parent)
        self._size = size
        self._wakeup = _Wakeup()
        self._wakeup.frame.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._wakeup.vlc_event.connect(self._on_vlc_event, Qt.ConnectionType.QueuedConnection)
        self._pipeline: _Pipeline | None = None
        self._path: Path | None = None
        self._loop = False
        self._started = 0.0
        self._shown = 0
        self._next_emit = 0.0
        screen = QGuiApplication.primaryScreen()
        rate = screen.refreshRate() if screen is not None else 0.0
        self._frame_interval = 1.0 / (rate if rate > 0 else _FALLBACK_RATE_HZ)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._deliver)

    @staticmethod
    def available() -> bool:
        """True when libvlc loads and makes an instance; logs the cause once when not."""
        return libvlc_instance() is not None

    def play(self, path: Path, loop: bool = True) -> None:
        """Starts `path` from the beginning, replacing whatever was playing. Without libvlc
        or the file, `failed` is emitted before this returns."""
        self.stop()
        instance = libvlc_instance()
        if instance is None:
            self._fail("libvlc unavailable")
            return
        if not path.is_file():
            self._fail(f"video file missing: {path}")
            return
        if self._pipeline is None:
            self._pipeline = _Pipeline(instance, self._size, self._wakeup)
            # Stop libvlc's threads before our objects go: on Qt deletion, on GC and at exit.
            self.destroyed.connect(self._pipeline.close)
            weakref.finalize(self, self._pipeline.close)
        self._path, self._loop = path, loop
        self._started, self._shown, self._pipeline.dropped = time.monotonic(), 0, 0
        log.info("video started: %s (loop=%s)", path.name, loop)
        self._start(instance)

    def stop(self) -> None:
        """Safe to call at any time, twice, and at exit; returns once libvlc has stopped."""
        self._halt("stopped")

    def _halt(self, how: str) -> None:
        if self._path is None or self._pipeline is None or self._pipeline.player is None:
            return  # not playing, or closed with our Qt parent: our timer may be gone too
        self._later.stop()
        self._pipeline.stop()
        log.info(
            "video %s: %s after %.1f s, %d frames shown, %d dropped",
            how, self._path.name, time.monotonic() - self._started, self._shown, self._pipeline.dropped,
        )
        self._path = None

    def _start(self, instance: vlc.Instance) -> None:
        assert self._pipeline is not None and self._pipeline.player is not None and self._path is not None
        media = instance.media_new_path(str(self._path))
        if self._loop and self.repeats > 0:
            media.add_option(f":input-repeat={self.repeats}")
        self._pipeline.player.set_media(media)
        media.release()  # the player holds its own reference
        if self._pipeline.player.play() == -1:
            self._fail(f"libvlc cannot start {self._path.name}")

    def _fail(self, reason: str) -> None:
        self._halt("failed")
        log.warning("video failed: %s", reason)
        self.failed.emit(reason)

    @Slot()
    def _deliver(self) -> None:
        wait = self._next_emit - time.monotonic()
        if wait > 0:  # faster than the screen refreshes: the newest frame goes out a little later
            self._later.start(max(1, int(wait * 1000)))
            return
        image = self._pipeline.take() if self._pipeline is not None else None
        if image is None or self._path is None:
            return
        self._next_emit = time.monotonic() + self._frame_interval
        self._shown += 1
        self.frame_ready.emit(image)

    @Slot(str, int)
    def _on_vlc_event(self, kind: str, generation: int) -> None:
        if self._pipeline is None or generation != self._pipeline.generation or self._path is None:
            return  # from a playback stopped since
        if kind == "error":
            self._fail(f"libvlc cannot play {self._path.name}")
        elif self._loop:
            log.info("video loop: %s restarted after %.1f s", self._path.name, time.monotonic() - self._started)
            instance = libvlc_instance()
            assert instance is not None  # a pipeline exists only when libvlc loaded
            self._pipeline.stop()
            self._start(instance)
        else:
            self._halt("ended")
