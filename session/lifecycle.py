"""The session state machine: attract → active → ending → wiping → feedback → attract.

Plain Python driven by `tick()` and an injected clock, so the Qt shell only forwards
touches and a timer, and tests move time instead of waiting for it.
"""
from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from session.clock import Clock

log = logging.getLogger(__name__)


class State(enum.Enum):
    ATTRACT = "attract"
    ACTIVE = "active"
    ENDING = "ending"
    WIPING = "wiping"
    FEEDBACK = "feedback"


class EndReason(enum.Enum):
    RESIDENT = "resident"
    IDLE = "idle"
    MAX_LENGTH = "max_length"
    BOOKING = "booking"
    MAINTENANCE = "maintenance"
    CARD_REMOVED = "card_removed"


@dataclass(frozen=True)
class Limits:
    idle_warning_s: float = 90.0
    """No activity for this long shows the warning."""
    warning_s: float = 30.0
    """The warning counts down this long, then the session ends."""
    max_length_s: float = 3600.0
    ending_timeout_s: float = 60.0
    """The ending screen waits this long for an absent resident before wiping."""
    feedback_timeout_s: float = 20.0


@dataclass(frozen=True)
class Warning:
    seconds_left: int
    can_continue: bool
    """False near the maximum length: 'continue' would not help there."""


@dataclass
class PendingSave:
    """Something the resident chose to save that has not reached its destination."""

    kind: str  # a msgid in context "pending", e.g. "A scanned document for Oma kansio"
    retry: Callable[[], bool]
    discard: Callable[[], None]


@dataclass(frozen=True)
class WipeReport:
    failed: tuple[str, ...]
    discarded_unsaved: int


Listener = Callable[[State, State], None]


@dataclass
class _Session:
    started: float
    last_activity: float
    services: set[str] = field(default_factory=set)
    busy: dict[object, str] = field(default_factory=dict)
    end_reason: EndReason | None = None
    ending_since: float = 0.0


