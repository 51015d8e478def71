"""Background rounds of the server (writing reports, checking alerts, the routing heartbeat)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(seconds: float, work: Callable[[], Awaitable[object]], what: str) -> None:
    """`work` every `seconds` until cancelled. A failure (the database away for a moment)
    is logged and the next round tries again: one bad round must not stop them for good."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await work()
        except Exception:
            log.exception("%s failed; trying again", what)
