"""The test environment is what the tests rely on: loopback only, private folders, a display.

These fail, not skip, when run outside scripts/test.sh, which is the point: a test run
that could reach the network or the real home must not pass quietly.
"""
from __future__ import annotations

import errno
import os
import socket
import struct
import tempfile


def test_only_loopback_exists() -> None:
    # if_nameindex() asks the kernel about this process's network namespace; /sys/class/net
    # would show the host's interfaces, since sysfs is not remounted in the namespace.
    names = [name for _index, name in socket.if_nameindex()]
    assert names == ["lo"], f"network interfaces besides loopback: {names}"


def test_loopback_is_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            conn, _ = server.accept()
            conn.close()


def test_no_route_beyond_loopback() -> None:
    # A UDP connect() only looks up a route; it sends nothing. 192.0.2.1 is TEST-NET-1.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError as e:
            assert e.errno == errno.ENETUNREACH, e
        else:
            raise AssertionError("a route to 192.0.2.1 exists: the tests are not in a loopback-only namespace")


def test_the_run_started_with_private_home_and_temp() -> None:
    from conftest import STARTING_ENV  # what the runner set, before any test's own changes

    for var in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
        assert "/virtu-test." in STARTING_ENV.get(var, ""), f"{var}={STARTING_ENV.get(var)!r}"
    assert not STARTING_ENV["HOME"].startswith(os.path.expanduser("~root")), STARTING_ENV["HOME"]


def test_temp_files_land_in_the_private_temp_dir() -> None:
    # tempfile caches its folder on first use, from the run's TMPDIR or a test's own folder
    # under it (conftest): either way inside the run's private temp dir, never /tmp itself.
    assert "/virtu-test." in os.path.realpath(tempfile.gettempdir()), tempfile.gettempdir()


def test_keyring_backend_is_set_for_tests() -> None:
    from conftest import STARTING_ENV

    assert STARTING_ENV.get("PYTHON_KEYRING_BACKEND", "") == "keyrings.alt.file.PlaintextKeyring"


def test_qt_renders_offscreen_by_default() -> None:
    from conftest import STARTING_ENV

    assert STARTING_ENV.get("QT_QPA_PLATFORM", "").startswith("offscreen"), STARTING_ENV.get("QT_QPA_PLATFORM")


def test_a_virtual_x_server_answers() -> None:
    from conftest import STARTING_ENV

    display = STARTING_ENV.get("DISPLAY", "")
    assert display.startswith(":"), f"DISPLAY is {display!r}"
    number = display[1:].split(".")[0]
    # The X11 connection set-up, little-endian, protocol 11.0, no authorisation: the server
    # answers 1 (success) and then its version. Xlib-free, so no xdpyinfo is needed.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(f"/tmp/.X11-unix/X{number}")
        s.sendall(struct.pack("<cxHHHHxx", b"l", 11, 0, 0, 0))
        reply = s.recv(8)
    assert len(reply) == 8, reply
    status, _reason_len, major, _minor = struct.unpack("<BBHH", reply[:6])
    assert status == 1, f"the X server on {display} refused the connection (status {status})"
    assert major == 11
