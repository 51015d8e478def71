"""Everything the shell and its screens share, built once by the composition root."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from devices.camera import CameraOwner
from devices.card.watcher import CardWatcher
from devices.printer import CupsPrinter
from devices.setup import ScannerSlot
from devices.health import Health
from fleet.booth import BoothAgent
from kiosk.admin.auth import MaintenanceAuth
from kiosk.admin.log_buffer import RingBufferHandler
from kiosk.config import KioskConfig
from session.card_holder import CardHolder
from session.clock import Clock
from session.lifecycle import Lifecycle
from session.paths import Paths
from session.print_quota import PrintQuota
from session.stats import UsageStats
from session.vault import Vault

# The distinct exit status that tells the booth's supervisor (systemd, Shell Launcher)
# not to restart the kiosk: a contact person stopped it for servicing.
EXIT_STOP_FOR_SERVICING = 75
# Maintenance's "restart": the CLI starts the program afresh in the same process slot.
EXIT_RESTART = 76


@dataclass
class KioskContext:
    config: KioskConfig
    paths: Paths
    clock: Clock
    lifecycle: Lifecycle
    stats: UsageStats
    auth: MaintenanceAuth
    logs: RingBufferHandler
    demo: bool
    config_path: Path | None
    health_checks: list[Callable[[], Health]] = field(default_factory=list)
    camera: CameraOwner | None = None
    card_reader: CardWatcher | None = None
    """Not started here: the Qt layer starts it once it listens (kiosk/card_link.py)."""
    card_holder: CardHolder = field(default_factory=CardHolder)
    scanner: ScannerSlot | None = None
    printer: CupsPrinter | None = None
    print_quota: PrintQuota = field(default_factory=lambda: PrintQuota(30))
    booth_link: Callable[[str], str] | None = None
    """Fetches a join link for one of the booth's lines ("" its room, "contact" the contact
    person's); blocking: called off the UI thread."""
    fleet: BoothAgent | None = None
    """Reports to the fleet service and fetches its configuration; started by the Qt layer."""
    restart_when_idle: bool = False
    """A newer configuration was taken: restart between sessions to put it to use."""
    vault: Vault | None = None
    """The current session's vault; None between sessions."""

    def health(self) -> list[Health]:
        return [check() for check in self.health_checks]
