"""The common health report every subsystem gives maintenance mode."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class HealthState(enum.Enum):
    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


def N_(message: str) -> str:
    """Marks an English sentence for translation without translating it here (core has no i18n)."""
    return message


@dataclass(frozen=True)
class Health:
    """`message` is an English msgid (context "health"); the kiosk translates it and fills `params`."""

    subsystem: str
    state: HealthState
    message: str
    params: dict[str, str] = field(default_factory=dict)
    code: str = ""
    """A machine-readable detail the fleet's alerts key on ("out_of_paper", "toner_low")."""
