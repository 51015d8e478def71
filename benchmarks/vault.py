"""The session vault against plain files: how fast a wipe frees the booth, what the
encryption costs in throughput, and whether memory creeps up over many sessions.

Both sides use page-cache I/O without fsync, the same 1 MiB writes and readinto calls on
the same data, and interleaved repetitions. Each side reports its best repetition: on this
shared machine (other jobs, a hypervisor that backs guest memory on first touch) a 1 GiB
write pass takes 0.3 s or 2.5 s at random, and interference only ever adds time.
"""
from __future__ import annotations

import gc
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable

from benchmarks.common import Figure, Result, attempt, rss_mib, timed

if TYPE_CHECKING:
    from session.paths import Paths
    from session.vault import Vault

GROUP = "vault"
WIPE = Figure(GROUP, "wipe_1gib_200files_s", "s", "< 0.5 s (goal < 0.05 s)", "rm_rf_plain_1gib_200files_s")
THROUGHPUT = Figure(GROUP, "vault_write_read_mb_s", "MB/s", "ratio >= 0.5 (goal >= 0.8)", "plain_write_read_mb_s")
RSS_GROWTH = Figure(GROUP, "rss_growth_500_sessions_mib", "MiB", "< 10")
FIGURES = [WIPE, THROUGHPUT, RSS_GROWTH]

IO_BLOCK = 1 << 20
WARM_SESSIONS = 10
DOCUMENT = os.urandom(64 * 1024)


@dataclass(frozen=True)
class Sizes:
    total: int
    files: int
    repetitions: int
    sessions: int


FULL = Sizes(total=1 << 30, files=200, repetitions=5, sessions=500)
QUICK = Sizes(total=64 << 20, files=20, repetitions=3, sessions=100)


def run(quick: bool) -> list[Result]:
    from session.paths import Paths

    sizes = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="virtu-bench-") as tmp:
        paths = Paths(data=Path(tmp) / "data", ram=Path(tmp) / "ram")
        paths.ensure()
        return [
            *attempt([WIPE, THROUGHPUT], lambda: _files(paths, sizes)),
            *attempt([RSS_GROWTH], lambda: _sessions(paths, sizes)),
        ]


def _files(paths: Paths, sizes: Sizes) -> list[Result]:
    from session.vault import Vault

    base, extra = divmod(sizes.total, sizes.files)
    corpus = [(f"document-{i}.pdf", base + (i < extra)) for i in range(sizes.files)]
    block = memoryview(os.urandom(IO_BLOCK))
    buf = memoryview(bytearray(IO_BLOCK))
    plain_io: list[float] = []
    plain_rm: list[float] = []
    vault_io: list[float] = []
    vault_wipe: list[float] = []

    def plain_side() -> None:
        folder = paths.data / "plain"
        folder.mkdir()
        plain_io.append(timed(lambda: _write_read(corpus, block, buf, lambda n: open(folder / n, "wb"), lambda n: open(folder / n, "rb"))))
        plain_rm.append(timed(lambda: shutil.rmtree(folder)))

    def vault_side() -> None:
        vault = Vault.create(paths)
        vault_io.append(timed(lambda: _write_read(corpus, block, buf, vault.open_write, vault.open_read)))
        vault_wipe.append(timed(vault.wipe))
        if not vault.wait_deleted(timeout=600):
            raise RuntimeError("background delete of the wiped vault did not finish")

    for rep in range(sizes.repetitions):
        os.sync()  # start each pair without someone else's dirty pages being flushed under us
        for side in (plain_side, vault_side) if rep % 2 == 0 else (vault_side, plain_side):
            side()
    megabytes = sizes.total / 1e6
    return [
        WIPE.result(min(vault_wipe), min(plain_rm)),
        THROUGHPUT.result(megabytes / min(vault_io), megabytes / min(plain_io)),
    ]


def _write_read(
    corpus: list[tuple[str, int]],
    block: memoryview,
    buf: memoryview,
    open_write: Callable[[str], BinaryIO],
    open_read: Callable[[str], BinaryIO],
) -> None:
    for name, size in corpus:
        with open_write(name) as f:
            for start in range(0, size, len(block)):
                f.write(block[: min(len(block), size - start)])
    for name, size in corpus:
        with open_read(name) as f:
            got = 0
            while n := f.readinto(buf):
                got += n
            if got != size:
                raise RuntimeError(f"read back {got} bytes of {size}")


class _Booth:
    """The vault wiring of the composition root: a vault per session, wiped at its end."""

    def __init__(self, paths: Paths) -> None:
        from session.clock import ManualClock
        from session.lifecycle import Lifecycle

        self.paths = paths
        self.clock = ManualClock()
        self.lifecycle = Lifecycle(self.clock)
        self.vault: Vault | None = None
        self.wiped: Vault | None = None
        self.lifecycle.on_start("vault", self._new_vault)
        self.lifecycle.register_cleanup("vault", self._wipe_vault)

    def _new_vault(self) -> None:
        from session.vault import Vault

        self.vault = Vault.create(self.paths)

    def _wipe_vault(self) -> None:
        self.wiped, self.vault = self.vault, None
        if self.wiped is not None:
            self.wiped.wipe()

    def session(self) -> None:
        from session.lifecycle import EndReason

        self.lifecycle.start()
        vault = self.vault
        if vault is None:
            raise RuntimeError("the session started without a vault")
        vault.write_bytes("hakemus.pdf", DOCUMENT)
        if vault.read_bytes("hakemus.pdf") != DOCUMENT:
            raise RuntimeError("the document did not read back")
        self.clock.advance(300)
        self.lifecycle.request_end(EndReason.RESIDENT)
        report = self.lifecycle.confirm_end()
        if report.failed:
            raise RuntimeError(f"clean-up failed: {', '.join(report.failed)}")
        self.lifecycle.finish_feedback()

    def settled_rss(self) -> float:
        if self.wiped is not None and not self.wiped.wait_deleted(timeout=60):
            raise RuntimeError("background delete of the wiped vault did not finish")
        gc.collect()
        return rss_mib()


def _sessions(paths: Paths, sizes: Sizes) -> list[Result]:
    booth = _Booth(paths)
    for _ in range(WARM_SESSIONS):
        booth.session()
    warm = booth.settled_rss()
    for _ in range(sizes.sessions - WARM_SESSIONS):
        booth.session()
    return [RSS_GROWTH.result(booth.settled_rss() - warm)]
