"""USB barcode scanners that type like a keyboard, seen from the top-level window.

The shell's window-level input watch feeds every key here (never an application-wide
filter: it crashes once QtWebEngine runs). A burst ending in Enter outside a text field
is a scan: its Enter is swallowed so it does not press the focused button, and the text
goes to the shell. In a focused text field the burst stays in the field, as a person
pasting would expect.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from devices.barcode.wedge import MAX_GAP_S, WedgeDetector, repair_layout
from session.clock import Clock

# Our config names the keymap by language ("sv"); the repair table by country ("se").
_LAYOUTS = {"fi": "fi", "sv": "se", "us": "us"}


class BarcodeWedge(QObject):
    scanned = Signal(str)

    def __init__(self, clock: Clock, keyboard_layout: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._layout = _LAYOUTS[keyboard_layout]
        self._detector = WedgeDetector()
        self._last_key = -1.0

    def key_pressed(self, event: QKeyEvent) -> bool:
        """Returns True when the key must not reach the focused widget."""
        now = self._clock.monotonic()
        fast = now - self._last_key <= MAX_GAP_S
        self._last_key = now
        scan = self._detector.feed(now, event.text())
        if _in_text_field():
            return False
        if scan is not None:
            self.scanned.emit(self._meant(scan.text))
            return True
        # A space inside a burst would press the focused button: keep it out.
        return event.text() == " " and fast


    def _meant(self, raw: str) -> str:
        """Repair only what the repair turns into a link: the same scanner may be set to the
        booth's own layout, and a product code's "-" must stay a "-"."""
        repaired = repair_layout(raw, self._layout)
        links = ("https://", "http://")
        if repaired != raw and repaired.lower().startswith(links) and not raw.lower().startswith(links):
            return repaired
        return raw


def _in_text_field() -> bool:
    return isinstance(QApplication.focusWidget(), (QLineEdit, QTextEdit, QPlainTextEdit))
