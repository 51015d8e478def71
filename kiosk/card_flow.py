"""What an ID card in the reader means for the resident's session: a card put in on the
idle screen starts a session and greets its holder by first name; a card that cannot be
read is explained; taking the holder's card out asks whether to end (or ends, by config).
Events arrive on the UI thread through CardLink."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from devices.card.errors import (
    CardError,
    CardNotAnswering,
    CardRemoved,
    NotAnIdCard,
    ReaderUnavailable,
)
from devices.card.events import CardEvent, CardFailed, CardRead, CardTakenOut
from kiosk.card_link import CardLink
from kiosk.i18n import tr
from kiosk.overlays.notice import Choice, Notice
from session.lifecycle import EndReason, State

if TYPE_CHECKING:
    from kiosk.shell import Shell

log = logging.getLogger(__name__)


def failure_notice(error: CardError) -> Notice:
    """The plain sentence for a card that could not be used; nothing the resident did is lost."""
    if isinstance(error, NotAnIdCard):
        # TRANSLATORS: title: the inserted card is e.g. a bank card, not a Finnish ID card
        title = lambda: tr("card", "This is not an ID card")
        # TRANSLATORS: the booth reads only Finnish ID cards; the resident can go on without one
        detail = lambda: tr("card", "The booth reads Finnish ID cards. Take the card out. You can use the booth without a card.")
    elif isinstance(error, CardRemoved):
        # TRANSLATORS: title: the card came out before the booth had read it
        title = lambda: tr("card", "The card was taken out too soon")
        # TRANSLATORS: how to put the ID card back so it can be read
        detail = lambda: tr("card", "Put your ID card back in the reader and leave it there.")
    elif isinstance(error, ReaderUnavailable):
        # TRANSLATORS: title: the card reader itself does not work
        title = lambda: tr("card", "The card reader does not work")
        # TRANSLATORS: the reader is broken or unplugged; the contact person is told in maintenance mode
        detail = lambda: tr("card", "You can use the booth without a card. If you need it, ask the contact person for help.")
    else:
        if not isinstance(error, CardNotAnswering):
            log.info("card not readable: %s", error)
        # TRANSLATORS: title: the ID card could not be read (damaged, dirty, or it stopped answering)
        title = lambda: tr("card", "The card could not be read")
        # TRANSLATORS: what to try when the ID card could not be read
        detail = lambda: tr("card", "Take the card out and put it back in, chip first. If it still does not work, you can use the booth without a card.")
    return Notice("card_failed", title, detail)


class CardFlow(QObject):
    def __init__(self, shell: Shell, link: CardLink) -> None:
        super().__init__(shell)
        self.shell = shell
        self.link = link
        link.event.connect(self.on_event)

    @property
    def holder(self):  # type: ignore[no-untyped-def]
        return self.shell.ctx.card_holder

    def on_event(self, event: CardEvent) -> None:
        if self.shell.current == "maintenance" or self.shell.cleaning.active:
            return  # maintenance reads cards for its own test; the glass is being cleaned
        if isinstance(event, CardRead):
            self._read(event)
        elif isinstance(event, CardFailed):
            self._failed(event)
        elif isinstance(event, CardTakenOut):
            self._taken_out(event)

    def _in_session(self) -> bool:
        lc = self.shell.ctx.lifecycle
        if lc.state is State.ATTRACT:
            lc.start()  # navigates home through the lifecycle's change callback
        if lc.state is not State.ACTIVE:
            return False
        lc.activity()
        return True

    def _read(self, event: CardRead) -> None:
        if not self._in_session():
            return
        self.holder.card_read(event.reader, event.identity)
        self.shell.ctx.lifecycle.use_service("card")
        self.shell.notices.dismiss("card_removed")
        self.shell.notices.dismiss("card_failed")
        self.shell.card_changed()

    def _failed(self, event: CardFailed) -> None:
        if not self._in_session():
            return
        self.shell.notices.show_notice(failure_notice(event.error))

    def _taken_out(self, event: CardTakenOut) -> None:
        if not self.holder.taken_out(event.reader):
            return
        self.shell.card_changed()
        lc = self.shell.ctx.lifecycle
        if lc.state is not State.ACTIVE:
            return
        if self.shell.ctx.config.devices.card_removed == "end":
            lc.request_end(EndReason.CARD_REMOVED)
            return
        self.shell.notices.show_notice(Notice(
            "card_removed",
            # TRANSLATORS: title shown when the resident takes their ID card out during a session
            lambda: tr("card", "You took out your ID card"),
            # TRANSLATORS: question after the ID card was taken out; ending removes their documents
            lambda: tr("card", "Do you want to end the session? When it ends, your documents are removed from this booth."),
            (
                # TRANSLATORS: button: keep using the booth after taking the card out
                Choice(lambda: tr("card", "Continue"), self.shell.ctx.lifecycle.activity, "key"),
                # TRANSLATORS: button: end the session after taking the card out
                Choice(lambda: tr("card", "End the session"), lambda: lc.request_end(EndReason.RESIDENT), "danger"),
            ),
        ))
