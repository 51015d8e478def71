"""One PIN attempt: checked only when not locked out; the PIN itself is never kept or logged."""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from keyring.errors import KeyringError

from kiosk.admin.lockout import Lockout
from kiosk.admin.pin_store import PinStore

log = logging.getLogger(__name__)


class PinOutcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NO_PIN_SET = "no_pin_set"
    STORE_UNAVAILABLE = "store_unavailable"


@dataclass(frozen=True)
class PinResult:
    """tries_left counts for WRONG, seconds_left for LOCKED; both are 0 otherwise."""

    outcome: PinOutcome
    tries_left: int = 0
    seconds_left: float = 0.0


class MaintenanceAuth:
    def __init__(self, pins: PinStore, lockout: Lockout) -> None:
        self.pins = pins
        self.lockout = lockout

    def try_pin(self, pin: str) -> PinResult:
        """While locked the PIN is not even hashed, so guessing gains nothing and costs no CPU."""
        left = self.lockout.seconds_left()
        if left > 0:
            return PinResult(PinOutcome.LOCKED, seconds_left=left)
        try:
            has_pin = self.pins.has_pin()
            right = has_pin and self.pins.verify(pin)
        except KeyringError:
            # A locked or absent Secret Service: say so on the keypad, not in a traceback.
            log.exception("the key store holding the maintenance PIN cannot be read")
            return PinResult(PinOutcome.STORE_UNAVAILABLE)
        if not has_pin:
            return PinResult(PinOutcome.NO_PIN_SET)
        if right:
            self.lockout.record_success()
            return PinResult(PinOutcome.OK)
        locked, tries = self.lockout.record_failure()
        if locked:
            return PinResult(PinOutcome.LOCKED, seconds_left=self.lockout.seconds_left())
        return PinResult(PinOutcome.WRONG, tries_left=tries)
