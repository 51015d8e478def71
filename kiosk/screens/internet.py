"""The internet screen: the allowed services as big tiles, then the page itself with big
back, home and reload buttons and the site's name. Everything the resident does here goes
with the session: the browser profile is made at first use and destroyed at the wipe.

QtWebEngine (a whole Chromium) is loaded only when a page is first opened: the kiosk
starts as fast without it, and the other screens never pay for it."""
from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.i18n import tr
from kiosk.overlays.notice import Notice
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.keyboard import OnScreenKeyboard
from session.web_policy import WebPolicy

if TYPE_CHECKING:
    from kiosk.web.page import KioskPage
    from kiosk.web.session_profile import SessionProfile

log = logging.getLogger(__name__)
APPLICATION_WORLD = 1
"""QWebEngineScript.ApplicationWorld: our probe runs apart from the page's own scripts."""
TEXT_FIELD_FOCUSED = """(() => {
  const e = document.activeElement;
  if (!e) return false;
  const tag = (e.tagName || '').toLowerCase();
  const kind = (e.type || '').toLowerCase();
  return e.isContentEditable || tag === 'textarea' ||
    (tag === 'input' && !['button', 'submit', 'checkbox', 'radio', 'file', 'image', 'reset', 'range', 'color', 'hidden'].includes(kind));
})()"""


