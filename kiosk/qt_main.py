"""Starts Qt: the application object, the shell, and the Qt-side clean-ups."""
from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
from pathlib import Path

from devices.health import N_, Health, HealthState
from kiosk.app import Options
from kiosk.context import EXIT_RESTART, KioskContext
from session.clock import ManualClock
from session.lifecycle import EndReason, State

log = logging.getLogger(__name__)


def offscreen_for_screenshot() -> None:
    """A screenshot needs no display: render offscreen on a 1920×1080 screen at 96 dpi."""
    cfg = Path(tempfile.gettempdir()) / "virtu-offscreen-screen.json"
    cfg.write_text(
        json.dumps({"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}]})
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={cfg}"


def make_application():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, Qt, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    qInstallMessageHandler(qt_message_to_log)
    if app is None:
        QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)
        app = QApplication(["virtu-kiosk"])
    app.setApplicationName("virtu-kiosk")
    app.setQuitOnLastWindowClosed(False)  # only maintenance mode ends the kiosk
    return app


def build_shell(ctx: KioskContext, windowed: bool):  # type: ignore[no-untyped-def]
    """The shell plus the clean-ups only the Qt side can do (clipboard, preferences)."""
    from PySide6.QtGui import QClipboard, QGuiApplication

    from kiosk.bridge import Bridge
    from kiosk.media.vlc_frames import VlcFrameSource
    from kiosk.shell import Shell
    from kiosk.sound import Speaker

    shell = Shell(ctx, windowed=windowed)
    shell.speaker = Speaker(shell)
    shell.bridge = Bridge(shell)
    if ctx.camera is not None:
        watch_for_codes(shell, ctx.camera)
    if ctx.card_reader is not None:
        watch_cards(shell, ctx.card_reader)
    connect_calls(shell, ctx)
    if ctx.scanner is not None:
        scanner = ctx.scanner
        shell.destroyed.connect(lambda *_: scanner.close())

    def clear_clipboard() -> None:
        cb = QGuiApplication.clipboard()
        cb.clear(QClipboard.Clipboard)
        if cb.supportsSelection():
            cb.clear(QClipboard.Selection)

    ctx.lifecycle.register_cleanup("clipboard", clear_clipboard)

    def video_health() -> Health:
        if VlcFrameSource.available():
            # TRANSLATORS: health line in maintenance mode: the idle-screen video plays
            return Health("video", HealthState.OK, N_("The video player works."))
        # TRANSLATORS: health line in maintenance mode: the video library is missing, so a still picture is shown
        return Health("video", HealthState.DEGRADED, N_("The video player (libvlc) is missing: a still image is shown instead."))

    ctx.health_checks += [video_health, shell.speaker.health]
    return shell


def watch_for_codes(shell, camera) -> None:  # type: ignore[no-untyped-def]
    """While the idle or home screen shows, a code held up to the camera opens like a scanned one."""
    from devices.barcode.camera_reader import CameraBarcodeReader

    reader = CameraBarcodeReader(camera, shell.ctx.clock, lambda text: shell.bridge.post(lambda: shell.show_barcode(text)))
    shell.code_reader = reader  # maintenance's barcode test starts it too

    def follow(screen: str) -> None:
        if screen in ("attract", "home"):
            reader.start()
        else:
            reader.stop()

    shell.screen_changed.connect(follow)
    shell.destroyed.connect(lambda *_: camera.stop())
    follow(shell.current)


def watch_cards(shell, watcher) -> None:  # type: ignore[no-untyped-def]
    from kiosk.card_flow import CardFlow
    from kiosk.card_link import CardLink

    shell.card_link = CardLink(watcher, shell)
    shell.card_flow = CardFlow(shell, shell.card_link)
    shell.destroyed.connect(lambda *_: watcher.stop())
    watcher.start()


def connect_calls(shell, ctx) -> None:  # type: ignore[no-untyped-def]
    """One call engine (its asyncio thread starts here); the session's wipe ends any call."""
    from calls.engine import CallEngine
    from kiosk.call_link import CallLink

    engine = CallEngine(ctx.camera, ctx.config.devices.microphone)
    shell.calls = CallLink(engine, ctx.booth_link, ctx.config.booth, shell)
    ctx.lifecycle.register_cleanup("call", engine.close)

    def stop(*_: object) -> None:
        engine.close()
        engine.loop.stop()

    shell.destroyed.connect(stop)


def show_screen(shell, name: str) -> None:  # type: ignore[no-untyped-def]
    """Bring the shell to a named screen the way a resident would get there."""
    lc = shell.ctx.lifecycle
    if name == "maintenance":
        shell.open_maintenance()
        return
    if name == "cleaning":
        shell.cleaning.start()
        return
    if name in ("attract", "closed"):
        return
    lc.start()
    if name == "idle":
        clock = shell.ctx.clock
        if isinstance(clock, ManualClock):  # screenshots run on a manual clock
            clock.advance(lc.limits.idle_warning_s + 5)
        shell.tick()
        return
    if name == "ending":
        lc.request_end(EndReason.RESIDENT)
    elif name == "feedback":
        lc.request_end(EndReason.RESIDENT)
        lc.confirm_end()
    elif name == "barcode":
        shell.show_barcode("https://www.kela.fi/asiointi")
    elif name == "unavailable":
        shell.navigate("unavailable", service="scan")
    elif name != "home":
        shell.navigate(name)
    assert lc.state is not State.ATTRACT


def qt_message_to_log(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
    """Qt's own warnings go to the kiosk's log (maintenance mode shows it), not to a console."""
    from PySide6.QtCore import QtMsgType

    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO}.get(mode, logging.WARNING)
    logging.getLogger("qt").log(level, "%s", message)


def start_demo_services(ctx: KioskContext, shell) -> list:  # type: ignore[type-arg,no-untyped-def]
    """The demo's stand-ins on loopback (not for screenshots: they need no service)."""
    from server.demo_services import start_folder_service, start_room_service

    folder = start_folder_service(ctx.config.services.oma_kansio_url, ctx.paths.data)
    rooms = start_room_service(ctx.config.services.room_service_url, ctx.config.booth.id)
    if rooms is not None:
        booth = ctx.config.booth.id
        shell.calls.booth_link = lambda line: rooms.invite(f"{booth}-{line}" if line else booth, "booth", 120)
    return [s for s in (folder, rooms) if s is not None]


def restart_if_idle(ctx: KioskContext, shell) -> None:  # type: ignore[no-untyped-def]
    """A newer remote configuration is put to use by a fresh start, never under a resident."""
    from PySide6.QtWidgets import QApplication

    if ctx.restart_when_idle and ctx.lifecycle.state is State.ATTRACT and shell.current == "attract":
        log.info("restarting to use the new remote configuration")
        shell.allow_close = True
        QApplication.exit(EXIT_RESTART)


def run_qt(opts: Options, ctx: KioskContext) -> int:
    from kiosk import i18n

    app = make_application()
    shell = build_shell(ctx, windowed=opts.windowed or opts.screenshot is not None)
    if opts.lang:
        i18n.set_language(opts.lang)
    if opts.screenshot is not None:
        shell.resize(1920, 1080)
        shell.show()
        show_screen(shell, opts.screen)
        app.processEvents()
        ok = shell.grab().save(str(opts.screenshot), "PNG")
        ctx.lifecycle.end_now(EndReason.MAINTENANCE)  # wiped now, not left for the next start's sweep
        shell.allow_close = True
        shell.close()
        return 0 if ok else 1
    demo_services = start_demo_services(ctx, shell) if ctx.demo else []
    shell.show_kiosk()
    # systemd and Windows stop the kiosk with a signal: exit through the same wipe as
    # maintenance mode. Python runs the handler at the shell's next timer tick.
    signal.signal(signal.SIGTERM, lambda *_: app.exit(0))
    if ctx.fleet is not None:
        from PySide6.QtCore import QTimer

        ctx.fleet.start()
        watch = QTimer(shell)
        watch.timeout.connect(lambda: restart_if_idle(ctx, shell))
        watch.start(10_000)
    log.info("kiosk started")
    code = app.exec()
    if ctx.fleet is not None:
        ctx.fleet.stop()
    ctx.lifecycle.end_now(EndReason.MAINTENANCE)  # wiped now, not left for the next start's sweep
    for service in demo_services:
        service.stop()
    shell.allow_close = True
    shell.close()
    import shiboken6

    shiboken6.delete(shell)  # explicit, before the interpreter tears Qt down (xcb trap)
    return code
