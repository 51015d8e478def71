"""The fleet service against real databases (SQLite, and Debian's PostgreSQL started by
scripts/daemons.d/50-postgres.sh) and a booth's agent talking to it over loopback HTTP."""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from aiohttp import web

from benchmarks.delivery import free_port, wait_listening
from fleet.booth import BoothAgent, FleetError, KeySlot, LastGood, enrol
from fleet.messages import HealthLine, RemoteConfig, Usage, sign_config
from fleet.signing import canonical, new_private_key, public_key, sign
from server.embedded import ThreadedApp, run_in_thread
from server.fleet.service import FLEET_KEY, FleetSettings
from server.rooms.app import Settings
from server.rooms.tokens import make_token
from session.pin_hash import hash_pin, pin_matches

ROOT = Path(__file__).resolve().parent.parent
ADMIN_TOKEN = "admin-test-token"
NOW = 1_800_000_000.0


# --- databases ----------------------------------------------------------------------------
def _postgres_database() -> str:
    base = os.environ.get("VIRTU_TEST_POSTGRES_URL")
    assert base, "VIRTU_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh (it starts PostgreSQL)"
    import asyncpg

    name = f"fleet_{secrets.token_hex(4)}"

    async def create() -> None:
        conn = await asyncpg.connect(base)
        try:
            await conn.execute(f"CREATE DATABASE {name}")
        finally:
            await conn.close()

    asyncio.run(create())
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "fleet.sqlite3") if request.param == "sqlite" else _postgres_database()


# --- the service in this process ------------------------------------------------------------
@dataclass
class Clock:
    now: float = NOW

    def __call__(self) -> float:
        return self.now


@dataclass
class Fleet:
    running: ThreadedApp
    clock: Clock
    admin_key: str
    webhook: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.running.url

    @property
    def service(self):  # type: ignore[no-untyped-def]
        return self.running.app[FLEET_KEY]

    def code(self, booth: str) -> str:
        return self.running.call(self.service.make_enrol_code(booth))

    def check_alerts(self) -> list[dict[str, Any]]:
        return self.running.call(self.service.alerts.check())

    def admin(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.get(self.url + path, auth=("admin", ADMIN_TOKEN), timeout=10, **kwargs)

    def publish(self, envelope: dict[str, Any]) -> requests.Response:
        return requests.post(self.url + "/api/fleet/configs", json=envelope, timeout=10,
                             headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})


@pytest.fixture
def fleet(database: str) -> Iterator[Fleet]:
    from server.app import build_app

    clock = Clock()
    admin_key = new_private_key()
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(status=204)

    hook_app = web.Application()
    hook_app.router.add_post("/hook", hook)
    webhook = run_in_thread(hook_app, name="webhook")
    settings = FleetSettings(database, admin_token=ADMIN_TOKEN, admin_public_key=public_key(admin_key),
                             alert_webhook=f"{webhook.url}/hook", alert_every_s=3600, clock=clock)
    running = run_in_thread(build_app(Settings(secrets.token_bytes(32)), settings), name="fleet")
    yield Fleet(running, clock, admin_key, received)
    running.stop()
    webhook.stop()


# --- a booth --------------------------------------------------------------------------------
@dataclass
class Booth:
    agent: BoothAgent
    store: dict[str, str]
    health: list[HealthLine]
    taken: list[RemoteConfig]


def make_booth(fleet: Fleet, tmp_path: Path, booth_id: str = "ranua-1", admin_public: str | None = None,
               accept_error: str = "") -> Booth:
    store: dict[str, str] = {}
    health = [HealthLine("printer", "ok", "The printer is ready.", "idle"), HealthLine("camera", "ok", "The camera works.")]
    taken: list[RemoteConfig] = []

    def accept(remote: RemoteConfig) -> None:
        if accept_error:
            raise ValueError(accept_error)
        taken.append(remote)

    keys = KeySlot(lambda: store.get("key"), lambda k: store.__setitem__("key", k))
    agent = BoothAgent(fleet.url, booth_id, "1.2.3", keys, admin_public or public_key(fleet.admin_key),
                       tmp_path / f"{booth_id}-remote.json", lambda: list(health), lambda: Usage("2027-01-15", 4, 2),
                       accept, clock=fleet.clock)
    return Booth(agent, store, health, taken)


