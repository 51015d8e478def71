"""Maintenance PIN, lock-out, key store, log ring and CLI commands, without Qt."""
from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null
from keyrings.alt.file import PlaintextKeyring

from kiosk.admin import commands
from kiosk.admin.auth import MaintenanceAuth, PinOutcome
from kiosk.admin.keystore import choose_backend, service_name
from kiosk.admin.lockout import MAX_LOCK_S, Lockout
from kiosk.admin.log_buffer import RingBufferHandler
from kiosk.admin.pin_store import USER, PinStore
from session.clock import ManualClock
from session.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
PIN = "246810"


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """keyrings.alt puts its file under $XDG_DATA_HOME/python_keyring: keep it in tmp_path."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("VIRTU_DATA_DIR", str(tmp_path / "data"))
    p = Paths.from_env()
    p.ensure()
    return p


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def auth(paths: Paths, clock: ManualClock) -> MaintenanceAuth:
    pins = PinStore(choose_backend(paths), service_name(False))
    pins.set_pin(PIN)
    return MaintenanceAuth(pins, Lockout(paths.lockout_file, clock))


def lock_out(a: MaintenanceAuth) -> None:
    for _ in range(5):
        a.try_pin("000000")


# --- PIN and lock-out ----------------------------------------------------------------------


def test_right_pin_opens(auth: MaintenanceAuth) -> None:
    assert auth.try_pin(PIN).outcome is PinOutcome.OK


def test_wrong_pins_count_down_then_lock_for_a_minute(auth: MaintenanceAuth) -> None:
    results = [auth.try_pin("000000") for _ in range(4)]
    assert [r.outcome for r in results] == [PinOutcome.WRONG] * 4
    assert [r.tries_left for r in results] == [4, 3, 2, 1]
    r = auth.try_pin("000000")
    assert r.outcome is PinOutcome.LOCKED and r.seconds_left == 60


def test_while_locked_even_the_right_pin_is_not_checked(auth: MaintenanceAuth, clock: ManualClock) -> None:
    lock_out(auth)
    clock.advance(59)
    r = auth.try_pin(PIN)
    assert r.outcome is PinOutcome.LOCKED and r.seconds_left == 1


def test_each_wrong_pin_after_a_lock_out_doubles_it(auth: MaintenanceAuth, clock: ManualClock) -> None:
    lock_out(auth)
    clock.advance(60)
    r = auth.try_pin("111111")
    assert r.outcome is PinOutcome.LOCKED and r.seconds_left == 120
    clock.advance(120)
    assert auth.try_pin("111111").seconds_left == 240
    clock.advance(240)
    assert auth.try_pin(PIN).outcome is PinOutcome.OK
    assert auth.try_pin("000000").tries_left == 4  # a right PIN starts the count afresh


def test_the_lock_out_stops_growing_at_a_day(paths: Paths, clock: ManualClock) -> None:
    lockout = Lockout(paths.lockout_file, clock)
    for _ in range(30):
        clock.advance(lockout.seconds_left())
        lockout.record_failure()
    assert lockout.seconds_left() == MAX_LOCK_S


def test_lock_out_survives_a_restart(auth: MaintenanceAuth, paths: Paths, clock: ManualClock) -> None:
    lock_out(auth)
    clock.advance(10)
    restarted = Lockout(paths.lockout_file, clock)
    assert restarted.seconds_left() == 50
    clock.advance(50)
    assert restarted.record_failure() == (True, 0)  # and it remembers the next one doubles
    assert restarted.seconds_left() == 120


def test_a_wall_clock_set_back_does_not_lengthen_the_lock_out(auth: MaintenanceAuth, paths: Paths) -> None:
    lock_out(auth)
    earlier = ManualClock(start_wall=ManualClock().time() - 30 * 24 * 3600)
    assert Lockout(paths.lockout_file, earlier).seconds_left() == 60


@pytest.mark.parametrize("content", ["{not json", "[]", '{"failures": 1}', '{"failures": 0, "locked_until": NaN, "last_lock_s": 0}'])
def test_a_damaged_lock_out_file_locks(paths: Paths, clock: ManualClock, caplog: pytest.LogCaptureFixture, content: str) -> None:
    paths.lockout_file.write_text(content)
    assert Lockout(paths.lockout_file, clock).seconds_left() == 60
    assert "damaged" in caplog.text
    json.loads(paths.lockout_file.read_text())  # rewritten whole, so the next start reads it


def test_without_a_pin_maintenance_says_so(paths: Paths, clock: ManualClock) -> None:
    a = MaintenanceAuth(PinStore(choose_backend(paths), "virtu-kiosk"), Lockout(paths.lockout_file, clock))
    assert a.try_pin("1234").outcome is PinOutcome.NO_PIN_SET


def test_the_pin_is_never_logged(auth: MaintenanceAuth, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    auth.try_pin(PIN)
    lock_out(auth)
    assert PIN not in caplog.text and "000000" not in caplog.text


# --- PIN store and key store ----------------------------------------------------------------


def test_the_key_store_holds_a_salted_scrypt_hash_not_the_pin(paths: Paths) -> None:
    pin = "739146285037"  # 12 digits: a chance match inside base64 is ~1e-10, not a flaky test
    backend = choose_backend(paths)
    pins = PinStore(backend, service_name(False))
    pins.set_pin(pin)
    stored = backend.get_password("virtu-kiosk", USER)
    assert stored is not None
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert pin not in stored
    pins.set_pin(pin)
    assert backend.get_password("virtu-kiosk", USER).split("$")[4] != salt  # a fresh salt every time
    assert pins.verify(pin) and not pins.verify("739146285036")


def test_a_malformed_stored_hash_never_opens(paths: Paths, caplog: pytest.LogCaptureFixture) -> None:
    backend = choose_backend(paths)
    for bad in ("scrypt$x$y", "scrypt$3$8$1$AAAA$AAAA", "md5$16384$8$1$AAAA$AAAA", "scrypt$-2$8$1$AAAA$AAAA"):
        backend.set_password("virtu-kiosk", USER, bad)
        assert not PinStore(backend, "virtu-kiosk").verify("1234")
        assert bad not in caplog.text
    assert "malformed" in caplog.text


@pytest.mark.parametrize("bad", ["12a4", "123", "1234567890123", "١٢٣٤", "", " 1234"])
def test_pins_are_4_to_12_ascii_digits(paths: Paths, bad: str) -> None:
    with pytest.raises(ValueError, match="PIN must"):
        PinStore(choose_backend(paths), "virtu-kiosk").set_pin(bad)


def test_demo_and_booth_secrets_are_apart(paths: Paths) -> None:
    backend = choose_backend(paths)
    PinStore(backend, service_name(True)).set_pin("1234")
    assert not PinStore(backend, service_name(False)).has_pin()


def test_the_environment_backend_is_honoured_and_its_file_is_private(paths: Paths, tmp_path: Path) -> None:
    backend = choose_backend(paths)
    assert isinstance(backend, PlaintextKeyring)
    PinStore(backend, "virtu-kiosk").set_pin("1357")
    path = Path(backend.file_path)
    assert path.is_relative_to(tmp_path / "xdg-data")  # never the real ~/.local/share
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_readable_secrets_file_is_made_private(paths: Paths) -> None:
    path = Path(PlaintextKeyring().file_path)
    path.parent.mkdir(parents=True)
    path.write_text("")
    path.chmod(0o644)
    choose_backend(paths)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("default", [fail.Keyring, null.Keyring, PlaintextKeyring], ids=["fail", "null", "alt-file-in-home"])
def test_without_an_os_store_secrets_go_to_a_private_file_in_the_data_folder(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, default: type
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr(keyring, "get_keyring", default)
    backend = choose_backend(paths)
    PinStore(backend, "virtu-kiosk").set_pin("1357")
    path = Path(backend.file_path)
    assert path.parent == paths.data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_chainer_with_no_os_store_is_not_an_os_store(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [PlaintextKeyring(), fail.Keyring()])
    monkeypatch.setattr(keyring, "get_keyring", chainer.ChainerBackend)
    assert Path(choose_backend(paths).file_path).parent == paths.data


# --- log ring -------------------------------------------------------------------------------


def test_ring_buffer_keeps_the_last_200_lines() -> None:
    ring = RingBufferHandler()
    log = logging.getLogger("ring-test")
    log.addHandler(ring)
    log.propagate = False
    try:
        for i in range(250):
            log.warning("event %d", i)
    finally:
        log.removeHandler(ring)
    lines = ring.lines()
    assert len(lines) == 200
    assert lines[0].endswith("WARNING ring-test: event 50") and lines[-1].endswith("event 249")


# --- CLI commands ---------------------------------------------------------------------------


def test_set_pin_from_piped_stdin_then_the_pin_works(paths: Paths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("97531\n97531\n"))
    assert commands.set_pin(demo=False) == 0
    out = capsys.readouterr()
    assert "PIN is set" in out.out and "97531" not in out.out + out.err
    assert PinStore(choose_backend(paths), "virtu-kiosk").verify("97531")


def test_set_pin_with_a_pin_given_by_the_caller(paths: Paths) -> None:
    assert commands.set_pin(demo=True, stdin_pin="8080\n") == 0
    assert PinStore(choose_backend(paths), "virtu-kiosk-demo").verify("8080")
    assert not PinStore(choose_backend(paths), "virtu-kiosk").has_pin()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("12ab\n12ab\n", "digits only"), ("1234\n4321\n", "differ"), ("", "no PIN"), ("1234\n", "no PIN")],
)
def test_set_pin_refuses_bad_input_with_exit_code_2(
    paths: Paths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, message: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert commands.set_pin(demo=False) == 2
    assert message in capsys.readouterr().err
    assert not PinStore(choose_backend(paths), "virtu-kiosk").has_pin()


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)


def test_set_pin_command_through_a_pipe(paths: Paths) -> None:
    done = cli("set-pin", stdin="97531\n97531\n")
    assert done.returncode == 0, done.stderr
    assert "97531" not in done.stdout + done.stderr
    assert PinStore(choose_backend(paths), "virtu-kiosk").verify("97531")
    bad = cli("set-pin", stdin="12ab\n12ab\n")
    assert bad.returncode == 2 and "digits only" in bad.stderr


def test_stats_csv_command(paths: Paths, tmp_path: Path) -> None:
    from session.clock import SystemClock
    from session.stats import UsageStats

    UsageStats(paths.stats_db, SystemClock()).record_session(300, ["scan"])
    done = cli("stats", "--csv")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.strip().splitlines()
    assert header.startswith("date,sessions,total_minutes,median_minutes,service_scan")
    assert row.split(",")[1:5] == ["1", "5.0", "5.5", "1"]
    out = tmp_path / "usage.csv"
    assert commands.stats_csv(str(out)) == 0
    assert out.read_text(encoding="utf-8").splitlines()[1].split(",")[1:5] == ["1", "5.0", "5.5", "1"]
    assert commands.stats_csv(str(tmp_path / "missing" / "usage.csv")) == 1


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


def test_an_unreadable_key_store_is_a_plain_outcome_not_a_crash(paths: Paths, caplog: pytest.LogCaptureFixture) -> None:
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringLocked

    class LockedStore(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            raise KeyringLocked("collection is locked")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("collection is locked")

        def delete_password(self, service: str, username: str) -> None:
            raise KeyringLocked("collection is locked")

    a = MaintenanceAuth(PinStore(LockedStore(), "virtu-kiosk"), Lockout(paths.lockout_file, ManualClock()))
    assert a.try_pin("1234").outcome is PinOutcome.STORE_UNAVAILABLE
    assert a.lockout.seconds_left() == 0  # not the contact person's fault: no strike counted
    assert "cannot be read" in caplog.text
