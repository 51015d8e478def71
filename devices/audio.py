"""Sound for the booth's 'test sound' and level checks: PCM in, a sink out.

A WAV file stands in for the speaker where there is none (tests, this machine), so the
same code path can be checked for silence.
"""
from __future__ import annotations

import array
import math
import wave
from pathlib import Path

RATE = 48_000


def test_tone(seconds: float = 1.0, freq: float = 660.0, rate: int = RATE, level: float = 0.4) -> bytes:
    """16-bit mono PCM: a sine with short fades, so the speaker does not click."""
    n = int(seconds * rate)
    fade = max(1, int(0.02 * rate))
    samples = array.array("h")
    for i in range(n):
        env = min(1.0, i / fade, (n - 1 - i) / fade)
        samples.append(int(32767 * level * env * math.sin(2 * math.pi * freq * i / rate)))
    return samples.tobytes()


def rms(pcm: bytes) -> float:
    """Root-mean-square level of 16-bit PCM, 0.0 (silence) … 1.0 (full scale)."""
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768


def write_wav(path: Path, pcm: bytes, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def read_wav(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())
