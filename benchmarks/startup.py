"""How long a booth takes from nothing to a painted home screen: the real CLI in a fresh
process, rendering offscreen, with empty data folders every time."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, Result, attempt, median, tail

GROUP = "startup"
COLD_START = Figure(GROUP, "cold_start_home_s", "s", "< 1.5 s (goal < 0.6 s)")
FIGURES = [COLD_START]

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 60


class StartFailed(RuntimeError):
    pass


def run(quick: bool) -> list[Result]:
    return attempt(FIGURES, lambda: [COLD_START.result(median([start_once() for _ in range(3 if quick else 5)]))])


def start_once(program: list[str] | None = None) -> float:
    """`program`: how to start the kiosk (default: `python -m kiosk`; the frozen build's
    executable for the delivery group)."""
    with tempfile.TemporaryDirectory(prefix="virtu-start-") as tmp:
        shot = Path(tmp) / "home.png"
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            VIRTU_DATA_DIR=str(Path(tmp) / "data"),
            VIRTU_RAM_DIR=str(Path(tmp) / "ram"),
        )
        cmd = [*(program or [sys.executable, "-m", "kiosk"]), "--demo", "--screenshot", str(shot), "--screen", "home"]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise StartFailed(f"{cmd[0]} exited with {proc.returncode}: {tail(proc.stderr)}")
        if not shot.is_file():
            raise StartFailed(f"{cmd[0]} wrote no screenshot: {tail(proc.stderr)}")
        return elapsed
