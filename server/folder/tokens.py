"""Session tokens of the folder service: random, short-lived, in memory, revocable."""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

TOKEN_LIFETIME_S = 3600.0
CHALLENGE_LIFETIME_S = 120.0


@dataclass(frozen=True)
class Grant:
    user: str
    expires: float


class TokenStore:
    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._clock = clock
        self._tokens: dict[str, Grant] = {}
        self._challenges: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def issue(self, user: str) -> tuple[str, float]:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = Grant(user, self._clock() + TOKEN_LIFETIME_S)
        return token, TOKEN_LIFETIME_S

    def user(self, token: str) -> str | None:
        with self._lock:
            grant = self._tokens.get(token)
            if grant is None:
                return None
            if grant.expires <= self._clock():
                del self._tokens[token]
                return None
            return grant.user

    def revoke(self, token: str) -> bool:
        with self._lock:
            return self._tokens.pop(token, None) is not None

    def challenge(self) -> tuple[str, bytes]:
        cid, nonce = secrets.token_urlsafe(16), secrets.token_bytes(32)
        with self._lock:
            self._challenges[cid] = (nonce, self._clock() + CHALLENGE_LIFETIME_S)
        return cid, nonce

    def take_challenge(self, cid: str) -> bytes | None:
        """A challenge answers once."""
        with self._lock:
            entry = self._challenges.pop(cid, None)
        if entry is None or entry[1] <= self._clock():
            return None
        return entry[0]
