"""Usage statistics are daily totals only, and survive a damaged database."""
from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from session.clock import ManualClock
from session.stats import UsageStats


@pytest.fixture
def stats(tmp_path: Path) -> UsageStats:
    return UsageStats(tmp_path / "usage.sqlite3", ManualClock())


def test_totals_median_and_services(stats: UsageStats) -> None:
    stats.record_session(2 * 60 + 10, ["help"])
    stats.record_session(5 * 60 + 20, ["scan", "print"])
    stats.record_session(30 * 60, ["scan"])
    t = stats.today()
    assert t.sessions == 3
    assert t.total_s == 2250
    assert 5 * 60 <= t.median_s < 6 * 60
    assert t.services == {"help": 1, "scan": 2, "print": 1}


def test_no_row_describes_one_session(stats: UsageStats, tmp_path: Path) -> None:
    for _ in range(20):
        stats.record_session(125, ["scan"])
    db = sqlite3.connect(tmp_path / "usage.sqlite3")
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert counts == {"daily": 1, "daily_length": 1, "daily_service": 1, "daily_feedback": 0}
    columns = " ".join(r[1] for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'") for r in db.execute(f"PRAGMA table_info({t})"))
    assert "time" not in columns.replace("total", "")  # no timestamps finer than the day


def test_days_are_kept_apart_and_csv_lists_newest_first(stats: UsageStats) -> None:
    stats.record_session(60, ["call"])
    stats.clock.advance(24 * 3600)
    stats.record_session(120, ["folder"])
    stats.record_feedback(5)
    out = io.StringIO()
    stats.write_csv(out)
    rows = out.getvalue().strip().splitlines()
    assert rows[0] == "date,sessions,total_minutes,median_minutes,service_call,service_folder,feedback_1,feedback_2,feedback_3,feedback_4,feedback_5"
    assert rows[1].endswith(",1,2.0,2.5,0,1,0,0,0,0,1")
    assert rows[2].endswith(",1,1.0,1.5,1,0,0,0,0,0,0")


def test_feedback_scores_are_counted_and_checked(stats: UsageStats) -> None:
    stats.record_feedback(4)
    stats.record_feedback(4)
    stats.record_feedback(1)
    assert stats.feedback_today() == {4: 2, 1: 1}
    with pytest.raises(ValueError):
        stats.record_feedback(6)


def test_a_damaged_database_is_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "usage.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    stats = UsageStats(db, ManualClock())
    stats.record_session(60, [])
    assert stats.today().sessions == 1
    assert list(tmp_path.glob("usage.sqlite3.corrupt-*"))
    assert "damaged" in caplog.text
