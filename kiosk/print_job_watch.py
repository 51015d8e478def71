"""Follows one print job until the paper is out or the printer gives up: asks CUPS every
half second off the UI thread (through the shell's bridge), one question at a time, and
answers on the UI thread. Shared by the print, copy and device-test screens."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from devices.printer import JobHandle, JobState

POLL_MS = 500


class JobWatch(QObject):
    def __init__(self, shell, on_end: Callable[[JobState], None], on_error: Callable[[BaseException], None],  # type: ignore[no-untyped-def]
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.on_end = on_end
        """Called once with DONE or FAILED (a cancelled job counts as failed)."""
        self.on_error = on_error
        self.job: JobHandle | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._ask)

    def watch(self, job: JobHandle) -> None:
        self.job = job
        self._timer.start()

    def stop(self) -> None:
        self.job = None
        self._timer.stop()

    def _ask(self) -> None:
        printer, job = self.shell.ctx.printer, self.job
        if printer is None or job is None:
            return
        self.shell.bridge.run(lambda: printer.job_state(job), lambda state: self._answer(job, state), self._error, name="print-job-state")

    def _answer(self, job: JobHandle, state: JobState) -> None:
        if job is not self.job:
            return  # stopped (or a new job) meanwhile
        if state in (JobState.PENDING, JobState.PRINTING):
            self._timer.start()
            return
        self.job = None
        self.on_end(state)

    def _error(self, error: BaseException) -> None:
        if self.job is None:
            return
        self.job = None
        self.on_error(error)
