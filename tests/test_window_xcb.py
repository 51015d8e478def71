"""On a real X server the kiosk covers the whole screen, with no frame, and ignores close requests."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kiosk_windows(display: str) -> list[str]:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env={"DISPLAY": display}, capture_output=True, text=True, timeout=10)
    assert tree.returncode == 0, tree.stderr
    return [line for line in tree.stdout.splitlines() if '"Virtu"' in line]


def test_full_screen_frameless_window_under_xcb() -> None:
    from conftest import STARTING_ENV

    display = STARTING_ENV["DISPLAY"]
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=display, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--demo"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        windows: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not windows:
            assert proc.poll() is None, proc.stderr.read()
            windows = [w for w in kiosk_windows(display) if "1920x1080" in w]
            time.sleep(0.2)
        assert windows, kiosk_windows(display)
        assert re.search(r"1920x1080\+0\+0", windows[0]), windows
        # systemd's "stop" is a SIGTERM: the kiosk ends any session and exits cleanly.
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
