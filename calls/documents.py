"""Documents between the booth and the staff over the "documents" data channel.

Frames: a JSON header {"type":"file","name","size","sha256","mime"}, binary chunks of at
most 16 KiB, then {"type":"end"}; the receiver checks size and sha256 and answers
{"type":"received","sha256"} or {"type":"rejected","reason"}. The same protocol is spoken
by the staff page (server/rooms/static). Sending waits on bufferedAmount: the channel is
slow while video runs, and a burst would only sit in memory.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

CHUNK = 16384
MAX_BYTES = 20 * 1024 * 1024
HIGH_WATER = 1 << 20
_SAFE_NAME = re.compile(r"[^\w .()-]+", re.UNICODE)


@dataclass(frozen=True)
class Document:
    name: str
    data: bytes
    mime: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def safe_name(name: str) -> str:
    """A received name is only a label: no folders, no control characters, not too long."""
    name = _SAFE_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return (name or "document")[:100]


class TransferError(Exception):
    pass


class DocumentChannel:
    """Wraps one RTCDataChannel; `on_document` gets each complete, verified document."""

    def __init__(self, channel: Any, on_document: Callable[[Document], None],
                 on_progress: Callable[[int, int], None] | None = None) -> None:
        self.channel = channel
        self.on_document = on_document
        self.on_progress = on_progress or (lambda done, total: None)
        self._incoming: dict[str, Any] | None = None
        self._parts: list[bytes] = []
        self._received = 0
        self._answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._low = asyncio.Event()
        channel.bufferedAmountLowThreshold = HIGH_WATER // 4
        channel.on("message", self._message)
        channel.on("bufferedamountlow", self._low.set)

    # --- sending ------------------------------------------------------------------------
    async def send(self, doc: Document, timeout: float = 120.0) -> None:
        if len(doc.data) > MAX_BYTES:
            raise TransferError("the document is larger than 20 MB")
        await self._wait_open(timeout)
        self.channel.send(json.dumps({"type": "file", "name": doc.name, "size": len(doc.data), "sha256": doc.sha256, "mime": doc.mime}))
        for offset in range(0, len(doc.data), CHUNK):
            while self.channel.bufferedAmount > HIGH_WATER:
                self._low.clear()
                await asyncio.wait_for(self._low.wait(), timeout)
            self.channel.send(doc.data[offset:offset + CHUNK])
            self.on_progress(min(offset + CHUNK, len(doc.data)), len(doc.data))
        self.channel.send(json.dumps({"type": "end"}))
        answer = await asyncio.wait_for(self._answers.get(), timeout)
        if answer.get("type") != "received" or answer.get("sha256") != doc.sha256:
            raise TransferError(f"the other side did not accept the document: {answer.get('reason', answer.get('type'))}")

    async def _wait_open(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.channel.readyState != "open":
            if self.channel.readyState == "closed" or loop.time() > deadline:
                raise TransferError("the connection for documents is not open")
            await asyncio.sleep(0.05)

    # --- receiving ----------------------------------------------------------------------
    def _message(self, message: str | bytes) -> None:
        if isinstance(message, bytes):
            self._chunk(message)
            return
        try:
            msg = json.loads(message)
        except ValueError:
            log.info("documents: a text frame that is not JSON was ignored")
            return
        if not isinstance(msg, dict):
            return
        kind = msg.get("type")
        if kind in ("received", "rejected"):
            self._answers.put_nowait(msg)
        elif kind == "file":
            self._start(msg)
        elif kind == "end":
            self._finish()

    def _start(self, header: dict[str, Any]) -> None:
        size = header.get("size")
        if not isinstance(size, int) or not 0 <= size <= MAX_BYTES or not isinstance(header.get("sha256"), str):
            self._reject("the document is too large or its description is broken")
            return
        self._incoming = header
        self._parts, self._received = [], 0

    def _chunk(self, data: bytes) -> None:
        if self._incoming is None:
            return
        self._received += len(data)
        if self._received > self._incoming["size"]:
            self._incoming = None
            self._parts = []
            self._reject("more data arrived than announced")
            return
        self._parts.append(data)
        self.on_progress(self._received, self._incoming["size"])

    def _finish(self) -> None:
        header, parts = self._incoming, self._parts
        self._incoming, self._parts = None, []
        if header is None:
            return
        data = b"".join(parts)
        digest = hashlib.sha256(data).hexdigest()
        if len(data) != header["size"] or digest != header["sha256"]:
            self._reject("the document arrived damaged")
            return
        self.channel.send(json.dumps({"type": "received", "sha256": digest}))
        mime = header.get("mime") if isinstance(header.get("mime"), str) else "application/octet-stream"
        self.on_document(Document(safe_name(str(header.get("name", ""))), data, mime[:100]))

    def _reject(self, reason: str) -> None:
        log.info("documents: rejected (%s)", reason)
        if self.channel.readyState == "open":
            self.channel.send(json.dumps({"type": "rejected", "reason": reason}))
