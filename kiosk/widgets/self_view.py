"""The resident's own picture from the booth's camera (the one camera owner's frames),
scaled down on the camera thread and drawn on the UI thread."""
from __future__ import annotations

import cv2
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from devices.camera import CameraOwner, Frame
from kiosk.widgets.video_view import VideoView

SIZE = (480, 270)


class SelfView(VideoView):
    _image = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera: CameraOwner | None = None
        self.frames = 0
        self._image.connect(self._show)

    def start(self, camera: CameraOwner | None) -> None:
        self.stop()
        self.camera = camera
        if camera is not None:
            camera.subscribe(self, self._on_camera_frame)

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.unsubscribe(self)
            self.camera = None

    def _on_camera_frame(self, frame: Frame) -> None:
        # Camera thread: make the small picture here, emit only.
        small = cv2.cvtColor(cv2.resize(frame, SIZE, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
        h, w, _ = small.shape
        self._image.emit(QImage(small.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())

    def _show(self, image: QImage) -> None:
        self.frames += 1
        self.set_frame(image)
