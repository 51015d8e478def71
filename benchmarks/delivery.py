"""Delivery: the frozen build (size, cold start beside `python -m kiosk`) and how many
signed health reports the fleet service absorbs from 500 simulated booths on loopback.

The frozen build is $VIRTU_FROZEN_BUILD or dist/virtu-kiosk when it is there
(scripts/build.sh), else one made here with PyInstaller. The fleet service runs as its own process (`virtu-server serve`
on a fresh SQLite file), the booths are one client process with a bounded number of
requests in flight, so the figure is what one server process takes, not an open flood."""
from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, Result, attempt, median, tail
from benchmarks.startup import start_once

GROUP = "delivery"
SIZE = Figure(GROUP, "frozen_size_mib", "MiB", "(reported)")
FROZEN_START = Figure(GROUP, "frozen_cold_start_home_s", "s", "ratio <= 1.2", "cold_start_home_s")
REPORTS = Figure(GROUP, "fleet_reports_per_s", "reports/s", ">= 500/s")
REPORT_P99 = Figure(GROUP, "fleet_report_p99_ms", "ms", "< 50 ms")
FIGURES = [SIZE, FROZEN_START, REPORTS, REPORT_P99]

ROOT = Path(__file__).resolve().parents[1]
BOOTHS = 500
IN_FLIGHT = 32


def run(quick: bool) -> list[Result]:
    results = attempt([SIZE, FROZEN_START], lambda: _frozen(quick))
    return results + attempt([REPORTS, REPORT_P99], lambda: _fleet(quick))


# --- the frozen build -----------------------------------------------------------------------
def frozen_build() -> Path:
    built = Path(os.environ.get("VIRTU_FROZEN_BUILD") or ROOT / "dist" / "virtu-kiosk")
    if (built / "virtu-kiosk").is_file():
        return built
    work = Path(tempfile.mkdtemp(prefix="virtu-freeze-"))
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--workpath", str(work / "build"), "--distpath", str(work / "dist"), str(ROOT / "kiosk.spec")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(f"PyInstaller failed: {tail(done.stderr)}")
    return work / "dist" / "virtu-kiosk"


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / (1 << 20)


def _frozen(quick: bool) -> list[Result]:
    build = frozen_build()
    frozen, source = [], []
    for _ in range(3 if quick else 5):  # alternating, so both see the same machine
        frozen.append(start_once([str(build / "virtu-kiosk")]))
        source.append(start_once())
    return [SIZE.result(_size_mib(build)), FROZEN_START.result(median(frozen), median(source))]


# --- the fleet service ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fleet(quick: bool) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="virtu-fleet-") as tmp:
        database = str(Path(tmp) / "fleet.sqlite3")
        keys = asyncio.run(_enrol_all(database))
        port = free_port()
        env = {**os.environ, "VIRTU_ROOM_SECRET": secrets.token_hex(32), "VIRTU_ADMIN_TOKEN": secrets.token_hex(8),
               "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port), "--database", database],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_listening(port, server)
            count, seconds, latencies = asyncio.run(_load(port, keys, 8.0 if quick else 30.0))
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return [REPORTS.result(count / seconds), REPORT_P99.result(p99)]


async def _enrol_all(database: str) -> dict[str, str]:
    """Enrolment straight into the database: what is measured is the reports."""
    from fleet.signing import new_private_key, public_key
    from server.fleet import db
    from server.fleet.service import Fleet, FleetSettings

    service = Fleet(FleetSettings(database))
    keys = {f"booth-{i:03d}": new_private_key() for i in range(BOOTHS)}
    try:
        await db.create_tables(service.engine)
        async with service.engine.begin() as conn:
            await conn.execute(db.booths.insert(), [
                {"booth_id": b, "public_key": public_key(k), "enrolled_at": time.time()} for b, k in keys.items()])
    finally:
        await service.engine.dispose()
    return keys


def wait_listening(port: int, proc: subprocess.Popen[str]) -> None:
    """Until `virtu-server` takes connections on `port` (the fleet test uses it too)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtu-server exited: {tail(proc.stderr.read() if proc.stderr else '')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("virtu-server did not start listening")


async def _load(port: int, keys: dict[str, str], duration: float) -> tuple[int, float, list[float]]:
    import aiohttp

    from fleet.messages import HealthLine, Report, Usage
    from fleet.signing import canonical, sign

    url = f"http://127.0.0.1:{port}/api/fleet/reports"
    booths = list(keys)
    health = [HealthLine("printer", "ok", "The printer is ready.", "idle"), HealthLine("camera", "ok", "The camera works."),
              HealthLine("card", "ok", "The card reader works (1 found).")]
    latencies: list[float] = []
    refused: list[int] = []
    next_booth = 0
    end = time.monotonic() + duration

    async def booth_worker(http: aiohttp.ClientSession) -> None:
        nonlocal next_booth
        while time.monotonic() < end:
            booth = booths[next_booth % len(booths)]
            next_booth += 1
            body = canonical(Report(booth, time.time(), "0.1.0", health, Usage("2027-01-15", 3, 1)).to_json())
            headers = {"Content-Type": "application/json", "X-Virtu-Booth": booth, "X-Virtu-Signature": sign(keys[booth], body)}
            start = time.perf_counter()
            async with http.post(url, data=body, headers=headers) as resp:
                await resp.read()
                if resp.status != 202:
                    refused.append(resp.status)
            latencies.append(time.perf_counter() - start)

    started = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT)) as http:
        await asyncio.gather(*(booth_worker(http) for _ in range(IN_FLIGHT)))
    elapsed = time.monotonic() - started
    if refused:
        raise RuntimeError(f"{len(refused)} reports refused (HTTP {sorted(set(refused))})")
    return len(latencies), elapsed, latencies
