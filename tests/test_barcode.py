"""The barcode pipeline on its seeded corpus, payload handling and the keyboard wedge."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from devices.barcode import corpus, payload, video_source, wedge
from devices.barcode.pipeline import Decoder

ROOMS = "https://rooms.virtu.fi"
ALLOWED = ("kela.fi", "suomi.fi", "virtu.fi")
READ_RATE = 0.97
LINEAR = ("Code128", "EAN13")


@pytest.fixture(scope="module")
def reads() -> list[tuple[corpus.Code, bool]]:
    """Every code of the full corpus and whether the kiosk decoder read it."""
    decoder = Decoder()
    out = []
    for frame in corpus.frames():
        texts = {d.text for d in decoder.decode(frame.image)}
        out += [(code, code.payload in texts) for code in frame.codes]
    return out


def test_corpus_is_deterministic_and_as_specified() -> None:
    a, b = corpus.frame(7), corpus.frame(7)
    assert np.array_equal(a.image, b.image) and a.codes == b.codes
    assert a.image.shape == (720, 1280) and a.image.dtype == np.uint8
    assert not np.array_equal(corpus.frame(8).image, a.image)
    frames = list(corpus.frames())
    assert len(frames) >= 400
    codes = [c for f in frames for c in f.codes]
    assert set(Counter(c.symbology for c in codes)) == set(corpus.SYMBOLOGIES)
    assert any(len(f.codes) >= 3 for f in frames)
    assert all(0 <= c.angle <= 90 for c in codes)


def test_pipeline_reads_the_corpus(reads: list[tuple[corpus.Code, bool]]) -> None:
    rate = sum(ok for _, ok in reads) / len(reads)
    assert rate >= READ_RATE, f"read {rate:.3f} of {len(reads)} codes"


@pytest.mark.parametrize("symbology", corpus.SYMBOLOGIES)
def test_each_symbology_is_read(reads: list[tuple[corpus.Code, bool]], symbology: str) -> None:
    mine = [ok for code, ok in reads if code.symbology == symbology]
    assert len(mine) >= 50 and sum(mine) / len(mine) >= 0.9


def test_tilted_linear_codes_are_read(reads: list[tuple[corpus.Code, bool]]) -> None:
    """25–65°: the angles where neither zbar nor zxing reads a 1D code on its own."""
    tilted = [ok for code, ok in reads if code.symbology in LINEAR and 25 <= code.angle <= 65]
    assert len(tilted) >= 50 and sum(tilted) / len(tilted) >= READ_RATE


def test_decoded_symbology_and_position() -> None:
    frame = corpus.frame(3)
    found = {d.text: d for d in Decoder().decode(frame.image)}
    for code in frame.codes:
        d = found[code.payload]
        assert d.symbology == code.symbology
        assert np.hypot(d.centre[0] - code.centre[0], d.centre[1] - code.centre[1]) < 150


def test_decode_from_a_video_file(tmp_path: Path) -> None:
    frames = list(corpus.frames(12))
    path = tmp_path / "camera.avi"
    assert video_source.write_grey(path, (f.image for f in frames)) == len(frames)
    decoder = Decoder()
    decoded = [{d.text for d in decoder.decode(g)} for g in video_source.grey_frames(path)]
    assert len(decoded) == len(frames)
    expected = sum(len(f.codes) for f in frames)
    read = sum(len(f.payloads & texts) for f, texts in zip(frames, decoded))
    assert read / expected >= 0.9


def test_video_that_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        list(video_source.grey_frames(tmp_path / "missing.avi"))


# payloads

def test_room_invitation() -> None:
    p = payload.classify("https://rooms.virtu.fi/join?token=eyJyb29tIjoi.x-Y_9", ROOMS, ALLOWED)
    assert p == payload.RoomInvitation("https://rooms.virtu.fi/join?token=eyJyb29tIjoi.x-Y_9", "eyJyb29tIjoi.x-Y_9")


def test_demo_room_service_on_loopback_http() -> None:
    p = payload.classify("http://127.0.0.1:8780/join?token=abc.def", "http://127.0.0.1:8780/", ALLOWED)
    assert isinstance(p, payload.RoomInvitation)
    assert not isinstance(payload.classify("http://127.0.0.1:8781/join?token=abc.def", "http://127.0.0.1:8780/", ALLOWED), payload.RoomInvitation)


@pytest.mark.parametrize("url", [
    "https://rooms.virtu.fi/join",
    "https://rooms.virtu.fi/join?token=t&extra=1",
    "https://rooms.virtu.fi/join?token=t&token=u",
    "https://rooms.virtu.fi/join?token=t<42>",
    "http://rooms.virtu.fi/join?token=t",
    "https://rooms.virtu.fi.evil.example/join?token=t",
    "https://rooms.virtu.fi@evil.example/join?token=t",
    "https://rooms.virtu.fi/other/join?token=t",
    "https://rooms.virtu.fi/join?token=t#x",
])
def test_not_an_invitation(url: str) -> None:
    assert not isinstance(payload.classify(url, ROOMS, ALLOWED), payload.RoomInvitation)


@pytest.mark.parametrize("url,host", [
    ("https://www.kela.fi/asiointi", "www.kela.fi"),
    ("https://suomi.fi/", "suomi.fi"),
    ("HTTPS://Asiointi.Suomi.FI./x", "asiointi.suomi.fi"),
])
def test_allowed_link(url: str, host: str) -> None:
    assert payload.classify(url, ROOMS, ALLOWED) == payload.WebLink(url, host)


@pytest.mark.parametrize("url", [
    "http://www.kela.fi/",
    "https://evilkela.fi/",
    "https://kela.fi.evil.example/",
    "https://kela.fi@evil.example/",
    "https://evil.example\\@kela.fi/",
    "https://kela.fi:8443/",
    "https://kеla.fi/",  # Cyrillic е
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://kela.fi/ space",
])
def test_refused_link_is_plain_text(url: str) -> None:
    assert isinstance(payload.classify(url, ROOMS, ALLOWED), payload.Text)


def test_control_and_format_characters_removed() -> None:
    p = payload.classify("tili\x1b[2J\x00 12\u202e34\u200b\n", ROOMS, ALLOWED)
    assert p == payload.Text("tili[2J 1234")
    hidden = payload.classify("https://kela.fi\u202e/x", ROOMS, ALLOWED)
    assert hidden == payload.WebLink("https://kela.fi/x", "kela.fi")


def test_length_limit_and_bytes() -> None:
    long = "https://kela.fi/" + "a" * payload.MAX_CHARS
    p = payload.classify(long, ROOMS, ALLOWED)
    assert isinstance(p, payload.Text) and p.truncated and len(p.text) == payload.MAX_CHARS
    assert payload.classify(b"\xffok", ROOMS, ALLOWED) == payload.Text("\ufffdok")


# keyboard wedge

def _type(detector: wedge.WedgeDetector, text: str, start: float, gap: float) -> list[wedge.Scan]:
    out = []
    for i, ch in enumerate(text):
        scan = detector.feed(start + i * gap, ch)
        if scan is not None:
            out.append(scan)
    return out


def test_scanner_burst_is_a_scan() -> None:
    scans = _type(wedge.WedgeDetector(), "4006381333931\r", 10.0, 0.004)
    assert len(scans) == 1
    assert scans[0].text == "4006381333931" and scans[0].keys == 13
    assert scans[0].started == 10.0 and scans[0].ended == pytest.approx(10.0 + 13 * 0.004)


def test_human_typing_is_not_a_scan() -> None:
    assert _type(wedge.WedgeDetector(), "kissa123\r", 0.0, 0.150) == []
    assert _type(wedge.WedgeDetector(), "abc\r", 0.0, 0.005) == []  # too short
    assert _type(wedge.WedgeDetector(), "abcdefgh", 0.0, 0.005) == []  # no Enter
    d = wedge.WedgeDetector()
    assert d.feed(0.0, "abcdefg"[0]) is None
    assert _type(d, "bcdefg", 0.005, 0.005) == []
    assert d.feed(1.0, "\r") is None  # Enter pressed by hand, long after the burst


def test_burst_into_a_focused_field() -> None:
    """A person types, then the scanner fires into the same field: only the burst is the
    scan, and its key count tells the shell how much to take back out of the field."""
    d = wedge.WedgeDetector()
    assert _type(d, "Hei ", 0.0, 0.2) == []
    assert d.feed(0.9, "") is None  # a bare Shift
    scans = _type(d, "VT-0001\n", 1.0, 0.008)
    assert [(s.text, s.keys) for s in scans] == [("VT-0001", 7)]


def test_us_scanner_on_finnish_and_swedish_keymaps() -> None:
    url = "https://rooms.virtu.fi/join?room=r1&token=ab-c_d"
    garbled_dead = "httpsÖ--rooms.virtu.fi-join_room´r1/token´ab+c?d"
    garbled_composed = "httpsÖ--rooms.virtu.fi-join_roomŕ1/token´ab+c?d"
    for layout in ("fi", "se", "FI"):
        assert wedge.repair_layout(garbled_dead, layout) == url
        assert wedge.repair_layout(garbled_composed, layout) == url
    assert wedge.repair_layout("aöbÖcädÄeåfÅg", "fi") == "a;b:c'd\"e[f{g"
    assert wedge.repair_layout(")1=´(", "se") == "(1)=*"
    assert wedge.repair_layout('"¤&§½', "fi") == "@$^`~"


def test_repair_leaves_other_layouts_alone() -> None:
    assert wedge.repair_layout("httpsÖ--x", "us") == "httpsÖ--x"
    assert wedge.repair_layout("httpsÖ--x", "de") == "httpsÖ--x"
