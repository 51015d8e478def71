"""The virtual reader's side: its name, and waiting until pcscd has seen a card come or go."""
from __future__ import annotations

import time

VPCD_READER = "Virtual PCD 00 00"


def wait_reader(present: bool, timeout: float = 5.0, reader: str = VPCD_READER) -> None:
    """pcscd polls ~every 400 ms: a removal and a new insertion inside one poll are missed,
    so callers wait until pcscd itself reports the reader's state (RECIPES.md)."""
    from smartcard import scard

    from devices.card import pcsc

    ctx = pcsc.establish()
    try:
        state = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hresult, result = scard.SCardGetStatusChange(ctx, 200, [(reader, state)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = result[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
        raise AssertionError(f"pcscd never reported the card {'in' if present else 'out'}")
    finally:
        pcsc.release(ctx)
