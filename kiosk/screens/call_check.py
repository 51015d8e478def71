"""Before a call: the resident sees themself and a sound bar that moves when they speak,
then joins. Nothing is sent anywhere yet. With an appointment feed, the current slot's
service and time are shown (never whose it is) and joining opens 10 minutes before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from calls.appointments import Appointment, current, fetch
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
        self.line = ""
        self.appointment: Appointment | None = None
        self.feed_failed = False
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
        self.slot_text = self.label("subtitle")
        self.slot_text.setObjectName("appointment")
        self.camera_text = self.label()
        self.mic_text = self.label()
        self.meter = LevelMeter()
        self.meter.setObjectName("micLevel")
        self.privacy = self.label()
        self.join_button = BigButton("primary")
        self.join_button.setObjectName("joinCall")
        self.join_button.setMinimumHeight(90)
        self.join_button.clicked.connect(self.join)
        for w in (self.title, self.slot_text, self.camera_text, self.mic_text, self.meter, self.privacy, self.join_button):
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
        link, line = params.get("link"), params.get("line")
        self.link = link if isinstance(link, str) else None
        self.line = line if isinstance(line, str) else ""
        self.appointment, self.feed_failed = None, False
        feed = self.shell.ctx.config.services.appointments_url
        if self.link is None and not self.line and feed:
            self.shell.bridge.run(lambda: fetch(feed), self._slots, self._no_slots, name="appointments")
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
        self.shell.ctx.lifecycle.end_busy(self)
        self.view.stop()
        self.timer.stop()
        if self.calls is not None and name != "call":
            self.calls.engine.stop_check()

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.shell.ctx.clock.time(), dt.UTC)

    def _slots(self, slots: list[Appointment]) -> None:
        self.appointment = a = current(slots, self._now())
        if a is not None and not a.open_at(self._now()) and self.shell.current == self.name:
            # Waiting for one's appointment is not being idle: the session must not end meanwhile.
            self.shell.ctx.lifecycle.begin_busy(self, "waiting for an appointment")
        self.retranslate()

    def _no_slots(self, error: BaseException) -> None:
        self.feed_failed = True
        self.retranslate()

    def _show_level(self) -> None:
        if self.calls is not None:
            self.meter.set_level(self.calls.engine.mic_level)
        a = self.appointment
        if (a is None or a.open_at(self._now())) != self.join_button.isEnabled():
            self.shell.ctx.lifecycle.end_busy(self)
            self.retranslate()  # the slot just opened (or closed): words and button change

    def join(self) -> None:
        a = self.appointment
        if a is not None and not a.open_at(self._now()):
            return
        self.shell.navigate("call", link=a.link if a is not None else self.link, line=self.line)

    def retranslate(self) -> None:
        # TRANSLATORS: title of the check before a video call
        self.title.setText(tr("call", "Check your picture and sound"))
        self.slot_text.setText(self._slot_words())
        self.slot_text.setVisible(bool(self.slot_text.text()))
        a = self.appointment
        self.join_button.setEnabled(a is None or a.open_at(self._now()))
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

    def _slot_words(self) -> str:
        a = self.appointment
        if a is None:
            if self.feed_failed:
                # TRANSLATORS: the booking system's list of appointments could not be read
                return tr("call", "The appointment list could not be read. You can still call the booth's own line.")
            return ""
        services = {
            # TRANSLATORS: the service of an appointment
            "social": tr("call", "Social services"),
            # TRANSLATORS: the service of an appointment
            "health": tr("call", "Health services"),
            # TRANSLATORS: the service of an appointment (Kela is the Social Insurance Institution; keep the name)
            "kela": tr("call", "Kela"),
            # TRANSLATORS: the service of an appointment (employment services)
            "te": tr("call", "Employment services"),
        }
        start, end = a.start.astimezone(), a.end.astimezone()
        # TRANSLATORS: the current appointment; {service} like "Kela", {start}/{end} like 14:00
        text = tr("call", "Appointment: {service}, {start}–{end}", service=services.get(a.service, ""), start=f"{start:%H:%M}", end=f"{end:%H:%M}")
        if not a.open_at(self._now()):
            # TRANSLATORS: joining opens 10 minutes before the appointment; {time} like 13:50
            text += "\n" + tr("call", "You can join from {time}.", time=f"{a.opens_at().astimezone():%H:%M}")
        return text
