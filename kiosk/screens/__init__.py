"""One module per screen; each registers itself by name with `register`."""
from __future__ import annotations

from kiosk.screens.base import SCREENS, Screen, register

__all__ = ["SCREENS", "Screen", "register", "load_all"]


def load_all() -> dict[str, type[Screen]]:
    """Import every screen module so they register (kept explicit: a frozen build needs the names)."""
    from kiosk.screens import (  # noqa: F401
        attract,
        barcode,
        call,
        call_check,
        card_pin,
        closed,
        copy,
        ending,
        feedback,
        folder,
        help,
        home,
        internet,
        maintenance,
        printing,
        scan,
        unavailable,
    )

    return SCREENS
