"""Vault documents to CUPS via pycups. The plain copy lives only until CUPS has it; after a
job ends its document and history are purged, so the next resident finds nothing."""
from __future__ import annotations

import enum
import logging
import re
import threading
import time
from dataclasses import dataclass

import cups

from devices.health import Health, HealthState, N_
from devices.printer.ipp_state import PrinterState, printer_state
from session.vault import Vault

log = logging.getLogger(__name__)
PURGE_ATTEMPTS = 5
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class ColourChoice(enum.Enum):
    COLOUR = "color"
    GREY = "monochrome"


class JobState(enum.Enum):
    PENDING = "pending"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintOptions:
    copies: int = 1
    duplex: bool = False
    colour: ColourChoice = ColourChoice.GREY


@dataclass(frozen=True)
class JobHandle:
    job_id: int
    pages: int


class PrintError(Exception):
    """A print failed; the message is an English sentence without document names."""


class PageLimitExceeded(PrintError):
    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"This would print {pages} pages; the limit for a session is {limit}.")
        self.pages, self.limit = pages, limit


def count_pages(vault: Vault, name: str) -> int:
    """PDF pages counted by their page objects; an image is one page."""
    if not name.lower().endswith(".pdf"):
        return 1
    count, tail, keep = 0, b"", 32
    with vault.open_read(name) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            # A match starting in the last bytes is counted with the next chunk.
            count += sum(1 for m in _PAGE.finditer(data) if m.start() < len(data) - keep)
            tail = data[-keep:]
    count += len(_PAGE.findall(tail))
    return max(count, 1)


class CupsPrinter:
    """One CUPS queue; `ipp_uri` is the printer itself, asked for its true state."""

    def __init__(self, queue: str, ipp_uri: str) -> None:
        self.queue = queue
        self.ipp_uri = ipp_uri
        self._lock = threading.Lock()
        self._jobs: set[int] = set()
        self._duplex: bool | None = None

    def _conn(self) -> cups.Connection:
        try:
            return cups.Connection()
        except RuntimeError:
            raise PrintError("The print service is not running.") from None

    def _queue_attrs(self, conn: cups.Connection) -> dict[str, object]:
        try:
            return conn.getPrinterAttributes(self.queue)
        except cups.IPPError:
            raise PrintError("The printer is not set up.") from None

    def print_document(self, vault: Vault, name: str, options: PrintOptions, pages_left: int) -> JobHandle:
        pages = count_pages(vault, name) * options.copies
        if pages > pages_left:
            raise PageLimitExceeded(pages, pages_left)
        conn = self._conn()
        attrs = self._queue_attrs(conn)
        if attrs.get("printer-state") == 5 or not attrs.get("printer-is-accepting-jobs", True):
            raise PrintError("The printer is switched off for maintenance.")
        cups_opts = {"copies": str(options.copies), "print-color-mode": options.colour.value}
        if options.duplex and "two-sided-long-edge" in attrs.get("sides-supported", ()):
            cups_opts["sides"] = "two-sided-long-edge"
        with vault.plain_copy(name) as path:
            try:
                job_id = conn.printFile(self.queue, str(path), "kiosk", cups_opts)
            except cups.IPPError as err:
                log.warning("print submission failed: %s", err)
                raise PrintError("The document could not be sent to the printer.") from None
        with self._lock:
            self._jobs.add(job_id)
        return JobHandle(job_id, pages)

    def offers_duplex(self) -> bool:
        """Asked once (the queue's attributes do not change while the kiosk runs)."""
        if self._duplex is None:
            try:
                attrs = self._queue_attrs(self._conn())
            except PrintError:
                return False
            self._duplex = "two-sided-long-edge" in attrs.get("sides-supported", ())
        return self._duplex

    def job_state(self, handle: JobHandle) -> JobState:
        """Polled by the caller; a finished job is purged from CUPS at once."""
        conn = self._conn()
        try:
            state = conn.getJobAttributes(handle.job_id, ["job-state"])["job-state"]
        except cups.IPPError:
            return JobState.DONE
        result = {3: JobState.PENDING, 4: JobState.PENDING, 5: JobState.PRINTING, 6: JobState.PRINTING,
                  7: JobState.FAILED, 8: JobState.FAILED, 9: JobState.DONE}.get(state, JobState.PENDING)
        if result in (JobState.DONE, JobState.FAILED):
            self._purge(conn, handle.job_id)
        return result

    def _purge(self, conn: cups.Connection, job_id: int) -> None:
        """Cancel and forget the job: its files and its line in the history. A job that was
        still pending in a stopped queue is sometimes only cancelled by the first request
        (seen here: state 7 stays listed), so ask again until CUPS no longer knows it."""
        for _ in range(PURGE_ATTEMPTS):
            try:
                conn.cancelJob(job_id, purge_job=True)
            except cups.IPPError as err:
                if err.args and err.args[0] != cups.IPP_NOT_FOUND:
                    log.warning("purging print job %d failed: %s", job_id, err)
                break
            try:
                conn.getJobAttributes(job_id, ["job-state"])
            except cups.IPPError:
                break  # gone
            time.sleep(0.1)
        else:
            log.warning("print job %d is still listed after purging", job_id)
        with self._lock:
            self._jobs.discard(job_id)

    def purge_unfinished(self) -> None:
        """Session end: cancel whatever is left and remove its files and history."""
        conn = self._conn()
        with self._lock:
            jobs = list(self._jobs)
        for job_id in jobs:
            self._purge(conn, job_id)

    def state(self) -> PrinterState:
        try:
            attrs = self._queue_attrs(self._conn())
        except PrintError:
            return PrinterState.OFFLINE
        if attrs.get("printer-state") == 5:
            return PrinterState.STOPPED
        return printer_state(self.ipp_uri)

    def health(self) -> Health:
        state = self.state()
        messages = {
            # TRANSLATORS: health line in maintenance mode: the printer works and waits for jobs
            PrinterState.IDLE: (HealthState.OK, N_("The printer is ready.")),
            # TRANSLATORS: health line in maintenance mode: the printer is printing a job now
            PrinterState.PRINTING: (HealthState.OK, N_("The printer is printing.")),
            # TRANSLATORS: health line in maintenance mode: the printer's toner (ink) is low; order more
            PrinterState.TONER_LOW: (HealthState.DEGRADED, N_("The printer's toner is running low.")),
            # TRANSLATORS: health line in maintenance mode: the printer has no paper; fill the tray
            PrinterState.OUT_OF_PAPER: (HealthState.DOWN, N_("The printer is out of paper.")),
            # TRANSLATORS: health line in maintenance mode: printing was switched off on the booth (the print queue is stopped)
            PrinterState.STOPPED: (HealthState.DOWN, N_("The printer queue is stopped.")),
            # TRANSLATORS: health line in maintenance mode: the printer is off, unplugged or not reachable
            PrinterState.OFFLINE: (HealthState.DOWN, N_("The printer does not answer.")),
        }
        level, message = messages[state]
        return Health("printer", level, message, code=state.name.lower())
