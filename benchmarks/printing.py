"""A 3-page PDF from the vault through the kiosk's CUPS path beside plain `lp`, each timed
until the virtual printer (ippeveprinter, started by scripts/daemons.d/30-cups.sh) holds it."""
from __future__ import annotations

import io
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

from benchmarks.common import Figure, Result, attempt, median

GROUP = "print"
PRINT = Figure(GROUP, "print_3page_pdf_s", "s", "ratio <= 1.3", "lp_3page_pdf_s")
FIGURES = [PRINT]


def run(quick: bool) -> list[Result]:
    return attempt(FIGURES, lambda: _measure(2 if quick else 5))


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: start the CUPS daemons (scripts/daemons.d/30-cups.sh)")
    return value


def _pdf() -> bytes:
    from PIL import Image

    pages = [Image.new("L", (1240, 1754), 255 - 60 * i) for i in range(3)]
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buf.getvalue()


def _until_held(spool: Path, submit: Callable[[], object]) -> float:
    before = set(spool.iterdir())
    start = time.perf_counter()
    submit()
    while not set(spool.iterdir()) - before:
        if time.perf_counter() - start > 60:
            raise TimeoutError("the printer did not receive the job in 60 s")
        time.sleep(0.01)
    return time.perf_counter() - start


def _measure(repetitions: int) -> list[Result]:
    from devices.printer import CupsPrinter, PrintOptions
    from session.paths import Paths
    from session.vault import Vault

    queue, spool = _env("VIRTU_TEST_PRINTER"), Path(_env("VIRTU_TEST_PRINTER_SPOOL"))
    printer = CupsPrinter(queue, _env("VIRTU_TEST_IPP"))
    data = _pdf()
    with tempfile.TemporaryDirectory(prefix="virtu-bench-print-") as tmp:
        vault = Vault.create(Paths(data=Path(tmp) / "data", ram=Path(tmp) / "ram"))
        vault.write_bytes("doc.pdf", data)
        plain = Path(tmp) / "doc.pdf"
        plain.write_bytes(data)
        ours, base = [], []
        try:
            for _ in range(repetitions):
                ours.append(_until_held(spool, lambda: printer.print_document(vault, "doc.pdf", PrintOptions(), 100)))
                base.append(_until_held(spool, lambda: subprocess.run(
                    ["lp", "-d", queue, "-t", "kiosk", str(plain)], stdout=subprocess.DEVNULL, check=True)))
        finally:
            printer.purge_unfinished()
            vault.wipe()
    return [PRINT.result(median(ours), median(base))]
