"""PC/SC through pyscard's low-level `scard` module: one context per thread (pcsc-lite
wants that), results as our exceptions. No pcscd is a health state, not a crash."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from smartcard import scard

from devices.card.errors import (
    CardNotAnswering,
    CardRemoved,
    CardUnreadable,
    ReaderUnavailable,
)

PNP_READER = "\\\\?PnP?\\Notification"
"""pcsc-lite's pseudo reader: its state changes when a reader is plugged in or out."""

NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
_REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD}
_GONE = {scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_NO_READERS_AVAILABLE}
_MUTE = {scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_W_UNPOWERED_CARD, scard.SCARD_E_TIMEOUT,
         scard.SCARD_E_PROTO_MISMATCH, scard.SCARD_F_COMM_ERROR}


def _code(hresult: int) -> int:
    return hresult & 0xFFFFFFFF


def error_for(hresult: int) -> Exception:
    code = _code(hresult)
    if code in {_code(c) for c in NO_SERVICE}:
        return ReaderUnavailable("the smart-card service (pcscd) is not running")
    if code in {_code(c) for c in _REMOVED}:
        return CardRemoved()
    if code in {_code(c) for c in _GONE}:
        return ReaderUnavailable("the reader was unplugged")
    if code in {_code(c) for c in _MUTE}:
        return CardNotAnswering()
    return CardUnreadable(scard.SCardGetErrorMessage(hresult))


def establish() -> int:
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise error_for(hresult)
    return hcontext


def release(hcontext: int) -> None:
    scard.SCardReleaseContext(hcontext)


def list_readers(hcontext: int) -> list[str]:
    hresult, readers = scard.SCardListReaders(hcontext, [])
    if _code(hresult) == _code(scard.SCARD_E_NO_READERS_AVAILABLE):
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        raise error_for(hresult)
    return list(readers)


class PcscTransport:
    """One connection to the card in one reader (shared mode: the watcher may look too)."""

    def __init__(self, hcontext: int, reader: str) -> None:
        hresult, self.hcard, self.protocol = scard.SCardConnect(
            hcontext, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise error_for(hresult)

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        hresult, response = scard.SCardTransmit(self.hcard, self.protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            raise error_for(hresult)
        if len(response) < 2:
            # What vpcd and some readers give when the card went quiet or was pulled out.
            raise CardNotAnswering()
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    def close(self) -> None:
        scard.SCardDisconnect(self.hcard, scard.SCARD_LEAVE_CARD)


@contextlib.contextmanager
def connected(reader: str) -> Iterator[PcscTransport]:
    """A fresh context and connection, for one piece of work on a worker thread."""
    hcontext = establish()
    try:
        transport = PcscTransport(hcontext, reader)
        try:
            yield transport
        finally:
            transport.close()
    finally:
        release(hcontext)
