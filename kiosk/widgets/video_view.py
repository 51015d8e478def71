"""A backdrop that shows video frames (or a still) filling the widget, for screens that
put their own text and buttons on top."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget


def _cropped(source: QSizeF, target: QSizeF) -> QRectF:
    """The centred part of `source` with the target's aspect: fills without bars or stretching."""
    scale = max(target.width() / source.width(), target.height() / source.height())
    w, h = target.width() / scale, target.height() / scale
    return QRectF((source.width() - w) / 2, (source.height() - h) / 2, w, h)


class VideoView(QWidget):
    """Takes no focus and no touches: the screen above it owns both."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paintEvent covers every pixel
        self._frame: QImage | None = None
        self._still: QPixmap | None = None

    @Slot(QImage)
    def set_frame(self, frame: QImage) -> None:
        self._frame, self._still = frame, None
        self.update()

    def show_still(self, pixmap: QPixmap) -> None:
        self._frame, self._still = None, pixmap
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = QRectF(self.rect())
        if self._frame is not None and not self._frame.isNull():
            painter.drawImage(target, self._frame, _cropped(QSizeF(self._frame.size()), target.size()))
        elif self._still is not None and not self._still.isNull():
            painter.drawPixmap(target, self._still, _cropped(QSizeF(self._still.size()), target.size()))
        else:
            painter.fillRect(self.rect(), QColor(Qt.GlobalColor.black))
        painter.end()
