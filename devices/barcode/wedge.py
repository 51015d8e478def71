"""USB barcode scanners that type like a keyboard ("keyboard wedge").

A scanner types a whole code in a burst (a few ms a key) ending in Enter; a person
types at 80–300 ms a key. The detector is pure logic fed (timestamp, key text) events
with injected timestamps: it reports a Scan when a burst qualifies and never touches
the UI. If the burst went into a focused text field, the Scan says how many keys it
was, so the shell can take them back out of the field; that decision is the shell's.

Layout repair: scanners are usually set to a US layout and send US key positions; a
booth with a Finnish or Swedish keymap turns those positions into other characters.
The two Nordic layouts are identical on every key a URL uses. US character → what a
FI/SE keymap shows (same physical key, same Shift state):

    /  → -      ?  → _      :  → Ö      ;  → ö      -  → +      _  → ?
    =  → ´ (dead)           +  → ` (dead)           &  → /      @  → "
    (  → )      )  → =      *  → (      ^  → &      $  → ¤      #  → # (same)
    '  → ä      "  → Ä      [  → å      {  → Å      ]  → ¨ (dead)  }  → ^ (dead)
    \\ → '      |  → *      `  → §      ~  → ½      <  → ;      >  → :
    letters, digits, space, . , ! % are the same.

Dead keys do not type on their own: ´ followed by a letter arrives as one accented
letter (US "=e" → "é"), so accented letters are decomposed back into "=" + letter (and
likewise for `, ¨ and ^). So `https://x.fi/join?room=r` arrives as
`httpsÖ--x.fi-join_roomŕ` and is repaired to the original. One ambiguity remains:
the dead ¨ before a or o gives ä or ö, the same as US ' and ; (repaired as those, the
commoner characters in codes).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ENTER_KEYS = frozenset({"\r", "\n"})
MIN_CHARS = 6
MAX_GAP_S = 0.030

US_ON_NORDIC = {
    "-": "/", "_": "?", "Ö": ":", "ö": ";", "+": "-", "?": "_",
    "´": "=", "`": "+", "/": "&", '"': "@",
    ")": "(", "=": ")", "(": "*", "&": "^", "¤": "$",
    "ä": "'", "Ä": '"', "å": "[", "Å": "{", "¨": "]", "^": "}",
    "'": "\\", "*": "|", "§": "`", "½": "~", ";": "<", ":": ">",
}
"""What a FI/SE keymap shows → what the US-layout scanner meant."""
_DEAD = {"\u0301": "´", "\u0300": "`", "\u0308": "¨", "\u0302": "^"}
"""Combining marks of the Nordic dead keys → the dead key's own character."""
NORDIC_LAYOUTS = frozenset({"fi", "se"})


@dataclass(frozen=True)
class Scan:
    text: str
    keys: int
    """Keys the burst typed before Enter: what to remove from a focused field."""
    started: float
    ended: float


class WedgeDetector:
    """Feed every key event; a Scan comes back on the Enter that ends a burst."""

    def __init__(self, min_chars: int = MIN_CHARS, max_gap_s: float = MAX_GAP_S) -> None:
        self._min_chars = min_chars
        self._max_gap = max_gap_s
        self._chars: list[str] = []
        self._started = 0.0
        self._last: float | None = None

    def feed(self, timestamp: float, text: str) -> Scan | None:
        """text is the key's text as the toolkit reports it ("" for a bare modifier,
        which is ignored; "\\r" or "\\n" for Enter)."""
        if not text:
            return None
        fast = self._last is not None and timestamp - self._last <= self._max_gap
        if not fast:
            self._chars, self._started = [], timestamp
        self._last = timestamp
        if text in ENTER_KEYS:
            burst, self._chars, self._last = self._chars, [], None
            if fast and len(burst) >= self._min_chars:
                return Scan("".join(burst), len(burst), self._started, timestamp)
            return None
        self._chars.append(text)
        return None


def repair_layout(text: str, host_layout: str) -> str:
    """The text a US-layout scanner meant, given what the host keymap ("fi", "se",
    "us", ...) made of it. Unknown layouts and "us" pass through unchanged."""
    if host_layout.lower() not in NORDIC_LAYOUTS:
        return text
    out = []
    for ch in text:
        base, *marks = unicodedata.normalize("NFD", ch) if ch not in US_ON_NORDIC else ch
        if marks and all(m in _DEAD for m in marks) and base.isascii():
            out.extend(US_ON_NORDIC[_DEAD[m]] for m in marks)
            out.append(base)
        else:
            out.append(US_ON_NORDIC.get(ch, ch))
    return "".join(out)
