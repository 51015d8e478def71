"""The booth's browser (QtWebEngine, offscreen) against local test sites served under the
real names: every host resolves to 127.0.0.1 (scripts/test-phase.sh sets Chromium's
--host-resolver-rules), so http://www.kela.fi:PORT/ is this file's server."""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from kiosk.i18n import set_language
from session.lifecycle import EndReason
from session.web_policy import WebPolicy
from test_shell import click, start

pytestmark = pytest.mark.media
PDF = b"%PDF-1.4\n% RESIDENT-DOWNLOAD-MARKER\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Site(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0]
        Site.seen.append((host, self.path))
        port = self.server.server_address[1]
        if self.path == "/file.pdf":
            self._send(PDF, "application/pdf", {"Content-Disposition": 'attachment; filename="paatos.pdf"'})
        elif self.path == "/img.png":
            self._send(b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path == "/set-cookie":
            self._send(b"<title>set</title>", "text/html", {"Set-Cookie": "visit=resident-1; Path=/"})
        elif self.path == "/cookie":
            self._send(b"<title>cookie</title><script>document.title = 'cookie:' + document.cookie</script>", "text/html")
        elif self.path == "/form":
            self._send(b"<title>form</title><form><input id=name name=name autofocus></form>", "text/html")
        elif self.path == "/camera":
            page = b"""<title>camera</title><script>
              navigator.mediaDevices.getUserMedia({video: true}).then(() => document.title = 'granted',
                e => document.title = 'denied:' + e.name);</script>"""
            self._send(page, "text/html")
        else:
            page = f"""<title>{host} test</title><h1>{host}</h1>
              <img src="http://cdn.example.net:{port}/img.png">
              <a id="away" href="http://evil.example:{port}/">away</a>
              <a id="dl" href="/file.pdf">download</a>""".encode()
            self._send(page, "text/html")

    def _send(self, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def site() -> Iterator[int]:
    Site.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture
def web(kiosk, qtbot, site):  # type: ignore[no-untyped-def]
    set_language("en")
    screen = kiosk.shell.screens["internet"]
    # localhost and 127.0.0.1 are the two origins of the camera test: plain http is a
    # secure context only on loopback names, and a page must be one to ask for the camera.
    screen.policy = WebPolicy.of(["kela.fi", "suomi.fi", "localhost", "127.0.0.1"], resources=["cdn.example.net"],
                                 media=[f"http://localhost:{site}"], allow_http=True)
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["internet"])
    assert kiosk.shell.current == "internet"
    return screen


def load(qtbot, screen, url: str, title: str) -> None:  # type: ignore[no-untyped-def]
    screen.open(url)
    qtbot.waitUntil(lambda: screen.page is not None and screen.page.title() == title, timeout=15000)


def test_allowed_site_loads_with_its_resources_and_shows_its_name(web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/", "www.kela.fi test")
    assert web.site.text() == "kela.fi"
    qtbot.waitUntil(lambda: ("cdn.example.net", "/img.png") in Site.seen, timeout=5000)


def test_link_to_another_site_shows_the_friendly_page(web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/", "www.kela.fi test")
    web.page.runJavaScript("document.getElementById('away').click()")
    qtbot.waitUntil(lambda: web.stack.currentIndex() == 2, timeout=5000)
    assert "evil.example" in web.blocked_text.text()
    assert not any(host == "evil.example" for host, _ in Site.seen), "the refused site got no request"
    click(qtbot, web.blocked_back)
    assert web.stack.currentIndex() == 1


def test_a_resource_host_cannot_be_opened_and_nor_can_files(web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    web.open(f"http://cdn.example.net:{site}/")
    assert web.stack.currentIndex() == 2
    web.open("file:///etc/passwd")
    assert web.stack.currentIndex() == 2


def test_a_download_lands_in_the_vault_and_nowhere_else(kiosk, web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/", "www.kela.fi test")
    web.page.runJavaScript("document.getElementById('dl').click()")
    qtbot.waitUntil(lambda: "paatos.pdf" in kiosk.ctx.vault.names(), timeout=10000)
    assert kiosk.ctx.vault.read_bytes("paatos.pdf") == PDF
    assert kiosk.shell.notices.key == "web_download"
    downloads = kiosk.ctx.paths.session_tmp / "downloads"
    assert not downloads.exists() or not any(downloads.iterdir())


def test_cookies_of_one_session_are_gone_in_the_next(kiosk, web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/set-cookie", "set")
    load(qtbot, web, f"http://www.kela.fi:{site}/cookie", "cookie:visit=resident-1")
    kiosk.ctx.lifecycle.end_now(EndReason.RESIDENT)
    assert web.page is None
    start(kiosk, qtbot)
    click(qtbot, kiosk.shell.screens["home"].tiles["internet"])
    load(qtbot, web, f"http://www.kela.fi:{site}/cookie", "cookie:")


def test_camera_only_for_listed_video_services(kiosk, web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://127.0.0.1:{site}/camera", "camera")
    qtbot.waitUntil(lambda: web.page.title().startswith("denied"), timeout=10000)
    web.open(f"http://localhost:{site}/camera")
    qtbot.waitUntil(lambda: web.page.title() == "granted", timeout=10000)


def test_the_on_screen_keyboard_opens_for_a_form_field_and_types_into_it(web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/form", "form")
    assert not web.keyboard.isVisible()
    web.view.setFocus()
    web.page.runJavaScript("document.getElementById('name').focus()")
    qtbot.waitUntil(web.keyboard.isVisible, timeout=5000)
    for ch in ("m", "ä", "á", "ŋ"):
        click(qtbot, web.keyboard.keys[ch])
    click(qtbot, web.keyboard.shift_key)
    click(qtbot, web.keyboard.keys["ö"])
    values: list[object] = []

    def field_holds(text: str):  # type: ignore[no-untyped-def]
        def check() -> bool:
            web.page.runJavaScript("document.getElementById('name').value", 0, values.append)
            return bool(values) and values[-1] == text
        return check

    qtbot.waitUntil(field_holds("mäáŋÖ"), timeout=5000)
    click(qtbot, web.keyboard.erase_key)
    qtbot.waitUntil(field_holds("mäáŋ"), timeout=5000)


def test_a_page_can_be_kept_as_a_pdf_document(kiosk, web, qtbot, site) -> None:  # type: ignore[no-untyped-def]
    load(qtbot, web, f"http://www.kela.fi:{site}/", "www.kela.fi test")
    click(qtbot, web.print_button)
    qtbot.waitUntil(lambda: "kela.fi.pdf" in kiosk.ctx.vault.names(), timeout=10000)
    assert kiosk.ctx.vault.read_bytes("kela.fi.pdf").startswith(b"%PDF")
    assert kiosk.shell.notices.key == "web_download"