def enrolled(fleet: Fleet, tmp_path: Path, booth_id: str = "ranua-1", **kwargs: Any) -> Booth:
    booth = make_booth(fleet, tmp_path, booth_id, **kwargs)
    enrol(fleet.url, booth_id, fleet.code(booth_id), booth.agent.keys)
    return booth


def row_of(page: str, booth_id: str) -> str:
    start = page.index(f'data-booth="{booth_id}"')
    return page[start:page.index("</tr>", start)]


# --- enrolment and reports ----------------------------------------------------------------------
def test_a_booth_enrols_once_and_its_report_shows_on_the_admin_page(fleet: Fleet, tmp_path: Path) -> None:
    booth = make_booth(fleet, tmp_path)
    code = fleet.code("ranua-1")
    with pytest.raises(FleetError, match="wrong, used or expired"):
        enrol(fleet.url, "ranua-1", "AAAA-BBBB-CCCC", booth.agent.keys)
    with pytest.raises(FleetError, match="not enrolled"):
        booth.agent.report_once()
    enrol(fleet.url, "ranua-1", code.lower(), booth.agent.keys)  # typed in lower case: still the code
    assert booth.store["key"]
    with pytest.raises(FleetError, match="wrong, used or expired"):
        enrol(fleet.url, "ranua-1", code, KeySlot(lambda: None, lambda k: None))  # one use only
    booth.health[0] = HealthLine("printer", "down", "The printer is out of paper.", "out_of_paper")
    assert booth.agent.report_once() == 0
    fleet.running.call(fleet.service.flush())

    assert requests.get(fleet.url + "/admin", timeout=10).status_code == 401
    assert requests.get(fleet.url + "/admin", auth=("admin", "wrong"), timeout=10).status_code == 401
    page = fleet.admin("/admin")
    assert page.status_code == 200
    row = row_of(page.text, "ranua-1")
    assert "1.2.3" in row and "4 sessions, 2 calls" in row
    assert "The printer is out of paper." in row and "Out of paper" in row
    assert "0 s ago" in row
    booths = fleet.admin("/api/fleet/booths").json()["booths"]
    assert [(b["booth_id"], b["alerts"]) for b in booths] == [("ranua-1", ["out_of_paper"])]


def test_forged_tampered_and_replayed_reports_are_refused(fleet: Fleet, tmp_path: Path) -> None:
    booth = enrolled(fleet, tmp_path)
    stranger = make_booth(fleet, tmp_path)
    stranger.store["key"] = new_private_key()  # not the enrolled key
    with pytest.raises(FleetError, match="signature does not match"):
        stranger.agent.report_once()

    sent: list[dict[str, Any]] = []
    original_request = booth.agent.http.request

    def keep(method: str, url: str, **kwargs: Any) -> requests.Response:
        sent.append(kwargs)
        return original_request(method, url, **kwargs)

    booth.agent.http.request = keep  # type: ignore[method-assign]
    booth.agent.report_once()
    again = requests.post(fleet.url + "/api/fleet/reports", data=sent[0]["data"], headers=sent[0]["headers"], timeout=10)
    assert again.status_code == 409 and "replay" in again.json()["error"]
    tampered = sent[0]["data"].replace(b'"sessions":4', b'"sessions":9')
    changed = requests.post(fleet.url + "/api/fleet/reports", data=tampered, headers=sent[0]["headers"], timeout=10)
    assert changed.status_code == 403
    fleet.clock.now += 600  # the booth's clock is 10 minutes behind the server's
    booth.agent.clock = lambda: NOW + 1
    with pytest.raises(FleetError, match="more than 5 minutes off"):
        booth.agent.report_once()


def test_a_booth_enrolled_again_through_another_process_is_heard(fleet: Fleet, tmp_path: Path) -> None:
    """This process has the old key cached; the new one is only in the shared database."""
    booth = enrolled(fleet, tmp_path)
    booth.agent.report_once()
    new_key = new_private_key()
    fleet.running.call(_set_public_key(fleet, "ranua-1", public_key(new_key)))
    booth.store["key"] = new_key
    fleet.clock.now += 1
    booth.agent.report_once()  # accepted: no FleetError


