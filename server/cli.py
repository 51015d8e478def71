"""`virtu-server`: run the room service, or make a join link.

The HMAC secret comes from VIRTU_ROOM_SECRET (hex) or else the OS key store (service
"virtu-room-service", user "secret"); the booking system's API key from VIRTU_SERVICE_KEY
or the key store (user "service-key"). Neither is ever written to a file or a log."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

KEYRING_SERVICE = "virtu-room-service"


def _secret(name: str, env: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    import keyring

    return keyring.get_password(KEYRING_SERVICE, name)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="virtu-server", description="The Virtu room service.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the room service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8780)
    serve.add_argument("--public-url", default="", help="the address staff open (behind the TLS proxy)")
    serve.add_argument("--ice-servers", type=Path, help="a JSON file: [{\"urls\": [...], \"username\": ..., \"credential\": ...}]")
    invite = sub.add_parser("invite", help="print a join link")
    invite.add_argument("room")
    invite.add_argument("--role", choices=("booth", "staff"), default="staff")
    invite.add_argument("--minutes", type=float, default=60)
    invite.add_argument("--public-url", default="http://127.0.0.1:8780")
    args = p.parse_args(argv)
    secret = _secret("secret", "VIRTU_ROOM_SECRET")
    if not secret:
        print("virtu-server: no secret: set VIRTU_ROOM_SECRET (hex) or store it in the key store "
              f"(service {KEYRING_SERVICE!r}, user 'secret')", file=sys.stderr)
        return 2
    key = bytes.fromhex(secret) if all(c in "0123456789abcdefABCDEF" for c in secret) else secret.encode()
    from server.rooms.tokens import make_token

    if args.command == "invite":
        print(f"{args.public_url.rstrip('/')}/join?token={make_token(key, args.room, args.role, args.minutes)}")
        return 0
    from aiohttp import web

    from server.rooms.app import Settings, make_app

    ice = json.loads(args.ice_servers.read_text()) if args.ice_servers else []
    settings = Settings(key, service_key=_secret("service-key", "VIRTU_SERVICE_KEY") or "", public_url=args.public_url, ice_servers=ice)
    web.run_app(make_app(settings), host=args.host, port=args.port, access_log=None)
    return 0
