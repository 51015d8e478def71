"""The folder service's sign-in (protocol: docs/oma-kansio-signin.md).

ID card: the service hands out a one-time random challenge; the card signs its SHA-256
with the authentication key (RSA-PSS); the service checks the certificate against the CAs
it trusts and the signature against the certificate, and the folder is the holder's
(named by SATU). App password: a user name and a one-time app password set up in the
service. Either way the answer is a bearer token for the WebDAV folder.
"""
from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.x509.oid import NameOID

from server.folder.tokens import TokenStore

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SignIn:
    def __init__(self, tokens: TokenStore, trusted_cas: list[x509.Certificate], app_passwords: dict[str, str]) -> None:
        self.tokens = tokens
        self.trusted_cas = trusted_cas
        self.app_passwords = app_passwords

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": "use POST"})
        if path == "/challenge":
            cid, nonce = self.tokens.challenge()
            return _json(start_response, "200 OK", {"id": cid, "challenge": base64.b64encode(nonce).decode()})
        if path == "/revoke":
            token = _bearer(environ)
            revoked = token is not None and self.tokens.revoke(token)
            return _json(start_response, "200 OK" if revoked else "401 Unauthorized", {"revoked": revoked})
        body = _body(environ)
        if body is None:
            return _json(start_response, "400 Bad Request", {"error": "the request is not a JSON object"})
        if path == "/card":
            user = self._card(body)
        elif path == "/password":
            user = self._password(body)
        else:
            return _json(start_response, "404 Not Found", {"error": "no such sign-in"})
        if user is None:
            return _json(start_response, "401 Unauthorized", {"error": "sign-in refused"})
        token, lifetime = self.tokens.issue(user)
        log.info("folder sign-in (%s)", path.strip("/"))
        return _json(start_response, "200 OK", {"token": token, "expires_in": int(lifetime)})

    def _card(self, body: dict[str, Any]) -> str | None:
        try:
            nonce = self.tokens.take_challenge(str(body["id"]))
            cert = x509.load_der_x509_certificate(base64.b64decode(body["certificate"], validate=True))
            signature = base64.b64decode(body["signature"], validate=True)
        except (KeyError, ValueError, TypeError):
            return None
        if nonce is None or not self._trusted(cert):
            return None
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            return None
        digest = hashes.Hash(hashes.SHA256())
        digest.update(nonce)
        try:
            key.verify(signature, digest.finalize(), padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
                       utils.Prehashed(hashes.SHA256()))
        except InvalidSignature:
            return None
        satu = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
        return str(satu[0].value) if satu else None

    def _trusted(self, cert: x509.Certificate) -> bool:
        now = dt.datetime.now(dt.UTC)
        if not cert.not_valid_before_utc <= now < cert.not_valid_after_utc:
            return False
        for ca in self.trusted_cas:
            try:
                cert.verify_directly_issued_by(ca)
                return True
            except (ValueError, TypeError, InvalidSignature):
                continue
        return False

    def _password(self, body: dict[str, Any]) -> str | None:
        user, password = body.get("user"), body.get("app_password")
        if not isinstance(user, str) or not isinstance(password, str):
            return None
        expected = self.app_passwords.get(user)
        if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
            return None
        return user


def _bearer(environ: dict[str, Any]) -> str | None:
    header = environ.get("HTTP_AUTHORIZATION", "")
    return header[7:].strip() or None if header.startswith("Bearer ") else None


def _body(environ: dict[str, Any]) -> dict[str, Any] | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    try:
        data = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _json(start_response: StartResponse, status: str, data: dict[str, Any]) -> list[bytes]:
    body = json.dumps(data).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]
