"""Which keyring holds the kiosk's secrets.

The OS store where there is one (Windows Credential Locker, the Secret Service); a Linux
booth without a Secret Service gets keyrings.alt's file backend in a 0600 file under the
kiosk's data folder. PYTHON_KEYRING_BACKEND (tests, special set-ups) always wins.

keyring's own default is not taken blindly: with keyrings.alt installed and no Secret
Service, keyring picks keyrings.alt's file in the user's home (not under the kiosk's data
folder and not checked for its mode), so any keyrings.alt backend counts as "no OS store".
"""
from __future__ import annotations

import logging
import os
import stat

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyrings.alt.file import PlaintextKeyring

from session.paths import Paths

log = logging.getLogger(__name__)

SECRETS_FILE = "secrets.cfg"


class KeyStoreError(RuntimeError):
    """The secrets file cannot be made private; storing a PIN hash there would leak it."""


def service_name(demo: bool) -> str:
    """The demo never touches a booth's real secrets."""
    return "virtu-kiosk-demo" if demo else "virtu-kiosk"


def _is_os_store(backend: KeyringBackend) -> bool:
    """keyring calls priority >= 1 "recommended"; fail (0), null and an empty chainer (-1) are not."""
    chained = getattr(backend, "backends", None)
    if chained is not None:
        return any(_is_os_store(b) for b in chained)
    if type(backend).__module__.startswith("keyrings.alt"):
        return False
    return keyring.core.recommended(backend)


def choose_backend(paths: Paths) -> KeyringBackend:
    from_env = keyring.core.load_env()
    if from_env is not None:
        _protect_file(from_env)
        return from_env
    default = keyring.get_keyring()
    if _is_os_store(default):
        return default
    backend = PlaintextKeyring()
    # keyrings.alt lets an instance override where its file lives.
    backend.file_path = str(paths.data / SECRETS_FILE)  # type: ignore[misc]
    log.warning("no system key store: secrets kept in a file readable only by the kiosk user")
    _protect_file(backend)
    return backend


def _protect_file(backend: KeyringBackend) -> None:
    """keyrings.alt makes a new file 0600 but leaves an existing one as it is: check, and fix."""
    path = getattr(backend, "file_path", None)
    if not path:
        return
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    if os.name != "posix":  # only POSIX modes mean anything to check here
        return
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode != 0o600:
        raise KeyStoreError(f"the secrets file {path} has mode {mode:o} and cannot be made 600")
