"""Oma kansio transfers through the kiosk's client (into and out of the encrypted vault)
beside plain `requests` to and from plain files, against the stand-in folder service on
loopback; sign-in to a listed folder of 500 entries; the memory a 200 MB move costs."""
from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import requests

from benchmarks.common import Figure, Result, attempt, median, rss_mib

GROUP = "folder"
DOWNLOAD = Figure(GROUP, "download_200mb_mb_s", "MB/s", "ratio >= 0.7", "plain_requests_download_mb_s")
UPLOAD = Figure(GROUP, "upload_200mb_mb_s", "MB/s", "ratio >= 0.7", "plain_requests_upload_mb_s")
SIGNIN = Figure(GROUP, "signin_to_listing_500_ms", "ms", "< 1000")
PEAK = Figure(GROUP, "peak_rss_above_idle_200mb_mib", "MiB", "< 100")
FIGURES = [DOWNLOAD, UPLOAD, SIGNIN, PEAK]
PASSWORD = "bench-password"
CHUNK = 1 << 20


def run(quick: bool) -> list[Result]:
    return attempt(FIGURES, lambda: _measure(50 if quick else 200, 3 if quick else 5))


class PeakRss:
    """Samples this process's resident memory every 5 ms while it runs."""

    def __init__(self) -> None:
        self.peak = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mib())

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(megabytes: int, repetitions: int) -> list[Result]:
    from server.folder.app import FolderService, serve
    from session.oma_kansio import signin
    from session.oma_kansio.client import FolderClient
    from session.paths import Paths
    from session.vault import Vault

    size = megabytes * 1_000_000
    with tempfile.TemporaryDirectory(prefix="virtu-bench-folder-") as tmp:
        root = Path(tmp)
        running = serve(FolderService(root / "served", [], {"bench": PASSWORD}))
        try:
            url = running.url
            token = signin.with_app_password(url, "bench", PASSWORD)
            client = FolderClient(url + "/dav/", token)
            home = root / "served" / "bench"
            home.mkdir(parents=True, exist_ok=True)
            with open(home / "big.bin", "wb") as f:
                for _ in range(size // CHUNK):
                    f.write(os.urandom(CHUNK))
                f.write(os.urandom(size % CHUNK))
            plain = root / "plain"
            plain.mkdir()
            headers = {"Authorization": f"Bearer {token}"}
            vault = Vault.create(Paths(data=root / "data", ram=root / "ram"))
            ours_dl, base_dl, ours_ul, base_ul = [], [], [], []
            idle = rss_mib()
            peak = idle
            for rep in range(repetitions):
                def plain_get() -> None:
                    with requests.get(url + "/dav/big.bin", headers=headers, stream=True, timeout=60) as r, open(plain / "big.bin", "wb") as out:
                        for chunk in r.iter_content(CHUNK):
                            out.write(chunk)

                def plain_put() -> None:
                    with open(plain / "big.bin", "rb") as f:
                        requests.put(url + f"/dav/plain-{rep}.bin", data=f, headers=headers, timeout=60).raise_for_status()

                base_dl.append(_seconds(plain_get))
                base_ul.append(_seconds(plain_put))
                with PeakRss() as sampler:
                    ours_dl.append(_seconds(lambda: client.download("big.bin", vault, "big.bin")))
                    ours_ul.append(_seconds(lambda: client.upload(vault, "big.bin", f"ours-{rep}.bin")))
                peak = max(peak, sampler.peak)
                vault.delete("big.bin")
                (plain / "big.bin").unlink()
            for i in range(500):
                (home / f"entry-{i:03}.pdf").write_bytes(b"%PDF-1.4\n")
            signins = []
            for _ in range(repetitions):
                start = time.perf_counter()
                c = FolderClient(url + "/dav/", signin.with_app_password(url, "bench", PASSWORD))
                listed = c.list()
                signins.append((time.perf_counter() - start) * 1000)
                if len(listed) < 500:
                    raise RuntimeError(f"listed {len(listed)} entries, expected 500+")
            vault.wipe()
        finally:
            running.stop()
    mb = size / 1e6
    return [
        DOWNLOAD.result(mb / median(ours_dl), mb / median(base_dl)),
        UPLOAD.result(mb / median(ours_ul), mb / median(base_ul)),
        SIGNIN.result(median(signins)),
        PEAK.result(peak - idle),
    ]


def _seconds(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
