"""The signalling messages between the booth, the staff's browser and the room service.

One table says, for each message a client may send, its fields, their types and limits;
`parse` refuses anything else (unknown type, missing or extra field, wrong type, too
long, not a JSON object), so the room service relays only well-formed messages.
"""
from __future__ import annotations

import json
from typing import Any

MAX_MESSAGE_BYTES = 65536
EVENTS = ("cant_hear", "muted", "unmuted", "camera_off", "camera_on")


class BadMessage(ValueError):
    pass


def _text(limit: int, empty: bool = True):  # type: ignore[no-untyped-def]
    def check(v: Any) -> bool:
        return isinstance(v, str) and len(v) <= limit and (empty or bool(v.strip()))
    return check


def _candidate(v: Any) -> bool:
    return (isinstance(v, dict) and set(v) <= {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"}
            and isinstance(v.get("candidate", ""), str) and len(v.get("candidate", "")) <= 1024
            and (v.get("sdpMid") is None or isinstance(v.get("sdpMid"), str))
            and (v.get("sdpMLineIndex") is None or isinstance(v.get("sdpMLineIndex"), int)))


PEER_ID = _text(64, empty=False)
CLIENT: dict[str, dict[str, Any]] = {
    "join": {"token": _text(2048, empty=False), "name": _text(80), "place": _text(80)},
    "ready": {},
    "offer": {"to": PEER_ID, "sdp": _text(60000, empty=False)},
    "answer": {"to": PEER_ID, "sdp": _text(60000, empty=False)},
    "ice": {"to": PEER_ID, "candidate": _candidate},
    "chat": {"text": _text(1000, empty=False)},
    "event": {"name": lambda v: v in EVENTS},
    "leave": {},
}
OPTIONAL = {"ice": {"candidate"}}


def parse(text: str | bytes) -> dict[str, Any]:
    """A client's message, checked against CLIENT. Raises BadMessage with the reason."""
    if len(text) > MAX_MESSAGE_BYTES:
        raise BadMessage("too big")
    try:
        msg = json.loads(text)
    except ValueError:
        raise BadMessage("not JSON") from None
    if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
        raise BadMessage("not a message object")
    kind = msg["type"]
    fields = CLIENT.get(kind)
    if fields is None:
        raise BadMessage(f"unknown type {kind[:20]!r}")
    given = set(msg) - {"type"}
    if given - set(fields):
        raise BadMessage(f"unexpected fields in {kind}")
    for name, check in fields.items():
        if name not in msg:
            if name in OPTIONAL.get(kind, ()):
                continue
            raise BadMessage(f"{kind} lacks {name}")
        if not check(msg[name]):
            raise BadMessage(f"{kind}.{name} is not valid")
    return msg


def dump(msg: dict[str, Any]) -> str:
    return json.dumps(msg, separators=(",", ":"))
