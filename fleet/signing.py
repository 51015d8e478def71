"""Ed25519 signatures over canonical JSON.

Both sides must hash the same bytes: keys sorted, no spaces, UTF-8. Reports are signed by
the booth's own key (made at enrolment); configurations by the admins' key.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class BadSignature(Exception):
    """The signature does not match, or a key is not a valid Ed25519 key."""


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise BadSignature("not base64") from None


def new_private_key() -> str:
    """The raw 32-byte seed, base64: what goes into the key store."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return b64(raw)


def _private(key_b64: str) -> Ed25519PrivateKey:
    raw = unb64(key_b64)
    if len(raw) != 32:
        raise BadSignature("a private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key(private_b64: str) -> str:
    pub = _private(private_b64).public_key()
    return b64(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_public(public_b64: str) -> Ed25519PublicKey:
    raw = unb64(public_b64)
    if len(raw) != 32:
        raise BadSignature("a public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(private_b64: str, data: bytes) -> str:
    return b64(_private(private_b64).sign(data))


def verify(public: Ed25519PublicKey | str, data: bytes, signature_b64: str) -> None:
    key = load_public(public) if isinstance(public, str) else public
    try:
        key.verify(unb64(signature_b64), data)
    except InvalidSignature:
        raise BadSignature("the signature does not match") from None
