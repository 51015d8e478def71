"""The benchmark command runs end to end and reports the vault figures in the shared format."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_quick_vault_run_reports_figures_beside_baselines(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "vault", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["quick"] is True
    assert doc["machine"]["cpus"] >= 1
    figures = {r["name"]: r for r in doc["results"]}
    assert set(figures) == {"wipe_1gib_200files_s", "vault_write_read_mb_s", "rss_growth_500_sessions_mib"}
    assert all(r["group"] == "vault" and "error" not in r for r in figures.values()), figures
    for name, baseline in [("wipe_1gib_200files_s", "rm_rf_plain_1gib_200files_s"), ("vault_write_read_mb_s", "plain_write_read_mb_s")]:
        r = figures[name]
        assert r["value"] > 0 and r["baseline"] > 0
        assert r["baseline_name"] == baseline
        assert r["ratio"] == r["value"] / r["baseline"]
    assert isinstance(figures["rss_growth_500_sessions_mib"]["value"], float)
    assert figures["rss_growth_500_sessions_mib"]["baseline"] is None
    assert "vault_write_read_mb_s" in proc.stdout  # the printed table


def test_quick_card_run_times_the_name_on_screen_beside_bare_pyscard(tmp_path: Path) -> None:
    """Over the test namespace's pcscd and virtual reader (VIRTU_TEST_VPCD_PORT)."""
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "card", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stderr
    (figure,) = json.loads(out.read_text())["results"]
    assert figure["name"] == "card_insert_to_name_ms" and "error" not in figure, figure
    assert figure["baseline_name"] == "pyscard_bare_read_ms"
    assert figure["value"] > 0 and figure["baseline"] > 0


def test_quick_folder_run_reports_transfers_beside_plain_requests(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "folder", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=110,
    )
    assert proc.returncode == 0, proc.stderr
    figures = {r["name"]: r for r in json.loads(out.read_text())["results"]}
    assert set(figures) == {"download_200mb_mb_s", "upload_200mb_mb_s", "signin_to_listing_500_ms", "peak_rss_above_idle_200mb_mib"}
    assert all("error" not in r and r["value"] > 0 for r in figures.values()), figures
    assert figures["download_200mb_mb_s"]["baseline_name"] == "plain_requests_download_mb_s"
    assert figures["upload_200mb_mb_s"]["baseline"] > 0


@pytest.mark.timeout(400)
def test_quick_call_run_reports_every_call_figure(tmp_path: Path) -> None:
    """The engine against headless Chromium, the Chromium pair beside it, and the Qt kiosk
    under a call, a scan and an upload (the UI thread's stalls)."""
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "call", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=380)
    assert proc.returncode == 0, proc.stderr
    figures = {r["name"]: r for r in json.loads(out.read_text())["results"]}
    assert set(figures) == {"join_to_first_frame_ms", "time_to_720p_ms", "kiosk_rx_fps_640", "browser_rx_fps_640", "kiosk_rx_fps_1280",
                            "browser_rx_fps_1280", "kiosk_cpu_cores_1280", "kiosk_rss_mib_in_call", "glass_to_glass_ms", "ui_stall_p99_ms"}
    assert all("error" not in r and r["value"] > 0 for r in figures.values()), (proc.stdout, proc.stderr[-3000:])
    for name in ("join_to_first_frame_ms", "kiosk_rx_fps_640", "kiosk_rx_fps_1280", "kiosk_cpu_cores_1280", "glass_to_glass_ms"):
        assert figures[name]["baseline"] > 0, name
