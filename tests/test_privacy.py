"""Nothing of a resident outlives the session, and a crash leaves nothing readable behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.qt

ROOT = Path(__file__).resolve().parent.parent
MARKER = b"RESIDENT-MARKER-7f3a9c"
# Test runners' own folders in /tmp (this run's, and any other run going on beside it).
RUNNER_DIRS = ("virtu-test.", "pytest-of-")


def tree(root: Path, skip: tuple[Path, ...] = ()) -> set[str]:
    out = set()
    if not root.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        dirnames[:] = [
            n
            for n in dirnames
            if not any((d / n) == s or s in (d / n).parents for s in skip) and not (d == Path("/tmp") and n.startswith(RUNNER_DIRS))
        ]
        for n in filenames + dirnames:
            out.add(str(d / n))
    return out


def files_containing(roots: list[Path], needle: bytes) -> list[str]:
    hits = []
    for root in roots:
        for dirpath, _dirs, filenames in os.walk(root):
            for n in filenames:
                p = Path(dirpath) / n
                try:
                    if needle in p.read_bytes():
                        hits.append(str(p))
                except OSError:
                    continue
    return hits


def run_session(kiosk, qtbot, with_marker: bool) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    shell, ctx = kiosk.shell, kiosk.ctx
    qtbot.mouseClick(shell.screens["attract"], Qt.LeftButton)
    assert shell.current == "home"
    if with_marker:
        ctx.vault.write_bytes("Päätös 2026.pdf", b"%PDF-1.4 " + MARKER * 100)
        with ctx.vault.plain_copy("Päätös 2026.pdf") as plain:
            assert MARKER in plain.read_bytes()  # the plain copy is real while in use
        QGuiApplication.clipboard().setText(MARKER.decode())
        tmp_file = Path(tempfile.gettempdir(), "session-scratch.txt")
        tmp_file.write_bytes(MARKER)  # something a library left in TMPDIR
    vault = ctx.vault
    qtbot.mouseClick(shell.end_button, Qt.LeftButton)
    qtbot.mouseClick(shell.screens["ending"].end_button, Qt.LeftButton)
    assert shell.current == "feedback"
    assert vault.wait_deleted(10)
    qtbot.mouseClick(shell.screens["feedback"].skip, Qt.LeftButton)
    assert shell.current == "attract"


def test_a_session_leaves_no_trace(kiosk, qtbot, private_dirs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    paths = kiosk.ctx.paths
    monkeypatch.setenv("TMPDIR", str(paths.session_tmp))  # as prepare_process() does
    tempfile.tempdir = None
    try:
        run_session(kiosk, qtbot, with_marker=False)  # warm-up: first-run caches are not the resident's
        home = Path(os.environ["HOME"])
        pytest_tmp = private_dirs.parent  # this test's own folder under the temp dir
        watched = [paths.data, paths.ram, private_dirs, home, Path("/tmp")]
        # Left out of /tmp: the test runner's own folders (this run's and any other run's
        # going on beside it, pytest's lock files) and X's sockets; the kiosk's TMPDIR is
        # paths.ram, watched above.
        skip = (pytest_tmp, Path("/tmp/.X11-unix"))
        before = {str(r): tree(r, skip if r == Path("/tmp") else ()) for r in watched}

        run_session(kiosk, qtbot, with_marker=True)

        after = {str(r): tree(r, skip if r == Path("/tmp") else ()) for r in watched}
        for r in watched:
            assert after[str(r)] == before[str(r)], f"files changed under {r}: {after[str(r)] ^ before[str(r)]}"
        assert not files_containing([paths.data, paths.ram, private_dirs], MARKER)
        assert MARKER.decode() not in QGuiApplication.clipboard().text()
    finally:
        tempfile.tempdir = None


CRASHING_KIOSK = r"""
import sys
from kiosk.app import build_context, prepare_process
from kiosk.admin.log_buffer import setup_logging
from kiosk.config import KioskConfig
from kiosk.qt_main import build_shell, make_application
from session.clock import SystemClock
from session.paths import Paths

paths = Paths.from_env()
prepare_process(paths)
app = make_application()
ctx = build_context(KioskConfig.demo(), None, paths, SystemClock(), True, setup_logging(paths, 20))
shell = build_shell(ctx, windowed=True)
shell.show()
ctx.lifecycle.start()
ctx.vault.write_bytes("hakemus.pdf", b"%PDF " + sys.argv[1].encode() * 50)
copy = ctx.vault.plain_copy("hakemus.pdf")
copy.__enter__()  # a printer holds a plain copy when the power goes
print("READY", flush=True)
app.exec()
"""


def test_a_killed_kiosk_leaves_nothing_readable_and_the_next_start_sweeps_it(private_dirs: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = tmp_path / "crashing_kiosk.py"
    script.write_text(CRASHING_KIOSK)
    proc = subprocess.Popen(
        [sys.executable, str(script), MARKER.decode()], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read()
        data, ram = Path(env["VIRTU_DATA_DIR"]), Path(env["VIRTU_RAM_DIR"])
        vaults = [p for p in (data / "vaults").iterdir()]
        assert vaults, "the session had a vault on disk"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not files_containing([data], MARKER), "vault files must be encrypted on disk"
    assert any((data / "vaults").iterdir())  # the crash left the vault behind

    shot = tmp_path / "after-crash.png"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--screenshot", str(shot), "--screen", "attract"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    assert not any((data / "vaults").iterdir()), "the next start removes what the crash left"
    assert not files_containing([data, ram], MARKER)
