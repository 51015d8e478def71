"""What can go wrong with a card, as exceptions the kiosk turns into plain sentences.

Messages are English, for logs, and never hold personal data (no names, no SATU, no PIN).
"""
from __future__ import annotations


class CardError(Exception):
    pass


class NotAnIdCard(CardError):
    def __init__(self) -> None:
        super().__init__("The card is not a Finnish ID card.")


class CardUnreadable(CardError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("The card could not be read" + (f": {detail}" if detail else "."))


class CardRemoved(CardError):
    def __init__(self) -> None:
        super().__init__("The card was removed before it had been read.")


class CardNotAnswering(CardError):
    def __init__(self) -> None:
        super().__init__("The card stopped answering.")


class ReaderUnavailable(CardError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("The card reader is not available" + (f": {detail}" if detail else "."))


class WrongPin(CardError):
    def __init__(self, tries_left: int) -> None:
        super().__init__(f"Wrong PIN; {tries_left} tries left.")
        self.tries_left = tries_left


class PinBlocked(CardError):
    def __init__(self) -> None:
        super().__init__("The PIN is blocked.")


class CertificateExpired(CardError):
    def __init__(self) -> None:
        super().__init__("The card's certificate has expired.")
