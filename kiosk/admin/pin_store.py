"""The maintenance PIN, kept only as a salted scrypt hash in the key store.

The parameters travel with the hash ("scrypt$n$r$p$salt$hash") so that they can be raised
later without locking out booths whose PIN was set earlier.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os

from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

USER = "maintenance-pin"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
MIN_DIGITS, MAX_DIGITS = 4, 12


def validate_pin(pin: str) -> None:
    """ASCII digits only: the keypad has nothing else, and isdigit() alone would take "١٢٣٤"."""
    if not (pin.isascii() and pin.isdigit()):
        raise ValueError("The PIN must contain digits only (0-9).")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise ValueError(f"The PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits long.")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class PinStore:
    def __init__(self, backend: KeyringBackend, service: str) -> None:
        self.backend = backend
        self.service = service

    def has_pin(self) -> bool:
        return self.backend.get_password(self.service, USER) is not None

    def set_pin(self, pin: str) -> None:
        validate_pin(pin)
        salt = os.urandom(SALT_BYTES)
        digest = _scrypt(pin, salt, N, R, P)
        self.backend.set_password(self.service, USER, f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}")
        log.info("maintenance PIN changed")

    def verify(self, pin: str) -> bool:
        stored = self.backend.get_password(self.service, USER)
        if stored is None:
            return False
        try:
            scheme, n, r, p, salt, digest = stored.split("$")
            if scheme != "scrypt":
                raise ValueError("unknown scheme")
            expected = base64.b64decode(digest, validate=True)
            got = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
        except (ValueError, TypeError):  # base64 errors are ValueErrors; scrypt gives TypeError for n out of range
            # Never the stored value itself: it is as good as the PIN to an offline guesser.
            log.warning("the stored maintenance PIN hash is malformed; set a new PIN with `virtu-kiosk set-pin`")
            return False
        return hmac.compare_digest(got, expected)
