"""Scan: place the paper, see a quick preview, scan pages (150 or 300 dpi, colour or
black and white), turn or remove a page, add pages, then keep them as one PDF to print,
save to My folder or send in a call. Pages live in the vault as they are scanned, so a
paper jam or a closed screen loses nothing already scanned."""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from PIL import Image, ImageOps
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from devices.scanner import ColourMode, CoverOpen, NoDocument, PaperJam, ScanCancelled, ScanError, ScanOptions, make_pdf, save_page
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton

log = logging.getLogger(__name__)
THUMB = QSize(200, 283)


def scan_error_text(error: BaseException) -> str:
    if isinstance(error, PaperJam):
        # TRANSLATORS: the scanner reports a paper jam
        return tr("scan", "The paper is stuck in the scanner. Open the cover, take the paper out gently and try again.")
    if isinstance(error, NoDocument):
        # TRANSLATORS: the scanner's feeder is empty
        return tr("scan", "There is no paper in the scanner. Put the document in and try again.")
    if isinstance(error, CoverOpen):
        # TRANSLATORS: the scanner's lid is open
        return tr("scan", "The scanner cover is open. Close it and try again.")
    if isinstance(error, ScanCancelled):
        # TRANSLATORS: the resident stopped the scan
        return tr("scan", "The scan was stopped.")
    # TRANSLATORS: the scanner failed for another reason (or there is no scanner)
    return tr("scan", "The scanner does not work right now. Ask the contact person for help.")


def qimage(image: Image.Image, size: QSize) -> QImage:
    """A small picture of a page, made in memory (nothing on disk). Shrunk before it is
    converted: a 300 dpi page is 26 MB in RGB. Safe off the UI thread (QImage, not QPixmap)."""
    w, h = size.width(), size.height()
    small = image if image.width <= w and image.height <= h else ImageOps.contain(image, (w, h))
    small = small.convert("RGB")
    data = small.tobytes()
    return QImage(data, small.width, small.height, 3 * small.width, QImage.Format.Format_RGB888).copy()


@dataclass(frozen=True)
class ScannedPage:
    name: str | None
    """In the vault (None for a quick preview)."""
    shown: QImage
    thumb: QImage | None
    """For the list of pages (None for a quick preview)."""


