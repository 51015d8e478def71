"""The booth's side of the fleet: enrol once, report health every minute, take the admins'
signed configuration at start, hourly, and as soon as a report says a newer one exists.

A configuration that is badly signed, older than the one in use or invalid for this booth
is not taken: the last good one stays and the next report says why. The PIN hash in a
configuration goes to the key store; only the rest is kept on disk (as last good)."""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin

import requests

from fleet.messages import BadMessage, HealthLine, RemoteConfig, Report, Usage, open_config
from fleet.signing import canonical, new_private_key, public_key, sign

log = logging.getLogger(__name__)
REPORT_EVERY_S = 60.0
CONFIG_EVERY_S = 3600.0
TIMEOUT_S = 10.0


class FleetError(Exception):
    """For the contact person or the log: what went wrong, in plain words."""


@dataclass(frozen=True)
class LastGood:
    serial: int = 0
    overrides: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path) -> "LastGood":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(int(data["serial"]), dict(data["overrides"]))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("the last good remote configuration is unreadable; running on the local file")
            return cls()

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".new")
        tmp.write_text(json.dumps({"serial": self.serial, "overrides": self.overrides or {}}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


@dataclass
class KeySlot:
    """Where the booth's private key lives (the key store); get returns None before enrolment."""
    get: Callable[[], str | None]
    set: Callable[[str], None]


def _refusal(resp: requests.Response) -> str:
    try:
        return str(resp.json()["error"])
    except (ValueError, KeyError, TypeError):
        return f"the fleet service answered {resp.status_code}"


def _request(http: requests.Session, method: str, server_url: str, path: str, **kwargs: Any) -> requests.Response:
    try:
        return http.request(method, urljoin(server_url.rstrip("/") + "/", path), timeout=TIMEOUT_S, **kwargs)
    except requests.RequestException as exc:
        raise FleetError(f"the fleet service cannot be reached ({type(exc).__name__})") from None


def enrol(server_url: str, booth_id: str, code: str, keys: KeySlot) -> None:
    """A fresh key each time: re-enrolling a booth (with a new code) replaces the old one."""
    private = new_private_key()
    with requests.Session() as http:
        resp = _request(http, "POST", server_url, "api/fleet/enrol",
                        json={"booth": booth_id, "code": code.strip(), "public_key": public_key(private)})
    if resp.status_code != 200:
        raise FleetError(_refusal(resp))
    keys.set(private)
    log.info("enrolled with the fleet service")


class BoothAgent:
    def __init__(self, server_url: str, booth_id: str, version: str, keys: KeySlot, admin_public_key: str,
                 state_file: Path, health: Callable[[], list[HealthLine]], usage: Callable[[], Usage],
                 accept: Callable[[RemoteConfig], None], clock: Callable[[], float] = time.time) -> None:
        self.server_url = server_url
        self.booth_id = booth_id
        self.version = version
        self.keys = keys
        self.admin_public_key = admin_public_key
        self.state_file = state_file
        self.health = health
        self.usage = usage
        self.accept = accept
        """Checks the configuration against the booth (raises ValueError with the reason)
        and puts it to use; called on the agent's thread."""
        self.clock = clock
        self.last_good = LastGood.load(state_file)
        self.problem = ""
        self.http = requests.Session()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_sent = 0.0
        self._tried = 0
        self.last_error = ""
        """Why the last report did not go through ("" when it did); maintenance shows it."""
        self.reported = False

    def _private(self) -> str:
        key = self.keys.get()
        if not key:
            raise FleetError("this booth is not enrolled: run `virtu-kiosk enrol CODE` with a code from the admins")
        return key

    # --- reports ------------------------------------------------------------------------
    def report_once(self) -> int:
        """Returns the newest configuration serial the server has for this booth."""
        private = self._private()
        # Strictly rising even if the clock steps back a little: the server refuses replays.
        sent_at = max(self.clock(), self._last_sent + 0.001)
        report = Report(self.booth_id, sent_at, self.version, self.health(), self.usage(),
                        self.last_good.serial, self.problem)
        body = canonical(report.to_json())
        resp = _request(self.http, "POST", self.server_url, "api/fleet/reports", data=body, headers={
            "Content-Type": "application/json", "X-Virtu-Booth": self.booth_id, "X-Virtu-Signature": sign(private, body)})
        if resp.status_code != 202:
            raise FleetError(_refusal(resp))
        self._last_sent = sent_at
        self.reported, self.last_error = True, ""
        try:
            return int(resp.json().get("config_serial", 0))
        except (ValueError, TypeError, AttributeError):
            return 0

    # --- configuration ------------------------------------------------------------------
    def fetch_config_once(self) -> bool:
        """True when a newer configuration was taken."""
        private = self._private()
        stamp = f"{self.clock():.3f}"
        resp = _request(self.http, "GET", self.server_url, "api/fleet/config", headers={
            "X-Virtu-Booth": self.booth_id, "X-Virtu-Time": stamp,
            "X-Virtu-Signature": sign(private, f"config {self.booth_id} {stamp}".encode())})
        if resp.status_code != 200:
            raise FleetError(_refusal(resp))
        try:
            envelope = resp.json()
        except ValueError:
            return self._refuse("the configuration is not JSON")
        if envelope.get("config") is None and "signature" not in envelope:
            return False  # nothing published for this booth yet
        try:
            remote = open_config(envelope, self.admin_public_key)
        except BadMessage as exc:
            return self._refuse(str(exc))
        if not remote.for_booth(self.booth_id):
            return self._refuse(f"configuration #{remote.serial} is meant for other booths")
        if remote.serial < self.last_good.serial:
            return self._refuse(f"configuration #{remote.serial} is older than #{self.last_good.serial} in use")
        if remote.serial == self.last_good.serial:
            self.problem = ""
            return False
        try:
            self.accept(remote)
        except ValueError as exc:
            return self._refuse(f"configuration #{remote.serial} is not valid here: {exc}")
        self.last_good = LastGood(remote.serial, remote.overrides())
        self.last_good.save(self.state_file)
        self.problem = ""
        log.info("remote configuration #%d taken", remote.serial)
        return True

    def _refuse(self, why: str) -> bool:
        self.problem = why
        log.warning("remote configuration refused; keeping #%d: %s", self.last_good.serial, why)
        return False

    # --- the thread ---------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fleet-agent", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT_S + 2)

    def _run(self) -> None:
        next_config = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            try:
                if now >= next_config:
                    next_config = now + CONFIG_EVERY_S
                    self.fetch_config_once()
                advertised = self.report_once()
                if advertised > self.last_good.serial and advertised != self._tried:
                    self._tried = advertised  # once: a refused one waits for the hourly try
                    self.fetch_config_once()
            except FleetError as exc:
                self.last_error = str(exc)
                log.warning("fleet: %s", exc)
            self._stop.wait(REPORT_EVERY_S)
