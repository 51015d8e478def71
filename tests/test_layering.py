"""The core packages run without Qt: they import with PySide6 made unimportable."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = ["session", "devices", "calls", "server", "fleet"]


def test_core_imports_without_pyside6() -> None:
    modules = []
    for package in CORE:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    script = (
        "import sys\n"
        "sys.modules['PySide6'] = None  # any import of Qt now fails\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "assert not any((m.startswith('PySide6') or m.startswith('kiosk')) and sys.modules[m] is not None for m in sys.modules), 'core pulled in Qt or the shell'\n"
        "print('ok', len(" + repr(modules) + "))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
    assert "session.vault" in modules and "session.lifecycle" in modules