class Lifecycle:
    def __init__(self, clock: Clock, limits: Limits = Limits()) -> None:
        self._clock = clock
        self.limits = limits
        self._state = State.ATTRACT
        self._session: _Session | None = None
        self._listeners: list[Listener] = []
        self._start_hooks: list[tuple[str, Callable[[], None]]] = []
        self._cleanups: list[tuple[str, Callable[[], None]]] = []
        self._end_hooks: list[Callable[[float, frozenset[str], EndReason], None]] = []
        self._pending: list[PendingSave] = []
        self._feedback_since = 0.0
        self._lock = threading.RLock()  # busy marks may come from worker threads
        self.last_wipe: WipeReport | None = None

    # --- registration (done once by the composition root) -------------------------
    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def on_start(self, name: str, hook: Callable[[], None]) -> None:
        self._start_hooks.append((name, hook))

    def register_cleanup(self, name: str, cleanup: Callable[[], None]) -> None:
        """Each capability registers what the wipe must undo; they run in order of registration."""
        self._cleanups.append((name, cleanup))

    def on_end(self, hook: Callable[[float, frozenset[str], EndReason], None]) -> None:
        """Called with (length in seconds, services used, reason) when a session ends."""
        self._end_hooks.append(hook)

    # --- queries -------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def end_reason(self) -> EndReason | None:
        return self._session.end_reason if self._session else None

    def is_busy(self) -> bool:
        with self._lock:
            return bool(self._session and self._session.busy)

    def pending(self) -> list[PendingSave]:
        return list(self._pending)

    def warning(self) -> Warning | None:
        """The idle or maximum-length warning to show now, if any."""
        s = self._session
        if self._state is not State.ACTIVE or s is None:
            return None
        now = self._clock.monotonic()
        left_max = self.limits.max_length_s - (now - s.started)
        if left_max <= self.limits.warning_s:
            return Warning(max(0, int(left_max + 0.999)), can_continue=False)
        if self.is_busy():
            return None
        idle = now - s.last_activity
        if idle >= self.limits.idle_warning_s:
            left = self.limits.idle_warning_s + self.limits.warning_s - idle
            return Warning(max(0, int(left + 0.999)), can_continue=True)
        return None

    # --- inputs --------------------------------------------------------------------
    def start(self) -> bool:
        """A touch (or, later, a card) on the attract screen."""
        if self._state is not State.ATTRACT:
            return False
        now = self._clock.monotonic()
        self._session = _Session(started=now, last_activity=now)
        self._pending.clear()
        for _name, hook in self._start_hooks:
            hook()  # a failing start hook is a bug in our code: let it surface
        self._set(State.ACTIVE)
        log.info("session started")
        return True

    def activity(self) -> None:
        """Touch, key, card or device activity: resets the idle timer."""
        if self._session and self._state is State.ACTIVE:
            self._session.last_activity = self._clock.monotonic()

    def use_service(self, service: str) -> None:
        if self._session:
            self._session.services.add(service)

    def begin_busy(self, token: object, what: str) -> None:
        """A call, scan, print job or transfer is running: idle does not count meanwhile."""
        with self._lock:
            if self._session:
                self._session.busy[token] = what

    def end_busy(self, token: object) -> None:
        with self._lock:
            if self._session and self._session.busy.pop(token, None) is not None:
                self._session.last_activity = self._clock.monotonic()

    def add_pending(self, item: PendingSave) -> None:
        self._pending.append(item)

    def retry_pending(self) -> int:
        """Retries every unsaved item; returns how many are still unsaved."""
        still = []
        for item in self._pending:
            try:
                ok = item.retry()
            except Exception:
                log.exception("retry of an unsaved item failed")
                ok = False
            if not ok:
                still.append(item)
        self._pending = still
        return len(still)

    def discard_pending(self) -> None:
        for item in self._pending:
            try:
                item.discard()
            except Exception:
                log.exception("discarding an unsaved item failed")
        self._pending.clear()

    def request_end(self, reason: EndReason) -> None:
        if self._state is not State.ACTIVE or self._session is None:
            return
        self._session.end_reason = reason
        self._session.ending_since = self._clock.monotonic()
        log.info("session ending: %s", reason.value)
        self._set(State.ENDING)

    def cancel_end(self) -> None:
        """The resident chose to go on (possible unless the maximum length was reached)."""
        s = self._session
        if self._state is not State.ENDING or s is None or s.end_reason is EndReason.MAX_LENGTH:
            return
        s.end_reason = None
        s.last_activity = self._clock.monotonic()
        self._set(State.ACTIVE)

    def confirm_end(self) -> WipeReport:
        """Wipe now. Unsaved items the resident was shown and left are discarded."""
        if self._state is not State.ENDING or self._session is None:
            raise RuntimeError(f"confirm_end in state {self._state.value}")
        discarded = len(self._pending)
        if discarded:
            log.warning("session ended with %d unsaved item(s) discarded", discarded)
            self.discard_pending()
        s = self._session
        length = self._clock.monotonic() - s.started
        reason = s.end_reason or EndReason.RESIDENT
        self._set(State.WIPING)
        failed = []
        for name, cleanup in self._cleanups:
            try:
                cleanup()
            except Exception:
                # One failing clean-up must not keep the others from running.
                log.exception("clean-up %s failed", name)
                failed.append(name)
        for hook in self._end_hooks:
            try:
                hook(length, frozenset(s.services), reason)
            except Exception:
                log.exception("end-of-session hook failed")
        self._session = None
        self.last_wipe = WipeReport(tuple(failed), discarded)
        log.info("session wiped in state %s; %d clean-up(s) failed", reason.value, len(failed))
        self._feedback_since = self._clock.monotonic()
        self._set(State.FEEDBACK)
        return self.last_wipe

    def end_now(self, reason: EndReason) -> None:
        """A contact person's or an orderly exit's end: no questions, wiped at once, back to attract."""
        if self._state is State.ACTIVE:
            self.request_end(reason)
        if self._state is State.ENDING:
            self.confirm_end()
        self.finish_feedback()

    def finish_feedback(self) -> None:
        if self._state is State.FEEDBACK:
            self._set(State.ATTRACT)

    def tick(self) -> None:
        """Evaluate the timers; the shell calls this a few times a second."""
        now = self._clock.monotonic()
        s = self._session
        if self._state is State.ACTIVE and s is not None:
            if now - s.started >= self.limits.max_length_s:
                self.request_end(EndReason.MAX_LENGTH)
            elif not self.is_busy() and now - s.last_activity >= self.limits.idle_warning_s + self.limits.warning_s:
                self.request_end(EndReason.IDLE)
        elif self._state is State.ENDING and s is not None:
            if now - s.ending_since >= self.limits.ending_timeout_s:
                self.confirm_end()
        elif self._state is State.FEEDBACK:
            if now - self._feedback_since >= self.limits.feedback_timeout_s:
                self.finish_feedback()

    def _set(self, new: State) -> None:
        old, self._state = self._state, new
        for listener in list(self._listeners):
            listener(old, new)
