"""Untrusted barcode payloads: sanitised and classified, never acted upon here.

Anything can be printed in a code (a phishing link, a 1 MB blob, terminal escapes,
right-to-left overrides that disguise a host), so the text is cut to a length limit,
stripped of control and format characters, and then sorted into three kinds: a room
invitation for the configured room service, a web link on the allow-list, or plain
text. Opening or joining is the shell's decision; this module only says what it is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

MAX_CHARS = 2048
"""QR's own maximum is ~4 k characters; nothing the booth acts on is longer than this."""
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{1,256}")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


@dataclass(frozen=True)
class Text:
    text: str
    truncated: bool = False


@dataclass(frozen=True)
class WebLink:
    url: str
    host: str


@dataclass(frozen=True)
class RoomInvitation:
    """A join link of the configured room service: {base}/join?token=... (the room is
    inside the signed token; the room service checks it, not us)."""

    url: str
    token: str


Payload = Text | WebLink | RoomInvitation


def sanitise(raw: str | bytes) -> tuple[str, bool]:
    """The text without control or format characters (Unicode Cc, Cf: escapes, NUL,
    bidi overrides, zero-width joiners), at most MAX_CHARS long; and whether it was cut."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    clean = "".join(ch for ch in raw[: MAX_CHARS * 4] if unicodedata.category(ch) not in ("Cc", "Cf"))
    return clean[:MAX_CHARS], len(clean) > MAX_CHARS


def classify(raw: str | bytes, room_service: str, allowed_hosts: tuple[str, ...]) -> Payload:
    """room_service is the room service's base URL (https://rooms.example/base);
    allowed_hosts are bare host names, each also allowing its subdomains. A truncated
    payload is only ever plain text: a cut link is not the link that was printed."""
    text, truncated = sanitise(raw)
    if truncated:
        return Text(text, truncated=True)
    text = text.strip()
    invitation = _invitation(text, room_service)
    if invitation is not None:
        return invitation
    parts = _https_parts(text)
    if parts is None:
        return Text(text)
    host = parts[0]
    if any(host == h or host.endswith("." + h) for h in (_norm(h) for h in allowed_hosts)):
        return WebLink(text, host)
    return Text(text)


def _https_parts(url: str) -> tuple[str, str, str] | None:
    """(host, path, query) of a plain https URL on the default port, else None. Refused:
    other schemes, user info (`https://kela.fi@evil.example`), backslashes and spaces
    (browsers read `\\` as `/`), non-ASCII hosts (look-alike letters), any explicit port."""
    if any(ch.isspace() or ch == "\\" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or "@" in parts.netloc or ":" in parts.netloc:
        return None
    host = _norm(parts.hostname or "")
    if not _HOST.fullmatch(host):
        return None
    return host, parts.path or "/", parts.query


def _invitation(url: str, room_service: str) -> RoomInvitation | None:
    """Only the configured room service's own scheme, host and port (the demo's is
    http://127.0.0.1:port), its /join path, and exactly one token."""
    if any(ch.isspace() or ch == "\\" for ch in url):
        return None
    try:
        parts, base = urlsplit(url), urlsplit(room_service.rstrip("/"))
    except ValueError:
        return None
    if not base.netloc or (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return None
    if parts.path != base.path.rstrip("/") + "/join" or parts.fragment:
        return None
    fields = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    if set(fields) != {"token"} or len(fields["token"]) != 1 or not _TOKEN.fullmatch(fields["token"][0]):
        return None
    return RoomInvitation(url, fields["token"][0])


def _norm(host: str) -> str:
    return host.lower().rstrip(".")
