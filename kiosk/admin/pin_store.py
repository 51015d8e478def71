"""The maintenance PIN, kept only as a salted scrypt hash in the key store."""
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


def validate_pin(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit()):
        raise ValueError("The PIN must contain digits only.")
    if not 4 <= len(pin) <= 12:
        raise ValueError("The PIN must be 4 to 12 digits long.")


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


class PinStore:
    def __init__(self, backend: KeyringBackend, service: str) -> None:
        self.backend = backend
        self.service = service

    def has_pin(self) -> bool:
        return self.backend.get_password(self.service, USER) is not None

    def set_pin(self, pin: str) -> None:
        validate_pin(pin)
        salt = os.urandom(16)
        digest = _hash(pin, salt, N, R, P)
        b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
        self.backend.set_password(self.service, USER, f"scrypt${N}${R}${P}${b64(salt)}${b64(digest)}")
        log.info("maintenance PIN changed")

    def verify(self, pin: str) -> bool:
        stored = self.backend.get_password(self.service, USER)
        if stored is None:
            return False
        try:
            scheme, n, r, p, salt, digest = stored.split("$")
            if scheme != "scrypt":
                raise ValueError(scheme)
            expected = base64.b64decode(digest, validate=True)
            got = _hash(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
        except ValueError:
            log.warning("the stored maintenance PIN hash is malformed; set a new PIN")
            return False
        return hmac.compare_digest(got, expected)
