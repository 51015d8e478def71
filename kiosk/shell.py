"""The locked-down kiosk window: top bar, the screen stack, overlays and the session clock.

Input is watched on the top-level QWindow (every touch, click and key of the window passes
it first), never with an application-wide filter, which crashes once QtWebEngine runs.
"""
from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from kiosk import i18n
from devices.barcode.payload import classify
from kiosk.barcode_wedge import BarcodeWedge
from kiosk.config import opening_intervals
from kiosk.context import KioskContext
from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.lockdown import lock_down
from kiosk.overlays.cleaning import CleaningOverlay
from kiosk.overlays.idle_warning import IdleWarningOverlay
from kiosk.overlays.notice import NoticeOverlay
from kiosk.screens import Screen, load_all
from kiosk.theme import TextSize, Theme
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.page_stack import PageStack
from session.lifecycle import EndReason, State

log = logging.getLogger(__name__)

HOLD_CORNER_PX = 90
HOLD_SECONDS = 5.0
TICK_MS = 250


class Shell(QWidget):
    screen_changed = Signal(str)

    def __init__(self, ctx: KioskContext, windowed: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.windowed = windowed
        self.allow_close = False
        self.theme = Theme()
        self._hold_started: float | None = None
        self._maintenance_return: str | None = None
        self._before_ending = "home"
        self.setObjectName("kioskShell")
        self.setWindowTitle("Virtu")
        if not windowed:
            self.setWindowFlags(Qt.Window | Qt.FramelessWindowHint | Qt.WindowStaysOnTopHint)
        self.setContextMenuPolicy(Qt.NoContextMenu)

        self._build_top_bar()
        self.stack = PageStack()
        self.screens: dict[str, Screen] = {}
        for name, cls in load_all().items():
            screen = cls(self)
            self.screens[name] = screen
            self.stack.addWidget(screen)
        self._build_bottom_bar()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.top_bar)
        box.addWidget(self.stack, 1)
        box.addWidget(self.bottom_bar)

        self.idle_overlay = IdleWarningOverlay(self)
        self.idle_overlay.continue_clicked.connect(self._continue_session)
        self.notices = NoticeOverlay(self)
        self.cleaning = CleaningOverlay(self, ctx.clock)

        QShortcut(QKeySequence("Ctrl+Alt+M"), self, activated=self.open_maintenance)
        self.wedge = BarcodeWedge(ctx.clock, ctx.config.devices.keyboard_layout, self)
        self.wedge.scanned.connect(self.show_barcode)
        ctx.lifecycle.on_change(self._on_state)
        unsubscribe = i18n.on_language_changed(lambda _lang: self.retranslate())
        self.destroyed.connect(lambda *_: unsubscribe())
        i18n.set_language(ctx.config.languages.default)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

        self.apply_theme(self.theme)
        self.retranslate()
        lock_down(self)
        self.navigate(self._resting_screen())

    # --- building -------------------------------------------------------------------
    def _build_top_bar(self) -> None:
        self.top_bar = QWidget()
        self.top_bar.setObjectName("topBar")
        row = QHBoxLayout(self.top_bar)
        row.setContentsMargins(16, 8, 16, 8)
        self.booth_label = Screen.label("subtitle", wrap=False)
        row.addWidget(self.booth_label)
        row.addStretch(1)
        self.language_buttons: dict[str, BigButton] = {}
        for code in self.ctx.config.languages.offered:
            b = BigButton()
            b.setCheckable(True)
            b.setText(LANGUAGE_NAMES[code])
            b.clicked.connect(lambda _=False, c=code: self.set_language(c))
            self.language_buttons[code] = b
            row.addWidget(b)
        row.addSpacing(24)
        self.text_size_button = BigButton()
        self.text_size_button.clicked.connect(self.cycle_text_size)
        self.contrast_button = BigButton()
        self.contrast_button.setCheckable(True)
        self.contrast_button.clicked.connect(self.toggle_contrast)
        row.addWidget(self.text_size_button)
        row.addWidget(self.contrast_button)

    def _build_bottom_bar(self) -> None:
        self.bottom_bar = QWidget()
        self.bottom_bar.setObjectName("bottomBar")
        row = QHBoxLayout(self.bottom_bar)
        row.setContentsMargins(16, 10, 16, 10)
        self.home_button = BigButton("primary")
        self.home_button.clicked.connect(lambda: self.navigate("home"))
        self.end_button = BigButton("danger")
        self.end_button.clicked.connect(lambda: self.ctx.lifecycle.request_end(EndReason.RESIDENT))
        row.addWidget(self.home_button)
        row.addStretch(1)
        row.addWidget(self.end_button)

    # --- navigation -----------------------------------------------------------------
    @property
    def current(self) -> str:
        w = self.stack.currentWidget()
        return w.name if isinstance(w, Screen) else ""

    def navigate(self, name: str, **params: object) -> None:
        screen = self.screens[name]
        if screen.needs_session and self.ctx.lifecycle.state not in (State.ACTIVE, State.ENDING, State.FEEDBACK):
            log.warning("navigation to a session screen outside a session refused")
            name, screen = self._resting_screen(), self.screens[self._resting_screen()]
        self.stack.setCurrentWidget(screen)
        in_session = self.ctx.lifecycle.state is State.ACTIVE and screen.needs_session
        self.bottom_bar.setVisible(in_session and name not in ("ending", "feedback"))
        self.home_button.setVisible(name != "home")
        screen.entered(**params)
        self.screen_changed.emit(name)

    def _resting_screen(self) -> str:
        return "closed" if self.is_closed_now() else "attract"

    def _state_screen(self, state: State) -> str:
        return {
            State.ATTRACT: self._resting_screen(),
            State.ACTIVE: "home",
            State.ENDING: "ending",
            State.WIPING: "ending",
            State.FEEDBACK: "feedback",
        }[state]

    def _on_state(self, old: State, new: State) -> None:
        if new is State.WIPING:
            return
        if new is not State.ACTIVE:
            self.notices.dismiss()  # a question about the session means nothing once it ends
        if new is State.ATTRACT:
            # After the feedback question, which the resident still sees in their language.
            self.reset_preferences()
        target = self._state_screen(new)
        if self.current == "maintenance":
            self._maintenance_return = target
            return
        if old is State.ENDING and new is State.ACTIVE and self._before_ending:
            target = self._before_ending
        if new is State.ENDING:
            self._before_ending = self.current
        self.navigate(target)

    def card_changed(self) -> None:
        """An ID card was read or taken out: screens that greet or identify update."""
        for screen in self.screens.values():
            hook = getattr(screen, "card_changed", None)
            if hook is not None:
                hook()

    # --- barcodes -------------------------------------------------------------------
    def show_barcode(self, raw: str) -> None:
        """A scanned code, from the USB scanner or the camera: show what it is, never act blindly."""
        if self.current == "maintenance":
            self.screens["maintenance"].device_tests.barcode_seen(raw)
            return
        if self.cleaning.active:
            return
        cfg = self.ctx.config
        payload = classify(raw, cfg.services.room_service_url, tuple(cfg.web.allowed_sites))
        log.info("barcode scanned: %s", type(payload).__name__)
        lc = self.ctx.lifecycle
        if lc.state is State.ATTRACT:
            lc.start()
        if lc.state is State.ACTIVE:
            lc.use_service("barcode")
            self.navigate("barcode", payload=payload)

    # --- maintenance ----------------------------------------------------------------
    def open_maintenance(self) -> None:
        if self.current == "maintenance" or self.cleaning.active:
            return
        log.info("maintenance requested")
        self._maintenance_return = self.current
        self.idle_overlay.hide()
        self.bottom_bar.hide()
        self.stack.setCurrentWidget(self.screens["maintenance"])
        self.screens["maintenance"].entered()
        self.screen_changed.emit("maintenance")

    def close_maintenance(self) -> None:
        target = self._maintenance_return or self._state_screen(self.ctx.lifecycle.state)
        self._maintenance_return = None
        if self.screens[target].needs_session and self.ctx.lifecycle.state is not State.ACTIVE:
            target = self._state_screen(self.ctx.lifecycle.state)
        self.navigate(target)

    # --- preferences that reset with every session -----------------------------------
    def set_language(self, code: str) -> None:
        i18n.set_language(code)
        self._sync_top_bar()

    def cycle_text_size(self) -> None:
        self.apply_theme(Theme(self.theme.size.next(), self.theme.high_contrast))

    def toggle_contrast(self) -> None:
        self.apply_theme(Theme(self.theme.size, not self.theme.high_contrast))

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.setStyleSheet(theme.style_sheet())
        self._sync_top_bar()

    def reset_preferences(self) -> None:
        """The next resident starts from the booth's language, text size and colours."""
        i18n.set_language(self.ctx.config.languages.default)
        self.apply_theme(Theme())

    def _sync_top_bar(self) -> None:
        for code, b in self.language_buttons.items():
            b.setChecked(code == i18n.language())
        self.contrast_button.setChecked(self.theme.high_contrast)

    def retranslate(self) -> None:
        self.booth_label.setText(self.ctx.config.booth.name)
        sizes = {
            # TRANSLATORS: top-bar button; shows the current text size and changes it
            TextSize.NORMAL: tr("topbar", "Text size: normal"),
            # TRANSLATORS: top-bar button; shows the current text size and changes it
            TextSize.LARGE: tr("topbar", "Text size: large"),
            # TRANSLATORS: top-bar button; shows the current text size and changes it
            TextSize.EXTRA_LARGE: tr("topbar", "Text size: extra large"),
        }
        self.text_size_button.setText(sizes[self.theme.size])
        # TRANSLATORS: top-bar toggle for a black-and-yellow theme for poor sight
        self.contrast_button.setText(tr("topbar", "High contrast"))
        # TRANSLATORS: bottom-bar button back to the main menu
        self.home_button.setText(tr("bottombar", "Home"))
        # TRANSLATORS: bottom-bar button; ends the visit and removes the resident's data
        self.end_button.setText(tr("bottombar", "End session"))
        for screen in self.screens.values():
            screen.retranslate()
        self.idle_overlay.retranslate()
        self.notices.retranslate()
        self.cleaning.retranslate()
        self._sync_top_bar()

    # --- time -----------------------------------------------------------------------
    def is_closed_now(self) -> bool:
        now = dt.datetime.fromtimestamp(self.ctx.clock.time())
        intervals = opening_intervals(self.ctx.config, now.weekday())
        if intervals is None:
            return False
        minute = now.hour * 60 + now.minute
        return not any(start <= minute < end for start, end in intervals)

    def tick(self) -> None:
        lc = self.ctx.lifecycle
        lc.tick()
        warning = lc.warning() if self.current != "maintenance" else None
        self.idle_overlay.show_warning(warning)
        self.cleaning.tick()
        if self._hold_started is not None and self.ctx.clock.monotonic() - self._hold_started >= HOLD_SECONDS:
            self._hold_started = None
            self.open_maintenance()
        if lc.state is State.ATTRACT and self.current in ("attract", "closed"):
            resting = self._resting_screen()
            if resting != self.current:
                self.navigate(resting)

    def _continue_session(self) -> None:
        self.ctx.lifecycle.activity()
        self.idle_overlay.show_warning(None)

    # --- the lock-down --------------------------------------------------------------
    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not getattr(self, "_input_watch", None):
            self._input_watch = _InputWatch(self)
            handle.installEventFilter(self._input_watch)

    def show_kiosk(self) -> None:
        if self.windowed:
            self.resize(1280, 800)
            self.show()
            return
        screen = QGuiApplication.primaryScreen()
        # Under a bare X server with no window manager showFullScreen() is only a hint.
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            log.info("close request ignored")
            event.ignore()

    def corner_pressed(self, pos: QPoint) -> bool:
        return pos.x() <= HOLD_CORNER_PX and pos.y() <= HOLD_CORNER_PX

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.idle_overlay.setGeometry(self.rect())
        self.notices.setGeometry(self.rect())
        self.cleaning.setGeometry(self.rect())


class _InputWatch(QObject):
    """Counts every touch, click and key as activity; watches the maintenance corner."""

    _INPUT = {
        QEvent.MouseButtonPress,
        QEvent.MouseButtonRelease,
        QEvent.TouchBegin,
        QEvent.KeyPress,
        QEvent.Wheel,
    }

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        t = event.type()
        if t not in self._INPUT:
            return False
        shell = self.shell
        if t == QEvent.MouseButtonPress:
            if shell.corner_pressed(event.position().toPoint()):
                shell._hold_started = shell.ctx.clock.monotonic()
        elif t == QEvent.MouseButtonRelease:
            shell._hold_started = None
        if shell.cleaning.active:
            return True  # the screen is being wiped: swallow every touch
        shell.ctx.lifecycle.activity()
        if t == QEvent.KeyPress:
            return shell.wedge.key_pressed(event)
        return False
