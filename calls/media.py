"""The call's local media (camera, microphone) as aiortc tracks, and the remote audio out.

The camera is not opened here: frames come from the one camera owner (devices/camera.py),
so the preview and the call share the device. The microphone is a WAV file in tests and
demos (looped) or a capture device through PyAV; what the staff say is mixed and handed to
an AudioSink: a WAV file in tests (VIRTU_AUDIO_SINK), the speaker through Qt on a booth
(kiosk/call_audio.py).
"""
from __future__ import annotations

import asyncio
import logging
import threading
import wave
from collections import deque
from pathlib import Path
from typing import Protocol

import av
import cv2
import numpy as np
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import (
    AudioStreamTrack,
    MediaStreamError,
    MediaStreamTrack,
    VideoStreamTrack,
)

from devices.camera import CameraOwner, Frame

log = logging.getLogger(__name__)

RATE = 48000
CHUNK = 960
"""20 ms of 48 kHz audio: what the Opus decoder gives and what the mixer writes."""
FULL = (1280, 720)
SMALL = (640, 480)
"""Sent when more than one remote is in (a mesh sends one stream per remote)."""


class CameraTrack(VideoStreamTrack):
    """The booth's camera as a WebRTC video track; black while the camera is off."""

    def __init__(self, camera: CameraOwner | None) -> None:
        super().__init__()
        self.camera = camera
        self.enabled = True
        self.size = FULL
        self.sent = 0
        self._latest: Frame | None = None
        self._lock = threading.Lock()
        if camera is not None:
            camera.subscribe(self, self._frame)

    def _frame(self, frame: Frame) -> None:
        with self._lock:
            self._latest = frame

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        w, h = self.size
        with self._lock:
            latest = self._latest
        if latest is None or not self.enabled:
            image = np.zeros((h, w, 3), np.uint8)
        elif latest.shape[1] != w or latest.shape[0] != h:
            image = cv2.resize(latest, (w, h), interpolation=cv2.INTER_AREA)
        else:
            image = latest
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts, frame.time_base = pts, time_base
        self.sent += 1
        return frame

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.unsubscribe(self)
        super().stop()


class MicrophoneTrack(AudioStreamTrack):
    """The microphone, with mute and a level for the pre-call meter. Muted = silence sent,
    so the other side's stream does not stall."""

    def __init__(self, setting: str) -> None:
        super().__init__()
        self.muted = False
        self.level = 0.0
        """RMS of the last 20 ms, 0..1, for the sound-level meter."""
        self._player = open_microphone(setting)
        self._source = self._player.audio if self._player is not None else None
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)

    async def recv(self) -> av.AudioFrame:
        if self._source is None:
            return await super().recv()  # no microphone: silence at the right pace
        try:
            frame = await self._source.recv()
        except MediaStreamError:
            self._source = None
            log.warning("microphone stopped; sending silence")
            return await super().recv()
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)] or [np.zeros(0, np.int16)])
        self.level = float(np.sqrt(np.mean((samples.astype(np.float32) / 32768) ** 2))) if samples.size else 0.0
        if self.muted:
            frame = _silence_like(frame)
        return frame

    def stop(self) -> None:
        if self._source is not None:
            self._source.stop()
        super().stop()


class CopiedAudio(MediaStreamTrack):
    """A relayed microphone frame, copied: every connection's Opus encoder (on an executor
    thread) gets a frame of its own."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self._source = source

    async def recv(self) -> av.AudioFrame:
        frame = await self._source.recv()
        copy = av.AudioFrame.from_ndarray(frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name)
        copy.sample_rate, copy.pts, copy.time_base = frame.sample_rate, frame.pts, frame.time_base
        return copy

    def stop(self) -> None:
        self._source.stop()
        super().stop()


def _silence_like(frame: av.AudioFrame) -> av.AudioFrame:
    out = av.AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
    for plane in out.planes:
        plane.update(bytes(plane.buffer_size))
    out.sample_rate, out.pts, out.time_base = frame.sample_rate, frame.pts, frame.time_base
    return out


def open_microphone(setting: str) -> MediaPlayer | None:
    """"none", a WAV file (looped: a stand-in microphone), or "auto" = the system's default
    capture device (PulseAudio on Linux, DirectShow on Windows: unverified here)."""
    if setting == "none":
        return None
    if setting != "auto":
        return MediaPlayer(setting, loop=True)
    import sys

    try:
        if sys.platform == "win32":
            return MediaPlayer("audio=default", format="dshow")
        return MediaPlayer("default", format="pulse")
    except (av.FFmpegError, OSError) as exc:
        log.warning("no microphone: %s", exc)
        return None


class AudioSink(Protocol):
    def write(self, pcm: np.ndarray) -> None: ...
    def close(self) -> None: ...


class WavSink:
    """Stereo 16-bit 48 kHz into a WAV file: the tests' speaker."""

    def __init__(self, path: Path) -> None:
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(RATE)

    def write(self, pcm: np.ndarray) -> None:
        self._wav.writeframes(pcm.astype("<i2").tobytes())

    def close(self) -> None:
        self._wav.close()


class AudioMixer:
    """Mixes every remote's audio into one sink in real time, with the resident's volume.

    Each remote track is read continuously (aiortc piles frames up otherwise); 20 ms
    chunks are queued per remote and summed on a 20 ms clock, so two staff members are
    heard together and a late packet costs a gap, not a growing delay."""

    MAX_QUEUE = 10  # 200 ms: beyond that the oldest audio is dropped

    def __init__(self, sink: AudioSink | None) -> None:
        self.sink = sink
        self.volume = 1.0
        self.received_chunks = 0
        self._queues: dict[str, deque[np.ndarray]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._clock: asyncio.Task[None] | None = None

    def add(self, peer_id: str, track: MediaStreamTrack) -> None:
        self._queues[peer_id] = deque(maxlen=self.MAX_QUEUE)
        self._tasks.append(asyncio.ensure_future(self._read(peer_id, track)))
        if self._clock is None:
            self._clock = asyncio.ensure_future(self._run())

    def remove(self, peer_id: str) -> None:
        self._queues.pop(peer_id, None)

    async def _read(self, peer_id: str, track: MediaStreamTrack) -> None:
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=RATE, frame_size=CHUNK)
        try:
            while True:
                frame = await track.recv()
                q = self._queues.get(peer_id)
                if q is None:
                    return
                for out in resampler.resample(frame):
                    q.append(out.to_ndarray().reshape(-1))
                    self.received_chunks += 1
        except MediaStreamError:
            return

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        tick = loop.time()
        while True:
            tick += CHUNK / RATE
            await asyncio.sleep(max(0.0, tick - loop.time()))
            chunks = [q.popleft() for q in self._queues.values() if q]
            if not chunks or self.sink is None:
                continue
            mixed = np.sum([c.astype(np.int32) for c in chunks if c.size == 2 * CHUNK], axis=0) if chunks else None
            if mixed is None or np.ndim(mixed) == 0:
                continue
            mixed = np.clip(mixed * self.volume, -32768, 32767).astype(np.int16)
            self.sink.write(mixed)

    def close(self) -> None:
        for t in [*self._tasks, *([self._clock] if self._clock else [])]:
            t.cancel()
        self._tasks.clear()
        self._clock = None
        self._queues.clear()
        if self.sink is not None:
            self.sink.close()
            self.sink = None
