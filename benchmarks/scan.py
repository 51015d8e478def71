"""A4 at 300 dpi through the kiosk's SANE back end beside the `scanimage` command on the
same test device; both read SANE's test back end from a private config (only `test`)."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import Figure, Result, attempt, median, timed

GROUP = "scan"
SCAN = Figure(GROUP, "scan_a4_300dpi_s", "s", "ratio <= 1.3", "scanimage_a4_300dpi_s")
FIGURES = [SCAN]


def run(quick: bool) -> list[Result]:
    return attempt(FIGURES, lambda: _measure(3 if quick else 10))


def _config(folder: Path) -> None:
    """Must be in place before the first sane.init() of this process."""
    (folder / "dll.conf").write_text("test\n")
    text = Path("/etc/sane.d/test.conf").read_text()
    (folder / "test.conf").write_text(re.sub(r"(?m)^geometry_max .*$", "geometry_max 300.0", text))
    os.environ["SANE_CONFIG_DIR"] = str(folder)


def _measure(repetitions: int) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="virtu-bench-sane-") as tmp:
        _config(Path(tmp))
        from devices.scanner import ScanOptions
        from devices.scanner.sane_backend import SaneScanner

        scanner = SaneScanner("test:0")
        try:
            options = ScanOptions(resolution=300)
            ours = median([timed(lambda: scanner.scan(options)) for _ in range(repetitions)])
        finally:
            scanner.close()
        command = ["scanimage", "-d", "test:0", "--mode", "Color", "--resolution", "300", "-x", "210", "-y", "297",
                   "--format=pnm"]
        base = median([timed(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, check=True))
                       for _ in range(repetitions)])
    return [SCAN.result(ours, base)]
