"""The main menu: one big tile per thing a resident can do."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.i18n import language, tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton

# (service id, screen it opens). Screens that later issues bring open "unavailable" for now.
TILES = [
    ("call", "call_check"),
    ("folder", "folder"),
    ("scan", "scan"),
    ("print", "print"),
    ("copy", "copy"),
    ("internet", "internet"),
    ("help", "help"),
]


def service_name(service: str) -> str:
    """The tile's label, also used as the service's name on other screens."""
    names = {
        # TRANSLATORS: home tile: a video call with social, health or Kela staff
        "call": tr("home", "Video call"),
        # TRANSLATORS: home tile: the resident's personal document folder (Oma kansio)
        "folder": tr("home", "My folder"),
        # TRANSLATORS: home tile: scan a paper document
        "scan": tr("home", "Scan"),
        # TRANSLATORS: home tile: print a document
        "print": tr("home", "Print"),
        # TRANSLATORS: home tile: photocopy a paper document
        "copy": tr("home", "Copy"),
        # TRANSLATORS: home tile: use allowed web services such as Kela or Suomi.fi
        "internet": tr("home", "Internet"),
        # TRANSLATORS: home tile: instructions and calling the local contact person
        "help": tr("home", "Help"),
    }
    return names[service]


@register
class HomeScreen(Screen):
    name = "home"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        box = self.column(self)
        self.title = self.label("title")
        self.subtitle = self.label("subtitle")
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        # The booth's own notice ([messages] home, or the admins' remote configuration).
        self.notice = self.label("notice")
        box.addWidget(self.notice)
        # Shown while the resident's ID card is in and not yet proven theirs with the PIN.
        self.identify_button = BigButton("primary")
        self.identify_button.setObjectName("identify")
        self.identify_button.clicked.connect(lambda: self.open("card", "card_pin"))
        box.addLayout(self.row(self.identify_button, stretch_first=False))
        self.identify_button.setVisible(False)
        grid = QGridLayout()
        grid.setSpacing(24)
        self.tiles: dict[str, BigButton] = {}
        for i, (service, target) in enumerate(TILES):
            b = BigButton("tile")
            b.setObjectName(f"tile_{service}")
            b.clicked.connect(lambda _=False, s=service, t=target: self.open(s, t))
            grid.addWidget(b, i // 4, i % 4)
            self.tiles[service] = b
        box.addLayout(grid, 1)

    def open(self, service: str, target: str) -> None:
        self.shell.ctx.lifecycle.use_service(service)
        if service == "call" and self.shell.screens["call"].in_call:
            target = "call"  # a call is running: back to it, not to a new one
        self.shell.navigate(target, service=service)

    def card_changed(self) -> None:
        holder = self.shell.ctx.card_holder
        self.identify_button.setVisible(holder.identity is not None and not holder.verified)
        self.retranslate()

    def retranslate(self) -> None:
        identity = self.shell.ctx.card_holder.identity
        if identity is not None:
            # TRANSLATORS: greeting at the top of the main menu when the resident's ID card is in; {name} is a first name
            self.title.setText(tr("home", "Welcome, {name}", name=identity.first_name))
        else:
            # TRANSLATORS: greeting at the top of the main menu
            self.title.setText(tr("home", "Welcome"))
        # TRANSLATORS: button on the main menu: prove who you are with the ID card's PIN (to sign in to services)
        self.identify_button.setText(tr("home", "Identify with your ID card"))
        # TRANSLATORS: under the greeting on the main menu
        self.subtitle.setText(tr("home", "Choose what you want to do."))
        for service, b in self.tiles.items():
            b.setText(service_name(service))
        notices = self.shell.ctx.config.messages.home
        notice = notices.get(language()) or notices.get(self.shell.ctx.config.languages.default, "")
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))

    def entered(self, **params: object) -> None:
        self.card_changed()
        self.tiles["call"].setFocus()
