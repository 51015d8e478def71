"""Calls: the booth's engine (this process) with Debian's headless Chromium on the staff
page, over the embedded room service on loopback, beside two Chromium pages calling each
other (benchmarks/chromium_pair.py) on the same machine. Run it in a loopback-only
namespace (scripts/test.sh's), where aioice is told to gather 127.0.0.1."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import chromium_pair
from benchmarks.common import Figure, Result, attempt, median

GROUP = "call"
JOIN = Figure(GROUP, "join_to_first_frame_ms", "ms", "< 1000 required, goal < 300", "chromium_pair_join_to_first_frame_ms")
KIOSK_FPS = Figure(GROUP, "kiosk_rx_fps_640", "fps", "30", "chromium_pair_rx_fps_640")
BROWSER_FPS = Figure(GROUP, "browser_rx_fps_640", "fps", "30", "chromium_pair_rx_fps_640")
CPU = Figure(GROUP, "kiosk_cpu_cores_640", "cores", "< 1.5 required, goal <= 0.5", "chromium_pair_cpu_cores_640")
NOT_YET = [
    Figure(GROUP, "time_to_720p_ms", "ms", "goal < 1000", "chromium_pair_time_to_720p_ms"),
    Figure(GROUP, "kiosk_rx_fps_1280", "fps", "30", "chromium_pair_rx_fps_1280"),
    Figure(GROUP, "glass_to_glass_ms", "ms", "ratio <= 1.5", "chromium_pair_glass_to_glass_ms"),
    Figure(GROUP, "ui_stall_p99_ms", "ms", "< 50"),
]
FIGURES = [JOIN, KIOSK_FPS, BROWSER_FPS, CPU, *NOT_YET]
ROOT = Path(__file__).resolve().parents[1]


def run(quick: bool) -> list[Result]:
    results = attempt([JOIN, KIOSK_FPS, BROWSER_FPS, CPU], lambda: _measure(3 if quick else 10, 3.0 if quick else 10.0))
    return results + [f.failed("not measured yet") for f in NOT_YET]


def _measure(joins: int, seconds: float) -> list[Result]:
    import aioice.ice

    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]  # loopback only (RECIPES.md)
    sys.path.insert(0, str(ROOT / "tests"))
    import cv2
    import numpy as np
    import staff_browser as sb

    from calls.engine import CallEngine
    from calls.events import CallState
    from calls.media import WavSink
    from devices.audio import test_tone, write_wav
    from devices.camera import CameraOwner, CameraSource
    from server.embedded import start_embedded

    pair_first, pair = [], None
    for _ in range(joins):
        pair = chromium_pair.measure(640, 480, seconds if pair is None else 1.0, 1000)
        pair_first.append(pair["join_to_first_frame_ms"])
    assert pair is not None
    with tempfile.TemporaryDirectory(prefix="virtu-bench-call-") as tmp:
        video, mic = Path(tmp) / "camera.avi", Path(tmp) / "mic.wav"
        writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 480))
        for i in range(90):
            writer.write(np.full((480, 640, 3), (i * 3) % 255, np.uint8))
        writer.release()
        write_wav(mic, test_tone(2.0))
        server = start_embedded()
        camera = CameraOwner(CameraSource(str(video)))
        firsts, kiosk_fps, browser_fps, cores = [], 0.0, 0.0, 0.0
        try:
            with sb.chromium() as browser:
                for n in range(joins):
                    engine = CallEngine(camera, str(mic))
                    engine.join(server.invite(f"bench-{n}", "booth"), "Virtu", "bench", WavSink(Path(tmp) / "out.wav")).result(10)
                    page = browser.new_page()
                    page.goto(server.invite(f"bench-{n}", "staff"))
                    page.wait_for_function("!document.getElementById('join').disabled", timeout=15000)
                    start = time.perf_counter()
                    page.click("#join")
                    while not sum(engine.frames_received().values()):
                        if time.perf_counter() - start > 20:
                            raise TimeoutError("no frame reached the kiosk in 20 s")
                        time.sleep(0.002)
                    firsts.append((time.perf_counter() - start) * 1000)
                    if n == 0:
                        k0, b0 = sum(engine.frames_received().values()), sb.inbound(page)["video_frames"]
                        c0, t0 = os.times(), time.perf_counter()
                        time.sleep(seconds)
                        c1, elapsed = os.times(), time.perf_counter() - t0
                        kiosk_fps = (sum(engine.frames_received().values()) - k0) / elapsed
                        browser_fps = (sb.inbound(page)["video_frames"] - b0) / elapsed
                        cores = ((c1.user - c0.user) + (c1.system - c0.system)) / elapsed
                    engine.close()
                    engine.loop.stop()
                    assert engine.state is CallState.ENDED
                    page.close()
        finally:
            camera.stop()
            server.stop()
    return [
        JOIN.result(median(firsts), median(pair_first)),
        KIOSK_FPS.result(kiosk_fps, pair["rx_fps"]),
        BROWSER_FPS.result(browser_fps, pair["rx_fps"]),
        CPU.result(cores, pair["cpu_cores"]),
    ]
