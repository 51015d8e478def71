"""Composition root: builds the core objects, wires each capability's clean-up into the
session, and hands everything to the Qt shell."""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import keyring

from calls.booth_link import api_booth_link
from devices.camera import CameraOwner, CameraSource
from devices.card.watcher import CardWatcher
from devices.setup import ScannerSlot, printer_from_setting
from devices.health import N_, Health, HealthState
from kiosk.admin.auth import MaintenanceAuth
from kiosk.admin.keystore import choose_backend, service_name
from kiosk.admin.lockout import Lockout
from kiosk.admin.log_buffer import RingBufferHandler
from kiosk.admin.pin_store import PinStore
from kiosk.config import KioskConfig, load
from kiosk.context import KioskContext
from kiosk.fleet_setup import fleet_health, make_agent, with_last_good
from session.clock import Clock
from session.lifecycle import Limits, Lifecycle
from session.paths import Paths, default_config_path
from session.print_quota import PrintQuota
from session.stats import UsageStats
from session.vault import Vault, sweep_leftovers

log = logging.getLogger(__name__)

DEMO_PIN = "1234"


@dataclass(frozen=True)
class Options:
    demo: bool = False
    config: Path | None = None
    windowed: bool = False
    screenshot: Path | None = None
    lang: str | None = None
    screen: str = "home"


def prepare_process(paths: Paths) -> None:
    """Before Qt or VLC start: send their temporary files and caches into the RAM area.

    Must run before the QApplication exists; anything left there by a crash is removed first.
    """
    paths.ensure()
    try:
        removed = sweep_leftovers(paths)
        clear_folder(paths.session_tmp)
    except OSError:
        # A booth that cannot start helps nobody; the vault's files are unreadable anyway
        # and the next wipe tries again. Maintenance mode shows the log line.
        log.exception("could not remove everything an earlier run left behind")
    else:
        if removed:
            log.warning("removed %d item(s) left behind by an earlier run", removed)
    for var in ("TMPDIR", "TMP", "TEMP"):  # TMP/TEMP: what Windows programs and Qt read there
        os.environ[var] = str(paths.session_tmp)
    os.environ["XDG_CACHE_HOME"] = str(paths.ram / "cache")
    tempfile.tempdir = None  # re-read TMPDIR


def clear_folder(folder: Path) -> None:
    for item in folder.iterdir() if folder.exists() else []:
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item, ignore_errors=False)
        else:
            item.unlink(missing_ok=True)


def load_config(opts: Options) -> tuple[KioskConfig, Path | None]:
    """Demo mode needs no file; otherwise the given path or the platform default."""
    if opts.config is not None:
        return load(opts.config), opts.config
    if opts.demo:
        return KioskConfig.demo(), None
    path = default_config_path()
    return load(path), path


