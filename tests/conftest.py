"""Shared fixtures: private folders for every test, offscreen Qt, and a kiosk on a manual clock."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from session.vault import Vault

STARTING_ENV = dict(os.environ)
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
if not os.environ.get("QT_QPA_PLATFORM"):
    # A booth-sized 1920×1080 screen at 96 dpi instead of offscreen's default 800×800.
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Printer fault tests last: the virtual printer keeps a fault once it is set."""
    items.sort(key=lambda item: item.get_closest_marker("printer_fault") is not None)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data, RAM and keyring folders; nothing touches the real ones."""
    home = tmp_path / "home"
    for sub in ("data", "ram", "xdg-data", "xdg-cache", "tmp", "user"):
        (home / sub).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home / "user"))
    monkeypatch.setenv("VIRTU_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("VIRTU_RAM_DIR", str(home / "ram"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("TMPDIR", str(home / "tmp"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    return home


@pytest.fixture
def vault(tmp_path: Path) -> Iterator["Vault"]:
    """A session vault of its own for device tests that store pages or print from it."""
    from session.paths import Paths
    from session.vault import Vault

    v = Vault.create(Paths(data=tmp_path / "data", ram=tmp_path / "ram"))
    yield v
    v.wipe()


@dataclass
class Kiosk:
    shell: object
    ctx: object
    clock: object

    def tick(self, seconds: float = 0.0) -> None:
        """Move the manual clock and let the shell react, as its timer would."""
        if seconds:
            self.clock.advance(seconds)
        self.shell.tick()


@pytest.fixture
def kiosk(qapp, private_dirs: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import KioskConfig
    from kiosk.qt_main import build_shell
    from session.clock import ManualClock
    from session.paths import Paths

    paths = Paths.from_env()
    paths.ensure()
    clock = ManualClock(start_wall=1_800_000_000.0)
    logs = setup_logging(paths, 20)
    ctx = build_context(KioskConfig.demo(), None, paths, clock, True, logs)
    shell = build_shell(ctx, windowed=True)
    shell.timer.stop()  # tests drive time through Kiosk.tick()
    shell.resize(1920, 1080)
    shell.show()
    yield Kiosk(shell, ctx, clock)
    shell.allow_close = True
    shell.close()
    shell.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    import logging

    logging.getLogger().removeHandler(logs)


# --- ID card: pcscd + vpcd + the virtual FINEID card (tests/virtual_card) -----------------
from virtual_card.reader import VPCD_READER, wait_reader  # noqa: E402, F401  (test modules import these from here)


@pytest.fixture
def insert_card() -> Iterator[object]:
    """insert_card(holder="matti", **behaviour) puts a virtual FINEID card into the reader and
    returns it (with .behaviour and .remove()); every card is taken out at the end."""
    from virtual_card import HOLDERS, Behaviour, VirtualFineid, make_certificate

    port = os.environ.get("VIRTU_TEST_VPCD_PORT")
    assert port, "no virtual card reader: run the tests with scripts/test.sh (it starts pcscd with vpcd)"
    cards: list[VirtualFineid] = []

    def insert(holder: str | None = "matti", expired: bool = False, **behaviour: object) -> VirtualFineid:
        for card in cards:
            card.remove()
        if cards:
            wait_reader(present=False)
            cards.clear()
        b = Behaviour(**behaviour)  # type: ignore[arg-type]
        if holder is not None and not b.certificate:
            b.certificate = make_certificate(HOLDERS[holder], expired=expired)
        card = VirtualFineid(b, port=int(port)).insert()
        cards.append(card)
        return card

    yield insert
    for card in cards:
        card.remove()
    if cards:
        wait_reader(present=False)
