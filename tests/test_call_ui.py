"""The call as the resident sees it: the Qt call screen over the real room service, with a
second engine as the staff member (the staff's browser page has its own tests)."""
from __future__ import annotations

import os
import wave

import numpy as np
import pytest

from calls.events import CallState, ChatReceived, StaffEvent
from devices.camera import CameraOwner, CameraSource
from kiosk.i18n import set_language
from test_call_engine import Side, frames, loopback_ice, media, server  # noqa: F401  (fixtures)
from test_shell import click, start


@pytest.fixture
def calling(kiosk, qtbot, server, media, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    video, mic = media
    sink = tmp_path / "speaker.wav"
    monkeypatch.setenv("VIRTU_AUDIO_SINK", str(sink))
    camera = CameraOwner(CameraSource(str(video)))
    kiosk.ctx.camera = camera
    calls = kiosk.shell.calls
    calls.engine.camera, calls.engine.microphone = camera, str(mic)
    booth_id = kiosk.ctx.config.booth.id
    calls.booth_link = lambda line: server.invite(f"{booth_id}-{line}" if line else booth_id, "booth")
    staff = Side(None, mic, tmp_path / "staff.wav")
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["call"])
    assert kiosk.shell.current == "call_check"
    qtbot.waitUntil(lambda: kiosk.shell.screens["call_check"].view.frames > 3, timeout=10000)
    click(qtbot, kiosk.shell.screens["call_check"].join_button)
    screen = kiosk.shell.screens["call"]
    qtbot.waitUntil(lambda: screen.state is CallState.WAITING, timeout=10000)
    assert "Waiting for the staff member" in screen.status.text()
    staff.join(server.invite(booth_id, "staff"), "Nurse Aino")
    qtbot.waitUntil(lambda: screen.state is CallState.IN_CALL and bool(screen.remote_views), timeout=20000)
    yield screen, staff, sink, camera
    staff.engine.close()
    staff.engine.loop.stop()
    camera.stop()


def test_the_resident_sees_and_hears_the_staff_and_can_hang_up(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    screen, staff, sink, camera = calling
    assert not screen.status.isVisible(), "no waiting text once in the call"
    assert "recorded" in screen.privacy.text()
    qtbot.waitUntil(lambda: frames(staff) > 30, timeout=10000)
    kiosk.tick(5)
    qtbot.wait(600)
    assert screen.timer_label.text().startswith("0:")
    click(qtbot, screen.hang_up_button)
    qtbot.waitUntil(lambda: kiosk.shell.current == "home", timeout=10000)
    staff.wait(lambda: staff.engine.state is CallState.ENDED)
    qtbot.waitUntil(lambda: not camera.running, timeout=5000)
    with wave.open(str(sink)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    assert pcm.size and np.sqrt(np.mean(pcm.astype(np.float32) ** 2)) > 100, "the speaker was not silent"


def test_cant_hear_turns_up_tells_the_staff_and_opens_the_chat(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    screen, staff, _, _ = calling
    click(qtbot, screen.cant_hear_button)
    assert screen.side.currentIndex() == 1, "the chat is open"
    assert "300 %" in screen.volume_label.text() or screen.volume_step >= 3
    staff.wait(lambda: any(isinstance(e, StaffEvent) and e.name == "cant_hear" for e in staff.events), timeout=5)
    staff.engine.send_chat("Kirjoitan tähän.").result(5)
    qtbot.waitUntil(lambda: "Kirjoitan tähän." in screen.chat_view.toPlainText(), timeout=5000)
    for ch in "kiitos":
        click(qtbot, screen.keyboard.keys[ch])
    click(qtbot, screen.keyboard.enter_key)
    staff.wait(lambda: any(isinstance(e, ChatReceived) and e.text == "kiitos" for e in staff.events), timeout=5)
    assert "You: kiitos" in screen.chat_view.toPlainText()


def test_staff_leaving_is_said_plainly(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    screen, staff, _, _ = calling
    staff.engine.hang_up().result(10)
    qtbot.waitUntil(lambda: screen.state is CallState.ENDED, timeout=10000)
    assert "ended the call" in screen.ended_text.text()
    set_language("fi")
    assert "ended the call" not in screen.ended_text.text()


def test_the_wipe_ends_a_running_call(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    from session.lifecycle import EndReason

    screen, staff, _, camera = calling
    kiosk.ctx.lifecycle.end_now(EndReason.MAINTENANCE)
    assert kiosk.shell.calls.engine.state is CallState.ENDED
    staff.wait(lambda: not staff.engine.remotes, timeout=10)  # the staff saw the booth leave
    qtbot.waitUntil(lambda: not camera.running, timeout=5000)


def test_a_document_from_the_staff_lands_in_the_vault_and_is_announced(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    from calls.documents import Document

    screen, staff, _, _ = calling
    data = b"%PDF-1.4 staff's decision " + os.urandom(200_000)
    booth_id = next(iter(staff.engine.links))
    staff.engine.share(booth_id, Document("päätös.pdf", data, "application/pdf")).result(30)
    qtbot.waitUntil(lambda: "päätös.pdf" in kiosk.ctx.vault.names(), timeout=10000)
    assert kiosk.ctx.vault.read_bytes("päätös.pdf") == data
    assert kiosk.shell.notices.key == "call_document"


def test_the_resident_sees_what_goes_then_sends_a_document(kiosk, qtbot, calling) -> None:  # type: ignore[no-untyped-def]
    import io

    from PIL import Image

    from calls.events import DocumentReceived

    screen, staff, _, _ = calling
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, format="PDF")
    kiosk.ctx.vault.write_bytes("Skannaus.pdf", buf.getvalue())
    screen.retranslate()
    click(qtbot, screen.share_button)
    click(qtbot, screen.share_buttons["Skannaus.pdf"])
    assert "Skannaus.pdf" in screen.share_detail.text() and "1 page" in screen.share_detail.text()
    assert screen.share_preview.pixmap() is not None and not screen.share_preview.pixmap().isNull()
    click(qtbot, screen.send_button)
    qtbot.waitUntil(lambda: "Sent." in screen.share_detail.text(), timeout=20000)
    got = [e.document for e in staff.events if isinstance(e, DocumentReceived)]
    assert got and got[0].data == buf.getvalue()


def test_help_calls_the_contact_person_on_the_booths_help_line(kiosk, qtbot, server, media, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, mic = media
    monkeypatch.setenv("VIRTU_AUDIO_SINK", str(tmp_path / "speaker.wav"))
    calls = kiosk.shell.calls
    calls.engine.microphone = str(mic)
    booth_id = kiosk.ctx.config.booth.id
    calls.booth_link = lambda line: server.invite(f"{booth_id}-{line}" if line else booth_id, "booth")
    contact = Side(None, mic, tmp_path / "contact.wav")
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["help"])
    click(qtbot, kiosk.shell.screens["help"].call_button)
    click(qtbot, kiosk.shell.screens["call_check"].join_button)
    screen = kiosk.shell.screens["call"]
    qtbot.waitUntil(lambda: screen.state is CallState.WAITING, timeout=10000)
    try:
        contact.join(server.invite(f"{booth_id}-contact", "staff"), "Contact person")
        qtbot.waitUntil(lambda: screen.state is CallState.IN_CALL, timeout=20000)
    finally:
        contact.engine.close()
        contact.engine.loop.stop()
