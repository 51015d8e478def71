"""Signing in to Oma kansio (protocol: docs/oma-kansio-signin.md). Blocking: call off the
UI thread. The token is returned to the caller and kept only in memory."""
from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable

import requests

from session.oma_kansio.errors import FolderError, Problem

TIMEOUT = (5.0, 20.0)
log = logging.getLogger(__name__)


def _post(url: str, **kwargs: object) -> dict[str, object]:
    try:
        r = requests.post(url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    except requests.Timeout:
        raise FolderError(Problem.TIMEOUT) from None
    except requests.ConnectionError:
        raise FolderError(Problem.OFFLINE) from None
    if r.status_code != 200:
        raise FolderError(Problem.for_status(r.status_code), f"sign-in {r.status_code}")
    try:
        data = r.json()
    except ValueError:
        raise FolderError(Problem.BAD_ANSWER, "sign-in answer") from None
    if not isinstance(data, dict):
        raise FolderError(Problem.BAD_ANSWER, "sign-in answer")
    return data


def _token(data: dict[str, object]) -> str:
    token = data.get("token")
    if not isinstance(token, str) or not token:
        raise FolderError(Problem.BAD_ANSWER, "no token")
    return token


def with_card(service_url: str, certificate_der: bytes, sign_digest: Callable[[bytes], bytes]) -> str:
    """`sign_digest(sha256)` is the card's signature (after the PIN) of the challenge's hash."""
    base = service_url.rstrip("/")
    challenge = _post(base + "/signin/challenge")
    try:
        nonce = base64.b64decode(str(challenge["challenge"]), validate=True)
        cid = str(challenge["id"])
    except (KeyError, ValueError):
        raise FolderError(Problem.BAD_ANSWER, "challenge") from None
    signature = sign_digest(hashlib.sha256(nonce).digest())
    return _token(_post(base + "/signin/card", json={
        "id": cid,
        "certificate": base64.b64encode(certificate_der).decode(),
        "signature": base64.b64encode(signature).decode(),
    }))


def with_app_password(service_url: str, user: str, app_password: str) -> str:
    return _token(_post(service_url.rstrip("/") + "/signin/password", json={"user": user, "app_password": app_password}))


def revoke(service_url: str, token: str) -> None:
    """Best effort at the session's end: the token also expires by itself."""
    try:
        requests.post(service_url.rstrip("/") + "/signin/revoke", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    except requests.RequestException as exc:
        log.info("sign-out at the folder service failed (%s); the token expires by itself", type(exc).__name__)
