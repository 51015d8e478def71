"""The call engine's events (from its asyncio thread) as Qt signals on the UI thread.

Remote video is latest-frame-wins: a frame waiting to be drawn is replaced by a newer one
instead of queueing, so a busy UI thread shows the newest picture, never a growing lag.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from calls.engine import CallEngine
from calls.events import (
    CallEvent,
    ChatReceived,
    DocumentReceived,
    RemoteFrame,
    RemotesChanged,
    StaffEvent,
    StateChanged,
)
from calls.signalling import InvalidInvitation
from kiosk.call_audio import speaker_sink
from kiosk.config import Booth


class CallLink(QObject):
    state_changed = Signal(object)      # calls.events.StateChanged
    remotes_changed = Signal(object)    # tuple[Remote, ...]
    frame_ready = Signal(str)           # peer_id: take it with latest_frame()
    chat = Signal(str, str)             # name, text
    staff_event = Signal(str, str)      # peer_id, event name
    document = Signal(object)           # calls.events.DocumentReceived

    def __init__(self, engine: CallEngine, booth_link: Callable[[str], str] | None, booth: Booth, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.booth_link = booth_link
        self.booth = booth
        engine.on_event = self._from_engine
        self._frames: dict[str, QImage] = {}
        self._lock = threading.Lock()

    def _from_engine(self, event: CallEvent) -> None:
        # On the call's loop thread: convert and emit only (Qt queues to the receivers).
        if isinstance(event, RemoteFrame):
            h, w, _ = event.rgb.shape
            image = QImage(event.rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            with self._lock:
                waiting = event.peer_id in self._frames
                self._frames[event.peer_id] = image
            if not waiting:
                self.frame_ready.emit(event.peer_id)
        elif isinstance(event, StateChanged):
            self.state_changed.emit(event)
        elif isinstance(event, RemotesChanged):
            self.remotes_changed.emit(event.remotes)
        elif isinstance(event, ChatReceived):
            self.chat.emit(event.name, event.text)
        elif isinstance(event, StaffEvent):
            self.staff_event.emit(event.peer_id, event.name)
        elif isinstance(event, DocumentReceived):
            self.document.emit(event)

    def join(self, link: str | None = None, line: str = "") -> None:
        """A given invitation link, or one of the booth's own lines ("" its room for staff,
        "contact" its contact person's). Raises InvalidInvitation for a link that is not
        one; everything else arrives as a state change."""
        booth_link = self.booth_link
        if link is None and booth_link is None:
            raise InvalidInvitation("this booth has no room of its own")
        target: str | Callable[[], str] = link if link is not None else (lambda: booth_link(line))  # type: ignore[misc]
        self.engine.join(target, self.booth.name, self.booth.place, speaker_sink())

    def latest_frame(self, peer_id: str) -> QImage | None:
        with self._lock:
            return self._frames.pop(peer_id, None)
