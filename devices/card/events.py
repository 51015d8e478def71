"""What the card watcher reports, from its own thread (the Qt layer re-emits them as signals)."""
from __future__ import annotations

from dataclasses import dataclass

from devices.card.errors import CardError
from devices.card.identity import Identity


@dataclass(frozen=True)
class CardInserted:
    reader: str


@dataclass(frozen=True)
class CardRead:
    reader: str
    identity: Identity


@dataclass(frozen=True)
class CardFailed:
    reader: str
    error: CardError


@dataclass(frozen=True)
class CardTakenOut:
    reader: str


@dataclass(frozen=True)
class ReadersChanged:
    readers: tuple[str, ...]
    service_running: bool


CardEvent = CardInserted | CardRead | CardFailed | CardTakenOut | ReadersChanged
