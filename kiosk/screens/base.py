"""What every screen shares: registration, retranslation and the way back home."""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


if TYPE_CHECKING:
    from kiosk.shell import Shell

SCREENS: dict[str, type["Screen"]] = {}
S = TypeVar("S", bound=type["Screen"])


def register(cls: S) -> S:
    SCREENS[cls.name] = cls
    return cls


class Screen(QWidget):
    name: ClassVar[str] = ""
    needs_session: ClassVar[bool] = True
    """Screens of a resident's session; others (attract, closed, maintenance) stand outside one."""

    def __init__(self, shell: "Shell") -> None:
        super().__init__()
        self.shell = shell
        self.setObjectName(f"screen_{self.name}")

    def retranslate(self) -> None:
        """Set every visible text through tr(); called on build and on every language switch."""
        raise NotImplementedError

    def entered(self, **params: object) -> None:
        """Called each time the screen is shown, with what the caller passed to navigate()."""

    # --- helpers for the common layout -------------------------------------------
    @staticmethod
    def label(role: str = "", wrap: bool = True) -> QLabel:
        lab = QLabel()
        if role:
            lab.setProperty("role", role)
        lab.setWordWrap(wrap)
        lab.setTextInteractionFlags(Qt.NoTextInteraction)
        return lab

    @staticmethod
    def column(parent: QWidget, margins: int = 48) -> QVBoxLayout:
        box = QVBoxLayout(parent)
        box.setContentsMargins(margins, margins // 2, margins, margins // 2)
        box.setSpacing(24)
        return box

    @staticmethod
    def row(*widgets: QWidget, stretch_first: bool = True) -> QHBoxLayout:
        r = QHBoxLayout()
        r.setSpacing(24)
        if stretch_first:
            r.addStretch(1)
        for w in widgets:
            r.addWidget(w)
        return r
