"""Reading a PROPFIND answer, which comes from the network and is not trusted: defusedxml
refuses entity tricks (billion laughs, external entities), the body has a size limit, and
an entry without the fields a listing needs makes the whole answer unusable."""
from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from session.oma_kansio.errors import FolderError, Problem

MAX_ANSWER_BYTES = 8 * 1024 * 1024
MAX_ENTRIES = 10000
D = "{DAV:}"

REQUEST = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop>
<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><d:getcontenttype/><d:displayname/>
</d:prop></d:propfind>"""


@dataclass(frozen=True)
class Entry:
    path: str
    """Path below the WebDAV root, "/" separated, no leading slash; folders end without "/"."""
    name: str
    is_folder: bool
    size: int
    modified: dt.datetime | None
    etag: str | None
    content_type: str


def parse(body: bytes, base_path: str) -> list[Entry]:
    """`base_path` is the WebDAV root's URL path (e.g. "/dav/"): hrefs are made relative to it."""
    if len(body) > MAX_ANSWER_BYTES:
        raise FolderError(Problem.BAD_ANSWER, "listing too large")
    try:
        root = ElementTree.fromstring(body)
    except (DefusedXmlException, ElementTree.ParseError) as exc:
        raise FolderError(Problem.BAD_ANSWER, type(exc).__name__) from None
    responses = root.findall(f"{D}response")
    if root.tag != f"{D}multistatus" or len(responses) > MAX_ENTRIES:
        raise FolderError(Problem.BAD_ANSWER, "not a listing")
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    out = []
    for r in responses:
        href = r.findtext(f"{D}href")
        prop = _ok_prop(r)
        if not href or prop is None:
            raise FolderError(Problem.BAD_ANSWER, "an entry without its fields")
        path = unquote(urlsplit(href).path)
        if not path.startswith(base) and path.rstrip("/") + "/" != base:
            raise FolderError(Problem.BAD_ANSWER, "an entry outside the folder")
        rel = path[len(base):].strip("/") if path.startswith(base) else ""
        is_folder = prop.find(f"{D}resourcetype/{D}collection") is not None
        size_text = prop.findtext(f"{D}getcontentlength")
        if not is_folder and (size_text is None or not size_text.strip().isdigit()):
            raise FolderError(Problem.BAD_ANSWER, "a file without a size")
        out.append(Entry(
            path=rel,
            name=rel.rsplit("/", 1)[-1],
            is_folder=is_folder,
            size=int(size_text) if size_text and size_text.strip().isdigit() else 0,
            modified=_date(prop.findtext(f"{D}getlastmodified")),
            etag=prop.findtext(f"{D}getetag"),
            content_type=(prop.findtext(f"{D}getcontenttype") or "")[:100],
        ))
    return out


def _ok_prop(response):  # type: ignore[no-untyped-def]
    for propstat in response.findall(f"{D}propstat"):
        status = propstat.findtext(f"{D}status") or ""
        if " 200 " in status:
            return propstat.find(f"{D}prop")
    return None


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
