"""Pages and PDFs live only in the vault: Pillow reads and writes vault handles directly."""
from __future__ import annotations

import io
import os
from typing import BinaryIO

from PIL import Image

from session.vault import Vault


def save_page(vault: Vault, image: Image.Image, name: str) -> None:
    """PNG for grey pages (text stays sharp), JPEG for colour (photos stay small); by name suffix."""
    fmt = "JPEG" if name.lower().endswith((".jpg", ".jpeg")) else "PNG"
    with vault.open_write(name) as f:
        image.save(f, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))


def make_pdf(vault: Vault, page_names: list[str], out_name: str, resolution: float = 300.0) -> None:
    """One multi-page PDF of the pages, in order."""
    if not page_names:
        raise ValueError("no pages")
    handles = [vault.open_read(n) for n in page_names]
    try:
        images = [Image.open(h) for h in handles]
        first, rest = images[0], images[1:]
        with vault.open_write(out_name) as out:
            first.save(_AppendOnly(out), format="PDF", save_all=True, append_images=rest, resolution=resolution)
    finally:
        for h in handles:
            h.close()


class _AppendOnly(io.RawIOBase):
    """Pillow's PDF writer seeks to the end before appending; a vault writer cannot
    seek, but "the end" is always where it stands, so that one seek is answered here."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        n = self._out.write(b)
        self._pos += n
        return n

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if (offset, whence) not in ((0, os.SEEK_END), (self._pos, os.SEEK_SET)):
            raise io.UnsupportedOperation("append only")
        return self._pos