async def _set_public_key(fleet: Fleet, booth_id: str, key: str) -> None:
    from server.fleet import db

    async with fleet.service.engine.begin() as conn:
        await conn.execute(db.booths.update().where(db.booths.c.booth_id == booth_id).values(public_key=key))


def test_silent_booths_and_printer_trouble_go_to_the_webhook_once(fleet: Fleet, tmp_path: Path) -> None:
    quiet = enrolled(fleet, tmp_path, "pello-1")
    busy = enrolled(fleet, tmp_path, "kolari-1")
    quiet.agent.report_once()
    busy.health[0] = HealthLine("printer", "degraded", "The printer's toner is running low.", "toner_low")
    busy.agent.report_once()
    assert fleet.check_alerts() == [
        {"booth": "kolari-1", "alert": "toner_low", "state": "raised", "text": "Booth kolari-1: the printer's toner is running low."}]
    assert fleet.check_alerts() == []  # raised once, not every round
    fleet.clock.now += 301
    busy.health[0] = HealthLine("printer", "ok", "The printer is ready.", "idle")
    busy.agent.report_once()
    sent = fleet.check_alerts()
    assert {(m["booth"], m["alert"], m["state"]) for m in sent} == {("pello-1", "silent", "raised"), ("kolari-1", "toner_low", "cleared")}
    deadline = time.monotonic() + 5
    while len(fleet.webhook) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m["alert"] for m in fleet.webhook] == ["toner_low", "silent", "toner_low"]
    row = row_of(fleet.admin("/admin").text, "pello-1")
    assert "Silent" in row and "5 min ago" in row
    quiet.agent.report_once()
    assert [(m["booth"], m["state"]) for m in fleet.check_alerts()] == [("pello-1", "cleared")]


