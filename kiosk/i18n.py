"""The one place UI text is translated.

English text is the gettext msgid, with a context (msgctxt) per screen; the catalogs
are `assets/i18n/<lang>.po`, read with Babel so there is no compile step. Screens call
`tr(context, english)` every time they (re)translate, so a language switch is instant.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
SOURCE_LANGUAGE = "en"

# Each language's name in itself: the same on every screen, never translated.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "se": "Sámegiella", "en": "English"}

Catalog = dict[tuple[str, str], str]
_catalogs: dict[str, Catalog] = {}
_current = "fi"
_listeners: list[Callable[[str], None]] = []


def load_catalog(lang: str) -> Catalog:
    """(context, English) → translation, leaving out entries with an empty msgstr."""
    if lang == SOURCE_LANGUAGE:
        return {}
    if lang not in _catalogs:
        path = CATALOG_DIR / f"{lang}.po"
        with path.open("rb") as f:
            cat = read_po(f, locale=None, abort_invalid=True)
        _catalogs[lang] = {
            (m.context or "", str(m.id)): str(m.string) for m in cat if m.id and m.string and "fuzzy" not in m.flags
        }
    return _catalogs[lang]


def language() -> str:
    return _current


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGE_NAMES:
        raise ValueError(f"unknown language {lang!r}")
    load_catalog(lang)
    if lang == _current:
        return
    _current = lang
    log.info("language switched")
    for listener in list(_listeners):
        listener(lang)


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Returns the call that unsubscribes again (a shell that is torn down must not be called)."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def mark(context: str, text: str) -> str:
    """Marks a msgid for the catalog without translating it now (it is translated where
    it is shown, e.g. an unsaved item's kind on the ending screen)."""
    return text


def tr(context: str, text: str, **params: object) -> str:
    """Translate into the current language."""
    return translate(_current, context, text, **params)


def translate(lang: str, context: str, text: str, **params: object) -> str:
    """Translate into a given language (the attract screen shows all of them at once).

    A missing translation falls back to English and is logged once per text; the
    catalog tests keep that from reaching a booth.
    """
    translated = load_catalog(lang).get((context, text))
    if translated is None:
        if lang != SOURCE_LANGUAGE:
            _warn_missing(lang, context)
        translated = text
    return translated.format(**params) if params else translated


_warned: set[tuple[str, str]] = set()


def _warn_missing(lang: str, context: str) -> None:
    if (lang, context) not in _warned:
        _warned.add((lang, context))
        log.warning("missing %s translation in context %s", lang, context)
