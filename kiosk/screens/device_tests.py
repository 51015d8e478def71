"""Maintenance's device tests, for the contact person: print a test page, scan one, see
the camera, read a card, read a barcode; each says plainly what happened. Part of the
maintenance screen (a page of it), not a screen of its own: it needs the PIN first."""
from __future__ import annotations

import datetime as dt
import io
import logging
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from devices.barcode.payload import sanitise
from devices.card.events import CardEvent, CardFailed, CardRead
from devices.printer import JobHandle, JobState, PrintOptions
from devices.scanner import ColourMode, ScanOptions
from kiosk.i18n import tr
from kiosk.print_job_watch import JobWatch
from kiosk.screens.base import Screen
from kiosk.screens.scan import qimage
from kiosk.widgets.buttons import BigButton
from kiosk.widgets.self_view import SelfView
from session.vault import Vault

if TYPE_CHECKING:
    from kiosk.shell import Shell

log = logging.getLogger(__name__)


def test_page_pdf(booth: str) -> bytes:
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    draw.text((100, 100), f"Virtu - {booth} - test page {dt.datetime.now():%Y-%m-%d %H:%M}", fill=0)
    for i in range(6):
        draw.rectangle((100 + 170 * i, 200, 240 + 170 * i, 340), fill=40 * i)
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=150)
    return buf.getvalue()