@register
class InternetScreen(Screen):
    name = "internet"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        web = shell.ctx.config.web
        self.policy = WebPolicy.of(web.allowed_sites, web.resource_hosts, web.media_sites)
        self.session_profile: "SessionProfile | None" = None
        self.page: "KioskPage | None" = None
        self.blocked_host = ""
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 8, 16, 8)
        bar = QHBoxLayout()
        self.back_button = BigButton("key")
        self.back_button.setObjectName("webBack")
        self.back_button.clicked.connect(self.back)
        self.start_button = BigButton("key")
        self.start_button.setObjectName("webStart")
        self.start_button.clicked.connect(self.show_start)
        self.reload_button = BigButton("key")
        self.reload_button.setObjectName("webReload")
        self.reload_button.clicked.connect(self.reload)
        self.print_button = BigButton("key")
        self.print_button.setObjectName("webPrint")
        self.print_button.clicked.connect(self.save_as_pdf)
        self.site = self.label("subtitle", wrap=False)
        self.site.setObjectName("webSite")
        for b in (self.back_button, self.start_button, self.reload_button):
            bar.addWidget(b)
        bar.addSpacing(24)
        bar.addWidget(self.site, 1)
        self.keyboard_button = BigButton("key")
        self.keyboard_button.setObjectName("webKeyboard")
        self.keyboard_button.setCheckable(True)
        self.keyboard_button.clicked.connect(lambda on: self.keyboard.setVisible(on))
        bar.addWidget(self.keyboard_button)
        bar.addWidget(self.print_button)
        box.addLayout(bar)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._start_page())
        self.view_holder = QWidget()  # the web view goes in here at first use
        QVBoxLayout(self.view_holder).setContentsMargins(0, 0, 0, 0)
        self.view = None
        self.stack.addWidget(self.view_holder)
        self.stack.addWidget(self._blocked_page())
        box.addWidget(self.stack, 1)
        # A booth has no keyboard: this one opens by itself when a text field in the page
        # has the focus. Text goes in with the editing command a paste uses (any letter,
        # input events fire as for typing; synthetic key presses right after a focus change
        # were dropped by Chromium in tests); Enter is a real key press, so forms submit.
        # TRANSLATORS: on-screen keyboard key that confirms what was typed in a web form (the Enter key)
        self.keyboard = OnScreenKeyboard(enter_label=lambda: tr("keyboard", "Done"))
        self.keyboard.setObjectName("webKeyboardKeys")
        self.keyboard.typed.connect(lambda text: self._edit("insertText", text))
        self.keyboard.erased.connect(lambda: self._edit("delete", ""))
        self.keyboard.entered.connect(self._press_enter)
        self.keyboard.hide()
        box.addWidget(self.keyboard)
        self.focus_probe = QTimer(self)
        self.focus_probe.setInterval(400)
        self.focus_probe.timeout.connect(self._probe_focus)
        shell.screen_changed.connect(lambda name: self.focus_probe.start() if name == self.name else self.focus_probe.stop())
        shell.ctx.lifecycle.register_cleanup("web browser", self.forget)

    def _start_page(self) -> QWidget:
        w = QWidget()
        col = self.column(w)
        self.start_title = self.label("title")
        col.addWidget(self.start_title)
        grid = QGridLayout()
        grid.setSpacing(24)
        self.site_tiles: dict[str, BigButton] = {}
        for i, site in enumerate(self.policy.allowed):
            b = BigButton("tile")
            b.setObjectName(f"site_{site}")
            b.setText(site)
            b.clicked.connect(lambda _=False, s=site: self.open(f"https://www.{s}/"))
            grid.addWidget(b, i // 4, i % 4)
            self.site_tiles[site] = b
        col.addLayout(grid, 1)
        return w

    def _blocked_page(self) -> QWidget:
        w = QWidget()
        col = self.column(w, 96)
        self.blocked_title = self.label("title")
        self.blocked_text = self.label("subtitle")
        self.blocked_text.setObjectName("webBlocked")
        self.blocked_back = BigButton("primary")
        self.blocked_back.clicked.connect(self._leave_blocked)
        col.addWidget(self.blocked_title)
        col.addWidget(self.blocked_text)
        col.addLayout(self.row(self.blocked_back, stretch_first=False))
        col.addStretch(1)
        return w

    # --- the session's browser ------------------------------------------------------------
    def _ensure_page(self) -> "KioskPage":
        if self.view is None:
            from PySide6.QtWebEngineWidgets import QWebEngineView

            self.view = QWebEngineView()
            self.view.setContextMenuPolicy(Qt.NoContextMenu)
            self.view_holder.layout().addWidget(self.view)
        if self.page is None:
            from kiosk.web.page import KioskPage
            from kiosk.web.session_profile import SessionProfile

            ctx = self.shell.ctx
            self.session_profile = SessionProfile(self.policy, ctx.paths.session_tmp / "downloads", self._store, self)
            self.session_profile.download_saved.connect(self._downloaded)
            self.session_profile.download_failed.connect(self._download_failed)
            self.page = KioskPage(self.session_profile.profile, self.policy)
            self.page.blocked.connect(self._blocked)
            self.page.urlChanged.connect(lambda _url: self.retranslate())
            self.page.camera_granted.connect(self._lend_camera)
            self.view.setPage(self.page)
        return self.page

    def forget(self) -> None:
        """The session's wipe: the page, its profile, cookies and storage are gone."""
        if self.page is None or self.view is None:
            return
        self.view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        self.page = None
        if self.session_profile is not None:
            self.session_profile.close()
            self.session_profile = None
        camera = self.shell.ctx.camera
        if camera is not None:
            camera.reclaim()
        self.stack.setCurrentIndex(0)

    def _store(self, name: str, data: bytes) -> str:
        vault = self.shell.ctx.vault
        if vault is None:
            raise OSError("no session vault")
        saved = vault.free_name(name)
        vault.write_bytes(saved, data)
        return saved

    # --- navigation -----------------------------------------------------------------------
    def entered(self, **params: object) -> None:
        url = params.get("url")
        if isinstance(url, str):
            self.open(url)
        else:
            self.show_start()

    def open(self, url: str) -> None:
        if not self.policy.navigable(url):
            self._blocked(QUrl(url).host() or url.split(":", 1)[0])
            return
        page = self._ensure_page()
        self.stack.setCurrentIndex(1)
        page.load(QUrl(url))
        self.retranslate()

    def show_start(self) -> None:
        self.stack.setCurrentIndex(0)
        self.retranslate()

    def back(self) -> None:
        if self.stack.currentIndex() == 2:
            self._leave_blocked()
        elif self.page is not None and self.stack.currentIndex() == 1 and self.page.history().canGoBack():
            self.page.triggerAction(type(self.page).WebAction.Back)
        else:
            self.show_start()

    def reload(self) -> None:
        if self.page is not None and self.stack.currentIndex() == 1:
            self.page.triggerAction(type(self.page).WebAction.Reload)

    def _blocked(self, host: str) -> None:
        self.blocked_host = host
        self.stack.setCurrentIndex(2)
        self.retranslate()

    def _leave_blocked(self) -> None:
        self.stack.setCurrentIndex(1 if self.page is not None and not self.page.url().isEmpty() else 0)
        self.retranslate()

    def _probe_focus(self) -> None:
        if self.page is not None and self.stack.currentIndex() == 1:
            self.page.runJavaScript(TEXT_FIELD_FOCUSED, APPLICATION_WORLD, self._focus_is)

    def _focus_is(self, text_field: object) -> None:
        if text_field is True and not self.keyboard.isVisible():
            self.keyboard.show()
            self.keyboard_button.setChecked(True)

    def _edit(self, command: str, text: str) -> None:
        if self.page is not None:
            self.page.runJavaScript(f"document.execCommand({json.dumps(command)}, false, {json.dumps(text)})", APPLICATION_WORLD)

    def _press_enter(self) -> None:
        target = self.view.focusProxy() if self.view is not None else None
        if target is not None:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QCoreApplication.sendEvent(target, QKeyEvent(kind, Qt.Key_Return, Qt.NoModifier, "\r"))

    def _lend_camera(self, origin: str) -> None:
        camera = self.shell.ctx.camera
        if camera is not None:
            camera.release_for("web page")

    # --- documents ------------------------------------------------------------------------
    def save_as_pdf(self) -> None:
        """The page as a PDF in the vault, to print or keep (Qt renders it; nothing on disk)."""
        if self.page is None or self.stack.currentIndex() != 1:
            return
        site = WebPolicy.site_name(self.page.url().toString()) or "page"
        self.page.printToPdf(lambda data: self._pdf_ready(site, bytes(data)))

    def _pdf_ready(self, site: str, data: bytes) -> None:
        if not data:
            return
        name = self._store(f"{site}.pdf", data)
        self._downloaded(name)

    def _downloaded(self, name: str) -> None:
        self.shell.notices.show_notice(Notice(
            "web_download",
            # TRANSLATORS: title after a file from a web page was saved for the session
            lambda: tr("internet", "Document saved"),
            # TRANSLATORS: {name} is the file name; it is kept until the session ends
            lambda: tr("internet", "\"{name}\" is kept in this booth until your session ends. You can print it from the main menu.", name=name),
        ))

    def _download_failed(self, name: str) -> None:
        self.shell.notices.show_notice(Notice(
            "web_download",
            # TRANSLATORS: title when a file from a web page could not be saved
            lambda: tr("internet", "The file could not be saved"),
            # TRANSLATORS: what to do when a download failed
            lambda: tr("internet", "Try again. If it still does not work, ask the contact person for help."),
        ))

    # --- words ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        on_page = self.stack.currentIndex() == 1 and self.page is not None
        # TRANSLATORS: web screen button: the previous page
        self.back_button.setText(tr("internet", "Back"))
        # TRANSLATORS: web screen button: the list of services
        self.start_button.setText(tr("internet", "Services"))
        # TRANSLATORS: web screen button: load the page again
        self.reload_button.setText(tr("internet", "Reload"))
        # TRANSLATORS: web screen button: show or hide the on-screen keyboard
        self.keyboard_button.setText(tr("internet", "Keyboard"))
        self.keyboard_button.setVisible(on_page)
        self.keyboard.retranslate()
        # TRANSLATORS: web screen button: keep the page as a document (to print it)
        self.print_button.setText(tr("internet", "Save as a document"))
        # TRANSLATORS: title of the list of web services the booth can open
        self.start_title.setText(tr("internet", "Choose a service"))
        self.site.setText(WebPolicy.site_name(self.page.url().toString()) if on_page and self.page is not None else "")
        self.print_button.setVisible(on_page)
        self.reload_button.setVisible(on_page)
        # TRANSLATORS: title of the page shown instead of a site the booth does not open
        self.blocked_title.setText(tr("internet", "This page cannot be opened here"))
        # TRANSLATORS: {host} is the web address that was refused
        self.blocked_text.setText(tr("internet", "The booth opens only public services such as Kela and Suomi.fi. {host} is not one of them.", host=self.blocked_host))
        # TRANSLATORS: button on the refused-page message: back to where the resident was
        self.blocked_back.setText(tr("internet", "Go back"))
