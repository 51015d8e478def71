"""The card's side of the vpcd protocol, with switches for the faults the tests need."""
from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from virtual_card.identities import card_key

ATR_V3 = bytes.fromhex("3B7F96000080 31B865B0850300EF1200F6829000".replace(" ", ""))
PKCS15_AID = bytes.fromhex("A000000063504B43532D3135")
AUTH_CERT_EF = b"\x43\x31"
MAX_READ = 0xB5

OK = b"\x90\x00"
FILE_NOT_FOUND = b"\x6a\x82"
WRONG_LENGTH = b"\x67\x00"
INS_NOT_SUPPORTED = b"\x6d\x00"
CONDITIONS_NOT_SATISFIED = b"\x69\x85"
PIN_BLOCKED = b"\x69\x83"


@dataclass
class Behaviour:
    """What the card does. Mutable: a test may change it while the card is inserted."""

    certificate: bytes = b""
    pin: str = "1234"
    tries_left: int = 3
    fineid: bool = True
    """False: an unknown card (a bank card, say): the PKCS#15 application is not there."""
    stop_after_reads: int | None = None
    """Stop answering (socket stays open) after this many READ BINARYs: a card that hangs."""
    pull_after_reads: int | None = None
    """Close the connection after this many READ BINARYs: the card pulled out mid-read."""
    apdus: list[bytes] = field(default_factory=list)
    """Every command received, for tests that check what the kiosk sent (PIN digits never logged)."""


class VirtualFineid:
    def __init__(self, behaviour: Behaviour, port: int = 35963, host: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.port, self.host = port, host
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._reads = 0
        self._selected_app = False
        self._selected_file: bytes | None = None
        self._verified = False
        self._hash: bytes | None = None
        self._alg: int | None = None
        self.stopped = threading.Event()

    # --- insert / remove ---------------------------------------------------------
    def insert(self) -> VirtualFineid:
        sock = socket.create_connection((self.host, self.port), timeout=5)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self.stopped.clear()
        self._thread = threading.Thread(target=self._serve, name="virtual-card", daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        self.stopped.set()
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the reader side: removal is what we wanted
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._reset()

    def _reset(self) -> None:
        self._selected_app = False
        self._selected_file = None
        self._verified = False
        self._hash = None
        self._alg = None

    # --- the wire ----------------------------------------------------------------
    def _recv_exact(self, sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            # Without QUICKACK each APDU waits ~40 ms for a delayed ACK (see RECIPES).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def _serve(self) -> None:
        sock = self._sock
        try:
            while sock is not None:
                head = self._recv_exact(sock, 2)
                if head is None:
                    return
                (length,) = struct.unpack(">H", head)
                msg = self._recv_exact(sock, length)
                if msg is None:
                    return
                if len(msg) == 1:
                    if msg[0] == 4:
                        self._send(sock, ATR_V3)
                    else:
                        self._reset()  # power on/off/reset: a fresh card state
                    continue
                reply = self._answer(msg)
                if reply is None:
                    if self.behaviour.pull_after_reads is not None:
                        sock.close()
                        return
                    self.stopped.wait()  # hang: keep the socket open, answer nothing
                    return
                self._send(sock, reply)
        except OSError:
            return  # the test removed the card while we were reading: that is a removal

    @staticmethod
    def _send(sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack(">H", len(payload)) + payload)

    # --- the card ----------------------------------------------------------------
    def _answer(self, apdu: bytes) -> bytes | None:
        b = self.behaviour
        b.apdus.append(apdu)
        _cla, ins, p1, p2 = apdu[:4]
        body = apdu[5:5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xA4:
            return self._select(p1, body)
        if ins == 0xB0:
            return self._read(p1, p2, apdu[4] if len(apdu) == 5 else 0)
        if ins == 0x20:
            return self._verify(body)
        if ins == 0x22:
            # MSE SET: 80 01 <alg> 84 01 <key>
            if len(body) >= 3 and body[0] == 0x80:
                self._alg = body[2]
                return OK
            return WRONG_LENGTH
        if ins == 0x2A and p1 == 0x90 and p2 == 0xA0:
            if len(body) < 2 or body[0] != 0x90:
                return WRONG_LENGTH
            self._hash = body[2:2 + body[1]]
            return OK
        if ins == 0x2A and p1 == 0x9E and p2 == 0x9A:
            return self._sign()
        return INS_NOT_SUPPORTED

    def _select(self, p1: int, body: bytes) -> bytes:
        if p1 == 0x04:
            if body == PKCS15_AID and self.behaviour.fineid:
                self._selected_app = True
                return OK
            return FILE_NOT_FOUND
        if self._selected_app and body == AUTH_CERT_EF:
            self._selected_file = body
            return OK
        return FILE_NOT_FOUND

    def _read(self, p1: int, p2: int, le: int) -> bytes | None:
        b = self.behaviour
        if self._selected_file != AUTH_CERT_EF:
            return CONDITIONS_NOT_SATISFIED
        limit = b.stop_after_reads if b.stop_after_reads is not None else b.pull_after_reads
        if limit is not None and self._reads >= limit:
            return None
        self._reads += 1
        offset = ((p1 & 0x7F) << 8) | p2
        data = b.certificate[offset:offset + (le or 256)]
        if offset >= len(b.certificate):
            return b"\x6b\x00"  # wrong offset
        if len(data) < le:
            return data + b"\x62\x82"  # end of file reached before Le bytes
        return data + OK

    def _verify(self, body: bytes) -> bytes:
        b = self.behaviour
        if b.tries_left <= 0:
            return PIN_BLOCKED
        if not body:
            return bytes([0x63, 0xC0 | b.tries_left])  # only asks the tries left
        entered = body.rstrip(b"\x00").decode("ascii", "replace")
        if entered == b.pin:
            b.tries_left = 3
            self._verified = True
            return OK
        b.tries_left -= 1
        self._verified = False
        return bytes([0x63, 0xC0 | b.tries_left])

    def _sign(self) -> bytes:
        if not self._verified:
            return b"\x69\x82"  # security status not satisfied
        if self._hash is None or self._alg != 0x45:
            return CONDITIONS_NOT_SATISFIED
        signature = card_key().sign(
            self._hash,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
            utils.Prehashed(hashes.SHA256()),
        )
        self._hash = None
        return signature + OK
