"""Renders the attract screen's idle loop: northern lights over a fell, and a "touch" pulse.

No text on purpose: the screen writes "touch to start" in every language on top. Every
moving part completes a whole number of cycles per loop, so the last frame runs into the
first without a jump. Same inputs, same file: the stars come from a fixed seed.

    .venv/bin/python assets/attract/make_attract_video.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT = 640, 360
FPS = 12
SECONDS = 8
FRAMES = FPS * SECONDS
PULSES_PER_LOOP = 4  # one every 2 s: slow enough to read as breathing, not blinking
JPEG_QUALITY = 75  # the gradients stay smooth; the file stays near 1 MB
TAU = 2 * np.pi

# Colours are (B, G, R) floats in 0..1, as OpenCV writes them.
SKY_TOP = np.array([0.09, 0.03, 0.02])
SKY_HORIZON = np.array([0.36, 0.16, 0.05])
HORIZON_GLOW = np.array([0.18, 0.42, 0.95])  # the last warm light low over the fells
AURORA_GREEN = np.array([0.55, 1.00, 0.30])
AURORA_ROSE = np.array([0.75, 0.35, 0.95])
FELL = np.array([0.07, 0.04, 0.03])
FELL_RIM = np.array([0.55, 0.45, 0.40])
PULSE = np.array([0.78, 0.93, 1.00])  # warm white

_v, _u = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
U = _u / WIDTH
V = _v / HEIGHT


def _sky() -> np.ndarray:
    mix = np.clip(V / 0.8, 0, 1)[..., None] ** 1.4
    return SKY_TOP * (1 - mix) + SKY_HORIZON * mix


def _fell_line() -> np.ndarray:
    """Height (0..1 from the top) of the fell ridge at each column: two rounded tops."""
    u = U[0]
    ridge = 0.86 - 0.10 * np.exp(-(((u - 0.24) / 0.16) ** 2)) - 0.06 * np.exp(-(((u - 0.78) / 0.20) ** 2))
    return ridge + 0.006 * np.sin(TAU * 5 * u)


def _stars(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    n = 70
    xs = rng.integers(0, WIDTH, n)
    ys = rng.integers(0, int(HEIGHT * 0.62), n)
    level = rng.uniform(0.25, 0.8, n)
    cycles = rng.integers(1, 4, n)  # whole twinkles per loop
    phase = rng.uniform(0, TAU, n)
    return xs, ys, level, cycles, phase


def _aurora(phase: float) -> np.ndarray:
    """Curtains: a sharp green lower edge, rays fading up into rose, drifting sideways."""
    layer = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    bands = (  # centre, sway, spatial freq, drift cycles per loop, strength
        (0.38, 0.07, 1.1, 1, 1.00),
        (0.27, 0.05, 1.7, -1, 0.65),
        (0.47, 0.04, 0.8, 2, 0.45),
    )
    for i, (centre, sway, freq, drift, strength) in enumerate(bands):
        edge = (
            centre
            + sway * np.sin(TAU * (freq * U + drift * phase) + i)
            + 0.015 * np.sin(TAU * (3 * freq * U - drift * phase) + 2 * i)
        )
        d = V - edge
        below = np.exp(-((d / 0.018) ** 2))
        above = np.exp(-((np.minimum(d, 0) / 0.16) ** 2)) * (d < 0)
        shape = np.maximum(below, above)
        # Rays: uneven stripes, bent a little with height, so they read as light, not a comb.
        ru = U + 0.012 * np.sin(TAU * (2.5 * V + 0.3 * i))
        rays = (
            0.74
            + 0.12 * np.sin(TAU * (13 * ru + drift * phase) + i)
            + 0.09 * np.sin(TAU * (31 * ru - 2 * phase))
            + 0.05 * np.sin(TAU * (47 * ru + 3 * phase) + 2 * i)
        )
        brightness = 0.55 + 0.45 * np.sin(TAU * (0.7 * U + phase) + 3 * i) ** 2
        glow = (shape * rays * brightness * strength)[..., None]
        height = np.clip((edge - V) / 0.25, 0, 1)[..., None]  # 0 at the edge, 1 high above
        colour = AURORA_GREEN * (1 - height) + AURORA_ROSE * height
        layer += glow * colour * (0.9 - 0.5 * height)
    return cv2.GaussianBlur(layer, (0, 0), 1.6)


def _pulse(phase: float) -> np.ndarray:
    """A soft disc that breathes, and a ring leaving it, four times per loop."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    r = np.hypot(_u - cx, _v - cy)
    p = (phase * PULSES_PER_LOOP) % 1.0
    breath = 0.5 + 0.5 * np.cos(TAU * p)
    disc = np.exp(-((r / (20 + 3 * breath)) ** 4)) * (0.75 + 0.25 * breath)
    halo = 0.25 * np.exp(-((r / 46) ** 2)) * (0.6 + 0.4 * breath)
    ring_r = 26 + 84 * p
    ring = np.exp(-(((r - ring_r) / 3.2) ** 2)) * (1 - p) ** 1.6 * 0.9
    return (np.clip(disc + halo + ring, 0, 1))[..., None] * PULSE


def render(index: int, sky: np.ndarray, ridge: np.ndarray, stars: tuple[np.ndarray, ...]) -> np.ndarray:
    phase = index / FRAMES
    frame = sky.copy()
    frame += HORIZON_GLOW * (0.30 + 0.05 * np.sin(TAU * phase)) * np.exp(-(((V - 0.80) / 0.09) ** 2))[..., None]
    xs, ys, level, cycles, star_phase = stars
    twinkle = level * (0.75 + 0.25 * np.sin(TAU * cycles * phase + star_phase))
    frame[ys, xs] += twinkle[:, None]
    frame += _aurora(phase)
    land = ridge[None, :] < V
    rim = np.exp(-(((V - ridge[None, :]) / 0.006) ** 2)) * (ridge[None, :] - 0.004 < V)
    frame[land] = FELL * (1 + 0.8 * (1 - V[land]))[..., None]
    frame += (rim * 0.35)[..., None] * FELL_RIM
    frame += _pulse(phase)
    return (np.clip(frame, 0, 1) * 255 + 0.5).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)

    sky, ridge, stars = _sky(), _fell_line(), _stars(np.random.default_rng(2024))
    video = args.out_dir / "attract.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise SystemExit(f"OpenCV cannot write MJPG to {video}")
    writer.set(cv2.VIDEOWRITER_PROP_QUALITY, JPEG_QUALITY)
    for i in range(FRAMES):
        writer.write(render(i, sky, ridge, stars))
    writer.release()
    # A quarter into a pulse the ring has just left the disc: the still reads as "touch me".
    cv2.imwrite(str(args.out_dir / "still.png"), render(FRAMES // PULSES_PER_LOOP // 4, sky, ridge, stars))
    print(f"{video}: {FRAMES} frames, {video.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
