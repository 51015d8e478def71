"""Scan, print and copy as a resident does them, on SANE's test back end and the real
private cupsd + ippeveprinter (scripts/daemons.d/30-cups.sh)."""
from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.i18n import set_language
from session.print_quota import PrintQuota
from test_folder_ui import folder_service  # noqa: F401  (the stand-in Oma kansio)
from test_shell import click, start


def spool_files() -> set[Path]:
    spool = os.environ.get("VIRTU_TEST_PRINTER_SPOOL")
    assert spool, "the CUPS test daemons are not running"
    return {p for p in Path(spool).rglob("*") if p.is_file()}


def two_page_pdf() -> bytes:
    images = [Image.new("L", (300, 400), 255 - 80 * i) for i in range(2)]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:])
    return buf.getvalue()


@pytest.fixture
def booth(kiosk, qtbot):  # type: ignore[no-untyped-def]
    set_language("en")
    start(kiosk, qtbot)
    assert kiosk.ctx.scanner is not None and kiosk.ctx.scanner.get(timeout=30) is not None, "SANE's test scanner"
    assert kiosk.ctx.printer is not None, "the private CUPS queue"
    return kiosk


def open_tile(kiosk, qtbot, name: str):  # type: ignore[no-untyped-def]
    click(qtbot, kiosk.shell.screens["home"].tiles[name])
    assert kiosk.shell.current == name
    return kiosk.shell.screens[name]


def test_scan_pages_turn_remove_and_keep_as_one_pdf(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    scan = open_tile(booth, qtbot, "scan")
    click(qtbot, scan.fine_button)  # 150 dpi: quicker
    click(qtbot, scan.preview_button)
    qtbot.waitUntil(lambda: scan.preview.pixmap() is not None and not scan.preview.pixmap().isNull(), timeout=20000)
    for n in (1, 2):
        click(qtbot, scan.scan_button)
        qtbot.waitUntil(lambda n=n: scan.thumbs.count() == n and not scan.busy, timeout=20000)
    assert "Scanned pages: 2" == scan.pages_title.text()
    w, h = scan.page_size(1)
    click(qtbot, scan.rotate_button)
    qtbot.waitUntil(lambda: not scan.busy, timeout=10000)
    assert scan.page_size(1) == (h, w), "the page turned a quarter"
    click(qtbot, scan.delete_button)
    assert scan.thumbs.count() == 1
    click(qtbot, scan.save_button)
    vault = booth.ctx.vault
    assert vault.names() == ["Skannaus.pdf"], "one PDF; the page images are gone"
    assert len(re.findall(rb"/Type\s*/Page\b", vault.read_bytes("Skannaus.pdf"))) == 1
    assert "Saved as" in scan.status.text()


def test_a_paper_jam_is_explained_and_scanned_pages_stay(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    scan = open_tile(booth, qtbot, "scan")
    click(qtbot, scan.fine_button)
    click(qtbot, scan.scan_button)
    qtbot.waitUntil(lambda: scan.thumbs.count() == 1 and not scan.busy, timeout=20000)
    scanner = booth.ctx.scanner.get()
    scanner.option("read_return_value", "SANE_STATUS_JAMMED")
    try:
        click(qtbot, scan.scan_button)
        qtbot.waitUntil(lambda: "stuck" in scan.status.text(), timeout=20000)
    finally:
        scanner.option("read_return_value", "Default")
    assert scan.thumbs.count() == 1 and len(scan.page_names) == 1
    assert scan.page_names[0] in booth.ctx.vault.names()


def test_print_two_copies_reaches_the_printer_and_counts_pages(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    booth.ctx.vault.write_bytes("Hakemus.pdf", two_page_pdf())
    before = spool_files()
    screen = open_tile(booth, qtbot, "print")
    assert screen.document == "Hakemus.pdf"
    assert screen.preview.pixmap() is not None and not screen.preview.pixmap().isNull()
    click(qtbot, screen.stepper.more)
    assert "4 page(s)" in screen.quota.text()
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: "Printed" in screen.status.text(), timeout=30000)
    assert spool_files() - before, "the printer received the job"
    assert booth.ctx.print_quota.used == 4


def test_the_page_limit_is_explained(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    booth.ctx.print_quota = PrintQuota(3)
    booth.ctx.vault.write_bytes("Hakemus.pdf", two_page_pdf())
    screen = open_tile(booth, qtbot, "print")
    click(qtbot, screen.stepper.more)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: "only 3 more pages" in screen.status.text(), timeout=10000)


def test_a_stopped_printer_is_said_plainly(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    booth.ctx.vault.write_bytes("Hakemus.pdf", two_page_pdf())
    queue = booth.ctx.printer.queue
    screen = open_tile(booth, qtbot, "print")
    subprocess.run(["cupsdisable", queue], check=True)
    try:
        click(qtbot, screen.print_button)
        qtbot.waitUntil(lambda: "switched off" in screen.status.text(), timeout=10000)
    finally:
        subprocess.run(["cupsenable", queue], check=True)
    assert screen.print_button.isEnabled(), "the resident can try again"


def test_copy_scans_and_prints_in_one_step(booth, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = spool_files()
    screen = open_tile(booth, qtbot, "copy")
    click(qtbot, screen.look_button)
    qtbot.waitUntil(lambda: screen.preview.pixmap() is not None and not screen.preview.pixmap().isNull() and not screen.busy, timeout=20000)
    click(qtbot, screen.stepper.more)
    click(qtbot, screen.copy_button)
    qtbot.waitUntil(lambda: "Done" in screen.status.text(), timeout=60000)
    assert spool_files() - before
    assert booth.ctx.vault.names() == [], "the copy's scan is not kept"
    assert booth.ctx.print_quota.used == 2


def test_scanned_pages_go_straight_to_my_folder(booth, qtbot, folder_service) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from test_folder_ui import sign_in

    cfg = booth.ctx.config
    booth.ctx.config = dataclasses.replace(cfg, services=dataclasses.replace(cfg.services, oma_kansio_url=folder_service + "/"))
    scan = open_tile(booth, qtbot, "scan")
    click(qtbot, scan.fine_button)
    click(qtbot, scan.scan_button)
    qtbot.waitUntil(lambda: scan.thumbs.count() == 1 and not scan.busy, timeout=20000)
    click(qtbot, scan.folder_button)
    assert booth.shell.current == "folder"
    folder = booth.shell.screens["folder"]
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: "Saved to your folder" in folder.status.text(), timeout=10000)
    assert "Skannaus.pdf" in [folder.listing.item(i).data(256).name for i in range(folder.listing.count())]
