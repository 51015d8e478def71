"""The room service: WebSocket signalling for a booth and up to three staff per room, and
an HTTP API that makes join links for the booking system. Media never passes through
here: peers connect directly (or through TURN)."""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from calls.messages import MAX_MESSAGE_BYTES, BadMessage, dump, parse
from server.rooms.routing import FORWARDED, RoomRouter, relay
from server.rooms.tokens import TokenRefused, check_token, make_token

log = logging.getLogger(__name__)
MAX_PEERS = 4
JOIN_WITHIN_S = 10.0
RATE_PER_S = 50.0
BURST = 100.0


@dataclass
class Settings:
    secret: bytes
    service_key: str = ""
    public_url: str = ""
    """Where staff open their links (behind the TLS proxy); "" = this server's own address."""
    ice_servers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Peer:
    peer_id: str
    role: str
    name: str
    place: str
    ws: web.WebSocketResponse
    ready: bool = False

    def public(self) -> dict[str, Any]:
        return {"peer_id": self.peer_id, "role": self.role, "name": self.name, "place": self.place, "ready": self.ready}


class Bucket:
    """Per-connection rate limit: RATE_PER_S messages a second, bursts up to BURST."""

    def __init__(self) -> None:
        self.tokens, self.at = BURST, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * RATE_PER_S)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Rooms:
    def __init__(self, settings: Settings, router: RoomRouter | None = None) -> None:
        self.settings = settings
        self.router = router
        self.rooms: dict[str, dict[str, Peer]] = {}

    def link(self, base_url: str, room: str, role: str, minutes: float) -> tuple[str, str]:
        token = make_token(self.settings.secret, room, role, minutes)
        base = (self.settings.public_url or base_url).rstrip("/")
        return f"{base}/join?token={token}", token

    # --- WebSocket ----------------------------------------------------------------------
    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=10.0, max_msg_size=4 * MAX_MESSAGE_BYTES)
        await ws.prepare(request)
        peer, room = await self._join(ws, relayed=FORWARDED in request.headers)
        if peer is None or room is None:
            await ws.close()
            return ws
        try:
            await self._serve(ws, peer, room)
        finally:
            # The others hear at once; closing waits for the client's close reply.
            await self._leave(peer, room)
            await ws.close()
        return ws

    async def _refuse(self, ws: web.WebSocketResponse, code: str, message: str) -> None:
        """The error message; the caller then ends the connection (this one only)."""
        log.info("connection refused: %s", code)
        if not ws.closed:
            await ws.send_str(dump({"type": "error", "code": code, "message": message}))

    async def _join(self, ws: web.WebSocketResponse, relayed: bool) -> tuple[Peer | None, str | None]:
        try:
            first = await ws.receive(timeout=JOIN_WITHIN_S)
        except asyncio.TimeoutError:
            await self._refuse(ws, "bad_message", "Join first.")
            return None, None
        if first.type != WSMsgType.TEXT:
            return None, None
        try:
            msg = parse(first.data)
            if msg["type"] != "join":
                raise BadMessage("join first")
            grant = check_token(self.settings.secret, msg["token"])
        except BadMessage as exc:
            await self._refuse(ws, "bad_message", f"The message was refused: {exc}.")
            return None, None
        except TokenRefused as exc:
            await self._refuse(ws, exc.code, str(exc))
            return None, None
        if self.router is not None and not relayed:
            owner = await self.router.owner(grant.room)
            if owner != self.router.node_url:
                if not await relay(ws, owner, first.data, 4 * MAX_MESSAGE_BYTES):
                    await self._refuse(ws, "unavailable", "The call service is busy. Try again in a moment.")
                return None, None
        room = self.rooms.setdefault(grant.room, {})
        if len(room) >= MAX_PEERS:
            await self._refuse(ws, "room_full", "The call is full.")
            return None, None
        peer = Peer(secrets.token_hex(4), grant.role, msg["name"], msg["place"], ws)
        await ws.send_str(dump({"type": "joined", "room": grant.room, "peer_id": peer.peer_id, "role": peer.role,
                                "peers": [p.public() for p in room.values()], "ice_servers": self.settings.ice_servers}))
        await self._broadcast(room, {"type": "peer-joined", "peer": peer.public()}, skip=peer)
        room[peer.peer_id] = peer
        log.info("peer joined a room (%s, %d in it)", peer.role, len(room))
        return peer, grant.room

    async def _serve(self, ws: web.WebSocketResponse, peer: Peer, room_name: str) -> None:
        room = self.rooms[room_name]
        bucket = Bucket()
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                if frame.type == WSMsgType.ERROR:
                    return
                await self._refuse(ws, "bad_message", "Only text messages are accepted.")
                return
            if not bucket.take():
                await self._refuse(ws, "rate_limited", "Too many messages.")
                return
            if len(frame.data) > MAX_MESSAGE_BYTES:
                await self._refuse(ws, "too_big", "The message is too big.")
                return
            try:
                msg = parse(frame.data)
            except BadMessage as exc:
                await self._refuse(ws, "bad_message", f"The message was refused: {exc}.")
                return
            kind = msg["type"]
            if kind == "leave":
                return
            if kind == "join":
                await self._refuse(ws, "bad_message", "Already joined.")
                return
            if kind == "ready":
                peer.ready = True
                await self._broadcast(room, {"type": "peer-ready", "peer_id": peer.peer_id}, skip=peer)
            elif kind in ("offer", "answer", "ice"):
                target = room.get(msg.pop("to"))
                if target is None:
                    await ws.send_str(dump({"type": "error", "code": "unknown_peer", "message": "That participant is not in the call."}))
                    continue
                msg["from"] = peer.peer_id
                await _send(target.ws, msg)
            elif kind == "chat":
                await self._broadcast(room, {**msg, "from": peer.peer_id, "name": peer.name}, skip=peer)
            elif kind == "event":  # "name" is the event's own (cant_hear, muted...)
                await self._broadcast(room, {**msg, "from": peer.peer_id}, skip=peer)

    async def _leave(self, peer: Peer, room_name: str) -> None:
        room = self.rooms.get(room_name, {})
        room.pop(peer.peer_id, None)
        await self._broadcast(room, {"type": "peer-left", "peer_id": peer.peer_id})
        if not room:
            self.rooms.pop(room_name, None)
        log.info("peer left a room (%s)", peer.role)

    async def _broadcast(self, room: dict[str, Peer], msg: dict[str, Any], skip: Peer | None = None) -> None:
        for other in list(room.values()):
            if other is not skip:
                await _send(other.ws, msg)

    # --- HTTP ---------------------------------------------------------------------------
    async def invite_api(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        key = self.settings.service_key
        if not key or not header.startswith("Bearer ") or not hmac.compare_digest(header[7:].encode(), key.encode()):
            return web.json_response({"error": "a valid service key is needed"}, status=401)
        try:
            body = await request.json()
            room, role, minutes = str(body["room"]), str(body.get("role", "staff")), float(body.get("minutes", 60))
            if not 0 < minutes <= 24 * 60:
                raise ValueError("minutes")
            url, token = self.link(str(request.url.origin()), room, role, minutes)
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "give room, role (booth or staff) and minutes (1-1440)"}, status=400)
        return web.json_response({"url": url, "token": token}, headers={"Cache-Control": "no-store"})


async def _send(ws: web.WebSocketResponse, msg: dict[str, Any]) -> None:
    if not ws.closed:
        try:
            await ws.send_str(dump(msg))
        except ConnectionError:
            log.info("a peer went away while being sent to")


ROOMS_KEY = web.AppKey("rooms", Rooms)


def make_app(settings: Settings, router: RoomRouter | None = None) -> web.Application:
    rooms = Rooms(settings, router)
    app = web.Application(client_max_size=64 * 1024)
    app[ROOMS_KEY] = rooms
    app.router.add_get("/ws", rooms.websocket)
    app.router.add_post("/api/invites", rooms.invite_api)
    app.router.add_get("/join", staff_page)
    return app


STAFF_PAGE = Path(__file__).with_name("static") / "staff.html"


async def staff_page(request: web.Request) -> web.Response:
    """The staff's page; the token stays in the address only until the page moves it out."""
    return web.Response(text=STAFF_PAGE.read_text(encoding="utf-8"), content_type="text/html",
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
