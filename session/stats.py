"""Anonymous usage statistics as daily totals in SQLite.

No row describes one session: in a one-booth village a single visit with its time could
identify a person. The median length comes from a per-day histogram of whole minutes.
Statistics are not worth a crash: a damaged database is moved aside and started anew.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
import math
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from session.clock import Clock

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS daily (day TEXT PRIMARY KEY, sessions INTEGER NOT NULL, total_s REAL NOT NULL);
CREATE TABLE IF NOT EXISTS daily_length (day TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (day, minute));
CREATE TABLE IF NOT EXISTS daily_service (day TEXT NOT NULL, service TEXT NOT NULL, uses INTEGER NOT NULL,
    PRIMARY KEY (day, service));
CREATE TABLE IF NOT EXISTS daily_feedback (day TEXT NOT NULL, score INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (day, score));
"""
# SQLite's own files beside the database; a stale journal must not be replayed into a new one.
COMPANIONS = ("", "-journal", "-wal", "-shm")
FEEDBACK_SCORES = range(1, 6)


@dataclass(frozen=True)
class DailyTotals:
    day: str
    sessions: int = 0
    total_s: float = 0.0
    median_s: float = 0.0
    services: dict[str, int] = field(default_factory=dict)


def _bucket_at(counts: list[tuple[int, int]], rank: int) -> float:
    """The rank-th shortest session (1-based), at the middle of its one-minute bucket."""
    seen = 0
    for minute, count in counts:
        seen += count
        if seen >= rank:
            return minute * 60 + 30.0
    raise ValueError(f"rank {rank} is beyond {seen} sessions")


def _median_from_histogram(counts: dict[int, int]) -> float:
    n = sum(counts.values())
    if n == 0:
        return 0.0
    ordered = sorted(counts.items())
    return (_bucket_at(ordered, (n + 1) // 2) + _bucket_at(ordered, n // 2 + 1)) / 2


def _connect(target: Path | str) -> sqlite3.Connection:
    """quick_check also catches damage past the header, which opening alone would not notice."""
    db = sqlite3.connect(target, check_same_thread=False)
    try:
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        db.executescript(SCHEMA)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


class UsageStats:
    """One writer (the session's end) and readers from the UI; one lock serialises them."""

    def __init__(self, db_path: Path, clock: Clock) -> None:
        self.path = db_path
        self.clock = clock
        self._guard = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return _connect(self.path)
        except (OSError, sqlite3.OperationalError):
            # Locked, unreadable or a full disk: the file may be fine, so it is left alone.
            log.exception("usage statistics database cannot be opened; counting in memory until restart")
            return _connect(":memory:")
        except sqlite3.DatabaseError:
            log.warning("usage statistics database damaged: moved aside, starting anew")
        try:
            self._move_aside()
            return _connect(self.path)
        except (OSError, sqlite3.DatabaseError):
            log.exception("usage statistics database cannot be replaced; counting in memory until restart")
            return _connect(":memory:")

    def _move_aside(self) -> None:
        stamp = int(self.clock.time())
        for suffix in COMPANIONS:
            src = self.path.with_name(self.path.name + suffix)
            if src.exists():
                src.rename(self.path.with_name(f"{self.path.name}.corrupt-{stamp}{suffix}"))

    def _today(self) -> str:
        return dt.date.fromtimestamp(self.clock.time()).isoformat()

    def record_session(self, length_s: float, services: Iterable[str]) -> None:
        """Each service counts once per session, however often it was opened."""
        if not (math.isfinite(length_s) and length_s >= 0):
            raise ValueError(f"session length {length_s!r} is not a duration")
        day = self._today()
        with self._guard, self._db:
            self._db.execute(
                "INSERT INTO daily VALUES (?, 1, ?) ON CONFLICT(day) DO UPDATE SET sessions = sessions + 1, total_s = total_s + excluded.total_s",
                (day, float(length_s)),
            )
            self._db.execute(
                "INSERT INTO daily_length VALUES (?, ?, 1) ON CONFLICT(day, minute) DO UPDATE SET count = count + 1",
                (day, int(length_s // 60)),
            )
            for service in sorted(set(services)):
                self._db.execute(
                    "INSERT INTO daily_service VALUES (?, ?, 1) ON CONFLICT(day, service) DO UPDATE SET uses = uses + 1",
                    (day, service),
                )

    def record_feedback(self, score: int) -> None:
        if score not in FEEDBACK_SCORES:
            raise ValueError(f"feedback score {score} is not 1..5")
        with self._guard, self._db:
            self._db.execute(
                "INSERT INTO daily_feedback VALUES (?, ?, 1) ON CONFLICT(day, score) DO UPDATE SET count = count + 1",
                (self._today(), score),
            )

    def feedback_today(self) -> dict[int, int]:
        with self._guard:
            rows = self._db.execute("SELECT score, count FROM daily_feedback WHERE day = ?", (self._today(),)).fetchall()
        return dict(rows)

    def _totals(self, day: str) -> DailyTotals:
        row = self._db.execute("SELECT sessions, total_s FROM daily WHERE day = ?", (day,)).fetchone()
        if row is None:
            return DailyTotals(day)
        hist = dict(self._db.execute("SELECT minute, count FROM daily_length WHERE day = ?", (day,)).fetchall())
        services = dict(self._db.execute("SELECT service, uses FROM daily_service WHERE day = ?", (day,)).fetchall())
        return DailyTotals(day, row[0], row[1], _median_from_histogram(hist), services)

    def _days(self) -> list[DailyTotals]:
        """Feedback given just after midnight can be the only figure of its day."""
        return [self._totals(d) for (d,) in self._db.execute("SELECT day FROM daily UNION SELECT day FROM daily_feedback ORDER BY day DESC").fetchall()]

    def today(self) -> DailyTotals:
        with self._guard:
            return self._totals(self._today())

    def days(self) -> list[DailyTotals]:
        """Newest first, as the maintenance view and the CSV list them."""
        with self._guard:
            return self._days()

    def write_csv(self, out: TextIO) -> None:
        """Service columns are prefixed so that a service called "date" cannot clash with a fixed column."""
        with self._guard:
            days = self._days()
            feedback = {(d, s): c for d, s, c in self._db.execute("SELECT day, score, count FROM daily_feedback")}
        services = sorted({s for d in days for s in d.services})
        w = csv.writer(out)
        w.writerow(
            ["date", "sessions", "total_minutes", "median_minutes"]
            + [f"service_{s}" for s in services]
            + [f"feedback_{i}" for i in FEEDBACK_SCORES]
        )
        for d in days:
            w.writerow(
                [d.day, d.sessions, round(d.total_s / 60, 1), round(d.median_s / 60, 1)]
                + [d.services.get(s, 0) for s in services]
                + [feedback.get((d.day, i), 0) for i in FEEDBACK_SCORES]
            )
