"""The call benchmarks' baseline: two pages in one headless Chromium calling each other over
loopback (benchmarks/assets/pair.html), Python carrying the SDP. Figures per side."""
from __future__ import annotations

import functools
import http.server
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).with_name("assets")
FULL_WITHIN_S = 30.0


def staff_browser() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    import staff_browser as sb

    return sb


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return


def chromium_cpu_seconds() -> float:
    """User+system CPU of every chromium process (Linux /proc)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)
            if "chromium" not in fields[0] and "chrome" not in fields[0]:
                continue
            parts = fields[1].split()
            total += int(parts[11]) + int(parts[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def measure(width: int, height: int, seconds: float, kbps: int, stamped: bool = False) -> dict[str, float]:
    """join_to_first_frame_ms (both sides showing a frame), rx_fps (mean of the two sides),
    cpu_cores (per side), time_to_full_ms (until frames arrive at the sent size on both
    sides) and, with `stamped` (a canvas camera of wall-clock stamps), glass_to_glass_ms
    (the median delay of every frame shown, both directions)."""
    sb = staff_browser()
    with serve(ASSETS) as base, sb.chromium() as browser:
        a, b = browser.new_page(), browser.new_page()
        for page in (a, b):
            page.goto(base + "/pair.html")
            page.evaluate(f"start({width}, {height}, {'true' if stamped else 'false'})")
        start = time.perf_counter()
        offer = a.evaluate("kbps => makeOffer(kbps)", kbps)
        answer = b.evaluate("([sdp, kbps]) => makeAnswer(sdp, kbps)", [offer, kbps])
        a.evaluate("sdp => accept(sdp)", answer)
        for page in (a, b):
            page.wait_for_function("window.__firstFrameAt !== undefined", polling=5, timeout=20000)
        first = (time.perf_counter() - start) * 1000
        full = None
        frames0 = [sb.inbound(p)["video_frames"] for p in (a, b)]
        cpu0, t0 = chromium_cpu_seconds(), time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            time.sleep(0.25)
            if full is None and all(sb.inbound(p)["width"] >= width for p in (a, b)):
                full = (time.perf_counter() - start) * 1000
        elapsed = time.perf_counter() - t0
        cpu = (chromium_cpu_seconds() - cpu0) / elapsed / 2
        frames1 = [sb.inbound(p)["video_frames"] for p in (a, b)]
        fps = sum(f1 - f0 for f0, f1 in zip(frames0, frames1)) / 2 / elapsed
        while full is None and time.perf_counter() - start < FULL_WITHIN_S:  # a short run still learns it
            time.sleep(0.25)
            if all(sb.inbound(p)["width"] >= width for p in (a, b)):
                full = (time.perf_counter() - start) * 1000
        delays = [d for p in (a, b) for d in p.evaluate("window.__g2g")] if stamped else []
    return {"join_to_first_frame_ms": first, "rx_fps": fps, "cpu_cores": cpu, "time_to_full_ms": full if full is not None else float("nan"),
            "glass_to_glass_ms": statistics.median(delays) if delays else float("nan")}
