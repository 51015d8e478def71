"""The attract video through real libvlc into QImages, offscreen, and the backdrop that paints it."""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
import numpy as np
import pytest
import shiboken6
import vlc
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPixmap

from kiosk.media import vlc_frames
from kiosk.media.vlc_frames import VlcFrameSource
from kiosk.widgets.video_view import VideoView

pytestmark = pytest.mark.media

ATTRACT = Path(__file__).resolve().parents[1] / "assets" / "attract" / "attract.avi"
LOGGER = "kiosk.media.vlc_frames"


class Frames:
    """Records every frame and when it arrived."""

    def __init__(self, source: VlcFrameSource) -> None:
        self.images: list[QImage] = []
        self.times: list[float] = []
        source.frame_ready.connect(self._add)

    def _add(self, image: QImage) -> None:
        self.images.append(image)
        self.times.append(time.monotonic())

    def since(self, moment: float) -> int:
        return sum(t >= moment for t in self.times)


@pytest.fixture
def source(qapp) -> Iterator[VlcFrameSource]:  # type: ignore[no-untyped-def]
    src = VlcFrameSource()
    yield src
    src.stop()


@pytest.fixture
def one_second_clip(tmp_path: Path) -> Path:
    """12 frames at 12 fps: a white square crossing a grey field, different in every frame."""
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 12, (640, 360))
    for i in range(12):
        frame = np.full((360, 640, 3), 60, np.uint8)
        cv2.rectangle(frame, (20 + 48 * i, 140), (100 + 48 * i, 220), (255, 255, 255), -1)
        writer.write(frame)
    writer.release()
    return path


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


def test_attract_video_arrives_as_moving_frames_of_the_asked_size(qtbot, source: VlcFrameSource) -> None:
    frames = Frames(source)
    source.play(ATTRACT)
    qtbot.waitUntil(lambda: len(frames.images) >= 10, timeout=5000)

    assert {im.size() for im in frames.images} == {QSize(640, 360)}
    arrays = [as_array(im) for im in frames.images]
    assert all(a.std() > 20 for a in arrays), "a frame is blank"
    still = [np.array_equal(a, b) for a, b in zip(arrays[:-1], arrays[1:], strict=True)]
    assert not any(still), "the video does not move"
    # RV32 is Qt's RGB32: the top-left sky is dark blue, the pulse in the middle warm white.
    sky = frames.images[-1].pixelColor(10, 10)
    pulse = frames.images[-1].pixelColor(320, 180)
    assert sky.blue() > sky.red() and sky.value() < 80
    assert min(pulse.red(), pulse.green(), pulse.blue()) > 170 and pulse.red() >= pulse.blue()


