"""Outside opening hours: when the booth is open, and where to get help meanwhile."""
from __future__ import annotations

from kiosk.config import opening_intervals
from kiosk.i18n import tr
from kiosk.screens.base import Screen, register


def weekday_names() -> list[str]:
    return [
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Monday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Tuesday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Wednesday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Thursday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Friday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Saturday"),
        # TRANSLATORS: weekday in the opening-hours list
        tr("closed", "Sunday"),
    ]


@register
class ClosedScreen(Screen):
    name = "closed"
    needs_session = False

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        box = self.column(self)
        self.title = self.label("title")
        self.hours = self.label("subtitle")
        self.help = self.label()
        box.addStretch(1)
        for w in (self.title, self.hours, self.help):
            box.addWidget(w)
        box.addStretch(1)

    def retranslate(self) -> None:
        cfg = self.shell.ctx.config
        # TRANSLATORS: title shown outside the booth's opening hours
        self.title.setText(tr("closed", "The service point is closed"))
        lines = []
        for day, name in enumerate(weekday_names()):
            intervals = opening_intervals(cfg, day) or []
            # TRANSLATORS: opening hours of a day when the booth does not open
            hours = ", ".join(f"{a // 60:02d}.{a % 60:02d}–{b // 60:02d}.{b % 60:02d}" for a, b in intervals) or tr("closed", "closed")
            lines.append(f"{name}: {hours}")
        self.hours.setText("\n".join(lines))
        phone = cfg.booth.contact_phone
        # TRANSLATORS: {phone} is the contact person's telephone number
        self.help.setText(tr("closed", "For help, call {phone}.", phone=phone) if phone else "")

