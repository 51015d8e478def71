"""Frames from a video file through cv2.VideoCapture: a recorded .avi stands in for the
booth camera in tests and benchmarks. The booth's camera itself has one owner
(devices.camera); this reader is not it."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import cv2
import numpy as np


def grey_frames(path: Path | str) -> Iterator[np.ndarray]:
    """Each frame of the file as grey uint8 (H×W), in order; raises if it cannot open."""
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise OSError(f"cannot open video {path}")
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    finally:
        capture.release()


def write_grey(path: Path | str, frames: Iterator[np.ndarray], fps: float = 30.0) -> int:
    """Writes grey frames as MJPG (the booth camera's own format); returns the count."""
    writer: cv2.VideoWriter | None = None
    count = 0
    try:
        for frame in frames:
            if writer is None:
                h, w = frame.shape[:2]
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h), isColor=True)
                if not writer.isOpened():
                    raise OSError(f"cannot write video {path}")
            writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
            count += 1
    finally:
        if writer is not None:
            writer.release()
    return count
