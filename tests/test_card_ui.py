"""The ID card as a resident meets it: over real pcscd, the virtual reader and the virtual card."""
from __future__ import annotations

import dataclasses
import logging

import pytest
from test_shell import click, enter_pin, visible_texts

from kiosk.i18n import set_language
from session.lifecycle import State


@pytest.fixture(autouse=True)
def english(kiosk) -> None:  # type: ignore[no-untyped-def]
    """The demo booth speaks Finnish first; these tests read the English texts."""
    set_language("en")


def card_in(kiosk, qtbot, insert_card, holder: str = "matti", **behaviour):  # type: ignore[no-untyped-def]
    card = insert_card(holder, **behaviour)
    qtbot.waitUntil(lambda: kiosk.ctx.card_holder.identity is not None or kiosk.shell.notices.key is not None, timeout=5000)
    return card


def test_card_on_the_idle_screen_starts_a_session_and_greets_by_first_name(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    assert kiosk.shell.current == "attract"
    card_in(kiosk, qtbot, insert_card, "asa")
    assert kiosk.ctx.lifecycle.state is State.ACTIVE
    assert kiosk.shell.current == "home"
    title = kiosk.shell.screens["home"].title.text()
    assert "Åsa" in title and "Ärlig" not in title and "10000001N" not in title
    set_language("fi")
    assert "Åsa" in kiosk.shell.screens["home"].title.text()
    assert kiosk.shell.screens["home"].title.text() != title


def test_sami_name_is_greeted(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card, "sami")
    assert "Máret" in kiosk.shell.screens["home"].title.text()


def test_taking_the_card_out_asks_and_continue_keeps_the_session(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card = card_in(kiosk, qtbot, insert_card)
    card.remove()
    qtbot.waitUntil(lambda: kiosk.shell.notices.key == "card_removed", timeout=5000)
    assert kiosk.ctx.card_holder.identity is None, "the identity is forgotten with the card"
    assert "Matti" not in kiosk.shell.screens["home"].title.text()
    continue_button = kiosk.shell.notices.buttons[0]
    click(qtbot, continue_button)
    assert kiosk.shell.notices.key is None
    assert kiosk.ctx.lifecycle.state is State.ACTIVE and kiosk.shell.current == "home"


def test_taking_the_card_out_and_choosing_end_ends_the_session(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card = card_in(kiosk, qtbot, insert_card)
    card.remove()
    qtbot.waitUntil(lambda: kiosk.shell.notices.key == "card_removed", timeout=5000)
    click(qtbot, kiosk.shell.notices.buttons[1])
    assert kiosk.shell.current == "ending"


def test_config_can_end_at_once_when_the_card_comes_out(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    cfg = kiosk.ctx.config
    kiosk.ctx.config = dataclasses.replace(cfg, devices=dataclasses.replace(cfg.devices, card_removed="end"))
    card = card_in(kiosk, qtbot, insert_card)
    card.remove()
    qtbot.waitUntil(lambda: kiosk.shell.current == "ending", timeout=5000)
    assert kiosk.shell.notices.key is None


def test_unknown_card_is_explained_and_the_session_goes_on(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card, fineid=False)
    assert kiosk.shell.notices.key == "card_failed"
    assert "not an ID card" in kiosk.shell.notices.title.text()
    set_language("sv")
    assert "not an ID card" not in kiosk.shell.notices.title.text()
    click(qtbot, kiosk.shell.notices.buttons[0])
    assert kiosk.shell.notices.key is None
    assert kiosk.ctx.lifecycle.state is State.ACTIVE and kiosk.shell.current == "home"


def test_unreadable_card_is_explained(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    start_screen = kiosk.shell.current
    card_in(kiosk, qtbot, insert_card, None, certificate=b"\x30\x03\x02\x01\x00")
    assert start_screen == "attract"
    assert kiosk.shell.notices.key == "card_failed"
    assert "could not be read" in kiosk.shell.notices.title.text()


def identify_screen(kiosk, qtbot):  # type: ignore[no-untyped-def]
    home = kiosk.shell.screens["home"]
    click(qtbot, home.identify_button)
    assert kiosk.shell.current == "card_pin"
    screen = kiosk.shell.screens["card_pin"]
    qtbot.waitUntil(lambda: screen.pad.isEnabled() or "locked" in screen.status.text(), timeout=5000)
    return screen


def test_right_pin_identifies_the_resident(kiosk, qtbot, insert_card, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    card_in(kiosk, qtbot, insert_card, pin="2580")
    screen = identify_screen(kiosk, qtbot)
    assert "3" in screen.status.text()
    enter_pin(qtbot, screen.pad, "2580")
    qtbot.waitUntil(lambda: kiosk.ctx.card_holder.verified, timeout=5000)
    assert "Matti Juhani Meikäläinen" in screen.status.text()
    assert screen.done_button.isVisible()
    click(qtbot, screen.done_button)
    assert kiosk.shell.current == "home"
    assert not kiosk.shell.screens["home"].identify_button.isVisible(), "identified: nothing more to do"
    logged = caplog.text + "\n".join(kiosk.ctx.logs.lines())
    assert "2580" not in logged and "Meikäläinen" not in logged and "99919815R" not in logged


def test_wrong_pin_shows_tries_left_then_last_try_warning(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card, pin="2580")
    screen = identify_screen(kiosk, qtbot)
    enter_pin(qtbot, screen.pad, "1111")
    qtbot.waitUntil(lambda: "wrong" in screen.status.text(), timeout=5000)
    assert "2" in screen.status.text()
    assert screen.pad.isEnabled()
    enter_pin(qtbot, screen.pad, "1112")
    qtbot.waitUntil(lambda: "Only 1 try" in screen.status.text(), timeout=5000)
    assert not kiosk.ctx.card_holder.verified
    set_language("fi")
    assert "wrong" not in screen.status.text()


def test_blocked_pin_is_explained_and_the_session_goes_on(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card, pin="2580", tries_left=0)
    screen = identify_screen(kiosk, qtbot)
    assert "locked" in screen.status.text() and "PUK" in screen.status.text()
    assert not screen.pad.isEnabled()
    assert kiosk.shell.home_button.isVisible(), "the resident has a way back"
    click(qtbot, kiosk.shell.home_button)
    assert kiosk.ctx.lifecycle.state is State.ACTIVE


def test_expired_card_greets_but_cannot_identify(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card, "liisa", expired=True)
    assert "Liisa" in kiosk.shell.screens["home"].title.text()
    click(qtbot, kiosk.shell.screens["home"].identify_button)
    screen = kiosk.shell.screens["card_pin"]
    assert "expired" in screen.status.text()
    assert not screen.pad.isEnabled()


def test_session_end_forgets_the_card_holder(kiosk, qtbot, insert_card) -> None:  # type: ignore[no-untyped-def]
    card_in(kiosk, qtbot, insert_card)
    click(qtbot, kiosk.shell.end_button)
    click(qtbot, kiosk.shell.screens["ending"].end_button)
    assert kiosk.ctx.card_holder.identity is None
    assert "Matti" not in " ".join(visible_texts(kiosk.shell))

