"""Before a call: the resident sees themself and a sound bar that moves when they speak,
then joins. Nothing is sent anywhere yet."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.level_meter import LevelMeter
from kiosk.widgets.self_view import SelfView


@register
class CallCheckScreen(Screen):
    name = "call_check"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.link: str | None = None
        self._watching = False
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        outer.setSpacing(48)
        self.view = SelfView()
        self.view.setMinimumSize(800, 450)
        outer.addWidget(self.view, 3)
        side = QWidget()
        box = QVBoxLayout(side)
        box.setSpacing(24)
        self.title = self.label("title")
        self.camera_text = self.label()
        self.mic_text = self.label()
        self.meter = LevelMeter()
        self.meter.setObjectName("micLevel")
        self.privacy = self.label()
        self.join_button = BigButton("primary")
        self.join_button.setObjectName("joinCall")
        self.join_button.setMinimumHeight(90)
        self.join_button.clicked.connect(self.join)
        for w in (self.title, self.camera_text, self.mic_text, self.meter, self.privacy, self.join_button):
            box.addWidget(w)
        box.addStretch(1)
        outer.addWidget(side, 2)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._show_level)

    @property
    def calls(self):  # type: ignore[no-untyped-def]
        return getattr(self.shell, "calls", None)

    def entered(self, **params: object) -> None:
        link = params.get("link")
        self.link = link if isinstance(link, str) else None
        self.view.start(self.shell.ctx.camera)
        if self.calls is not None:
            self.calls.engine.start_check()
            self.timer.start()
        self.retranslate()
        self.join_button.setFocus()
        if not self._watching:
            self._watching = True
            self.shell.screen_changed.connect(self._left)

    def _left(self, name: str) -> None:
        if name == self.name:
            return
        self._watching = False
        self.shell.screen_changed.disconnect(self._left)
        self.view.stop()
        self.timer.stop()
        if self.calls is not None and name != "call":
            self.calls.engine.stop_check()

    def _show_level(self) -> None:
        if self.calls is not None:
            self.meter.set_level(self.calls.engine.mic_level)

    def join(self) -> None:
        self.shell.navigate("call", link=self.link)

    def retranslate(self) -> None:
        # TRANSLATORS: title of the check before a video call
        self.title.setText(tr("call", "Check your picture and sound"))
        if self.shell.ctx.camera is None:
            # TRANSLATORS: the booth has no camera; the call works with sound only
            self.camera_text.setText(tr("call", "This booth has no camera. The staff member will only hear you."))
        else:
            # TRANSLATORS: next to the resident's own picture before a call
            self.camera_text.setText(tr("call", "This is how the staff member will see you. Sit so that your face is in the picture."))
        # TRANSLATORS: explains the sound-level bar before a call
        self.mic_text.setText(tr("call", "Say something. The green bar moves when the booth hears you."))
        # TRANSLATORS: privacy note before a call
        self.privacy.setText(tr("call", "Nothing in the call is recorded or kept."))
        # TRANSLATORS: button that starts the video call after the check
        self.join_button.setText(tr("call", "Join the call"))
