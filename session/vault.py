"""The ephemeral session vault: a resident's files, encrypted under a key that lives only
in this process, so ending the session (or a crash, or a power cut) makes them unreadable
at once, and deleting the ciphertext can happen later in the background.

On-disk format of one file (named by a random 128-bit file id, never by its name):
the plaintext is cut into CHUNK_SIZE pieces followed by one final piece of
`size % CHUNK_SIZE` bytes (possibly empty), each sealed with AES-256-GCM and stored as
ciphertext + 16-byte tag at offset `index * STRIDE`. The nonce is a random 8-byte
per-file prefix + the 32-bit chunk index; the associated data binds the format version,
the file id, the chunk index and a final-chunk flag. So a chunk moved within a file or
between files, a dropped or appended chunk, or a whole file renamed into another's place
fails authentication. The nonce prefix, the size and the name → id index are kept in
memory only: the disk holds nothing but ciphertext.
"""
from __future__ import annotations

import io
import logging
import os
import queue
import re
import secrets
import shutil
import struct
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from types import TracebackType
from typing import BinaryIO, Iterator, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from session.paths import Paths

log = logging.getLogger(__name__)

CHUNK_SIZE = 1 << 20
"""Plaintext bytes per chunk: the memory a reader or writer needs, and the random-access unit."""
TAG_SIZE = 16
STRIDE = CHUNK_SIZE + TAG_SIZE
"""Bytes one full chunk takes on disk."""

_FORMAT = 1
_AAD = struct.Struct(">B16sQ?")  # format, file id, chunk index, final flag
_COUNTER = struct.Struct(">I")  # packing fails past 2**32 chunks (4 PiB) instead of reusing a nonce
_O_BINARY = getattr(os, "O_BINARY", 0)
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")

Buffer = bytes | bytearray | memoryview


class VaultError(Exception):
    """Base of the vault's own errors. Messages never contain file names or contents."""


class VaultCorrupt(VaultError):
    """A vault file was changed, truncated, extended, swapped or removed behind our back."""


class VaultClosed(VaultError):
    """The vault was wiped: its key is gone and nothing in it can be read or written."""


@dataclass(frozen=True)
class _Entry:
    file_id: bytes
    nonce_prefix: bytes
    size: int


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + _COUNTER.pack(index)


def _aad(file_id: bytes, index: int, final: bool) -> bytes:
    return _AAD.pack(_FORMAT, file_id, index, final)


