"""Copy: scan what lies on the glass and print it, in one step, with the number of copies
and black and white or colour. The scan goes into the vault only for the time it takes."""
from __future__ import annotations

import logging

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from devices.printer import ColourChoice, JobHandle, JobState, PageLimitExceeded, PrintError, PrintOptions
from devices.scanner import ColourMode, ScanError, ScanOptions, make_pdf, save_page
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.print_job_watch import JobWatch
from kiosk.screens.printing import page_limit_text
from kiosk.screens.scan import qimage, scan_error_text
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.copies_stepper import CopiesStepper

log = logging.getLogger(__name__)


@register
class CopyScreen(Screen):
    name = "copy"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.grey = True
        self.busy = False
        self.job: JobHandle | None = None
        self.document: str | None = None
        self._status = lambda: ""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 16, 48, 16)
        outer.setSpacing(32)
        left = QVBoxLayout()
        self.title = self.label("title")
        self.instructions = self.label("subtitle")
        self.preview = self.label()
        self.preview.setObjectName("copyPreview")
        self.preview.setFixedSize(360, 509)
        self.preview.setAlignment(Qt.AlignCenter)
        self.status = self.label("banner")
        self.status.setObjectName("copyStatus")
        left.addWidget(self.title)
        left.addWidget(self.instructions)
        left.addWidget(self.status)
        left.addWidget(self.preview)
        left.addStretch(1)
        outer.addLayout(left, 1)
        right = QWidget()
        right.setFixedWidth(560)
        box = QVBoxLayout(right)
        box.setSpacing(16)
        self.stepper = CopiesStepper()
        self.colour_button = BigButton()
        self.colour_button.setObjectName("copyColour")
        self.colour_button.setCheckable(True)
        self.colour_button.clicked.connect(self._toggle_colour)
        self.look_button = BigButton()
        self.look_button.setObjectName("copyLook")
        self.look_button.clicked.connect(self.quick_look)
        self.copy_button = BigButton("primary")
        self.copy_button.setObjectName("copyNow")
        self.copy_button.setMinimumHeight(90)
        self.copy_button.clicked.connect(self.copy_now)
        box.addWidget(self.stepper)
        for w in (self.colour_button, self.look_button, self.copy_button):
            box.addWidget(w)
        box.addStretch(1)
        outer.addWidget(right)
        self.watch = JobWatch(shell, self._state, self._failed, self)

    def _say(self, text) -> None:  # type: ignore[no-untyped-def]
        self._status = text
        self.status.setText(text())

    def _toggle_colour(self) -> None:
        self.grey = not self.grey
        self.retranslate()

    def entered(self, **params: object) -> None:
        ctx = self.shell.ctx
        if ctx.scanner is None or ctx.printer is None:
            # TRANSLATORS: copying needs both the scanner and the printer
            self._say(lambda: tr("copy", "Copying is not possible in this booth: it needs both a scanner and a printer."))
        self.retranslate()

    def _busy(self, on: bool) -> None:
        self.busy = on
        if on:
            self.shell.ctx.lifecycle.begin_busy(self, "copying")
        else:
            self.shell.ctx.lifecycle.end_busy(self)
        self.retranslate()

    def quick_look(self) -> None:
        slot = self.shell.ctx.scanner
        if slot is None or self.busy:
            return
        mode = ColourMode.GREY if self.grey else ColourMode.COLOUR
        self._busy(True)

        def work() -> Image.Image:
            scanner = slot.get()
            if scanner is None:
                raise ScanError("No scanner was found.")
            return scanner.preview(mode)

        def shown(image: Image.Image) -> None:
            self._busy(False)
            self.preview.setPixmap(QPixmap.fromImage(qimage(image, self.preview.size())))
            self._say(lambda: "")

        self.shell.bridge.run(work, shown, self._failed, name="copy-preview")

    def copy_now(self) -> None:
        ctx = self.shell.ctx
        slot, printer, vault = ctx.scanner, ctx.printer, ctx.vault
        if slot is None or printer is None or vault is None or self.busy:
            return
        grey, copies, left = self.grey, self.stepper.value, ctx.print_quota.left
        if copies > left:
            self._failed(PageLimitExceeded(copies, left))
            return
        self._busy(True)
        # TRANSLATORS: while the document is scanned and sent to the printer
        self._say(lambda: tr("copy", "Copying…"))

        def work() -> tuple[str, JobHandle]:
            scanner = slot.get()
            if scanner is None:
                raise ScanError("No scanner was found.")
            image = scanner.scan(ScanOptions(resolution=300, mode=ColourMode.GREY if grey else ColourMode.COLOUR))
            page, name = vault.free_name("copy-page.png"), vault.free_name("Kopio.pdf")
            save_page(vault, image, page)
            make_pdf(vault, [page], name)
            vault.delete(page)
            options = PrintOptions(copies=copies, colour=ColourChoice.GREY if grey else ColourChoice.COLOUR)
            return name, printer.print_document(vault, name, options, pages_left=left)

        self.shell.bridge.run(work, self._sent, self._failed, name="copy")

    def _sent(self, result: tuple[str, JobHandle]) -> None:
        self.document, self.job = result
        self.shell.ctx.print_quota.spend(self.job.pages)
        self.shell.ctx.lifecycle.use_service("copy")
        # TRANSLATORS: the copy is being printed
        self._say(lambda: tr("copy", "Printing the copies…"))
        self.watch.watch(self.job)

    def _state(self, state: JobState) -> None:
        self._done()
        if state is JobState.DONE:
            # TRANSLATORS: the copies are printed; remember the original on the glass
            self._say(lambda: tr("copy", "Done. Take your copies from the printer and your original from the scanner."))
        else:
            # TRANSLATORS: the printer could not print the copy
            self._say(lambda: tr("copy", "The printer could not print the copy. Ask the contact person for help."))

    def _done(self) -> None:
        vault, name = self.shell.ctx.vault, self.document
        if vault is not None and name is not None and name in vault.names():
            vault.delete(name)  # the copy's scan was only needed for printing
        self.job, self.document = None, None
        self._busy(False)

    def _failed(self, error: BaseException) -> None:
        self.watch.stop()
        self._done()
        if isinstance(error, ScanError):
            self._say(lambda: scan_error_text(error))
        elif isinstance(error, PageLimitExceeded):
            pages, left = error.pages, error.limit
            self._say(lambda: page_limit_text(pages, left))
        else:
            if not isinstance(error, PrintError):
                log.error("copying failed unexpectedly: %s", type(error).__name__)
            # TRANSLATORS: the copy could not be made
            self._say(lambda: tr("copy", "The copy could not be made. Ask the contact person for help."))

    def retranslate(self) -> None:
        # TRANSLATORS: title of the copy screen
        self.title.setText(tr("copy", "Copy"))
        # TRANSLATORS: how to place the paper for copying
        self.instructions.setText(tr("copy", "Put the paper face down on the scanner's glass and close the cover."))
        self.stepper.retranslate()
        self.colour_button.setChecked(not self.grey)
        # TRANSLATORS: copy in colour instead of black and white (toggle)
        self.colour_button.setText(tr("copy", "In colour"))
        # TRANSLATORS: a quick look at what lies on the glass
        self.look_button.setText(tr("copy", "Quick look"))
        # TRANSLATORS: make the copies now
        self.copy_button.setText(tr("copy", "Copy"))
        ready = self.shell.ctx.scanner is not None and self.shell.ctx.printer is not None and not self.busy
        self.copy_button.setEnabled(ready)
        self.look_button.setEnabled(ready)
        self.status.setText(self._status())
