"""Watches every PC/SC reader on its own thread and reads each inserted card.

pyscard's CardMonitor polls and hides errors; this loop blocks in SCardGetStatusChange
(half a second at a time, so stop() is prompt), follows readers coming and going through
pcsc-lite's PnP pseudo reader, and survives pcscd stopping and starting again. Callbacks
run on this thread: the Qt layer must re-emit them as signals, never touch widgets here.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from smartcard import scard

from devices.card import pcsc
from devices.card.errors import (
    CardError,
    CardNotAnswering,
    CardRemoved,
    CardUnreadable,
    ReaderUnavailable,
)
from devices.card.events import (
    CardEvent,
    CardFailed,
    CardInserted,
    CardRead,
    CardTakenOut,
    ReadersChanged,
)
from devices.card.fineid import FineidCard
from devices.card.identity import Identity, parse_certificate
from devices.health import N_, Health, HealthState

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_MS = 500
RETRY_SERVICE_S = 2.0
READ_TIMEOUT_S = 5.0
"""A card that stops answering blocks SCardTransmit until it is pulled out (vpcd has no
timeout; real readers give up after their own): past this the resident is told at once."""


def with_deadline(work: Callable[[], T], seconds: float) -> T:
    """Run blocking card work on a throwaway thread; a hung card raises CardNotAnswering.
    The abandoned thread ends by itself when the card is removed."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    t = threading.Thread(target=run, name="card-io", daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise CardNotAnswering()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def read_identity(reader: str) -> Identity:
    with pcsc.connected(reader) as transport:
        card = FineidCard(transport)
        card.select_application()
        return parse_certificate(card.read_auth_certificate())


