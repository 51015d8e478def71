"""Oma kansio's client against the real stand-in service (server/folder: wsgidav + the
sign-in endpoints) on loopback; faults come from a small middleware in front of it."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from conftest import VPCD_READER
from devices.card import watcher as card_io
from devices.card.identity import parse_certificate
from server.folder.app import FolderService, serve
from session.oma_kansio import signin
from session.oma_kansio.client import FolderClient
from session.oma_kansio.errors import FolderError, Problem
from virtual_card import identities

NAMES = ["Päätös å ä ö.pdf", "Sámi čđŋšŧž.txt", "tyhjä.txt"]


class Faults:
    """Answers the next matching request with a status (or a slow or hostile body) instead."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.rules: list[tuple[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        for i, (method, action) in enumerate(self.rules):
            if environ["REQUEST_METHOD"] == method:
                del self.rules[i]
                if isinstance(action, int):
                    start_response(f"{action} Injected", [("Content-Type", "text/plain")])
                    return [b"injected"]
                if action == "slow":
                    time.sleep(3)
                    break
                start_response("207 Multi-Status", [("Content-Type", "application/xml")])
                return [action]
        return self.app(environ, start_response)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[str, Faults]]:
    ca_cert = identities.ca_certificate()
    app = Faults(FolderService(tmp_path / "folders", [ca_cert], {"demo": "app-password-123"}))
    running = serve(app)  # type: ignore[arg-type]
    yield running.url, app
    running.stop()


@pytest.fixture
def client(service) -> FolderClient:  # type: ignore[no-untyped-def]
    url, _ = service
    token = signin.with_app_password(url, "demo", "app-password-123")
    return FolderClient(url + "/dav/", token, sleep=lambda s: None, timeout=(2.0, 1.0))


def test_app_password_sign_in_and_a_wrong_one(service) -> None:  # type: ignore[no-untyped-def]
    url, _ = service
    assert signin.with_app_password(url, "demo", "app-password-123")
    with pytest.raises(FolderError) as err:
        signin.with_app_password(url, "demo", "wrong")
    assert err.value.problem is Problem.SIGNED_OUT


