"""My folder (Oma kansio): sign in with the ID card or an app password, then list, open,
print, rename, delete, make folders, and save the session's documents into it.

Every network call runs on a worker thread through the shell's bridge; the token lives
only in the FolderClient here and is revoked at the session's wipe. Opened documents go
into the vault (the viewer reads them from there, in memory): nothing of Oma kansio is
written anywhere else.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from devices.card import watcher as card_io
from devices.card.errors import CardError, PinBlocked, WrongPin
from kiosk.i18n import mark, tr
from kiosk.overlays.notice import Choice, Notice
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.document_view import DocumentView
from kiosk.widgets.keyboard import OnScreenKeyboard
from kiosk.widgets.page_stack import PageStack
from kiosk.widgets.pin_pad import PinPad
from session.lifecycle import PendingSave
from session.oma_kansio import signin
from session.oma_kansio.client import FolderClient
from session.oma_kansio.errors import FolderError, Problem
from session.oma_kansio.propfind import Entry

log = logging.getLogger(__name__)
SIGN_IN, CARD_PIN, PASSWORD, LIST, VIEW, PICK, NAME = range(7)


def problem_text(problem: Problem) -> str:
    texts = {
        # TRANSLATORS: Oma kansio: the sign-in ended or was refused
        Problem.SIGNED_OUT: lambda: tr("folder", "You are no longer signed in to your folder. Sign in again."),
        # TRANSLATORS: Oma kansio refused the action
        Problem.NOT_ALLOWED: lambda: tr("folder", "Your folder does not allow this."),
        # TRANSLATORS: the file or folder was moved or deleted meanwhile
        Problem.NOT_FOUND: lambda: tr("folder", "The file is no longer there. It may have been moved or deleted."),
        # TRANSLATORS: the folder the file goes into is gone
        Problem.CONFLICT: lambda: tr("folder", "The folder is no longer there. Choose another folder."),
        # TRANSLATORS: the file was changed elsewhere while the resident had it open
        Problem.CHANGED: lambda: tr("folder", "The file was changed somewhere else meanwhile. Nothing was overwritten."),
        # TRANSLATORS: the file is open in another program or device
        Problem.LOCKED: lambda: tr("folder", "The file is in use somewhere else. Try again in a moment."),
        # TRANSLATORS: no space left in Oma kansio
        Problem.FULL: lambda: tr("folder", "Your folder is full. Delete something first."),
        # TRANSLATORS: the Oma kansio service did not answer in time
        Problem.TIMEOUT: lambda: tr("folder", "Your folder did not answer in time. Try again."),
        # TRANSLATORS: no connection to the Oma kansio service
        Problem.OFFLINE: lambda: tr("folder", "There is no connection to your folder right now. Try again later."),
    }
    # TRANSLATORS: Oma kansio service error or an answer the booth cannot read
    return texts.get(problem, lambda: tr("folder", "Your folder service has a problem. Try again later."))()


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size / 1024 / 1024:.1f} MB"


@register
class FolderScreen(Screen):
    name = "folder"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.client: FolderClient | None = None
        self.to_save: str | None = None
        self.token = ""
        self.folder = ""
        self.entries: list[Entry] = []
        self.sort_by_date = False
        self.opened: Entry | None = None
        self.opened_name = ""
        self.opened_etag: str | None = None
        self._status: Callable[[], str] = lambda: ""
        self._naming: Callable[[str], None] = lambda _name: None
        self._name_title: Callable[[], str] = lambda: ""
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 16, 48, 16)
        self.title = self.label("title")
        self.status = self.label("banner")
        self.status.setObjectName("folderStatus")
        box.addWidget(self.title)
        box.addWidget(self.status)
        self.pages = PageStack()
        for build in (self._sign_in_page, self._card_page, self._password_page, self._list_page,
                      self._view_page, self._pick_page, self._name_page):
            self.pages.addWidget(build())
        box.addWidget(self.pages, 1)
        shell.ctx.lifecycle.register_cleanup("Oma kansio sign-in", self.sign_out)

    # --- pages --------------------------------------------------------------------------
    def _sign_in_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.sign_in_text = self.label("subtitle")
        self.card_button = BigButton("primary")
        self.card_button.setObjectName("folderCard")
        self.card_button.clicked.connect(lambda: self._show(CARD_PIN))
        self.password_button = BigButton()
        self.password_button.setObjectName("folderPassword")
        self.password_button.clicked.connect(lambda: self._show(PASSWORD))
        col.addWidget(self.sign_in_text)
        col.addLayout(self.row(self.card_button, self.password_button, stretch_first=False))
        col.addStretch(1)
        return w

    def _card_page(self) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        self.card_text = self.label("subtitle")
        self.pin_pad = PinPad()
        self.pin_pad.setFixedWidth(520)
        self.pin_pad.submitted.connect(self.sign_in_with_card)
        left = QVBoxLayout()
        left.addWidget(self.card_text)
        self.card_back = BigButton()
        self.card_back.clicked.connect(lambda: self._show(SIGN_IN))
        left.addWidget(self.card_back)
        left.addStretch(1)
        row.addLayout(left, 1)
        row.addWidget(self.pin_pad)
        return w

    def _password_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.user_field = QLineEdit()
        self.user_field.setObjectName("folderUser")
        self.password_field = QLineEdit()
        self.password_field.setObjectName("folderAppPassword")
        self.password_field.setEchoMode(QLineEdit.Password)
        # TRANSLATORS: on-screen keyboard's Enter key on the app-password sign-in
        self.password_keyboard = OnScreenKeyboard(enter_label=lambda: tr("folder", "Sign in"))
        self.password_keyboard.typed.connect(lambda text: self._field().insert(text))
        self.password_keyboard.erased.connect(lambda: self._field().backspace())
        self.password_keyboard.entered.connect(self.sign_in_with_password)
        self.password_back = BigButton()
        self.password_back.clicked.connect(lambda: self._show(SIGN_IN))
        for field in (self.user_field, self.password_field):
            field.setMinimumHeight(60)
        col.addWidget(self.user_field)
        col.addWidget(self.password_field)
        col.addWidget(self.password_keyboard)
        col.addWidget(self.password_back)
        return w

    def _field(self) -> QLineEdit:
        return self.password_field if self.password_field.hasFocus() else self.user_field

    def _list_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.where = self.label("subtitle")
        self.up_button = BigButton("key")
        self.up_button.clicked.connect(self.go_up)
        self.new_folder_button = BigButton("key")
        self.new_folder_button.clicked.connect(self.ask_new_folder)
        self.save_here_button = BigButton("primary")
        self.save_here_button.setObjectName("folderSaveHere")
        self.save_here_button.clicked.connect(self.pick_document)
        self.sort_button = BigButton("key")
        self.sort_button.clicked.connect(self.toggle_sort)
        col.addWidget(self.where)
        col.addLayout(self.row(self.up_button, self.new_folder_button, self.sort_button, self.save_here_button, stretch_first=False))
        self.listing = QListWidget()
        self.listing.setObjectName("folderList")
        self.listing.itemActivated.connect(lambda _item: self.open_selected())
        self.listing.currentRowChanged.connect(lambda _row: self._sync_buttons())
        col.addWidget(self.listing, 1)
        self.open_button = BigButton("primary")
        self.open_button.setObjectName("folderOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.rename_button = BigButton()
        self.rename_button.clicked.connect(self.ask_rename)
        self.delete_button = BigButton("danger")
        self.delete_button.setObjectName("folderDelete")
        self.delete_button.clicked.connect(self.ask_delete)
        col.addLayout(self.row(self.open_button, self.rename_button, self.delete_button, stretch_first=False))
        return w

    def _view_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.viewer = DocumentView()
        self.viewer.changed.connect(self.retranslate)
        self.page_label = self.label(wrap=False)
        self.prev_button = BigButton("key")
        self.prev_button.clicked.connect(lambda: self.viewer.turn(-1))
        self.next_button = BigButton("key")
        self.next_button.clicked.connect(lambda: self.viewer.turn(+1))
        self.zoom_out = BigButton("key")
        self.zoom_out.clicked.connect(lambda: self.viewer.zoom(-1))
        self.zoom_in = BigButton("key")
        self.zoom_in.clicked.connect(lambda: self.viewer.zoom(+1))
        self.print_button = BigButton("primary")
        self.print_button.setObjectName("folderPrint")
        self.print_button.clicked.connect(self.print_opened)
        self.view_back = BigButton()
        self.view_back.clicked.connect(lambda: self._show(LIST))
        col.addWidget(self.viewer, 1)
        col.addLayout(self.row(self.view_back, self.prev_button, self.page_label, self.next_button,
                               self.zoom_out, self.zoom_in, self.print_button, stretch_first=False))
        return w

    def _pick_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.pick_text = self.label("subtitle")
        self.pick_list = QListWidget()
        self.pick_list.setObjectName("folderPick")
        self.pick_button = BigButton("primary")
        self.pick_button.clicked.connect(self.save_picked)
        self.pick_back = BigButton()
        self.pick_back.clicked.connect(lambda: self._show(LIST))
        col.addWidget(self.pick_text)
        col.addWidget(self.pick_list, 1)
        col.addLayout(self.row(self.pick_back, self.pick_button, stretch_first=False))
        return w

    def _name_page(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        self.name_text = self.label("subtitle")
        self.name_field = QLineEdit()
        self.name_field.setObjectName("folderName")
        self.name_field.setMaxLength(120)
        self.name_field.setMinimumHeight(60)
        # TRANSLATORS: on-screen keyboard's Enter key when naming a folder or renaming a file
        self.name_keyboard = OnScreenKeyboard(self.name_field, enter_label=lambda: tr("folder", "Save the name"))
        self.name_keyboard.entered.connect(lambda: self._naming(self.name_field.text().strip()))
        self.name_back = BigButton()
        self.name_back.clicked.connect(lambda: self._show(LIST))
        col.addWidget(self.name_text)
        col.addWidget(self.name_field)
        col.addWidget(self.name_keyboard)
        col.addWidget(self.name_back)
        return w

    # --- helpers ------------------------------------------------------------------------
    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        if page == PASSWORD:
            self.user_field.setFocus()
        if page == CARD_PIN:
            self.pin_pad.clear()
        self._say(lambda: "")
        self.retranslate()

    def _say(self, text: Callable[[], str]) -> None:
        self._status = text
        self.status.setText(text())
        self.status.setVisible(bool(self.status.text()))

    def _run(self, what: str, work: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Network work off the UI thread; the session does not time out meanwhile."""
        lc = self.shell.ctx.lifecycle
        token = object()
        lc.begin_busy(token, what)
        # TRANSLATORS: while talking to Oma kansio
        self._say(lambda: tr("folder", "One moment…"))

        def ok(result: Any) -> None:
            lc.end_busy(token)
            self._say(lambda: "")
            done(result)

        def error(exc: BaseException) -> None:
            lc.end_busy(token)
            (failed or self._failed)(exc)

        self.shell.bridge.run(work, ok, error, name=what)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, FolderError):
            problem = exc.problem
            self._say(lambda: problem_text(problem))
            if problem is Problem.SIGNED_OUT:
                self.sign_out()
                self._show(SIGN_IN)
                self._say(lambda: problem_text(problem))
            return
        log.error("folder action failed unexpectedly: %s", type(exc).__name__)
        self._say(lambda: problem_text(Problem.SERVER))

    @property
    def service_url(self) -> str:
        return self.shell.ctx.config.services.oma_kansio_url.rstrip("/")

    # --- signing in and out -------------------------------------------------------------
    def entered(self, **params: object) -> None:
        save = params.get("save")
        self.to_save = save if isinstance(save, str) else None
        self._show(LIST if self.client is not None else SIGN_IN)
        if self.client is not None:
            self._after_sign_in()

    def _after_sign_in(self) -> None:
        """A document sent here from another screen (a scan) is saved at once."""
        name, self.to_save = self.to_save, None
        if name is not None:
            self.upload(name, f"{self.folder}/{name}".strip("/"))
        else:
            self.refresh()

    def card_changed(self) -> None:
        if self.shell.current == self.name:
            self.retranslate()

    def sign_in_with_card(self, pin: str) -> None:
        holder = self.shell.ctx.card_holder
        identity, reader = holder.identity, holder.reader
        if identity is None or reader is None:
            self._show(SIGN_IN)
            return
        secret = bytearray(pin.encode("ascii"))
        del pin
        from cryptography.hazmat.primitives.serialization import Encoding

        der = identity.certificate.public_bytes(Encoding.DER)
        url = self.service_url
        self._run("folder sign-in", lambda: signin.with_card(url, der, lambda digest: card_io.sign_digest(reader, identity, secret, digest)),
                  self._signed_in, self._card_failed)

    def _card_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPin):
            left = exc.tries_left
            # TRANSLATORS: wrong ID card PIN while signing in to Oma kansio; {count} tries left
            self._say(lambda: tr("folder", "The PIN code was wrong. Tries left: {count}.", count=left))
        elif isinstance(exc, PinBlocked):
            # TRANSLATORS: the ID card PIN is locked; Oma kansio can still be opened with an app password
            self._say(lambda: tr("folder", "The PIN code is locked. You can sign in with an app password instead."))
        elif isinstance(exc, CardError):
            # TRANSLATORS: the ID card could not sign in (taken out, not answering)
            self._say(lambda: tr("folder", "The card could not be used. Keep it in the reader and try again."))
        else:
            self._failed(exc)

    def sign_in_with_password(self) -> None:
        user, password = self.user_field.text().strip(), self.password_field.text()
        if not user or not password:
            return
        url = self.service_url
        self.password_field.clear()
        self._run("folder sign-in", lambda: signin.with_app_password(url, user, password), self._signed_in)

    def _signed_in(self, token: str) -> None:
        self.token = token
        self.client = FolderClient(self.service_url + "/dav/", token)
        self.folder = ""
        self.user_field.clear()
        self.shell.ctx.lifecycle.use_service("folder")
        self._show(LIST)
        self._after_sign_in()

    def sign_out(self) -> None:
        """The session's wipe: forget the token (and tell the service, best effort)."""
        client, token = self.client, self.token
        self.client, self.token = None, ""
        self.entries, self.folder, self.opened = [], "", None
        self.listing.clear()
        self.viewer.clear()
        if client is not None:
            client.forget()
            signin.revoke(self.service_url, token)
        self.pages.setCurrentIndex(SIGN_IN)

    # --- the list -----------------------------------------------------------------------
    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """List the folder again; `then` runs after (e.g. to say what was just done)."""
        client, folder = self.client, self.folder
        if client is None:
            return
        self._run("folder listing", lambda: client.list(folder), lambda entries: self._listed(entries, then))

    def _listed(self, entries: list[Entry], then: Callable[[], None] | None = None) -> None:
        self.entries = entries
        self._fill()
        if then is not None:
            then()

    def _fill(self) -> None:
        items = sorted(self.entries, key=lambda e: (not e.is_folder, -(e.modified.timestamp() if e.modified else 0) if self.sort_by_date else 0, e.name.casefold()))
        self.listing.clear()
        for e in items:
            if e.is_folder:
                # TRANSLATORS: a folder in the Oma kansio list
                kind = tr("folder", "Folder")
                text = f"📁  {e.name}    {kind}"
            else:
                when = e.modified.astimezone().strftime("%d.%m.%Y %H:%M") if e.modified else ""
                text = f"{e.name}    {size_text(e.size)}    {when}"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, e)
            self.listing.addItem(item)
        self._sync_buttons()
        self.retranslate()

    def selected(self) -> Entry | None:
        item = self.listing.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def _sync_buttons(self) -> None:
        e = self.selected()
        for b in (self.open_button, self.rename_button, self.delete_button):
            b.setEnabled(e is not None)

    def toggle_sort(self) -> None:
        self.sort_by_date = not self.sort_by_date
        self._fill()

    def go_up(self) -> None:
        self.folder = self.folder.rpartition("/")[0]
        self.refresh()

    def open_selected(self) -> None:
        e, client, vault = self.selected(), self.client, self.shell.ctx.vault
        if e is None or client is None or vault is None:
            return
        if e.is_folder:
            self.folder = e.path
            self.refresh()
            return
        name = vault.free_name(e.name)
        self._run("folder download", lambda: client.download(e.path, vault, name), lambda etag: self._opened(e, name, etag))

    def _opened(self, entry: Entry, name: str, etag: str | None) -> None:
        vault = self.shell.ctx.vault
        self.opened, self.opened_name, self.opened_etag = entry, name, etag
        if vault is None:
            return
        if self.viewer.show_bytes(vault.read_bytes(name)):
            self._show(VIEW)
        else:
            # TRANSLATORS: the booth cannot show this kind of file (only PDFs and pictures)
            self._say(lambda: tr("folder", "This file cannot be shown here. It is kept for the session: you can print it if it is a PDF."))

    def print_opened(self) -> None:
        if self.opened_name:
            self.shell.navigate("print", document=self.opened_name)

    # --- changing the folder ------------------------------------------------------------
    def _ask_name(self, title: Callable[[], str], start: str, then: Callable[[str], None]) -> None:
        self._name_title, self._naming = title, then
        self.name_field.setText(start)
        self._show(NAME)
        self.name_field.setFocus()

    def ask_new_folder(self) -> None:
        # TRANSLATORS: asking the name of a new folder in Oma kansio
        self._ask_name(lambda: tr("folder", "Name of the new folder:"), "", self.make_folder)

    def make_folder(self, name: str) -> None:
        client = self.client
        if not name or "/" in name or client is None:
            return
        path = f"{self.folder}/{name}".strip("/")
        self._run("folder mkcol", lambda: client.make_folder(path), lambda _r: (self._show(LIST), self.refresh()))

    def ask_rename(self) -> None:
        e = self.selected()
        if e is None:
            return
        # TRANSLATORS: asking a file's or folder's new name in Oma kansio
        self._ask_name(lambda: tr("folder", "New name:"), e.name, lambda name: self.rename(e, name))

    def rename(self, entry: Entry, name: str) -> None:
        client = self.client
        if not name or "/" in name or client is None or name == entry.name:
            self._show(LIST)
            return
        new_path = f"{entry.path.rpartition('/')[0]}/{name}".strip("/")
        self._run("folder move", lambda: client.rename(entry.path, new_path), lambda _r: (self._show(LIST), self.refresh()))

    def ask_delete(self) -> None:
        e = self.selected()
        if e is None:
            return
        self.shell.notices.show_notice(Notice(
            "folder_delete",
            # TRANSLATORS: title of the question before deleting from Oma kansio
            lambda: tr("folder", "Delete from your folder?"),
            # TRANSLATORS: {name} is the file or folder; deleting cannot be undone
            lambda: tr("folder", "\"{name}\" is deleted from Oma kansio for good.", name=e.name),
            (
                # TRANSLATORS: keep the file (do not delete)
                Choice(lambda: tr("folder", "Keep it"), role="key"),
                # TRANSLATORS: confirm deleting from Oma kansio
                Choice(lambda: tr("folder", "Delete"), lambda: self.delete(e), "danger"),
            ),
        ))

    def delete(self, entry: Entry) -> None:
        client = self.client
        if client is not None:
            self._run("folder delete", lambda: client.delete(entry.path), lambda _r: self.refresh())

    # --- saving the session's documents into the folder ---------------------------------
    def pick_document(self) -> None:
        vault = self.shell.ctx.vault
        self.pick_list.clear()
        for name in vault.names() if vault is not None else []:
            self.pick_list.addItem(name)
        self._show(PICK)

    def save_picked(self) -> None:
        item = self.pick_list.currentItem()
        if item is None:
            return
        self.upload(item.text(), f"{self.folder}/{item.text()}".strip("/"))

    def upload(self, name: str, path: str) -> None:
        client, vault = self.client, self.shell.ctx.vault
        if client is None or vault is None:
            return
        self._run("folder upload", lambda: client.upload(vault, name, path), lambda result: self._uploaded(result.path, result.renamed),
                  lambda exc: self._upload_failed(name, path, exc))

    def _uploaded(self, path: str, renamed: bool) -> None:
        self._show(LIST)
        saved = path.rpartition("/")[2]
        if renamed:
            # TRANSLATORS: a file of that name was already in Oma kansio, so the new one got another name; nothing was overwritten
            said = lambda: tr("folder", "Saved as \"{name}\": a file with the same name was already there, and it was kept too.", name=saved)  # noqa: E731
        else:
            # TRANSLATORS: the document was saved into Oma kansio
            said = lambda: tr("folder", "Saved to your folder: \"{name}\".", name=saved)  # noqa: E731
        self.refresh(then=lambda: self._say(said))

    def _upload_failed(self, name: str, path: str, exc: BaseException) -> None:
        """Kept in the vault and listed as not saved yet: the end of the session asks."""
        self._failed(exc)
        client, vault = self.client, self.shell.ctx.vault

        def retry() -> bool:
            if client is None or vault is None:
                return False
            try:
                client.upload(vault, name, path)
            except FolderError:
                return False
            return True

        self.shell.ctx.lifecycle.add_pending(PendingSave(
            # TRANSLATORS: in the list of things not saved yet at the end of a session
            mark("pending", "A document for Oma kansio"), retry, lambda: None,
        ))

    # --- words --------------------------------------------------------------------------
    def retranslate(self) -> None:
        # TRANSLATORS: title of the Oma kansio screen (the resident's own document folder)
        self.title.setText(tr("folder", "My folder (Oma kansio)"))
        self.status.setText(self._status())
        self.status.setVisible(bool(self.status.text()))
        holder = self.shell.ctx.card_holder
        # TRANSLATORS: how to sign in to Oma kansio
        self.sign_in_text.setText(tr("folder", "Sign in to see your documents. You can use your ID card and its PIN code, or an app password from the service."))
        # TRANSLATORS: sign in to Oma kansio with the ID card
        self.card_button.setText(tr("folder", "Sign in with your ID card"))
        self.card_button.setEnabled(holder.identity is not None)
        # TRANSLATORS: sign in to Oma kansio with a user name and an app password
        self.password_button.setText(tr("folder", "Sign in with an app password"))
        # TRANSLATORS: next to the PIN keypad when signing in to Oma kansio with the ID card
        self.card_text.setText(tr("folder", "Type PIN code 1 of your ID card."))
        # TRANSLATORS: back from a sign-in way to the choice of sign-in ways
        back = tr("folder", "Back")
        for b in (self.card_back, self.password_back, self.view_back, self.pick_back, self.name_back):
            b.setText(back)
        # TRANSLATORS: placeholder in the user name field
        self.user_field.setPlaceholderText(tr("folder", "User name"))
        # TRANSLATORS: placeholder in the app password field
        self.password_field.setPlaceholderText(tr("folder", "App password"))
        self.password_keyboard.retranslate()
        self.name_keyboard.retranslate()
        # TRANSLATORS: where in Oma kansio the list is; {folder} is a folder path
        self.where.setText(tr("folder", "Folder: {folder}", folder="/" + self.folder))
        # TRANSLATORS: Oma kansio button: the folder above this one
        self.up_button.setText(tr("folder", "Up one folder"))
        self.up_button.setEnabled(bool(self.folder))
        # TRANSLATORS: Oma kansio button: make a new folder here
        self.new_folder_button.setText(tr("folder", "New folder"))
        # TRANSLATORS: Oma kansio button: save a scan or download of this session into this folder
        self.save_here_button.setText(tr("folder", "Save a document here"))
        if self.sort_by_date:
            # TRANSLATORS: Oma kansio sort button (the list is now newest first)
            self.sort_button.setText(tr("folder", "Sort by name"))
        else:
            # TRANSLATORS: Oma kansio sort button (the list is now by name)
            self.sort_button.setText(tr("folder", "Newest first"))
        # TRANSLATORS: Oma kansio button: open the chosen file or folder
        self.open_button.setText(tr("folder", "Open"))
        # TRANSLATORS: Oma kansio button: rename the chosen file or folder
        self.rename_button.setText(tr("folder", "Rename"))
        # TRANSLATORS: Oma kansio button: delete the chosen file or folder (asks first)
        self.delete_button.setText(tr("folder", "Delete"))
        # TRANSLATORS: document viewer: page number; {page} of {pages}
        self.page_label.setText(tr("folder", "Page {page} / {pages}", page=self.viewer.page + 1, pages=self.viewer.pages))
        # TRANSLATORS: document viewer buttons
        self.prev_button.setText(tr("folder", "Previous page"))
        # TRANSLATORS: document viewer buttons
        self.next_button.setText(tr("folder", "Next page"))
        # TRANSLATORS: document viewer buttons: smaller
        self.zoom_out.setText(tr("folder", "Smaller"))
        # TRANSLATORS: document viewer buttons: bigger
        self.zoom_in.setText(tr("folder", "Bigger"))
        # TRANSLATORS: print the opened document
        self.print_button.setText(tr("folder", "Print"))
        # TRANSLATORS: choosing which of the session's documents to save into Oma kansio
        self.pick_text.setText(tr("folder", "Choose the document to save into this folder:"))
        # TRANSLATORS: save the chosen document into Oma kansio
        self.pick_button.setText(tr("folder", "Save here"))
        self.name_text.setText(self._name_title())

