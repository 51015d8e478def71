"""The resident's Oma kansio over WebDAV, with a bearer token held only in memory.

Downloads stream into the vault in 1 MiB pieces (memory stays bounded whatever the size);
uploads stream out of the vault with a known length and never overwrite by accident: a
new file goes with If-None-Match: * and a changed one with If-Match: <the ETag it was
read with>. When the name is taken, both are kept: the upload gets a free name and the
caller is told. Failed uploads retry with backoff before giving up.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests

from session.oma_kansio.errors import FolderError, Problem
from session.oma_kansio.propfind import REQUEST, Entry, parse
from session.vault import Vault

log = logging.getLogger(__name__)
CHUNK = 1 << 20
TIMEOUT = (5.0, 30.0)  # connect, read
RETRIES = 3
BACKOFF_S = 1.0


@dataclass(frozen=True)
class Uploaded:
    path: str
    etag: str | None
    renamed: bool
    """The name was taken on the server: saved under `path` instead, nothing overwritten."""


class FolderClient:
    def __init__(self, dav_url: str, token: str, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.dav_url = dav_url.rstrip("/") + "/"
        self.timeout = timeout
        self._token = token
        self.http = session or requests.Session()
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"FolderClient({self.dav_url!r}, token=<hidden>)"

    def forget(self) -> None:
        """Drop the token (the session's wipe; revoking at the service is signin.revoke)."""
        self._token = ""
        self.http.close()

    # --- requests -----------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return self.dav_url + quote(path.strip("/"), safe="/")

    def _request(self, method: str, path: str, ok: tuple[int, ...], **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._token}", **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        try:
            response = self.http.request(method, self._url(path), headers=headers, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
        except requests.Timeout:
            raise FolderError(Problem.TIMEOUT) from None
        except requests.ConnectionError:
            raise FolderError(Problem.OFFLINE) from None
        if response.status_code not in ok:
            response.close()
            raise FolderError(Problem.for_status(response.status_code), f"{method} {response.status_code}")
        return response

    # --- reading ------------------------------------------------------------------------
    def list(self, folder: str = "") -> list[Entry]:
        """The folder's entries (not the folder itself), folders first, then by name."""
        with self._request("PROPFIND", folder.rstrip("/") + "/", (207,), data=REQUEST,
                           headers={"Depth": "1", "Content-Type": "application/xml"}, stream=True) as r:
            body = _read_limited(r, 8 * 1024 * 1024)
        entries = parse(body, urlsplit(self.dav_url).path)
        me = folder.strip("/")
        items = [e for e in entries if e.path != me]
        return sorted(items, key=lambda e: (not e.is_folder, e.name.casefold()))

    def download(self, path: str, vault: Vault, name: str) -> str | None:
        """Into the vault as `name`; returns the ETag (for a later If-Match)."""
        with self._request("GET", path, (200,), stream=True) as r:
            etag = r.headers.get("ETag")
            with vault.open_write(name) as out:
                for chunk in r.iter_content(CHUNK):
                    out.write(chunk)
        return etag

    # --- writing ------------------------------------------------------------------------
    def upload(self, vault: Vault, name: str, path: str, etag: str | None = None) -> Uploaded:
        """`etag` None: a new file (never replaces one). With an ETag: replace that version only."""
        attempt = 0
        target, renamed = path, False
        while True:
            try:
                return self._put(vault, name, target, etag, renamed)
            except FolderError as err:
                if err.problem is Problem.CHANGED and etag is None:
                    target, renamed = self._free_name(path), True
                    continue
                if err.problem not in (Problem.SERVER, Problem.TIMEOUT, Problem.OFFLINE, Problem.LOCKED) or attempt >= RETRIES - 1:
                    raise
                attempt += 1
                log.info("upload failed (%s); trying again (%d)", err.problem.value, attempt)
                self.sleep(BACKOFF_S * 2 ** (attempt - 1))

    def _put(self, vault: Vault, name: str, path: str, etag: str | None, renamed: bool) -> Uploaded:
        condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        body = _VaultBody(vault, name)
        with self._request("PUT", path, (200, 201, 204), data=body, headers={**condition, "Content-Length": str(len(body))}) as r:
            return Uploaded(path, r.headers.get("ETag"), renamed)

    def _free_name(self, path: str) -> str:
        folder, _, name = path.rpartition("/")
        taken = {e.name for e in self.list(folder)}
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        n = 2
        while (candidate := f"{stem} ({n}){dot}{ext}") in taken:
            n += 1
        return f"{folder}/{candidate}" if folder else candidate

    def make_folder(self, path: str) -> None:
        self._request("MKCOL", path, (201,))

    def rename(self, path: str, new_path: str) -> None:
        """Never onto an existing name (Overwrite: F)."""
        self._request("MOVE", path, (201, 204), headers={"Destination": self._url(new_path), "Overwrite": "F"})

    def delete(self, path: str) -> None:
        self._request("DELETE", path, (200, 204))


def _read_limited(response: requests.Response, limit: int) -> bytes:
    data = bytearray()
    for chunk in response.iter_content(CHUNK):
        data += chunk
        if len(data) > limit:
            raise FolderError(Problem.BAD_ANSWER, "listing too large")
    return bytes(data)


class _VaultBody:
    """A vault file as a request body with a known length, read in 1 MiB pieces."""

    def __init__(self, vault: Vault, name: str) -> None:
        self.vault, self.name = vault, name
        self.len = vault.size(name)

    def __len__(self) -> int:
        return self.len

    def __iter__(self) -> Iterator[bytes]:
        with self.vault.open_read(self.name) as f:
            while chunk := f.read(CHUNK):
                yield chunk
