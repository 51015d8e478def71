"""'Are you still there?' with a visible countdown and a big way to go on."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.screens.base import Screen
from kiosk.widgets.buttons import BigButton
from session.lifecycle import Warning


class IdleWarningOverlay(QWidget):
    continue_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleWarning")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#idleWarning { background: rgba(0, 0, 0, 160); }")
        self._warning: Warning | None = None
        card = QFrame(self)
        card.setObjectName("overlayCard")
        card.setFixedWidth(900)
        box = QVBoxLayout(card)
        box.setContentsMargins(48, 40, 48, 40)
        box.setSpacing(24)
        self.title = Screen.label("title")
        self.title.setAlignment(Qt.AlignCenter)
        self.countdown = Screen.label("countdown")
        self.countdown.setAlignment(Qt.AlignCenter)
        self.detail = Screen.label()
        self.detail.setAlignment(Qt.AlignCenter)
        self.continue_button = BigButton("primary")
        self.continue_button.setMinimumHeight(90)
        self.continue_button.clicked.connect(self.continue_clicked)
        for w in (self.title, self.countdown, self.detail, self.continue_button):
            box.addWidget(w)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignHCenter)
        outer.addStretch(1)
        self.hide()

    def show_warning(self, warning: Warning | None) -> None:
        changed = warning != self._warning
        self._warning = warning
        if warning is None:
            self.hide()
            return
        if changed:
            self.retranslate()
        if not self.isVisible():
            self.setGeometry(self.parentWidget().rect())
            self.show()
            self.raise_()
            self.continue_button.setFocus()

    def retranslate(self) -> None:
        w = self._warning
        # TRANSLATORS: big "continue" button on the idle warning
        self.continue_button.setText(tr("idle", "I am still here"))
        if w is None:
            return
        self.countdown.setText(str(w.seconds_left))
        self.continue_button.setVisible(w.can_continue)
        if w.can_continue:
            # TRANSLATORS: title of the warning shown when nobody has touched the screen for a while
            self.title.setText(tr("idle", "Are you still there?"))
            # TRANSLATORS: {seconds} is a number; the session and its documents are removed at zero
            self.detail.setText(tr("idle", "The session ends in {seconds} seconds and your documents are removed from this booth.", seconds=w.seconds_left))
        else:
            # TRANSLATORS: shown near the maximum session length, when continuing is not possible
            self.title.setText(tr("idle", "The session time is almost over"))
            # TRANSLATORS: {seconds} is a number; near the maximum session length
            self.detail.setText(tr("idle", "The session ends in {seconds} seconds. Save what you need now.", seconds=w.seconds_left))
