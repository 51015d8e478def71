"""Where the kiosk keeps things. Overridable by environment so tests get private folders.

- data: persistent, non-personal (usage statistics, lock-out state, logs, vault root).
- ram: a RAM-backed place for the rare plain copy a viewer or printer needs, and for the
  process's TMPDIR and caches during a session.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

APP = "virtu-kiosk"


def _default_data_dir() -> Path:
    if sys.platform == "win32":  # unverified here
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "Virtu" / "Kiosk"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP


def _default_ram_dir() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"{APP}-{os.getuid()}"
    # No RAM-backed place (Windows): the temp folder; vault contents stay encrypted anyway.
    return Path(tempfile.gettempdir()) / f"{APP}-ram"


def default_config_path() -> Path:
    if sys.platform == "win32":  # unverified here
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Virtu" / "kiosk.toml"
    return Path("/etc/virtu-kiosk/kiosk.toml")


@dataclass(frozen=True)
class Paths:
    data: Path
    ram: Path

    @classmethod
    def from_env(cls) -> "Paths":
        data = Path(os.environ["VIRTU_DATA_DIR"]) if os.environ.get("VIRTU_DATA_DIR") else _default_data_dir()
        ram = Path(os.environ["VIRTU_RAM_DIR"]) if os.environ.get("VIRTU_RAM_DIR") else _default_ram_dir()
        return cls(data=data, ram=ram)

    @property
    def vaults(self) -> Path:
        return self.data / "vaults"

    @property
    def plain(self) -> Path:
        """Decrypted temporary copies, removed after use and at every wipe."""
        return self.ram / "plain"

    @property
    def session_tmp(self) -> Path:
        """TMPDIR and cache paths of the process and its libraries (Qt, VLC)."""
        return self.ram / "tmp"

    @property
    def stats_db(self) -> Path:
        return self.data / "usage.sqlite3"

    @property
    def lockout_file(self) -> Path:
        return self.data / "maintenance-lockout.json"

    @property
    def log_file(self) -> Path:
        return self.data / "kiosk.log"

    def ensure(self) -> None:
        for p in (self.data, self.vaults, self.ram, self.plain, self.session_tmp):
            p.mkdir(parents=True, exist_ok=True, mode=0o700)
