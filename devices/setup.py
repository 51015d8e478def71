"""The scanner and printer named in the configuration, found without holding up start-up.

sane.init() probes network scanners and can take seconds, so the scanner is opened on a
thread of its own and its health reads what that thread found. The printer is a CUPS
queue: "auto" is CUPS's default (else its first queue); the printer's own address for
state questions is the queue's device URI.
"""
from __future__ import annotations

import logging
import threading

from devices.health import N_, Health, HealthState
from devices.printer import CupsPrinter
from devices.scanner.base import Scanner

log = logging.getLogger(__name__)


class ScannerSlot:
    def __init__(self, setting: str) -> None:
        self.setting = setting
        self.scanner: Scanner | None = None
        self.error = ""
        self._ready = threading.Event()
        threading.Thread(target=self._open, name="scanner-open", daemon=True).start()

    def _open(self) -> None:
        try:
            from devices.scanner.sane_backend import SaneScanner

            scanner = SaneScanner(None if self.setting == "auto" else self.setting)
            if not scanner.devices():
                self.error = "no scanner"
            else:
                self.scanner = scanner
        except Exception as exc:  # an unusable SANE is a health state, not a crash
            log.warning("scanner not available: %s", type(exc).__name__)
            self.error = type(exc).__name__
        finally:
            self._ready.set()

    def get(self, timeout: float = 30.0) -> Scanner | None:
        """Blocking (a worker thread's call): the scanner once SANE has answered."""
        self._ready.wait(timeout)
        return self.scanner

    def close(self) -> None:
        """Let go of the device (one user at a time: another kiosk in this process, a test)."""
        if self._ready.wait(30) and self.scanner is not None:
            self.scanner.close()

    def health(self) -> Health:
        if not self._ready.is_set():
            # TRANSLATORS: health line in maintenance mode: the scanner is still being looked for
            return Health("scanner", HealthState.DEGRADED, N_("Looking for the scanner…"))
        if self.scanner is None:
            # TRANSLATORS: health line in maintenance mode: no scanner is connected or it does not answer
            return Health("scanner", HealthState.DOWN, N_("No scanner is connected."))
        return self.scanner.health()


def printer_from_setting(setting: str) -> CupsPrinter | None:
    """None when printing is off or CUPS has no queue (maintenance shows why)."""
    if setting == "none":
        return None
    try:
        import cups

        conn = cups.Connection()
        printers = conn.getPrinters()
        queue = setting if setting != "auto" else (conn.getDefault() or next(iter(sorted(printers)), None))
    except RuntimeError as exc:  # cupsd not running
        log.warning("printing not available: %s", exc)
        return None
    if queue is None or queue not in printers:
        log.warning("printer queue not found")
        return None
    return CupsPrinter(queue, str(printers[queue].get("device-uri", "")))
