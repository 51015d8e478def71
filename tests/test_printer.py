"""Printing against the real private cupsd and ippeveprinter (scripts/daemons.d/30-cups.sh):
the job reaches the printer, then nothing of it stays in CUPS; printer faults read plainly.
ippeveprinter keeps a media-empty or supply-low reason once set, so the fault tests are
marked printer_fault and run after every other test (tests/conftest.py), toner before
paper (paper outranks toner in the plain state)."""
from __future__ import annotations

import io
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import cups
import pytest
from PIL import Image

from devices.health import HealthState
from devices.printer import ColourChoice, CupsPrinter, JobState, PageLimitExceeded, PrintError, PrintOptions, PrinterState
from session.vault import Vault

MARKER = b"RESIDENT-MARKER-4711"


def _env(name: str) -> str:
    value = os.environ.get(name)
    assert value, f"{name} is not set: the CUPS test daemons are not running"
    return value


@pytest.fixture
def printer() -> Iterator[CupsPrinter]:
    p = CupsPrinter(_env("VIRTU_TEST_PRINTER"), _env("VIRTU_TEST_IPP"))
    yield p
    p.purge_unfinished()
    subprocess.run(["cupsenable", p.queue], check=True)


def _web(path: str) -> None:
    base = _env("VIRTU_TEST_IPP").replace("ipp://", "http://").split("/ipp/")[0]
    urllib.request.urlopen(base + path, timeout=5).read()


def _pdf(vault: Vault, pages: int = 3) -> str:
    images = [Image.new("L", (300, 400), 255 - 60 * i) for i in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], title=MARKER.decode())
    vault.write_bytes("Hakemus.pdf", buf.getvalue())
    return "Hakemus.pdf"


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_three_page_pdf_arrives_and_nothing_stays(printer: CupsPrinter, vault: Vault) -> None:
    spool = Path(_env("VIRTU_TEST_PRINTER_SPOOL"))
    before = set(_files(spool))
    handle = printer.print_document(vault, _pdf(vault), PrintOptions(), pages_left=10)
    assert handle.pages == 3
    deadline = time.monotonic() + 30
    state = printer.job_state(handle)
    while state not in (JobState.DONE, JobState.FAILED) and time.monotonic() < deadline:
        time.sleep(0.2)
        state = printer.job_state(handle)
    assert state is JobState.DONE
    assert set(_files(spool)) - before
    cups_root = Path(_env("VIRTU_TEST_CUPS_ROOT"))
    for path in _files(cups_root / "spool"):
        assert MARKER not in path.read_bytes()
        assert not path.name.startswith("d")
    out = subprocess.run(["lpstat", "-W", "all", "-o", printer.queue], capture_output=True, text=True).stdout
    assert f"-{handle.job_id} " not in out
    assert not _files(Path(os.environ["VIRTU_RAM_DIR"]))


def test_page_limit_refused(printer: CupsPrinter, vault: Vault) -> None:
    with pytest.raises(PageLimitExceeded) as caught:
        printer.print_document(vault, _pdf(vault), PrintOptions(copies=2), pages_left=5)
    assert "6 pages" in str(caught.value)


def test_idle_is_healthy(printer: CupsPrinter) -> None:
    assert printer.state() is PrinterState.IDLE
    assert printer.health().state is HealthState.OK


def test_copies_grey_and_duplex_reach_cups_as_asked(printer: CupsPrinter, vault: Vault) -> None:
    conn = cups.Connection()
    handle = printer.print_document(vault, _pdf(vault), PrintOptions(copies=2, colour=ColourChoice.GREY, duplex=True), pages_left=10)
    assert handle.pages == 6
    attrs = conn.getJobAttributes(handle.job_id)
    assert attrs["copies"] == 2
    assert attrs["print-color-mode"] == "monochrome"
    two_sided = "two-sided-long-edge" in conn.getPrinterAttributes(printer.queue).get("sides-supported", ())
    assert attrs.get("sides", "one-sided") == ("two-sided-long-edge" if two_sided else "one-sided")


def test_session_end_purges_an_unfinished_job(printer: CupsPrinter, vault: Vault) -> None:
    handle = printer.print_document(vault, _pdf(vault), PrintOptions(), pages_left=10)
    subprocess.run(["cupsdisable", printer.queue], check=True)  # keeps the job from finishing
    state = cups.Connection().getJobAttributes(handle.job_id)["job-state"]
    assert state < 9, "the job finished before the test could stop it"
    printer.purge_unfinished()
    deadline = time.monotonic() + 10  # CUPS stops the job's filters first
    while True:
        out = subprocess.run(["lpstat", "-W", "all", "-o", printer.queue], capture_output=True, text=True).stdout
        if f"-{handle.job_id} " not in out or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert f"-{handle.job_id} " not in out
    cups_root = Path(_env("VIRTU_TEST_CUPS_ROOT"))
    for path in _files(cups_root / "spool"):
        assert MARKER not in path.read_bytes()


def test_stopped_queue_is_a_clear_message(printer: CupsPrinter, vault: Vault) -> None:
    subprocess.run(["cupsdisable", printer.queue], check=True)
    assert printer.state() is PrinterState.STOPPED
    with pytest.raises(PrintError, match="maintenance"):
        printer.print_document(vault, _pdf(vault), PrintOptions(), pages_left=10)


@pytest.mark.printer_fault
def test_toner_low(printer: CupsPrinter) -> None:
    _web("/supplies?supply0=25&supply1=2")
    assert printer.state() is PrinterState.TONER_LOW
    assert printer.health().state is HealthState.DEGRADED


@pytest.mark.printer_fault
def test_out_of_paper(printer: CupsPrinter) -> None:
    _web("/media?size1=iso_a4_210x297mm&type1=stationery&level1=0")
    assert printer.state() is PrinterState.OUT_OF_PAPER
    health = printer.health()
    assert health.state is HealthState.DOWN and "paper" in health.message
