"""The growing lock-out after wrong maintenance PINs; it survives a restart.

Wall-clock time (clock.time()) so that a restart, which resets monotonic time, does not
lift it. Written atomically; a damaged file locks rather than opens.
"""
from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from session.clock import Clock

log = logging.getLogger(__name__)
MAX_LOCK_S = 24 * 3600.0


@dataclass
class _State:
    failures: int = 0
    locked_until: float = 0.0
    last_lock_s: float = 0.0


def _parse(text: str) -> _State:
    raw = json.loads(text)
    state = _State(int(raw["failures"]), float(raw["locked_until"]), float(raw["last_lock_s"]))
    if state.failures < 0 or not (math.isfinite(state.locked_until) and 0 <= state.last_lock_s <= MAX_LOCK_S):
        raise ValueError("values out of range")
    return state


class Lockout:
    def __init__(self, path: Path, clock: Clock, free_tries: int = 5, base_s: float = 60.0) -> None:
        self.path = path
        self.clock = clock
        self.free_tries = free_tries
        self.base_s = base_s
        self._state = self._load()

    def _load(self) -> _State:
        try:
            return _parse(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _State()
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("maintenance lock-out file is damaged or unreadable: locking for safety")
            self._state = self._lock_state(self.base_s)
            self._save()
            return self._state

    def _lock_state(self, lock_s: float) -> _State:
        # One try short of the limit: after a lock-out, the next wrong PIN locks again.
        return _State(self.free_tries - 1, self.clock.time() + lock_s, lock_s)

    def _save(self) -> None:
        """A failed write is logged, not raised: maintenance mode must not take the kiosk down."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(asdict(self._state), f)
                f.flush()
                os.fsync(f.fileno())  # booths lose power; a half-written file would read as damaged
            os.replace(tmp, self.path)
        except OSError:
            log.exception("maintenance lock-out could not be saved; it holds until the kiosk restarts")

    def seconds_left(self) -> float:
        """Never more than the lock's own length, so a wall clock set back does not lock for days."""
        s = self._state
        return max(0.0, min(s.locked_until - self.clock.time(), s.last_lock_s))

    def record_failure(self) -> tuple[bool, int]:
        """Returns (locked now, wrong PINs left before the next lock-out)."""
        s = self._state
        if s.failures + 1 >= self.free_tries:
            lock_s = min(MAX_LOCK_S, s.last_lock_s * 2 if s.last_lock_s else self.base_s)
            self._state = self._lock_state(lock_s)
            self._save()
            log.warning("maintenance locked for %d s after wrong PINs", int(lock_s))
            return True, 0
        s.failures += 1
        self._save()
        return False, self.free_tries - s.failures

    def record_success(self) -> None:
        self._state = _State()
        self._save()