def build_context(cfg: KioskConfig, config_path: Path | None, paths: Paths, clock: Clock, demo: bool, logs: RingBufferHandler) -> KioskContext:
    base, cfg = cfg, with_last_good(cfg, paths)
    s = cfg.session
    lifecycle = Lifecycle(clock, Limits(idle_warning_s=s.idle_warning_s, warning_s=s.warning_s, max_length_s=s.max_length_min * 60))
    backend = choose_backend(paths)
    pins = PinStore(backend, service_name(demo))
    if demo and not pins.has_pin():
        pins.set_pin(DEMO_PIN)
        log.info("demo maintenance PIN set (see README)")
    ctx = KioskContext(
        config=cfg,
        paths=paths,
        clock=clock,
        lifecycle=lifecycle,
        stats=UsageStats(paths.stats_db, clock),
        auth=MaintenanceAuth(pins, Lockout(paths.lockout_file, clock)),
        logs=logs,
        demo=demo,
        config_path=config_path,
    )

    def new_vault() -> None:
        ctx.vault = Vault.create(paths)

    def wipe_vault() -> None:
        vault, ctx.vault = ctx.vault, None
        if vault is not None:
            vault.wipe()

    lifecycle.on_start("vault", new_vault)
    lifecycle.register_cleanup("vault", wipe_vault)
    lifecycle.register_cleanup("temporary files", lambda: clear_folder(paths.session_tmp))
    lifecycle.on_end(lambda length, services, reason: ctx.stats.record_session(length, services))
    ctx.health_checks += [lambda: vault_health(paths), lambda: keyring_health(backend)]
    lifecycle.register_cleanup("card holder", ctx.card_holder.clear)
    if cfg.devices.card_reader != "none":
        ctx.card_reader = CardWatcher()
        ctx.health_checks.append(ctx.card_reader.health)
    if not demo:
        try:
            room_key = backend.get_password(service_name(demo), "room-service-key")
        except keyring.errors.KeyringError as exc:
            log.warning("room service key not readable: %s", type(exc).__name__)
            room_key = None
        if room_key:
            ctx.booth_link = api_booth_link(cfg.services.room_service_url, cfg.booth.id, room_key)
        else:
            log.warning("no room service key in the key store: the booth cannot open its own call room")
    ctx.print_quota = PrintQuota(s.print_pages)
    lifecycle.on_start("print quota", ctx.print_quota.reset)
    if cfg.devices.scanner != "none":
        ctx.scanner = ScannerSlot(cfg.devices.scanner)
        ctx.health_checks.append(ctx.scanner.health)
    ctx.printer = printer_from_setting(cfg.devices.printer)
    if ctx.printer is not None:
        lifecycle.register_cleanup("print jobs", ctx.printer.purge_unfinished)
        ctx.health_checks.insert(0, ctx.printer.health)  # printer alerts first (paper, toner)
    else:
        ctx.health_checks.insert(0, no_printer_health)
    if cfg.fleet.server_url:
        def taken() -> None:
            ctx.restart_when_idle = True

        ctx.fleet = make_agent(cfg, base, paths, backend, service_name(demo), pins, ctx.health, ctx.stats, taken)
        agent = ctx.fleet
        ctx.health_checks.append(lambda: fleet_health(agent))
    source = CameraSource.from_setting(cfg.devices.camera)
    if source is not None:
        ctx.camera = CameraOwner(source)
        ctx.health_checks.append(ctx.camera.health)
    return ctx


def no_printer_health() -> Health:
    # TRANSLATORS: health line in maintenance mode: no printer is set up (CUPS has no queue) or printing is off
    return Health("printer", HealthState.DOWN, N_("No printer is set up."))


def vault_health(paths: Paths) -> Health:
    free = shutil.disk_usage(paths.vaults).free
    if free < 1 << 30:
        # TRANSLATORS: health line in maintenance mode: the disk is nearly full
        return Health("vault", HealthState.DEGRADED, N_("Less than 1 GB of disk space is left for session documents."))
    if not str(paths.ram).startswith("/dev/shm"):
        # TRANSLATORS: health line in maintenance mode: this computer has no memory-backed folder (/dev/shm)
        return Health("vault", HealthState.DEGRADED, N_("No RAM-backed folder: viewer copies go to the temporary folder."))
    # TRANSLATORS: health line in maintenance mode: the encrypted session storage works
    return Health("vault", HealthState.OK, N_("Session storage is encrypted and ready."))


def keyring_health(backend: object) -> Health:
    name = type(backend).__name__
    if "Plaintext" in name:
        # TRANSLATORS: health line in maintenance mode: secrets (the PIN hash) are in a file, not in the operating system's key store
        return Health("keyring", HealthState.DEGRADED, N_("Secrets are kept in a protected file, not in the system's key store."))
    # TRANSLATORS: health line in maintenance mode: secrets are in the operating system's key store
    return Health("keyring", HealthState.OK, N_("Secrets are kept in the system's key store."))


def no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )
