"""Calls: the booth's engine (this process) with Debian's headless Chromium on the staff
page, over the embedded room service on loopback, beside two Chromium pages calling each
other (benchmarks/chromium_pair.py) on the same machine. Run it in a loopback-only
namespace (scripts/test.sh's), where aioice is told to gather 127.0.0.1.

- join_to_first_frame_ms: staff clicks "Join" → the first remote frame on the kiosk.
- *_rx_fps_640/1280: frames decoded each way while both send 640×480 (the mesh size) or
  1280×720 (one remote); the kiosk's CPU and memory during the 1280×720 call.
- time_to_720p_ms: joined → frames of 1280×720 arriving on both sides.
- glass_to_glass_ms: wall-clock stamps drawn into every frame (benchmarks/stamp.py and
  assets/stamp.js) read back where the frame is shown; the median of both directions.
- ui_stall_p99_ms: benchmarks/ui_stall.py."""
from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks import chromium_pair, stamp, ui_stall
from benchmarks.common import Figure, Result, attempt, median, rss_mib

GROUP = "call"
JOIN = Figure(GROUP, "join_to_first_frame_ms", "ms", "< 1000 required, goal < 300", "chromium_pair_join_to_first_frame_ms")
TO_720 = Figure(GROUP, "time_to_720p_ms", "ms", "goal < 1000", "chromium_pair_time_to_720p_ms")
KIOSK_640 = Figure(GROUP, "kiosk_rx_fps_640", "fps", "30", "chromium_pair_rx_fps_640")
BROWSER_640 = Figure(GROUP, "browser_rx_fps_640", "fps", "30", "chromium_pair_rx_fps_640")
KIOSK_1280 = Figure(GROUP, "kiosk_rx_fps_1280", "fps", "30", "chromium_pair_rx_fps_1280")
BROWSER_1280 = Figure(GROUP, "browser_rx_fps_1280", "fps", "30", "chromium_pair_rx_fps_1280")
CPU = Figure(GROUP, "kiosk_cpu_cores_1280", "cores", "< 1.5 required, goal <= 0.5", "chromium_pair_cpu_cores_1280")
RSS = Figure(GROUP, "kiosk_rss_mib_in_call", "MiB", "< 300 MiB")
G2G = Figure(GROUP, "glass_to_glass_ms", "ms", "ratio <= 1.5", "chromium_pair_glass_to_glass_ms")
CALL_FIGURES = [JOIN, TO_720, KIOSK_640, BROWSER_640, KIOSK_1280, BROWSER_1280, CPU, RSS, G2G]
FIGURES = [*CALL_FIGURES, ui_stall.FIGURE]
KBPS = 1000
STAMP_JS = Path(__file__).with_name("assets") / "stamp.js"


def run(quick: bool) -> list[Result]:
    results = attempt(CALL_FIGURES, lambda: _measure(3 if quick else 10, 5.0 if quick else 30.0))
    return results + attempt([ui_stall.FIGURE], lambda: [ui_stall.measure(quick)])


def loopback_ice() -> None:
    """aioice never offers 127.0.0.1, and the test namespace has nothing else (RECIPES.md)."""
    import aioice.ice

    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def camera_file(folder: Path, width: int, height: int) -> Path:
    import cv2
    import numpy as np

    path = folder / f"camera-{width}.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (width, height))
    for i in range(90):
        frame = np.full((height, width, 3), (i * 3) % 255, np.uint8)
        frame[:, (i * 11) % width:][:, :40] = 255  # something moves: the encoder has work
        writer.write(frame)
    writer.release()
    return path


def _browser_camera(page: Any, width: int, height: int, stamped: bool) -> None:
    """The staff page's getUserMedia, made to send width×height (or stamped frames)."""
    page.add_init_script(path=str(STAMP_JS))
    page.add_init_script(script=f"""(() => {{
      const orig = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async c => {{
        if (!c || !c.video) return orig(c);
        if ({'true' if stamped else 'false'}) return __stampCamera({width}, {height}, !!c.audio);
        return orig({{...c, video: {{width: {width}, height: {height}, frameRate: 30}}}});
      }};
    }})();""")


