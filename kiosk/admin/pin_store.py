"""The maintenance PIN, kept only as a salted scrypt hash (session/pin_hash.py) in the key store."""
from __future__ import annotations

import logging

from keyring.backend import KeyringBackend

from session.pin_hash import MAX_DIGITS, MIN_DIGITS, hash_pin, pin_matches, validate_pin

log = logging.getLogger(__name__)

USER = "maintenance-pin"
__all__ = ["MAX_DIGITS", "MIN_DIGITS", "USER", "PinStore", "validate_pin"]


class PinStore:
    def __init__(self, backend: KeyringBackend, service: str) -> None:
        self.backend = backend
        self.service = service

    def has_pin(self) -> bool:
        return self.backend.get_password(self.service, USER) is not None

    def set_pin(self, pin: str) -> None:
        self.backend.set_password(self.service, USER, hash_pin(pin))
        log.info("maintenance PIN changed")

    def set_hash(self, pin_hash: str) -> None:
        """A hash the admins made for a booth whose PIN was forgotten (signed configuration)."""
        if self.backend.get_password(self.service, USER) != pin_hash:
            self.backend.set_password(self.service, USER, pin_hash)
            log.info("maintenance PIN changed by the signed configuration")

    def verify(self, pin: str) -> bool:
        stored = self.backend.get_password(self.service, USER)
        if stored is None:
            return False
        try:
            return pin_matches(pin, stored)
        except ValueError:  # base64 errors are ValueErrors too
            # Never the stored value itself: it is as good as the PIN to an offline guesser.
            log.warning("the stored maintenance PIN hash is malformed; set a new PIN with `virtu-kiosk set-pin`")
            return False
