"""The room service on its own thread and asyncio loop, for the demo kiosk and the tests."""
from __future__ import annotations

import asyncio
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from server.rooms.app import Settings, make_app
from server.rooms.tokens import make_token


@dataclass
class EmbeddedServer:
    url: str
    settings: Settings
    loop: asyncio.AbstractEventLoop
    runner: web.AppRunner
    thread: threading.Thread

    def token(self, room: str, role: str, minutes: float = 60) -> str:
        return make_token(self.settings.secret, room, role, minutes)

    def invite(self, room: str, role: str, minutes: float = 60) -> str:
        return f"{self.url}/join?token={self.token(room, role, minutes)}"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def start_embedded(host: str = "127.0.0.1", port: int = 0, secret: bytes | None = None,
                   ice_servers: list[dict[str, Any]] | None = None, service_key: str = "") -> EmbeddedServer:
    settings = Settings(secret or secrets.token_bytes(32), service_key=service_key, ice_servers=ice_servers or [])
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app(settings), access_log=None)
    started = threading.Event()
    bound: dict[str, int] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, host, port)
        loop.run_until_complete(site.start())
        bound["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="room-service", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the room service did not start")
    return EmbeddedServer(f"http://{host}:{bound['port']}", settings, loop, runner, thread)
