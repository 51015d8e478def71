"""The cleaning lock: for 30 s the touch screen ignores touches while it is wiped."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.screens.base import Screen
from session.clock import Clock

log = logging.getLogger(__name__)
CLEANING_SECONDS = 30.0


class CleaningOverlay(QWidget):
    def __init__(self, parent: QWidget, clock: Clock) -> None:
        super().__init__(parent)
        self.clock = clock
        self._until: float | None = None
        self.setObjectName("cleaning")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#cleaning { background: #0d2233; } #cleaning QLabel { color: #ffffff; }")
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.title = Screen.label("title")
        self.countdown = Screen.label("countdown")
        self.detail = Screen.label("subtitle")
        for w in (self.title, self.countdown, self.detail):
            w.setAlignment(Qt.AlignCenter)
            box.addWidget(w)
        box.addStretch(1)
        self.hide()

    @property
    def active(self) -> bool:
        return self._until is not None

    def seconds_left(self) -> int:
        if self._until is None:
            return 0
        return max(0, int(self._until - self.clock.monotonic() + 0.999))

    def start(self) -> None:
        log.info("cleaning lock on")
        self._until = self.clock.monotonic() + CLEANING_SECONDS
        self.retranslate()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def tick(self) -> None:
        if self._until is None:
            return
        if self.clock.monotonic() >= self._until:
            self._until = None
            self.hide()
            log.info("cleaning lock off")
        else:
            self.countdown.setText(str(self.seconds_left()))

    def retranslate(self) -> None:
        # TRANSLATORS: full-screen message while the screen is locked so it can be wiped clean
        self.title.setText(tr("cleaning", "The screen is locked for cleaning"))
        self.countdown.setText(str(self.seconds_left()))
        # TRANSLATORS: under the countdown of the cleaning lock
        self.detail.setText(tr("cleaning", "Touches are ignored until the countdown ends."))
