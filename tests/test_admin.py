"""Maintenance PIN, lock-out, key store and CLI commands, without Qt."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.admin.auth import MaintenanceAuth, PinOutcome
from kiosk.admin.keystore import choose_backend, service_name
from kiosk.admin.lockout import Lockout
from kiosk.admin.log_buffer import RingBufferHandler
from kiosk.admin.pin_store import USER, PinStore
from session.clock import ManualClock
from session.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def paths() -> Paths:
    p = Paths.from_env()
    p.ensure()
    return p


@pytest.fixture
def auth(paths: Paths) -> tuple[MaintenanceAuth, ManualClock]:
    clock = ManualClock()
    pins = PinStore(choose_backend(paths), service_name(False))
    pins.set_pin("246810")
    return MaintenanceAuth(pins, Lockout(paths.lockout_file, clock)), clock


def test_right_pin_opens_and_wrong_pins_count_down_to_a_growing_lock_out(auth) -> None:  # type: ignore[no-untyped-def]
    a, clock = auth
    assert a.try_pin("246810").outcome is PinOutcome.OK
    assert [a.try_pin("000000").tries_left for _ in range(4)] == [4, 3, 2, 1]
    r = a.try_pin("000000")
    assert r.outcome is PinOutcome.LOCKED and r.seconds_left == 60
    assert a.try_pin("246810").outcome is PinOutcome.LOCKED  # not even checked while locked
    clock.advance(60)
    r = a.try_pin("111111")
    assert r.outcome is PinOutcome.LOCKED and r.seconds_left == 120  # the next wrong one doubles it
    clock.advance(120)
    r = a.try_pin("111111")
    assert r.seconds_left == 240
    clock.advance(240)
    assert a.try_pin("246810").outcome is PinOutcome.OK
    assert a.try_pin("000000").tries_left == 4  # a right PIN starts the count afresh


def test_lock_out_survives_a_restart(auth, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    a, clock = auth
    for _ in range(5):
        a.try_pin("000000")
    restarted = Lockout(paths.lockout_file, clock)
    assert restarted.seconds_left() == 60


def test_a_damaged_lock_out_file_locks(paths: Paths, caplog: pytest.LogCaptureFixture) -> None:
    paths.lockout_file.write_text("{not json")
    assert Lockout(paths.lockout_file, ManualClock()).seconds_left() == 60
    assert "damaged" in caplog.text


def test_the_key_store_holds_a_salted_hash_not_the_pin(paths: Paths) -> None:
    backend = choose_backend(paths)
    pins = PinStore(backend, service_name(False))
    pins.set_pin("8642")
    stored = backend.get_password("virtu-kiosk", USER)
    assert stored.startswith("scrypt$") and "8642" not in stored
    pins.set_pin("8642")
    assert backend.get_password("virtu-kiosk", USER) != stored  # a fresh salt every time
    assert pins.verify("8642") and not pins.verify("8643")


def test_a_malformed_stored_hash_never_opens(paths: Paths, caplog: pytest.LogCaptureFixture) -> None:
    backend = choose_backend(paths)
    backend.set_password("virtu-kiosk", USER, "scrypt$x$y")
    assert not PinStore(backend, "virtu-kiosk").verify("1234")
    assert "malformed" in caplog.text and "scrypt$x$y" not in caplog.text


@pytest.mark.parametrize("bad", ["12a4", "123", "1234567890123", "١٢٣٤"])
def test_pins_are_4_to_12_ascii_digits(paths: Paths, bad: str) -> None:
    with pytest.raises(ValueError):
        PinStore(choose_backend(paths), "virtu-kiosk").set_pin(bad)


def test_without_a_pin_maintenance_says_so(paths: Paths) -> None:
    a = MaintenanceAuth(PinStore(choose_backend(paths), "virtu-kiosk"), Lockout(paths.lockout_file, ManualClock()))
    assert a.try_pin("1234").outcome is PinOutcome.NO_PIN_SET


def test_file_key_store_is_readable_only_by_the_kiosk_user(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    backend = choose_backend(paths)
    PinStore(backend, "virtu-kiosk").set_pin("1357")
    path = Path(backend.file_path)
    assert path.parent == paths.data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_and_booth_secrets_are_apart(paths: Paths) -> None:
    backend = choose_backend(paths)
    PinStore(backend, service_name(True)).set_pin("1234")
    assert not PinStore(backend, service_name(False)).has_pin()


def test_ring_buffer_keeps_the_last_200_lines() -> None:
    import logging

    ring = RingBufferHandler()
    log = logging.getLogger("ring-test")
    log.addHandler(ring)
    log.propagate = False
    for i in range(250):
        log.warning("event %d", i)
    lines = ring.lines()
    assert len(lines) == 200
    assert lines[0].endswith("event 50") and lines[-1].endswith("event 249")


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)


def test_set_pin_command_then_the_pin_works(paths: Paths) -> None:
    done = cli("set-pin", stdin="97531\n97531\n")
    assert done.returncode == 0, done.stderr
    assert "97531" not in done.stdout + done.stderr
    assert PinStore(choose_backend(paths), "virtu-kiosk").verify("97531")


def test_set_pin_refuses_letters_and_mismatches(paths: Paths) -> None:
    bad = cli("set-pin", stdin="12ab\n12ab\n")
    assert bad.returncode == 2 and "digits only" in bad.stderr
    differ = cli("set-pin", stdin="1234\n4321\n")
    assert differ.returncode == 2 and "differ" in differ.stderr
    assert not PinStore(choose_backend(paths), "virtu-kiosk").has_pin()


def test_stats_csv_command(paths: Paths) -> None:
    from session.clock import SystemClock
    from session.stats import UsageStats

    UsageStats(paths.stats_db, SystemClock()).record_session(300, ["scan"])
    done = cli("stats", "--csv")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.strip().splitlines()
    assert header.startswith("date,sessions,total_minutes,median_minutes,service_scan")
    assert row.split(",")[1:5] == ["1", "5.0", "5.5", "1"]


def test_a_config_error_stops_start_up_with_a_plain_message(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[booth]\nid = "Ranua 1"\nname = "x"\n')
    done = cli("--config", str(bad))
    assert done.returncode == 2
    assert "configuration error" in done.stderr and "booth.id" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_display_is_explained_not_a_qt_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "kiosk", "--demo"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "no display found" in done.stderr and "scripts/demo.sh" in done.stderr
    assert "Traceback" not in done.stderr and "platform plugin" not in done.stderr
