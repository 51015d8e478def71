"""Debian's Chromium, headless through Playwright, as the remote staff member's browser:
fake camera and microphone, loopback allowed for WebRTC (RECIPES.md). Shared by the call
tests and benchmarks/call.py."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=fps=30",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]


@contextmanager
def chromium(extra_flags: list[str] | None = None) -> Iterator[Any]:
    """A running headless Chromium (a Playwright Browser). Fails if Chromium is missing."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise AssertionError(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install.sh --tests does)")
    # Chromium's profile socket path must stay short: a test's own deep TMPDIR is too long.
    short_tmp = tempfile.mkdtemp(prefix="chr-", dir="/tmp")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS + (extra_flags or []),
                                        env={**os.environ, "TMPDIR": short_tmp})
            try:
                yield browser
            finally:
                browser.close()
    finally:
        shutil.rmtree(short_tmp, ignore_errors=True)


# getStats() totals of every inbound stream of every RTCPeerConnection the page made
# (pages register theirs in window.__pcs, which the staff page does).
INBOUND_JS = """async () => {
  const out = {video_frames: 0, audio_packets: 0, width: 0, height: 0};
  for (const pc of (window.__pcs || [])) {
    const stats = await pc.getStats();
    stats.forEach(s => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') { out.video_frames += s.framesDecoded || 0; out.width = s.frameWidth || out.width; out.height = s.frameHeight || out.height; }
      if (s.kind === 'audio') { out.audio_packets += s.packetsReceived || 0; }
    });
  }
  return out;
}"""


def inbound(page: Any) -> dict[str, int]:
    return page.evaluate(INBOUND_JS)
