"""The booth browser's allow-lists (plain logic)."""
from __future__ import annotations

import pytest

from session.web_policy import WebPolicy

P = WebPolicy.of(["kela.fi", "suomi.fi"], resources=["cdn.example.net", "*.fonts.example"], media=["https://video.kela.fi"])


@pytest.mark.parametrize("url", ["https://kela.fi/", "https://www.kela.fi/asiointi", "https://tunnistus.suomi.fi/x?y=1", "HTTPS://WWW.KELA.FI./"])
def test_allowed_sites_and_subdomains_open(url: str) -> None:
    assert P.navigable(url)


@pytest.mark.parametrize("url", [
    "https://evil.example/", "https://kela.fi.evil.example/", "https://notkela.fi/", "http://www.kela.fi/",
    "https://kela.fi@evil.example/", "file:///etc/passwd", "data:text/html,<b>hi</b>", "view-source:https://kela.fi/",
    "javascript:alert(1)", "ftp://kela.fi/", "https://cdn.example.net/page.html",
])
def test_everything_else_is_refused(url: str) -> None:
    assert not P.navigable(url)


def test_resources_load_and_redirect_but_do_not_open() -> None:
    assert P.loadable("https://cdn.example.net/app.js")
    assert P.loadable("https://a.fonts.example/f.woff2")
    assert P.reachable_by_redirect("https://cdn.example.net/sso")
    assert not P.navigable("https://cdn.example.net/")
    assert P.loadable("data:image/png;base64,AAAA") and not P.navigable("data:image/png;base64,AAAA")
    assert not P.loadable("https://tracker.example/pixel.gif")


def test_http_only_when_asked_for_tests() -> None:
    assert WebPolicy.of(["kela.fi"], allow_http=True).navigable("http://www.kela.fi:8080/")


def test_media_only_for_listed_origins() -> None:
    assert P.media_allowed("https://video.kela.fi/")
    assert not P.media_allowed("https://www.kela.fi")


def test_site_name_for_the_top_bar() -> None:
    assert WebPolicy.site_name("https://www.kela.fi/asiointi?x=1") == "kela.fi"