def test_id_card_sign_in_over_pcscd_with_the_pin(service, insert_card, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, _ = service
    card = insert_card("asa", pin="2468")
    from conftest import wait_reader

    wait_reader(present=True)
    identity = parse_certificate(card.behaviour.certificate)
    der = identity.certificate.public_bytes(Encoding.DER)
    token = signin.with_card(url, der, lambda digest: card_io.sign_digest(VPCD_READER, identity, bytearray(b"2468"), digest))
    c = FolderClient(url + "/dav/", token)
    assert c.list() == []
    assert (tmp_path / "folders" / identity.satu).is_dir(), "the folder is the card holder's own"
    with pytest.raises(FolderError):
        signin.with_card(url, der, lambda digest: b"\0" * 256)  # a signature that is not the card's


def test_unicode_names_empty_file_and_deep_folders_round_trip(client, vault) -> None:  # type: ignore[no-untyped-def]
    client.make_folder("Päätökset")
    client.make_folder("Päätökset/2026")
    client.make_folder("Päätökset/2026/syksy")
    for name in NAMES:
        vault.write_bytes(name, b"" if name.startswith("tyhj") else name.encode() * 100)
        client.upload(vault, name, f"Päätökset/2026/syksy/{name}")
    listed = client.list("Päätökset/2026/syksy")
    assert sorted(e.name for e in listed) == sorted(NAMES)
    assert next(e for e in listed if e.name == "tyhjä.txt").size == 0
    for name in NAMES:
        client.download(f"Päätökset/2026/syksy/{name}", vault, "back-" + name)
        assert vault.read_bytes("back-" + name) == vault.read_bytes(name)
    assert [e.name for e in client.list()] == ["Päätökset"]


def test_same_name_keeps_both_and_says_so(client, vault) -> None:  # type: ignore[no-untyped-def]
    vault.write_bytes("a.pdf", b"first")
    vault.write_bytes("b.pdf", b"second")
    first = client.upload(vault, "a.pdf", "hakemus.pdf")
    second = client.upload(vault, "b.pdf", "hakemus.pdf")
    assert not first.renamed and second.renamed and second.path == "hakemus (2).pdf"
    client.download("hakemus.pdf", vault, "x")
    assert vault.read_bytes("x") == b"first"


def test_a_stale_etag_is_refused_and_nothing_is_lost(client, vault) -> None:  # type: ignore[no-untyped-def]
    vault.write_bytes("v1", b"version 1")
    client.upload(vault, "v1", "doc.txt")
    etag = client.download("doc.txt", vault, "mine")
    vault.write_bytes("v2", b"someone else's change")
    client.upload(vault, "v2", "doc.txt", etag=etag)
    vault.write_bytes("v3", b"my change on the old version")
    with pytest.raises(FolderError) as err:
        client.upload(vault, "v3", "doc.txt", etag=etag)
    assert err.value.problem is Problem.CHANGED
    client.download("doc.txt", vault, "now")
    assert vault.read_bytes("now") == b"someone else's change"


@pytest.mark.parametrize(("status", "problem"), [
    (401, Problem.SIGNED_OUT), (403, Problem.NOT_ALLOWED), (404, Problem.NOT_FOUND), (409, Problem.CONFLICT),
    (423, Problem.LOCKED), (500, Problem.SERVER), (507, Problem.FULL),
])
def test_each_error_answer_is_a_plain_problem(client, service, vault, status, problem) -> None:  # type: ignore[no-untyped-def]
    _, faults = service
    faults.rules = [("PROPFIND", status)]
    with pytest.raises(FolderError) as err:
        client.list()
    assert err.value.problem is problem


def test_a_failed_upload_retries_then_succeeds(client, service, vault) -> None:  # type: ignore[no-untyped-def]
    _, faults = service
    vault.write_bytes("scan.pdf", b"%PDF scan")
    faults.rules = [("PUT", 500), ("PUT", 503)]
    assert client.upload(vault, "scan.pdf", "scan.pdf").path == "scan.pdf"
    faults.rules = [("PUT", 500)] * 3
    with pytest.raises(FolderError) as err:
        client.upload(vault, "scan.pdf", "scan-2.pdf")
    assert err.value.problem is Problem.SERVER
    assert vault.read_bytes("scan.pdf") == b"%PDF scan", "the vault copy stays for a later try"


def test_a_time_out_is_a_plain_problem(client, service) -> None:  # type: ignore[no-untyped-def]
    _, faults = service
    faults.rules = [("PROPFIND", "slow")]
    with pytest.raises(FolderError) as err:
        client.list()
    assert err.value.problem is Problem.TIMEOUT


LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol2;</d:href></d:response></d:multistatus>"""
MISSING = b"""<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/x.pdf</d:href>
<d:propstat><d:prop><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"""


@pytest.mark.parametrize("body", [LAUGHS, MISSING, b"<d:multistatus xmlns:d='DAV:'>" + b"x" * (9 * 1024 * 1024), b"not xml"])
def test_a_hostile_or_broken_listing_is_refused(client, service, body) -> None:  # type: ignore[no-untyped-def]
    _, faults = service
    faults.rules = [("PROPFIND", body)]
    with pytest.raises(FolderError) as err:
        client.list()
    assert err.value.problem is Problem.BAD_ANSWER


def test_200_mb_goes_both_ways_through_the_vault(client, vault) -> None:  # type: ignore[no-untyped-def]
    block = os.urandom(1 << 20)
    with vault.open_write("big.bin") as f:
        for _ in range(200):
            f.write(block)
    client.upload(vault, "big.bin", "big.bin")
    assert next(e for e in client.list() if e.name == "big.bin").size == 200 << 20
    client.download("big.bin", vault, "big-back.bin")
    assert vault.size("big-back.bin") == 200 << 20
    with vault.open_read("big-back.bin") as f:
        assert f.read(1 << 20) == block
