"""What the call engine reports (from its asyncio thread; the Qt layer re-emits them)."""
from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from calls.documents import Document


class CallState(enum.Enum):
    IDLE = "idle"
    CONNECTING = "connecting"
    WAITING = "waiting"
    """In the room; no staff member has joined the call yet."""
    IN_CALL = "in_call"
    RECONNECTING = "reconnecting"
    ENDED = "ended"


class EndReason(enum.Enum):
    HUNG_UP = "hung_up"
    STAFF_LEFT = "staff_left"
    NETWORK = "network"
    """No media for too long, or the room service could not be reached again."""
    REFUSED = "refused"
    """The room service refused the invitation (expired, wrong room, full...)."""
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Remote:
    peer_id: str
    role: str
    name: str
    in_call: bool


@dataclass(frozen=True)
class StateChanged:
    state: CallState
    reason: EndReason | None = None
    detail: str = ""
    """For REFUSED: the room service's error code (token_expired, wrong_room, room_full...)."""


@dataclass(frozen=True)
class RemotesChanged:
    remotes: tuple[Remote, ...]


@dataclass(frozen=True)
class RemoteFrame:
    peer_id: str
    rgb: np.ndarray


@dataclass(frozen=True)
class ChatReceived:
    name: str
    text: str


@dataclass(frozen=True)
class StaffEvent:
    peer_id: str
    name: str


@dataclass(frozen=True)
class DocumentReceived:
    peer_id: str
    document: Document


CallEvent = StateChanged | RemotesChanged | RemoteFrame | ChatReceived | StaffEvent | DocumentReceived
