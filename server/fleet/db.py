"""The fleet's database: SQLite by default, PostgreSQL when configured.

SQLAlchemy Core (async, aiosqlite / asyncpg) keeps one set of queries for both; every
server process behind the load balancer shares it. JSON is kept as text so the two
dialects store it alike.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

meta = sa.MetaData()

booths = sa.Table(
    "booths", meta,
    sa.Column("booth_id", sa.String(63), primary_key=True),
    sa.Column("public_key", sa.String(64)),
    sa.Column("enrolled_at", sa.Float),
    sa.Column("last_seen", sa.Float),
    sa.Column("last_sent_at", sa.Float),
    sa.Column("version", sa.String(40), nullable=False, server_default=""),
    sa.Column("health", sa.Text, nullable=False, server_default="[]"),
    sa.Column("usage_day", sa.String(10), nullable=False, server_default=""),
    sa.Column("sessions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("calls", sa.Integer, nullable=False, server_default="0"),
    sa.Column("config_serial", sa.Integer, nullable=False, server_default="0"),
    sa.Column("config_problem", sa.Text, nullable=False, server_default=""),
)
enrol_codes = sa.Table(
    "enrol_codes", meta,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("booth_id", sa.String(63), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)
configs = sa.Table(
    "configs", meta,
    sa.Column("serial", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("booths", sa.Text, nullable=False),
    sa.Column("envelope", sa.Text, nullable=False),
    sa.Column("published_at", sa.Float, nullable=False),
)
alerts = sa.Table(
    "alerts", meta,
    sa.Column("booth_id", sa.String(63), primary_key=True),
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("since", sa.Float, nullable=False),
)
nodes = sa.Table(
    "nodes", meta,
    sa.Column("url", sa.String(200), primary_key=True),
    sa.Column("last_seen", sa.Float, nullable=False),
)


def database_url(setting: str) -> str:
    """A plain path means SQLite; postgresql:// URLs get the asyncpg driver."""
    if setting.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + setting.split("://", 1)[1]
    if "://" in setting:
        return setting
    return f"sqlite+aiosqlite:///{Path(setting).resolve()}"


def open_engine(setting: str) -> AsyncEngine:
    url = database_url(setting)
    if url.startswith("sqlite"):
        engine = create_async_engine(url)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Several processes share the file: readers must not block the writer.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


async def create_tables(engine: AsyncEngine) -> None:
    """Processes starting together race to create the tables; PostgreSQL then refuses the
    loser's CREATE (a duplicate type), and a second look finds them made."""
    for attempt in range(3):
        try:
            async with engine.begin() as conn:
                await conn.run_sync(meta.create_all)
            return
        except DBAPIError:
            if attempt == 2:
                raise
            await asyncio.sleep(0.2 + attempt)


@dataclass(frozen=True)
class BoothRow:
    booth_id: str
    enrolled: bool
    enrolled_at: float | None
    last_seen: float | None
    version: str
    health: list[dict[str, str]]
    usage_day: str
    sessions: int
    calls: int
    config_serial: int
    config_problem: str

    @classmethod
    def from_row(cls, row: Any) -> "BoothRow":
        return cls(row.booth_id, row.public_key is not None, row.enrolled_at, row.last_seen, row.version, json.loads(row.health),
                   row.usage_day, row.sessions, row.calls, row.config_serial, row.config_problem)
