"""The ID card layer over real pcscd with vsmartcard's virtual reader and our virtual FINEID card."""
from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VPCD_READER, wait_reader

from devices.card import watcher as card_watcher
from devices.card.errors import (
    CardNotAnswering,
    CardRemoved,
    CardUnreadable,
    NotAnIdCard,
    PinBlocked,
    WrongPin,
)
from devices.card.events import (
    CardEvent,
    CardFailed,
    CardInserted,
    CardRead,
    CardTakenOut,
    ReadersChanged,
)
from devices.card.watcher import CardWatcher
from devices.health import HealthState


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[CardEvent] = queue.Queue()

    def next(self, kind: type, timeout: float = 5.0) -> CardEvent:
        """The next event of this kind; others in between are skipped."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {getattr(kind, '__name__', kind)} event within {timeout} s"
            try:
                event = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if isinstance(event, kind):
                return event


@pytest.fixture
def events() -> Iterator[tuple[CardWatcher, Events]]:
    ev = Events()
    w = CardWatcher(ev.q.put, read_timeout=1.5)
    w.start()
    first = ev.next(ReadersChanged)
    assert isinstance(first, ReadersChanged) and VPCD_READER in first.readers
    yield w, ev
    w.stop()


def read(insert_card, events, holder: str = "matti", **behaviour) -> CardEvent:  # type: ignore[no-untyped-def]
    _, ev = events
    insert_card(holder, **behaviour)
    inserted = ev.next(CardInserted)
    assert inserted.reader == VPCD_READER
    return ev.next((CardRead, CardFailed))  # type: ignore[arg-type]


def test_readers_are_listed_and_healthy(events) -> None:  # type: ignore[no-untyped-def]
    w, _ = events
    h = w.health()
    assert h.state is HealthState.OK and h.params["count"] == "2"


@pytest.mark.parametrize(
    ("holder", "first", "full", "satu"),
    [
        ("matti", "Matti", "Matti Juhani Meikäläinen", "99919815R"),
        ("asa", "Åsa", "Åsa Östen Ärlig", "10000001N"),
        ("sami", "Máret", "Máret Ánde Sámmol", "10000002P"),
    ],
)
def test_card_holder_is_read(insert_card, events, holder, first, full, satu) -> None:  # type: ignore[no-untyped-def]
    event = read(insert_card, events, holder)
    assert isinstance(event, CardRead), event
    assert event.identity.first_name == first
    assert event.identity.full_name == full
    assert event.identity.satu == satu
    assert not event.identity.expired(dt.datetime.now(dt.UTC))
    assert "Matti" not in repr(event.identity) and satu not in repr(event)


def test_removal_is_reported(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    card = insert_card("liisa")
    _, ev = events
    ev.next(CardRead)
    card.remove()
    assert ev.next(CardTakenOut).reader == VPCD_READER


def test_expired_certificate_is_read_and_marked(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    event = read(insert_card, events, "liisa", expired=True)
    assert isinstance(event, CardRead)
    assert event.identity.expired(dt.datetime.now(dt.UTC))


def test_garbage_certificate_is_unreadable(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    event = read(insert_card, events, None, certificate=b"\x30\x82\x01\x00" + os.urandom(256))
    assert isinstance(event, CardFailed) and isinstance(event.error, CardUnreadable)


def test_unknown_card_is_not_an_id_card(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    event = read(insert_card, events, "matti", fineid=False)
    assert isinstance(event, CardFailed) and isinstance(event.error, NotAnIdCard)


def test_card_that_stops_answering_gives_up_and_recovers(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    event = read(insert_card, events, "matti", stop_after_reads=2)
    assert isinstance(event, CardFailed) and isinstance(event.error, CardNotAnswering)
    assert time.monotonic() - started < 4
    # Taking it out frees the reader; the next card is read normally.
    again = read(insert_card, events, "asa")
    assert isinstance(again, CardRead) and again.identity.first_name == "Åsa"


def test_card_pulled_mid_read(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    event = read(insert_card, events, "matti", pull_after_reads=2)
    assert isinstance(event, CardFailed) and isinstance(event.error, CardRemoved)
    _, ev = events
    ev.next(CardTakenOut)


def _identity(insert_card, events, holder: str = "matti", **behaviour):  # type: ignore[no-untyped-def]
    event = read(insert_card, events, holder, **behaviour)
    assert isinstance(event, CardRead)
    return event.identity


def test_right_pin_signs_and_the_signature_verifies(insert_card, events, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    identity = _identity(insert_card, events, pin="4321")
    pin = bytearray(b"4321")
    card_watcher.identify(VPCD_READER, identity, pin)
    assert pin == bytearray(4), "the PIN is zeroed after use"
    assert "4321" not in caplog.text and "Meikäläinen" not in caplog.text and "99919815R" not in caplog.text


def test_wrong_pin_tells_tries_left_and_right_pin_resets(insert_card, events, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    identity = _identity(insert_card, events, pin="4321")
    assert card_watcher.tries_left(VPCD_READER) == 3
    with pytest.raises(WrongPin) as err:
        card_watcher.identify(VPCD_READER, identity, bytearray(b"9999"))
    assert err.value.tries_left == 2
    assert card_watcher.tries_left(VPCD_READER) == 2
    card_watcher.identify(VPCD_READER, identity, bytearray(b"4321"))
    assert card_watcher.tries_left(VPCD_READER) == 3
    assert "9999" not in caplog.text


def test_blocked_pin_is_explained(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    identity = _identity(insert_card, events, pin="4321", tries_left=1)
    with pytest.raises(PinBlocked):
        card_watcher.identify(VPCD_READER, identity, bytearray(b"0000"))
    assert card_watcher.tries_left(VPCD_READER) == 0
    with pytest.raises(PinBlocked):
        card_watcher.identify(VPCD_READER, identity, bytearray(b"4321"))


def test_swapped_card_is_not_taken_for_the_first(insert_card, events) -> None:  # type: ignore[no-untyped-def]
    identity = _identity(insert_card, events, "matti")
    _identity(insert_card, events, "asa")
    with pytest.raises(CardRemoved):
        card_watcher.identify(VPCD_READER, identity, bytearray(b"1234"))


def test_pcscd_stopping_is_a_health_state_and_the_watcher_recovers(events) -> None:  # type: ignore[no-untyped-def]
    w, ev = events
    run_dir = Path(os.environ["RUN_DIR"])
    pidfile = run_dir / "pcscd.pid"
    os.kill(int(pidfile.read_text()), signal.SIGTERM)
    try:
        down = ev.next(ReadersChanged, timeout=10)
        assert not down.service_running
        assert w.health().state is HealthState.DOWN
        assert "service" in w.health().message
    finally:
        # Start it again the way scripts/daemons.d/20-pcscd.sh does, so later tests have it.
        for stale in ("/run/pcscd/pcscd.comm", "/run/pcscd/pcscd.pid"):
            Path(stale).unlink(missing_ok=True)
        with open(run_dir / "pcscd.log", "ab") as log:
            proc = subprocess.Popen(["pcscd", "--foreground"], stdout=log, stderr=log, start_new_session=True)
        pidfile.write_text(str(proc.pid))
    up = ev.next(ReadersChanged, timeout=15)
    assert up.service_running and VPCD_READER in up.readers
    assert w.health().state is HealthState.OK
    wait_reader(present=False)
