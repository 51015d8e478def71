"""My folder as a resident uses it, against the real stand-in folder service on loopback."""
from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PIL import Image

from kiosk.i18n import set_language
from server.folder.app import FolderService, serve
from session.lifecycle import EndReason, State
from test_shell import click, start

PASSWORD = "kela2026"


def pdf(pages: int) -> bytes:
    images = [Image.new("RGB", (400, 560), (255, 255 - 40 * i, 255)) for i in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:])
    return buf.getvalue()


@pytest.fixture
def folder_service(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "folders"
    (root / "demo" / "Päätökset").mkdir(parents=True)
    (root / "demo" / "Päätökset" / "Kelan päätös.pdf").write_bytes(pdf(2))
    (root / "demo" / "muistio.txt").write_bytes(b"not a picture")
    running = serve(FolderService(root, [], {"demo": PASSWORD}))
    yield running.url
    running.stop()


@pytest.fixture
def folder(kiosk, qtbot, folder_service):  # type: ignore[no-untyped-def]
    cfg = kiosk.ctx.config
    kiosk.ctx.config = dataclasses.replace(cfg, services=dataclasses.replace(cfg.services, oma_kansio_url=folder_service + "/"))
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["folder"])
    assert kiosk.shell.current == "folder"
    return kiosk.shell.screens["folder"]


def type_on(qtbot, keyboard, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        click(qtbot, keyboard.keys[ch])


def sign_in(qtbot, screen, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, screen.password_button)
    type_on(qtbot, screen.password_keyboard, "demo")
    screen.password_field.setFocus()
    type_on(qtbot, screen.password_keyboard, password)
    assert screen.password_field.text() == password and screen.user_field.text() == "demo"
    click(qtbot, screen.password_keyboard.enter_key)


def names(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [screen.listing.item(i).data(256).name for i in range(screen.listing.count())]


def test_app_password_sign_in_lists_the_folder(folder, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert not folder.card_button.isEnabled(), "no ID card in the reader"
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: names(folder) == ["Päätökset", "muistio.txt"], timeout=5000)
    assert folder.password_field.text() == "", "the password is not kept in the field"


def test_a_wrong_password_is_said_plainly(folder, qtbot) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, folder, "wrong")
    qtbot.waitUntil(lambda: "no longer signed in" in folder.status.text(), timeout=5000)
    assert folder.pages.currentIndex() == 0


def test_open_a_pdf_turn_pages_and_zoom(kiosk, folder, qtbot) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: folder.listing.count() == 2, timeout=5000)
    folder.listing.setCurrentRow(0)
    click(qtbot, folder.open_button)
    qtbot.waitUntil(lambda: names(folder) == ["Kelan päätös.pdf"], timeout=5000)
    folder.listing.setCurrentRow(0)
    click(qtbot, folder.open_button)
    qtbot.waitUntil(lambda: folder.pages.currentIndex() == 4, timeout=5000)
    assert folder.page_label.text() == "Page 1 / 2"
    width = folder.viewer.picture.pixmap().width()
    click(qtbot, folder.next_button)
    assert folder.page_label.text() == "Page 2 / 2"
    click(qtbot, folder.zoom_in)
    assert folder.viewer.picture.pixmap().width() > width
    assert "Kelan päätös.pdf" in kiosk.ctx.vault.names(), "opened documents live in the vault"
    click(qtbot, folder.print_button)
    assert kiosk.shell.current == "print"
    assert kiosk.shell.screens["print"].document == "Kelan päätös.pdf"


def test_a_file_that_cannot_be_shown_is_said_plainly(folder, qtbot) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: folder.listing.count() == 2, timeout=5000)
    folder.listing.setCurrentRow(1)
    click(qtbot, folder.open_button)
    qtbot.waitUntil(lambda: "cannot be shown" in folder.status.text(), timeout=5000)


