"""A seeded, deterministic corpus of 1280×720 grey frames with known payloads.

Codes are rendered by zxing-cpp at one pixel a module, enlarged by an integer factor
with nearest-neighbour (non-integer bar widths make undecodable images, see RECIPES),
and only then rotated, scaled, blurred, dimmed and noised onto a cluttered background,
like a phone screen or a paper slip held up to the booth camera.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterator

import cv2
import numpy as np
import zxingcpp

WIDTH, HEIGHT = 1280, 720
SIZE = 400
SEED = 20261122
MIN_MODULE_PX = {"linear": 2.2, "matrix": 3.0}
"""Smallest module after scaling. Measured: an upright, noise-free Code 128 at 1.6 px a
module is not read by zxing-cpp at all, and DataMatrix at 2.4 px fails once blurred
(σ 0.9); such frames would measure the camera's resolution, not the decoder."""
SYMBOLOGIES = ("QRCode", "Code128", "EAN13", "DataMatrix")


@dataclass(frozen=True)
class Code:
    symbology: str
    payload: str
    angle: float
    centre: tuple[float, float]


@dataclass(frozen=True)
class Frame:
    index: int
    image: np.ndarray
    codes: tuple[Code, ...]

    @property
    def payloads(self) -> set[str]:
        return {c.payload for c in self.codes}


def frames(count: int = SIZE, seed: int = SEED) -> Iterator[Frame]:
    """The same frames for the same (count, seed); each frame has its own sub-seed, so a
    prefix of a longer corpus equals the shorter corpus."""
    for i in range(count):
        yield frame(i, seed)


def frame(index: int, seed: int = SEED) -> Frame:
    rng = random.Random(seed * 100_003 + index)
    np_rng = np.random.default_rng(seed * 100_003 + index)
    image = _clutter(rng)
    codes: list[Code] = []
    boxes: list[tuple[int, int, int, int]] = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        symbology = SYMBOLOGIES[(index + len(codes)) % len(SYMBOLOGIES)]
        payload = _payload(symbology, rng, index, len(codes))
        sprite, module = _render(symbology, payload, rng)
        angle = rng.uniform(0.0, 90.0)
        kind = "linear" if symbology in ("Code128", "EAN13") else "matrix"
        scale = rng.uniform(max(0.5, MIN_MODULE_PX[kind] / module), 1.0)
        placed = _place(image, sprite, angle, scale, boxes, rng)
        if placed is not None:
            codes.append(Code(symbology, payload, angle, placed))
    _degrade(image, rng, np_rng)
    return Frame(index, image, tuple(codes))


def _payload(symbology: str, rng: random.Random, index: int, n: int) -> str:
    if symbology == "EAN13":
        digits = [rng.randrange(10) for _ in range(12)]
        check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
        return "".join(map(str, digits)) + str(check)
    if symbology == "Code128":
        return f"VT-{index:04d}-{n}{rng.randrange(10**4):04d}"
    if symbology == "QRCode" and rng.random() < 0.5:
        return f"https://rooms.virtu.fi/join?room=r{index}{n}&token={rng.getrandbits(48):012x}"
    return f"virtu {symbology} {index}/{n} {rng.getrandbits(32):08x}"


def _render(symbology: str, payload: str, rng: random.Random) -> tuple[np.ndarray, int]:
    """Integer module widths first: 3–5 px a module for 1D, 4–7 for 2D."""
    code = zxingcpp.create_barcode(payload, getattr(zxingcpp.BarcodeFormat, symbology))
    img = np.array(zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=True))
    linear = symbology in ("Code128", "EAN13")
    module = rng.randint(3, 5) if linear else rng.randint(4, 7)
    if linear:
        img = np.repeat(img[:1], max(30, img.shape[1] // 3), axis=0)
        img = np.pad(img, ((6, 6), (0, 0)), constant_values=255)
    else:
        img = np.pad(img, 2, constant_values=255)
    return cv2.resize(img, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST), module


def _place(image: np.ndarray, sprite: np.ndarray, angle: float, scale: float, boxes: list[tuple[int, int, int, int]], rng: random.Random) -> tuple[float, float] | None:
    """Rotates and scales (down only) the sprite onto a free spot; the sprite is pasted
    through a mask, so its white quiet zone covers the clutter."""
    h, w = sprite.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    bw, bh = int(w * cos + h * sin) + 2, int(w * sin + h * cos) + 2
    if bw >= WIDTH - 20 or bh >= HEIGHT - 20:
        return None
    m[0, 2] += bw / 2 - w / 2
    m[1, 2] += bh / 2 - h / 2
    for _ in range(30):
        x, y = rng.randrange(10, WIDTH - bw - 10), rng.randrange(10, HEIGHT - bh - 10)
        if all(x + bw < bx or bx + bbw < x or y + bh < by or by + bbh < y for bx, by, bbw, bbh in boxes):
            break
    else:
        return None
    warped = cv2.warpAffine(sprite, m, (bw, bh), flags=cv2.INTER_AREA, borderValue=255)
    mask = cv2.warpAffine(np.full_like(sprite, 255), m, (bw, bh), flags=cv2.INTER_NEAREST, borderValue=0)
    roi = image[y : y + bh, x : x + bw]
    np.copyto(roi, warped, where=mask > 0)
    boxes.append((x, y, bw, bh))
    return (x + bw / 2, y + bh / 2)


def _clutter(rng: random.Random) -> np.ndarray:
    """Background like a booth wall and a hand: gradients, boxes, lines and text."""
    base = rng.randint(60, 200)
    ramp = np.linspace(-30, 30, WIDTH, dtype=np.float32)[None, :] + np.linspace(-20, 20, HEIGHT, dtype=np.float32)[:, None]
    image = np.clip(base + ramp, 0, 255).astype(np.uint8)
    for _ in range(rng.randint(5, 15)):
        p = (rng.randrange(WIDTH), rng.randrange(HEIGHT))
        q = (p[0] + rng.randint(-300, 300), p[1] + rng.randint(-200, 200))
        colour = rng.randint(0, 255)
        if rng.random() < 0.5:
            cv2.rectangle(image, p, q, colour, -1 if rng.random() < 0.5 else rng.randint(1, 4))
        else:
            cv2.line(image, p, q, colour, rng.randint(1, 6))
    for _ in range(rng.randint(2, 6)):
        cv2.putText(image, "Virtu palvelupiste", (rng.randrange(WIDTH), rng.randrange(HEIGHT)), cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.5, 1.5), rng.randint(0, 255), rng.randint(1, 3))
    return image


def _degrade(image: np.ndarray, rng: random.Random, np_rng: np.random.Generator) -> None:
    """In place: lower contrast, blur (σ up to 1 px) and sensor noise (σ up to 8)."""
    if rng.random() < 0.4:
        lo, hi = rng.randint(30, 80), rng.randint(170, 230)
        cv2.convertScaleAbs(image, image, (hi - lo) / 255.0, lo)
    sigma = rng.uniform(0.0, 1.0)
    if sigma > 0.3:
        cv2.GaussianBlur(image, (0, 0), sigma, dst=image)
    noise = np_rng.normal(0.0, rng.uniform(0.0, 8.0), image.shape).astype(np.float32)
    np.copyto(image, np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8))
