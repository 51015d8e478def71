"""The fleet service's HTTP side: enrolment, signed reports, signed configuration, the
admins' API. Reports are absorbed into memory and written in batches, so a minute's
reports from hundreds of booths cost a handful of transactions."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from aiohttp import web
from sqlalchemy.exc import IntegrityError

from fleet.messages import MAX_CONFIG_BYTES, MAX_REPORT_BYTES, BadMessage, Report, meant_for, open_config, parse_report
from fleet.signing import BadSignature, load_public, verify
from server.fleet import db
from server.fleet.alerts import Alerts, conditions
from server.periodic import every

log = logging.getLogger(__name__)
ENROL_CODE_HOURS = 24
CLOCK_SKEW_S = 300.0
FLUSH_EVERY_S = 0.2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


@dataclass
class FleetSettings:
    database: str
    admin_token: str = ""
    """Bearer token (or the password with any user name) for the admin page and API."""
    admin_public_key: str = ""
    """The admins' Ed25519 public key: a configuration not signed by it is refused."""
    alert_webhook: str = ""
    silent_after_s: float = 300.0
    alert_every_s: float = 15.0
    clock: Callable[[], float] = time.time


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").upper().encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class Fleet:
    def __init__(self, settings: FleetSettings) -> None:
        self.settings = settings
        self.engine = db.open_engine(settings.database)
        self.keys: dict[str, Any] = {}
        self.last_sent: dict[str, float] = {}
        self.pending: dict[str, tuple[Report, float]] = {}
        self._index: list[tuple[int, list[str]]] = []
        self._index_at = float("-inf")
        self.alerts = Alerts(self, settings)
        self._tasks: list[asyncio.Task[None]] = []

    # --- life ---------------------------------------------------------------------------
    async def start(self, _app: web.Application | None = None) -> None:
        await db.create_tables(self.engine)
        self._tasks = [asyncio.create_task(every(FLUSH_EVERY_S, self.flush, "writing booth reports")),
                       asyncio.create_task(every(self.settings.alert_every_s, self.alerts.check, "checking booths for alerts"))]

    async def stop(self, _app: web.Application | None = None) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.flush()
        await self.alerts.close()
        await self.engine.dispose()

    # --- enrolment ----------------------------------------------------------------------
    async def make_enrol_code(self, booth_id: str) -> str:
        code = new_code()
        async with self.engine.begin() as conn:
            await conn.execute(db.enrol_codes.insert().values(
                code_hash=_hash_code(code), booth_id=booth_id, expires_at=self.settings.clock() + ENROL_CODE_HOURS * 3600))
        return code

    async def enrol(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            booth, code, public = str(body["booth"]), str(body["code"]), str(body["public_key"])
            load_public(public)
        except (ValueError, KeyError, TypeError, BadSignature):
            return _error(400, "give booth, code and public_key (Ed25519, base64)")
        now = self.settings.clock()
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(db.enrol_codes).where(db.enrol_codes.c.code_hash == _hash_code(code)))).first()
            if row is None or row.booth_id != booth or row.expires_at < now:
                return _error(403, "the enrolment code is wrong, used or expired: ask the admins for a new one")
            await conn.execute(db.enrol_codes.delete().where(db.enrol_codes.c.code_hash == row.code_hash))
            updated = await conn.execute(db.booths.update().where(db.booths.c.booth_id == booth).values(
                public_key=public, enrolled_at=now, last_sent_at=None))
            if updated.rowcount == 0:
                await conn.execute(db.booths.insert().values(booth_id=booth, public_key=public, enrolled_at=now))
        self.keys.pop(booth, None)
        self.last_sent.pop(booth, None)
        log.info("booth %s enrolled", booth)
        return web.json_response({"booth": booth, "enrolled": True})

    async def _key(self, booth: str) -> Any | None:
        if booth not in self.keys:
            async with self.engine.connect() as conn:
                row = (await conn.execute(sa.select(db.booths.c.public_key, db.booths.c.last_sent_at)
                                          .where(db.booths.c.booth_id == booth))).first()
            if row is None or row.public_key is None:
                return None
            self.keys[booth] = load_public(row.public_key)
            self.last_sent[booth] = max(self.last_sent.get(booth, 0.0), row.last_sent_at or 0.0)
        return self.keys[booth]

    async def _signed_by_booth(self, request: web.Request, data: bytes) -> str | web.Response:
        """A cached key that does not match is read again from the database once: the booth
        may have been enrolled again, with a new key, through another server process."""
        booth = request.headers.get("X-Virtu-Booth", "")
        signature = request.headers.get("X-Virtu-Signature", "")
        was_cached = booth in self.keys
        key = await self._key(booth)
        if key is not None and was_cached and not _signs(key, data, signature):
            self.keys.pop(booth, None)
            key = await self._key(booth)
        if key is None:
            return _error(403, "this booth is not enrolled")
        if not _signs(key, data, signature):
            return _error(403, "the signature does not match the booth's key")
        return booth

    # --- reports ------------------------------------------------------------------------
    async def report(self, request: web.Request) -> web.Response:
        data = await _body(request, MAX_REPORT_BYTES)
        if data is None:
            return _error(413, "the report is too big")
        booth = await self._signed_by_booth(request, data)
        if isinstance(booth, web.Response):
            return booth
        try:
            report = parse_report(json.loads(data))
        except (ValueError, BadMessage) as exc:
            return _error(400, f"the report was refused: {exc}")
        now = self.settings.clock()
        if report.booth != booth:
            return _error(403, "the report names another booth")
        if abs(report.sent_at - now) > CLOCK_SKEW_S:
            return _error(409, "the report's time is more than 5 minutes off: check the booth's clock")
        if report.sent_at <= self.last_sent.get(booth, 0.0):
            return _error(409, "the report is not newer than the last one (a replay?)")
        self.last_sent[booth] = report.sent_at
        self.pending[booth] = (report, now)
        return web.json_response({"config_serial": await self._serial_for(booth)}, status=202)

    async def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, {}
        rows = [{
            "b_id": r.booth, "last_seen": seen, "last_sent_at": r.sent_at, "version": r.version,
            "health": json.dumps([h.__dict__ for h in r.health]), "usage_day": r.usage.day, "sessions": r.usage.sessions,
            "calls": r.usage.calls, "config_serial": r.config_serial, "config_problem": r.config_problem,
        } for r, seen in batch.values()]
        stmt = db.booths.update().where(db.booths.c.booth_id == sa.bindparam("b_id")).values(
            {c: sa.bindparam(c) for c in rows[0] if c != "b_id"})
        async with self.engine.begin() as conn:
            await conn.execute(stmt, rows)

    # --- configuration ------------------------------------------------------------------
    async def _serial_for(self, booth: str) -> int:
        """From an index re-read every few seconds: every report asks, and another process
        may have published."""
        now = self.settings.clock()
        if now - self._index_at > 5.0:
            async with self.engine.connect() as conn:
                rows = (await conn.execute(sa.select(db.configs.c.serial, db.configs.c.booths)
                                           .order_by(db.configs.c.serial.desc()).limit(200))).all()
            self._index = [(r.serial, json.loads(r.booths)) for r in rows]
            self._index_at = now
        return next((serial for serial, targets in self._index if meant_for(targets, booth)), 0)

    async def _newest_config(self, booth: str) -> tuple[int, str] | None:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(db.configs.c.serial, db.configs.c.booths, db.configs.c.envelope)
                                       .order_by(db.configs.c.serial.desc()).limit(200))).all()
        return next(((row.serial, row.envelope) for row in rows if meant_for(json.loads(row.booths), booth)), None)

    async def config(self, request: web.Request) -> web.Response:
        """Signed by the booth (the configuration may carry a PIN hash: not for anyone)."""
        stamp = request.headers.get("X-Virtu-Time", "")
        booth = await self._signed_by_booth(request, f"config {request.headers.get('X-Virtu-Booth', '')} {stamp}".encode())
        if isinstance(booth, web.Response):
            return booth
        try:
            if abs(float(stamp) - self.settings.clock()) > CLOCK_SKEW_S:
                raise ValueError(stamp)
        except ValueError:
            return _error(409, "the request's time is more than 5 minutes off: check the booth's clock")
        newest = await self._newest_config(booth)
        if newest is None:
            return web.json_response({"config": None})
        return web.Response(text=newest[1], content_type="application/json", headers={"Cache-Control": "no-store"})

    async def publish(self, request: web.Request) -> web.Response:
        if not self.is_admin(request):
            return _admin_challenge()
        if not self.settings.admin_public_key:
            return _error(409, "the server has no admin public key (--admin-public-key): it cannot check configurations")
        data = await _body(request, MAX_CONFIG_BYTES)
        if data is None:
            return _error(413, "the configuration is too big")
        try:
            envelope = json.loads(data)
            config = open_config(envelope, self.settings.admin_public_key)
        except (ValueError, BadMessage) as exc:
            return _error(400, f"the configuration was refused: {exc}")
        try:
            async with self.engine.begin() as conn:
                newest = (await conn.execute(sa.select(sa.func.max(db.configs.c.serial)))).scalar() or 0
                if config.serial <= newest:
                    return _error(409, f"serial {config.serial} is not above the newest published ({newest})")
                await conn.execute(db.configs.insert().values(serial=config.serial, booths=json.dumps(config.booths),
                                                              envelope=json.dumps(envelope), published_at=self.settings.clock()))
        except IntegrityError:
            return _error(409, f"serial {config.serial} was just published by someone else")
        self._index_at = float("-inf")
        log.info("configuration %d published for %s", config.serial, ",".join(config.booths))
        return web.json_response({"serial": config.serial}, status=201)

    # --- admins -------------------------------------------------------------------------
    def is_admin(self, request: web.Request) -> bool:
        token = self.settings.admin_token
        header = request.headers.get("Authorization", "")
        given = ""
        if header.startswith("Bearer "):
            given = header[7:]
        elif header.startswith("Basic "):
            try:
                given = base64.b64decode(header[6:]).decode().partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                given = ""
        return bool(token) and hmac.compare_digest(given.encode(), token.encode())

    async def booth_rows(self) -> list[db.BoothRow]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(db.booths).order_by(db.booths.c.booth_id))).all()
        return [db.BoothRow.from_row(r) for r in rows]

    async def marked_booths(self) -> list[tuple[db.BoothRow, set[str]]]:
        """Every booth with what needs attention now, from one read of the table."""
        now = self.settings.clock()
        return [(row, conditions(row, now, self.settings.silent_after_s)) for row in await self.booth_rows()]

    async def booths_api(self, request: web.Request) -> web.Response:
        if not self.is_admin(request):
            return _admin_challenge()
        return web.json_response({"now": self.settings.clock(), "booths": [
            {**row.__dict__, "alerts": sorted(marks)} for row, marks in await self.marked_booths()]})


def _signs(key: Any, data: bytes, signature: str) -> bool:
    try:
        verify(key, data, signature)
    except BadSignature:
        return False
    return True


async def _body(request: web.Request, limit: int) -> bytes | None:
    """The whole body (content.read(n) stops at whatever arrived first), or None past `limit`."""
    data = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _admin_challenge() -> web.Response:
    return web.json_response({"error": "the admin password or token is needed"}, status=401,
                             headers={"WWW-Authenticate": 'Basic realm="Virtu fleet", charset="UTF-8"'})


FLEET_KEY = web.AppKey("fleet", Fleet)


def add_routes(app: web.Application, fleet: Fleet) -> None:
    from server.fleet.admin_page import admin_page

    app[FLEET_KEY] = fleet
    app.on_startup.append(fleet.start)
    app.on_cleanup.append(fleet.stop)
    app.router.add_post("/api/fleet/enrol", fleet.enrol)
    app.router.add_post("/api/fleet/reports", fleet.report)
    app.router.add_get("/api/fleet/config", fleet.config)
    app.router.add_post("/api/fleet/configs", fleet.publish)
    app.router.add_get("/api/fleet/booths", fleet.booths_api)
    app.router.add_get("/admin", admin_page)
