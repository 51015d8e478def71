"""A sound-level bar for the microphone check: the resident sees that the booth hears them."""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = 0.0
        self.setMinimumHeight(48)
        self.setFocusPolicy(Qt.NoFocus)

    def set_level(self, rms: float) -> None:
        """RMS 0..1 shown on a dB scale (-50..0 dB): quiet speech still moves the bar."""
        db = 20 * math.log10(max(rms, 1e-5))
        self.level = max(0.0, min(1.0, (db + 50) / 50))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        p.setPen(QColor("#555555"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(r, 8, 8)
        filled = QRectF(r.x(), r.y(), r.width() * self.level, r.height())
        p.setPen(Qt.NoPen)
        p.setBrush(QColor("#1f7a3a"))
        p.drawRoundedRect(filled, 8, 8)
        p.end()
