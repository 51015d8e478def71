"""A code held up to the camera opens like a scanned one, with a video file as the camera."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import zxingcpp

from devices.barcode.video_source import write_grey

pytestmark = pytest.mark.qt

LINK = "https://www.kela.fi/lomakkeet"


def qr_clip(path: Path, text: str, frames: int = 45) -> Path:
    code = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode), scale=6)
    sprite = np.array(code, dtype=np.uint8)
    canvas = np.full((720, 1280), 200, np.uint8)
    h, w = sprite.shape[:2]
    canvas[200 : 200 + h, 500 : 500 + w] = sprite
    blank = np.full((720, 1280), 200, np.uint8)
    # A few empty frames first, as when a person lifts the paper into view.
    write_grey(path, iter([blank] * 10 + [canvas] * frames))
    return path


@pytest.fixture
def camera_kiosk(qapp, private_dirs: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import Devices, KioskConfig
    from kiosk.qt_main import build_shell
    from session.clock import ManualClock
    from session.paths import Paths

    clip = qr_clip(tmp_path / "camera.avi", LINK)
    cfg = dataclasses.replace(KioskConfig.demo(), devices=Devices(camera=str(clip)))
    paths = Paths.from_env()
    paths.ensure()
    ctx = build_context(cfg, None, paths, ManualClock(), True, setup_logging(paths, 20))
    shell = build_shell(ctx, windowed=True)
    shell.resize(1920, 1080)
    shell.show()
    yield shell, ctx
    ctx.camera.stop()
    shell.allow_close = True
    shell.close()
    shell.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def test_a_code_shown_to_the_camera_on_the_idle_screen_opens_the_code_screen(camera_kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell, ctx = camera_kiosk
    assert shell.current == "attract"
    qtbot.waitUntil(lambda: shell.current == "barcode", timeout=10_000)
    screen = shell.screens["barcode"]
    assert screen.text.toPlainText() == LINK
    assert "www.kela.fi" in screen.kind.text()
    qtbot.waitUntil(lambda: not ctx.camera.running, timeout=5000)  # the camera rests on other screens


def test_camera_setting_must_name_something_real(tmp_path: Path) -> None:
    from kiosk.config import ConfigError, load

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[booth]\nid = "x-1"\nname = "X"\n[devices]\ncamera = "/no/such/video.avi"\n')
    with pytest.raises(ConfigError, match="devices.camera must be"):
        load(cfg)