class CardWatcher:
    def __init__(self, on_event: Callable[[CardEvent], None] | None = None, read_timeout: float = READ_TIMEOUT_S) -> None:
        self.on_event = on_event or (lambda _event: None)
        """Set before start(); the Qt layer sets it to re-emit events as a signal."""
        self.read_timeout = read_timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: int | None = None
        self.readers: tuple[str, ...] = ()
        self.service_running = False
        self.present: set[str] = set()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="card-watcher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        ctx = self._ctx
        if ctx is not None:
            scard.SCardCancel(ctx)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def health(self) -> Health:
        if not self.service_running:
            # TRANSLATORS: health line in maintenance mode: the smart-card service (pcscd) is not running
            return Health("card", HealthState.DOWN, N_("The card reader service is not running."))
        if not self.readers:
            # TRANSLATORS: health line in maintenance mode: no ID card reader is plugged in
            return Health("card", HealthState.DOWN, N_("No card reader is connected."))
        # TRANSLATORS: health line in maintenance mode: the card reader works; {count} is how many readers
        return Health("card", HealthState.OK, N_("The card reader works ({count} found)."), {"count": str(len(self.readers))})

    # --- the loop ----------------------------------------------------------------
    def _emit(self, event: CardEvent) -> None:
        try:
            self.on_event(event)
        except Exception:
            log.exception("card event handler failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._ctx = pcsc.establish()
            except ReaderUnavailable:
                self._set_readers((), running=False)
                self._stop.wait(RETRY_SERVICE_S)
                continue
            try:
                self._watch(self._ctx)
            except CardError as exc:
                log.warning("card watcher: %s; starting over", exc)
            finally:
                pcsc.release(self._ctx)
                self._ctx = None
            for reader in sorted(self.present):
                self._emit(CardTakenOut(reader))
            self.present.clear()
            self._set_readers((), running=False)
            self._stop.wait(RETRY_SERVICE_S)

    def _set_readers(self, readers: tuple[str, ...], running: bool) -> None:
        if (readers, running) != (self.readers, self.service_running):
            self.readers, self.service_running = readers, running
            self._emit(ReadersChanged(readers, running))

    def _watch(self, ctx: int) -> None:
        states: dict[str, int] = {}
        pnp = scard.SCARD_STATE_UNAWARE
        self._set_readers(tuple(pcsc.list_readers(ctx)), running=True)
        while not self._stop.is_set():
            query = [(r, states.get(r, scard.SCARD_STATE_UNAWARE)) for r in self.readers]
            query.append((pcsc.PNP_READER, pnp))
            hresult, result = scard.SCardGetStatusChange(ctx, POLL_MS, query)
            code = hresult & 0xFFFFFFFF
            if code in (scard.SCARD_E_TIMEOUT & 0xFFFFFFFF, scard.SCARD_E_CANCELLED & 0xFFFFFFFF):
                continue
            if hresult != scard.SCARD_S_SUCCESS:
                raise pcsc.error_for(hresult)
            for reader, event, _atr in result:
                if reader == pcsc.PNP_READER:
                    if event & scard.SCARD_STATE_CHANGED:
                        pnp = event & ~scard.SCARD_STATE_CHANGED
                        self._readers_changed(ctx, states)
                    continue
                if event & scard.SCARD_STATE_UNKNOWN:
                    continue  # the reader went away: _readers_changed deals with it
                states[reader] = event & ~scard.SCARD_STATE_CHANGED
                now_present = bool(event & scard.SCARD_STATE_PRESENT)
                if now_present and reader not in self.present:
                    self.present.add(reader)
                    self._emit(CardInserted(reader))
                    self._read(ctx, reader, states)
                elif not now_present and reader in self.present:
                    self.present.discard(reader)
                    self._emit(CardTakenOut(reader))

    def _readers_changed(self, ctx: int, states: dict[str, int]) -> None:
        readers = tuple(pcsc.list_readers(ctx))
        for gone in set(self.readers) - set(readers):
            states.pop(gone, None)
            if gone in self.present:
                self.present.discard(gone)
                self._emit(CardTakenOut(gone))
        self._set_readers(readers, running=True)

    def _read(self, ctx: int, reader: str, states: dict[str, int]) -> None:
        try:
            identity = with_deadline(lambda: read_identity(reader), self.read_timeout)
        except CardError as exc:
            if isinstance(exc, (CardNotAnswering, CardUnreadable)) and self._gone_within(ctx, reader, states):
                exc = CardRemoved()
            log.info("card in %s not read: %s", reader, exc)
            self._emit(CardFailed(reader, exc))
            return
        self._emit(CardRead(reader, identity))

    def _gone_within(self, ctx: int, reader: str, states: dict[str, int]) -> bool:
        """Was the card pulled out (rather than broken)? pcscd notices within one poll (~400 ms)."""
        hresult, result = scard.SCardGetStatusChange(ctx, 600, [(reader, states.get(reader, 0))])
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        return not result[0][1] & scard.SCARD_STATE_PRESENT


def sign_digest(reader: str, identity: Identity, pin: bytearray, digest: bytes, timeout: float = READ_TIMEOUT_S) -> bytes:
    """PIN 1, then the card's RSA-PSS signature of a SHA-256 digest (a service's sign-in
    challenge). Checks that the card is still the one `identity` was read from. Blocking;
    the PIN bytearray is zeroed whatever happens."""
    try:
        return with_deadline(lambda: _sign(reader, identity, pin, digest), timeout)
    finally:
        pin[:] = bytes(len(pin))


def identify(reader: str, identity: Identity, pin: bytearray, timeout: float = READ_TIMEOUT_S) -> None:
    """Proves the resident holds the card: PIN 1, then the card signs a fresh challenge with
    its authentication key and the signature is checked against the certificate read at
    insertion (so a swapped card fails). Blocking: call from a worker thread. The PIN
    bytearray is zeroed whatever happens."""
    try:
        with_deadline(lambda: _identify(reader, identity, pin), timeout)
    finally:
        pin[:] = bytes(len(pin))


def _sign(reader: str, identity: Identity, pin: bytearray, digest: bytes) -> bytes:
    with pcsc.connected(reader) as transport:
        card = FineidCard(transport)
        card.select_application()
        if parse_certificate(card.read_auth_certificate()).satu != identity.satu:
            raise CardRemoved()  # another card is in the reader now
        card.verify_pin(pin)
        return card.sign_sha256(digest)


def _identify(reader: str, identity: Identity, pin: bytearray) -> None:
    digest = hashlib.sha256(os.urandom(32)).digest()
    signature = _sign(reader, identity, pin, digest)
    key = identity.public_key
    if not isinstance(key, rsa.RSAPublicKey):
        raise CardUnreadable("the card's key type is not supported")
    try:
        key.verify(signature, digest, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
                   utils.Prehashed(hashes.SHA256()))
    except InvalidSignature as exc:
        raise CardUnreadable("the card's signature does not match its certificate") from exc


def tries_left(reader: str, timeout: float = READ_TIMEOUT_S) -> int:
    """PIN 1 tries left, without spending one (0 = blocked)."""
    def ask() -> int:
        with pcsc.connected(reader) as transport:
            card = FineidCard(transport)
            card.select_application()
            return card.tries_left()
    return with_deadline(ask, timeout)
