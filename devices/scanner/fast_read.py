"""Reads a started SANE scan in 1 MiB blocks straight into the image's buffer.

python-sane's snap() reads one scan line per sane_read call, copies every line, and then
the whole image twice more (to bytes, then into PIL): at A4 300 dpi colour that made our
scan 3–5× slower than `scanimage` on the same device. Here libsane itself is called
through ctypes on python-sane's own open handle (ctypes releases the GIL during the call,
as python-sane does) into one staging buffer kept between scans (a fresh 26 MB buffer costs
~10 ms of page faults every page), and PIL turns it, block by block as it arrives, into an
image it does not clear first (Image.frombytes zero-fills the new image: another 14 ms). The handle is the first
field after PyObject_HEAD in python-sane 2.9's SaneDevObject; it is checked against
python-sane's own view of the scan parameters before use, and anything unexpected (other
depths, unknown length, three-pass frames) falls back to python-sane's snap().
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading

from PIL import Image

SANE_STATUS_GOOD = 0
SANE_STATUS_EOF = 5
FRAME_GRAY, FRAME_RGB = 0, 1
BLOCK = 1 << 20


class _Parameters(ctypes.Structure):
    _fields_ = [
        ("format", ctypes.c_int),
        ("last_frame", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("pixels_per_line", ctypes.c_int),
        ("lines", ctypes.c_int),
        ("depth", ctypes.c_int),
    ]


class SaneReadError(Exception):
    """A SANE status other than good or end of file; the text is libsane's (English)."""


def _lib() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("sane") or "libsane.so.1"
    try:
        lib = ctypes.CDLL(name)  # the library python-sane already loaded: same handles
    except OSError:
        return None
    lib.sane_read.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.sane_get_parameters.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Parameters)]
    lib.sane_strstatus.argtypes = [ctypes.c_int]
    lib.sane_strstatus.restype = ctypes.c_char_p
    return lib


_LIB = _lib() if sys.platform.startswith("linux") else None
_staging = bytearray()
_staging_lock = threading.Lock()


def _handle(sane_dev: object) -> int | None:
    """python-sane's SaneDev.dev is a C object {PyObject_HEAD; SANE_Handle h}."""
    value = ctypes.c_void_p.from_address(id(sane_dev) + object.__basicsize__).value
    return value or None


def read_started(dev: object) -> Image.Image | None:
    """The image of a scan already start()ed on python-sane's SaneDev, or None when this
    reader does not handle the case (the caller then uses dev.snap())."""
    if _LIB is None:
        return None
    raw = getattr(dev, "dev", None)
    h = _handle(raw) if raw is not None else None
    if h is None:
        return None
    p = _Parameters()
    if _LIB.sane_get_parameters(h, ctypes.byref(p)) != SANE_STATUS_GOOD:
        return None
    fmt, _last, (ppl, lines), depth, bpl = raw.get_parameters()  # type: ignore[union-attr]
    ours = ({FRAME_GRAY: "gray", FRAME_RGB: "color"}.get(p.format), p.pixels_per_line, p.lines, p.depth, p.bytes_per_line)
    if ours != (fmt, ppl, lines, depth, bpl) or p.depth != 8 or p.lines <= 0 or not p.last_frame:
        return None
    channels = 3 if p.format == FRAME_RGB else 1
    if p.bytes_per_line < p.pixels_per_line * channels:
        return None
    total = p.bytes_per_line * p.lines
    with _staging_lock:
        return _read(raw, h, p, total, channels)


def _read(raw: object, h: int, p: _Parameters, total: int, channels: int) -> Image.Image:
    """libsane fills the staging buffer on a helper thread while this thread turns what has
    arrived into the image (PIL keeps RGB as 4 bytes a pixel, so that is a real copy): the
    two overlap instead of following each other. Both release the GIL."""
    global _staging
    if len(_staging) < total:
        _staging = bytearray(total)
    buf = _staging
    base = ctypes.addressof((ctypes.c_char * total).from_buffer(buf))
    arrived = threading.Condition()
    progress: dict[str, object] = {"done": 0, "finished": False, "error": None}

    def pump() -> None:
        done = 0
        got = ctypes.c_int(0)
        try:
            while done < total:
                status = _LIB.sane_read(h, base + done, min(BLOCK, total - done), ctypes.byref(got))
                if status == SANE_STATUS_EOF:
                    break
                if status != SANE_STATUS_GOOD:
                    progress["error"] = SaneReadError(_LIB.sane_strstatus(status).decode("ascii", "replace"))
                    break
                done += got.value
                with arrived:
                    progress["done"] = done
                    arrived.notify()
        finally:
            raw.cancel()  # type: ignore[attr-defined]  # SANE: every frame ends with sane_cancel, as snap() does
            with arrived:
                progress["finished"] = True
                arrived.notify()

    mode = "RGB" if channels == 3 else "L"
    image = Image.new(mode, (p.pixels_per_line, p.lines), None)  # None: not cleared
    decoder = Image._getdecoder(mode, "raw", (mode, p.bytes_per_line, 1))
    decoder.setimage(image.im, (0, 0, p.pixels_per_line, p.lines))
    view = memoryview(buf)
    reader = threading.Thread(target=pump, name="sane-read", daemon=True)
    reader.start()
    decoded = seen = 0
    try:
        while True:
            with arrived:
                while progress["done"] == seen and not progress["finished"]:
                    arrived.wait()  # for more than last time: a part line waits for its rest
                available, finished = int(progress["done"]), bool(progress["finished"])  # type: ignore[call-overload]
            seen = available
            used = 0
            if available > decoded:
                used, _status = decoder.decode(view[decoded:available])
                if used < 0:  # the image is full
                    break
                decoded += used
            if finished and used == 0:
                break  # all that came is decoded (a cut-off page ends mid-line)
    finally:
        reader.join()
        decoder.cleanup()
        view.release()
    if progress["error"] is not None:
        raise progress["error"]  # type: ignore[misc]
    if int(progress["done"]) < total:  # type: ignore[call-overload]
        raise SaneReadError("the scanner sent less than a whole page")
    return image
