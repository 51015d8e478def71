"""Identify with the ID card: PIN 1 on the on-screen keypad, then the card signs a challenge.

The PIN goes to the card from a worker thread as a bytearray that is zeroed afterwards; it
is never logged, shown or kept (the keypad shows dots and forgets its digits on submit).
"""
from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from devices.card import watcher as card_io
from devices.card.errors import (
    CardError,
    CardRemoved,
    CertificateExpired,
    PinBlocked,
    WrongPin,
)
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.pin_pad import PinPad

MIN_DIGITS = 4
log = logging.getLogger(__name__)


@register
class CardPinScreen(Screen):
    name = "card_pin"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self._status = lambda: ""
        self._busy = False
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 24, 48, 24)
        outer.setSpacing(48)
        left = QWidget()
        box = QVBoxLayout(left)
        box.setSpacing(24)
        self.title = self.label("title")
        self.explain = self.label("subtitle")
        self.status = self.label("banner")
        self.status.setObjectName("cardPinStatus")
        self.done_button = BigButton("primary")
        self.done_button.setObjectName("cardPinDone")
        self.done_button.clicked.connect(lambda: shell.navigate("home"))
        for w in (self.title, self.explain, self.status):
            box.addWidget(w)
        box.addLayout(self.row(self.done_button, stretch_first=False))
        box.addStretch(1)
        self.pad = PinPad()
        self.pad.setObjectName("cardPinPad")
        self.pad.setFixedWidth(560)
        self.pad.submitted.connect(self.submit)
        outer.addWidget(left, 1)
        outer.addWidget(self.pad)

    # --- state ------------------------------------------------------------------------
    @property
    def holder(self):  # type: ignore[no-untyped-def]
        return self.shell.ctx.card_holder

    def _say(self, text) -> None:  # type: ignore[no-untyped-def]
        self._status = text
        self.status.setText(text())

    def entered(self, **params: object) -> None:
        self.pad.clear()
        self._busy = False
        self.retranslate()
        self.card_changed()

    def card_changed(self) -> None:
        """The card went in or out (CardFlow tells the shell, the shell tells us)."""
        if self._busy or self.shell.current != self.name:
            return
        identity = self.holder.identity
        self.done_button.setVisible(self.holder.verified)
        if self.holder.verified and identity is not None:
            # TRANSLATORS: after a correct PIN; {name} is the card holder's full name
            self._say(lambda: tr("card_pin", "You are identified as {name}.", name=identity.full_name))
            self.pad.setEnabled(False)
            return
        if identity is None:
            # TRANSLATORS: the identify screen is open but no ID card is in the reader
            self._say(lambda: tr("card_pin", "Put your ID card in the card reader."))
            self.pad.setEnabled(False)
            return
        if identity.expired(dt.datetime.now(dt.UTC)):
            self._expired()
            return
        self.pad.setEnabled(False)
        # TRANSLATORS: shown for a moment while the booth asks the card how many PIN tries are left
        self._say(lambda: tr("card_pin", "Checking the card…"))
        reader = self.holder.reader
        self.shell.bridge.run(lambda: card_io.tries_left(reader), self._tries_known, self._failed, name="card-tries")

    def _tries_known(self, tries: int) -> None:
        if self.holder.identity is None or self._busy:
            return
        if tries <= 0:
            self._failed(PinBlocked())
            return
        self.pad.setEnabled(True)
        self.pad.setFocus()
        # TRANSLATORS: before typing the PIN; {count} is how many tries are left before it locks
        self._say(lambda: tr("card_pin", "Type your PIN code. Tries left: {count}.", count=tries))

    def _expired(self) -> None:
        self.pad.setEnabled(False)
        identity = self.holder.identity
        date = identity.not_after.strftime("%d.%m.%Y") if identity is not None else ""
        # TRANSLATORS: the card's certificate is out of date; {date} like 31.12.2025
        self._say(lambda: tr("card_pin", "Your ID card's certificate expired on {date}, so you cannot identify with it. You can still use the booth. A new card is applied for at the police.", date=date))

    # --- the PIN ------------------------------------------------------------------------
    def submit(self, pin: str) -> None:
        identity, reader = self.holder.identity, self.holder.reader
        if self._busy or identity is None or reader is None:
            return
        if len(pin) < MIN_DIGITS:
            # TRANSLATORS: the resident typed fewer than 4 digits
            self._say(lambda: tr("card_pin", "The PIN code has at least 4 digits. Type it again."))
            return
        if identity.expired(dt.datetime.now(dt.UTC)):
            self._failed(CertificateExpired())
            return
        secret = bytearray(pin.encode("ascii"))
        del pin
        self._busy = True
        self.pad.setEnabled(False)
        # TRANSLATORS: while the card checks the PIN (takes a second)
        self._say(lambda: tr("card_pin", "Checking the PIN…"))
        lc = self.shell.ctx.lifecycle
        lc.begin_busy(self, "card")

        def finished(_result: object) -> None:
            lc.end_busy(self)
            self._busy = False
            if self.holder.identity is identity:
                self.holder.verified = True
                self.shell.card_changed()

        def failed(error: BaseException) -> None:
            lc.end_busy(self)
            self._busy = False
            self._failed(error)

        self.shell.bridge.run(lambda: card_io.identify(reader, identity, secret), finished, failed, name="card-identify")

    def _failed(self, error: BaseException) -> None:
        self.pad.clear()
        if isinstance(error, WrongPin):
            self.pad.setEnabled(True)
            self.pad.setFocus()
            if error.tries_left == 1:
                # TRANSLATORS: wrong PIN and only one try is left
                self._say(lambda: tr("card_pin", "The PIN code was wrong. Only 1 try is left: if it is wrong again, the PIN is locked."))
            else:
                # TRANSLATORS: wrong PIN; {count} is the tries left
                self._say(lambda: tr("card_pin", "The PIN code was wrong. Tries left: {count}.", count=error.tries_left))
            return
        self.pad.setEnabled(False)
        if isinstance(error, PinBlocked):
            # TRANSLATORS: the PIN is locked after too many wrong tries; PUK is the unlock code in the card's letter
            self._say(lambda: tr("card_pin", "The PIN code is locked because it was typed wrong too many times. You can open it with the PUK code from your card's letter, or at the police. You can still use the booth."))
        elif isinstance(error, CertificateExpired):
            self._expired()
        elif isinstance(error, CardRemoved):
            # TRANSLATORS: the card was taken out (or swapped) while identifying
            self._say(lambda: tr("card_pin", "The card was taken out. Put it back in to identify."))
        else:
            if not isinstance(error, CardError):
                log.error("identifying failed unexpectedly: %s", type(error).__name__)
            # TRANSLATORS: the card did not answer while identifying
            self._say(lambda: tr("card_pin", "The card could not be read. Take it out and put it back in."))

    def retranslate(self) -> None:
        # TRANSLATORS: title of the screen where the resident types the ID card's PIN
        self.title.setText(tr("card_pin", "Identify with your ID card"))
        # TRANSLATORS: explains which PIN; PIN 1 is the basic code of a Finnish ID card
        self.explain.setText(tr("card_pin", "Type PIN code 1 of your ID card on the keypad. Only dots are shown, and the booth does not keep the code."))
        # TRANSLATORS: button after identifying: back to the main menu
        self.done_button.setText(tr("card_pin", "Continue"))
        self.status.setText(self._status())
        self.pad.retranslate()
