"""`virtu-kiosk set-pin` and `virtu-kiosk stats --csv`."""
from __future__ import annotations

import getpass
import sys

from kiosk.admin.keystore import choose_backend, service_name
from kiosk.admin.pin_store import PinStore, validate_pin
from session.clock import SystemClock
from session.paths import Paths
from session.stats import UsageStats


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def set_pin(demo: bool) -> int:
    paths = Paths.from_env()
    paths.ensure()
    first = _read_pin("New maintenance PIN (4-12 digits): ")
    try:
        validate_pin(first)
    except ValueError as e:
        print(f"virtu-kiosk: {e}", file=sys.stderr)
        return 2
    if _read_pin("The same PIN again: ") != first:
        print("virtu-kiosk: the two PINs differ; nothing was changed.", file=sys.stderr)
        return 2
    PinStore(choose_backend(paths), service_name(demo)).set_pin(first)
    print("The maintenance PIN is set." + (" (demo mode)" if demo else ""))
    return 0


def stats_csv(out_path: str | None) -> int:
    paths = Paths.from_env()
    paths.ensure()
    stats = UsageStats(paths.stats_db, SystemClock())
    if out_path is None:
        stats.write_csv(sys.stdout)
    else:
        with open(out_path, "w", newline="", encoding="utf-8") as f:
            stats.write_csv(f)
        print(f"Statistics written to {out_path}")
    return 0
