"""What a tile opens while its service is not in this booth yet."""
from __future__ import annotations

from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.screens.home import service_name


@register
class UnavailableScreen(Screen):
    name = "unavailable"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        self.service = "call"
        box = self.column(self)
        self.title = self.label("title")
        self.body = self.label()
        box.addWidget(self.title)
        box.addWidget(self.body)
        box.addStretch(1)

    def entered(self, **params: object) -> None:
        self.service = str(params.get("service", self.service))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(service_name(self.service))
        # TRANSLATORS: shown when a service on the main menu does not work in this booth yet
        self.body.setText(tr("unavailable", "This service is not available yet. It will come to this booth later. Press Home to choose something else."))
