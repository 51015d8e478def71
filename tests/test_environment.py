"""The test environment is what the tests rely on: loopback only, private folders, a display.

These fail, not skip, when run outside scripts/test.sh, which is the point: a test run
that could reach the network or the real home must not pass quietly.
"""
from __future__ import annotations

import os
import socket


def test_only_loopback_exists() -> None:
    # if_nameindex() asks the kernel about this process's network namespace; /sys/class/net
    # would show the host's interfaces unless sysfs were remounted.
    names = [name for _index, name in socket.if_nameindex()]
    assert names == ["lo"], f"network interfaces besides loopback: {names}"


def test_the_run_started_with_private_home_and_temp() -> None:
    from conftest import STARTING_ENV  # what the runner set, before any test's own changes

    for var in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        assert "/virtu-test." in STARTING_ENV.get(var, ""), f"{var}={STARTING_ENV.get(var)!r}"


def test_keyring_backend_is_set_for_tests() -> None:
    from conftest import STARTING_ENV

    assert STARTING_ENV.get("PYTHON_KEYRING_BACKEND", "").startswith("keyrings.alt")


def test_a_virtual_x_server_answers() -> None:
    display = os.environ.get("DISPLAY", "")
    assert display.startswith(":"), f"DISPLAY is {display!r}"
    number = display[1:].split(".")[0]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(f"/tmp/.X11-unix/X{number}")
    finally:
        s.close()
