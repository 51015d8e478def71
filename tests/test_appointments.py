"""The appointment feed: only the current slot, its service and link; names never read."""
from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator

import pytest

from calls.appointments import FeedError, current, fetch, parse

FEED = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//booking//test//
BEGIN:VEVENT
UID:1
DTSTART:20261124T120000Z
DTEND:20261124T123000Z
SUMMARY:Kela: Matti Meikalainen
DESCRIPTION:Resident Matti Meikalainen, phone 040 123
CATEGORIES:KELA
URL:https://rooms.example/join?token=abc
END:VEVENT
BEGIN:VEVENT
UID:2
DTSTART:20261124T130000Z
DURATION:PT30M
SUMMARY:Health: Liisa Virtanen
CATEGORIES:Health
URL:https://rooms.example/join?token=def
END:VEVENT
BEGIN:VEVENT
UID:3
DTSTART;VALUE=DATE:20261124
SUMMARY:Booth closed for cleaning
END:VEVENT
BEGIN:VEVENT
UID:4
DTSTART:20261124T140000Z
DTEND:20261124T143000Z
SUMMARY:No link
END:VEVENT
END:VCALENDAR
"""


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 11, 24, hour, minute, tzinfo=dt.UTC)


def test_only_times_service_and_link_are_kept() -> None:
    slots = parse(FEED)
    assert [(a.service, a.link) for a in slots] == [("kela", "https://rooms.example/join?token=abc"), ("health", "https://rooms.example/join?token=def")]
    assert slots[1].end - slots[1].start == dt.timedelta(minutes=30)
    shown = repr(slots) + str(vars(slots[0]))
    assert "Matti" not in shown and "Liisa" not in shown and "token" not in repr(slots)


def test_join_opens_ten_minutes_before_and_closes_at_the_end() -> None:
    slots = parse(FEED)
    assert current(slots, at(11, 49)) is slots[0] and not slots[0].open_at(at(11, 49))
    assert slots[0].open_at(at(11, 50))
    assert current(slots, at(12, 20)) is slots[0]
    assert current(slots, at(12, 31)) is slots[1] and not slots[1].open_at(at(12, 31))
    assert current(slots, at(13, 31)) is None


def test_broken_feed_is_a_clear_error() -> None:
    with pytest.raises(FeedError):
        parse(b"this is not a calendar")


@pytest.fixture
def feed_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/feed.ics":
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.end_headers()
                self.wfile.write(FEED)
            else:
                self.send_error(500)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_over_http_and_server_errors(feed_server: str) -> None:
    assert len(fetch(feed_server + "/feed.ics")) == 2
    with pytest.raises(FeedError, match="HTTPError"):
        fetch(feed_server + "/broken")
    with pytest.raises(FeedError):
        fetch("http://127.0.0.1:9/feed.ics", timeout=2)
