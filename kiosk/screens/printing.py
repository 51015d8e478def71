"""Print a document of this session: choose it, see its first page, copies, grey or colour,
two-sided where the printer can, then progress until the paper is out. The module is not
called print.py so that it does not shadow the builtin."""
from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QVBoxLayout, QWidget

from devices.printer import ColourChoice, JobHandle, JobState, PageLimitExceeded, PrintError, PrintOptions, PrinterState
from devices.printer.cups_printer import count_pages
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.print_job_watch import JobWatch
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.copies_stepper import CopiesStepper
from kiosk.widgets.document_preview import first_page

log = logging.getLogger(__name__)
PRINTABLE = (".pdf", ".jpg", ".jpeg", ".png")


def page_limit_text(pages: int, left: int) -> str:
    # TRANSLATORS: the per-session page limit; {pages} this job (copies included), {left} what remains
    return tr("print", "This would be {pages} pages, but you can print only {left} more pages in this session.", pages=pages, left=left)


def printer_state_text(state: PrinterState) -> str:
    texts = {
        # TRANSLATORS: the printer cannot print now because it has no paper
        PrinterState.OUT_OF_PAPER: lambda: tr("print", "The printer is out of paper. Ask the contact person to fill it."),
        # TRANSLATORS: printing is switched off (the print queue is stopped)
        PrinterState.STOPPED: lambda: tr("print", "Printing is switched off at the moment. Ask the contact person for help."),
        # TRANSLATORS: the printer is off or unplugged
        PrinterState.OFFLINE: lambda: tr("print", "The printer does not answer. Ask the contact person for help."),
    }
    return texts[state]() if state in texts else ""


