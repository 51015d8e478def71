"""`virtu-kiosk set-pin`, `enrol` and `stats --csv`: exit codes 0 done, 1 failed, 2 bad input."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from keyring.errors import KeyringError

from kiosk.admin.keystore import KeyStoreError, choose_backend, service_name
from kiosk.admin.pin_store import MAX_DIGITS, MIN_DIGITS, PinStore, validate_pin
from session.clock import SystemClock
from session.paths import Paths
from session.stats import UsageStats

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str, code: int) -> int:
    print(f"virtu-kiosk: {message}", file=sys.stderr)
    return code


def _read_pin(prompt: str) -> str:
    """getpass on a terminal; a plain line from a pipe, so scripts and tests can set the PIN."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _ask_twice() -> str | None:
    """The PIN typed twice, or None when the two differ."""
    first = _read_pin(f"New maintenance PIN ({MIN_DIGITS}-{MAX_DIGITS} digits): ")
    validate_pin(first)
    return first if _read_pin("The same PIN again: ") == first else None


def set_pin(demo: bool, stdin_pin: str | None = None) -> int:
    """stdin_pin: a PIN the caller has already read (no prompt, no second asking)."""
    try:
        pin = _ask_twice() if stdin_pin is None else stdin_pin.strip()
        if pin is None:
            return _fail("the two PINs differ; nothing was changed.", EXIT_BAD_INPUT)
        validate_pin(pin)
    except EOFError:
        return _fail("no PIN was given; nothing was changed.", EXIT_BAD_INPUT)
    except ValueError as e:
        return _fail(f"{e} Nothing was changed.", EXIT_BAD_INPUT)
    try:
        PinStore(choose_backend(Paths.from_env()), service_name(demo)).set_pin(pin)
    except (KeyringError, KeyStoreError, OSError) as e:
        return _fail(f"the PIN could not be stored in the key store: {e}", EXIT_FAILED)
    print("The maintenance PIN is set." + (" (demo mode)" if demo else ""))
    return EXIT_OK


def stats_csv(out_path: str | None) -> int:
    """out_path None: standard output, so the figures can be piped on."""
    stats = UsageStats(Paths.from_env().stats_db, SystemClock())
    if out_path is None:
        stats.write_csv(sys.stdout)
        return EXIT_OK
    try:
        with open(out_path, "w", newline="", encoding="utf-8") as f:
            stats.write_csv(f)
    except OSError as e:
        return _fail(f"could not write {out_path}: {e.strerror}", EXIT_FAILED)
    print(f"Statistics written to {out_path}")
    return EXIT_OK


def enrol(config: Path | None, code: str) -> int:
    """The booth makes its own key (kept in the key store) and registers its public half."""
    from fleet.booth import FleetError
    from fleet.booth import enrol as enrol_booth
    from kiosk.config import ConfigError, load
    from kiosk.fleet_setup import key_slot
    from session.paths import default_config_path

    path = config or default_config_path()
    try:
        cfg = load(path)
    except ConfigError as e:
        return _fail(f"configuration error: {e}", EXIT_BAD_INPUT)
    if not cfg.fleet.server_url:
        return _fail(f"{path} has no [fleet] server_url: there is nothing to enrol with.", EXIT_BAD_INPUT)
    paths = Paths.from_env()
    paths.ensure()
    try:
        backend = choose_backend(paths)
    except KeyStoreError as e:
        return _fail(f"the key store cannot be used: {e}", EXIT_FAILED)
    try:
        enrol_booth(cfg.fleet.server_url, cfg.booth.id, code, key_slot(backend, service_name(False)))
    except (FleetError, KeyringError) as e:
        return _fail(f"not enrolled: {e}", EXIT_FAILED)
    print(f"Booth {cfg.booth.id} is enrolled with {cfg.fleet.server_url}: it reports every minute from its next start.")
    return EXIT_OK
