"""One WebRTC connection to one remote participant (a mesh of at most three).

aiortc answers with the codecs chosen inside setRemoteDescription, so the tracks and the
VP8 preference are set up before it; the SDP we send carries Chrome's bitrate hints, or
Chrome's estimate toward aiortc stays near 300 kbps and it downscales (RECIPES.md).
aiortc has no ICE restart: recovering means a new PeerLink and a new offer.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import av
from aiortc import (
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.sdp import candidate_from_sdp

from calls.documents import Document, DocumentChannel
from calls.media import AudioMixer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IceServer:
    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None


def bitrate_hint(sdp: str, kbps: int) -> str:
    """Adds x-google-{min,start,max}-bitrate to every VP8 payload type's fmtp line."""
    hint = f"x-google-min-bitrate={kbps};x-google-start-bitrate={kbps};x-google-max-bitrate={max(kbps * 2, 2500)}"
    vp8 = set(re.findall(r"^a=rtpmap:(\d+) VP8/90000", sdp, re.MULTILINE))
    with_fmtp = set(re.findall(r"^a=fmtp:(\d+) ", sdp, re.MULTILINE))
    out = []
    for line in sdp.splitlines():
        fmtp = re.match(r"a=fmtp:(\d+) ", line)
        if fmtp and fmtp.group(1) in vp8 and "x-google" not in line:
            line += ";" + hint
        out.append(line)
        rtpmap = re.match(r"a=rtpmap:(\d+) VP8/90000", line)
        if rtpmap and rtpmap.group(1) not in with_fmtp:
            out.append(f"a=fmtp:{rtpmap.group(1)} {hint}")
    return "\r\n".join(out) + "\r\n"


class PeerLink:
    def __init__(
        self,
        peer_id: str,
        ice_servers: list[IceServer],
        relay_only: bool,
        video: MediaStreamTrack,
        audio: MediaStreamTrack,
        mixer: AudioMixer,
        on_frame: Callable[[str, av.VideoFrame], None],
        on_document: Callable[[str, Document], None],
        bitrate_kbps: int = 1500,
    ) -> None:
        self.peer_id = peer_id
        self.bitrate_kbps = bitrate_kbps
        config = RTCConfiguration(
            iceServers=[RTCIceServer(urls=list(s.urls), username=s.username, credential=s.credential) for s in ice_servers],
            iceTransportPolicy=RTCIceTransportPolicy.RELAY if relay_only else RTCIceTransportPolicy.ALL,
        )
        self.pc = RTCPeerConnection(configuration=config)
        self.mixer = mixer
        self.on_frame = on_frame
        self.frames_received = 0
        self.audio_frames_received = 0
        self.last_media = time.monotonic()
        self._tasks: list[asyncio.Task[None]] = []
        video_tx = self.pc.addTransceiver(video, direction="sendrecv")
        vp8 = [c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType in ("video/VP8", "video/rtx")]
        video_tx.setCodecPreferences(vp8)
        self.pc.addTransceiver(audio, direction="sendrecv")
        self.documents = DocumentChannel(
            self.pc.createDataChannel("documents", negotiated=True, id=1),
            lambda doc: on_document(self.peer_id, doc),
        )
        self.pc.on("track", self._track)

    # --- negotiation --------------------------------------------------------------------
    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())  # gathers ICE: no trickle
        return bitrate_hint(self.pc.localDescription.sdp, self.bitrate_kbps)

    async def answer(self, sdp: str) -> str:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return bitrate_hint(self.pc.localDescription.sdp, self.bitrate_kbps)

    async def accept_answer(self, sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    async def add_ice(self, candidate: str, sdp_mid: str | None, sdp_mline_index: int | None) -> None:
        if not candidate:
            return  # end of candidates
        c = candidate_from_sdp(candidate.removeprefix("candidate:"))
        c.sdpMid, c.sdpMLineIndex = sdp_mid, sdp_mline_index
        await self.pc.addIceCandidate(c)

    # --- media in -----------------------------------------------------------------------
    def _track(self, track: MediaStreamTrack) -> None:
        if track.kind == "video":
            self._tasks.append(asyncio.ensure_future(self._read_video(track)))
        else:
            self.mixer.add(self.peer_id, _Counting(track, self))

    async def _read_video(self, track: MediaStreamTrack) -> None:
        """Read every frame (aiortc piles them up otherwise) and hand it on."""
        try:
            while True:
                frame = await track.recv()
                self.frames_received += 1
                self.last_media = time.monotonic()
                self.on_frame(self.peer_id, frame)
        except MediaStreamError:
            return

    @property
    def state(self) -> str:
        return self.pc.connectionState

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        self.mixer.remove(self.peer_id)
        await self.pc.close()


class _Counting(MediaStreamTrack):
    """Passes the remote audio through, noting that media arrives (for reconnecting)."""

    kind = "audio"

    def __init__(self, track: MediaStreamTrack, link: PeerLink) -> None:
        super().__init__()
        self._track, self._link = track, link

    async def recv(self):  # type: ignore[no-untyped-def]
        frame = await self._track.recv()
        self._link.audio_frames_received += 1
        self._link.last_media = time.monotonic()
        return frame
