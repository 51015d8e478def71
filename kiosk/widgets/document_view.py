"""A document viewer for the booth: one page at a time with big page-turn and zoom buttons.
PDFs are read by Qt PDF from memory (a QBuffer over the vault's bytes) and images by
QImage: nothing is written anywhere, not even a thumbnail."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

ZOOMS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


class DocumentView(QWidget):
    changed = Signal()
    """Page or zoom changed (the screen updates its "page 2 of 5" and buttons)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        self._image: QImage | None = None
        self.page = 0
        self.pages = 0
        self.zoom_step = 2
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.setObjectName("documentPage")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.picture)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignCenter)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.scroll)

    def show_bytes(self, data: bytes) -> bool:
        """False when the bytes are neither a readable PDF nor an image."""
        self.clear()
        if data.startswith(b"%PDF"):
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(data))
            self._buffer.open(QIODevice.ReadOnly)
            self._pdf = QPdfDocument(self)
            self._pdf.load(self._buffer)
            if self._pdf.status() != QPdfDocument.Status.Ready or self._pdf.pageCount() < 1:
                self.clear()
                return False
            self.pages = self._pdf.pageCount()
        else:
            image = QImage.fromData(data)
            if image.isNull():
                return False
            self._image, self.pages = image, 1
        self.page, self.zoom_step = 0, 2
        self._render()
        return True

    def clear(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf.deleteLater()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._pdf = self._buffer = self._image = None
        self.pages = self.page = 0
        self.picture.clear()

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self._render()

    def zoom(self, step: int) -> None:
        self.zoom_step = max(0, min(len(ZOOMS) - 1, self.zoom_step + step))
        self._render()

    def _render(self) -> None:
        """Fit the page's width to the view at 100 %, then zoom."""
        width = max(200, int(self.scroll.viewport().width() * ZOOMS[self.zoom_step]) - 8)
        if self._pdf is not None:
            size = self._pdf.pagePointSize(self.page)
            height = int(width * size.height() / max(size.width(), 1))
            image = self._pdf.render(self.page, QSize(width, height))
        elif self._image is not None:
            image = self._image.scaledToWidth(width, Qt.SmoothTransformation)
        else:
            return
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.changed.emit()
