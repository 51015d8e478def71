"""The idle loop: a calm video and "touch to start" in every language the booth offers."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.i18n import translate, tr
from kiosk.media.vlc_frames import VlcFrameSource
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.video_view import VideoView

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parents[2] / "assets" / "attract"


@register
class AttractScreen(Screen):
    name = "attract"
    needs_session = False

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.video = VideoView()
        self.video.show_still(QPixmap(str(ASSETS / "still.png")))
        self.source: VlcFrameSource | None = None
        self._video_checked = False

        front = QWidget()
        front.setAttribute(Qt.WA_TranslucentBackground)
        col = QVBoxLayout(front)
        col.setContentsMargins(60, 60, 60, 40)
        col.addStretch(1)
        self.lines = []
        for code in shell.ctx.config.languages.offered:
            lab = self.label("banner")
            lab.setProperty("lang", code)  # each line is in its own language, whatever the current one
            lab.setAlignment(Qt.AlignCenter)
            lab.setStyleSheet("color: #ffffff; background: rgba(10, 30, 50, 150); border-radius: 14px; padding: 10px;")
            col.addWidget(lab)
            self.lines.append(lab)
        col.addStretch(1)
        self.clean_button = BigButton()
        self.clean_button.clicked.connect(lambda: shell.cleaning.start())
        col.addLayout(self.row(self.clean_button))

        self.setFocusPolicy(Qt.StrongFocus)  # Enter starts, like a touch
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.video, 0, 0)
        grid.addWidget(front, 0, 0)

    def retranslate(self) -> None:
        for code, lab in zip(self.shell.ctx.config.languages.offered, self.lines, strict=True):
            # TRANSLATORS: shown on the idle screen in every language at once
            lab.setText(translate(code, "attract", "Touch the screen to start"))
        # TRANSLATORS: small button on the idle screen for the cleaner; locks the screen for 30 seconds
        self.clean_button.setText(tr("attract", "Lock for cleaning"))

    def entered(self, **params: object) -> None:
        # Loading libvlc takes ~0.4 s cold: paint the still first, start the video after.
        QTimer.singleShot(0, self._play)

    def _play(self) -> None:
        if not self.isVisible():
            return
        if not self._video_checked:
            self._video_checked = True
            if VlcFrameSource.available():
                self.source = VlcFrameSource(self)
                self.source.frame_ready.connect(self.video.set_frame)
                self.source.failed.connect(self._video_failed)
            else:
                log.warning("attract video unavailable: showing the still image")
        if self.source is not None:
            self.source.play(ASSETS / "attract.avi", loop=True)

    def _video_failed(self, reason: str) -> None:
        log.warning("attract video failed, showing the still image: %s", reason)
        self.video.show_still(QPixmap(str(ASSETS / "still.png")))

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.source is not None:
            self.source.stop()
        super().hideEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.LeftButton:
            self.shell.ctx.lifecycle.start()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self.shell.ctx.lifecycle.start()
            return
        super().keyPressEvent(event)
