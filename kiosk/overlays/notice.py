"""A message over the current screen that waits for the resident: what happened, in plain
words, and one or two big buttons. Texts are functions so a language switch retranslates."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.screens.base import Screen
from kiosk.widgets.buttons import BigButton

Text = Callable[[], str]


@dataclass(frozen=True)
class Choice:
    text: Text
    action: Callable[[], None] = lambda: None
    role: str = "primary"


@dataclass(frozen=True)
class Notice:
    key: str
    """What the notice is about (e.g. "card_removed"), for tests and to replace a notice of the same kind."""
    title: Text
    detail: Text
    choices: tuple[Choice, ...] = field(default_factory=tuple)


def _ok() -> str:
    # TRANSLATORS: button that closes a message
    return tr("notice", "OK")


class NoticeOverlay(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#notice { background: rgba(0, 0, 0, 160); }")
        self.notice: Notice | None = None
        card = QFrame(self)
        card.setObjectName("overlayCard")
        card.setFixedWidth(1000)
        box = QVBoxLayout(card)
        box.setContentsMargins(48, 40, 48, 40)
        box.setSpacing(24)
        self.title = Screen.label("title")
        self.detail = Screen.label("subtitle")
        box.addWidget(self.title)
        box.addWidget(self.detail)
        self.buttons_row = QHBoxLayout()
        self.buttons_row.setSpacing(24)
        box.addLayout(self.buttons_row)
        self.buttons: list[BigButton] = []
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignHCenter)
        outer.addStretch(1)
        self.hide()

    @property
    def key(self) -> str | None:
        return self.notice.key if self.notice is not None and self.isVisible() else None

    def show_notice(self, notice: Notice) -> None:
        self.notice = notice
        while self.buttons_row.count():
            item = self.buttons_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        choices = notice.choices or (Choice(_ok),)
        self.buttons_row.addStretch(1)
        for choice in choices:
            b = BigButton(choice.role)
            b.setMinimumHeight(90)
            b.clicked.connect(lambda _=False, c=choice: self._chosen(c))
            self.buttons_row.addWidget(b)
            self.buttons.append(b)
        self.retranslate()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.buttons[-1].setFocus()

    def _chosen(self, choice: Choice) -> None:
        self.dismiss()
        choice.action()

    def dismiss(self, key: str | None = None) -> None:
        """Hide the notice (only if it is about `key`, when given)."""
        if key is None or self.key == key:
            self.hide()
            self.notice = None

    def retranslate(self) -> None:
        n = self.notice
        if n is None:
            return
        self.title.setText(n.title())
        self.detail.setText(n.detail())
        for b, choice in zip(self.buttons, n.choices or (Choice(_ok),)):
            b.setText(choice.text())
