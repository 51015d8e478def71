"""The growing lock-out after wrong maintenance PINs; it survives a restart.

Wall-clock time (clock.time()) so that a restart, which resets monotonic time, does not
lift it. Written atomically; a damaged file locks rather than opens.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from session.clock import Clock

log = logging.getLogger(__name__)
MAX_LOCK_S = 24 * 3600


@dataclass
class _State:
    failures: int = 0
    locked_until: float = 0.0
    last_lock_s: float = 0.0


class Lockout:
    def __init__(self, path: Path, clock: Clock, free_tries: int = 5, base_s: float = 60.0) -> None:
        self.path = path
        self.clock = clock
        self.free_tries = free_tries
        self.base_s = base_s
        self._state = self._load()

    def _load(self) -> _State:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return _State(int(raw["failures"]), float(raw["locked_until"]), float(raw["last_lock_s"]))
        except FileNotFoundError:
            return _State()
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("maintenance lock-out file is damaged: locking for safety")
            state = _State(self.free_tries, self.clock.time() + self.base_s, self.base_s)
            self._state = state
            self._save()
            return state

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self._state)), encoding="utf-8")
        os.replace(tmp, self.path)

    def seconds_left(self) -> float:
        return max(0.0, self._state.locked_until - self.clock.time())

    def record_failure(self) -> tuple[bool, int]:
        """Returns (locked now, wrong PINs left before the next lock-out)."""
        s = self._state
        s.failures += 1
        if s.failures >= self.free_tries:
            s.last_lock_s = min(MAX_LOCK_S, s.last_lock_s * 2 if s.last_lock_s else self.base_s)
            s.locked_until = self.clock.time() + s.last_lock_s
            s.failures = self.free_tries - 1  # after a lock-out, the next wrong PIN locks again
            self._save()
            log.warning("maintenance locked for %d s after wrong PINs", int(s.last_lock_s))
            return True, 0
        self._save()
        return False, self.free_tries - s.failures

    def record_success(self) -> None:
        self._state = _State()
        self._save()
