"""The Linux booth installer (installer/linux): shellcheck, the session wrapper's exit
status, and a real install into a Debian 12 debootstrap chroot, then an uninstall.

Needs root and the Debian packages shellcheck, debootstrap and systemd (systemd-analyze),
plus network to deb.debian.org for the first debootstrap. The chroot is made once and
kept in $VIRTU_TEST_CHROOT (default: a temporary folder, so made anew each run); every
run installs into a fresh copy of it. A missing tool is a failure, not a skip.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINUX = REPO / "installer" / "linux"
SCRIPTS = ["install.sh", "uninstall.sh", "virtu-kiosk-session"]
SUITE = "bookworm"
MIRROR = os.environ.get("VIRTU_TEST_MIRROR", "http://deb.debian.org/debian")
# The booth's daemons are real packages, so their units are real (apt is not run by the
# installer here: --no-apt). libpam-systemd provides "logind", which polkitd needs and
# debootstrap cannot resolve by itself.
INCLUDE = "systemd,systemd-sysv,dbus,libpam-systemd,polkitd,cage,pcscd,cups-daemon"
UNIT = "virtu-kiosk.service"
KIOSK_GROUPS = ["scanner", "lp", "video", "render", "input", "audio"]
FSTAB = (
    "# /etc/fstab: static file system information.\n"
    "UUID=0a0a0a0a-1111-2222-3333-444444444444 / ext4 errors=remount-ro 0 1\n"
    "UUID=5b5b5b5b-1111-2222-3333-444444444444 none swap sw 0 0\n"
    "/swapfile none swap defaults 0 0\n"
    "# UUID=old-one none swap sw 0 0\n"
)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install {package}", pytrace=False)
    return path


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("the installer tests need root (debootstrap, chroot)", pytrace=False)


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def _unit_values(path: Path) -> dict[str, list[str]]:
    """Key -> values of a systemd unit file (keys may repeat)."""
    values: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values.setdefault(key.strip(), []).append(value.strip())
    return values


# --- static checks --------------------------------------------------------------------------


def test_shellcheck_passes():
    shellcheck = _tool("shellcheck", "shellcheck")
    for name in SCRIPTS:
        assert os.access(LINUX / name, os.X_OK), f"{name} is not executable"
    result = _run([shellcheck, "-x", *[str(LINUX / n) for n in SCRIPTS]], cwd=LINUX)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unit_restart_policy():
    v = _unit_values(LINUX / UNIT)
    assert "75" in v["RestartPreventExitStatus"][0].split()
    assert "2" in v["RestartPreventExitStatus"][0].split()  # configuration error: no loop
    assert v["SuccessExitStatus"] == ["75"]
    assert v["Restart"] == ["always"] and v["RestartSec"] == ["2"]
    assert v["User"] == ["kiosk"] and v["PAMName"] == ["login"] and v["TTYPath"] == ["/dev/tty1"]
    env = " ".join(v["Environment"])
    assert "VIRTU_RAM_DIR=/run/virtu-kiosk" in env and "VIRTU_DATA_DIR=/var/lib/virtu-kiosk" in env
    assert v["RuntimeDirectory"] == ["virtu-kiosk"] and v["RuntimeDirectoryMode"] == ["0700"]
    assert v["StateDirectory"] == ["virtu-kiosk"]
    assert v["ExecStart"] == [
        "/usr/local/libexec/virtu-kiosk-session /opt/virtu-kiosk/virtu-kiosk --config /etc/virtu-kiosk/kiosk.toml"
    ]
    assert v["WantedBy"] == ["graphical.target"]
    assert "getty@tty1.service" in v["Conflicts"]


@pytest.mark.parametrize(
    "program_status, cage_runs_program, expected",
    [(75, True, 75), (0, True, 0), (2, True, 2), (1, True, 1), (0, False, 1)],
)
def test_session_wrapper_passes_the_kiosks_exit_status(tmp_path, program_status, cage_runs_program, expected):
    """cage 0.1.4 exits 0 whatever its program did; the wrapper hands on the kiosk's status."""
    cage = tmp_path / "cage"
    if cage_runs_program:
        cage.write_text('#!/bin/sh\n[ "$1" = -s ] && [ "$2" = -- ] || exit 9\nshift 2\n"$@"\nexit 0\n')
    else:  # cage cannot start (no seat): never runs the program
        cage.write_text("#!/bin/sh\nexit 0\n")
    program = tmp_path / "kiosk"
    program.write_text(f'#!/bin/sh\n[ "$1" = --config ] || exit 8\nexit {program_status}\n')
    for f in (cage, program):
        f.chmod(0o755)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = {**os.environ, "VIRTU_CAGE": str(cage), "RUNTIME_DIRECTORY": str(run_dir)}
    result = _run([str(LINUX / "virtu-kiosk-session"), str(program), "--config", "/x.toml"], env=env)
    assert result.returncode == expected, result.stderr
    assert not (run_dir / ".exit-status").exists()


