"""An on-screen PIN keypad: a booth has no keyboard, and the digits are never echoed."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.widgets.buttons import BigButton

MAX_DIGITS = 12


class PinPad(QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits: list[str] = []
        self.dots = QLabel()
        self.dots.setAlignment(Qt.AlignCenter)
        self.dots.setProperty("role", "banner")
        self.dots.setMinimumHeight(70)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.digit_buttons: dict[str, BigButton] = {}
        for i, d in enumerate("123456789"):
            b = self._digit_button(d)
            grid.addWidget(b, i // 3, i % 3)
        self.erase = BigButton("key")
        self.erase.clicked.connect(self._erase)
        self.ok = BigButton("primary")
        self.ok.clicked.connect(self._submit)
        grid.addWidget(self.erase, 3, 0)
        grid.addWidget(self._digit_button("0"), 3, 1)
        grid.addWidget(self.ok, 3, 2)
        box = QVBoxLayout(self)
        box.addWidget(self.dots)
        box.addLayout(grid)
        self.retranslate()
        self._show()

    def _digit_button(self, d: str) -> BigButton:
        b = BigButton("key")
        b.setText(d)
        b.clicked.connect(lambda _=False, d=d: self.press(d))
        self.digit_buttons[d] = b
        return b

    def retranslate(self) -> None:
        # TRANSLATORS: keypad key that removes the last digit typed
        self.erase.setText(tr("keypad", "Erase"))
        # TRANSLATORS: keypad key that sends the PIN
        self.ok.setText(tr("keypad", "OK"))

    def press(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS:
            self._digits.append(digit)
            self._show()

    def clear(self) -> None:
        self._digits = [""] * len(self._digits)  # overwrite before dropping: digits are not kept
        self._digits.clear()
        self._show()

    def _erase(self) -> None:
        if self._digits:
            self._digits.pop()
            self._show()

    def _submit(self) -> None:
        pin = "".join(self._digits)
        self.clear()
        if pin:
            self.submitted.emit(pin)

    def _show(self) -> None:
        self.dots.setText("● " * len(self._digits) if self._digits else "—")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self.press(text)
        elif event.key() == Qt.Key_Backspace:
            self._erase()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.focusWidget() in (None, self):
            self._submit()
        else:
            super().keyPressEvent(event)
