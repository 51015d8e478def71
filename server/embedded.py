"""A service on its own thread and asyncio loop, beside the kiosk (the demo's room service)
or inside a test process (the fleet service)."""
from __future__ import annotations

import asyncio
import secrets
import threading
from dataclasses import dataclass
from typing import Any, Coroutine, TypeVar

from aiohttp import web

from server.rooms.app import Settings, make_app
from server.rooms.tokens import make_token

T = TypeVar("T")


@dataclass
class ThreadedApp:
    url: str
    app: web.Application
    loop: asyncio.AbstractEventLoop
    runner: web.AppRunner
    thread: threading.Thread

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Runs a coroutine on the service's loop (its database, its state) and waits."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=timeout)

    def stop(self) -> None:
        self.call(self.runner.cleanup(), timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def run_in_thread(app: web.Application, host: str = "127.0.0.1", port: int = 0, name: str = "service") -> ThreadedApp:
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    started = threading.Event()
    bound: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, host, port)
            loop.run_until_complete(site.start())
            bound["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        except Exception as exc:  # handed to the caller below
            bound["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    if not started.wait(30) or "error" in bound:
        raise RuntimeError(f"the {name} did not start: {bound.get('error')!r}")
    return ThreadedApp(f"http://{host}:{bound['port']}", app, loop, runner, thread)


@dataclass
class EmbeddedServer:
    running: ThreadedApp
    settings: Settings

    @property
    def url(self) -> str:
        return self.running.url

    def token(self, room: str, role: str, minutes: float = 60) -> str:
        return make_token(self.settings.secret, room, role, minutes)

    def invite(self, room: str, role: str, minutes: float = 60) -> str:
        return f"{self.url}/join?token={self.token(room, role, minutes)}"

    def stop(self) -> None:
        self.running.stop()


def start_embedded(host: str = "127.0.0.1", port: int = 0, secret: bytes | None = None,
                   ice_servers: list[dict[str, Any]] | None = None, service_key: str = "") -> EmbeddedServer:
    settings = Settings(secret or secrets.token_bytes(32), service_key=service_key, ice_servers=ice_servers or [])
    return EmbeddedServer(run_in_thread(make_app(settings), host, port, "room-service"), settings)
