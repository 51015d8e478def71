"""Keeps the .po catalogs in step with the code (`python -m kiosk.i18n_catalog`).

Strings are found with Babel's extractor: `tr(context, text)`, `translate(lang, context,
text)` and `N_(text)` (health sentences, context "health"); the `# TRANSLATORS:` comment
above a call becomes the entry's note for the reviewer.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from kiosk.i18n import CATALOG_DIR

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "devices", "session")
KEYWORDS = {"tr": ((1, "c"), 2), "translate": ((2, "c"), 3), "mark": ((1, "c"), 2), "N_": (1,)}
TRANSLATED = ("fi", "sv", "se")

# Words that are the same in every language, so showing them untranslated is right.
SAME_EVERYWHERE = {"OK", "Kela", "Virtu", "Suomi", "Svenska", "Sámegiella", "English", "—"}

HEADERS = {
    "fi": "Finnish. Written by the developers; not yet checked by a professional translator.",
    "sv": "Swedish. Written by the developers; not yet checked by a native speaker.",
    "se": "Northern Sámi. UNREVIEWED: drafted without a native speaker. Every entry carries the\n"
    "flag 'unreviewed' until a Sámi speaker has checked it; remove the flag entry by entry.",
}


def extract() -> Catalog:
    cat = Catalog(project="virtu-kiosk", charset="utf-8")
    for package in PACKAGES:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / package), keywords=KEYWORDS, comment_tags=["TRANSLATORS:"], strip_comment_tags=True
        ):
            if context is None:  # only N_() has no context: health sentences
                context = "health"
            cat.add(message, locations=[(f"{package}/{filename}", lineno)], auto_comments=comments, context=context)
    return cat


def update() -> None:
    template = extract()
    for lang in TRANSLATED:
        path = CATALOG_DIR / f"{lang}.po"
        if path.exists():
            with path.open("rb") as f:
                cat = read_po(f)
        else:
            cat = Catalog(locale=None, project="virtu-kiosk", charset="utf-8")
        old_flags = {(m.context, m.id): set(m.flags) for m in cat if m.id}
        cat.update(template, no_fuzzy_matching=True)
        cat.header_comment = "# " + HEADERS[lang].replace("\n", "\n# ")
        for m in cat:
            if not m.id:
                continue
            m.flags = old_flags.get((m.context, m.id), set()) - {"fuzzy"}
            if lang == "se" and (not m.string or "unreviewed" in old_flags.get((m.context, m.id), {"unreviewed"})):
                m.flags.add("unreviewed")
        with path.open("wb") as f:
            write_po(f, cat, width=100, omit_header=False, ignore_obsolete=True, include_previous=False)
        missing = sum(1 for m in cat if m.id and not m.string)
        print(f"{path.relative_to(ROOT)}: {len(cat)} entries, {missing} untranslated")


if __name__ == "__main__":
    update()
    sys.exit(0)
