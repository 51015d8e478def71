"""The maintenance PIN's salted scrypt hash, shared by the booth (its key store) and the
fleet server (a new PIN for a booth whose PIN was forgotten).

The parameters travel with the hash ("scrypt$n$r$p$salt$hash") so that they can be raised
later without locking out booths whose PIN was set earlier.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

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


def hash_pin(pin: str) -> str:
    validate_pin(pin)
    salt = os.urandom(SALT_BYTES)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_scrypt(pin, salt, N, R, P))}"


def pin_matches(pin: str, stored: str) -> bool:
    """Raises ValueError when `stored` is not a hash this module made."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            raise ValueError("unknown scheme")
        expected = base64.b64decode(digest, validate=True)
        got = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except TypeError:  # scrypt's answer to n out of range
        raise ValueError("bad scrypt parameters") from None
    return hmac.compare_digest(got, expected)