def test_save_a_session_document_twice_keeps_both(kiosk, folder, qtbot) -> None:  # type: ignore[no-untyped-def]
    kiosk.ctx.vault.write_bytes("skannaus.pdf", pdf(1))
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: folder.listing.count() == 2, timeout=5000)
    for expected in ("Saved to your folder", "a file with the same name was already there"):
        click(qtbot, folder.save_here_button)
        folder.pick_list.setCurrentRow(0)
        click(qtbot, folder.pick_button)
        qtbot.waitUntil(lambda: expected in folder.status.text(), timeout=5000)
    qtbot.waitUntil(lambda: {"skannaus.pdf", "skannaus (2).pdf"} <= set(names(folder)), timeout=5000)


def test_new_folder_rename_and_delete_with_a_question(folder, qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: folder.listing.count() == 2, timeout=5000)
    click(qtbot, folder.new_folder_button)
    type_on(qtbot, folder.name_keyboard, "verot")
    click(qtbot, folder.name_keyboard.enter_key)
    qtbot.waitUntil(lambda: "verot" in names(folder), timeout=5000)
    folder.listing.setCurrentRow(names(folder).index("verot"))
    click(qtbot, folder.rename_button)
    type_on(qtbot, folder.name_keyboard, "2026")
    click(qtbot, folder.name_keyboard.enter_key)
    qtbot.waitUntil(lambda: "verot2026" in names(folder), timeout=5000)
    folder.listing.setCurrentRow(names(folder).index("verot2026"))
    click(qtbot, folder.delete_button)
    assert kiosk.shell.notices.key == "folder_delete"
    click(qtbot, kiosk.shell.notices.buttons[0])  # keep it
    assert "verot2026" in names(folder)
    click(qtbot, folder.delete_button)
    click(qtbot, kiosk.shell.notices.buttons[1])
    qtbot.waitUntil(lambda: "verot2026" not in names(folder), timeout=5000)


def test_session_end_signs_out_and_the_token_no_longer_works(kiosk, folder, qtbot, folder_service) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, folder)
    qtbot.waitUntil(lambda: folder.listing.count() == 2, timeout=5000)
    token = folder.token
    kiosk.ctx.lifecycle.end_now(EndReason.RESIDENT)
    assert kiosk.ctx.lifecycle.state is State.ATTRACT
    assert folder.client is None and folder.listing.count() == 0
    r = requests.request("PROPFIND", folder_service + "/dav/", headers={"Authorization": f"Bearer {token}", "Depth": "1"})
    assert r.status_code == 401


def test_no_service_is_said_plainly(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    cfg = kiosk.ctx.config
    kiosk.ctx.config = dataclasses.replace(cfg, services=dataclasses.replace(cfg.services, oma_kansio_url="http://127.0.0.1:9/"))
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["folder"])
    screen = kiosk.shell.screens["folder"]
    sign_in(qtbot, screen)
    qtbot.waitUntil(lambda: "no connection" in screen.status.text(), timeout=5000)


def test_a_failed_save_is_listed_as_not_saved_at_the_end(kiosk, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "folders2"
    running = serve(FolderService(root, [], {"demo": PASSWORD}))
    cfg = kiosk.ctx.config
    kiosk.ctx.config = dataclasses.replace(cfg, services=dataclasses.replace(cfg.services, oma_kansio_url=running.url + "/"))
    set_language("en")
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["folder"])
    screen = kiosk.shell.screens["folder"]
    sign_in(qtbot, screen)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 3 and screen.status.text() == "", timeout=5000)
    kiosk.ctx.vault.write_bytes("skannaus.pdf", pdf(1))
    running.stop()  # the service goes away before the save
    click(qtbot, screen.save_here_button)
    screen.pick_list.setCurrentRow(0)
    click(qtbot, screen.pick_button)
    qtbot.waitUntil(lambda: "no connection" in screen.status.text(), timeout=20000)
    assert [p.kind for p in kiosk.ctx.lifecycle.pending()] == ["A document for Oma kansio"]
    click(qtbot, kiosk.shell.end_button)
    ending = kiosk.shell.screens["ending"]
    assert "not saved yet" in ending.pending.text() and "Oma kansio" in ending.pending.text()
    assert not ending.end_button.isEnabled(), "nothing unsaved is wiped without the resident choosing"
