"""The video call: the staff's picture big, the resident's own small, big buttons for
mute, camera, volume, "I can't hear" and hang up, a timer, and chat for residents who hear
poorly. Every state (waiting, reconnecting, ended and why) is said in plain words."""
from __future__ import annotations

import concurrent.futures
import logging
import mimetypes

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from calls.documents import Document
from calls.events import CallState, DocumentReceived, EndReason, Remote, StateChanged
from calls.signalling import InvalidInvitation
from kiosk.i18n import tr
from kiosk.overlays.notice import Notice
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.document_preview import first_page
from kiosk.widgets.keyboard import OnScreenKeyboard
from kiosk.widgets.page_stack import PageStack
from kiosk.widgets.self_view import SelfView
from kiosk.widgets.video_view import VideoView

log = logging.getLogger(__name__)
VOLUME_STEPS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
CANT_HEAR_VOLUME = 3


@register
class CallScreen(Screen):
    name = "call"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.state = CallState.IDLE
        self.link: str | None = None
        self.line = ""
        self.end: StateChanged | None = None
        self.remotes: tuple[Remote, ...] = ()
        self.muted = False
        self.camera_on = True
        self.volume_step = 2
        self.started_at: float | None = None
        self.chat_lines: list[str] = []
        self._connected = False

        self.pages = PageStack()
        call_page = QWidget()
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self.pages)
        outer = QHBoxLayout(call_page)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(24)
        # --- pictures ------------------------------------------------------------------
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setSpacing(12)
        self.status = self.label("banner")
        self.status.setObjectName("callStatus")
        self.video_grid = QGridLayout()
        self.video_grid.setSpacing(8)
        self.remote_views: dict[str, VideoView] = {}
        self.videos = QWidget()
        self.videos.setLayout(self.video_grid)
        self.videos.setMinimumHeight(420)
        lbox.addWidget(self.status)
        lbox.addWidget(self.videos, 1)
        bottom = QHBoxLayout()
        self.self_view = SelfView()
        self.self_view.setFixedSize(320, 180)
        self.timer_label = self.label("subtitle", wrap=False)
        self.timer_label.setObjectName("callTimer")
        self.privacy = self.label()
        bottom.addWidget(self.self_view)
        info = QVBoxLayout()
        info.addWidget(self.timer_label)
        info.addWidget(self.privacy)
        bottom.addLayout(info, 1)
        lbox.addLayout(bottom)
        outer.addWidget(left, 1)
        # --- controls / chat / ended -----------------------------------------------------
        self.side = PageStack()
        self.side.addWidget(self._controls())
        self.side.addWidget(self._chat_panel())
        self.side.addWidget(self._share_panel())
        # A stack is as wide as its widest page: follow the page shown instead.
        self.side.currentChanged.connect(lambda i: self.side.setFixedWidth(self.side.widget(i).minimumWidth()))
        self.side.setFixedWidth(self.side.widget(0).minimumWidth())
        outer.addWidget(self.side)
        self.pages.addWidget(call_page)
        self.pages.addWidget(self._ended_panel())
        self.clock = QTimer(self)
        self.clock.setInterval(500)
        self.clock.timeout.connect(self._tick)

    # --- building ----------------------------------------------------------------------
    def _controls(self) -> QWidget:
        w = QWidget()
        w.setFixedWidth(440)
        box = QVBoxLayout(w)
        box.setSpacing(16)
        self.mute_button = BigButton()
        self.mute_button.setObjectName("callMute")
        self.mute_button.clicked.connect(self.toggle_mute)
        self.camera_button = BigButton()
        self.camera_button.setObjectName("callCamera")
        self.camera_button.clicked.connect(self.toggle_camera)
        vol = QHBoxLayout()
        self.quieter = BigButton("key")
        self.quieter.clicked.connect(lambda: self.change_volume(-1))
        self.louder = BigButton("key")
        self.louder.clicked.connect(lambda: self.change_volume(+1))
        vol.addWidget(self.quieter)
        vol.addWidget(self.louder)
        self.volume_label = self.label()
        self.cant_hear_button = BigButton()
        self.cant_hear_button.setObjectName("cantHear")
        self.cant_hear_button.clicked.connect(self.cant_hear)
        self.chat_button = BigButton()
        self.chat_button.setObjectName("openChat")
        self.chat_button.clicked.connect(self.open_chat)
        self.share_button = BigButton()
        self.share_button.setObjectName("shareDocument")
        self.share_button.clicked.connect(self.open_share)
        self.hang_up_button = BigButton("danger")
        self.hang_up_button.setObjectName("hangUp")
        self.hang_up_button.setMinimumHeight(90)
        self.hang_up_button.clicked.connect(self.hang_up)
        for b in (self.mute_button, self.camera_button):
            box.addWidget(b)
        box.addWidget(self.volume_label)
        box.addLayout(vol)
        box.addWidget(self.cant_hear_button)
        box.addWidget(self.chat_button)
        box.addWidget(self.share_button)
        box.addStretch(1)
        box.addWidget(self.hang_up_button)
        return w

    def _chat_panel(self) -> QWidget:
        w = QWidget()
        w.setFixedWidth(1000)
        box = QVBoxLayout(w)
        box.setSpacing(12)
        self.chat_view = QPlainTextEdit()
        self.chat_view.setObjectName("chatView")
        self.chat_view.setReadOnly(True)
        self.chat_input = QLineEdit()
        self.chat_input.setObjectName("chatInput")
        self.chat_input.setMaxLength(1000)
        self.chat_input.returnPressed.connect(self.send_chat)
        self.keyboard = OnScreenKeyboard(self.chat_input)
        self.keyboard.entered.connect(self.send_chat)
        row = QHBoxLayout()
        self.close_chat_button = BigButton()
        self.close_chat_button.clicked.connect(lambda: self.side.setCurrentIndex(0))
        self.hang_up_small = BigButton("danger")
        self.hang_up_small.clicked.connect(self.hang_up)
        row.addWidget(self.close_chat_button)
        row.addStretch(1)
        row.addWidget(self.hang_up_small)
        box.addWidget(self.chat_view, 1)
        box.addWidget(self.chat_input)
        box.addWidget(self.keyboard)
        box.addLayout(row)
        return w

    def _share_panel(self) -> QWidget:
        """Choose a document, see exactly what goes, then send (or not)."""
        w = QWidget()
        w.setFixedWidth(700)
        box = QVBoxLayout(w)
        box.setSpacing(12)
        self.share_title = self.label("subtitle")
        self.share_list = QVBoxLayout()
        self.share_preview = self.label()
        self.share_preview.setObjectName("sharePreview")
        self.share_preview.setFixedHeight(360)
        self.share_detail = self.label()
        self.share_detail.setObjectName("shareDetail")
        self.send_button = BigButton("primary")
        self.send_button.setObjectName("sendDocument")
        self.send_button.clicked.connect(self.send_document)
        self.share_back = BigButton()
        self.share_back.clicked.connect(lambda: self.side.setCurrentIndex(0))
        box.addWidget(self.share_title)
        box.addLayout(self.share_list)
        box.addWidget(self.share_preview)
        box.addWidget(self.share_detail)
        box.addLayout(self.row(self.share_back, self.send_button))
        box.addStretch(1)
        self.share_buttons: dict[str, BigButton] = {}
        self.chosen: str | None = None
        self.sending = False
        self.share_result = ""
        return w

    def _ended_panel(self) -> QWidget:
        w = QWidget()
        box = self.column(w, 96)
        self.ended_text = self.label("subtitle")
        self.ended_text.setObjectName("callEnded")
        self.again_button = BigButton("primary")
        self.again_button.setObjectName("callAgain")
        self.again_button.clicked.connect(lambda: self.shell.navigate("call_check", link=self.link, line=self.line))
        self.menu_button = BigButton()
        self.menu_button.clicked.connect(lambda: self.shell.navigate("home"))
        box.addWidget(self.ended_text)
        buttons = self.row(self.again_button, self.menu_button, stretch_first=False)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addStretch(1)
        return w

    # --- joining -----------------------------------------------------------------------
    @property
    def calls(self):  # type: ignore[no-untyped-def]
        return getattr(self.shell, "calls", None)

    @property
    def in_call(self) -> bool:
        """A call is running (the resident may have gone to scan a page meanwhile)."""
        return self.calls is not None and self.calls.engine.state not in (CallState.IDLE, CallState.ENDED)

    def entered(self, **params: object) -> None:
        if self.in_call:
            self.side.setCurrentIndex(0)
            self.retranslate()  # back to the running call: nothing is joined again
            return
        link, line = params.get("link"), params.get("line")
        self.link = link if isinstance(link, str) else None
        self.line = line if isinstance(line, str) else ""
        self.end = None
        self.chat_lines = []
        self.chat_view.setPlainText("")
        self.muted, self.camera_on, self.volume_step = False, True, 2
        self.started_at = None
        self.side.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        for view in self.remote_views.values():
            view.deleteLater()
        self.remote_views = {}
        if self.calls is None:
            self._ended(StateChanged(CallState.ENDED, EndReason.UNREACHABLE))
            return
        if not self._connected:
            self._connected = True
            c = self.calls
            c.state_changed.connect(self._state)
            c.remotes_changed.connect(self._remotes)
            c.frame_ready.connect(self._frame)
            c.chat.connect(self._chat)
            c.document.connect(self._received)
        self.self_view.start(self.shell.ctx.camera)
        self.state = CallState.CONNECTING
        self.retranslate()
        self.hang_up_button.setFocus()
        try:
            self.calls.join(self.link, self.line)
        except InvalidInvitation:
            self._ended(StateChanged(CallState.ENDED, EndReason.REFUSED, "token_invalid"))
            return
        self.shell.ctx.lifecycle.begin_busy(self, "call")
        self.clock.start()

    # --- from the engine ---------------------------------------------------------------
    def _state(self, event: StateChanged) -> None:
        if event.state is CallState.IN_CALL and self.started_at is None:
            self.started_at = self.shell.ctx.clock.monotonic()
        if event.state is CallState.ENDED:
            self._ended(event)
            return
        self.state = event.state
        self.retranslate()

    def _ended(self, event: StateChanged) -> None:
        self.state = CallState.ENDED
        self.end = event
        self.clock.stop()
        self.self_view.stop()
        self.shell.ctx.lifecycle.end_busy(self)
        if event.reason is EndReason.HUNG_UP and self.shell.current == self.name:
            self.shell.navigate("home")
            return
        self.pages.setCurrentIndex(1)
        self.retranslate()
        self.menu_button.setFocus()

    def _remotes(self, remotes: tuple[Remote, ...]) -> None:
        self.remotes = remotes
        for pid in [p for p in self.remote_views if p not in {r.peer_id for r in remotes}]:
            self.remote_views.pop(pid).deleteLater()
        self.retranslate()

    def _frame(self, peer_id: str) -> None:
        image = self.calls.latest_frame(peer_id) if self.calls is not None else None
        if image is None or self.state is CallState.ENDED:
            return
        view = self.remote_views.get(peer_id)
        if view is None:
            view = VideoView()
            view.setObjectName(f"remote_{peer_id}")
            self.remote_views[peer_id] = view
            n = len(self.remote_views) - 1
            self.video_grid.addWidget(view, n // 2, n % 2)
        view.set_frame(image)

    def _chat(self, name: str, text: str) -> None:
        self.chat_lines.append(f"{name}: {text}")
        self.chat_view.appendPlainText(f"{name}: {text}")
        self.shell.ctx.lifecycle.activity()
        if self.side.currentIndex() == 0:
            self.open_chat()

    def _received(self, event: DocumentReceived) -> None:
        """A document from the staff: into the vault (gone with the session), and said so."""
        vault = self.shell.ctx.vault
        if vault is None:
            return
        name = vault.free_name(event.document.name)
        vault.write_bytes(name, event.document.data)
        log.info("call: a document arrived from the staff (%d bytes)", len(event.document.data))
        self.shell.notices.show_notice(Notice(
            "call_document",
            # TRANSLATORS: title when the staff member sent a document to the booth during a call
            lambda: tr("call", "You received a document"),
            # TRANSLATORS: {name} is the document's file name; it is removed when the session ends
            lambda: tr("call", "The staff member sent you \"{name}\". It is kept in this booth until your session ends. You can print it from the main menu.", name=name),
        ))

    # --- sharing -------------------------------------------------------------------------
    def open_share(self) -> None:
        vault = self.shell.ctx.vault
        names = vault.names() if vault is not None else []
        for b in self.share_buttons.values():
            b.deleteLater()
        self.share_buttons = {}
        for name in names:
            b = BigButton()
            b.setText(name)
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, n=name: self.choose(n))
            self.share_list.addWidget(b)
            self.share_buttons[name] = b
        self.chosen, self.share_result = None, ""
        self.share_preview.clear()
        self.side.setCurrentIndex(2)
        self.retranslate()

    def choose(self, name: str) -> None:
        vault = self.shell.ctx.vault
        if vault is None:
            return
        self.chosen = name
        for n, b in self.share_buttons.items():
            b.setChecked(n == name)
        image, pages = first_page(vault.read_bytes(name), QSize(500, 350))
        self.share_pages = pages
        if image is not None:
            self.share_preview.setPixmap(QPixmap.fromImage(image))
        else:
            self.share_preview.clear()
        self.share_result = ""
        self.retranslate()

    def _staff_in_call(self) -> list[Remote]:
        return [r for r in self.remotes if r.role == "staff" and r.peer_id in (self.calls.engine.links if self.calls else {})]

    def send_document(self) -> None:
        vault, name = self.shell.ctx.vault, self.chosen
        staff = self._staff_in_call()
        if vault is None or name is None or not staff or self.sending or self.calls is None:
            return
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        doc = Document(name, vault.read_bytes(name), mime)
        self.sending = True
        self.shell.ctx.lifecycle.begin_busy(self.send_button, "sending a document")
        # TRANSLATORS: while a document is being sent to the staff member
        self.share_result = tr("call", "Sending…")
        self.retranslate()
        futures = [self.calls.engine.share(r.peer_id, doc) for r in staff]

        def done(_f: concurrent.futures.Future[None]) -> None:
            if all(f.done() for f in futures):
                self.shell.bridge.post(lambda: self._sent([f.exception() for f in futures]))

        for f in futures:
            f.add_done_callback(done)

    def _sent(self, errors: list[BaseException | None]) -> None:
        if not self.sending:
            return
        self.sending = False
        self.shell.ctx.lifecycle.end_busy(self.send_button)
        failed = [e for e in errors if e is not None]
        if failed:
            log.warning("call: sending a document failed: %s", type(failed[0]).__name__)
            # TRANSLATORS: the document did not reach the staff member
            self.share_result = tr("call", "The document could not be sent. Try again.")
        else:
            # TRANSLATORS: the staff member's browser confirmed the document arrived whole
            self.share_result = tr("call", "Sent. The staff member has the document.")
        self.retranslate()

    # --- the resident's buttons --------------------------------------------------------
    def toggle_mute(self) -> None:
        self.muted = not self.muted
        if self.calls is not None:
            self.calls.engine.set_muted(self.muted)
        self.retranslate()

    def toggle_camera(self) -> None:
        self.camera_on = not self.camera_on
        if self.calls is not None:
            self.calls.engine.set_camera(self.camera_on)
        self.retranslate()

    def change_volume(self, step: int) -> None:
        self.volume_step = max(0, min(len(VOLUME_STEPS) - 1, self.volume_step + step))
        if self.calls is not None:
            self.calls.engine.set_volume(VOLUME_STEPS[self.volume_step])
        self.retranslate()

    def cant_hear(self) -> None:
        """Louder, the chat open, and the staff told, in one touch."""
        self.volume_step = max(self.volume_step, CANT_HEAR_VOLUME)
        if self.calls is not None:
            self.calls.engine.set_volume(VOLUME_STEPS[self.volume_step])
            self.calls.engine.send_event("cant_hear")
        self.open_chat()

    def open_chat(self) -> None:
        self.side.setCurrentIndex(1)
        self.chat_input.setFocus()
        self.retranslate()

    def send_chat(self) -> None:
        text = self.chat_input.text().strip()
        if not text or self.calls is None:
            return
        self.calls.engine.send_chat(text)
        # TRANSLATORS: how the resident's own chat lines are marked in the chat
        line = tr("call", "You: {message}", message=text)
        self.chat_lines.append(line)
        self.chat_view.appendPlainText(line)
        self.chat_input.clear()

    def hang_up(self) -> None:
        if self.calls is not None and self.state is not CallState.ENDED:
            self.calls.engine.hang_up()
        else:
            self.shell.navigate("home")

    def _tick(self) -> None:
        if self.started_at is not None:
            seconds = int(self.shell.ctx.clock.monotonic() - self.started_at)
            self.timer_label.setText(f"{seconds // 60}:{seconds % 60:02d}")

    # --- words ---------------------------------------------------------------------------
    def _status_text(self) -> str:
        s = self.state
        if s is CallState.CONNECTING:
            # TRANSLATORS: while the booth connects to the video call service
            return tr("call", "Connecting…")
        if s is CallState.WAITING:
            joining = [r.name for r in self.remotes if r.role == "staff"]
            if joining:
                # TRANSLATORS: a staff member has opened the call page and is about to join; {name} is their name
                return tr("call", "{name} is joining the call…", name=joining[0])
            # TRANSLATORS: the booth is in the call room and the staff member has not joined yet
            return tr("call", "Waiting for the staff member to join. This can take a few minutes.")
        if s is CallState.RECONNECTING:
            # TRANSLATORS: the picture and sound stopped; the booth is trying to get the call back
            return tr("call", "The connection was interrupted. Reconnecting…")
        return ""

    def _ended_text(self) -> str:
        e = self.end
        reason = e.reason if e is not None else None
        if reason is EndReason.STAFF_LEFT:
            # TRANSLATORS: the staff member hung up
            return tr("call", "The staff member ended the call.")
        if reason is EndReason.NETWORK:
            # TRANSLATORS: the network did not come back, so the call ended
            return tr("call", "The call ended because the connection did not come back. You can try again.")
        if reason is EndReason.REFUSED and e is not None and e.detail == "token_expired":
            # TRANSLATORS: the call invitation (a link or QR code) is too old
            return tr("call", "This call invitation has expired. Ask for a new one.")
        if reason is EndReason.REFUSED and e is not None and e.detail == "room_full":
            # TRANSLATORS: the call already has the most people it can take
            return tr("call", "The call is full. Try again later.")
        if reason is EndReason.REFUSED:
            # TRANSLATORS: the call invitation is not valid (wrong or damaged)
            return tr("call", "This call invitation is not valid. Ask for a new one.")
        # TRANSLATORS: the video call service cannot be reached at all
        return tr("call", "The video call service cannot be reached. Try again later, or ask the contact person for help.")

    def retranslate(self) -> None:
        text = self._status_text()
        self.status.setText(text)
        self.status.setVisible(bool(text))
        # TRANSLATORS: privacy note shown during a call
        self.privacy.setText(tr("call", "Nothing in the call is recorded or kept."))
        if self.muted:
            # TRANSLATORS: call button: the microphone is off; turn it on
            self.mute_button.setText(tr("call", "Turn microphone on"))
        else:
            # TRANSLATORS: call button: the staff hear the resident; turn the microphone off
            self.mute_button.setText(tr("call", "Turn microphone off"))
        if self.camera_on:
            # TRANSLATORS: call button: the staff see the resident; turn the camera off
            self.camera_button.setText(tr("call", "Turn camera off"))
        else:
            # TRANSLATORS: call button: the camera is off; turn it on
            self.camera_button.setText(tr("call", "Turn camera on"))
        # TRANSLATORS: call volume buttons
        self.quieter.setText(tr("call", "Quieter"))
        # TRANSLATORS: call volume buttons
        self.louder.setText(tr("call", "Louder"))
        # TRANSLATORS: shows the call volume as a percentage
        self.volume_label.setText(tr("call", "Volume: {percent} %", percent=int(VOLUME_STEPS[self.volume_step] * 100)))
        # TRANSLATORS: call button: turns the volume up, opens the chat and tells the staff
        self.cant_hear_button.setText(tr("call", "I can't hear"))
        # TRANSLATORS: call button that opens the text chat
        self.chat_button.setText(tr("call", "Write messages"))
        # TRANSLATORS: call button that ends the call
        self.hang_up_button.setText(tr("call", "Hang up"))
        # TRANSLATORS: call button that ends the call (beside the chat)
        self.hang_up_small.setText(tr("call", "Hang up"))
        # TRANSLATORS: closes the chat and shows the call buttons again
        self.close_chat_button.setText(tr("call", "Back to the call buttons"))
        # TRANSLATORS: closes the document chooser and shows the call buttons again
        self.share_back.setText(tr("call", "Back to the call buttons"))
        # TRANSLATORS: call button: send a scanned page or another document to the staff member
        self.share_button.setText(tr("call", "Send a document"))
        vault = self.shell.ctx.vault
        self.share_button.setVisible(self.state is CallState.IN_CALL and vault is not None and bool(vault.names()))
        # TRANSLATORS: title of the document chooser during a call
        self.share_title.setText(tr("call", "Choose the document to send to the staff member"))
        if self.chosen is not None:
            # TRANSLATORS: confirmation before sending; {name} file name, {pages} number of pages
            self.share_detail.setText(tr("call", "This is what will be sent: \"{name}\", {pages} page(s). Only the staff member in this call gets it.", name=self.chosen, pages=getattr(self, "share_pages", 0)) + ("\n" + self.share_result if self.share_result else ""))
        else:
            self.share_detail.setText(self.share_result)
        # TRANSLATORS: button that sends the chosen document to the staff member
        self.send_button.setText(tr("call", "Send"))
        self.send_button.setEnabled(self.chosen is not None and not self.sending)
        self.keyboard.retranslate()
        if self.state is CallState.ENDED:
            self.ended_text.setText(self._ended_text())
        # TRANSLATORS: after a call ended: try to call again
        self.again_button.setText(tr("call", "Call again"))
        self.again_button.setVisible(self.end is not None and self.end.reason in (EndReason.NETWORK, EndReason.UNREACHABLE))
        # TRANSLATORS: after a call ended: back to the main menu
        self.menu_button.setText(tr("call", "Back to the main menu"))
