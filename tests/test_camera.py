"""The one camera owner, fed by a video file standing in for the booth's camera."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import CameraOwner, CameraSource
from devices.health import HealthState


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "camera.avi"
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 240))
    for i in range(15):
        frame = np.full((240, 320, 3), 10 + i * 15, np.uint8)
        out.write(frame)
    out.release()
    return path


def wait_for(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_every_subscriber_gets_the_same_frames_and_a_broken_one_harms_nobody(clip: Path) -> None:
    owner = CameraOwner(CameraSource(str(clip)), fps=200)
    a: list[int] = []
    b: list[int] = []
    owner.subscribe("preview", lambda f: a.append(int(f.mean())))
    owner.subscribe("broken", lambda f: 1 / 0)
    owner.subscribe("barcode", lambda f: b.append(int(f.mean())))
    assert wait_for(lambda: len(b) >= 20)  # past the clip's end: it loops like a camera
    owner.stop()
    n = min(len(a), len(b))
    assert a[:n] == b[:n]
    assert len(set(a)) > 5  # real, changing frames
    assert owner.health().state is HealthState.OK


def test_the_device_is_closed_when_nobody_watches(clip: Path) -> None:
    owner = CameraOwner(CameraSource(str(clip)), fps=200)
    owner.subscribe("preview", lambda f: None)
    assert wait_for(lambda: owner.frames_read > 3)
    owner.unsubscribe("preview")
    assert not owner.running
    assert not any(t.name == "camera" and t.is_alive() for t in threading.enumerate())


def test_lent_to_a_web_page_and_taken_back(clip: Path) -> None:
    owner = CameraOwner(CameraSource(str(clip)), fps=200)
    got: list[int] = []
    owner.subscribe("preview", lambda f: got.append(1))
    assert wait_for(lambda: len(got) > 2)
    owner.release_for("web page")
    health = owner.health()
    assert health.state is HealthState.OK and "lent" in health.message
    count = len(got)
    time.sleep(0.1)
    assert len(got) == count  # nothing read while lent
    owner.reclaim()
    assert wait_for(lambda: len(got) > count + 2)
    owner.stop()


def test_no_camera_is_a_clear_health_state(tmp_path: Path) -> None:
    owner = CameraOwner(CameraSource(str(tmp_path / "no-such-camera.avi")))
    health = owner.health()
    assert health.state is HealthState.DOWN and health.message == "No camera was found."
    owner.subscribe("preview", lambda f: None)
    assert wait_for(lambda: not owner.running)
    assert owner.health().state is HealthState.DOWN
