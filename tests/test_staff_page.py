"""The staff's page in headless Chromium (Debian's, through Playwright, fake camera and
microphone) against the booth's call engine over the real room service, all on loopback."""
from __future__ import annotations

import time

import pytest

from calls.events import CallState, EndReason, StateChanged
from staff_browser import chromium, inbound
from test_call_engine import Side, frames, loopback_ice, media, server, turn_server  # noqa: F401  (fixtures)


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


# --- the rest of the call against the real browser ---------------------------------------------
RELAY_ONLY_JS = """(() => {
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = function (config) { return new Original({...(config || {}), iceTransportPolicy: "relay"}); };
  window.RTCPeerConnection.prototype = Original.prototype;
})();"""
SELECTED_PAIR_JS = """async () => {
  for (const pc of window.__pcs) {
    const stats = await pc.getStats();
    for (const s of stats.values()) {
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
        const local = stats.get(s.localCandidateId);
        return local.candidateType + "/" + (local.relayProtocol || local.protocol);
      }
    }
  }
  return "";
}"""
SHA256_OF_DOC_JS = """async () => {
  const a = document.querySelector('#docs li a');
  const data = await (await fetch(a.href)).arrayBuffer();
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def _in_call(browser, server, booth, init_script: str = ""):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    if init_script:
        page.add_init_script(script=init_script)
    page.goto(server.invite("ranua-1", "staff"))
    page.wait_for_function("!document.getElementById('join').disabled", timeout=15000)
    page.click("#join")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (frames(booth) > 30 and inbound(page)["video_frames"] > 30):
        time.sleep(0.2)
    assert frames(booth) > 30 and inbound(page)["video_frames"] > 30, (frames(booth), inbound(page))
    return page


def test_five_megabyte_documents_cross_both_ways_intact(server, booth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    import os

    from calls.documents import Document
    from calls.events import DocumentReceived

    to_staff, to_booth = os.urandom(5 * 1024 * 1024), os.urandom(5 * 1024 * 1024)
    upload = tmp_path / "päätös.pdf"
    upload.write_bytes(to_booth)
    with chromium() as browser:
        page = _in_call(browser, server, booth)
        (staff_id,) = booth.engine.remotes
        booth.engine.share(staff_id, Document("skannaus.pdf", to_staff, "application/pdf")).result(60)
        page.wait_for_function("document.querySelectorAll('#docs li').length === 1", timeout=30000)
        assert "skannaus.pdf (5242880 bytes" in page.text_content("#docs li")
        assert page.evaluate(SHA256_OF_DOC_JS) == hashlib.sha256(to_staff).hexdigest()
        page.set_input_files("#file", str(upload))
        booth.wait(lambda: any(isinstance(e, DocumentReceived) for e in booth.events), timeout=60)
        (received,) = [e.document for e in booth.events if isinstance(e, DocumentReceived)]
        assert received.name == "päätös.pdf" and received.sha256 == hashlib.sha256(to_booth).hexdigest()


def test_the_booth_hanging_up_ends_the_call_on_the_staff_page_too(server, booth) -> None:  # type: ignore[no-untyped-def]
    with chromium() as browser:
        page = _in_call(browser, server, booth)
        booth.engine.hang_up().result(10)
        page.wait_for_function("document.getElementById('status').textContent.includes('The resident left the call.')", timeout=10000)
        assert page.evaluate("window.__pcs.every(pc => pc.connectionState === 'closed')")
        assert booth.engine.state is CallState.ENDED
        booth.wait(lambda: not booth.engine.camera.running, timeout=5)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_relay_only_through_turn_with_the_browser(media, tmp_path, transport) -> None:  # type: ignore[no-untyped-def]
    """Both sides may use only the TURN relay (coturn on loopback), over UDP or only TCP."""
    from devices.camera import CameraOwner, CameraSource
    from server.embedded import start_embedded

    server = start_embedded(ice_servers=[turn_server(transport)])
    video, mic = media
    camera = CameraOwner(CameraSource(str(video)))
    booth = Side(camera, mic, tmp_path / "booth.wav")
    booth.engine.relay_only = True
    try:
        booth.join(server.invite("ranua-1", "booth"), "Virtu Ranua")
        with chromium() as browser:
            page = _in_call(browser, server, booth, RELAY_ONLY_JS)
            assert page.evaluate(SELECTED_PAIR_JS) == f"relay/{transport}"
            pair = next(iter(booth.engine.links.values())).pc.sctp.transport.transport
            assert {c.type for c in pair.iceGatherer.getLocalCandidates()} == {"relay"}
    finally:
        booth.engine.close()
        booth.engine.loop.stop()
        camera.stop()
        server.stop()


def _cut_udp() -> None:
    import subprocess

    subprocess.run("nft add table inet cut && nft add chain inet cut out '{ type filter hook output priority 0; }' && "
                   "nft add rule inet cut out meta l4proto udp drop", shell=True, check=True)


def _restore() -> None:
    import subprocess

    subprocess.run(["nft", "delete", "table", "inet", "cut"], check=True)


def test_a_ten_second_cut_recovers_with_the_browser(server, booth) -> None:  # type: ignore[no-untyped-def]
    with chromium() as browser:
        page = _in_call(browser, server, booth)
        _cut_udp()
        try:
            booth.wait(lambda: booth.engine.state is CallState.RECONNECTING, timeout=10)
            time.sleep(10)
        finally:
            _restore()
        before_booth, before_page = frames(booth), inbound(page)["video_frames"]
        booth.wait(lambda: booth.engine.state is CallState.IN_CALL and frames(booth) > before_booth + 30, timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and inbound(page)["video_frames"] <= before_page + 30:
            time.sleep(0.2)
        assert inbound(page)["video_frames"] > before_page + 30, "the staff sees the resident again"


def test_a_forty_second_cut_ends_the_call_with_the_browser_and_frees_the_camera(server, booth) -> None:  # type: ignore[no-untyped-def]
    with chromium() as browser:
        _in_call(browser, server, booth)
        _cut_udp()
        try:
            booth.wait(lambda: booth.engine.state is CallState.ENDED, timeout=70)
        finally:
            _restore()
        assert booth.states()[-1].reason is EndReason.NETWORK
        booth.wait(lambda: not booth.engine.camera.running, timeout=5)
