"""Every string a resident or contact person can see exists in every language and is not English."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk import i18n
from kiosk.i18n import CATALOG_DIR
from kiosk.i18n_catalog import SAME_EVERYWHERE, TRANSLATED, extract

SOURCE = {(m.context, m.id) for m in extract() if m.id}
ENGLISH = {msgid for _ctx, msgid in SOURCE}


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with (CATALOG_DIR / f"{lang}.po").open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_in_the_code_is_translated(lang: str) -> None:
    have = {(m.context, m.id): m for m in catalog(lang) if m.id}
    missing = sorted(k for k in SOURCE if k not in have or not have[k].string)
    assert not missing, f"{lang}.po lacks: {missing[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_is_the_english_text(lang: str) -> None:
    same = sorted(m.id for m in catalog(lang) if m.id and m.string == m.id and m.id not in SAME_EVERYWHERE)
    assert not same, f"{lang}.po shows English: {same}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang: str) -> None:
    import string

    fmt = string.Formatter()
    for m in catalog(lang):
        if m.id and m.string:
            want = {f for _, f, _, _ in fmt.parse(m.id) if f}
            got = {f for _, f, _, _ in fmt.parse(m.string) if f}
            assert want == got, f"{lang}: {m.id!r} → {m.string!r}"


def test_every_entry_has_a_note_for_the_reviewer() -> None:
    bare = sorted(m.id for m in extract() if m.id and not m.auto_comments)
    assert not bare, f"add a '# TRANSLATORS:' comment above: {bare}"


def test_sami_entries_are_marked_unreviewed() -> None:
    entries = [m for m in catalog("se") if m.id]
    assert entries and all("unreviewed" in m.flags for m in entries)


SCREEN_SETUPS = ["attract", "home", "help", "unavailable", "ending", "feedback", "maintenance", "maintenance-dashboard", "idle", "cleaning", "closed", "barcode", "card_pin", "call_check", "call", "internet", "folder", "scan", "print", "copy"]


def visible_texts(root: QWidget) -> list[str]:
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        if w.property("lang") == "en":
            continue  # the attract screen's English line, shown beside the others on purpose
        if w.isVisibleTo(root) and isinstance(w, (QLabel, QAbstractButton)) and w.text():
            texts.append(w.text())
    return texts


def english_leaks(text: str) -> list[str]:
    """English msgids (whole, or a whole line) shown as they are."""
    lines = {text, *text.splitlines(), *(line.lstrip("• ") for line in text.splitlines())}
    return [line for line in lines if line in ENGLISH and line not in SAME_EVERYWHERE]


@pytest.mark.qt
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("screen", SCREEN_SETUPS)
def test_every_screen_renders_with_no_untranslated_text(kiosk, qtbot, caplog, lang: str, screen: str) -> None:  # type: ignore[no-untyped-def]
    from kiosk.qt_main import show_screen

    shell = kiosk.shell
    if screen == "maintenance-dashboard":
        show_screen(shell, "maintenance")
        shell.screens["maintenance"].show_dashboard()
    elif screen == "closed":
        shell.navigate("closed")
    else:
        show_screen(shell, screen)
    caplog.clear()
    shell.set_language(lang)
    texts = visible_texts(shell)
    assert texts, "nothing visible"
    leaks = [leak for t in texts for leak in english_leaks(t)]
    assert not leaks, f"{screen} in {lang} shows English: {leaks}"
    assert "missing" not in caplog.text, caplog.text
    assert i18n.language() == lang