def _disk_size(size: int) -> int:
    return (size // CHUNK_SIZE) * STRIDE + size % CHUNK_SIZE + TAG_SIZE


def _require_open(f: io.IOBase) -> None:
    if f.closed:
        raise ValueError("I/O operation on closed file")


def _write_all(file: io.RawIOBase, data: memoryview) -> None:
    done = 0
    while done < len(data):
        done += file.write(data[done:]) or 0


class _Deleter:
    """One daemon thread that deletes wiped vault folders, so wipe() returns at once.

    If the process dies first, the `.trash-*` folder stays; sweep_leftovers() removes it
    at the next start, and its content is unreadable meanwhile (the key died with us).
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Path, threading.Event]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, folder: Path, done: threading.Event) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="vault-deleter", daemon=True)
                self._thread.start()
        self._queue.put((folder, done))

    def _run(self) -> None:
        while True:
            folder, done = self._queue.get()
            started = time.perf_counter()
            try:
                shutil.rmtree(folder)
                log.info("wiped vault files deleted in %.2f s", time.perf_counter() - started)
            except OSError:
                log.exception("deleting a wiped vault folder failed; the next start sweeps it")
            finally:
                done.set()


_deleter = _Deleter()


class _Pool:
    """Chunk buffers reused by one vault's handles. A fresh megabyte costs about 1 ms of
    page faults on this kind of virtual machine (glibc returns freed ones to the OS), which
    halved throughput for files of a few MiB. Per vault and emptied at wipe, so no buffer
    that held a resident's plaintext is handed to the next session."""

    KEEP = 4

    def __init__(self) -> None:
        self._free: list[bytearray] = []
        self._lock = threading.Lock()
        self._open = True

    def take(self) -> bytearray:
        with self._lock:
            if self._free:
                return self._free.pop()
        return bytearray(STRIDE)

    def give(self, buf: bytearray) -> None:
        with self._lock:
            if self._open and len(self._free) < self.KEEP:
                self._free.append(buf)

    def close(self) -> None:
        with self._lock:
            self._open = False
            self._free.clear()


class Vault:
    """One session's files. Thread-safe; every handle dies with wipe()."""

    def __init__(self, directory: Path, plain_dir: Path) -> None:
        """Use Vault.create()."""
        self._dir = directory
        self._plain_dir = plain_dir
        # The key object is the only holder of the key; dropping it at wipe makes every
        # file unreadable. (Python cannot promise the freed memory is overwritten.)
        self._aead: AESGCM | None = AESGCM(AESGCM.generate_key(bit_length=256))
        self._index: dict[str, _Entry] = {}
        self._handles: weakref.WeakSet[_Reader | _Writer] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._deleted: threading.Event | None = None
        self._pool = _Pool()

    @classmethod
    def create(cls, paths: Paths) -> "Vault":
        paths.ensure()
        token = secrets.token_hex(16)
        directory = paths.vaults / token
        plain_dir = paths.plain / token
        directory.mkdir(mode=0o700)
        plain_dir.mkdir(mode=0o700)
        log.debug("vault created")
        return cls(directory, plain_dir)

    # --- files ---------------------------------------------------------------------
    def open_write(self, name: str) -> BinaryIO:
        """A new file that replaces `name` when closed; an exception inside its
        with-block (or dropping it unclosed) discards it instead."""
        self._key()
        file_id = secrets.token_bytes(16)
        path = self._dir / file_id.hex()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        writer = _Writer(self, name, path, _Entry(file_id, secrets.token_bytes(8), 0), open(fd, "wb", buffering=0))
        self._track(writer)
        return cast(BinaryIO, writer)

    def open_read(self, name: str) -> BinaryIO:
        """Readable and seekable; the last chunk is authenticated at open, so a truncated,
        extended or swapped file fails here rather than at its end."""
        entry = self._entry(name)
        try:
            file = open(self._dir / entry.file_id.hex(), "rb", buffering=0)
        except FileNotFoundError:
            raise VaultCorrupt("a vault file is missing") from None
        reader = _Reader(self, entry, file)
        self._track(reader)
        return cast(BinaryIO, reader)

    def write_bytes(self, name: str, data: Buffer) -> None:
        with self.open_write(name) as f:
            f.write(data)

    def read_bytes(self, name: str) -> bytes:
        with self.open_read(name) as f:
            return f.read()

    def names(self) -> list[str]:
        with self._lock:
            self._key()
            return sorted(self._index)

    def size(self, name: str) -> int:
        return self._entry(name).size

    def free_name(self, name: str) -> str:
        """`name`, or "stem (2).ext" and so on when the vault already holds that name."""
        taken = set(self.names())
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{ext}"
        return candidate

    def delete(self, name: str) -> None:
        with self._lock:
            self._key()
            entry = self._index.pop(name, None)
        if entry is None:
            raise FileNotFoundError("no such file in the vault")
        self._remove(entry)

    @contextmanager
    def plain_copy(self, name: str) -> Iterator[Path]:
        """A decrypted copy for a program that needs a path (viewer, printer), in the RAM
        area, readable by this user only. It keeps the name's extension (e.g. ".pdf")
        because such programs pick a format by it; the rest of the name stays in memory."""
        suffix = PurePath(name).suffix
        path = self._plain_dir / (secrets.token_hex(16) + (suffix if _SAFE_SUFFIX.fullmatch(suffix) else ""))
        try:
            with self.open_read(name) as src:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
                with open(fd, "wb", buffering=0) as out:
                    buf = memoryview(bytearray(CHUNK_SIZE))
                    while n := src.readinto(buf):
                        _write_all(out, buf[:n])
            yield path
        finally:
            path.unlink(missing_ok=True)

    # --- end of session ------------------------------------------------------------
    def wipe(self) -> None:
        """Make everything unreadable now and let the next session start; the
        ciphertext is deleted by a background thread (see wait_deleted)."""
        started = time.perf_counter()
        with self._lock:
            if self._aead is None:
                return
            self._aead = None
            self._deleted = threading.Event()
            count = len(self._index)
            self._index.clear()
            handles = list(self._handles)
        self._pool.close()
        for handle in handles:
            handle.release()
        trash = self._dir.with_name(f".trash-{secrets.token_hex(8)}")
        try:
            os.rename(self._dir, trash)
        except OSError:
            log.warning("a wiped vault folder could not be renamed; deleting it in place", exc_info=True)
            trash = self._dir
        _deleter.submit(trash, self._deleted)
        if self._plain_dir.exists():  # plaintext: gone before we return, or the wipe fails loudly
            shutil.rmtree(self._plain_dir)
        log.info("vault wiped: %d file(s), %.1f ms", count, (time.perf_counter() - started) * 1000)

    def wait_deleted(self, timeout: float | None = None) -> bool:
        """For tests and benchmarks: True once the background delete of a wiped vault is done."""
        if self._deleted is None:
            raise VaultError("the vault has not been wiped")
        return self._deleted.wait(timeout)

    # --- for the handles -----------------------------------------------------------
    def _key(self) -> AESGCM:
        aead = self._aead
        if aead is None:
            raise VaultClosed("the session vault was wiped")
        return aead

    def _entry(self, name: str) -> _Entry:
        with self._lock:
            self._key()
            entry = self._index.get(name)
        if entry is None:
            raise FileNotFoundError("no such file in the vault")
        return entry

    def _track(self, handle: _Reader | _Writer) -> None:
        with self._lock:
            if self._aead is None:
                handle.release()
                raise VaultClosed("the session vault was wiped")
            self._handles.add(handle)

    def _commit(self, name: str, entry: _Entry) -> None:
        with self._lock:
            self._key()
            old = self._index.get(name)
            self._index[name] = entry
        if old is not None:
            self._remove(old)

    def _remove(self, entry: _Entry) -> None:
        """A file that cannot go now (still open elsewhere, on Windows) goes with the
        folder at wipe; it is out of the index, so nothing reads it meanwhile."""
        try:
            (self._dir / entry.file_id.hex()).unlink(missing_ok=True)
        except OSError:
            log.warning("a replaced or deleted vault file stays until the wipe", exc_info=True)


class _Writer(io.BufferedIOBase):
    """Encrypts as it goes: holds at most one chunk of plaintext and one of ciphertext."""

    def __init__(self, vault: Vault, name: str, path: Path, entry: _Entry, file: io.RawIOBase) -> None:
        super().__init__()
        self._vault = vault
        self._name = name
        self._path = path
        self._entry = entry
        self._file = file
        self._buf = bytearray()  # both taken from the pool on first need
        self._fill = 0
        self._out = bytearray()
        self._index = 0
        self._size = 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        _require_open(self)
        return self._size

    def write(self, b: Buffer) -> int:  # type: ignore[override]
        _require_open(self)
        aead = self._vault._key()
        data = memoryview(b).cast("B")
        n, pos = len(data), 0
        if self._fill:
            pos = min(CHUNK_SIZE - self._fill, n)
            self._buf[self._fill : self._fill + pos] = data[:pos]
            self._fill += pos
            if self._fill == CHUNK_SIZE:
                self._seal(aead, memoryview(self._buf)[:CHUNK_SIZE], final=False)
                self._fill = 0
        while n - pos >= CHUNK_SIZE:  # whole chunks straight from the caller's buffer
            self._seal(aead, data[pos : pos + CHUNK_SIZE], final=False)
            pos += CHUNK_SIZE
        if pos < n:
            if not self._buf:
                self._buf = self._vault._pool.take()
            self._fill = n - pos
            self._buf[: self._fill] = data[pos:]
        self._size += n
        return n

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._seal(self._vault._key(), memoryview(self._buf)[: self._fill], final=True)
            self._file.close()
            self._vault._commit(self._name, _Entry(self._entry.file_id, self._entry.nonce_prefix, self._size))
        except BaseException:
            self._discard()
            raise
        finally:
            self._return_buffers()
            super().close()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abandon()

    def __del__(self) -> None:
        self._abandon()

    def release(self) -> None:
        """Called by wipe(): the file goes with the vault folder."""
        self._file.close()

    def _abandon(self) -> None:
        if not self.closed:
            self._discard()
            self._return_buffers()
            super().close()

    def _discard(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)

    def _return_buffers(self) -> None:
        for buf in (self._buf, self._out):
            if buf:
                self._vault._pool.give(buf)
        self._buf = self._out = bytearray()

    def _seal(self, aead: AESGCM, data: memoryview, final: bool) -> None:
        if not self._out:
            self._out = self._vault._pool.take()
        out = memoryview(self._out)[: len(data) + TAG_SIZE]
        e = self._entry
        aead.encrypt_into(_nonce(e.nonce_prefix, self._index), data, _aad(e.file_id, self._index, final), out)
        _write_all(self._file, out)
        self._index += 1


class _Reader(io.BufferedIOBase):
    """Random access by chunk: whole chunks are decrypted straight into the caller's
    buffer; partial reads go through a one-chunk cache."""

    def __init__(self, vault: Vault, entry: _Entry, file: io.RawIOBase) -> None:
        super().__init__()
        self._vault = vault
        self._entry = entry
        self._file = file
        self._last = entry.size // CHUNK_SIZE
        self._pos = 0
        self._ct = vault._pool.take()
        self._cache = bytearray()
        self._cached = -1
        try:
            if os.fstat(file.fileno()).st_size != _disk_size(entry.size):
                raise VaultCorrupt("a vault file has the wrong length (truncated or extended)")
            self._load(self._last)
        except BaseException:
            self.close()
            raise

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        _require_open(self)
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        _require_open(self)
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._entry.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, b: Buffer) -> int:  # type: ignore[override]
        return self._readinto(memoryview(b).cast("B"), whole=True)

    def readinto1(self, b: Buffer) -> int:  # type: ignore[override]
        return self._readinto(memoryview(b).cast("B"), whole=False)

    def read(self, size: int | None = -1) -> bytes:
        return self._read(size, whole=True)

    def read1(self, size: int = -1) -> bytes:
        return self._read(size, whole=False)

    def peek(self, size: int = 0) -> bytes:
        """Bytes ahead without moving, from the current chunk only. IOBase.readline scans
        what this returns, so it is capped to keep short lines cheap."""
        _require_open(self)
        self._vault._key()
        if self._pos >= self._entry.size:
            return b""
        index, offset = divmod(self._pos, CHUNK_SIZE)
        self._load(index)
        end = min(self._chunk_len(index), offset + max(size, io.DEFAULT_BUFFER_SIZE))
        return bytes(self._cache[offset:end])

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            for buf in (self._ct, self._cache):
                if buf:
                    self._vault._pool.give(buf)
            self._ct = self._cache = bytearray()
            self._cached = -1
            super().close()

    def release(self) -> None:
        """Called by wipe(): no decrypted chunk stays referenced here."""
        self._file.close()
        self._cache = bytearray()
        self._cached = -1

    def _read(self, size: int | None, whole: bool) -> bytes:
        _require_open(self)
        left = max(0, self._entry.size - self._pos)
        n = left if size is None or size < 0 else min(size, left)
        if not whole:
            n = min(n, CHUNK_SIZE - self._pos % CHUNK_SIZE)
        buf = bytearray(n)
        got = self._readinto(memoryview(buf), whole)
        return bytes(buf) if got == n else bytes(buf[:got])

    def _readinto(self, out: memoryview, whole: bool) -> int:
        _require_open(self)
        self._vault._key()
        done = 0
        while done < len(out) and self._pos < self._entry.size:
            index, offset = divmod(self._pos, CHUNK_SIZE)
            length = self._chunk_len(index)
            want = len(out) - done
            if offset == 0 and want >= length and index != self._cached:
                self._decrypt(index, out[done : done + length])
                take = length
            else:
                self._load(index)
                take = min(length - offset, want)
                out[done : done + take] = memoryview(self._cache)[offset : offset + take]
            done += take
            self._pos += take
            if not whole:
                break
        return done

    def _chunk_len(self, index: int) -> int:
        return CHUNK_SIZE if index < self._last else self._entry.size - self._last * CHUNK_SIZE

    def _load(self, index: int) -> None:
        if index != self._cached:
            self._cached = -1
            if not self._cache:
                self._cache = self._vault._pool.take()
            self._decrypt(index, memoryview(self._cache)[: self._chunk_len(index)])
            self._cached = index

    def _decrypt(self, index: int, dest: memoryview) -> None:
        aead = self._vault._key()
        ct = memoryview(self._ct)[: len(dest) + TAG_SIZE]
        self._file.seek(index * STRIDE)
        got = 0
        while got < len(ct):
            n = self._file.readinto(ct[got:])
            if not n:
                raise VaultCorrupt(f"vault file ends inside chunk {index}")
            got += n
        e = self._entry
        try:
            aead.decrypt_into(_nonce(e.nonce_prefix, index), ct, _aad(e.file_id, index, index == self._last), dest)
        except InvalidTag:
            dest[:] = bytes(len(dest))  # no unauthenticated plaintext left in the caller's buffer
            raise VaultCorrupt(f"chunk {index} of a vault file failed authentication") from None


def sweep_leftovers(paths: Paths) -> int:
    """At start-up, before any session: removes every vault and `.trash-*` folder an
    earlier run left under Paths.vaults and everything under Paths.plain. Returns how
    many items were removed; raises OSError if any could not be (the plain ones are
    readable documents, so the caller must not carry on as if nothing happened)."""
    removed = failed = 0
    for root in (paths.vaults, paths.plain):
        if not root.is_dir():
            continue
        with os.scandir(root) as items:
            for item in items:
                try:
                    if item.is_dir(follow_symlinks=False):
                        shutil.rmtree(item.path)
                    else:
                        os.unlink(item.path)
                    removed += 1
                except OSError:
                    log.exception("could not remove a leftover session item")
                    failed += 1
    if failed:
        raise OSError(f"{failed} leftover session item(s) could not be removed")
    return removed
