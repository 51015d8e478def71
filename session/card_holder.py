"""Who put an ID card in during this session. Memory only: cleared when the session ends or
the card comes out, never logged or saved."""
from __future__ import annotations

from dataclasses import dataclass

from devices.card.identity import Identity


@dataclass
class CardHolder:
    identity: Identity | None = None
    reader: str | None = None
    verified: bool = False
    """The resident proved the card is theirs (PIN 1 and the card's signature)."""

    def card_read(self, reader: str, identity: Identity) -> None:
        if self.identity is None or identity.satu != self.identity.satu:
            self.verified = False
        self.identity, self.reader = identity, reader

    def taken_out(self, reader: str) -> bool:
        """Forget the card if it was the holder's; True if it was."""
        if self.identity is None or reader != self.reader:
            return False
        self.clear()
        return True

    def clear(self) -> None:
        self.identity, self.reader, self.verified = None, None, False