@register
class PrintScreen(Screen):
    name = "print"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.document: str | None = None
        self.pages = 0
        self.grey = False
        self.duplex = False
        self.job: JobHandle | None = None
        self._status = lambda: ""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 16, 48, 16)
        outer.setSpacing(32)
        left = QVBoxLayout()
        self.title = self.label("title")
        self.choose_text = self.label("subtitle")
        self.documents = QListWidget()
        self.documents.setObjectName("printDocuments")
        self.documents.currentTextChanged.connect(self.choose)
        self.preview = self.label()
        self.preview.setObjectName("printPreview")
        self.preview.setFixedSize(420, 594)
        self.status = self.label("banner")
        self.status.setObjectName("printStatus")
        left.addWidget(self.title)
        left.addWidget(self.status)
        left.addWidget(self.choose_text)
        left.addWidget(self.documents, 1)
        outer.addLayout(left, 1)
        outer.addWidget(self.preview)
        right = QWidget()
        right.setFixedWidth(560)
        box = QVBoxLayout(right)
        box.setSpacing(16)
        self.stepper = CopiesStepper()
        self.stepper.changed.connect(lambda _n: self.retranslate())
        self.grey_button = BigButton()
        self.grey_button.setObjectName("printGrey")
        self.grey_button.setCheckable(True)
        self.grey_button.clicked.connect(self._toggle_grey)
        self.duplex_button = BigButton()
        self.duplex_button.setObjectName("printDuplex")
        self.duplex_button.setCheckable(True)
        self.duplex_button.clicked.connect(self._toggle_duplex)
        self.quota = self.label()
        self.quota.setObjectName("printQuota")
        self.print_button = BigButton("primary")
        self.print_button.setObjectName("printNow")
        self.print_button.setMinimumHeight(90)
        self.print_button.clicked.connect(self.print_now)
        box.addWidget(self.stepper)
        box.addWidget(self.grey_button)
        box.addWidget(self.duplex_button)
        box.addWidget(self.quota)
        box.addWidget(self.print_button)
        box.addStretch(1)
        outer.addWidget(right)
        self.watch = JobWatch(shell, self._job_state, self._failed, self)

    # --- choosing -----------------------------------------------------------------------
    def entered(self, **params: object) -> None:
        vault = self.shell.ctx.vault
        self.documents.clear()
        names = [n for n in (vault.names() if vault is not None else []) if n.lower().endswith(PRINTABLE)]
        self.documents.addItems(names)
        wanted = params.get("document")
        self.grey, self.duplex = False, False
        self.stepper.set_value(1)
        self.document = None
        self._say(lambda: "")
        if isinstance(wanted, str) and wanted in names:
            self.documents.setCurrentRow(names.index(wanted))
        elif names:
            self.documents.setCurrentRow(0)
        printer = self.shell.ctx.printer
        if printer is None:
            # TRANSLATORS: this booth has no printer set up
            self._say(lambda: tr("print", "This booth has no printer."))
        elif not names:
            # TRANSLATORS: nothing to print yet in this session
            self._say(lambda: tr("print", "There is nothing to print yet. Scan a document, open one from your folder, or save one from a web page first."))
        self.retranslate()

    def choose(self, name: str) -> None:
        vault = self.shell.ctx.vault
        if not name or vault is None:
            return
        self.document = name
        image, self.pages = first_page(vault.read_bytes(name), QSize(420, 594))
        if image is not None:
            self.preview.setPixmap(QPixmap.fromImage(image))
        else:
            self.preview.clear()
            self.pages = count_pages(vault, name)
        self.retranslate()

    def _toggle_grey(self) -> None:
        self.grey = not self.grey
        self.retranslate()

    def _toggle_duplex(self) -> None:
        self.duplex = not self.duplex
        self.retranslate()

    def _say(self, text) -> None:  # type: ignore[no-untyped-def]
        self._status = text
        self.status.setText(text())

    # --- printing -----------------------------------------------------------------------
    def print_now(self) -> None:
        ctx = self.shell.ctx
        printer, vault, name = ctx.printer, ctx.vault, self.document
        if printer is None or vault is None or name is None or self.job is not None:
            return
        options = PrintOptions(copies=self.stepper.value, colour=ColourChoice.GREY if self.grey else ColourChoice.COLOUR, duplex=self.duplex)
        left = ctx.print_quota.left
        self.print_button.setEnabled(False)
        # TRANSLATORS: while the document is being sent to the printer
        self._say(lambda: tr("print", "Sending to the printer…"))
        ctx.lifecycle.begin_busy(self, "printing")

        def send() -> JobHandle:
            state = printer.state()
            if state in (PrinterState.OUT_OF_PAPER, PrinterState.STOPPED, PrinterState.OFFLINE):
                raise _NotReady(state)
            return printer.print_document(vault, name, options, pages_left=left)

        self.shell.bridge.run(send, self._sent, self._failed, name="print")

    def _sent(self, job: JobHandle) -> None:
        self.job = job
        self.shell.ctx.print_quota.spend(job.pages)
        # TRANSLATORS: the printer has the document and is printing it
        self._say(lambda: tr("print", "Printing…"))
        self.watch.watch(job)
        self.retranslate()

    def _job_state(self, state: JobState) -> None:
        if state is JobState.DONE:
            self._finish()
            # TRANSLATORS: the print job is done
            self._say(lambda: tr("print", "Printed. Take your paper from the printer."))
        else:
            self._finish()
            # TRANSLATORS: the printer could not print the job
            self._say(lambda: tr("print", "The printer could not print this. Ask the contact person for help."))

    def _finish(self) -> None:
        self.job = None
        self.watch.stop()
        self.shell.ctx.lifecycle.end_busy(self)
        self.retranslate()

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, _NotReady):
            state = error.state
            self._say(lambda: printer_state_text(state))
        elif isinstance(error, PageLimitExceeded):
            pages, left = error.pages, error.limit
            self._say(lambda: page_limit_text(pages, left))
        else:
            if not isinstance(error, PrintError):
                log.error("printing failed unexpectedly: %s", type(error).__name__)
            # TRANSLATORS: the document could not be sent to the printer
            self._say(lambda: tr("print", "The document could not be printed. Try again, or ask the contact person for help."))

    # --- words --------------------------------------------------------------------------
    def retranslate(self) -> None:
        # TRANSLATORS: title of the print screen
        self.title.setText(tr("print", "Print"))
        # TRANSLATORS: above the list of this session's documents
        self.choose_text.setText(tr("print", "Choose what to print:"))
        self.stepper.retranslate()
        self.grey_button.setChecked(self.grey)
        # TRANSLATORS: print in black and white instead of colour (toggle)
        self.grey_button.setText(tr("print", "Black and white"))
        printer = self.shell.ctx.printer
        self.duplex_button.setVisible(printer is not None and printer.offers_duplex())
        self.duplex_button.setChecked(self.duplex)
        # TRANSLATORS: print on both sides of the paper (toggle)
        self.duplex_button.setText(tr("print", "Both sides of the paper"))
        left = self.shell.ctx.print_quota.left
        # TRANSLATORS: {pages} pages of this document (times copies); {left} pages the session may still print
        self.quota.setText(tr("print", "{pages} page(s). You can print {left} more pages in this session.", pages=self.pages * self.stepper.value, left=left))
        # TRANSLATORS: the button that prints
        self.print_button.setText(tr("print", "Print"))
        self.print_button.setEnabled(printer is not None and self.document is not None and self.job is None)
        self.status.setText(self._status())


class _NotReady(Exception):
    def __init__(self, state: PrinterState) -> None:
        super().__init__(state.value)
        self.state = state