def test_the_agent_reports_every_minute_on_its_own_thread(fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fleet.booth.REPORT_EVERY_S", 0.2)
    booth = enrolled(fleet, tmp_path)
    booth.agent.clock = time.time
    fleet.clock.now = time.time()
    booth.agent.start()
    try:
        deadline = time.monotonic() + 10
        seen: set[float] = set()
        while len(seen) < 3 and time.monotonic() < deadline:
            fleet.running.call(fleet.service.flush())
            rows = fleet.admin("/api/fleet/booths").json()["booths"]
            if rows[0]["last_seen"]:
                seen.add(fleet.running.call(_last_sent(fleet)))
            time.sleep(0.1)
            fleet.clock.now = time.time()
    finally:
        booth.agent.stop()
    assert len(seen) >= 3


async def _last_sent(fleet: Fleet) -> float:
    import sqlalchemy as sa

    from server.fleet import db

    async with fleet.service.engine.connect() as conn:
        return (await conn.execute(sa.select(db.booths.c.last_sent_at))).scalar()


# --- signed configuration ------------------------------------------------------------------------
def signed(fleet: Fleet, serial: int, settings: dict[str, Any], booths: list[str] | None = None, key: str | None = None) -> dict[str, Any]:
    return sign_config(key or fleet.admin_key, {"serial": serial, "booths": booths or ["*"], "settings": settings})


def test_a_signed_configuration_reaches_the_booth_and_a_bad_one_keeps_the_last_good(fleet: Fleet, tmp_path: Path) -> None:
    booth = enrolled(fleet, tmp_path)
    assert booth.agent.fetch_config_once() is False  # nothing published yet
    pin_hash = hash_pin("4321")
    first = signed(fleet, 1, {"opening_hours": {"sat": "closed"}, "web.allowed_sites": ["kela.fi", "ranua.fi"],
                              "messages": {"home": {"fi": "Tulostin korjataan maanantaina."}}, "maintenance_pin_hash": pin_hash})
    assert fleet.publish(first).status_code == 201
    assert booth.agent.report_once() == 1  # the report tells the booth a newer one exists
    assert booth.agent.fetch_config_once() is True
    assert booth.taken[0].pin_hash == pin_hash and pin_matches("4321", booth.taken[0].pin_hash)
    kept = json.loads((tmp_path / "ranua-1-remote.json").read_text())
    assert kept == {"serial": 1, "overrides": {"opening_hours": {"sat": "closed"}, "web": {"allowed_sites": ["kela.fi", "ranua.fi"]},
                                                "messages": {"home": {"fi": "Tulostin korjataan maanantaina."}}}}
    assert pin_hash not in (tmp_path / "ranua-1-remote.json").read_text()  # the PIN hash is for the key store only

    # The server refuses what the admins' key did not sign, an old serial and unknown keys.
    assert fleet.publish(signed(fleet, 2, {"opening_hours": {}}, key=new_private_key())).status_code == 400
    assert fleet.publish(signed(fleet, 1, {"opening_hours": {}})).status_code == 409
    sneaky = {"serial": 3, "booths": ["*"], "settings": {"services.room_service_url": "http://evil"}}
    refused = fleet.publish({"config": sneaky, "signature": sign(fleet.admin_key, canonical(sneaky))})
    assert refused.status_code == 400 and "cannot be set remotely" in refused.json()["error"]
    assert requests.post(fleet.url + "/api/fleet/configs", json=first, timeout=10).status_code == 401

    # A booth that trusts another admin key refuses even what the server took.
    doubter = enrolled(fleet, tmp_path, "pello-1", admin_public=public_key(new_private_key()))
    assert doubter.agent.fetch_config_once() is False
    assert "bad signature" in doubter.agent.problem and doubter.agent.last_good.serial == 0

    # Valid for the server, not for this booth: the last good stays and the next report says why.
    picky = enrolled(fleet, tmp_path, "kolari-1", accept_error="opening_hours.sat must be like \"08:00-16:00\"")
    picky.agent.last_good = LastGood(1, {"opening_hours": {"sat": "closed"}})
    assert fleet.publish(signed(fleet, 2, {"opening_hours": {"sat": "25:00-26:00"}})).status_code == 201
    assert picky.agent.fetch_config_once() is False and picky.agent.last_good.serial == 1
    picky.agent.report_once()
    fleet.running.call(fleet.service.flush())
    row = row_of(fleet.admin("/admin").text, "kolari-1")
    assert "#1" in row and "configuration #2 is not valid here" in row

    # An older serial than the one in use is refused too.
    booth.agent.last_good = LastGood(5, {})
    assert booth.agent.fetch_config_once() is False and "older than #5" in booth.agent.problem


def test_a_long_allow_list_arrives_whole(fleet: Fleet, tmp_path: Path) -> None:
    """About 150 KB: more than one network read on the server, still under the 256 KiB limit."""
    booth = enrolled(fleet, tmp_path)
    sites = [f"palvelu-{i:05d}.kunta.fi" for i in range(6000)]
    assert fleet.publish(signed(fleet, 1, {"web.allowed_sites": sites})).status_code == 201
    assert booth.agent.fetch_config_once() is True
    assert booth.taken[0].overrides() == {"web": {"allowed_sites": sites}}
    too_big = signed(fleet, 2, {"web.allowed_sites": sites * 2})
    assert fleet.publish(too_big).status_code == 413


def test_configuration_is_only_for_the_booth_it_names_and_needs_the_booths_signature(fleet: Fleet, tmp_path: Path) -> None:
    ranua = enrolled(fleet, tmp_path, "ranua-1")
    pello = enrolled(fleet, tmp_path, "pello-1")
    assert fleet.publish(signed(fleet, 1, {"opening_hours": {"sun": "closed"}}, booths=["pello-1"])).status_code == 201
    assert ranua.agent.fetch_config_once() is False and ranua.agent.problem == ""
    assert pello.agent.fetch_config_once() is True
    unsigned = requests.get(fleet.url + "/api/fleet/config", headers={"X-Virtu-Booth": "pello-1", "X-Virtu-Time": str(NOW)}, timeout=10)
    assert unsigned.status_code == 403  # the configuration may carry a PIN hash


def test_admin_commands_make_codes_keys_and_signed_configurations(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from server.cli import main

    assert main(["enrol", "Ranua 1", "--database", database]) == 2
    assert main(["enrol", "ranua-1", "--database", database]) == 0
    out = capsys.readouterr().out
    assert "virtu-kiosk enrol " in out and len(out.split("virtu-kiosk enrol ")[1].strip()) == 14
    assert main(["config-key"]) == 0
    public = capsys.readouterr().out.strip()
    assert len(public) == 44
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"opening_hours": {"sat": "closed"}}))
    assert main(["sign-config", str(settings), "--serial", "7", "--booths", "ranua-1"]) == 0
    from fleet.messages import open_config

    envelope = json.loads(capsys.readouterr().out)
    assert open_config(envelope, public).serial == 7
    settings.write_text(json.dumps({"booth.id": "other"}))
    assert main(["sign-config", str(settings), "--serial", "8"]) == 2
    assert "cannot be set remotely" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("2468\n"))
    assert main(["pin-hash"]) == 0
    assert pin_matches("2468", capsys.readouterr().out.strip())


