"""The session state machine, driven through the injectable clock."""
from __future__ import annotations

import pytest

from session.clock import ManualClock
from session.lifecycle import EndReason, Lifecycle, Limits, PendingSave, State


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def lc(clock: ManualClock) -> Lifecycle:
    return Lifecycle(clock, Limits(idle_warning_s=90, warning_s=30, max_length_s=3600))


def test_full_cycle_runs_every_cleanup_once(lc: Lifecycle) -> None:
    seen: list[tuple[str, str]] = []
    lc.on_change(lambda old, new: seen.append((old.value, new.value)))
    ran: list[str] = []
    lc.register_cleanup("files", lambda: ran.append("files"))
    lc.register_cleanup("identity", lambda: ran.append("identity"))
    assert lc.start()
    lc.request_end(EndReason.RESIDENT)
    report = lc.confirm_end()
    lc.finish_feedback()
    assert seen == [
        ("attract", "active"),
        ("active", "ending"),
        ("ending", "wiping"),
        ("wiping", "feedback"),
        ("feedback", "attract"),
    ]
    assert ran == ["files", "identity"]
    assert report.failed == ()


def test_a_failing_cleanup_does_not_stop_the_others(lc: Lifecycle, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise OSError("disk on fire")

    lc.register_cleanup("broken", broken)
    lc.register_cleanup("clipboard", lambda: ran.append("clipboard"))
    lc.start()
    lc.request_end(EndReason.RESIDENT)
    report = lc.confirm_end()
    assert ran == ["clipboard"]
    assert report.failed == ("broken",)
    assert lc.state is State.FEEDBACK
    assert "clean-up broken failed" in caplog.text


def test_idle_warning_counts_down_then_ends(lc: Lifecycle, clock: ManualClock) -> None:
    lc.start()
    clock.advance(89)
    lc.tick()
    assert lc.warning() is None
    clock.advance(1)
    w = lc.warning()
    assert w is not None and w.seconds_left == 30 and w.can_continue
    clock.advance(20)
    lc.tick()
    assert lc.warning().seconds_left == 10
    assert lc.state is State.ACTIVE
    clock.advance(10)
    lc.tick()
    assert lc.state is State.ENDING
    assert lc.end_reason is EndReason.IDLE


def test_activity_during_the_warning_continues(lc: Lifecycle, clock: ManualClock) -> None:
    lc.start()
    clock.advance(100)
    assert lc.warning() is not None
    lc.activity()
    assert lc.warning() is None
    clock.advance(89)
    lc.tick()
    assert lc.state is State.ACTIVE


def test_busy_pauses_the_idle_timer(lc: Lifecycle, clock: ManualClock) -> None:
    lc.start()
    token = object()
    lc.begin_busy(token, "scan")
    clock.advance(600)
    lc.tick()
    assert lc.state is State.ACTIVE and lc.warning() is None
    lc.end_busy(token)
    clock.advance(89)
    lc.tick()
    assert lc.warning() is None
    clock.advance(31 + 1)
    lc.tick()
    assert lc.state is State.ENDING


def test_maximum_length_warns_without_continue_and_ends(lc: Lifecycle, clock: ManualClock) -> None:
    lc.start()
    token = object()
    lc.begin_busy(token, "call")  # even a running call cannot extend past the maximum
    clock.advance(3600 - 30)
    w = lc.warning()
    assert w is not None and not w.can_continue
    clock.advance(30)
    lc.tick()
    assert lc.state is State.ENDING and lc.end_reason is EndReason.MAX_LENGTH
    lc.cancel_end()
    assert lc.state is State.ENDING  # no way to continue past the maximum


def test_resident_can_change_their_mind(lc: Lifecycle) -> None:
    lc.start()
    lc.request_end(EndReason.RESIDENT)
    lc.cancel_end()
    assert lc.state is State.ACTIVE


def test_an_unattended_ending_wipes_after_its_timeout(lc: Lifecycle, clock: ManualClock) -> None:
    lc.start()
    lc.request_end(EndReason.IDLE)
    clock.advance(lc.limits.ending_timeout_s)
    lc.tick()
    assert lc.state is State.FEEDBACK
    clock.advance(lc.limits.feedback_timeout_s)
    lc.tick()
    assert lc.state is State.ATTRACT


def test_unsaved_items_can_be_retried_or_discarded(lc: Lifecycle) -> None:
    attempts = {"n": 0}
    discarded: list[str] = []

    def retry() -> bool:
        attempts["n"] += 1
        return attempts["n"] >= 2

    lc.start()
    lc.add_pending(PendingSave("A scanned document", retry, lambda: discarded.append("scan")))
    lc.add_pending(PendingSave("A download", lambda: False, lambda: discarded.append("download")))
    lc.request_end(EndReason.RESIDENT)
    assert lc.retry_pending() == 2
    assert lc.retry_pending() == 1
    assert [p.kind for p in lc.pending()] == ["A download"]
    report = lc.confirm_end()
    assert report.discarded_unsaved == 1
    assert discarded == ["download"]


def test_end_hook_gets_length_and_services(lc: Lifecycle, clock: ManualClock) -> None:
    got = []
    lc.on_end(lambda length, services, reason: got.append((length, services, reason)))
    lc.start()
    lc.use_service("scan")
    lc.use_service("help")
    clock.advance(125)
    lc.request_end(EndReason.RESIDENT)
    lc.confirm_end()
    assert got == [(125, frozenset({"scan", "help"}), EndReason.RESIDENT)]


def test_start_only_from_attract(lc: Lifecycle) -> None:
    assert lc.start()
    assert not lc.start()


def test_end_now_wipes_from_any_state_and_returns_to_attract(lc: Lifecycle) -> None:
    wiped: list[str] = []
    lc.register_cleanup("files", lambda: wiped.append("files"))
    lc.end_now(EndReason.MAINTENANCE)  # nothing running: nothing to do
    assert lc.state is State.ATTRACT and wiped == []
    lc.start()
    lc.add_pending(PendingSave("A scan", lambda: False, lambda: wiped.append("pending")))
    lc.end_now(EndReason.MAINTENANCE)
    assert lc.state is State.ATTRACT
    assert wiped == ["pending", "files"]
    assert lc.last_wipe.discarded_unsaved == 1
