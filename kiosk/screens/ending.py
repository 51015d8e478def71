"""Before the wipe: what will be removed, what to take along, and anything not yet saved."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from session.lifecycle import EndReason


@register
class EndingScreen(Screen):
    name = "ending"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        box = self.column(self)
        self.title = self.label("title")
        self.removed = self.label()
        self.reminder = self.label("subtitle")
        self.pending = self.label()
        self.pending.setStyleSheet("font-weight: bold;")
        for w in (self.title, self.removed, self.reminder, self.pending):
            box.addWidget(w)
        box.addStretch(1)
        self.retry_button = BigButton()
        self.retry_button.clicked.connect(self._retry)
        self.discard_button = BigButton("danger")
        self.discard_button.clicked.connect(self._discard)
        pend = QHBoxLayout()
        pend.addWidget(self.retry_button)
        pend.addWidget(self.discard_button)
        pend.addStretch(1)
        box.addLayout(pend)
        self.continue_button = BigButton()
        self.continue_button.clicked.connect(shell.ctx.lifecycle.cancel_end)
        self.end_button = BigButton("danger")
        self.end_button.setObjectName("confirmEnd")
        self.end_button.clicked.connect(shell.ctx.lifecycle.confirm_end)
        box.addLayout(self.row(self.continue_button, self.end_button))

    def entered(self, **params: object) -> None:
        self.retranslate()
        (self.retry_button if self.shell.ctx.lifecycle.pending() else self.end_button).setFocus()

    def _retry(self) -> None:
        self.shell.ctx.lifecycle.retry_pending()
        self.retranslate()

    def _discard(self) -> None:
        self.shell.ctx.lifecycle.discard_pending()
        self.retranslate()

    def retranslate(self) -> None:
        lc = self.shell.ctx.lifecycle
        reason = lc.end_reason
        if reason in (EndReason.IDLE, EndReason.MAX_LENGTH, EndReason.CARD_REMOVED):
            # TRANSLATORS: title when the session ended by itself (no touches, or the time was up)
            self.title.setText(tr("ending", "Your session is ending"))
        else:
            # TRANSLATORS: title of the screen that confirms ending the session
            self.title.setText(tr("ending", "End the session?"))
        vault = self.shell.ctx.vault
        count = len(vault.names()) if vault is not None else 0
        # TRANSLATORS: {count} is a number of documents
        self.removed.setText(tr("ending", "Everything you did here is removed from this booth: {count} document(s), the pages you visited and what you typed.", count=count))
        # TRANSLATORS: reminder before leaving the booth
        self.reminder.setText(tr("ending", "Remember to take your ID card, your papers from the scanner and your printouts."))
        pending = lc.pending()
        self.pending.setVisible(bool(pending))
        self.retry_button.setVisible(bool(pending))
        self.discard_button.setVisible(bool(pending))
        if pending:
            kinds = "\n".join("• " + tr("pending", p.kind) for p in pending)
            # TRANSLATORS: shown above the list of documents that did not reach Oma kansio or the staff
            self.pending.setText(tr("ending", "These are not saved yet:") + "\n" + kinds)
        # TRANSLATORS: button that tries again to save the documents not saved yet
        self.retry_button.setText(tr("ending", "Try again to save"))
        # TRANSLATORS: button that gives up on the documents not saved yet
        self.discard_button.setText(tr("ending", "Remove without saving"))
        self.continue_button.setVisible(reason is not EndReason.MAX_LENGTH)
        # TRANSLATORS: button that goes back to the session instead of ending it
        self.continue_button.setText(tr("ending", "Continue the session"))
        # TRANSLATORS: button that ends the session now and removes everything
        self.end_button.setText(tr("ending", "End now"))
        self.end_button.setEnabled(not pending)