# --- several processes behind a load balancer -------------------------------------------------------
def test_two_processes_share_the_database_and_each_room_lives_in_one(database: str, tmp_path: Path) -> None:
    secret = secrets.token_hex(32)
    env = {**os.environ, "VIRTU_ROOM_SECRET": secret, "VIRTU_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONPATH": str(ROOT)}
    ports = [free_port(), free_port()]
    procs = [subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(p), "--database", database,
                               "--node-url", f"http://127.0.0.1:{p}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in ports]
    try:
        for port, proc in zip(ports, procs):
            wait_listening(port, proc)
        from server.rooms.routing import FRESH_S

        time.sleep(FRESH_S + 0.5)  # each has registered at start; now each re-reads the other
        key = bytes.fromhex(secret)
        code = asyncio.run(_enrol_via(ports[0], database))
        enrolled_keys = KeySlot(lambda: None, lambda k: None)
        enrol(f"http://127.0.0.1:{ports[1]}", "ranua-1", code, enrolled_keys)  # made by one, taken by the other
        result = asyncio.run(_meet_across(ports, key, [f"room-{i}" for i in range(8)]))
        assert result["met"] == 8  # every room: booth on one process, staff on the other, chat arrives
        assert result["owners"] == 2  # the rooms are shared out between both processes
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


async def _enrol_via(port: int, database: str) -> str:
    from server.fleet.service import Fleet as FleetService

    service = FleetService(FleetSettings(database))
    try:
        return await service.make_enrol_code("ranua-1")
    finally:
        await service.engine.dispose()


async def _meet_across(ports: list[int], key: bytes, rooms: list[str]) -> dict[str, int]:
    met = 0
    owners: set[str] = set()
    async with aiohttp.ClientSession() as http:
        for i, room in enumerate(rooms):
            booth_port, staff_port = ports[i % 2], ports[(i + 1) % 2]
            async with http.ws_connect(f"http://127.0.0.1:{booth_port}/ws") as booth, \
                    http.ws_connect(f"http://127.0.0.1:{staff_port}/ws") as staff:
                await booth.send_json({"type": "join", "token": make_token(key, room, "booth", 5), "name": "Ranua", "place": "Ranua"})
                assert (await booth.receive_json(timeout=5))["type"] == "joined"
                await staff.send_json({"type": "join", "token": make_token(key, room, "staff", 5), "name": "Kela", "place": ""})
                joined = await staff.receive_json(timeout=5)
                assert joined["type"] == "joined" and [p["role"] for p in joined["peers"]] == ["booth"]
                assert (await booth.receive_json(timeout=5))["type"] == "peer-joined"
                await staff.send_json({"type": "chat", "text": f"hello {room}"})
                chat = await booth.receive_json(timeout=5)
                if chat["type"] == "chat" and chat["text"] == f"hello {room}":
                    met += 1
            owners.add(await _owner_of(http, ports, key, room))
    return {"met": met, "owners": len(owners)}


async def _owner_of(http: aiohttp.ClientSession, ports: list[int], key: bytes, room: str) -> str:
    """Which process holds the room: a direct connection there is not relayed, so a peer
    joined through the other process shows up in its room list."""
    from server.rooms.routing import FORWARDED

    async with http.ws_connect(f"http://127.0.0.1:{ports[0]}/ws") as via_other:
        await via_other.send_json({"type": "join", "token": make_token(key, room, "booth", 5), "name": "a", "place": ""})
        await via_other.receive_json(timeout=5)
        async with http.ws_connect(f"http://127.0.0.1:{ports[0]}/ws", headers={FORWARDED: "1"}) as direct:
            await direct.send_json({"type": "join", "token": make_token(key, room, "staff", 5), "name": "b", "place": ""})
            joined = await direct.receive_json(timeout=5)
            return str(ports[0]) if joined["peers"] else str(ports[1])


# --- the kiosk as a booth of the fleet ---------------------------------------------------------------
def _booth_config(tmp_path: Path, fleet: Fleet) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f"""
[booth]
id = "ranua-1"
name = "Ranuan Virtu"
[devices]
camera = "none"
card_reader = "none"
scanner = "none"
printer = "none"
[fleet]
server_url = "{fleet.url}/"
admin_public_key = "{public_key(fleet.admin_key)}"
""", encoding="utf-8")
    return path


