"""Where the booth's browser may go. Plain Python: the Qt web layer asks it for every
navigation and every request.

Three lists: sites the resident can open (and their subdomains); hosts those pages may
load from or redirect through (CDNs, the Suomi.fi identification service) but the
resident cannot open directly; origins that may use the camera and microphone.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

SUBRESOURCE_SCHEMES = ("data", "blob")
"""Inline images and script-made objects inside an allowed page; never a page of their own."""


def _host_in(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def _norm(domains: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(d.strip().lower().rstrip(".").removeprefix("*.") for d in domains if d.strip())


@dataclass(frozen=True)
class WebPolicy:
    allowed: tuple[str, ...]
    resources: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    """Origins ("https://host") whose pages may use the camera and microphone."""
    allow_http: bool = False
    """Plain http for the allowed sites: tests and demos on loopback only."""

    @classmethod
    def of(cls, allowed: list[str], resources: list[str] | None = None, media: list[str] | None = None,
           allow_http: bool = False) -> "WebPolicy":
        return cls(_norm(allowed), _norm(resources or []), tuple(m.rstrip("/").lower() for m in media or []), allow_http)

    def _web(self, url: str) -> tuple[str, str] | None:
        """(scheme, host) of an http(s) URL without user info, else None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in ("https", "http") or "@" in parts.netloc or not parts.hostname:
            return None
        if scheme == "http" and not self.allow_http:
            return None
        return scheme, parts.hostname

    def navigable(self, url: str) -> bool:
        """May the resident open this page (typed, a link, a bookmark tile)?"""
        web = self._web(url)
        return web is not None and _host_in(web[1], self.allowed)

    def reachable_by_redirect(self, url: str) -> bool:
        """May an allowed page's redirect pass through here (e.g. the identification service)?"""
        web = self._web(url)
        return web is not None and (_host_in(web[1], self.allowed) or _host_in(web[1], self.resources))

    def loadable(self, url: str) -> bool:
        """May a page load this (image, script, style, frame, XHR)?"""
        scheme = url.split(":", 1)[0].lower()
        return scheme in SUBRESOURCE_SCHEMES or self.reachable_by_redirect(url)

    def media_allowed(self, origin: str) -> bool:
        return origin.rstrip("/").lower() in self.media

    @staticmethod
    def site_name(url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        return host.removeprefix("www.")
