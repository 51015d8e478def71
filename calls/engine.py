"""The booth's side of a video call: signalling, a mesh of up to three peer connections,
media in and out, documents, chat, and recovery — all on the asyncio thread.

Thread-safe methods (join, hang_up, set_*, send_*, share) may be called from the UI
thread; events go to `on_event` on the asyncio thread (the Qt layer re-emits them).

Recovery: aiortc has no ICE restart and its consent checks give up only after ~30 s, so
after RECONNECT_AFTER_S without incoming media the booth drops that peer connection and
offers a new one (what Jitsi does after an ICE failure), again every RETRY_OFFER_S, until
media flows or GIVE_UP_S have passed.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import Any

import av
from aiortc.contrib.media import MediaRelay

from calls.documents import Document
from calls.events import (
    CallEvent,
    CallState,
    ChatReceived,
    DocumentReceived,
    EndReason,
    Remote,
    RemoteFrame,
    RemotesChanged,
    StaffEvent,
    StateChanged,
)
from calls.loop import AsyncioThread
from calls.media import FULL, SMALL, AudioMixer, AudioSink, CameraTrack, CopiedAudio, MicrophoneTrack
from calls.peer import IceServer, PeerLink
from calls.signalling import InvalidInvitation, Invitation, Signalling
from devices.camera import CameraOwner

log = logging.getLogger(__name__)

RECONNECT_AFTER_S = 3.0
RETRY_OFFER_S = 5.0
GIVE_UP_S = 40.0
MAX_REMOTES = 3
MONITOR_S = 0.5
CHAT_MAX = 1000


class CallEngine:
    def __init__(
        self,
        camera: CameraOwner | None,
        microphone: str,
        on_event: Callable[[CallEvent], None] | None = None,
        loop: AsyncioThread | None = None,
        relay_only: bool = False,
        give_up_s: float = GIVE_UP_S,
        send_size: tuple[int, int] = FULL,
    ) -> None:
        self.camera = camera
        self.send_size = send_size
        """What one remote receives; with more than one, SMALL at most (the mesh sends one
        copy per remote)."""
        self.microphone = microphone
        self.on_event = on_event or (lambda _event: None)
        """Runs on the loop thread; the Qt layer (kiosk/call_link.py) sets it."""
        self.loop = loop or AsyncioThread()
        self.relay_only = relay_only
        self.give_up_s = give_up_s
        self.state = CallState.IDLE
        self.links: dict[str, PeerLink] = {}
        self.remotes: dict[str, Remote] = {}
        self.peer_id = ""
        self._signalling: Signalling | None = None
        self._ice: list[IceServer] = []
        self._video: CameraTrack | None = None
        self._audio: MicrophoneTrack | None = None
        self._relay: MediaRelay | None = None
        self._mixer: AudioMixer | None = None
        self._link_videos: dict[str, CameraTrack] = {}
        self._tasks: list[asyncio.Task[Any]] = []
        self._check: asyncio.Task[None] | None = None
        self._no_media_since: float | None = None
        self._last_offer: dict[str, float] = {}
        self._was_in_call = False

    # --- the UI thread's side ------------------------------------------------------------
    def join(self, link: str | Callable[[], str], name: str, place: str, speaker: AudioSink | None) -> concurrent.futures.Future[None]:
        """`link` is a join link, or a function that fetches one (the booth's own room: a
        network call, so it runs off the caller's thread). `speaker` is made by the caller
        (a Qt sink must be born on the Qt thread)."""
        if isinstance(link, str):
            Invitation.from_link(link)  # a bad link raises InvalidInvitation at once, on the caller's thread
        return self.loop.submit(self._join(link, name, place, speaker))

    def hang_up(self) -> concurrent.futures.Future[None]:
        return self.loop.submit(self._end(EndReason.HUNG_UP))

    def set_muted(self, muted: bool) -> None:
        self.loop.call_soon(self._set_muted, muted)

    def set_camera(self, on: bool) -> None:
        self.loop.call_soon(self._set_camera, on)

    def set_volume(self, volume: float) -> None:
        self.loop.call_soon(self._set_volume, max(0.0, min(volume, 4.0)))

    def send_chat(self, text: str) -> concurrent.futures.Future[None]:
        return self.loop.submit(self._send({"type": "chat", "text": text.strip()[:CHAT_MAX]}))

    def send_event(self, name: str) -> concurrent.futures.Future[None]:
        return self.loop.submit(self._send({"type": "event", "name": name}))

    def share(self, peer_id: str, document: Document) -> concurrent.futures.Future[None]:
        """Completes when the staff's browser confirmed the sha256; raises TransferError otherwise."""
        return self.loop.submit(self._share(peer_id, document))

    def start_check(self) -> None:
        """The pre-call check: open the microphone so its level can be shown (the self-view
        comes from the camera owner directly)."""
        self.loop.submit(self._start_check())

    def stop_check(self) -> None:
        self.loop.submit(self._stop_check())

    async def _start_check(self) -> None:
        if self._audio is None:
            self._audio = MicrophoneTrack(self.microphone)
        if self._check is None:
            self._check = asyncio.ensure_future(self._drain(self._audio))

    @staticmethod
    async def _drain(track: MicrophoneTrack) -> None:
        while True:
            await track.recv()

    async def _stop_check(self) -> None:
        if self._check is not None:
            self._check.cancel()
            self._check = None
        if self.state in (CallState.IDLE, CallState.ENDED) and self._audio is not None:
            self._audio.stop()
            self._audio = None

    @property
    def mic_level(self) -> float:
        return self._audio.level if self._audio is not None else 0.0

    def frames_received(self) -> dict[str, int]:
        return {pid: link.frames_received for pid, link in list(self.links.items())}

    def audio_received(self) -> dict[str, int]:
        return {pid: link.audio_frames_received for pid, link in list(self.links.items())}

    @property
    def frames_sent(self) -> int:
        return sum(v.sent for v in list(self._link_videos.values()))

    def close(self) -> None:
        """End any call, and a running check's microphone (its reader thread would outlive
        the loop): the kiosk's exit, or the session's wipe."""
        try:
            if self.state not in (CallState.IDLE, CallState.ENDED):
                self.hang_up().result(timeout=10)
            self.loop.submit(self._stop_check()).result(timeout=5)
        except (concurrent.futures.TimeoutError, RuntimeError) as exc:
            log.warning("call did not end cleanly: %s", type(exc).__name__)

    # --- on the loop ---------------------------------------------------------------------
    def _emit(self, event: CallEvent) -> None:
        try:
            self.on_event(event)
        except Exception:
            log.exception("call event handler failed")

    def _set_state(self, state: CallState, reason: EndReason | None = None, detail: str = "") -> None:
        if state is self.state and reason is None:
            return
        self.state = state
        log.info("call state: %s%s", state.value, f" ({reason.value} {detail})" if reason else "")
        self._emit(StateChanged(state, reason, detail))

    async def _join(self, link: str | Callable[[], str], name: str, place: str, speaker: AudioSink | None) -> None:
        if self.state not in (CallState.IDLE, CallState.ENDED):
            raise RuntimeError("a call is already running")
        self._was_in_call = False
        self._no_media_since = None
        self._set_state(CallState.CONNECTING)
        try:
            if not isinstance(link, str):
                link = await asyncio.get_running_loop().run_in_executor(None, link)
            self._signalling = Signalling(Invitation.from_link(link), name, place)
            joined = await self._signalling.connect()
        except InvalidInvitation:
            if speaker is not None:
                speaker.close()
            self._set_state(CallState.ENDED, EndReason.REFUSED, "token_invalid")
            return
        except (OSError, TimeoutError, ConnectionError) as exc:
            log.warning("room service unreachable: %s", type(exc).__name__)
            if speaker is not None:
                speaker.close()
            await self._teardown()
            self._set_state(CallState.ENDED, EndReason.UNREACHABLE)
            return
        if joined.get("type") == "error":
            if speaker is not None:
                speaker.close()
            await self._teardown()
            self._set_state(CallState.ENDED, EndReason.REFUSED, str(joined.get("code", "")))
            return
        self._start_media(speaker)
        self._joined(joined)
        await self._signalling.send({"type": "ready"})
        for remote in list(self.remotes.values()):
            if remote.in_call:
                await self._offer(remote.peer_id)
        self._set_state(CallState.WAITING)
        self._tasks = [asyncio.ensure_future(self._listen()), asyncio.ensure_future(self._monitor())]

    def _start_media(self, speaker: AudioSink | None) -> None:
        if self._check is not None:
            self._check.cancel()  # the check's microphone goes on into the call
            self._check = None
        self._video = CameraTrack(None)  # the call's camera switch; each connection has its own track
        self._audio = self._audio or MicrophoneTrack(self.microphone)
        self._relay = MediaRelay()
        self._mixer = AudioMixer(speaker)

    def _joined(self, joined: dict[str, Any]) -> None:
        self.peer_id = str(joined.get("peer_id", ""))
        self._ice = [
            IceServer(tuple(s.get("urls", [])), s.get("username"), s.get("credential"))
            for s in joined.get("ice_servers", []) if isinstance(s, dict)
        ]
        self.remotes = {}
        for p in joined.get("peers", []):
            if isinstance(p, dict) and p.get("peer_id"):
                self._add_remote(p)
        self._emit(RemotesChanged(tuple(self.remotes.values())))

    def _add_remote(self, p: dict[str, Any]) -> None:
        pid = str(p["peer_id"])
        self.remotes[pid] = Remote(pid, str(p.get("role", "staff")), str(p.get("name", ""))[:80], bool(p.get("ready")))

    def _new_link(self, peer_id: str) -> PeerLink:
        assert self._relay is not None and self._video is not None and self._audio is not None and self._mixer is not None
        # Each connection gets frames of its own: encoders run on executor threads, and two of
        # them working on one shared frame crashed the process (seen with three remotes).
        video = CameraTrack(self.camera)
        video.enabled = self._video.enabled
        self._link_videos[peer_id] = video
        link = PeerLink(
            peer_id, self._ice, self.relay_only,
            video, CopiedAudio(self._relay.subscribe(self._audio, buffered=False)),
            self._mixer, self._frame, self._document,
        )
        self.links[peer_id] = link
        self._size_videos()
        return link

    def _size_videos(self) -> None:
        size = min(SMALL, self.send_size) if len(self.links) > 1 else self.send_size
        for video in self._link_videos.values():
            video.size = size

    async def _drop_link(self, peer_id: str) -> None:
        link = self.links.pop(peer_id, None)
        if link is not None:
            await link.close()
        video = self._link_videos.pop(peer_id, None)
        if video is not None:
            video.stop()
        self._size_videos()

    async def _offer(self, peer_id: str) -> None:
        if len(self.links) >= MAX_REMOTES and peer_id not in self.links:
            log.warning("a fourth remote was not connected (a call holds at most %d)", MAX_REMOTES)
            return
        await self._drop_link(peer_id)
        link = self._new_link(peer_id)
        self._last_offer[peer_id] = time.monotonic()
        sdp = await link.offer()
        await self._send({"type": "offer", "to": peer_id, "sdp": sdp})

    async def _send(self, message: dict[str, Any]) -> None:
        if self._signalling is None or not self._signalling.connected:
            raise ConnectionError("not connected to the room service")
        await self._signalling.send(message)

    async def _listen(self) -> None:
        while self._signalling is not None:
            msg = await self._signalling.receive()
            if msg is None:
                if self.state in (CallState.ENDED, CallState.IDLE):
                    return
                await self._rejoin()
                continue
            try:
                await self._handle(msg)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("call: a %s message could not be used: %s", msg.get("type"), type(exc).__name__)

    async def _rejoin(self) -> None:
        """The room-service connection dropped: join again with the same invitation while
        media may still flow; the monitor ends the call if nothing comes back in time."""
        assert self._signalling is not None
        while self.state not in (CallState.ENDED, CallState.IDLE):
            try:
                joined = await self._signalling.connect(timeout=3.0)
            except (OSError, TimeoutError, ConnectionError):
                await asyncio.sleep(1.0)
                continue
            if joined.get("type") == "error":
                await self._end(EndReason.REFUSED, str(joined.get("code", "")))
                return
            old_links = set(self.links)
            self._joined(joined)
            await self._signalling.send({"type": "ready"})
            # Our peer id changed: the old connections are dead ends for the others.
            for pid in old_links:
                await self._drop_link(pid)
            for remote in list(self.remotes.values()):
                if remote.in_call:
                    await self._offer(remote.peer_id)
            return

    async def _handle(self, msg: dict[str, Any]) -> None:
        kind = msg["type"]
        if kind == "peer-joined":
            self._add_remote(msg["peer"])
            self._emit(RemotesChanged(tuple(self.remotes.values())))
        elif kind == "peer-ready":
            pid = str(msg["peer_id"])
            if pid in self.remotes:
                r = self.remotes[pid]
                self.remotes[pid] = Remote(r.peer_id, r.role, r.name, True)
                self._emit(RemotesChanged(tuple(self.remotes.values())))
            # The newer ready peer offers (the protocol's rule): wait for its offer.
        elif kind == "peer-left":
            pid = str(msg["peer_id"])
            self.remotes.pop(pid, None)
            await self._drop_link(pid)
            self._emit(RemotesChanged(tuple(self.remotes.values())))
            if self._was_in_call and not any(r.role == "staff" for r in self.remotes.values()):
                await self._end(EndReason.STAFF_LEFT)
        elif kind == "offer":
            pid = str(msg["from"])
            if pid not in self.remotes:
                return
            await self._drop_link(pid)
            link = self._new_link(pid)
            sdp = await link.answer(str(msg["sdp"]))
            await self._send({"type": "answer", "to": pid, "sdp": sdp})
        elif kind == "answer":
            link = self.links.get(str(msg["from"]))
            if link is not None:
                await link.accept_answer(str(msg["sdp"]))
        elif kind == "ice":
            link = self.links.get(str(msg["from"]))
            c = msg.get("candidate") or {}
            if link is not None and isinstance(c, dict):
                await link.add_ice(str(c.get("candidate", "")), c.get("sdpMid"), c.get("sdpMLineIndex"))
        elif kind == "chat":
            self._emit(ChatReceived(str(msg.get("name", ""))[:80], str(msg.get("text", ""))[:CHAT_MAX]))
        elif kind == "event":
            self._emit(StaffEvent(str(msg.get("from", "")), str(msg.get("name", ""))))
        elif kind == "error":
            log.warning("room service error: %s", msg.get("code"))
            if msg.get("code") != "unknown_peer":
                await self._end(EndReason.REFUSED, str(msg.get("code", "")))

    async def _monitor(self) -> None:
        """Watches incoming media: in call, reconnecting, or over. A link that has brought
        nothing for RECONNECT_AFTER_S (since it was made, or since its last frame) is stale."""
        while self.state not in (CallState.ENDED, CallState.IDLE):
            await asyncio.sleep(MONITOR_S)
            now = time.monotonic()
            links = list(self.links.values())
            live = [l for l in links if l.frames_received and now - l.last_media < RECONNECT_AFTER_S]
            stale = [l for l in links if now - l.last_media >= RECONNECT_AFTER_S]
            if live:
                self._was_in_call = True
            if live and not stale:
                self._no_media_since = None
                self._set_state(CallState.IN_CALL)
                continue
            if not stale:
                continue  # new connections still being set up
            if self._no_media_since is None:
                self._no_media_since = now - RECONNECT_AFTER_S
            if not live:
                if now - self._no_media_since >= self.give_up_s:
                    await self._end(EndReason.NETWORK)
                    return
                if self._was_in_call:
                    self._set_state(CallState.RECONNECTING)
            if self._signalling is not None and self._signalling.connected:
                for link in stale:
                    if now - self._last_offer.get(link.peer_id, 0.0) >= RETRY_OFFER_S and link.peer_id in self.remotes:
                        try:
                            await self._offer(link.peer_id)
                        except ConnectionError:
                            break

    def _frame(self, peer_id: str, frame: av.VideoFrame) -> None:
        self._emit(RemoteFrame(peer_id, frame.to_ndarray(format="rgb24")))

    def _document(self, peer_id: str, document: Document) -> None:
        self._emit(DocumentReceived(peer_id, document))

    async def _share(self, peer_id: str, document: Document) -> None:
        link = self.links.get(peer_id)
        if link is None:
            raise ConnectionError("that staff member is not in the call")
        await link.documents.send(document)

    def _set_muted(self, muted: bool) -> None:
        if self._audio is not None:
            self._audio.muted = muted
            self.loop.submit(self._send_quietly({"type": "event", "name": "muted" if muted else "unmuted"}))

    def _set_camera(self, on: bool) -> None:
        if self._video is not None:
            self._video.enabled = on
            for video in self._link_videos.values():
                video.enabled = on
            self.loop.submit(self._send_quietly({"type": "event", "name": "camera_on" if on else "camera_off"}))

    def _set_volume(self, volume: float) -> None:
        if self._mixer is not None:
            self._mixer.volume = volume

    async def _send_quietly(self, message: dict[str, Any]) -> None:
        try:
            await self._send(message)
        except ConnectionError:
            log.info("call: %s not sent (room service not connected)", message.get("type"))

    async def _end(self, reason: EndReason, detail: str = "") -> None:
        if self.state in (CallState.ENDED, CallState.IDLE):
            return
        if self._signalling is not None and self._signalling.connected and reason is not EndReason.REFUSED:
            await self._send_quietly({"type": "leave"})
        current = asyncio.current_task()
        for t in self._tasks:
            if t is not current:
                t.cancel()
        self._tasks = []
        await self._teardown()
        self._set_state(CallState.ENDED, reason, detail)

    async def _teardown(self) -> None:
        """Closes every connection and releases the camera and microphone."""
        for pid in list(self.links):
            await self._drop_link(pid)
        if self._signalling is not None:
            await self._signalling.close()
            self._signalling = None
        for track in (self._video, self._audio):
            if track is not None:
                track.stop()
        self._video = self._audio = None
        self._relay = None
        if self._mixer is not None:
            self._mixer.close()
            self._mixer = None
        self.remotes = {}
        self._last_offer = {}
