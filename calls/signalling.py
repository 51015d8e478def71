"""The booth's WebSocket to the room service (protocol in calls/messages.py)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import aiohttp

log = logging.getLogger(__name__)


class InvalidInvitation(ValueError):
    pass


@dataclass(frozen=True)
class Invitation:
    """A join link, split into where to connect and the token (which is never logged)."""

    ws_url: str
    token: str

    @classmethod
    def from_link(cls, link: str) -> Invitation:
        parts = urlsplit(link)
        token = parse_qs(parts.query).get("token", [""])[0]
        if parts.scheme not in ("http", "https") or not parts.netloc or not token or parts.path.rstrip("/") != "/join":
            raise InvalidInvitation("not a room-service join link")
        scheme = "wss" if parts.scheme == "https" else "ws"
        return cls(urlunsplit((scheme, parts.netloc, "/ws", "", "")), token)

    def __repr__(self) -> str:
        return f"Invitation({self.ws_url!r}, token=<hidden>)"


class Signalling:
    def __init__(self, invitation: Invitation, name: str, place: str) -> None:
        self.invitation = invitation
        self.name, self.place = name, place
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def connect(self, timeout: float = 10.0) -> dict[str, Any]:
        """Opens the socket and joins; returns the "joined" message (or raises on "error")."""
        await self.close()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, connect=timeout))
        self._ws = await self._session.ws_connect(self.invitation.ws_url, heartbeat=5.0, max_msg_size=1 << 20)
        await self.send({"type": "join", "token": self.invitation.token, "name": self.name, "place": self.place})
        reply = await self.receive(timeout)
        if reply is None:
            raise ConnectionError("the room service closed the connection")
        return reply

    async def send(self, message: dict[str, Any]) -> None:
        if self._ws is None or self._ws.closed:
            raise ConnectionError("not connected to the room service")
        await self._ws.send_str(json.dumps(message))

    async def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next message as a dict; None when the socket closed."""
        ws = self._ws
        if ws is None:
            return None
        while True:
            msg = await ws.receive(timeout=timeout)
            if msg.type == aiohttp.WSMsgType.TEXT:
                try:
                    data = json.loads(msg.data)
                except ValueError:
                    log.warning("room service sent a frame that is not JSON")
                    continue
                if isinstance(data, dict) and isinstance(data.get("type"), str):
                    return data
                log.warning("room service sent a message without a type")
                continue
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return None

    async def close(self) -> None:
        ws, session = self._ws, self._session
        self._ws = self._session = None
        if ws is not None:
            await ws.close()
        if session is not None:
            await session.close()
