"""Plays PCM on the booth's speaker, or into a WAV file named by VIRTU_AUDIO_SINK (tests)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

from devices.audio import RATE, write_wav
from devices.health import N_, Health, HealthState

log = logging.getLogger(__name__)


class Speaker(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None

    @staticmethod
    def file_sink() -> Path | None:
        value = os.environ.get("VIRTU_AUDIO_SINK")
        return Path(value) if value else None

    def health(self) -> Health:
        if self.file_sink() is not None:
            # TRANSLATORS: health line in maintenance mode: sound is written to a file (test set-up)
            return Health("speaker", HealthState.OK, N_("Sound goes to a test file instead of a speaker."))
        if not QMediaDevices.audioOutputs():
            # TRANSLATORS: health line in maintenance mode: no speaker or headset is connected
            return Health("speaker", HealthState.DOWN, N_("No speaker or headset was found."))
        # TRANSLATORS: health line in maintenance mode: the speaker works
        return Health("speaker", HealthState.OK, N_("The speaker is connected."))

    def play(self, pcm: bytes) -> bool:
        """Returns False when there is nothing to play on (reported by health())."""
        target = self.file_sink()
        if target is not None:
            write_wav(target, pcm)
            log.info("test sound written to the file sink")
            return True
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            log.warning("test sound: no audio output")
            return False
        fmt = QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.Int16)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pcm))
        self._buffer.open(QIODevice.ReadOnly)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.stateChanged.connect(self._state)
        self._sink.start(self._buffer)
        return True

    def _state(self, state: QAudio.State) -> None:
        if state == QAudio.IdleState and self._sink is not None:
            self._sink.stop()
