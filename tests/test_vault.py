"""The session vault on real files: what a resident saves reads back, nothing readable
reaches the disk, tampering is caught, and a wipe leaves nothing behind."""
from __future__ import annotations

import gc
import logging
import os
import stat
import tracemalloc
from pathlib import Path
from typing import Callable, Iterator

import pytest

from session.paths import Paths
from session.vault import CHUNK_SIZE, STRIDE, Vault, VaultClosed, VaultCorrupt, sweep_leftovers

NAME = "Matti Meikäläinen – toimeentulotukihakemus.pdf"
MARKER = b"HETU 010203A123X RESIDENT-MARKER "


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(data=tmp_path / "data", ram=tmp_path / "ram")


@pytest.fixture
def vault(paths: Paths) -> Iterator[Vault]:
    v = Vault.create(paths)
    yield v
    v.wipe()
    assert v.wait_deleted(timeout=30)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def only_file(paths: Paths) -> Path:
    (path,) = files_under(paths.vaults)
    return path


def pattern(size: int) -> bytes:
    """Data where every position differs from its neighbours, so a shifted read shows."""
    return (bytes(range(251)) * (size // 251 + 1))[:size]


@pytest.mark.parametrize("size", [0, 1, 1000, CHUNK_SIZE, 5 * CHUNK_SIZE + 7])
def test_round_trip_keeps_every_byte(vault: Vault, size: int) -> None:
    data = pattern(size)
    vault.write_bytes(NAME, data)
    assert vault.names() == [NAME]
    assert vault.size(NAME) == size
    assert vault.read_bytes(NAME) == data


def test_streamed_in_odd_pieces_reads_back_in_odd_pieces(vault: Vault) -> None:
    data = pattern(5 * CHUNK_SIZE + 7)
    with vault.open_write(NAME) as f:
        for start in range(0, len(data), 77_777):
            f.write(data[start : start + 77_777])
    pieces = []
    with vault.open_read(NAME) as f:
        while piece := f.read(123_457):
            pieces.append(piece)
    assert b"".join(pieces) == data


def test_seek_reads_from_the_middle_across_a_chunk_border(vault: Vault) -> None:
    data = pattern(3 * CHUNK_SIZE + 100)
    vault.write_bytes(NAME, data)
    with vault.open_read(NAME) as f:
        assert f.seekable()
        f.seek(2 * CHUNK_SIZE - 5)
        assert f.read(10) == data[2 * CHUNK_SIZE - 5 : 2 * CHUNK_SIZE + 5]
        assert f.tell() == 2 * CHUNK_SIZE + 5
        f.seek(-50, os.SEEK_END)
        assert f.read() == data[-50:]
        f.seek(-(CHUNK_SIZE + 3), os.SEEK_CUR)
        assert f.read(4) == data[-(CHUNK_SIZE + 3) : -(CHUNK_SIZE - 1)]


def test_text_lines_read_back_one_by_one(vault: Vault) -> None:
    lines = [f"rivi {i}\n".encode() for i in range(50_000)]
    vault.write_bytes("notes.txt", b"".join(lines))
    with vault.open_read("notes.txt") as f:
        assert list(f) == lines


def test_overwriting_a_name_replaces_the_file(vault: Vault, paths: Paths) -> None:
    vault.write_bytes(NAME, b"first version" * 1000)
    vault.write_bytes(NAME, b"second")
    assert vault.read_bytes(NAME) == b"second"
    assert len(files_under(paths.vaults)) == 1


def test_delete_removes_the_file(vault: Vault, paths: Paths) -> None:
    vault.write_bytes(NAME, b"x" * 100)
    vault.delete(NAME)
    assert vault.names() == []
    assert files_under(paths.vaults) == []
    with pytest.raises(FileNotFoundError):
        vault.read_bytes(NAME)


def test_a_failed_save_leaves_nothing(vault: Vault, paths: Paths) -> None:
    with pytest.raises(RuntimeError):
        with vault.open_write(NAME) as f:
            f.write(pattern(2 * CHUNK_SIZE))
            raise RuntimeError("scanner jammed")
    writer = vault.open_write("dropped.pdf")
    writer.write(b"never closed")
    del writer
    gc.collect()
    assert vault.names() == []
    assert files_under(paths.vaults) == []


def test_nothing_readable_reaches_the_disk(vault: Vault, paths: Paths) -> None:
    vault.write_bytes(NAME, MARKER * (3 * CHUNK_SIZE // len(MARKER)))
    with vault.open_write("small " + NAME) as f:
        f.write(MARKER)
    on_disk = files_under(paths.data)
    assert len(on_disk) == 2
    for path in on_disk:
        assert "Meik" not in str(path)
        content = path.read_bytes()
        assert MARKER[:16] not in content
        assert NAME.encode()[:16] not in content


def _flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(data)


def _truncate_last_chunk(path: Path) -> None:
    os.truncate(path, 2 * STRIDE)


def _truncate_one_byte(path: Path) -> None:
    os.truncate(path, path.stat().st_size - 1)


def _append(path: Path) -> None:
    with path.open("ab") as f:
        f.write(bytes(16))


def _swap_first_two_chunks(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[STRIDE : 2 * STRIDE] + data[:STRIDE] + data[2 * STRIDE :])


@pytest.mark.parametrize("damage", [_flip_middle_byte, _truncate_last_chunk, _truncate_one_byte, _append, _swap_first_two_chunks])
def test_a_damaged_file_is_refused(vault: Vault, paths: Paths, damage: Callable[[Path], None]) -> None:
    vault.write_bytes(NAME, pattern(2 * CHUNK_SIZE + 1000))
    damage(only_file(paths))
    with pytest.raises(VaultCorrupt):
        vault.read_bytes(NAME)


def test_a_damaged_chunk_leaves_no_plaintext_in_the_callers_buffer(vault: Vault, paths: Paths) -> None:
    data = pattern(2 * CHUNK_SIZE)
    vault.write_bytes(NAME, data)
    path = only_file(paths)
    damaged = bytearray(path.read_bytes())
    damaged[100] ^= 0x01  # chunk 0; AES-GCM would otherwise decrypt all but this byte
    path.write_bytes(damaged)
    buf = bytearray(CHUNK_SIZE)
    with vault.open_read(NAME) as f, pytest.raises(VaultCorrupt):
        f.readinto(buf)
    assert data[200:264] not in buf


def test_two_swapped_files_are_refused(vault: Vault, paths: Paths) -> None:
    vault.write_bytes("a.pdf", pattern(CHUNK_SIZE + 10))
    vault.write_bytes("b.pdf", pattern(CHUNK_SIZE + 10)[::-1])
    first, second = files_under(paths.vaults)
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    for name in ("a.pdf", "b.pdf"):
        with pytest.raises(VaultCorrupt):
            vault.read_bytes(name)


def test_a_removed_file_is_reported_as_corrupt(vault: Vault, paths: Paths) -> None:
    vault.write_bytes(NAME, b"data")
    only_file(paths).unlink()
    with pytest.raises(VaultCorrupt):
        vault.read_bytes(NAME)


def test_wipe_makes_everything_unreadable_and_then_gone(paths: Paths) -> None:
    v = Vault.create(paths)
    v.write_bytes(NAME, pattern(3 * CHUNK_SIZE))
    v.write_bytes("kuitti.pdf", b"receipt")
    reader = v.open_read(NAME)
    reader.read(10)
    writer = v.open_write("half-saved.pdf")
    writer.write(b"partial")
    copies = v.plain_copy("kuitti.pdf")
    copy = copies.__enter__()
    (vault_dir,) = paths.vaults.iterdir()

    v.wipe()

    assert not copy.exists()
    assert not vault_dir.exists()
    for use in (lambda: reader.read(10), lambda: writer.write(b"more"), v.names, lambda: v.read_bytes("kuitti.pdf"), lambda: v.open_write("new.pdf")):
        with pytest.raises(VaultClosed):
            use()
    with pytest.raises(VaultClosed):
        writer.close()
    copies.__exit__(None, None, None)
    v.wipe()  # a second wipe is harmless
    if Path("/proc/self/fd").is_dir():  # no handle keeps a deleted file's blocks alive
        targets = [os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.is_symlink()]
        assert not [t for t in targets if t.startswith(str(paths.vaults))]
    assert v.wait_deleted(timeout=30)
    assert list(paths.vaults.iterdir()) == []
    assert list(paths.plain.iterdir()) == []


def test_plain_copy_is_private_and_removed_after_use(vault: Vault, paths: Paths) -> None:
    data = pattern(CHUNK_SIZE + 5)
    vault.write_bytes(NAME, data)
    with vault.plain_copy(NAME) as path:
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.is_relative_to(paths.plain)
        assert path.suffix == ".pdf"
        assert "Meik" not in str(path)
    assert not path.exists()


def test_plain_copy_is_removed_when_the_viewer_fails(vault: Vault) -> None:
    vault.write_bytes(NAME, b"%PDF-1.7")
    with pytest.raises(OSError):
        with vault.plain_copy(NAME) as path:
            raise OSError("viewer crashed")
    assert not path.exists()


def test_sweep_removes_what_a_crashed_session_left(paths: Paths) -> None:
    crashed = Vault.create(paths)
    crashed.write_bytes(NAME, pattern(CHUNK_SIZE * 2))
    del crashed  # the process died: no wipe
    gc.collect()
    (paths.vaults / ".trash-0123456789abcdef").mkdir()
    (paths.plain / "0123456789abcdef.pdf").write_bytes(b"decrypted copy of a document")

    assert sweep_leftovers(paths) == 4  # vault, its plain folder, the trash, the stray copy
    assert list(paths.vaults.iterdir()) == []
    assert list(paths.plain.iterdir()) == []
    assert sweep_leftovers(paths) == 0


def test_memory_stays_bounded_for_a_large_file(vault: Vault) -> None:
    block = memoryview(pattern(CHUNK_SIZE))
    buf = memoryview(bytearray(CHUNK_SIZE))
    total = 64 * CHUNK_SIZE
    tracemalloc.start()
    try:
        with vault.open_write(NAME) as f:
            for _ in range(total // len(block)):
                f.write(block)
        read = 0
        with vault.open_read(NAME) as f:
            while n := f.readinto(buf):
                read += n
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == total
    assert peak < 8 * (1 << 20)


def test_names_and_contents_stay_out_of_logs_and_errors(vault: Vault, paths: Paths, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    vault.write_bytes(NAME, MARKER)
    with vault.plain_copy(NAME):
        pass
    _flip_middle_byte(only_file(paths))
    with pytest.raises(VaultCorrupt) as corrupt:
        vault.read_bytes(NAME)
    vault.delete(NAME)
    with pytest.raises(FileNotFoundError) as missing:
        vault.read_bytes(NAME)
    vault.wipe()
    assert vault.wait_deleted(timeout=30)
    said = [r.getMessage() for r in caplog.records] + [str(corrupt.value), str(missing.value)]
    assert any("wiped" in s for s in said)
    assert not [s for s in said if "Meik" in s or "RESIDENT-MARKER" in s]


def test_free_name_never_overwrites(vault) -> None:  # type: ignore[no-untyped-def]
    vault.write_bytes("lomake.pdf", b"1")
    assert vault.free_name("uusi.pdf") == "uusi.pdf"
    assert vault.free_name("lomake.pdf") == "lomake (2).pdf"
    vault.write_bytes("lomake (2).pdf", b"2")
    assert vault.free_name("lomake.pdf") == "lomake (3).pdf"
    assert vault.free_name("README") == "README"
