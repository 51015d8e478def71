"""The card holder as read from the authentication certificate. Lives only in memory for
the session: never logged, never written anywhere (repr hides it)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import NameOID

from devices.card.errors import CardUnreadable

# SATU (sähköinen asiointitunnus): 8 digits and a check character, in the subject's
# serialNumber. Only the form is checked: the card's own signature is the real proof.
_SATU = re.compile(r"^[0-9]{8}[0-9A-Z]$")


def _nice(name: str) -> str:
    """Cards store names in capitals ("MEIKÄLÄINEN"); people are greeted as "Meikäläinen"."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


@dataclass(frozen=True, repr=False)
class Identity:
    given_names: str
    surname: str
    satu: str
    not_after: dt.datetime
    certificate: x509.Certificate = field(compare=False)

    @property
    def first_name(self) -> str:
        return self.given_names.split()[0] if self.given_names else ""

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.not_after

    @property
    def public_key(self) -> CertificatePublicKeyTypes:
        return self.certificate.public_key()

    def __repr__(self) -> str:
        return "Identity(<hidden>)"


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def parse_certificate(der: bytes) -> Identity:
    """Names and SATU from a FINEID authentication certificate. Raises CardUnreadable on
    bytes that are not such a certificate."""
    try:
        cert = x509.load_der_x509_certificate(der)
        subject = cert.subject
    except ValueError as exc:
        raise CardUnreadable("the certificate is damaged") from exc
    satu = _attr(subject, NameOID.SERIAL_NUMBER)
    given = _attr(subject, NameOID.GIVEN_NAME)
    surname = _attr(subject, NameOID.SURNAME)
    if not (given or surname):
        # Older layouts carry only the CN "SURNAME GIVEN NAMES SATU".
        parts = _attr(subject, NameOID.COMMON_NAME).split()
        if parts and _SATU.match(parts[-1]):
            parts = parts[:-1]
        if len(parts) >= 2:
            surname, given = parts[0], " ".join(parts[1:])
    if not _SATU.match(satu) or not (given or surname):
        raise CardUnreadable("the certificate does not name a person")
    return Identity(
        given_names=" ".join(_nice(p) for p in given.split()),
        surname=" ".join(_nice(p) for p in surname.split()),
        satu=satu,
        not_after=cert.not_valid_after_utc,
        certificate=cert,
    )
