"""Before a call: the appointment from the booking feed, opening 10 minutes before its start."""
from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import threading
from collections.abc import Iterator

import pytest
from test_shell import click, start, visible_texts

from kiosk.i18n import set_language

START = dt.datetime.fromtimestamp(1_800_000_000 + 15 * 60, dt.UTC)  # the kiosk fixture's clock + 15 min


def feed(start: dt.datetime) -> bytes:
    end = start + dt.timedelta(minutes=30)
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//booking//test//
BEGIN:VEVENT
UID:1
DTSTART:{start:%Y%m%dT%H%M%SZ}
DTEND:{end:%Y%m%dT%H%M%SZ}
SUMMARY:Kela: Matti Meikalainen
CATEGORIES:KELA
URL:http://127.0.0.1:9/join?token=abc
END:VEVENT
END:VCALENDAR
""".encode()


@pytest.fixture
def feed_url() -> Iterator[str]:
    body = feed(START)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/feed.ics":
                self.send_error(503)
                return
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def with_feed(kiosk, url: str) -> None:  # type: ignore[no-untyped-def]
    cfg = kiosk.ctx.config
    kiosk.ctx.config = dataclasses.replace(cfg, services=dataclasses.replace(cfg.services, appointments_url=url))


def test_appointment_shows_service_and_opens_ten_minutes_before(kiosk, qtbot, feed_url) -> None:  # type: ignore[no-untyped-def]
    with_feed(kiosk, feed_url + "/feed.ics")
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["call"])
    screen = kiosk.shell.screens["call_check"]
    assert kiosk.shell.current == "call_check"
    qtbot.waitUntil(lambda: "Kela" in screen.slot_text.text(), timeout=5000)
    assert "You can join from" in screen.slot_text.text()
    assert not screen.join_button.isEnabled()
    assert not any("Matti" in t for t in visible_texts(kiosk.shell)), "the feed's names are never shown"
    set_language("sv")
    assert "FPA" in screen.slot_text.text()
    kiosk.tick(6 * 60)  # 9 minutes before the start
    screen._show_level()
    assert screen.join_button.isEnabled()
    assert "join from" not in screen.slot_text.text()
    click(qtbot, screen.join_button)
    assert kiosk.shell.current == "call"
    assert kiosk.shell.screens["call"].link == "http://127.0.0.1:9/join?token=abc"


def test_unreadable_feed_says_so_and_the_booth_line_still_works(kiosk, qtbot, feed_url) -> None:  # type: ignore[no-untyped-def]
    with_feed(kiosk, feed_url + "/broken")
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["call"])
    screen = kiosk.shell.screens["call_check"]
    qtbot.waitUntil(lambda: "could not be read" in screen.slot_text.text(), timeout=5000)
    assert screen.join_button.isEnabled()


@pytest.mark.parametrize("level, moves", [(0.4, True), (0.0, False)])
def test_the_sound_bar_shows_what_the_microphone_hears(kiosk, qtbot, tmp_path, level, moves) -> None:  # type: ignore[no-untyped-def]
    """A WAV file stands in for the microphone: a tone fills the bar, silence leaves it empty."""
    from PySide6.QtGui import QColor

    from devices.audio import test_tone, write_wav

    mic = tmp_path / "mic.wav"
    write_wav(mic, test_tone(3.0, level=level))
    kiosk.shell.calls.engine.microphone = str(mic)
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["call"])
    screen = kiosk.shell.screens["call_check"]
    if moves:
        qtbot.waitUntil(lambda: screen.meter.level > 0.6, timeout=5000)
    else:
        qtbot.wait(1500)
        assert screen.meter.level < 0.05
    picture = screen.meter.grab().toImage()
    row = picture.height() // 2
    green = sum(1 for x in range(picture.width()) if picture.pixelColor(x, row) == QColor("#1f7a3a"))
    assert (green > picture.width() * 0.5) is moves, "the bar on screen shows the level"
