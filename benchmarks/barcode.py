"""The kiosk's barcode decoder against the bare decoders on the seeded corpus
(devices.barcode.corpus: 1280×720 grey, QR, Code 128, EAN-13, DataMatrix at 0–90°).

Each contender runs in its own fresh process, pinned to one core with OpenCV at one
thread, as the target is camera rate on ONE core. Separate processes, because library
state outlives a call: once OpenCV's QR or 1D detect-and-decode has run in a process,
our decoder stays ~50 % slower there for good (measured 12.5 → 19 ms a frame), which
no booth would see. The frames are generated before the timing starts: generating one
between decodes costs the decoder ~4 ms a frame (13 → 17 ms), from the memory the
generator churns (fresh pages are slow to touch on this virtual machine). A figure is the median ms a frame over the corpus and the share of
its codes read. Baselines are used as a library would be used out of the box: pyzbar
restricted to the three symbologies it knows (it cannot read DataMatrix), zxing-cpp on
the whole frame restricted to the four formats with its defaults, OpenCV's Aruco QR
detector plus its any-angle 1D detector/decoder.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

import numpy as np

from benchmarks.common import Figure, Result, median

GROUP = "barcode"
CONTENDERS = ("kiosk", "pyzbar", "zxing", "opencv")
_MS = {name: Figure(GROUP, f"decode_ms_{name}", "ms", "<= 33 ms" if name == "kiosk" else "", "decode_ms_zxing" if name == "kiosk" else None) for name in CONTENDERS}
_RATE = {name: Figure(GROUP, f"read_rate_{name}", "share", ">= 0.97, tilted 1D included" if name == "kiosk" else "", "read_rate_zxing" if name == "kiosk" else None) for name in CONTENDERS}
FIGURES = [f for name in CONTENDERS for f in (_MS[name], _RATE[name])]
FULL_FRAMES = 400
QUICK_FRAMES = 60


def run(quick: bool) -> list[Result]:
    count = QUICK_FRAMES if quick else FULL_FRAMES
    measured: dict[str, tuple[float, float]] = {}
    for name in CONTENDERS:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            measured[name] = pool.submit(_measure, name, count).result()
    out: list[Result] = []
    for name in CONTENDERS:
        ms, rate = measured[name]
        if name == "kiosk":
            out += [_MS[name].result(ms, measured["zxing"][0]), _RATE[name].result(rate, measured["zxing"][1])]
        else:
            out += [_MS[name].result(ms), _RATE[name].result(rate)]
    return out


def _measure(name: str, count: int) -> tuple[float, float]:
    """In a fresh process: (median ms a frame, share of codes read) on one core."""
    import cv2

    from devices.barcode import corpus

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    decode = _decoders()[name]
    times: list[float] = []
    read = total = 0
    for frame in list(corpus.frames(count)):
        start = time.perf_counter()
        texts = decode(frame.image)
        times.append((time.perf_counter() - start) * 1000)
        total += len(frame.codes)
        read += len(frame.payloads & texts)
    return median(times), read / total


def _decoders() -> dict[str, Callable[[np.ndarray], set[str]]]:
    import cv2
    import zxingcpp
    from pyzbar import pyzbar

    from devices.barcode.pipeline import Decoder

    kiosk = Decoder()
    formats = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.DataMatrix)
    symbols = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.EAN13]
    qr = cv2.QRCodeDetectorAruco()
    linear = cv2.barcode.BarcodeDetector()

    def opencv(image: np.ndarray) -> set[str]:
        texts: set[str] = set()
        ok, decoded, *_ = qr.detectAndDecodeMulti(image)
        if ok:
            texts.update(decoded)
        ok, decoded, *_ = linear.detectAndDecodeMulti(image)
        if ok:
            texts.update(decoded)
        return texts - {""}

    return {
        "kiosk": lambda image: {d.text for d in kiosk.decode(image)},
        "pyzbar": lambda image: {r.data.decode("utf-8", "replace") for r in pyzbar.decode(image, symbols=symbols)},
        "zxing": lambda image: {r.text for r in zxingcpp.read_barcodes(image, formats=formats)},
        "opencv": opencv,
    }
