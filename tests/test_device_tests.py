"""Maintenance's device tests against the real components: CUPS + ippeveprinter, SANE's
test back end, pcscd + the virtual card, a video file as the camera, the barcode wedge."""
from __future__ import annotations

import os
from pathlib import Path

from kiosk.i18n import set_language
from session.lifecycle import State
from test_barcode_ui import type_keys
from test_shell import click, open_dashboard


def devices_page(kiosk, qtbot):  # type: ignore[no-untyped-def]
    set_language("en")
    m = open_dashboard(kiosk, qtbot)
    click(qtbot, m.actions["devices"])
    assert m.pages.currentIndex() == 2
    return m.device_tests


def test_test_page_reaches_the_printer(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    spool = Path(os.environ["VIRTU_TEST_PRINTER_SPOOL"])
    before = {p for p in spool.rglob("*") if p.is_file()}
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["print"])
    qtbot.waitUntil(lambda: "was printed" in page.result.text(), timeout=30000)
    assert {p for p in spool.rglob("*") if p.is_file()} - before


def test_test_scan_shows_the_page(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["scan"])
    qtbot.waitUntil(lambda: "scanner works" in page.result.text(), timeout=30000)
    assert page.picture.pixmap() is not None and not page.picture.pixmap().isNull()


def test_camera_picture_from_the_video_camera(kiosk, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import cv2
    import numpy as np

    from devices.camera import CameraOwner, CameraSource

    video = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 480))
    for i in range(30):
        writer.write(np.full((480, 640, 3), 8 * i, np.uint8))
    writer.release()
    kiosk.ctx.camera = CameraOwner(CameraSource(str(video)))
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["camera"])
    qtbot.waitUntil(lambda: page.camera_view.frames > 5, timeout=10000)
    click(qtbot, page.buttons["back"])
    qtbot.waitUntil(lambda: not kiosk.ctx.camera.running, timeout=5000)


def test_reading_a_card_names_it_and_starts_no_session(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["card"])
    insert_card("matti")
    qtbot.waitUntil(lambda: "Card read: Matti M." in page.result.text(), timeout=5000)
    assert kiosk.ctx.lifecycle.state is State.ATTRACT, "a card read in maintenance starts no session"
    assert "99919815R" not in page.result.text() and "Meikäläinen" not in page.result.text()


def test_reading_a_barcode_shows_it_and_opens_nothing(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["barcode"])
    type_keys(kiosk, "VT-0001-TEST")
    assert "Code read: VT-0001-TEST" in page.result.text()
    assert kiosk.shell.current == "maintenance"


def test_no_printer_is_said_plainly(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    kiosk.ctx.printer = None
    page = devices_page(kiosk, qtbot)
    click(qtbot, page.buttons["print"])
    assert "No printer" in page.result.text()
