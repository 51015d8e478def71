"""SANE back end through python-sane. sane.init() runs once per process (it is slow with
network back ends and not reentrant); a cancelled scan returns a truncated image rather
than raising, so cancellation is tracked here."""
from __future__ import annotations

import ctypes
import logging
import signal
import sys
import threading

import sane
from PIL import Image

from devices.health import Health, HealthState, N_
from devices.scanner.fast_read import SaneReadError, read_started
from devices.scanner.base import (
    ColourMode, CoverOpen, NoDocument, PaperJam, ScanCancelled, ScanError, ScanOptions, Scanner, ScannerInfo,
)

log = logging.getLogger(__name__)
_init_lock = threading.Lock()
_initialised = False
_MODES = {ColourMode.COLOUR: "Color", ColourMode.GREY: "Gray"}
_FAULTS: dict[str, type[ScanError]] = {"jammed": PaperJam, "out of documents": NoDocument, "cover": CoverOpen}


def _init() -> None:
    global _initialised
    with _init_lock:
        if not _initialised:
            sane.init()
            _initialised = True


def _ignore_sigpipe_again() -> None:
    """SANE's reader thread (sanei_thread) puts SIGPIPE back to its default, process-wide:
    from then on a write to a closed socket (an upload, a call) would kill the kiosk
    instead of raising an error. Seen in the tests after the first scan. Python's
    signal.signal only works on the main thread, and scans run on workers: ask libc."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).signal(signal.SIGPIPE, signal.SIG_IGN)


def _mapped(err: Exception) -> ScanError:
    text = str(err).lower()
    for needle, kind in _FAULTS.items():
        if needle in text:
            return kind()
    return ScanError("The scanner failed.")


class SaneScanner(Scanner):
    """One SANE device; `device=None` takes the first one found."""

    def __init__(self, device: str | None = None) -> None:
        _init()
        self._name = device
        self._dev: sane.SaneDev | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    def devices(self) -> list[ScannerInfo]:
        return [ScannerInfo(d[0], d[1], d[2]) for d in sane.get_devices(localOnly=True)]

    def _open(self) -> sane.SaneDev:
        if self._dev is None:
            name = self._name
            if name is None:
                found = self.devices()
                if not found:
                    raise ScanError("No scanner was found.")
                name = found[0].device
            try:
                self._dev = sane.open(name)
            except sane._sane.error as err:
                log.warning("scanner open failed: %s", err)
                raise ScanError("The scanner could not be opened.") from None
            self._name = name
        return self._dev

    def option(self, name: str, value: object) -> None:
        """Sets a raw SANE option (the tests use it to make the test back end fail)."""
        setattr(self._open(), name, value)

    def scan(self, options: ScanOptions) -> Image.Image:
        with self._lock:
            dev = self._open()
            self._cancelled.clear()
            try:
                dev.mode = _MODES[options.mode]
                dev.resolution = options.resolution
                dev.tl_x, dev.tl_y = 0.0, 0.0
                dev.br_x, dev.br_y = options.area_mm
                dev.start()
                image = read_started(dev) or dev.snap()
            except (sane._sane.error, SaneReadError) as err:
                _ignore_sigpipe_again()
                if self._cancelled.is_set():
                    raise ScanCancelled() from None
                log.warning("scan failed: %s", err)
                raise _mapped(err) from None
            _ignore_sigpipe_again()
            if self._cancelled.is_set():
                raise ScanCancelled()
            return image

    def cancel(self) -> None:
        self._cancelled.set()
        dev = self._dev
        if dev is not None:
            dev.cancel()

    def health(self) -> Health:
        try:
            found = self.devices()
        except sane._sane.error as err:
            log.warning("scanner listing failed: %s", err)
            found = []
        if not found:
            # TRANSLATORS: health line in maintenance mode: no scanner is connected or it does not answer
            return Health("scanner", HealthState.DOWN, N_("No scanner is connected."))
        # TRANSLATORS: health line in maintenance mode: the scanner works
        return Health("scanner", HealthState.OK, N_("The scanner is ready."))

    def close(self) -> None:
        with self._lock:
            if self._dev is not None:
                self._dev.close()
                self._dev = None
