"""The staff's page in headless Chromium (Debian's, through Playwright, fake camera and
microphone) against the booth's call engine over the real room service, all on loopback."""
from __future__ import annotations

import time

import pytest

from calls.events import CallState, EndReason, StateChanged
from staff_browser import chromium, inbound
from test_call_engine import Side, frames, loopback_ice, media, server  # noqa: F401  (fixtures)


@pytest.fixture
def booth(server, media, tmp_path):  # type: ignore[no-untyped-def]
    from devices.camera import CameraOwner, CameraSource

    video, mic = media
    camera = CameraOwner(CameraSource(str(video)))
    side = Side(camera, mic, tmp_path / "booth.wav")
    side.join(server.invite("ranua-1", "booth"), "Virtu Ranua")
    yield side
    side.engine.close()
    side.engine.loop.stop()
    camera.stop()


def test_staff_page_sees_the_resident_waiting_joins_and_media_flows_both_ways(server, booth) -> None:  # type: ignore[no-untyped-def]
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.invite("ranua-1", "staff"))
        assert "token=" not in page.url, "the token left the address bar"
        page.wait_for_function("document.getElementById('self').videoWidth > 0", timeout=15000)
        page.wait_for_function("document.getElementById('waiting').textContent.includes('Virtu Ranua, Ranua')", timeout=10000)
        page.click("#join")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (frames(booth) > 30 and inbound(page)["video_frames"] > 30):
            time.sleep(0.2)
        stats = inbound(page)
        assert frames(booth) > 30 and stats["video_frames"] > 30, (frames(booth), stats)
        assert stats["audio_packets"] > 10 and sum(booth.engine.audio_received().values()) > 10
        assert booth.engine.state is CallState.IN_CALL

        booth.engine.send_chat("Kuuluuko?").result(5)
        page.wait_for_function("document.getElementById('chatlog').textContent.includes('Kuuluuko?')", timeout=5000)
        booth.engine.send_event("cant_hear").result(5)
        page.wait_for_function("getComputedStyle(document.getElementById('alert')).display !== 'none'", timeout=5000)
        page.fill("#chatinput", "Kirjoitan tänne.")
        page.click("#chatform button")
        booth.wait(lambda: any(getattr(e, "text", "") == "Kirjoitan tänne." for e in booth.events), timeout=5)

        page.click("#hangup")
        booth.wait(lambda: booth.engine.state is CallState.ENDED, timeout=10)
        assert [e for e in booth.events if isinstance(e, StateChanged)][-1].reason is EndReason.STAFF_LEFT


def test_a_wrong_link_is_refused_plainly(server) -> None:  # type: ignore[no-untyped-def]
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "/join?token=not-a-token")
        page.wait_for_function("document.getElementById('status').textContent.includes('not valid')", timeout=10000)