@register
class ScanScreen(Screen):
    name = "scan"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.page_names: list[str] = []
        self.grey = False
        self.fine = True
        self.busy = False
        self.turning = False
        """A page is being turned (busy, but there is no scan to stop)."""
        self.counter = 0
        self._status = lambda: ""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 16, 48, 16)
        outer.setSpacing(32)
        left_widget = QWidget()
        left_widget.setFixedWidth(360)
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        self.title = self.label("title")
        self.instructions = self.label("subtitle")
        self.preview = self.label()
        self.preview.setObjectName("scanPreview")
        self.preview.setFixedSize(340, 481)
        self.preview.setAlignment(Qt.AlignCenter)
        self.status = self.label("banner")
        self.status.setObjectName("scanStatus")
        left.addWidget(self.title)
        left.addWidget(self.instructions)
        left.addWidget(self.preview)
        left.addStretch(1)
        outer.addWidget(left_widget)
        middle = QVBoxLayout()
        self.pages_title = self.label("subtitle")
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("scanPages")
        self.thumbs.setViewMode(QListWidget.IconMode)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setMovement(QListWidget.Static)
        self.thumbs.setSpacing(12)
        self.thumbs.currentRowChanged.connect(lambda _row: self.retranslate())
        self.rotate_button = BigButton("key")
        self.rotate_button.setObjectName("scanRotate")
        self.rotate_button.clicked.connect(self.rotate)
        self.delete_button = BigButton("key")
        self.delete_button.setObjectName("scanDelete")
        self.delete_button.clicked.connect(self.delete_page)
        middle.addWidget(self.status)
        middle.addWidget(self.pages_title)
        middle.addWidget(self.thumbs, 1)
        middle.addLayout(self.row(self.rotate_button, self.delete_button, stretch_first=False))
        outer.addLayout(middle, 1)
        right = QWidget()
        right.setFixedWidth(480)
        box = QVBoxLayout(right)
        box.setSpacing(14)
        self.grey_button = BigButton()
        self.grey_button.setObjectName("scanGrey")
        self.grey_button.setCheckable(True)
        self.grey_button.clicked.connect(lambda: self._set(grey=not self.grey))
        self.fine_button = BigButton()
        self.fine_button.setObjectName("scanFine")
        self.fine_button.setCheckable(True)
        self.fine_button.clicked.connect(lambda: self._set(fine=not self.fine))
        self.preview_button = BigButton()
        self.preview_button.setObjectName("scanPreviewButton")
        self.preview_button.clicked.connect(self.quick_look)
        self.scan_button = BigButton("primary")
        self.scan_button.setObjectName("scanPage")
        self.scan_button.setMinimumHeight(90)
        self.scan_button.clicked.connect(self.scan_page)
        self.stop_button = BigButton("danger")
        self.stop_button.setObjectName("scanStop")
        self.stop_button.clicked.connect(self.stop)
        self.save_button = BigButton("primary")
        self.save_button.setObjectName("scanSave")
        self.save_button.clicked.connect(lambda: self.finish(then=None))
        self.print_button = BigButton()
        self.print_button.setObjectName("scanPrint")
        self.print_button.clicked.connect(lambda: self.finish(then="print"))
        self.folder_button = BigButton()
        self.folder_button.setObjectName("scanToFolder")
        self.folder_button.clicked.connect(lambda: self.finish(then="folder"))
        for w in (self.grey_button, self.fine_button, self.preview_button, self.scan_button, self.stop_button,
                  self.save_button, self.print_button, self.folder_button):
            box.addWidget(w)
        box.addStretch(1)
        outer.addWidget(right)

    # --- helpers ------------------------------------------------------------------------
    def _say(self, text) -> None:  # type: ignore[no-untyped-def]
        self._status = text
        self.status.setText(text())

    def _set(self, grey: bool | None = None, fine: bool | None = None) -> None:
        if grey is not None:
            self.grey = grey
        if fine is not None:
            self.fine = fine
        self.retranslate()

    def _options(self, preview: bool = False) -> ScanOptions:
        mode = ColourMode.GREY if self.grey else ColourMode.COLOUR
        return ScanOptions(resolution=75 if preview else (300 if self.fine else 150), mode=mode)

    def entered(self, **params: object) -> None:
        if self.shell.ctx.scanner is None:
            # TRANSLATORS: this booth has no scanner set up
            self._say(lambda: tr("scan", "This booth has no scanner."))
        self.retranslate()

    def _scan(self, preview: bool, done) -> None:  # type: ignore[no-untyped-def]
        """Scanning, saving into the vault and shrinking the pictures all run on the worker:
        an A4 page at 300 dpi takes a tenth of a second or more to encode, and the UI thread
        may be drawing a call meanwhile."""
        slot, vault = self.shell.ctx.scanner, self.shell.ctx.vault
        if slot is None or self.busy or (not preview and vault is None):
            return
        self.busy = True
        options = self._options(preview)
        name = None
        if not preview:
            self.counter += 1
            name = vault.free_name(f"scan-page-{self.counter}.{'png' if self.grey else 'jpg'}")
        shown_size = self.preview.size()
        self.shell.ctx.lifecycle.begin_busy(self, "scanning")
        # TRANSLATORS: while the scanner is working
        self._say(lambda: tr("scan", "Scanning… Do not lift the cover."))
        self.retranslate()

        def work() -> ScannedPage:
            scanner = slot.get()
            if scanner is None:
                raise ScanError("No scanner was found.")
            image = scanner.preview(options.mode) if preview else scanner.scan(options)
            if name is None:
                return ScannedPage(None, qimage(image, shown_size), None)
            save_page(vault, image, name)
            return ScannedPage(name, qimage(image, shown_size), qimage(image, THUMB))

        def ok(page: ScannedPage) -> None:
            self._idle()
            done(page)

        def failed(error: BaseException) -> None:
            self._idle()
            if not isinstance(error, ScanError):
                log.error("scan failed unexpectedly: %s", type(error).__name__)
            self._say(lambda: scan_error_text(error))
            self.retranslate()

        self.shell.bridge.run(work, ok, failed, name="scan")

    def _idle(self) -> None:
        self.busy = False
        self.shell.ctx.lifecycle.end_busy(self)

    # --- actions ------------------------------------------------------------------------
    def quick_look(self) -> None:
        self._scan(True, self._show_preview)

    def _show_preview(self, page: ScannedPage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(page.shown))
        # TRANSLATORS: after the quick preview: check the paper's position, then scan
        self._say(lambda: tr("scan", "This is what the scanner sees. Move the paper if needed, then press Scan a page."))
        self.retranslate()

    def scan_page(self) -> None:
        self._scan(False, self._add_page)

    def _add_page(self, page: ScannedPage) -> None:
        vault = self.shell.ctx.vault
        if vault is None or page.name is None or page.name not in vault.names():
            return  # the session ended while the page was being scanned
        self.page_names.append(page.name)
        self.shell.ctx.lifecycle.use_service("scan")
        self.thumbs.addItem(QListWidgetItem(QPixmap.fromImage(page.thumb), ""))
        self.thumbs.setCurrentRow(self.thumbs.count() - 1)
        self.preview.setPixmap(QPixmap.fromImage(page.shown))
        count = len(self.page_names)
        # TRANSLATORS: after a page was scanned; {count} pages so far
        self._say(lambda: tr("scan", "Page scanned ({count} in all). Put the next page on the glass and press Scan a page, or keep the pages.", count=count))
        self.retranslate()

    def stop(self) -> None:
        slot = self.shell.ctx.scanner
        scanner = slot.scanner if slot is not None else None
        if self.busy and scanner is not None:
            scanner.cancel()

    def rotate(self) -> None:
        row, vault = self.thumbs.currentRow(), self.shell.ctx.vault
        if row < 0 or vault is None or self.busy:
            return
        name, shown_size = self.page_names[row], self.preview.size()
        self.busy = self.turning = True
        self.retranslate()

        def work() -> ScannedPage:
            with vault.open_read(name) as f:
                image = Image.open(f)
                image.load()
            turned = image.rotate(-90, expand=True)
            save_page(vault, turned, name)
            return ScannedPage(name, qimage(turned, shown_size), qimage(turned, THUMB))

        def done(page: ScannedPage) -> None:
            self.busy = self.turning = False
            if page.name in self.page_names:
                self.thumbs.item(self.page_names.index(page.name)).setIcon(QPixmap.fromImage(page.thumb))
                self.preview.setPixmap(QPixmap.fromImage(page.shown))
            self.retranslate()

        def failed(error: BaseException) -> None:
            self.busy = self.turning = False
            log.error("turning a page failed: %s", type(error).__name__)
            self.retranslate()

        self.shell.bridge.run(work, done, failed, name="rotate")

    def delete_page(self) -> None:
        row, vault = self.thumbs.currentRow(), self.shell.ctx.vault
        if row < 0 or vault is None or self.busy:
            return
        vault.delete(self.page_names.pop(row))
        self.thumbs.takeItem(row)
        self.retranslate()

    def page_size(self, row: int) -> tuple[int, int]:
        """The stored page's size (tests and the preview check orientation)."""
        vault = self.shell.ctx.vault
        assert vault is not None
        with vault.open_read(self.page_names[row]) as f:
            return Image.open(io.BytesIO(f.read())).size

    def finish(self, then: str | None) -> None:
        """One PDF of the pages, in order; the page images go (the PDF holds them)."""
        vault = self.shell.ctx.vault
        if vault is None or not self.page_names or self.busy:
            return
        name = vault.free_name("Skannaus.pdf")
        make_pdf(vault, self.page_names, name, resolution=300 if self.fine else 150)
        for page in self.page_names:
            vault.delete(page)
        self.page_names = []
        self.thumbs.clear()
        self.preview.clear()
        if then == "print":
            self.shell.navigate("print", document=name)
            return
        if then == "folder":
            self.shell.navigate("folder", save=name)
            return
        # TRANSLATORS: the scanned pages are now one PDF document kept for the session
        self._say(lambda: tr("scan", "Saved as \"{name}\". You can print it, save it to My folder or send it in a video call. It is removed when the session ends.", name=name))
        self.retranslate()

    # --- words --------------------------------------------------------------------------
    def retranslate(self) -> None:
        # TRANSLATORS: title of the scan screen
        self.title.setText(tr("scan", "Scan"))
        # TRANSLATORS: how to place the paper on the scanner
        self.instructions.setText(tr("scan", "Put the paper face down on the scanner's glass, in the top corner, and close the cover."))
        count = len(self.page_names)
        # TRANSLATORS: heading of the scanned pages; {count} pages
        self.pages_title.setText(tr("scan", "Scanned pages: {count}", count=count))
        # TRANSLATORS: turn the chosen page a quarter turn
        self.rotate_button.setText(tr("scan", "Turn the page"))
        # TRANSLATORS: remove the chosen scanned page
        self.delete_button.setText(tr("scan", "Remove the page"))
        chosen = self.thumbs.currentRow() >= 0 and not self.busy
        self.rotate_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.grey_button.setChecked(self.grey)
        # TRANSLATORS: scan in black and white instead of colour (toggle)
        self.grey_button.setText(tr("scan", "Black and white"))
        self.fine_button.setChecked(self.fine)
        # TRANSLATORS: scan at 300 dpi instead of 150 (toggle): sharper, bigger file
        self.fine_button.setText(tr("scan", "Extra sharp"))
        # TRANSLATORS: a quick low-quality look at what lies on the glass
        self.preview_button.setText(tr("scan", "Quick look"))
        # TRANSLATORS: scan a page (the first, or one more into the same document)
        self.scan_button.setText(tr("scan", "Scan a page"))
        # TRANSLATORS: stop the scan that is running
        self.stop_button.setText(tr("scan", "Stop scanning"))
        self.stop_button.setVisible(self.busy and not self.turning)
        # TRANSLATORS: make the scanned pages one PDF document
        self.save_button.setText(tr("scan", "Keep the pages as one document"))
        # TRANSLATORS: make the scanned pages one document and go to printing
        self.print_button.setText(tr("scan", "Print the pages"))
        has_scanner = self.shell.ctx.scanner is not None
        for b in (self.preview_button, self.scan_button):
            b.setEnabled(has_scanner and not self.busy)
        # TRANSLATORS: make the scanned pages one document and save it into Oma kansio
        self.folder_button.setText(tr("scan", "Save to My folder"))
        for b in (self.save_button, self.print_button, self.folder_button):
            b.setEnabled(bool(count) and not self.busy)
        self.status.setText(self._status())
