"""Usage statistics are daily totals only, and survive a damaged database."""
from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest

from session.clock import ManualClock
from session.stats import UsageStats

MIN = 60
DAY1 = dt.date.fromtimestamp(ManualClock().time()).isoformat()
DAY2 = dt.date.fromtimestamp(ManualClock().time() + 24 * 3600).isoformat()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "usage.sqlite3"


@pytest.fixture
def stats(db_path: Path) -> UsageStats:
    return UsageStats(db_path, ManualClock())


def row_counts(db_path: Path) -> dict[str, int]:
    db = sqlite3.connect(db_path)
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


def test_totals_median_and_services(stats: UsageStats) -> None:
    stats.record_session(2 * MIN, ["help"])
    stats.record_session(5 * MIN, ["scan", "print", "scan"])
    stats.record_session(30 * MIN, ["scan"])
    t = stats.today()
    assert t.sessions == 3
    assert t.total_s == 37 * MIN
    assert 5 * MIN <= t.median_s < 6 * MIN  # one-minute buckets
    assert t.services == {"help": 1, "scan": 2, "print": 1}  # once per session
    assert t.day == DAY1  # the local date only; no finer time is kept


def test_median_of_an_even_count_lies_between_the_middle_two(stats: UsageStats) -> None:
    stats.record_session(2 * MIN, [])
    stats.record_session(30 * MIN, [])
    assert 16 * MIN <= stats.today().median_s < 17 * MIN


def test_no_row_describes_one_session(stats: UsageStats, db_path: Path) -> None:
    stats.record_session(125, ["scan"])
    after_one = row_counts(db_path)
    for _ in range(20):
        stats.record_session(125, ["scan"])
    assert row_counts(db_path) == after_one == {"daily": 1, "daily_length": 1, "daily_service": 1, "daily_feedback": 0}
    db = sqlite3.connect(db_path)
    columns = {r[1] for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") for r in db.execute(f"PRAGMA table_info({t})")}
    db.close()
    assert columns == {"day", "sessions", "total_s", "minute", "count", "service", "uses", "score"}  # no timestamps


def test_csv_has_the_header_and_a_row_per_day_newest_first(stats: UsageStats) -> None:
    stats.record_session(2 * MIN, ["help"])
    stats.record_session(5 * MIN, ["scan", "print"])
    stats.record_session(30 * MIN, ["scan"])
    stats.clock.advance(24 * 3600)
    stats.record_session(2 * MIN, ["call"])
    stats.record_feedback(5)
    out = io.StringIO()
    stats.write_csv(out)
    rows = out.getvalue().splitlines()
    assert rows[0] == (
        "date,sessions,total_minutes,median_minutes,service_call,service_help,service_print,service_scan,"
        "feedback_1,feedback_2,feedback_3,feedback_4,feedback_5"
    )
    assert rows[1] == f"{DAY2},1,2.0,2.5,1,0,0,0,0,0,0,0,1"
    assert rows[2] == f"{DAY1},3,37.0,5.5,0,1,1,2,0,0,0,0,0"
    assert len(rows) == 3
    assert [d.day for d in stats.days()] == [DAY2, DAY1]


def test_feedback_scores_are_counted_and_checked(stats: UsageStats) -> None:
    stats.record_feedback(4)
    stats.record_feedback(4)
    stats.record_feedback(1)
    assert stats.feedback_today() == {4: 2, 1: 1}
    with pytest.raises(ValueError):
        stats.record_feedback(6)


@pytest.mark.parametrize("length", [-1.0, float("nan"), float("inf")])
def test_a_length_that_is_no_duration_is_refused(stats: UsageStats, length: float) -> None:
    with pytest.raises(ValueError):
        stats.record_session(length, [])
    assert stats.today().sessions == 0


def test_figures_survive_reopening(stats: UsageStats, db_path: Path) -> None:
    stats.record_session(5 * MIN, ["scan"])
    again = UsageStats(db_path, stats.clock)
    assert again.today().sessions == 1 and again.today().services == {"scan": 1}


def test_a_damaged_database_is_moved_aside(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db_path.write_bytes(b"this is not sqlite" * 100)
    stats = UsageStats(db_path, ManualClock())
    stats.record_session(60, [])
    assert stats.today().sessions == 1
    aside = sorted(p.name for p in db_path.parent.glob("usage.sqlite3.corrupt-*"))
    assert aside == ["usage.sqlite3.corrupt-1800000000"]
    assert "damaged" in caplog.text


def test_damage_past_the_header_is_noticed(stats: UsageStats, db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for day in range(300):  # enough pages that the damage lands in table data, not the header
        stats.clock.advance(24 * 3600)
        stats.record_session(day, [f"service-{day}"])
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xff" * (4096 * 4)
    db_path.write_bytes(bytes(data))
    fresh = UsageStats(db_path, stats.clock)
    assert fresh.days() == []
    assert "damaged" in caplog.text
