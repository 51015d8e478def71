"""Short-lived join tokens: base64url(JSON payload) "." base64url(HMAC-SHA256(secret)),
payload {"room", "role", "exp", "nonce"}. The room comes from the token, never from the
client, so a link only ever opens its own room."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

ROLES = ("booth", "staff")


class TokenRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Grant:
    room: str
    role: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: bytes, room: str, role: str, minutes: float, now: float | None = None) -> str:
    if role not in ROLES:
        raise ValueError("role must be booth or staff")
    if not room or len(room) > 64 or not all(c.isalnum() or c in "-_." for c in room):
        raise ValueError("a room name is 1-64 letters, digits, - _ .")
    payload = {"room": room, "role": role, "exp": int((now or time.time()) + minutes * 60), "nonce": secrets.token_hex(8)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return body + "." + _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def check_token(secret: bytes, token: str, now: float | None = None) -> Grant:
    try:
        body, sig = token.split(".")
        expected = hmac.new(secret, body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            raise TokenRefused("token_invalid", "The invitation is not valid.")
        payload = json.loads(_unb64(body))
        room, role, exp = payload["room"], payload["role"], int(payload["exp"])
    except TokenRefused:
        raise
    except (ValueError, KeyError, TypeError):
        raise TokenRefused("token_invalid", "The invitation is not valid.") from None
    if role not in ROLES or not isinstance(room, str):
        raise TokenRefused("token_invalid", "The invitation is not valid.")
    if exp <= (now or time.time()):
        raise TokenRefused("token_expired", "The invitation has expired.")
    return Grant(room, role, exp)
