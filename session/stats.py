"""Anonymous usage statistics as daily totals in SQLite.

No row describes one session: in a one-booth village a single visit with its time could
identify a person. The median length comes from a per-day histogram of whole minutes.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
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


@dataclass(frozen=True)
class DailyTotals:
    day: str
    sessions: int = 0
    total_s: float = 0.0
    median_s: float = 0.0
    services: dict[str, int] = field(default_factory=dict)


def _median_from_histogram(counts: dict[int, int]) -> float:
    """Median session length in seconds, at the middle of its one-minute bucket."""
    n = sum(counts.values())
    if n == 0:
        return 0.0
    middle = (n + 1) / 2
    seen = 0
    for minute in sorted(counts):
        seen += counts[minute]
        if seen >= middle:
            return minute * 60 + 30.0
    raise AssertionError("unreachable")


class UsageStats:
    def __init__(self, db_path: Path, clock: Clock) -> None:
        self.path = db_path
        self.clock = clock
        self._guard = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, check_same_thread=False)
            db.executescript(SCHEMA)
            db.execute("SELECT count(*) FROM daily").fetchone()
            return db
        except sqlite3.DatabaseError:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self.clock.time())}")
            log.warning("usage statistics database damaged: moved aside, starting anew")
            self.path.rename(aside)
            db = sqlite3.connect(self.path, check_same_thread=False)
            db.executescript(SCHEMA)
            return db

    def _today(self) -> str:
        return dt.date.fromtimestamp(self.clock.time()).isoformat()

    def record_session(self, length_s: float, services: Iterable[str]) -> None:
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
        if not 1 <= score <= 5:
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

    def today(self) -> DailyTotals:
        with self._guard:
            return self._totals(self._today())

    def days(self) -> list[DailyTotals]:
        with self._guard:
            days = [r[0] for r in self._db.execute("SELECT day FROM daily ORDER BY day DESC")]
            return [self._totals(d) for d in days]

    def write_csv(self, out: TextIO) -> None:
        days = self.days()
        with self._guard:
            feedback = {
                (d, s): c for d, s, c in self._db.execute("SELECT day, score, count FROM daily_feedback")
            }
        services = sorted({s for d in days for s in d.services})
        w = csv.writer(out)
        w.writerow(
            ["date", "sessions", "total_minutes", "median_minutes"]
            + [f"service_{s}" for s in services]
            + [f"feedback_{i}" for i in range(1, 6)]
        )
        for d in days:
            w.writerow(
                [d.day, d.sessions, round(d.total_s / 60, 1), round(d.median_s / 60, 1)]
                + [d.services.get(s, 0) for s in services]
                + [feedback.get((d.day, i), 0) for i in range(1, 6)]
            )
