"""Several room-service processes behind one load balancer: every room lives in exactly one
of them, chosen by its name (rendezvous hashing over the processes that are alive in the
shared database). A connection that lands elsewhere is relayed to the room's process, so
any balancer works, round-robin included."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Callable

import aiohttp
import sqlalchemy as sa
from aiohttp import WSMsgType, web
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from server.fleet import db
from server.periodic import every

log = logging.getLogger(__name__)
HEARTBEAT_S = 5.0
ALIVE_WITHIN_S = 15.0
FRESH_S = 1.0
"""A join re-reads the list of processes when it is older than this: a process that just
started is known to the others at once, not at their next heartbeat."""
FORWARDED = "X-Virtu-Relayed"


class RoomRouter:
    def __init__(self, engine: AsyncEngine, node_url: str, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.node_url = node_url.rstrip("/")
        self.clock = clock
        self.alive: list[str] = [self.node_url]
        self._read_at = float("-inf")
        self._task: asyncio.Task[None] | None = None

    async def start(self, _app: web.Application | None = None) -> None:
        await db.create_tables(self.engine)
        await self.beat()
        self._task = asyncio.create_task(every(HEARTBEAT_S, self.beat, "the room routing heartbeat"))

    async def stop(self, _app: web.Application | None = None) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        async with self.engine.begin() as conn:
            await conn.execute(db.nodes.delete().where(db.nodes.c.url == self.node_url))

    async def beat(self) -> None:
        now = self.clock()
        async with self.engine.begin() as conn:
            done = await conn.execute(db.nodes.update().where(db.nodes.c.url == self.node_url).values(last_seen=now))
            if not done.rowcount:
                try:
                    async with conn.begin_nested():
                        await conn.execute(db.nodes.insert().values(url=self.node_url, last_seen=now))
                except IntegrityError:
                    pass  # the row appeared meanwhile: the update next round finds it
        await self._read(now)

    async def _read(self, now: float) -> None:
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(db.nodes.c.url).where(db.nodes.c.last_seen > now - ALIVE_WITHIN_S))
        self.alive = sorted({r.url for r in rows} | {self.node_url})
        self._read_at = now

    async def owner(self, room: str) -> str:
        now = self.clock()
        if now - self._read_at > FRESH_S:
            try:
                await self._read(now)
            except Exception:  # the database is away for a moment: route by the last list
                log.exception("reading the list of room-service processes failed")
        return max(self.alive, key=lambda node: hashlib.sha256(f"{node}\n{room}".encode()).digest())


async def relay(ws: web.WebSocketResponse, owner: str, first: str, max_msg_size: int) -> bool:
    """Pipes the connection to the room's own process until either side ends. False when
    that process cannot be reached."""
    async with aiohttp.ClientSession() as session:
        try:
            upstream = await session.ws_connect(f"{owner}/ws", headers={FORWARDED: "1"}, heartbeat=10.0,
                                                max_msg_size=max_msg_size, timeout=aiohttp.ClientWSTimeout(ws_close=5.0))
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("the room's process %s cannot be reached: %s", owner, type(exc).__name__)
            return False
        async with upstream:
            await upstream.send_str(first)

            async def down() -> None:
                async for msg in upstream:
                    if msg.type != WSMsgType.TEXT:
                        break
                    await ws.send_str(msg.data)

            async def up() -> None:
                async for msg in ws:
                    if msg.type != WSMsgType.TEXT:
                        break
                    await upstream.send_str(msg.data)

            tasks = [asyncio.create_task(down()), asyncio.create_task(up())]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return True
