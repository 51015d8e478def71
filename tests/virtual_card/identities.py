"""Test identities: made-up people with real-looking FINEID authentication certificates.

The SATU numbers are made up (8 digits + a check character, as on real cards); the CA is
generated per process. Keys are RSA 2048 as on FINEID v3 cards; one key per process keeps
the tests fast (generating a key costs ~50 ms) and every identity still verifies on its own.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Holder:
    given_names: str
    surname: str
    satu: str


HOLDERS = {
    "matti": Holder("Matti Juhani", "Meikäläinen", "99919815R"),
    "asa": Holder("Åsa Östen", "Ärlig", "10000001N"),
    "sami": Holder("Máret Ánde", "Sámmol", "10000002P"),
    "liisa": Holder("Liisa", "Virtanen", "10000003T"),
}


@functools.cache
def card_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def _ca() -> tuple[rsa.RSAPrivateKey, x509.Name]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Virtu test CA"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Virtu test citizen CA"),
    ])
    return key, name


@functools.cache
def ca_certificate() -> x509.Certificate:
    """The test CA's own certificate, for services that check who issued a card's."""
    key, name = _ca()
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=3650))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )


def make_certificate(holder: Holder, expired: bool = False) -> bytes:
    """DER of an authentication certificate laid out like a FINEID one (CN = "SURNAME
    GIVEN NAMES SATU", serialNumber = SATU)."""
    ca_key, ca_name = _ca()
    now = dt.datetime.now(dt.UTC)
    if expired:
        not_before, not_after = now - dt.timedelta(days=5 * 365), now - dt.timedelta(days=30)
    else:
        not_before, not_after = now - dt.timedelta(days=30), now + dt.timedelta(days=5 * 365)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{holder.surname.upper()} {holder.given_names.upper()} {holder.satu}"),
        x509.NameAttribute(NameOID.SURNAME, holder.surname.upper()),
        x509.NameAttribute(NameOID.GIVEN_NAME, holder.given_names.upper()),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, holder.satu),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(card_key().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER)
