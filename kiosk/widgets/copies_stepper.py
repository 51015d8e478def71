"""How many copies: the number in words and two big buttons, one fewer and one more."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.widgets.buttons import BigButton

MAX_COPIES = 10


class CopiesStepper(QWidget):
    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 1
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.label = QLabel()
        self.label.setProperty("role", "subtitle")
        self.fewer = BigButton("key")
        self.fewer.setObjectName("fewerCopies")
        self.fewer.clicked.connect(lambda: self.set_value(self.value - 1))
        self.more = BigButton("key")
        self.more.setObjectName("moreCopies")
        self.more.clicked.connect(lambda: self.set_value(self.value + 1))
        row = QHBoxLayout()
        row.setSpacing(24)
        row.addWidget(self.fewer)
        row.addWidget(self.more)
        box.addWidget(self.label)
        box.addLayout(row)
        self.retranslate()

    def set_value(self, n: int) -> None:
        self.value = max(1, min(MAX_COPIES, n))
        self.retranslate()
        self.changed.emit(self.value)

    def retranslate(self) -> None:
        # TRANSLATORS: number of copies to print or copy; {count} is a number
        self.label.setText(tr("copies", "Copies: {count}", count=self.value))
        # TRANSLATORS: button: one copy fewer
        self.fewer.setText(tr("copies", "Fewer"))
        # TRANSLATORS: button: one copy more
        self.more.setText(tr("copies", "More"))
        self.fewer.setEnabled(self.value > 1)
        self.more.setEnabled(self.value < MAX_COPIES)
