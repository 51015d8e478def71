"""The fleet's messages, checked at the edge: a booth's health report and the admins'
signed configuration. Both are JSON; anything else is refused with a reason."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from fleet.signing import BadSignature, canonical, sign, verify

BOOTH_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
STATES = ("ok", "degraded", "down")
MAX_REPORT_BYTES = 16 * 1024
MAX_CONFIG_BYTES = 256 * 1024
# The keys of a booth's local TOML the admins may set remotely (dotted paths), and the
# maintenance PIN hash, which goes to the booth's key store, never into a file.
OVERRIDABLE = ("web.allowed_sites", "web.resource_hosts", "web.media_sites", "opening_hours", "messages")
PIN_HASH_KEY = "maintenance_pin_hash"
_PIN_HASH = re.compile(r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")


class BadMessage(ValueError):
    """Says what is wrong, for the log and the admin page; never echoes secrets."""


@dataclass(frozen=True)
class HealthLine:
    subsystem: str
    state: str
    message: str
    code: str = ""


@dataclass(frozen=True)
class Usage:
    day: str
    sessions: int = 0
    calls: int = 0


@dataclass(frozen=True)
class Report:
    booth: str
    sent_at: float
    version: str
    health: list[HealthLine]
    usage: Usage
    config_serial: int = 0
    config_problem: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _str(d: dict[str, Any], key: str, limit: int = 200) -> str:
    value = d.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise BadMessage(f"{key} must be text of at most {limit} characters")
    return value


def _int(d: dict[str, Any], key: str) -> int:
    value = d.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise BadMessage(f"{key} must be a whole number")
    return value


def parse_report(data: Any) -> Report:
    if not isinstance(data, dict):
        raise BadMessage("a report is a JSON object")
    booth = _str(data, "booth", 63)
    if not BOOTH_ID.match(booth):
        raise BadMessage("booth must be lower-case letters, digits and dashes")
    sent_at = data.get("sent_at")
    if not isinstance(sent_at, (int, float)) or isinstance(sent_at, bool):
        raise BadMessage("sent_at must be a time in seconds")
    health_in = data.get("health")
    if not isinstance(health_in, list) or len(health_in) > 32:
        raise BadMessage("health must be a list of at most 32 lines")
    health = []
    for line in health_in:
        if not isinstance(line, dict):
            raise BadMessage("a health line is an object")
        state = _str(line, "state", 10)
        if state not in STATES:
            raise BadMessage(f"a health state is one of {', '.join(STATES)}")
        health.append(HealthLine(_str(line, "subsystem", 40), state, _str(line, "message"), _str(line, "code", 40) if "code" in line else ""))
    usage = data.get("usage")
    if not isinstance(usage, dict):
        raise BadMessage("usage must be an object")
    day = _str(usage, "day", 10)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", day):
        raise BadMessage("usage.day must be YYYY-MM-DD")
    return Report(booth, float(sent_at), _str(data, "version", 40), health, Usage(day, _int(usage, "sessions"), _int(usage, "calls")),
                  _int(data, "config_serial"), _str(data, "config_problem", 300) if "config_problem" in data else "")


# --- signed configuration -------------------------------------------------------------------
def meant_for(booths: list[str], booth: str) -> bool:
    """A configuration names its booths, or ["*"] for every booth."""
    return "*" in booths or booth in booths


@dataclass(frozen=True)
class RemoteConfig:
    serial: int
    booths: list[str]
    """Booth ids it is meant for; ["*"] for every booth."""
    settings: dict[str, Any] = field(default_factory=dict)

    def for_booth(self, booth: str) -> bool:
        return meant_for(self.booths, booth)

    @property
    def pin_hash(self) -> str | None:
        return self.settings.get(PIN_HASH_KEY)

    def overrides(self) -> dict[str, Any]:
        """The TOML part as nested tables (the PIN hash left out)."""
        nested: dict[str, Any] = {}
        for path, value in self.settings.items():
            if path == PIN_HASH_KEY:
                continue
            *parents, leaf = path.split(".")
            table = nested
            for name in parents:
                table = table.setdefault(name, {})
            table[leaf] = value
        return nested


def check_config(body: Any) -> RemoteConfig:
    if not isinstance(body, dict):
        raise BadMessage("a configuration is a JSON object")
    serial = body.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 1:
        raise BadMessage("serial must be a whole number from 1 up")
    booths = body.get("booths")
    if not isinstance(booths, list) or not booths or not all(isinstance(b, str) and (b == "*" or BOOTH_ID.match(b)) for b in booths):
        raise BadMessage('booths must list booth ids, or ["*"] for all')
    settings = body.get("settings")
    if not isinstance(settings, dict):
        raise BadMessage("settings must be an object")
    unknown = sorted(set(settings) - set(OVERRIDABLE) - {PIN_HASH_KEY})
    if unknown:
        raise BadMessage(f"these keys cannot be set remotely: {', '.join(unknown)} (allowed: {', '.join(OVERRIDABLE + (PIN_HASH_KEY,))})")
    pin_hash = settings.get(PIN_HASH_KEY)
    if pin_hash is not None and not (isinstance(pin_hash, str) and _PIN_HASH.match(pin_hash)):
        raise BadMessage("maintenance_pin_hash must be a hash made by `virtu-server pin-hash`")
    return RemoteConfig(serial, list(booths), dict(settings))


def sign_config(private_b64: str, body: dict[str, Any]) -> dict[str, Any]:
    check_config(body)
    return {"config": body, "signature": sign(private_b64, canonical(body))}


def open_config(envelope: Any, admin_public_b64: str) -> RemoteConfig:
    """Signature first: nothing unsigned is even looked at."""
    if not isinstance(envelope, dict) or not isinstance(envelope.get("config"), dict) or not isinstance(envelope.get("signature"), str):
        raise BadMessage("a signed configuration has 'config' and 'signature'")
    try:
        verify(admin_public_b64, canonical(envelope["config"]), envelope["signature"])
    except BadSignature as exc:
        raise BadMessage(f"bad signature: {exc}") from None
    return check_config(envelope["config"])
