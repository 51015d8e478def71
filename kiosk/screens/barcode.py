"""What a scanned code says. Nothing in it is opened or run: the resident sees it first."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QTextOption
from PySide6.QtWidgets import QPlainTextEdit

from devices.barcode.payload import Payload, RoomInvitation, Text, WebLink
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton


@register
class BarcodeScreen(Screen):
    name = "barcode"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.payload: Payload = Text("")
        box = self.column(self)
        self.title = self.label("title")
        self.kind = self.label("subtitle")
        self.kind.setObjectName("barcodeKind")
        # A plain-text box, not a label: a long link has no spaces to wrap at.
        self.text = QPlainTextEdit()
        self.text.setObjectName("barcodeText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.text.setWordWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        self.text.setMaximumHeight(260)
        self.copied = self.label()
        self.copy_button = BigButton("primary")
        self.copy_button.setObjectName("copyCode")
        self.copy_button.clicked.connect(self.copy)
        for w in (self.title, self.kind, self.text, self.copied):
            box.addWidget(w)
        self.join_button = BigButton("primary")
        self.join_button.setObjectName("joinInvitation")
        self.join_button.clicked.connect(self.join)
        self.open_button = BigButton("primary")
        self.open_button.setObjectName("openLink")
        self.open_button.clicked.connect(self.open_link)
        copy_row = self.row(self.join_button, self.open_button, self.copy_button, stretch_first=False)
        copy_row.addStretch(1)
        box.addLayout(copy_row)
        box.addStretch(1)

    def entered(self, **params: object) -> None:
        payload = params.get("payload")
        if isinstance(payload, (Text, WebLink, RoomInvitation)):
            self.payload = payload
        self.copied.setText("")
        self.retranslate()
        is_invitation = isinstance(self.payload, RoomInvitation)
        self.join_button.setVisible(is_invitation)
        self.open_button.setVisible(isinstance(self.payload, WebLink))
        self.text.setVisible(not is_invitation)  # the token is nobody's business
        self.copy_button.setVisible(not is_invitation)
        (self.join_button if is_invitation else self.copy_button).setFocus()

    def open_link(self) -> None:
        if isinstance(self.payload, WebLink):
            self.shell.navigate("internet", url=self.payload.url)

    def join(self) -> None:
        if isinstance(self.payload, RoomInvitation):
            self.shell.navigate("call_check", link=self.payload.url)

    def shown_text(self) -> str:
        return self.payload.text if isinstance(self.payload, Text) else self.payload.url

    def copy(self) -> None:
        """To the clipboard, which the session's wipe clears."""
        QGuiApplication.clipboard().setText(self.shown_text())
        # TRANSLATORS: after the scanned text was copied, e.g. to paste it into a form
        self.copied.setText(tr("barcode", "Copied. You can paste it into a form."))

    def retranslate(self) -> None:
        # TRANSLATORS: title of the screen that shows what a scanned barcode or QR code contains
        self.title.setText(tr("barcode", "Scanned code"))
        p = self.payload
        if isinstance(p, RoomInvitation):
            # TRANSLATORS: the scanned code is an invitation to a video call
            self.kind.setText(tr("barcode", "This is an invitation to a video call."))
        elif isinstance(p, WebLink):
            # TRANSLATORS: the scanned code is a link to an allowed web service; {host} like www.kela.fi
            self.kind.setText(tr("barcode", "This is a link to {host}.", host=p.host))
        elif p.truncated:
            # TRANSLATORS: the code held more text than the booth shows
            self.kind.setText(tr("barcode", "The code holds a long text; only its beginning is shown."))
        else:
            # TRANSLATORS: the code holds plain text (not a link the booth can open)
            self.kind.setText(tr("barcode", "The code holds this text:"))
        self.text.setPlainText(self.shown_text())
        # TRANSLATORS: button that copies the scanned text to the clipboard
        self.copy_button.setText(tr("barcode", "Copy the text"))
        # TRANSLATORS: button that opens the scanned link in the booth's browser
        self.open_button.setText(tr("barcode", "Open the page"))
        # TRANSLATORS: button that joins the video call the scanned invitation is for
        self.join_button.setText(tr("barcode", "Join the call"))
