"""The room service over real WebSockets on loopback: tokens, joining, relaying, limits."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
import requests

from server.embedded import EmbeddedServer, start_embedded
from server.rooms.tokens import TokenRefused, check_token, make_token

SECRET = b"s" * 32


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    s = start_embedded(secret=SECRET, service_key="booking-key", ice_servers=[{"urls": ["stun:127.0.0.1:3478"]}])
    yield s
    s.stop()


def test_tokens_wrong_expired_other_room_and_roles() -> None:
    token = make_token(SECRET, "ranua-1", "staff", 60, now=1000)
    grant = check_token(SECRET, token, now=1001)
    assert (grant.room, grant.role) == ("ranua-1", "staff")
    with pytest.raises(TokenRefused) as err:
        check_token(SECRET, token, now=1000 + 3601)
    assert err.value.code == "token_expired"
    with pytest.raises(TokenRefused) as err:
        check_token(b"x" * 32, token, now=1001)
    assert err.value.code == "token_invalid"
    other_body = make_token(b"forger", "utsjoki-1", "staff", 60, now=1000).split(".")[0]
    with pytest.raises(TokenRefused):
        check_token(SECRET, other_body + "." + token.split(".")[1], now=1001)  # another room under this signature
    for bad in ("", "abc", "a.b.c", "!!!.???"):
        with pytest.raises(TokenRefused):
            check_token(SECRET, bad)


async def _join(server: EmbeddedServer, role: str, room: str = "r1", name: str = "x") -> tuple[aiohttp.ClientSession, Any, dict[str, Any]]:
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(server.url.replace("http", "ws") + "/ws")
    await ws.send_str(json.dumps({"type": "join", "token": server.token(room, role), "name": name, "place": "Ranua"}))
    return session, ws, json.loads((await ws.receive(timeout=5)).data)


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_join_relay_chat_and_leave(server) -> None:  # type: ignore[no-untyped-def]
    async def scenario() -> None:
        s1, booth, joined = await _join(server, "booth", name="Virtu Ranua")
        assert joined["type"] == "joined" and joined["role"] == "booth" and joined["peers"] == []
        assert joined["ice_servers"] == [{"urls": ["stun:127.0.0.1:3478"]}]
        s2, staff, joined2 = await _join(server, "staff", name="Nurse")
        assert [p["name"] for p in joined2["peers"]] == ["Virtu Ranua"]
        seen = json.loads((await booth.receive(timeout=5)).data)
        assert seen["type"] == "peer-joined" and seen["peer"]["role"] == "staff"
        await staff.send_str(json.dumps({"type": "offer", "to": joined["peer_id"], "sdp": "v=0"}))
        offer = json.loads((await booth.receive(timeout=5)).data)
        assert offer == {"type": "offer", "sdp": "v=0", "from": joined2["peer_id"]}
        await booth.send_str(json.dumps({"type": "chat", "text": "hei"}))
        chat = json.loads((await staff.receive(timeout=5)).data)
        assert (chat["type"], chat["text"], chat["name"]) == ("chat", "hei", "Virtu Ranua")
        await staff.send_str(json.dumps({"type": "offer", "to": "nobody", "sdp": "v=0"}))
        assert json.loads((await staff.receive(timeout=5)).data)["code"] == "unknown_peer"
        await staff.send_str(json.dumps({"type": "leave"}))
        left = json.loads((await booth.receive(timeout=5)).data)
        assert left == {"type": "peer-left", "peer_id": joined2["peer_id"]}
        for s in (s1, s2):
            await s.close()
    run(scenario())


@pytest.mark.parametrize(("token_of", "code"), [
    (lambda s: make_token(b"y" * 32, "r1", "booth", 5), "token_invalid"),
    (lambda s: make_token(SECRET, "r1", "booth", -1), "token_expired"),
    (lambda s: "garbage", "token_invalid"),
])
def test_refused_tokens_get_a_clear_error(server, token_of, code) -> None:  # type: ignore[no-untyped-def]
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.url.replace("http", "ws") + "/ws")
            await ws.send_str(json.dumps({"type": "join", "token": token_of(server), "name": "", "place": ""}))
            reply = json.loads((await ws.receive(timeout=5)).data)
            assert reply["type"] == "error" and reply["code"] == code and reply["message"]
    run(scenario())


@pytest.mark.parametrize("bad", ['{"type": "chat"}', "[]", "not json", '{"type": "hack", "x": 1}', '{"type": "chat", "text": "' + "x" * 70000 + '"}'])
def test_a_bad_message_closes_only_that_connection(server, bad) -> None:  # type: ignore[no-untyped-def]
    async def scenario() -> None:
        s1, a, _ = await _join(server, "booth")
        s2, b, jb = await _join(server, "staff")
        await a.receive(timeout=5)  # b joined
        await b.send_str(bad)
        reply = json.loads((await b.receive(timeout=5)).data)
        assert reply["type"] == "error" and reply["code"] in ("bad_message", "too_big")
        assert (await a.receive(timeout=5)).type == aiohttp.WSMsgType.TEXT  # peer-left of b
        s3, c, _ = await _join(server, "staff", name="Interpreter")
        seen = json.loads((await a.receive(timeout=5)).data)
        assert seen["type"] == "peer-joined", "the room goes on"
        for s in (s1, s2, s3):
            await s.close()
    run(scenario())


def test_flooding_is_rate_limited_and_rooms_hold_four(server) -> None:  # type: ignore[no-untyped-def]
    async def scenario() -> None:
        sessions, sockets = [], []
        for i in range(4):
            s, ws, joined = await _join(server, "staff" if i else "booth", room="full")
            sessions.append(s)
            sockets.append(ws)  # kept: a dropped client socket is closed, and its seat freed
            assert joined["type"] == "joined"
        s, ws, fifth = await _join(server, "staff", room="full")
        sessions.append(s)
        assert fifth["code"] == "room_full"
        s, flood, _ = await _join(server, "booth", room="flood")
        sessions.append(s)
        for _ in range(300):
            if flood.closed:
                break
            await flood.send_str(json.dumps({"type": "ready"}))
        codes = []
        while True:
            msg = await flood.receive(timeout=5)
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            codes.append(json.loads(msg.data).get("code"))
        assert "rate_limited" in codes
        for s in sessions:
            await s.close()
    run(scenario())


def test_invite_api_needs_the_service_key(server) -> None:  # type: ignore[no-untyped-def]
    assert requests.post(server.url + "/api/invites", json={"room": "r1"}).status_code == 401
    assert requests.post(server.url + "/api/invites", json={"room": "r1"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = requests.post(server.url + "/api/invites", json={"room": "r1", "role": "staff", "minutes": 30}, headers={"Authorization": "Bearer booking-key"})
    assert r.status_code == 200
    token = r.json()["url"].split("token=")[1]
    assert check_token(SECRET, token).room == "r1"


def test_invite_command_prints_a_working_link() -> None:
    out = subprocess.run([sys.executable, "-m", "server", "invite", "ranua-1", "--role", "staff", "--minutes", "60"],
                         capture_output=True, text=True, env={"VIRTU_ROOM_SECRET": SECRET.hex(), "PATH": "/usr/bin:/bin"}, check=True).stdout
    token = out.strip().split("token=")[1]
    grant = check_token(SECRET, token)
    assert (grant.room, grant.role) == ("ranua-1", "staff")


def test_a_booth_gets_its_own_links_from_the_api_with_its_key(server) -> None:  # type: ignore[no-untyped-def]
    from calls.booth_link import api_booth_link
    from calls.signalling import InvalidInvitation

    link = api_booth_link(server.url + "/", "ranua-1", "booking-key")
    for line, room in (("", "ranua-1"), ("contact", "ranua-1-contact")):
        grant = check_token(SECRET, link(line).split("token=")[1])
        assert (grant.room, grant.role) == (room, "booth")
    with pytest.raises(InvalidInvitation):
        api_booth_link(server.url, "ranua-1", "wrong-key")("")
    with pytest.raises(OSError):
        api_booth_link("http://127.0.0.1:9", "ranua-1", "booking-key")("")


def test_a_booth_reads_its_room_key_from_the_key_store(private_dirs) -> None:  # type: ignore[no-untyped-def]
    import keyring

    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import KioskConfig
    from session.clock import ManualClock
    from session.paths import Paths

    paths = Paths.from_env()
    paths.ensure()
    logs = setup_logging(paths)
    assert build_context(KioskConfig.demo(), None, paths, ManualClock(), False, logs).booth_link is None
    keyring.set_password("virtu-kiosk", "room-service-key", "booth-key")
    try:
        assert build_context(KioskConfig.demo(), None, paths, ManualClock(), False, logs).booth_link is not None
    finally:
        import logging

        logging.getLogger().removeHandler(logs)
