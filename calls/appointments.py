"""The booth's appointments from the booking system's iCalendar feed.

The feed lists every resident's bookings, so nothing personal leaves this module: an
Appointment carries only its times, its service and its join link. The event's SUMMARY
and DESCRIPTION (where booking systems put names) are never read. The service comes from
CATEGORIES (social, health, kela, te); the join link from the URL property.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import requests
from icalendar import Calendar

log = logging.getLogger(__name__)

OPENS_BEFORE = dt.timedelta(minutes=10)
SERVICES = ("social", "health", "kela", "te")
MAX_FEED_BYTES = 2 * 1024 * 1024


class FeedError(Exception):
    """The feed could not be fetched or read; the message is English, without content."""


@dataclass(frozen=True, repr=False)
class Appointment:
    start: dt.datetime
    end: dt.datetime
    service: str
    """One of SERVICES, or "" when the feed does not say."""
    link: str

    def opens_at(self) -> dt.datetime:
        return self.start - OPENS_BEFORE

    def open_at(self, now: dt.datetime) -> bool:
        return self.opens_at() <= now < self.end

    def __repr__(self) -> str:
        return f"Appointment({self.start.isoformat()}–{self.end.isoformat()}, {self.service or '-'}, link=<hidden>)"


def parse(data: bytes) -> list[Appointment]:
    try:
        cal = Calendar.from_ical(data)
    except ValueError as exc:
        raise FeedError("the appointment feed is not valid iCalendar") from exc
    out: list[Appointment] = []
    for event in cal.walk("VEVENT"):
        try:
            start = _aware(event.decoded("DTSTART"))
            end = _aware(event.decoded("DTEND")) if "DTEND" in event else start + event.decoded("DURATION")
        except (KeyError, TypeError, ValueError):
            log.info("appointment feed: an event without usable times was skipped")
            continue
        link = str(event.get("URL", ""))
        if not link.startswith(("http://", "https://")):
            continue  # no way to join it from the booth
        cats = event.get("CATEGORIES")
        words = [str(w).strip().lower() for c in (cats if isinstance(cats, list) else [cats] if cats else []) for w in c.cats]
        service = next((w for w in words if w in SERVICES), "")
        out.append(Appointment(start, end, service, link))
    return sorted(out, key=lambda a: a.start)


def _aware(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.astimezone()  # floating time = the booth's local time
    if isinstance(value, dt.date):
        raise ValueError("all-day events are not appointments")
    raise TypeError("not a time")


def fetch(url: str, timeout: float = 10.0) -> list[Appointment]:
    """Blocking: call off the UI thread."""
    try:
        with requests.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(MAX_FEED_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise FeedError(f"the appointment feed could not be fetched ({type(exc).__name__})") from exc
    if len(data) > MAX_FEED_BYTES:
        raise FeedError("the appointment feed is too large")
    return parse(data)


def current(appointments: list[Appointment], now: dt.datetime) -> Appointment | None:
    """The slot to show now: the one open for joining, else the next one today."""
    for a in appointments:
        if a.open_at(now):
            return a
    today = [a for a in appointments if a.start > now and a.start.date() == now.astimezone(a.start.tzinfo).date()]
    return today[0] if today else None
