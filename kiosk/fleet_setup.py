"""Joins the booth to the fleet service: the last good remote configuration over the local
file at start, and the agent that reports and fetches (fleet/booth.py)."""
from __future__ import annotations

import dataclasses
import logging
from typing import Callable

from devices.health import N_, Health, HealthState
from fleet.booth import BoothAgent, KeySlot, LastGood
from fleet.messages import HealthLine, RemoteConfig, Usage
from kiosk import __version__
from kiosk.admin.pin_store import PinStore
from kiosk.config import ConfigError, KioskConfig, with_overrides
from kiosk.i18n import SOURCE_LANGUAGE, translate
from session.paths import Paths
from session.stats import UsageStats

log = logging.getLogger(__name__)
KEY_USER = "fleet-key"
STATE_FILE = "remote-config.json"


def with_last_good(cfg: KioskConfig, paths: Paths) -> KioskConfig:
    """A remote configuration that no longer fits the local file (edited since) is left
    out, with a log line, rather than stopping the booth."""
    if not cfg.fleet.server_url:
        return cfg
    last = LastGood.load(paths.data / STATE_FILE)
    if not last.serial or not last.overrides:
        return cfg
    try:
        return with_overrides(cfg, last.overrides, f"remote configuration #{last.serial}")
    except ConfigError as exc:
        log.warning("the last remote configuration does not fit the local file; not used: %s", exc)
        return cfg


def health_lines(checks: list[Health]) -> list[HealthLine]:
    """English text for the admins (their page is in English, like the logs), filled in
    the way maintenance mode fills its own lines."""
    return [HealthLine(h.subsystem, h.state.value, translate(SOURCE_LANGUAGE, "health", h.message, **h.params), h.code)
            for h in checks]


def usage_today(stats: UsageStats) -> Usage:
    today = stats.today()
    return Usage(today.day, today.sessions, today.services.get("call", 0))


def key_slot(backend, service: str) -> KeySlot:  # type: ignore[no-untyped-def]
    return KeySlot(lambda: backend.get_password(service, KEY_USER), lambda key: backend.set_password(service, KEY_USER, key))


def make_agent(cfg: KioskConfig, base: KioskConfig, paths: Paths, backend, service: str, pins: PinStore,  # type: ignore[no-untyped-def]
               health: Callable[[], list[Health]], stats: UsageStats, on_taken: Callable[[], None]) -> BoothAgent:
    """`base` is the local file alone: a new remote configuration replaces the old one
    whole, it is not laid over it."""

    def accept(remote: RemoteConfig) -> None:
        overrides = remote.overrides()
        try:
            changed = with_overrides(base, overrides, f"remote configuration #{remote.serial}")
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        if remote.pin_hash:
            pins.set_hash(remote.pin_hash)
        if dataclasses.replace(changed, source="") != dataclasses.replace(cfg, source=""):
            on_taken()

    return BoothAgent(cfg.fleet.server_url, cfg.booth.id, __version__, key_slot(backend, service), cfg.fleet.admin_public_key,
                      paths.data / STATE_FILE, lambda: health_lines(health()), lambda: usage_today(stats), accept)


def fleet_health(agent: BoothAgent) -> Health:
    if agent.keys.get() is None:
        # TRANSLATORS: health line in maintenance mode: the booth has a fleet service address but was never enrolled with it
        return Health("fleet", HealthState.DEGRADED, N_("Not enrolled with the fleet service: run virtu-kiosk enrol with a code from the admins."))
    if agent.problem:
        # TRANSLATORS: health line in maintenance mode: the admins' remote settings were not taken; {why} is the reason in English
        return Health("fleet", HealthState.DEGRADED, N_("The remote settings were refused: {why}"), {"why": agent.problem})
    if agent.last_error:
        # TRANSLATORS: health line in maintenance mode: the booth cannot send its status to the admins' server; {why} is the reason in English
        return Health("fleet", HealthState.DEGRADED, N_("The fleet service does not answer: {why}"), {"why": agent.last_error})
    if not agent.reported:
        # TRANSLATORS: health line in maintenance mode: the booth will send its first status report to the admins' server within a minute
        return Health("fleet", HealthState.OK, N_("Sending the first report to the fleet service…"))
    # TRANSLATORS: health line in maintenance mode: the booth reports to the admins' server every minute; {serial} is the number of the remote settings in use (0 = none)
    return Health("fleet", HealthState.OK, N_("Reporting to the fleet service every minute (remote settings #{serial})."),
                  {"serial": str(agent.last_good.serial)})
