"""A booth's own join links, asked from the room service's API with the booth's key (the
same API the booking system uses). The key comes from the OS key store, never a file."""
from __future__ import annotations

from collections.abc import Callable

import requests

from calls.signalling import InvalidInvitation

TIMEOUT = (5.0, 10.0)
MINUTES = 120


def api_booth_link(room_service_url: str, booth_id: str, key: str) -> Callable[[str], str]:
    """`link(line)`: "" the booth's own room, "contact" its contact person's line. Blocking
    (the call engine runs it off the UI thread); raises OSError when the service cannot be
    reached and InvalidInvitation when it refuses."""
    base = room_service_url.rstrip("/")

    def link(line: str) -> str:
        room = f"{booth_id}-{line}" if line else booth_id
        try:
            r = requests.post(f"{base}/api/invites", json={"room": room, "role": "booth", "minutes": MINUTES},
                              headers={"Authorization": f"Bearer {key}"}, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise OSError(f"room service unreachable ({type(exc).__name__})") from None
        if r.status_code != 200:
            raise InvalidInvitation(f"the room service refused the booth ({r.status_code})")
        url = r.json().get("url")
        if not isinstance(url, str):
            raise InvalidInvitation("the room service gave no link")
        return url

    return link
