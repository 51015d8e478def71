"""What can go wrong with Oma kansio, each with a kind the screens turn into plain words."""
from __future__ import annotations

import enum


class Problem(enum.Enum):
    SIGNED_OUT = "signed_out"        # 401: the sign-in ended or was refused
    NOT_ALLOWED = "not_allowed"      # 403
    NOT_FOUND = "not_found"          # 404: moved or deleted meanwhile
    CONFLICT = "conflict"            # 409: the folder it goes into is gone
    CHANGED = "changed"              # 412: someone changed it meanwhile
    LOCKED = "locked"                # 423: in use elsewhere
    FULL = "full"                    # 507: no space left in the folder
    SERVER = "server"                # 5xx: the service has a problem
    TIMEOUT = "timeout"
    OFFLINE = "offline"              # no connection at all
    BAD_ANSWER = "bad_answer"        # an answer that could not be trusted or read
    TOO_LARGE = "too_large"

    @classmethod
    def for_status(cls, status: int) -> "Problem":
        return {401: cls.SIGNED_OUT, 403: cls.NOT_ALLOWED, 404: cls.NOT_FOUND, 409: cls.CONFLICT,
                412: cls.CHANGED, 423: cls.LOCKED, 507: cls.FULL}.get(status, cls.SERVER)


class FolderError(Exception):
    """The message is English for the log and holds no file names or contents."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"Oma kansio: {problem.value}" + (f" ({detail})" if detail else ""))
        self.problem = problem