class KioskSide:
    """The engine's frames as they come out of it, with their sizes and (stamped) delays."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.widths: list[tuple[float, int]] = []
        self.delays: list[int] = []
        self.stamped = False

    def on_event(self, event: Any) -> None:
        from calls.events import RemoteFrame

        if isinstance(event, RemoteFrame):
            with self.lock:
                if not self.widths or self.widths[-1][1] != event.rgb.shape[1]:
                    self.widths.append((time.perf_counter(), event.rgb.shape[1]))
                if self.stamped:
                    delay = stamp.delay_ms(event.rgb)
                    if delay is not None:
                        self.delays.append(delay)

    def first_at_width(self, width: int) -> float | None:
        with self.lock:
            return next((t for t, w in self.widths if w >= width), None)


def _measure(joins: int, seconds: float) -> list[Result]:
    loopback_ice()
    sb = chromium_pair.staff_browser()

    from calls.engine import CallEngine
    from calls.events import CallState
    from calls.media import FULL, SMALL, WavSink
    from devices.audio import test_tone, write_wav
    from devices.camera import CameraOwner, CameraSource
    from server.embedded import start_embedded

    pair_first = []
    for _ in range(joins):
        pair_first.append(chromium_pair.measure(640, 480, 1.0, KBPS)["join_to_first_frame_ms"])
    pair_640 = chromium_pair.measure(640, 480, seconds, KBPS)
    pair_1280 = chromium_pair.measure(1280, 720, seconds, KBPS)
    pair_g2g = chromium_pair.measure(1280, 720, min(seconds, 10.0), KBPS, stamped=True)

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="virtu-bench-call-") as tmp:
        mic = Path(tmp) / "mic.wav"
        write_wav(mic, test_tone(2.0))
        server = start_embedded()
        cameras = {size: CameraOwner(CameraSource(str(camera_file(Path(tmp), *size)), *size)) for size in (FULL, SMALL)}
        stamped_camera = stamp.StampCamera(*FULL)

        def call(room: str, size: tuple[int, int], camera: Any, stamped: bool, measure: Any) -> None:
            kiosk = KioskSide()
            kiosk.stamped = stamped
            engine = CallEngine(camera, str(mic), on_event=kiosk.on_event, send_size=size)
            try:
                engine.join(server.invite(room, "booth"), "Virtu", "bench", WavSink(Path(tmp) / "out.wav")).result(10)
                page = browser.new_page()
                _browser_camera(page, *size, stamped)
                page.goto(server.invite(room, "staff"))
                page.wait_for_function("!document.getElementById('join').disabled", timeout=15000)
                start = time.perf_counter()
                page.click("#join")
                while not sum(engine.frames_received().values()):
                    if time.perf_counter() - start > 20:
                        raise TimeoutError("no frame reached the kiosk in 20 s")
                    time.sleep(0.002)
                measure(engine, page, kiosk, start)
            finally:
                engine.close()
                engine.loop.stop()
            assert engine.state is CallState.ENDED
            page.close()

        def rates(engine: Any, page: Any, duration: float) -> tuple[float, float, float]:
            k0, b0 = sum(engine.frames_received().values()), sb.inbound(page)["video_frames"]
            c0, t0 = os.times(), time.perf_counter()
            time.sleep(duration)
            c1, elapsed = os.times(), time.perf_counter() - t0
            return ((sum(engine.frames_received().values()) - k0) / elapsed, (sb.inbound(page)["video_frames"] - b0) / elapsed,
                    ((c1.user - c0.user) + (c1.system - c0.system)) / elapsed)

        firsts: list[float] = []

        def first_frame(engine: Any, page: Any, kiosk: KioskSide, start: float) -> None:
            firsts.append((time.perf_counter() - start) * 1000)

        def at_1280(engine: Any, page: Any, kiosk: KioskSide, start: float) -> None:
            first_frame(engine, page, kiosk, start)
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                if kiosk.first_at_width(1280) is not None and sb.inbound(page)["width"] >= 1280:
                    out["to_720"] = (time.perf_counter() - start) * 1000
                    break
                time.sleep(0.05)
            out["kiosk_1280"], out["browser_1280"], out["cpu"] = rates(engine, page, seconds)
            out["rss"] = rss_mib()

        def at_640(engine: Any, page: Any, kiosk: KioskSide, start: float) -> None:
            out["kiosk_640"], out["browser_640"], _ = rates(engine, page, seconds)

        def glass(engine: Any, page: Any, kiosk: KioskSide, start: float) -> None:
            page.wait_for_selector("#remotes video", timeout=10000)
            page.evaluate("__watchStamps(document.querySelector('#remotes video'))")
            time.sleep(min(seconds, 10.0))
            with kiosk.lock:
                kiosk_delays = list(kiosk.delays)
            browser_delays = page.evaluate("window.__g2g")
            if not kiosk_delays or not browser_delays:
                raise RuntimeError(f"stamps read: {len(kiosk_delays)} on the kiosk, {len(browser_delays)} in the browser")
            out["g2g"] = (statistics.median(kiosk_delays) + statistics.median(browser_delays)) / 2

        try:
            with sb.chromium() as browser:
                call("bench-1280", FULL, cameras[FULL], False, at_1280)
                for n in range(1, joins):
                    call(f"bench-{n}", FULL, cameras[FULL], False, first_frame)
                call("bench-640", SMALL, cameras[SMALL], False, at_640)
                call("bench-g2g", FULL, stamped_camera, True, glass)
        finally:
            for camera in cameras.values():
                camera.stop()
            stamped_camera.stop()
            server.stop()
    to_720 = (TO_720.result(out["to_720"], pair_1280["time_to_full_ms"] if pair_1280["time_to_full_ms"] == pair_1280["time_to_full_ms"] else None)
              if "to_720" in out else TO_720.failed("no 1280×720 frames on both sides within 30 s"))
    return [
        JOIN.result(median(firsts), median(pair_first)),
        to_720,
        KIOSK_640.result(out["kiosk_640"], pair_640["rx_fps"]),
        BROWSER_640.result(out["browser_640"], pair_640["rx_fps"]),
        KIOSK_1280.result(out["kiosk_1280"], pair_1280["rx_fps"]),
        BROWSER_1280.result(out["browser_1280"], pair_1280["rx_fps"]),
        CPU.result(out["cpu"], pair_1280["cpu_cores"]),
        RSS.result(out["rss"]),
        G2G.result(out["g2g"], pair_g2g["glass_to_glass_ms"]),
    ]