def test_loop_runs_on_past_the_end_without_a_gap(
    qtbot, source: VlcFrameSource, one_second_clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    frames = Frames(source)
    started = time.monotonic()
    source.play(one_second_clip)
    qtbot.wait(2500)
    qtbot.waitUntil(lambda: frames.since(started + 2.5) >= 3, timeout=2000)

    gaps = np.diff(frames.times)
    assert gaps.max() < 1.0, f"the loop stalled for {gaps.max():.2f} s"
    assert "restarted" not in caplog.text, "libvlc's input-repeat should loop by itself"


def test_loop_restarts_the_file_when_libvlcs_repeats_run_out(
    qtbot, source: VlcFrameSource, one_second_clip: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    monkeypatch.setattr(VlcFrameSource, "repeats", 0)
    frames = Frames(source)
    started = time.monotonic()
    source.play(one_second_clip)
    qtbot.wait(2500)
    qtbot.waitUntil(lambda: frames.since(started + 2.5) >= 3, timeout=2000)
    assert "video loop: clip.avi restarted" in caplog.text


def test_without_loop_the_video_ends(
    qtbot, source: VlcFrameSource, one_second_clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    frames = Frames(source)
    source.play(one_second_clip, loop=False)
    qtbot.waitUntil(lambda: "video ended: clip.avi" in caplog.text, timeout=4000)
    count = len(frames.images)
    assert 6 <= count <= 12
    qtbot.wait(300)
    assert len(frames.images) == count


def test_frames_come_no_faster_than_the_screen_refreshes(qtbot, source: VlcFrameSource, tmp_path: Path) -> None:
    path = tmp_path / "fast.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 100, (640, 360))
    for i in range(100):
        frame = np.full((360, 640, 3), 60, np.uint8)
        cv2.rectangle(frame, (5 * i, 140), (5 * i + 80, 220), (255, 255, 255), -1)
        writer.write(frame)
    writer.release()
    frames = Frames(source)
    source.play(path)
    qtbot.wait(1000)

    assert len(frames.times) > 10
    assert np.diff(frames.times).min() >= 1 / QGuiApplication.primaryScreen().refreshRate() - 0.002


def test_stop_is_idempotent_and_play_works_again(
    qtbot, source: VlcFrameSource, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER)
    frames = Frames(source)
    source.stop()  # before anything played
    source.play(ATTRACT)
    qtbot.waitUntil(lambda: len(frames.images) >= 3, timeout=5000)
    source.stop()
    source.stop()
    stopped = time.monotonic()
    qtbot.wait(300)
    assert frames.since(stopped) == 0, "a frame arrived after stop()"

    source.play(ATTRACT)
    qtbot.waitUntil(lambda: frames.since(stopped) >= 3, timeout=5000)
    source.stop()
    source.stop()
    assert caplog.text.count("video stopped: attract.avi after") == 2  # durations are logged


def test_deleting_the_qt_parent_stops_playback_and_later_stops_are_harmless(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QObject()
    src = VlcFrameSource(parent)
    frames = Frames(src)
    src.play(ATTRACT)
    qtbot.waitUntil(lambda: len(frames.images) >= 2, timeout=5000)
    shiboken6.delete(parent)
    assert not shiboken6.isValid(src)
    src.stop()  # as a screen's hideEvent at exit might
    src.stop()


def test_a_missing_file_fails_without_raising(qtbot, source: VlcFrameSource, tmp_path: Path) -> None:
    with qtbot.waitSignal(source.failed, timeout=1000) as failed:
        source.play(tmp_path / "missing.avi")
    assert "missing" in failed.args[0]


@pytest.fixture
def fresh_libvlc_probe() -> Iterator[None]:
    vlc_frames.libvlc_instance.cache_clear()
    yield
    vlc_frames.libvlc_instance.cache_clear()


def test_libvlc_without_plugins_falls_back_with_one_warning(
    qtbot, fresh_libvlc_probe: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(vlc, "Instance", lambda *args: None)  # what libvlc5 without vlc-plugin-base does
    caplog.set_level(logging.WARNING, LOGGER)

    assert VlcFrameSource.available() is False
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "vlc-plugin-base" in warnings[0].getMessage()

    src = VlcFrameSource()
    with qtbot.waitSignal(src.failed, timeout=1000):
        src.play(ATTRACT)
    src.stop()


def test_missing_libvlc_is_named_without_a_traceback(
    fresh_libvlc_probe: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_libvlc(*args: str) -> None:
        raise NameError("no function 'libvlc_new'")  # python-vlc's words when libvlc is absent

    monkeypatch.setattr(vlc, "Instance", no_libvlc)
    caplog.set_level(logging.WARNING, LOGGER)

    assert VlcFrameSource.available() is False
    (record,) = caplog.records
    assert "NameError" in record.getMessage() and "libvlc_new" in record.getMessage()
    assert record.exc_info is None


def solid(colour: QColor) -> QImage:
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    image.fill(colour)
    return image


def test_video_view_fills_itself_with_the_frame(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 180)
    colour = QColor(200, 40, 90)
    view.set_frame(solid(colour))

    shot = view.grab().toImage()
    for x, y in ((0, 0), (319, 0), (160, 90), (0, 179), (319, 179)):
        assert shot.pixelColor(x, y) == colour, (x, y)
    assert view.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert view.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_video_view_crops_to_keep_the_aspect(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A wide frame in a square view: the sides are cut off, nothing is squeezed."""
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(180, 180)
    frame = solid(QColor(0, 160, 0))
    painter = QPainter(frame)
    painter.fillRect(140, 0, 360, 360, QColor(220, 30, 30))  # the centre square of 640×360
    painter.end()
    view.set_frame(frame)

    shot = view.grab().toImage()
    for x, y in ((3, 3), (176, 3), (90, 90), (3, 176), (176, 176)):
        assert shot.pixelColor(x, y) == QColor(220, 30, 30), (x, y)


def test_video_view_shows_a_still_until_a_frame_comes(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 180)
    still = QPixmap(640, 360)
    still.fill(QColor(20, 60, 160))
    view.show_still(still)
    assert view.grab().toImage().pixelColor(160, 90) == QColor(20, 60, 160)

    view.set_frame(solid(QColor(250, 200, 120)))
    assert view.grab().toImage().pixelColor(160, 90) == QColor(250, 200, 120)
