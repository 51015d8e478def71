"""The first page of a document from the vault as a picture: PDFs through Qt PDF (read from
memory, never from a plain file), images directly. For confirmation screens that must show
exactly what will be sent or printed."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument


def first_page(data: bytes, size: QSize) -> tuple[QImage | None, int]:
    """(the first page scaled into `size`, the number of pages); (None, 0) when unreadable."""
    if data.startswith(b"%PDF"):
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.ReadOnly)
        doc = QPdfDocument()
        doc.load(buffer)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            return None, 0
        page = doc.pagePointSize(0).toSize().scaled(size, Qt.KeepAspectRatio)
        image = doc.render(0, page)
        pages = doc.pageCount()
        doc.close()
        return (image if not image.isNull() else None), pages
    image = QImage.fromData(data)
    if image.isNull():
        return None, 0
    return image.scaled(size, Qt.KeepAspectRatio, Qt.SmoothTransformation), 1