# --- the chroot -----------------------------------------------------------------------------


def make_base_chroot(cache: Path) -> Path:
    """Debootstrap the base into CACHE/bookworm unless a finished one is there already.

    Needs the network: the test phase of scripts/test.sh has none, so there the cache must
    be made beforehand (`python tests/test_linux_installer.py --prepare-chroot DIR`) and
    VIRTU_TEST_CHROOT=DIR passed on.
    """
    debootstrap = _tool("debootstrap", "debootstrap")
    cache.mkdir(parents=True, exist_ok=True)
    base = cache / SUITE
    ok = cache / f"{SUITE}.ok"
    if ok.is_file() and ok.read_text().strip() == INCLUDE and (base / "usr/bin/cage").exists():
        return base
    shutil.rmtree(base, ignore_errors=True)
    ok.unlink(missing_ok=True)
    started = time.monotonic()
    result = _run([debootstrap, "--variant=minbase", f"--include={INCLUDE}", SUITE, str(base), MIRROR])
    seconds = time.monotonic() - started
    (cache / f"{SUITE}.seconds").write_text(f"{seconds:.1f}\n")
    sys.stderr.write(f"\ndebootstrap {SUITE} took {seconds:.1f} s (cached in {cache})\n")
    if result.returncode != 0:
        pytest.fail(
            f"debootstrap failed after {seconds:.0f} s (no network? make the chroot beforehand with "
            f"`python {Path(__file__).relative_to(REPO)} --prepare-chroot DIR` and set VIRTU_TEST_CHROOT=DIR):\n"
            + (result.stdout + result.stderr)[-3000:],
            pytrace=False,
        )
    ok.write_text(INCLUDE + "\n")
    return base


@pytest.fixture(scope="module")
def base_chroot(tmp_path_factory) -> Path:
    """A pristine Debian 12 minbase with the booth's daemons, made once (cached)."""
    _need_root()
    _tool("chroot", "coreutils")
    _tool("systemd-analyze", "systemd")
    cache = Path(os.environ.get("VIRTU_TEST_CHROOT") or tmp_path_factory.mktemp("chroot-cache"))
    return make_base_chroot(cache)


