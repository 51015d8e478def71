"""Which keyring holds the kiosk's secrets.

The OS store where there is one (Windows Credential Locker, the Secret Service); a Linux
booth without a Secret Service gets keyrings.alt's file backend in a 0600 file under the
kiosk's data folder. PYTHON_KEYRING_BACKEND (tests, special set-ups) always wins.
"""
from __future__ import annotations

import logging
import os

import keyring
from keyring.backend import KeyringBackend

from session.paths import Paths

log = logging.getLogger(__name__)


def service_name(demo: bool) -> str:
    """The demo never touches a booth's real secrets."""
    return "virtu-kiosk-demo" if demo else "virtu-kiosk"


def _usable(backend: KeyringBackend) -> bool:
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name or "null" in name.lower():
        return False
    try:
        return backend.priority > 0  # type: ignore[operator]
    except Exception:  # a backend's priority probe may raise anything when its service is absent
        log.info("keyring backend %s is not usable", name)
        return False


def choose_backend(paths: Paths) -> KeyringBackend:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        backend = keyring.get_keyring()
        _protect_file(backend)
        return backend
    default = keyring.get_keyring()
    chained = getattr(default, "backends", None)
    if chained is not None:
        if any(_usable(b) for b in chained):
            return default
    elif _usable(default):
        return default
    from keyrings.alt.file import PlaintextKeyring

    class KioskFileKeyring(PlaintextKeyring):
        """keyrings.alt's file, kept in the kiosk's own data folder."""

        @property
        def file_path(self) -> str:  # type: ignore[override]
            return str(paths.data / "secrets.cfg")

    backend = KioskFileKeyring()
    log.warning("no system key store: secrets kept in a file readable only by the kiosk user")
    _protect_file(backend)
    return backend


def _protect_file(backend: KeyringBackend) -> None:
    """keyrings.alt creates its file with the process umask: make it 0600 before any secret goes in."""
    path = getattr(backend, "file_path", None)
    if not path:
        return
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    if not os.path.exists(path):
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)