def _context(config: Path):  # type: ignore[no-untyped-def]
    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import load
    from session.clock import ManualClock
    from session.paths import Paths

    paths = Paths.from_env()
    paths.ensure()
    return build_context(load(config), config, paths, ManualClock(start_wall=NOW), False, setup_logging(paths, 20))


@pytest.mark.qt
def test_a_kiosk_enrols_reports_its_devices_and_shows_the_admins_notice(qapp, fleet: Fleet, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk import i18n
    from kiosk.cli import main as kiosk_main
    from kiosk.qt_main import build_shell, show_screen

    config = _booth_config(tmp_path, fleet)
    assert kiosk_main(["--config", str(config), "enrol", "WRNG-CODE-XXXX"]) == 1
    assert "wrong, used or expired" in capsys.readouterr().err
    assert kiosk_main(["--config", str(config), "enrol", fleet.code("ranua-1")]) == 0
    assert "is enrolled" in capsys.readouterr().out

    ctx = _context(config)
    assert ctx.fleet is not None

    def fleet_line() -> str:
        (line,) = [h for h in ctx.health() if h.subsystem == "fleet"]
        return line.message.format(**line.params)

    assert fleet_line() == "Sending the first report to the fleet service…"
    ctx.stats.record_session(300, {"call", "print"})
    ctx.fleet.clock = fleet.clock
    ctx.fleet.report_once()
    fleet.running.call(fleet.service.flush())
    row = row_of(fleet.admin("/admin").text, "ranua-1")
    assert "printer: No printer is set up." in row and "vault:" in row and "1 sessions, 1 calls" in row
    assert fleet_line() == "Reporting to the fleet service every minute (remote settings #0)."

    notice = "Tulostin on korjattavana maanantaihin asti."
    new_pin = hash_pin("97531")
    fleet.publish(signed(fleet, 1, {"messages": {"home": {"fi": notice}}, "maintenance_pin_hash": new_pin}))
    assert ctx.fleet.fetch_config_once() is True
    assert ctx.restart_when_idle  # the new notice takes a fresh start, between sessions
    assert ctx.auth.try_pin("97531").outcome.name == "OK"
    assert fleet_line() == "Reporting to the fleet service every minute (remote settings #1)."
    fleet.publish(signed(fleet, 2, {"opening_hours": {"mon": "8-16"}}))
    assert ctx.fleet.fetch_config_once() is False
    assert fleet_line().startswith("The remote settings were refused: configuration #2 is not valid here")

    # The restarted kiosk: the notice on the home screen in the resident's language.
    ctx = _context(config)
    assert ctx.config.messages.home == {"fi": notice}
    shell = build_shell(ctx, windowed=True)
    try:
        i18n.set_language("fi")
        shell.resize(1920, 1080)
        shell.show()
        show_screen(shell, "home")
        home = shell.screens["home"]
        assert shell.current == "home" and home.notice.isVisible() and home.notice.text() == notice
        i18n.set_language("en")  # no English notice: the booth's default language's is shown
        assert home.notice.text() == notice
    finally:
        shell.allow_close = True
        shell.close()