@pytest.fixture
def chroot(base_chroot, tmp_path) -> Path:
    """A throw-away copy of the base, with /proc mounted while the test runs."""
    root = tmp_path / "root"
    copy = _run(["cp", "-a", "--reflink=auto", str(base_chroot), str(root)])
    assert copy.returncode == 0, copy.stderr
    (root / "etc/fstab").write_text(FSTAB)
    proc = root / "proc"
    mount = _run(["mount", "-t", "proc", "proc", str(proc)])
    assert mount.returncode == 0, mount.stderr
    try:
        yield root
    finally:
        _run(["umount", "-l", str(proc)])
        if not os.path.ismount(proc):
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fake_build(tmp_path) -> Path:
    build = tmp_path / "dist" / "virtu-kiosk"
    (build / "_internal").mkdir(parents=True)
    (build / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    exe = build / "virtu-kiosk"
    exe.write_text("#!/bin/sh\necho 'fake virtu-kiosk' \"$@\"\n")
    exe.chmod(0o755)
    return build


def _install(root: Path, build: Path, *extra: str) -> subprocess.CompletedProcess:
    return _run(["bash", str(LINUX / "install.sh"), "--root", str(root), "--no-apt", "--from", str(build), *extra])


def _uninstall(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return _run(["bash", str(LINUX / "uninstall.sh"), "--root", str(root), *extra])


def _members(root: Path, group: str) -> list[str]:
    for line in (root / "etc/group").read_text().splitlines():
        name, _, _, members = line.split(":")
        if name == group:
            return members.split(",") if members else []
    raise AssertionError(f"no group {group}")


def test_install_into_chroot_then_uninstall(chroot, fake_build):
    root = chroot
    etc_sd = root / "etc/systemd/system"

    # The virtual card reader is refused.
    vpcd = root / "etc/reader.conf.d/vpcd"
    vpcd.parent.mkdir(parents=True, exist_ok=True)
    vpcd.write_text("FRIENDLYNAME \"Virtual PCD\"\n")
    refused = _install(root, fake_build)
    assert refused.returncode != 0 and "vsmartcard-vpcd" in refused.stderr
    assert not (root / "opt/virtu-kiosk").exists()
    vpcd.unlink()

    result = _install(root, fake_build)
    assert result.returncode == 0, result.stdout + result.stderr

    # The program, and its session wrapper
    exe = root / "opt/virtu-kiosk/virtu-kiosk"
    assert os.access(exe, os.X_OK) and exe.read_text() == (fake_build / "virtu-kiosk").read_text()
    assert (root / "opt/virtu-kiosk/_internal/base_library.zip").is_file()
    assert os.stat(exe).st_uid == 0 and not os.stat(exe).st_mode & stat.S_IWOTH
    assert os.access(root / "usr/local/libexec/virtu-kiosk-session", os.X_OK)

    # The user
    passwd = {line.split(":")[0]: line.split(":") for line in (root / "etc/passwd").read_text().splitlines()}
    assert "kiosk" in passwd
    assert passwd["kiosk"][5] == "/var/lib/virtu-kiosk" and passwd["kiosk"][6] == "/usr/sbin/nologin"
    for g in KIOSK_GROUPS:
        assert "kiosk" in _members(root, g), g
    assert "kiosk" not in _members(root, "lpadmin") if "lpadmin:" in (root / "etc/group").read_text() else True
    data = root / "var/lib/virtu-kiosk"
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700 and os.stat(data).st_uid == int(passwd["kiosk"][2])

    # The unit: systemd itself finds nothing wrong with it
    unit = etc_sd / UNIT
    assert unit.read_text() == (LINUX / UNIT).read_text()
    for name in (UNIT, "var-spool-cups.mount"):
        verify = _run(["chroot", str(root), "systemd-analyze", "verify", f"/etc/systemd/system/{name}"])
        about_us = [ln for ln in (verify.stdout + verify.stderr).splitlines() if "virtu-kiosk" in ln or "spool" in ln]
        assert verify.returncode == 0 and not about_us, verify.stdout + verify.stderr
    assert "75" in _unit_values(unit)["RestartPreventExitStatus"][0].split()
    assert _unit_values(unit)["SuccessExitStatus"] == ["75"]

    # Enabled, and the defaults
    assert (etc_sd / "graphical.target.wants" / UNIT).is_symlink()
    assert os.readlink(etc_sd / "default.target").endswith("graphical.target")
    assert (etc_sd / "sockets.target.wants/pcscd.socket").is_symlink()
    assert (etc_sd / "multi-user.target.wants/cups.service").is_symlink()
    assert not (etc_sd / "getty.target.wants/getty@tty1.service").exists()

    # CUPS spool in RAM
    mount = _unit_values(etc_sd / "var-spool-cups.mount")
    assert mount["Type"] == ["tmpfs"] and mount["Where"] == ["/var/spool/cups"]
    assert (etc_sd / "local-fs.target.wants/var-spool-cups.mount").is_symlink()
    assert "RequiresMountsFor=/var/spool/cups" in (etc_sd / "cups.service.d/virtu-kiosk.conf").read_text()

    # polkit rule for pcscd
    rule = (root / "etc/polkit-1/rules.d/60-virtu-kiosk-pcscd.rules").read_text()
    assert "org.debian.pcsc-lite.access_pcsc" in rule and "org.debian.pcsc-lite.access_card" in rule
    assert 'subject.user == "kiosk"' in rule

    # The configuration, from the template, readable by the kiosk only
    conf = root / "etc/virtu-kiosk/kiosk.toml"
    assert conf.read_text() == (REPO / "docs/kiosk.example.toml").read_text()
    assert stat.S_IMODE(os.stat(conf).st_mode) == 0o640

    # No swap
    fstab = (root / "etc/fstab").read_text().splitlines()
    swap_lines = [ln for ln in fstab if " swap " in ln]
    assert len(swap_lines) == 3 and all(ln.lstrip().startswith("#") for ln in swap_lines), fstab
    assert os.readlink(etc_sd / "swap.target") == "/dev/null"

    # Never the virtual card reader
    assert _run(["chroot", str(root), "dpkg", "-s", "vsmartcard-vpcd"]).returncode != 0
    assert not list((root / "usr/lib/pcsc/drivers").glob("*/libifdvpcd*"))

    # Again (an update): the booth's own configuration is kept, the program replaced
    conf.write_text(conf.read_text() + "\n# edited on the booth\n")
    (fake_build / "virtu-kiosk").write_text("#!/bin/sh\necho 'new build'\n")
    again = _install(root, fake_build)
    assert again.returncode == 0, again.stdout + again.stderr
    assert conf.read_text().endswith("# edited on the booth\n")
    assert "new build" in exe.read_text()
    assert (root / "etc/fstab").read_text().count("#virtu-kiosk-swap-off#") == 2
    assert sum(1 for ln in (root / "etc/passwd").read_text().splitlines() if ln.startswith("kiosk:")) == 1

    # Uninstall: the program and what came with it go; the configuration and data stay
    result = _uninstall(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (root / "opt/virtu-kiosk").exists()
    for gone in (etc_sd / UNIT, etc_sd / "var-spool-cups.mount", etc_sd / "graphical.target.wants" / UNIT,
                 etc_sd / "cups.service.d/virtu-kiosk.conf", root / "etc/polkit-1/rules.d/60-virtu-kiosk-pcscd.rules",
                 root / "usr/local/libexec/virtu-kiosk-session", root / "etc/tmpfiles.d/virtu-kiosk.conf"):
        assert not os.path.lexists(gone), gone
    assert (root / "etc/fstab").read_text() == FSTAB
    assert not os.path.lexists(etc_sd / "swap.target")
    assert (etc_sd / "getty.target.wants/getty@tty1.service").is_symlink()
    assert conf.exists() and data.is_dir()
    assert "kiosk:" in (root / "etc/passwd").read_text()

    purge = _uninstall(root, "--purge")
    assert purge.returncode == 0, purge.stdout + purge.stderr
    assert not conf.exists() and not data.exists()
    assert not any(ln.startswith("kiosk:") for ln in (root / "etc/passwd").read_text().splitlines())


if __name__ == "__main__":
    # python tests/test_linux_installer.py --prepare-chroot DIR: the network phase's part.
    if len(sys.argv) != 3 or sys.argv[1] != "--prepare-chroot":
        sys.exit("usage: python tests/test_linux_installer.py --prepare-chroot DIR")
    print(make_base_chroot(Path(sys.argv[2])))
