"""The FINEID v3 card's PKCS#15 application, over any transport that sends an APDU.

Commands from OpenSC's card-fineid.c and web-eid's FinEID support (see RECIPES.md). A
successful SELECT of the application is the check that this is an ID card; the ATR is not
trusted. Only the authentication certificate and key (PIN 1) are used: the signing key
(PIN 2) makes legally binding signatures, which a booth never asks for.
"""
from __future__ import annotations

import hashlib
from typing import Protocol

from devices.card.errors import CardUnreadable, NotAnIdCard, PinBlocked, WrongPin

PKCS15_AID = bytes.fromhex("A000000063504B43532D3135")
AUTH_CERT_EF = bytes.fromhex("4331")
PIN1_REF = 0x11
PIN_LENGTH = 12
"""PIN 1 is sent padded with zero bytes to 12 bytes."""
READ_CHUNK = 0xB5
MAX_CERT = 8192
AUTH_KEY_REF = 0x01
ALG_SHA256_PSS = 0x45
"""MSE SET algorithm byte: hash (0x40 = SHA-256) | scheme (0x05 = PSS), as v3 cards sign."""

SW_OK = 0x9000


class Transport(Protocol):
    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU; return the response data and the status word."""


def _apdu(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    out = bytes([cla, ins, p1, p2])
    if data:
        out += bytes([len(data)]) + data
    if le is not None:
        out += bytes([le & 0xFF])
    return out


def pin_block(pin: bytearray) -> bytearray:
    """The PIN as the card wants it. A bytearray, so the caller can zero it after use."""
    if not (4 <= len(pin) <= PIN_LENGTH) or not all(0x30 <= c <= 0x39 for c in pin):
        raise ValueError("a PIN is 4 to 12 digits")
    block = bytearray(PIN_LENGTH)
    block[: len(pin)] = pin
    return block


def _pin_error(sw: int) -> Exception | None:
    if sw in (0x6983, 0x63C0):
        return PinBlocked()
    if sw & 0xFFF0 == 0x63C0:
        return WrongPin(sw & 0x0F)
    return None


class FineidCard:
    def __init__(self, transport: Transport) -> None:
        self.t = transport

    def select_application(self) -> None:
        _, sw = self.t.transmit(_apdu(0x00, 0xA4, 0x04, 0x0C, PKCS15_AID))
        if sw != SW_OK:
            raise NotAnIdCard()

    def read_auth_certificate(self) -> bytes:
        _, sw = self.t.transmit(_apdu(0x00, 0xA4, 0x02, 0x0C, AUTH_CERT_EF))
        if sw != SW_OK:
            raise NotAnIdCard()
        head = self._read(0, 4)
        total = _der_length(head)
        if total > MAX_CERT:
            raise CardUnreadable("the certificate is too long")
        data = bytearray(head)
        while len(data) < total:
            chunk = self._read(len(data), min(READ_CHUNK, total - len(data)))
            if not chunk:
                raise CardUnreadable("the certificate ends early")
            data += chunk
        return bytes(data[:total])

    def _read(self, offset: int, length: int) -> bytes:
        data, sw = self.t.transmit(_apdu(0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, le=length))
        if sw not in (SW_OK, 0x6282):
            raise CardUnreadable(f"reading answered {sw:04X}")
        return data

    def tries_left(self) -> int:
        """VERIFY without data: the card tells the tries left without spending one."""
        _, sw = self.t.transmit(_apdu(0x00, 0x20, 0x00, PIN1_REF))
        if sw == SW_OK:
            return 3  # already verified in this card session
        err = _pin_error(sw)
        if isinstance(err, WrongPin):
            return err.tries_left
        if isinstance(err, PinBlocked):
            return 0
        raise CardUnreadable(f"the PIN status answered {sw:04X}")

    def verify_pin(self, pin: bytearray) -> None:
        """Raises WrongPin (with the tries left) or PinBlocked. Zeroes its copy of the PIN."""
        block = pin_block(pin)
        try:
            _, sw = self.t.transmit(_apdu(0x00, 0x20, 0x00, PIN1_REF, bytes(block)))
        finally:
            block[:] = bytes(len(block))
        if sw == SW_OK:
            return
        err = _pin_error(sw)
        raise err if err is not None else CardUnreadable(f"PIN check answered {sw:04X}")

    def sign_sha256(self, digest: bytes) -> bytes:
        """RSA-PSS signature of a SHA-256 digest with the authentication key (PIN verified first)."""
        if len(digest) != hashlib.sha256().digest_size:
            raise ValueError("a SHA-256 digest is 32 bytes")
        for apdu in (
            _apdu(0x00, 0x22, 0x41, 0xB6, bytes([0x80, 0x01, ALG_SHA256_PSS, 0x84, 0x01, AUTH_KEY_REF])),
            _apdu(0x00, 0x2A, 0x90, 0xA0, bytes([0x90, len(digest)]) + digest),
        ):
            _, sw = self.t.transmit(apdu)
            if sw != SW_OK:
                raise CardUnreadable(f"signing was refused ({sw:04X})")
        signature, sw = self.t.transmit(_apdu(0x00, 0x2A, 0x9E, 0x9A, le=0))
        if sw != SW_OK or not signature:
            raise CardUnreadable(f"signing was refused ({sw:04X})")
        return signature


def _der_length(head: bytes) -> int:
    """Total length of a DER SEQUENCE from its first bytes (tag, length)."""
    if len(head) < 2 or head[0] != 0x30:
        raise CardUnreadable("the certificate is damaged")
    first = head[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if n == 0 or n > 2 or len(head) < 2 + n:
        raise CardUnreadable("the certificate is damaged")
    return 2 + n + int.from_bytes(head[2:2 + n], "big")
