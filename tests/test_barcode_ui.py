"""A USB barcode scanner typing into the kiosk, as the top-level window receives it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from session.lifecycle import State
from tests.test_shell import click, start

pytestmark = pytest.mark.qt


def type_keys(kiosk, text: str, gap_s: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    """Keys as the platform delivers them to the window; gap_s apart on the kiosk's clock."""
    window = kiosk.shell.windowHandle()
    for ch in text + "\r":
        key = Qt.Key_Return if ch == "\r" else Qt.Key_unknown
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(window, QKeyEvent(kind, key, Qt.NoModifier, ch))
        if gap_s:
            kiosk.clock.advance(gap_s)
    QApplication.processEvents()


def test_a_scanned_link_is_shown_not_opened_and_does_not_press_the_focused_tile(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    shell.screens["home"].tiles["help"].setFocus()
    type_keys(kiosk, "https://www.kela.fi/asiointi")
    assert shell.current == "barcode"
    screen = shell.screens["barcode"]
    assert screen.text.toPlainText() == "https://www.kela.fi/asiointi"
    assert "www.kela.fi" in screen.kind.text()


def test_a_scanner_on_us_layout_under_a_finnish_keymap_is_repaired(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    type_keys(kiosk, "httpsÖ--www.kela.fi-asiointi")  # what a FI keymap makes of the US key positions
    assert shell.screens["barcode"].text.toPlainText() == "https://www.kela.fi/asiointi"


def test_a_person_typing_slowly_is_not_a_scan(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    shell.screens["home"].tiles["help"].setFocus()
    type_keys(kiosk, "abcdefgh", gap_s=0.2)
    qtbot.waitUntil(lambda: shell.current == "help", timeout=1000)  # Enter pressed the focused tile


def test_a_scan_on_the_idle_screen_starts_a_session_and_plain_text_can_be_copied(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell, ctx = kiosk.shell, kiosk.ctx
    type_keys(kiosk, "Asiakasnumero 123-456")
    assert ctx.lifecycle.state is State.ACTIVE and shell.current == "barcode"
    screen = shell.screens["barcode"]
    assert screen.kind.text() == "Koodissa on tämä teksti:"
    click(qtbot, screen.copy_button)
    assert QGuiApplication.clipboard().text() == "Asiakasnumero 123-456"
    click(qtbot, shell.end_button)
    click(qtbot, shell.screens["ending"].end_button)
    assert QGuiApplication.clipboard().text() == ""  # the wipe clears it


def test_hostile_codes_are_cleaned_and_unknown_links_are_only_text(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    type_keys(kiosk, "https://kela.fi.evil.example/\u202egnp.exe")
    screen = shell.screens["barcode"]
    assert screen.text.toPlainText() == "https://kela.fi.evil.example/gnp.exe"  # no bidi override
    assert screen.kind.text() == "Koodissa on tämä teksti:"  # not on the allow-list: not a link


def test_a_burst_into_a_text_field_stays_in_the_field(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    field = QLineEdit(shell.screens["home"])
    field.show()
    field.setFocus()
    type_keys(kiosk, "ABC123456")
    assert field.text() == "ABC123456"
    assert shell.current == "home"


def test_a_scanned_call_invitation_offers_to_join_that_call(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    link = kiosk.ctx.config.services.room_service_url.rstrip("/") + "/join?token=eyJyb29tIjoiYSJ9.c2ln"
    type_keys(kiosk, link)
    assert shell.current == "barcode"
    screen = shell.screens["barcode"]
    assert screen.join_button.isVisible()
    assert not screen.text.isVisible(), "the invitation's token is not shown"
    click(qtbot, screen.join_button)
    assert shell.current == "call_check"
    assert shell.screens["call_check"].link == link
