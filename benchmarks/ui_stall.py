"""The UI thread's longest stalls while a call, a scan and an upload run at once.

The real Qt kiosk (offscreen) shows a call with Debian's headless Chromium on the staff
page, its remote video drawn as it arrives; meanwhile the scan screen scans A4 pages
(SANE's test back end) and an Oma kansio upload of 50 MB runs through the kiosk's bridge,
both handing their results to the UI thread as the screens do. A 5 ms QTimer on the UI
thread notes how late each of its ticks comes: a stall is that lateness. p99 of them."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure

FIGURE = Figure("call", "ui_stall_p99_ms", "ms", "< 50")
TICK_MS = 5


def measure(quick: bool) -> object:
    from benchmarks.call import camera_file, loopback_ice
    from benchmarks.chromium_pair import staff_browser

    loopback_ice()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sb = staff_browser()
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    from calls.events import CallState
    from devices.audio import test_tone, write_wav
    from devices.camera import CameraOwner, CameraSource
    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import KioskConfig
    from kiosk.qt_main import build_shell, make_application
    from server.embedded import start_embedded
    from server.folder.app import FolderService, serve
    from session.clock import ManualClock
    from session.lifecycle import EndReason
    from session.oma_kansio import signin
    from session.oma_kansio.client import FolderClient
    from session.paths import Paths

    seconds = 8.0 if quick else 20.0
    with tempfile.TemporaryDirectory(prefix="virtu-bench-stall-") as tmp:
        root = Path(tmp)
        paths = Paths(data=root / "data", ram=root / "ram")
        paths.ensure()
        app = make_application()
        ctx = build_context(KioskConfig.demo(), None, paths, ManualClock(start_wall=time.time()), True, setup_logging(paths, 30))
        camera = CameraOwner(CameraSource(str(camera_file(root, 1280, 720)), 1280, 720))
        ctx.camera = camera
        shell = build_shell(ctx, windowed=True)
        shell.resize(1920, 1080)
        shell.show()
        mic = root / "mic.wav"
        write_wav(mic, test_tone(2.0))
        rooms = start_embedded()
        folder = serve(FolderService(root / "served", [], {"bench": "bench-password"}))
        (root / "served" / "bench").mkdir(parents=True, exist_ok=True)
        try:
            ctx.lifecycle.start()
            shell.calls.engine.camera, shell.calls.engine.microphone = camera, str(mic)
            booth = ctx.config.booth.id
            shell.calls.booth_link = lambda line: rooms.invite(booth, "booth")

            def pump_until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
                deadline = time.monotonic() + timeout
                while not condition():
                    if time.monotonic() > deadline:
                        raise TimeoutError("the call did not start")
                    app.processEvents()
                    time.sleep(0.005)

            with sb.chromium() as browser:
                shell.navigate("call")
                screen = shell.screens["call"]
                page = browser.new_page()
                page.goto(rooms.invite(booth, "staff"))
                page.wait_for_function("!document.getElementById('join').disabled", timeout=15000)
                page.click("#join")
                pump_until(lambda: screen.state is CallState.IN_CALL and bool(screen.remote_views), 20)

                vault = ctx.vault
                assert vault is not None
                with vault.open_write("upload.bin") as out:
                    for _ in range(50):
                        out.write(os.urandom(1 << 20))
                client = FolderClient(folder.url + "/dav/", signin.with_app_password(folder.url, "bench", "bench-password"))
                scan_screen = shell.screens["scan"]
                uploads = 0
                errors: list[BaseException] = []

                def upload() -> None:
                    nonlocal uploads
                    uploads += 1
                    shell.bridge.run(lambda: client.upload(vault, "upload.bin", f"upload-{uploads}.bin"),
                                     lambda _r: upload() if time.monotonic() < end else None, errors.append, name="upload")

                lateness: list[float] = []
                clock = QElapsedTimer()
                ticker = QTimer()
                ticker.setInterval(TICK_MS)

                def tick() -> None:
                    lateness.append(max(0.0, clock.nsecsElapsed() / 1e6 - TICK_MS))
                    clock.restart()
                    if not scan_screen.busy and time.monotonic() < end:
                        scan_screen.scan_page()

                ticker.timeout.connect(tick)
                end = time.monotonic() + seconds
                clock.start()
                ticker.start()
                upload()
                while time.monotonic() < end:
                    app.processEvents()
                    time.sleep(0.001)
                ticker.stop()
                pages, frames = len(scan_screen.page_names), shell.calls.engine.frames_received()
                screen.hang_up()
                pump_until(lambda: screen.state is CallState.ENDED, 10)
                page.close()
            if errors or pages == 0 or uploads == 0:
                raise RuntimeError(f"the load did not run: {pages} pages scanned, {uploads} uploads, errors {errors!r}")
            lateness.sort()
            p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))]
            print(f"ui_stall: {len(lateness)} ticks, {pages} pages scanned, {uploads} uploads, remote frames {frames}, "
                  f"median lateness {statistics.median(lateness):.1f} ms", file=sys.stderr)
            return FIGURE.result(p99)
        finally:
            ctx.lifecycle.end_now(EndReason.MAINTENANCE)
            shell.allow_close = True
            shell.close()
            shell.deleteLater()
            QCoreApplication.sendPostedEvents(None, 0)
            camera.stop()
            rooms.stop()
            folder.stop()
