"""`virtu-kiosk` (= `python -m kiosk`): run the kiosk, or an admin command."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from kiosk.config import LANGUAGES, ConfigError
from kiosk.context import EXIT_RESTART

EXIT_CONFIG = 2
SCREEN_NAMES = ["attract", "home", "help", "unavailable", "ending", "feedback", "maintenance", "closed", "cleaning", "idle", "barcode", "card_pin", "call_check", "call", "internet", "folder", "scan", "print", "copy"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="virtu-kiosk", description="The Virtu service-point kiosk.")
    p.add_argument("--demo", action="store_true", help="run on built-in defaults with demo secrets (no config file needed)")
    p.add_argument("--config", type=Path, help="the booth's TOML configuration (default: the platform's path)")
    p.add_argument("--windowed", action="store_true", help="a normal window instead of the locked full screen (development)")
    p.add_argument("--screenshot", type=Path, metavar="FILE", help="render one screen offscreen to a PNG and exit")
    p.add_argument("--lang", choices=LANGUAGES, help="language for --screenshot or the first screen")
    p.add_argument("--screen", choices=SCREEN_NAMES, default="home", help="screen for --screenshot")
    sub = p.add_subparsers(dest="command")
    pin = sub.add_parser("set-pin", help="set the maintenance PIN (kept as a salted hash in the OS key store)")
    pin.add_argument("--demo", action="store_true", dest="pin_demo", help="set the demo mode's PIN instead")
    enrol = sub.add_parser("enrol", help="join this booth to the fleet service with a one-time code from the admins")
    enrol.add_argument("code")
    stats = sub.add_parser("stats", help="anonymous usage statistics (daily totals)")
    stats.add_argument("--csv", nargs="?", const="-", metavar="FILE", required=True, help="write CSV to FILE or standard output")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "set-pin":
        from kiosk.admin.commands import set_pin

        return set_pin(demo=args.pin_demo or args.demo)
    if args.command == "enrol":
        from kiosk.admin.commands import enrol

        return enrol(args.config, args.code)
    if args.command == "stats":
        from kiosk.admin.commands import stats_csv

        return stats_csv(None if args.csv == "-" else args.csv)
    while True:
        code = run(args)
        if code != EXIT_RESTART:
            return code
        logging.getLogger(__name__).info("restarting")
        again = argv if argv is not None else sys.argv[1:]
        # The frozen program is its own interpreter: it takes no "-m kiosk".
        os.execv(sys.executable, [sys.executable, *again] if getattr(sys, "frozen", False) else [sys.executable, "-m", "kiosk", *again])


def run(args: argparse.Namespace) -> int:
    from kiosk.app import Options, build_context, load_config, no_display, prepare_process
    from kiosk.admin.keystore import KeyStoreError
    from kiosk.admin.log_buffer import setup_logging
    from session.clock import ManualClock, SystemClock
    from session.paths import Paths

    opts = Options(demo=args.demo, config=args.config, windowed=args.windowed, screenshot=args.screenshot, lang=args.lang, screen=args.screen)
    try:
        cfg, cfg_path = load_config(opts)
    except ConfigError as e:
        print(f"virtu-kiosk: configuration error: {e}", file=sys.stderr)
        return EXIT_CONFIG
    if opts.screenshot is not None:
        from kiosk.qt_main import offscreen_for_screenshot

        offscreen_for_screenshot()
    elif no_display():
        print(
            "virtu-kiosk: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "  Run it on a desktop, or start it under a virtual screen with: bash scripts/demo.sh\n"
            "  or take a picture of one screen: virtu-kiosk --demo --screenshot home.png",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    paths = Paths.from_env()
    logs = setup_logging(paths, logging.INFO)
    prepare_process(paths)
    # A screenshot moves time by hand (the idle warning); a booth runs on the system clock.
    clock = ManualClock(start_wall=time.time()) if opts.screenshot is not None else SystemClock()
    try:
        ctx = build_context(cfg, cfg_path, paths, clock, opts.demo, logs)
    except KeyStoreError as e:
        print(f"virtu-kiosk: the key store for secrets cannot be used: {e}", file=sys.stderr)
        return EXIT_CONFIG
    from kiosk.qt_main import run_qt

    return run_qt(opts, ctx)
