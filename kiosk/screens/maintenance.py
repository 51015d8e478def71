"""Maintenance mode for the booth's contact person: PIN first, then health, statistics, logs, actions."""
from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QHBoxLayout, QPlainTextEdit, QScrollArea, QScroller, QVBoxLayout, QWidget

from devices.audio import test_tone
from devices.health import HealthState
from kiosk import __version__
from kiosk.admin.auth import PinOutcome, PinResult
from kiosk.context import EXIT_RESTART, EXIT_STOP_FOR_SERVICING
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.screens.device_tests import DeviceTests
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.page_stack import PageStack
from kiosk.widgets.pin_pad import PinPad
from session.lifecycle import EndReason, State

log = logging.getLogger(__name__)


def health_state_name(state: HealthState) -> str:
    return {
        # TRANSLATORS: health of a device or subsystem in maintenance mode
        HealthState.OK: tr("maintenance", "OK"),
        # TRANSLATORS: health of a device or subsystem in maintenance mode
        HealthState.DEGRADED: tr("maintenance", "Partly working"),
        # TRANSLATORS: health of a device or subsystem in maintenance mode
        HealthState.DOWN: tr("maintenance", "Not working"),
    }[state]


@register
class MaintenanceScreen(Screen):
    name = "maintenance"
    needs_session = False

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self._pin_result: PinResult | None = None
        self.pages = PageStack()
        self.pages.addWidget(self._build_pin_page())
        self.pages.addWidget(self._build_dashboard())
        self.device_tests = DeviceTests(shell, self.show_dashboard)
        self.pages.addWidget(self.device_tests)
        shell.screen_changed.connect(lambda name: None if name == self.name else self.device_tests.stop())
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.pages)

    # --- PIN -------------------------------------------------------------------------
    def _build_pin_page(self) -> QWidget:
        page = QWidget()
        box = self.column(page)
        self.pin_title = self.label("title")
        self.pin_message = self.label("subtitle")
        self.pin_message.setObjectName("pinMessage")
        self.pin_pad = PinPad()
        self.pin_pad.setMaximumWidth(520)
        self.pin_pad.submitted.connect(self.try_pin)
        self.pin_back = BigButton()
        self.pin_back.clicked.connect(self.shell.close_maintenance)
        box.addWidget(self.pin_title)
        box.addWidget(self.pin_message)
        box.addWidget(self.pin_pad, 0, Qt.AlignHCenter)
        box.addStretch(1)
        box.addLayout(self.row(self.pin_back))
        return page

    def try_pin(self, pin: str) -> None:
        result = self.shell.ctx.auth.try_pin(pin)
        del pin
        if result.outcome is PinOutcome.OK:
            log.info("maintenance opened")
            self.show_dashboard()
            return
        log.info("maintenance PIN refused: %s", result.outcome.name.lower())
        self._pin_result = result
        self._show_pin_message()

    def _show_pin_message(self) -> None:
        r = self._pin_result
        if r is None:
            # TRANSLATORS: maintenance mode asks the contact person's PIN
            self.pin_message.setText(tr("maintenance", "Enter the maintenance PIN."))
        elif r.outcome is PinOutcome.WRONG:
            # TRANSLATORS: {tries} is how many PIN attempts remain before a lock-out
            self.pin_message.setText(tr("maintenance", "Wrong PIN. Tries left before a lock-out: {tries}.", tries=r.tries_left))
        elif r.outcome is PinOutcome.LOCKED:
            minutes = max(1, int(r.seconds_left + 59) // 60)
            # TRANSLATORS: {minutes} is a number of minutes
            self.pin_message.setText(tr("maintenance", "Too many wrong PINs. Try again in {minutes} min.", minutes=minutes))
        elif r.outcome is PinOutcome.STORE_UNAVAILABLE:
            # TRANSLATORS: the operating system's key store, where the PIN is kept, cannot be read
            self.pin_message.setText(tr("maintenance", "The PIN cannot be checked: the key store does not answer. Restart the computer; if that does not help, call IT support."))
        else:
            # TRANSLATORS: no maintenance PIN has been set on this booth yet
            self.pin_message.setText(tr("maintenance", "No maintenance PIN is set. Set one with: virtu-kiosk set-pin"))

    # --- dashboard -------------------------------------------------------------------
    def _build_dashboard(self) -> QWidget:
        page = QWidget()
        box = self.column(page, margins=32)
        self.dash_title = self.label("title")
        self.about = self.label()
        self.about.setObjectName("about")
        box.addWidget(self.dash_title)
        box.addWidget(self.about)
        cols = QHBoxLayout()
        # Health and usage scroll (touch-drag too) when large text makes them taller than the screen.
        left_widget = QWidget()
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        self.health_title = self.label("subtitle")
        self.health_list = self.label()
        self.health_list.setObjectName("healthList")
        self.stats_title = self.label("subtitle")
        self.stats_text = self.label()
        self.stats_text.setObjectName("statsText")
        for w in (self.health_title, self.health_list, self.stats_title, self.stats_text):
            left.addWidget(w)
        left.addStretch(1)
        right = QVBoxLayout()
        self.logs_title = self.label("subtitle")
        self.logs = QPlainTextEdit()
        self.logs.setObjectName("logView")
        self.logs.setReadOnly(True)
        self.logs.setStyleSheet("font-family: monospace; font-size: 14px;")
        right.addWidget(self.logs_title)
        right.addWidget(self.logs, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(left_widget)
        QScroller.grabGesture(scroll.viewport(), QScroller.LeftMouseButtonGesture)
        cols.addWidget(scroll, 1)
        cols.addLayout(right, 1)
        box.addLayout(cols, 1)
        self.action_result = self.label()
        self.action_result.setObjectName("actionResult")
        box.addWidget(self.action_result)
        grid = QGridLayout()
        self.actions: dict[str, BigButton] = {}
        for i, (key, handler, role) in enumerate(
            [
                ("end_session", self.end_session, "danger"),
                ("devices", self.show_device_tests, ""),
                ("test_sound", self.test_sound, ""),
                ("export", self.export_stats, ""),
                ("restart", self.restart, ""),
                ("stop", self.stop_for_servicing, "danger"),
                ("close", self.shell.close_maintenance, "primary"),
            ]
        ):
            b = BigButton(role)
            b.setObjectName(f"action_{key}")
            b.clicked.connect(handler)
            grid.addWidget(b, i // 4, i % 4)
            self.actions[key] = b
        box.addLayout(grid)
        return page

    def show_device_tests(self) -> None:
        self.pages.setCurrentIndex(2)
        self.device_tests.retranslate()
        self.device_tests.buttons["back"].setFocus()

    def show_dashboard(self) -> None:
        self.device_tests.stop()
        self.action_result.setText("")
        self.pages.setCurrentIndex(1)
        self.refresh()
        self.actions["close"].setFocus()

    def refresh(self) -> None:
        ctx = self.shell.ctx
        lines = []
        for h in ctx.health():
            lines.append(f"{health_state_name(h.state)} — {tr('health', h.message, **h.params)}")
        self.health_list.setText("\n".join(lines))
        today = ctx.stats.today()
        # TRANSLATORS: usage figures for today in maintenance mode
        self.stats_text.setText(
            tr(
                "maintenance",
                "Today: {sessions} sessions, {total} min in all, median {median} min.",
                sessions=today.sessions,
                total=round(today.total_s / 60),
                median=round(today.median_s / 60),
            )
        )
        self.logs.setPlainText("\n".join(ctx.logs.lines()))
        self.logs.verticalScrollBar().setValue(self.logs.verticalScrollBar().maximum())
        # TRANSLATORS: shown as the settings file when the demo runs without one
        config = ctx.config_path or tr("maintenance", "built-in demo settings")
        # TRANSLATORS: {version} is the program version, {config} the settings file's path
        self.about.setText(tr("maintenance", "Version {version}. Settings: {config}", version=__version__, config=config))
        self.actions["end_session"].setEnabled(ctx.lifecycle.state in (State.ACTIVE, State.ENDING))

    # --- actions ----------------------------------------------------------------------
    def end_session(self) -> None:
        self.shell.ctx.lifecycle.end_now(EndReason.MAINTENANCE)
        log.info("session ended from maintenance")
        # TRANSLATORS: result of the maintenance action "End the current session"
        self.action_result.setText(tr("maintenance", "The session was ended and its data removed."))
        self.refresh()

    def test_sound(self) -> None:
        ok = self.shell.speaker.play(test_tone())
        if ok:
            # TRANSLATORS: result of the maintenance action "Test sound"
            self.action_result.setText(tr("maintenance", "A test sound is playing."))
        else:
            # TRANSLATORS: result of the maintenance action "Test sound" when no speaker is connected
            self.action_result.setText(tr("maintenance", "No speaker was found."))

    def export_stats(self) -> None:
        ctx = self.shell.ctx
        folder = ctx.paths.data / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"usage-{dt.date.fromtimestamp(ctx.clock.time()).isoformat()}.csv"
        try:
            with path.open("w", newline="", encoding="utf-8") as f:
                ctx.stats.write_csv(f)
        except OSError:
            log.exception("statistics export failed")
            # TRANSLATORS: the statistics file could not be written
            self.action_result.setText(tr("maintenance", "The statistics could not be saved."))
            return
        # TRANSLATORS: {path} is where the statistics file was saved
        self.action_result.setText(tr("maintenance", "Statistics saved: {path}", path=str(path)))

    def _quit(self, code: int) -> None:
        self.shell.ctx.lifecycle.end_now(EndReason.MAINTENANCE)
        self.shell.allow_close = True
        QApplication.exit(code)

    def restart(self) -> None:
        log.info("restart requested from maintenance")
        self._quit(EXIT_RESTART)

    def stop_for_servicing(self) -> None:
        log.info("stopped for servicing from maintenance")
        self._quit(EXIT_STOP_FOR_SERVICING)

    # --- screen -----------------------------------------------------------------------
    def entered(self, **params: object) -> None:
        self._pin_result = None
        self.pin_pad.clear()
        self.pages.setCurrentIndex(0)
        locked = self.shell.ctx.auth.lockout.seconds_left()
        if locked > 0:
            self._pin_result = PinResult(PinOutcome.LOCKED, seconds_left=locked)
        self._show_pin_message()
        self.pin_pad.digit_buttons["1"].setFocus()

    def retranslate(self) -> None:
        # TRANSLATORS: title of maintenance mode, used by the booth's local contact person
        self.pin_title.setText(tr("maintenance", "Maintenance"))
        self.dash_title.setText(tr("maintenance", "Maintenance"))
        # TRANSLATORS: leaves the PIN screen of maintenance mode
        self.pin_back.setText(tr("maintenance", "Back"))
        self._show_pin_message()
        self.pin_pad.retranslate()
        # TRANSLATORS: heading: the state of each device and service
        self.health_title.setText(tr("maintenance", "Devices and services"))
        # TRANSLATORS: heading: anonymous usage statistics
        self.stats_title.setText(tr("maintenance", "Usage"))
        # TRANSLATORS: heading: the newest lines of the technical log
        self.logs_title.setText(tr("maintenance", "Latest log lines"))
        names = {
            # TRANSLATORS: maintenance action buttons
            "end_session": tr("maintenance", "End the current session"),
            # TRANSLATORS: maintenance action button: opens the device tests (printer, scanner, camera, card, barcode)
            "devices": tr("maintenance", "Test the devices"),
            # TRANSLATORS: maintenance action button: plays a short tone
            "test_sound": tr("maintenance", "Test sound"),
            # TRANSLATORS: maintenance action button: writes the daily usage totals to a CSV file
            "export": tr("maintenance", "Save statistics (CSV)"),
            # TRANSLATORS: maintenance action button
            "restart": tr("maintenance", "Restart the kiosk"),
            # TRANSLATORS: maintenance action button: stops the kiosk so that it is not restarted automatically
            "stop": tr("maintenance", "Stop for servicing"),
            # TRANSLATORS: maintenance action button: back to the resident's screens
            "close": tr("maintenance", "Close maintenance"),
        }
        for key, b in self.actions.items():
            b.setText(names[key])
        if self.pages.currentIndex() == 1:
            self.refresh()
        self.device_tests.retranslate()
