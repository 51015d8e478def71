"""The call's mixed audio on the booth's speaker through Qt Multimedia (push mode), or in
the WAV file named by VIRTU_AUDIO_SINK (tests: no sound card here)."""
from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from calls.media import RATE, AudioSink, WavSink
from kiosk.sound import Speaker

log = logging.getLogger(__name__)


class QtSpeakerSink(QObject):
    """write() is called on the call's loop thread; the bytes cross to the Qt thread by a
    queued signal, where the QAudioSink lives (unverified here: no sound card)."""

    _pcm = Signal(bytes)
    _closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        fmt = QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(QAudioFormat.Int16)
        self._sink = QAudioSink(QMediaDevices.defaultAudioOutput(), fmt, self)
        self._io = self._sink.start()
        self._pcm.connect(self._write)
        self._closing.connect(self._close)

    def write(self, pcm: np.ndarray) -> None:
        self._pcm.emit(pcm.astype("<i2").tobytes())

    def _write(self, data: bytes) -> None:
        if self._io is not None:
            self._io.write(data)

    def close(self) -> None:
        self._closing.emit()

    def _close(self) -> None:
        self._sink.stop()
        self._io = None


def speaker_sink() -> AudioSink | None:
    """Made on the Qt thread when a call starts."""
    path = Speaker.file_sink()
    if path is not None:
        return WavSink(path)
    if QMediaDevices.defaultAudioOutput().isNull():
        log.warning("call: no speaker; the staff's voice cannot be played")
        return None
    return QtSpeakerSink()
