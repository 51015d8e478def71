"""`virtu-server`: run the room and fleet service, or one of the admins' commands.

Secrets come from the environment or else the OS key store (service "virtu-room-service"):
the rooms' HMAC secret (VIRTU_ROOM_SECRET, user "secret"), the booking system's API key
(VIRTU_SERVICE_KEY, "service-key"), the admin page's token (VIRTU_ADMIN_TOKEN,
"admin-token") and the admins' configuration-signing key (VIRTU_CONFIG_SIGNING_KEY,
"config-signing-key"). None is ever written to a file or a log."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from pathlib import Path

KEYRING_SERVICE = "virtu-room-service"
DEFAULT_DATABASE = "virtu-fleet.sqlite3"


def _secret(name: str, env: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    import keyring

    return keyring.get_password(KEYRING_SERVICE, name)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="virtu-server", description="The Virtu room and fleet service.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the room service (and the fleet service with --database)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8780)
    serve.add_argument("--public-url", default="", help="the address staff open (behind the TLS proxy)")
    serve.add_argument("--ice-servers", type=Path, help="a JSON file: [{\"urls\": [...], \"username\": ..., \"credential\": ...}]")
    serve.add_argument("--database", default=os.environ.get("VIRTU_DATABASE", ""),
                       help="the fleet's database: a SQLite file path or a postgresql:// URL (default: no fleet service)")
    serve.add_argument("--admin-public-key", default="", help="the admins' Ed25519 public key (base64) that signs configurations")
    serve.add_argument("--alert-webhook", default="", help="a URL that receives a JSON POST for every alert")
    serve.add_argument("--node-url", default="", help="this process's own address for the others behind the load balancer "
                       "(rooms are then shared out by name among the processes using the same database)")
    invite = sub.add_parser("invite", help="print a join link")
    invite.add_argument("room")
    invite.add_argument("--role", choices=("booth", "staff"), default="staff")
    invite.add_argument("--minutes", type=float, default=60)
    invite.add_argument("--public-url", default="http://127.0.0.1:8780")
    enrol = sub.add_parser("enrol", help="print a one-time code that enrols a booth (valid 24 hours)")
    enrol.add_argument("booth")
    enrol.add_argument("--database", default=os.environ.get("VIRTU_DATABASE", DEFAULT_DATABASE))
    sub.add_parser("config-key", help="make the admins' configuration-signing key (into the key store) and print its public half")
    sign = sub.add_parser("sign-config", help="sign a configuration: prints the envelope to publish")
    sign.add_argument("settings", type=Path, help='a JSON file of the keys to set, e.g. {"opening_hours": {"sat": "closed"}}')
    sign.add_argument("--serial", type=int, required=True, help="must be above every serial published before")
    sign.add_argument("--booths", default="*", help="booth ids separated by commas, or * for all (default)")
    sub.add_parser("pin-hash", help="hash a new maintenance PIN for a signed configuration (asks for the PIN)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler = {"serve": _serve, "invite": _invite, "enrol": _enrol, "config-key": _config_key,
               "sign-config": _sign_config, "pin-hash": _pin_hash}[args.command]
    return handler(args)


def _room_key() -> bytes | None:
    secret = _secret("secret", "VIRTU_ROOM_SECRET")
    if not secret:
        print("virtu-server: no secret: set VIRTU_ROOM_SECRET (hex) or store it in the key store "
              f"(service {KEYRING_SERVICE!r}, user 'secret')", file=sys.stderr)
        return None
    return bytes.fromhex(secret) if all(c in "0123456789abcdefABCDEF" for c in secret) else secret.encode()


def _invite(args: argparse.Namespace) -> int:
    key = _room_key()
    if key is None:
        return 2
    from server.rooms.tokens import make_token

    print(f"{args.public_url.rstrip('/')}/join?token={make_token(key, args.room, args.role, args.minutes)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    key = _room_key()
    if key is None:
        return 2
    from aiohttp import web

    from server.app import build_app
    from server.fleet.service import FleetSettings
    from server.rooms.app import Settings

    ice = json.loads(args.ice_servers.read_text()) if args.ice_servers else []
    settings = Settings(key, service_key=_secret("service-key", "VIRTU_SERVICE_KEY") or "", public_url=args.public_url, ice_servers=ice)
    fleet = None
    if args.database:
        fleet = FleetSettings(args.database, admin_token=_secret("admin-token", "VIRTU_ADMIN_TOKEN") or "",
                              admin_public_key=args.admin_public_key, alert_webhook=args.alert_webhook)
        if not fleet.admin_token:
            print("virtu-server: no admin token (VIRTU_ADMIN_TOKEN or key store user 'admin-token'): the admin page stays locked",
                  file=sys.stderr)
    web.run_app(build_app(settings, fleet, node_url=args.node_url), host=args.host, port=args.port, access_log=None)
    return 0


def _enrol(args: argparse.Namespace) -> int:
    from fleet.messages import BOOTH_ID
    from server.fleet.service import Fleet, FleetSettings

    if not BOOTH_ID.match(args.booth):
        print("virtu-server: a booth id is lower-case letters, digits and dashes (as in the booth's kiosk.toml)", file=sys.stderr)
        return 2

    async def make() -> str:
        fleet = Fleet(FleetSettings(args.database))
        try:
            from server.fleet import db

            await db.create_tables(fleet.engine)
            return await fleet.make_enrol_code(args.booth)
        finally:
            await fleet.engine.dispose()

    code = asyncio.run(make())
    print(f"Enrolment code for {args.booth} (one use, 24 hours): {code}")
    print(f"At the booth: virtu-kiosk enrol {code}")
    return 0


def _config_key(_args: argparse.Namespace) -> int:
    import keyring

    from fleet.signing import new_private_key, public_key

    if _secret("config-signing-key", "VIRTU_CONFIG_SIGNING_KEY"):
        print("virtu-server: a signing key exists already; its public half:", file=sys.stderr)
    else:
        keyring.set_password(KEYRING_SERVICE, "config-signing-key", new_private_key())
    print(public_key(_secret("config-signing-key", "VIRTU_CONFIG_SIGNING_KEY") or ""))
    return 0


def _sign_config(args: argparse.Namespace) -> int:
    from fleet.messages import BadMessage, sign_config

    private = _secret("config-signing-key", "VIRTU_CONFIG_SIGNING_KEY")
    if not private:
        print("virtu-server: no signing key: run `virtu-server config-key` first", file=sys.stderr)
        return 2
    try:
        settings = json.loads(args.settings.read_text(encoding="utf-8"))
        body = {"serial": args.serial, "booths": [b.strip() for b in args.booths.split(",")], "settings": settings}
        print(json.dumps(sign_config(private, body), ensure_ascii=False, indent=1))
    except (OSError, ValueError, BadMessage) as exc:
        print(f"virtu-server: {args.settings}: {exc}", file=sys.stderr)
        return 2
    return 0


def _pin_hash(_args: argparse.Namespace) -> int:
    from session.pin_hash import hash_pin

    pin = getpass.getpass("New maintenance PIN: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"virtu-server: {exc}", file=sys.stderr)
        return 2
    return 0
