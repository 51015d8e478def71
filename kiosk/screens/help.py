"""Plain instructions, and how to reach the booth's contact person."""
from __future__ import annotations

from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton


@register
class HelpScreen(Screen):
    name = "help"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        box = self.column(self)
        self.title = self.label("title")
        self.steps = self.label()
        self.contact = self.label("subtitle")
        self.call_button = BigButton("primary")
        # The contact person answers the booth's help line in their browser, like staff do.
        self.call_button.clicked.connect(lambda: shell.navigate("call_check", line="contact"))
        box.addWidget(self.title)
        box.addWidget(self.steps)
        box.addWidget(self.contact)
        box.addLayout(self.row(self.call_button, stretch_first=False))
        box.addStretch(1)

    def retranslate(self) -> None:
        # TRANSLATORS: title of the help screen
        self.title.setText(tr("help", "Help"))
        # TRANSLATORS: the help screen's instructions; keep the lines short and plain
        self.steps.setText(tr("help", "Touch a button to choose. Press Home to get back to the start. Use the buttons at the top to change the language, make the text bigger or use high contrast. When you are done, press End session: everything you did here is removed from this booth."))
        phone = self.shell.ctx.config.booth.contact_phone
        # TRANSLATORS: {phone} is the contact person's telephone number
        self.contact.setText(tr("help", "The contact person of this service point: {phone}", phone=phone) if phone else "")
        # TRANSLATORS: button on the help screen that starts a video call to the local contact person
        self.call_button.setText(tr("help", "Call the contact person"))
