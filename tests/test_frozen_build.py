"""The frozen kiosk (kiosk.spec, PyInstaller one-folder): built once here, then started the
way a booth starts it. It must draw the same home screen as `python -m kiosk`, run its admin
commands, and be measured by the delivery benchmark."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("freeze")
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--workpath", str(work / "build"),
                           "--distpath", str(work / "dist"), str(ROOT / "kiosk.spec")], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return work / "dist" / "virtu-kiosk"


def _env(tmp_path: Path) -> dict[str, str]:
    for sub in ("data", "ram"):
        (tmp_path / sub).mkdir(exist_ok=True)
    env = {**os.environ, "VIRTU_DATA_DIR": str(tmp_path / "data"), "VIRTU_RAM_DIR": str(tmp_path / "ram"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    return env


def _screenshot(program: list[str], out: Path, lang: str, tmp_path: Path) -> Image.Image:
    done = subprocess.run([*program, "--demo", "--screenshot", str(out), "--lang", lang, "--screen", "home"],
                          cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return Image.open(out).convert("RGB")


@pytest.mark.parametrize("lang", ["fi", "se"])
def test_the_built_kiosk_draws_the_same_home_screen_as_the_source(build: Path, tmp_path: Path, lang: str) -> None:
    frozen = _screenshot([str(build / "virtu-kiosk")], tmp_path / "frozen.png", lang, tmp_path)
    source = _screenshot([sys.executable, "-m", "kiosk"], tmp_path / "source.png", lang, tmp_path)
    assert frozen.size == (1920, 1080)
    assert frozen.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
    # Same translations, fonts, theme and layout: the pictures match pixel for pixel.
    assert ImageChops.difference(frozen, source).getbbox() is None


def test_the_built_admin_program_runs_the_admin_commands(build: Path, tmp_path: Path) -> None:
    admin = build / "virtu-kiosk-admin"
    done = subprocess.run([str(admin), "stats", "--csv"], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("date,sessions,total_minutes,median_minutes")
    bad = subprocess.run([str(admin), "--config", str(tmp_path / "missing.toml"), "enrol", "AAAA-BBBB-CCCC"], cwd=tmp_path,
                         env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "does not exist" in bad.stderr


def test_the_delivery_benchmark_measures_the_build_beside_the_source(build: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "delivery", "--json", str(out)], cwd=ROOT,
                          env={**os.environ, "VIRTU_FROZEN_BUILD": str(build)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = {r["name"]: r for r in json.loads(out.read_text())["results"]}
    assert set(figures) == {"frozen_size_mib", "frozen_cold_start_home_s", "fleet_reports_per_s", "fleet_report_p99_ms"}
    assert all("error" not in r and r["value"] > 0 for r in figures.values()), figures
    assert figures["frozen_cold_start_home_s"]["baseline_name"] == "cold_start_home_s" and figures["frozen_cold_start_home_s"]["baseline"] > 0
