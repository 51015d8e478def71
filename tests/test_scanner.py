"""The scanner against SANE's real test back end: pages land in the vault, faults are plain."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from devices.health import HealthState
from devices.scanner import ColourMode, CoverOpen, NoDocument, PaperJam, ScanCancelled, ScanOptions, make_pdf, save_page
from devices.scanner.sane_backend import SaneScanner
from session.vault import Vault


@pytest.fixture(scope="session", autouse=True)
def sane_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the test back end, with room for A4 (sane.init reads this once per process)."""
    conf = tmp_path_factory.mktemp("sane")
    (conf / "dll.conf").write_text("test\n")
    text = Path("/etc/sane.d/test.conf").read_text()
    (conf / "test.conf").write_text(re.sub(r"(?m)^geometry_max .*$", "geometry_max 300.0", text))
    import os
    os.environ["SANE_CONFIG_DIR"] = str(conf)
    return conf


@pytest.fixture
def scanner() -> Iterator[SaneScanner]:
    s = SaneScanner("test:0")
    yield s
    # The test back end keeps option values between opens in one process.
    s.option("read_return_value", "Default")
    s.option("read_delay", False)
    s.close()


def test_lists_the_test_device(scanner: SaneScanner) -> None:
    assert any(d.device.startswith("test:") for d in scanner.devices())
    assert scanner.health().state is HealthState.OK


@pytest.mark.parametrize("mode,pil_mode", [(ColourMode.COLOUR, "RGB"), (ColourMode.GREY, "L")])
def test_a4_300dpi_into_the_vault(scanner: SaneScanner, vault: Vault, mode: ColourMode, pil_mode: str) -> None:
    image = scanner.scan(ScanOptions(resolution=300, mode=mode))
    assert image.mode == pil_mode
    assert abs(image.width - 2480) < 10 and abs(image.height - 3508) < 10
    save_page(vault, image, "page.png")
    with vault.open_read("page.png") as f:
        assert Image.open(f).size == image.size


def test_preview_is_smaller_and_faster(scanner: SaneScanner) -> None:
    t0 = time.perf_counter()
    full = scanner.scan(ScanOptions(resolution=300))
    t1 = time.perf_counter()
    small = scanner.preview()
    t2 = time.perf_counter()
    assert small.width * small.height < full.width * full.height / 10
    assert t2 - t1 < t1 - t0


def test_three_pages_make_one_pdf(scanner: SaneScanner, vault: Vault) -> None:
    names = []
    for i in range(3):
        names.append(f"p{i}.jpg")
        save_page(vault, scanner.scan(ScanOptions(resolution=150)), names[-1])
    make_pdf(vault, names, "scan.pdf", resolution=150)
    data = vault.read_bytes("scan.pdf")
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 3


@pytest.mark.parametrize("status,error", [
    ("SANE_STATUS_JAMMED", PaperJam), ("SANE_STATUS_NO_DOCS", NoDocument), ("SANE_STATUS_COVER_OPEN", CoverOpen),
])
def test_faults_become_plain_errors(scanner: SaneScanner, status: str, error: type[Exception]) -> None:
    scanner.option("read_return_value", status)
    with pytest.raises(error) as caught:
        scanner.scan(ScanOptions(resolution=150))
    assert "scanner" in str(caught.value)


def test_cancel_from_another_thread(scanner: SaneScanner) -> None:
    scanner.option("read_delay", True)
    threading.Timer(0.3, scanner.cancel).start()
    t0 = time.perf_counter()
    with pytest.raises(ScanCancelled):
        scanner.scan(ScanOptions(resolution=300))
    assert time.perf_counter() - t0 < 10


def test_scanning_leaves_sigpipe_ignored(scanner: SaneScanner) -> None:
    """Else a later write to a closed socket (an upload, a call) kills the whole kiosk."""
    scanner.scan(ScanOptions(resolution=150))
    status = Path("/proc/self/status").read_text()
    ignored = int(next(l for l in status.splitlines() if l.startswith("SigIgn")).split()[1], 16)
    assert ignored & (1 << (13 - 1)), "SIGPIPE must stay ignored"
