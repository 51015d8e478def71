"""The booth's call engine against the real room service on loopback, with a second engine
as the other side (the staff's browser page comes with its own tests): media both ways,
documents with the same sha256, chat, hang-up, refused invitations, a network cut."""
from __future__ import annotations

import hashlib
import os
import subprocess
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from calls.documents import Document
from calls.engine import CallEngine
from calls.events import CallState, ChatReceived, DocumentReceived, EndReason, StateChanged
from calls.media import WavSink
from devices.audio import test_tone as tone, write_wav  # renamed: pytest would collect test_tone
from devices.camera import CameraOwner, CameraSource
from server.embedded import EmbeddedServer, start_embedded


@pytest.fixture(autouse=True)
def loopback_ice(monkeypatch: pytest.MonkeyPatch) -> None:
    """aioice never offers 127.0.0.1, and the test namespace has nothing else (RECIPES.md)."""
    import aioice.ice

    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["127.0.0.1"])


@pytest.fixture
def media(tmp_path: Path) -> tuple[Path, Path]:
    video = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 480))
    for i in range(60):
        frame = np.zeros((480, 640, 3), np.uint8)
        cv2.putText(frame, str(i), (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 5, (255, 255, 255), 8)
        writer.write(frame)
    writer.release()
    mic = tmp_path / "mic.wav"
    write_wav(mic, tone(2.0))
    return video, mic


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    s = start_embedded()
    yield s
    s.stop()


class Side:
    def __init__(self, camera: CameraOwner | None, mic: Path, sink: Path) -> None:
        self.events: list[object] = []
        self.engine = CallEngine(camera, str(mic), lambda e: self.events.append(e) if type(e).__name__ != "RemoteFrame" else None)
        self.sink = sink

    def join(self, link: str, name: str) -> None:
        self.engine.join(link, name, "Ranua", WavSink(self.sink)).result(10)

    def states(self) -> list[StateChanged]:
        return [e for e in self.events if isinstance(e, StateChanged)]

    def wait(self, check, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"timed out; states {[s.state.value for s in self.states()]}"
            time.sleep(0.05)


def turn_server(transport: str) -> dict[str, object]:
    """The test namespace's coturn (scripts/daemons.d/40-coturn.sh) as an ICE server."""
    port = os.environ.get("VIRTU_TEST_TURN_PORT")
    assert port, "no TURN server: run the tests with scripts/test.sh (it starts coturn)"
    return {"urls": [f"turn:127.0.0.1:{port}?transport={transport}"],
            "username": os.environ["VIRTU_TEST_TURN_USER"], "credential": os.environ["VIRTU_TEST_TURN_PASSWORD"]}


def frames(side: Side) -> int:
    return sum(side.engine.frames_received().values())


def audio(side: Side) -> int:
    return sum(side.engine.audio_received().values())


@pytest.fixture
def call(server, media, tmp_path):  # type: ignore[no-untyped-def]
    video, mic = media
    camera = CameraOwner(CameraSource(str(video)))
    booth, staff = Side(camera, mic, tmp_path / "booth.wav"), Side(None, mic, tmp_path / "staff.wav")
    booth.join(server.invite("ranua-1", "booth"), "Virtu Ranua")
    staff.join(server.invite("ranua-1", "staff"), "Nurse")
    booth.wait(lambda: frames(booth) > 30 and frames(staff) > 30)
    yield booth, staff, camera
    for side in (booth, staff):
        side.engine.close()
        side.engine.loop.stop()
    camera.stop()


def test_media_flows_both_ways_and_the_speaker_is_not_silent(call) -> None:  # type: ignore[no-untyped-def]
    booth, staff, camera = call
    assert booth.engine.state is CallState.IN_CALL
    booth.wait(lambda: audio(booth) > 50 and audio(staff) > 50)
    booth.engine.hang_up().result(10)
    with wave.open(str(booth.sink)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    assert pcm.size > 0 and np.sqrt(np.mean(pcm.astype(np.float32) ** 2)) > 100, "the staff's tone was heard"


def test_five_megabytes_each_way_arrive_whole(call) -> None:  # type: ignore[no-untyped-def]
    booth, staff, _ = call
    data_out, data_in = os.urandom(5 << 20), os.urandom(5 << 20)
    staff_id = next(iter(booth.engine.links))
    booth_id = next(iter(staff.engine.links))
    booth.engine.share(staff_id, Document("skannaus.pdf", data_out, "application/pdf")).result(60)
    staff.engine.share(booth_id, Document("päätös.pdf", data_in, "application/pdf")).result(60)
    got_staff = [e.document for e in staff.events if isinstance(e, DocumentReceived)]
    booth.wait(lambda: any(isinstance(e, DocumentReceived) for e in booth.events))
    got_booth = [e.document for e in booth.events if isinstance(e, DocumentReceived)]
    assert hashlib.sha256(got_staff[0].data).digest() == hashlib.sha256(data_out).digest()
    assert got_booth[0].name == "päätös.pdf" and got_booth[0].data == data_in


def test_chat_and_staff_hang_up_end_the_call_and_free_the_camera(call) -> None:  # type: ignore[no-untyped-def]
    booth, staff, camera = call
    booth.engine.send_chat("kuuluuko?").result(5)
    staff.wait(lambda: any(isinstance(e, ChatReceived) and e.text == "kuuluuko?" for e in staff.events))
    staff.engine.hang_up().result(10)
    booth.wait(lambda: booth.engine.state is CallState.ENDED)
    assert booth.states()[-1].reason is EndReason.STAFF_LEFT
    booth.wait(lambda: not camera.running, timeout=5)


def test_a_ten_second_cut_recovers(call) -> None:  # type: ignore[no-untyped-def]
    booth, staff, _ = call
    subprocess.run("nft add table inet cut && nft add chain inet cut out '{ type filter hook output priority 0; }' && "
                   "nft add rule inet cut out meta l4proto udp drop", shell=True, check=True)
    try:
        booth.wait(lambda: booth.engine.state is CallState.RECONNECTING, timeout=10)
        time.sleep(10)
    finally:
        subprocess.run(["nft", "delete", "table", "inet", "cut"], check=True)
    before = frames(booth)
    booth.wait(lambda: booth.engine.state is CallState.IN_CALL and frames(booth) > before + 30, timeout=20)


@pytest.mark.parametrize("which", ["expired", "other secret"])
def test_a_refused_invitation_says_why(server, media, tmp_path, which) -> None:  # type: ignore[no-untyped-def]
    from server.rooms.tokens import make_token

    _, mic = media
    side = Side(None, mic, tmp_path / "x.wav")
    token = make_token(server.settings.secret, "r", "booth", -1) if which == "expired" else make_token(b"z" * 32, "r", "booth", 5)
    side.join(f"{server.url}/join?token={token}", "Virtu")
    side.wait(lambda: side.engine.state is CallState.ENDED)
    ended = side.states()[-1]
    assert ended.reason is EndReason.REFUSED
    assert ended.detail == ("token_expired" if which == "expired" else "token_invalid")
    side.engine.loop.stop()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_relay_only_through_turn_connects(media, tmp_path, transport) -> None:  # type: ignore[no-untyped-def]
    """Municipal networks may allow only a TURN relay (and only TCP): coturn on loopback."""
    server = start_embedded(ice_servers=[turn_server(transport)])
    video, mic = media
    camera = CameraOwner(CameraSource(str(video)))
    booth, staff = Side(camera, mic, tmp_path / "b.wav"), Side(None, mic, tmp_path / "s.wav")
    booth.engine.relay_only = staff.engine.relay_only = True
    try:
        booth.join(server.invite("r", "booth"), "Virtu")
        staff.join(server.invite("r", "staff"), "Nurse")
        booth.wait(lambda: frames(booth) > 30 and frames(staff) > 30, timeout=30)
        pair = next(iter(booth.engine.links.values())).pc.sctp.transport.transport
        assert pair.iceGatherer.getLocalCandidates()[0].type == "relay"
    finally:
        for side in (booth, staff):
            side.engine.close()
            side.engine.loop.stop()
        camera.stop()
        server.stop()


def test_a_forty_second_cut_ends_the_call_and_frees_the_camera(call) -> None:  # type: ignore[no-untyped-def]
    booth, staff, camera = call
    staff.engine.give_up_s = 1000  # a browser keeps trying: the booth is the one that gives up
    subprocess.run("nft add table inet cut && nft add chain inet cut out '{ type filter hook output priority 0; }' && "
                   "nft add rule inet cut out meta l4proto udp drop", shell=True, check=True)
    try:
        booth.wait(lambda: booth.engine.state is CallState.ENDED, timeout=60)
    finally:
        subprocess.run(["nft", "delete", "table", "inet", "cut"], check=True)
    assert booth.states()[-1].reason is EndReason.NETWORK
    booth.wait(lambda: not camera.running, timeout=5)


def test_three_remotes_each_get_the_smaller_picture(call, server, media, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A mesh sends one stream per remote: with more than one, the booth sends 640x480."""
    from calls.media import SMALL

    booth, staff, _ = call
    _, mic = media
    others = [Side(None, mic, tmp_path / f"o{i}.wav") for i in range(2)]
    try:
        for i, side in enumerate(others):
            side.join(server.invite("ranua-1", "staff"), f"Interpreter {i}")
        booth.wait(lambda: len(booth.engine.links) == 3 and all(frames(s) > 30 for s in others), timeout=30)
        assert [v.size for v in booth.engine._link_videos.values()] == [SMALL] * 3
        assert frames(staff) > 30
    finally:
        for side in others:
            side.engine.close()
            side.engine.loop.stop()
