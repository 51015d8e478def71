"""The printer's own state over IPP (ipptool -j): CUPS's copy of the reasons goes stale
between jobs and pycups cannot decode printer-supply."""
from __future__ import annotations

import enum
import json
import subprocess
from pathlib import Path

_TEST = Path(__file__).with_name("printer-state.test")


class PrinterState(enum.Enum):
    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"
    OUT_OF_PAPER = "out of paper"
    TONER_LOW = "toner low"
    OFFLINE = "offline"


def _attrs(uri: str, timeout: float) -> dict[str, object]:
    out = subprocess.run(
        ["ipptool", "-T", str(int(max(1, timeout))), "-j", uri, str(_TEST)],
        capture_output=True, text=True, timeout=timeout + 5, check=False,
    ).stdout
    merged: dict[str, object] = {}
    for group in json.loads(out or "[]")[1:]:
        if isinstance(group, dict):
            merged.update(group)
    return merged


def printer_state(uri: str, timeout: float = 5.0) -> PrinterState:
    try:
        attrs = _attrs(uri, timeout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError, OSError):
        return PrinterState.OFFLINE
    if not attrs:
        return PrinterState.OFFLINE
    reasons = attrs.get("printer-state-reasons", [])
    reasons = [reasons] if isinstance(reasons, str) else list(reasons)  # type: ignore[arg-type]
    if any(r.startswith(("media-empty", "media-needed")) for r in reasons):
        return PrinterState.OUT_OF_PAPER
    if any(r.startswith(("toner-low", "marker-supply-low", "toner-empty", "marker-supply-empty")) for r in reasons):
        return PrinterState.TONER_LOW
    return {3: PrinterState.IDLE, 4: PrinterState.PRINTING, 5: PrinterState.STOPPED}.get(
        attrs.get("printer-state"), PrinterState.OFFLINE)  # type: ignore[arg-type]
