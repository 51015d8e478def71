"""The card watcher's events, from its own thread, as a Qt signal (queued to the UI thread)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from devices.card.events import CardEvent
from devices.card.watcher import CardWatcher


class CardLink(QObject):
    event = Signal(object)
    """A devices.card.events object; connected slots run on the UI thread."""

    def __init__(self, watcher: CardWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = watcher
        watcher.on_event = self._from_watcher

    def _from_watcher(self, event: CardEvent) -> None:
        # Runs on the watcher's thread: only emit; Qt queues the call to the receivers.
        self.event.emit(event)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()
