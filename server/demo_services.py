"""The services a demo kiosk runs beside itself on loopback: the stand-in Oma kansio over
a sample folder (and the room service, see server/embedded.py). A booth uses the real ones
from its configuration instead."""
from __future__ import annotations

import io
import logging
from pathlib import Path
from urllib.parse import urlsplit

from server.folder.app import FolderService, Running, serve

log = logging.getLogger(__name__)
DEMO_USER = "demo"
DEMO_APP_PASSWORD = "demo2026"
LOOPBACK = ("127.0.0.1", "localhost")


def _sample_pdf(title: str, pages: int) -> bytes:
    from PIL import Image, ImageDraw

    images = []
    for page in range(pages):
        image = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(image)
        draw.text((120, 120), f"{title} - {page + 1}/{pages}", fill="black")
        draw.rectangle((120, 220, 1120, 240), fill=(31, 90, 140))
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=150)
    return buf.getvalue()


def seed_sample_folder(root: Path) -> None:
    home = root / DEMO_USER
    if home.exists():
        return
    (home / "Päätökset").mkdir(parents=True)
    (home / "Päätökset" / "Kelan päätös 2026.pdf").write_bytes(_sample_pdf("Kela - paatos", 2))
    (home / "Hakemukset").mkdir()
    (home / "Hakemukset" / "Asumistukihakemus.pdf").write_bytes(_sample_pdf("Asumistukihakemus", 3))
    (home / "Ohje.pdf").write_bytes(_sample_pdf("Virtu - ohje", 1))


def start_room_service(room_service_url: str, booth_id: str):  # type: ignore[no-untyped-def]
    """The room service on the configured loopback port, with a fresh secret; prints the
    staff's join link for the booth's room (a demo has no booking system)."""
    from server.embedded import start_embedded

    parts = urlsplit(room_service_url)
    if parts.hostname not in LOOPBACK or parts.port is None:
        return None
    try:
        rooms = start_embedded(parts.hostname, parts.port)
    except (OSError, RuntimeError) as exc:
        log.warning("demo room service not started (port %s: %s)", parts.port, exc)
        return None
    print(f"Demo room service at {rooms.url}: staff join the booth's call at {rooms.invite(booth_id, 'staff', 240)}", flush=True)
    print(f"  and the contact person answers the help line at {rooms.invite(booth_id + '-contact', 'staff', 240)}", flush=True)
    return rooms


def start_folder_service(oma_kansio_url: str, data_dir: Path) -> Running | None:
    """Only when the configured service is on this machine (the demo default)."""
    parts = urlsplit(oma_kansio_url)
    if parts.hostname not in LOOPBACK or parts.port is None:
        return None
    root = data_dir / "demo-oma-kansio"
    seed_sample_folder(root)
    try:
        running = serve(FolderService(root, [], {DEMO_USER: DEMO_APP_PASSWORD}), parts.hostname, parts.port)
    except OSError as exc:
        log.warning("demo Oma kansio not started (port %s: %s)", parts.port, exc.strerror)
        return None
    print(f"Demo Oma kansio at {running.url}: sign in with user \"{DEMO_USER}\" and app password \"{DEMO_APP_PASSWORD}\".", flush=True)
    return running