class DeviceTests(QWidget):
    def __init__(self, shell: "Shell", back) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.shell = shell
        self.watching = ""
        self._result = lambda: ""
        self._vault: Vault | None = None
        box = Screen.column(self, margins=32)
        self.title = Screen.label("title")
        self.result = Screen.label("banner")
        self.result.setObjectName("deviceResult")
        box.addWidget(self.title)
        box.addWidget(self.result)
        row = QHBoxLayout()
        self.picture = Screen.label()
        self.picture.setObjectName("devicePicture")
        self.picture.setFixedSize(340, 481)
        self.camera_view = SelfView()
        self.camera_view.setFixedSize(480, 270)
        self.camera_view.hide()
        row.addWidget(self.picture)
        row.addWidget(self.camera_view)
        row.addStretch(1)
        box.addLayout(row, 1)
        grid = QGridLayout()
        self.buttons: dict[str, BigButton] = {}
        for i, (key, handler) in enumerate([
            ("print", self.print_test_page), ("scan", self.scan_test_page), ("camera", self.camera_preview),
            ("card", self.read_card), ("barcode", self.read_barcode), ("back", back),
        ]):
            b = BigButton("primary" if key == "back" else "")
            b.setObjectName(f"device_{key}")
            b.clicked.connect(handler)
            grid.addWidget(b, i // 3, i % 3)
            self.buttons[key] = b
        box.addLayout(grid)
        self.watch = JobWatch(shell, self._print_state, self._print_failed, self)
        self._card_connected = False

    def _say(self, text) -> None:  # type: ignore[no-untyped-def]
        self._result = text
        self.result.setText(text())

    def stop(self) -> None:
        """Leaving the page: camera and readers go back to the resident's screens."""
        self.watching = ""
        self.camera_view.stop()
        self.camera_view.hide()
        reader = getattr(self.shell, "code_reader", None)
        if reader is not None and self.shell.current != "home":
            reader.stop()

    # --- printer ------------------------------------------------------------------------
    def print_test_page(self) -> None:
        ctx = self.shell.ctx
        printer = ctx.printer
        self.stop()
        if printer is None:
            # TRANSLATORS: device test: there is no printer
            self._say(lambda: tr("devices", "No printer is set up."))
            return
        vault = Vault.create(ctx.paths)  # a vault of its own: no resident's session is involved
        vault.write_bytes("test-page.pdf", test_page_pdf(ctx.config.booth.name))
        self._vault = vault
        # TRANSLATORS: device test: the test page is on its way to the printer
        self._say(lambda: tr("devices", "Sending a test page to the printer…"))
        self.shell.bridge.run(lambda: printer.print_document(vault, "test-page.pdf", PrintOptions(), pages_left=1),
                              self._printing, self._print_failed, name="test-page")

    def _printing(self, job: JobHandle) -> None:
        self.watch.watch(job)

    def _print_state(self, state: JobState) -> None:
        self._done_printing()
        if state is JobState.DONE:
            # TRANSLATORS: device test: the printer printed the test page
            self._say(lambda: tr("devices", "The test page was printed."))
        else:
            # TRANSLATORS: device test: the printer failed the test page
            self._say(lambda: tr("devices", "The printer could not print the test page. See the printer's health line."))

    def _print_failed(self, error: BaseException) -> None:
        log.warning("test page failed: %s", error)
        self._done_printing()
        # TRANSLATORS: device test: the test page could not be sent
        self._say(lambda: tr("devices", "The test page could not be sent to the printer."))

    def _done_printing(self) -> None:
        self.watch.stop()
        if self._vault is not None:
            self._vault.wipe()
            self._vault = None

    # --- scanner ------------------------------------------------------------------------
    def scan_test_page(self) -> None:
        slot = self.shell.ctx.scanner
        self.stop()
        if slot is None:
            # TRANSLATORS: device test: there is no scanner
            self._say(lambda: tr("devices", "No scanner is set up."))
            return
        # TRANSLATORS: device test: scanning
        self._say(lambda: tr("devices", "Scanning a test page…"))

        def work() -> Image.Image:
            scanner = slot.get()
            if scanner is None:
                raise RuntimeError("no scanner")
            return scanner.scan(ScanOptions(resolution=150, mode=ColourMode.GREY))

        def shown(image: Image.Image) -> None:
            self.picture.setPixmap(QPixmap.fromImage(qimage(image, self.picture.size())))
            w, h = image.size
            # TRANSLATORS: device test: the scan worked; {width}×{height} pixels
            self._say(lambda: tr("devices", "The scanner works: {width} × {height} pixels.", width=w, height=h))

        def failed(error: BaseException) -> None:
            log.warning("test scan failed: %s", error)
            # TRANSLATORS: device test: the scan failed
            self._say(lambda: tr("devices", "The scanner did not scan. See the scanner's health line."))

        self.shell.bridge.run(work, shown, failed, name="test-scan")

    # --- camera, card, barcode ----------------------------------------------------------
    def camera_preview(self) -> None:
        self.stop()
        camera = self.shell.ctx.camera
        if camera is None:
            # TRANSLATORS: device test: there is no camera
            self._say(lambda: tr("devices", "No camera is set up."))
            return
        self.camera_view.show()
        self.camera_view.start(camera)
        # TRANSLATORS: device test: the camera's picture is shown
        self._say(lambda: tr("devices", "This is the camera's picture. If it stays black, see the camera's health line."))

    def read_card(self) -> None:
        self.stop()
        self.watching = "card"
        link = getattr(self.shell, "card_link", None)  # made after the screens (kiosk/qt_main.py)
        if link is not None and not self._card_connected:
            link.event.connect(self._card_event)
            self._card_connected = True
        # TRANSLATORS: device test: waiting for an ID card
        self._say(lambda: tr("devices", "Put an ID card in the reader."))

    def _card_event(self, event: CardEvent) -> None:
        if self.watching != "card" or self.shell.current != "maintenance":
            return
        if isinstance(event, CardRead):
            i = event.identity
            who, until = f"{i.first_name} {i.surname[:1]}.", f"{i.not_after:%d.%m.%Y}"
            # TRANSLATORS: device test: the card was read; {name} first name and initial, {date} the certificate's end
            self._say(lambda: tr("devices", "Card read: {name}, certificate valid until {date}.", name=who, date=until))
        elif isinstance(event, CardFailed):
            reason = str(event.error)
            # TRANSLATORS: device test: the card could not be read; {reason} is a technical English reason
            self._say(lambda: tr("devices", "The card could not be read ({reason}).", reason=reason))

    def read_barcode(self) -> None:
        self.stop()
        self.watching = "barcode"
        reader = getattr(self.shell, "code_reader", None)
        if reader is not None:
            reader.start()
        # TRANSLATORS: device test: waiting for a barcode from the camera or the barcode reader
        self._say(lambda: tr("devices", "Hold a code to the camera, or read one with the barcode reader."))

    def barcode_seen(self, raw: str) -> None:
        if self.watching != "barcode":
            return
        text = sanitise(raw)[0][:80]
        # TRANSLATORS: device test: a code was read; {code} is its beginning
        self._say(lambda: tr("devices", "Code read: {code}", code=text))

    def retranslate(self) -> None:
        # TRANSLATORS: title of maintenance's device tests
        self.title.setText(tr("devices", "Device tests"))
        names = {
            # TRANSLATORS: device test button
            "print": tr("devices", "Print a test page"),
            # TRANSLATORS: device test button
            "scan": tr("devices", "Scan a test page"),
            # TRANSLATORS: device test button
            "camera": tr("devices", "Camera picture"),
            # TRANSLATORS: device test button
            "card": tr("devices", "Read a card"),
            # TRANSLATORS: device test button
            "barcode": tr("devices", "Read a barcode"),
            # TRANSLATORS: back to the maintenance overview
            "back": tr("devices", "Back"),
        }
        for key, b in self.buttons.items():
            b.setText(names[key])
        self.result.setText(self._result())
