"""Marks on the admin page and messages to the alert webhook: a booth silent for five
minutes, a printer out of paper or low on toner.

Raised alerts live in the shared database, so when several server processes check at
once only the one whose insert wins sends the webhook."""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
from sqlalchemy.exc import IntegrityError

from server.fleet import db

if TYPE_CHECKING:
    from server.fleet.service import Fleet, FleetSettings

log = logging.getLogger(__name__)

TEXTS = {
    "silent": "Booth {booth} has not reported for {minutes} minutes.",
    "out_of_paper": "Booth {booth}: the printer is out of paper.",
    "toner_low": "Booth {booth}: the printer's toner is running low.",
}
PRINTER_CODES = ("out_of_paper", "toner_low")


def conditions(row: db.BoothRow, now: float, silent_after_s: float) -> set[str]:
    if not row.enrolled:
        return set()
    found = set()
    heard = row.last_seen if row.last_seen is not None else row.enrolled_at or now
    if now - heard > silent_after_s:
        found.add("silent")
    for line in row.health:
        if line.get("subsystem") == "printer" and line.get("code") in PRINTER_CODES:
            found.add(line["code"])
    return found


class Alerts:
    def __init__(self, fleet: "Fleet", settings: "FleetSettings") -> None:
        self.fleet = fleet
        self.settings = settings
        self._http: aiohttp.ClientSession | None = None

    async def check(self) -> list[dict[str, Any]]:
        """Returns the webhook messages this process sent (for the tests and the log)."""
        await self.fleet.flush()
        now = self.settings.clock()
        wanted = {(row.booth_id, kind) for row, kinds in await self.fleet.marked_booths() for kind in kinds}
        engine = self.fleet.engine
        async with engine.connect() as conn:
            raised = {(r.booth_id, r.kind) for r in (await conn.execute(db.alerts.select())).all()}
        sent = []
        for booth, kind in sorted(wanted - raised):
            try:
                async with engine.begin() as conn:
                    await conn.execute(db.alerts.insert().values(booth_id=booth, kind=kind, since=now))
            except IntegrityError:
                continue  # another process raised it first
            sent.append(await self._send(booth, kind, "raised"))
        for booth, kind in sorted(raised - wanted):
            async with engine.begin() as conn:
                gone = await conn.execute(db.alerts.delete().where(db.alerts.c.booth_id == booth, db.alerts.c.kind == kind))
            if gone.rowcount:
                sent.append(await self._send(booth, kind, "cleared"))
        return sent

    async def _send(self, booth: str, kind: str, state: str) -> dict[str, Any]:
        text = TEXTS[kind].format(booth=booth, minutes=round(self.settings.silent_after_s / 60))
        if state == "cleared":
            text = f"Resolved: {text}"
        message = {"booth": booth, "alert": kind, "state": state, "text": text}
        log.warning("alert %s: %s", state, text)
        url = self.settings.alert_webhook
        if url:
            if self._http is None:
                self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
            try:
                async with self._http.post(url, json=message) as resp:
                    if resp.status >= 300:
                        log.warning("the alert webhook answered %d", resp.status)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.warning("the alert webhook cannot be reached: %s", type(exc).__name__)
        return message

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
