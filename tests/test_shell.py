"""A resident's and a contact person's paths through the kiosk, offscreen, on a manual clock."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.screens.home import TILES
from session.lifecycle import State
from session.vault import VaultClosed

pytestmark = pytest.mark.qt


def visible_texts(widget: QWidget) -> list[str]:
    out = []
    for w in widget.findChildren(QWidget):
        if not w.isVisibleTo(widget):
            continue
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            out.append(w.text())
    return out


def touch(widget: QWidget, pos: QPoint | None = None) -> None:
    """A touch as the platform delivers it: to the top-level window, which routes it on."""
    window = widget.window()
    QApplication.processEvents()  # let a screen just shown finish its layout, as a person's eye would
    point = widget.mapTo(window, pos if pos is not None else widget.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.LeftButton, Qt.NoModifier, point)


def click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    assert widget.isVisible() and widget.isEnabled(), f"{widget.objectName() or widget.text()} is not clickable"
    touch(widget)


def start(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert kiosk.shell.current == "attract"
    click(qtbot, kiosk.shell.screens["attract"])
    assert kiosk.shell.current == "home"


def test_attract_to_home_to_every_tile_and_back(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    home = shell.screens["home"]
    for service, target in TILES:
        click(qtbot, home.tiles[service])
        assert shell.current == target
        texts = " ".join(visible_texts(shell))
        if target == "unavailable":
            assert "ei ole vielä käytettävissä" in texts  # Finnish is the demo's default
        click(qtbot, shell.home_button)
        assert shell.current == "home"
    assert kiosk.ctx.lifecycle.state is State.ACTIVE


def test_language_switch_is_instant_and_keeps_the_screen(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    click(qtbot, shell.screens["home"].tiles["help"])
    click(qtbot, shell.language_buttons["sv"])
    assert shell.current == "help"
    assert shell.screens["help"].title.text() == "Hjälp"
    assert shell.end_button.text() == "Avsluta besöket"
    click(qtbot, shell.language_buttons["se"])
    assert shell.current == "help"
    assert shell.screens["help"].title.text() == "Veahkki"
    click(qtbot, shell.language_buttons["en"])
    assert shell.screens["help"].title.text() == "Help"


def test_idle_warning_counts_down_and_continue_keeps_the_session(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    kiosk.tick(89)
    assert not shell.idle_overlay.isVisible()
    kiosk.tick(1)
    assert shell.idle_overlay.isVisible()
    assert shell.idle_overlay.countdown.text() == "30"
    kiosk.tick(12)
    assert shell.idle_overlay.countdown.text() == "18"
    click(qtbot, shell.idle_overlay.continue_button)
    kiosk.tick()
    assert not shell.idle_overlay.isVisible()
    assert shell.current == "home"


def test_idle_time_out_ends_wipes_and_returns_to_attract(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell, ctx = kiosk.shell, kiosk.ctx
    start(kiosk, qtbot)
    vault = ctx.vault
    vault.write_bytes("hakemus.pdf", b"%PDF resident data")
    kiosk.tick(120)
    assert shell.current == "ending"
    assert "1" in shell.screens["ending"].removed.text()  # one document will be removed
    kiosk.tick(ctx.lifecycle.limits.ending_timeout_s)
    assert shell.current == "feedback"
    assert ctx.vault is None
    with pytest.raises(VaultClosed):
        vault.read_bytes("hakemus.pdf")
    kiosk.tick(ctx.lifecycle.limits.feedback_timeout_s)
    assert shell.current == "attract"


def test_end_session_asks_then_wipes_and_feedback_is_counted(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell, ctx = kiosk.shell, kiosk.ctx
    start(kiosk, qtbot)
    click(qtbot, shell.end_button)
    assert shell.current == "ending"
    click(qtbot, shell.screens["ending"].continue_button)
    assert shell.current == "home"
    click(qtbot, shell.end_button)
    click(qtbot, shell.screens["ending"].end_button)
    assert shell.current == "feedback"
    click(qtbot, shell.screens["feedback"].faces[3])
    assert shell.current == "attract"
    assert ctx.stats.today().sessions == 1
    assert ctx.stats.feedback_today() == {4: 1}


def test_preferences_reset_when_the_session_ends(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk import i18n
    from kiosk.theme import TextSize

    shell = kiosk.shell
    start(kiosk, qtbot)
    click(qtbot, shell.language_buttons["en"])
    click(qtbot, shell.text_size_button)
    click(qtbot, shell.contrast_button)
    assert shell.theme.size is TextSize.LARGE and shell.theme.high_contrast
    assert shell.screens["home"].tiles["call"].font().pixelSize() >= 28
    click(qtbot, shell.end_button)
    click(qtbot, shell.screens["ending"].end_button)
    assert i18n.language() == "en"  # the feedback question comes in the resident's language
    click(qtbot, shell.screens["feedback"].skip)
    assert shell.current == "attract"
    assert i18n.language() == "fi"
    assert shell.theme.size is TextSize.NORMAL and not shell.theme.high_contrast
    assert not shell.contrast_button.isChecked()


def test_window_cannot_be_closed_and_escape_does_nothing(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    event = QCloseEvent()
    shell.closeEvent(event)
    assert not event.isAccepted()
    assert not shell.close()  # what Alt+F4 and the window manager's close button ask for
    assert shell.isVisible()
    for key, mod in [(Qt.Key_Escape, Qt.NoModifier), (Qt.Key_W, Qt.ControlModifier), (Qt.Key_Q, Qt.ControlModifier), (Qt.Key_F4, Qt.AltModifier)]:
        qtbot.keyClick(shell.screens["home"].tiles["call"], key, mod)
        assert shell.isVisible()
    assert shell.current == "home"


def test_no_context_menus_or_selectable_text_anywhere(kiosk) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    for w in [shell, *shell.findChildren(QWidget)]:
        assert w.contextMenuPolicy() == Qt.NoContextMenu, w.objectName() or type(w).__name__
        if isinstance(w, QLabel):
            assert w.textInteractionFlags() == Qt.NoTextInteraction


def test_tab_reaches_every_button_and_enter_presses_it(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    home = shell.screens["home"]
    home.tiles["call"].setFocus()
    reached = set()
    for _ in range(40):
        reached.add(shell.focusWidget())
        qtbot.keyClick(shell.focusWidget(), Qt.Key_Tab)
    for service in home.tiles:
        assert home.tiles[service] in reached, service
    assert shell.end_button in reached
    assert all(b in reached for b in shell.language_buttons.values())
    home.tiles["help"].setFocus()
    qtbot.keyClick(home.tiles["help"], Qt.Key_Return)
    qtbot.waitUntil(lambda: shell.current == "help", timeout=1000)


def test_touch_targets_are_at_least_15_mm(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    for name in ("home", "help", "ending"):
        if name == "ending":
            click(qtbot, shell.end_button)
        else:
            shell.navigate(name)
        for b in shell.findChildren(QAbstractButton):
            if b.isVisibleTo(shell):
                assert b.height() >= 57 and b.width() >= 57, f"{name}: {b.text()!r} is {b.width()}×{b.height()}"


def test_cleaning_lock_ignores_touches_for_30_seconds(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    click(qtbot, shell.screens["attract"].clean_button)
    assert shell.cleaning.isVisible()
    touch(shell.screens["attract"])
    touch(shell.language_buttons["sv"])
    assert shell.current == "attract"
    assert kiosk.ctx.lifecycle.state is State.ATTRACT
    assert not shell.language_buttons["sv"].isChecked()
    kiosk.tick(29)
    assert shell.cleaning.isVisible() and shell.cleaning.countdown.text() == "1"
    kiosk.tick(1)
    assert not shell.cleaning.isVisible()
    click(qtbot, shell.screens["attract"])
    assert shell.current == "home"


def test_holding_the_top_left_corner_5_s_opens_maintenance(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    QTest.mousePress(shell.windowHandle(), Qt.LeftButton, Qt.NoModifier, QPoint(20, 20))
    kiosk.tick(4)
    assert shell.current == "attract"
    kiosk.tick(1)
    assert shell.current == "maintenance"
    QTest.mouseRelease(shell.windowHandle(), Qt.LeftButton, Qt.NoModifier, QPoint(20, 20))


def test_a_short_corner_touch_does_not_open_maintenance(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    QTest.mousePress(shell.windowHandle(), Qt.LeftButton, Qt.NoModifier, QPoint(20, 20))
    kiosk.tick(2)
    QTest.mouseRelease(shell.windowHandle(), Qt.LeftButton, Qt.NoModifier, QPoint(20, 20))
    kiosk.tick(5)
    assert shell.current != "maintenance"


def enter_pin(qtbot, pad, pin: str) -> None:  # type: ignore[no-untyped-def]
    for d in pin:
        click(qtbot, pad.digit_buttons[d])
    click(qtbot, pad.ok)


def open_dashboard(kiosk, qtbot):  # type: ignore[no-untyped-def]
    """Maintenance with the demo PIN, as a contact person opens it."""
    kiosk.shell.open_maintenance()
    m = kiosk.shell.screens["maintenance"]
    enter_pin(qtbot, m.pin_pad, "1234")
    assert m.pages.currentIndex() == 1
    return m


def test_maintenance_with_right_pin_shows_health_logs_and_version(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    qtbot.keyClick(shell.screens["attract"], Qt.Key_M, Qt.ControlModifier | Qt.AltModifier)
    assert shell.current == "maintenance"
    m = shell.screens["maintenance"]
    assert m.pin_message.text() == "Syötä huoltotilan PIN-koodi."
    enter_pin(qtbot, m.pin_pad, "1234")
    assert m.pages.currentIndex() == 1
    assert "0.1.0" in m.about.text()
    assert "OK" in m.health_list.text() or "Osittain" in m.health_list.text()
    assert "maintenance opened" in m.logs.toPlainText()
    assert "1234" not in m.logs.toPlainText()
    click(qtbot, m.actions["close"])
    assert shell.current == "attract"


def test_wrong_pins_count_down_then_lock_out_across_a_restart(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    shell.open_maintenance()
    m = shell.screens["maintenance"]
    for left in (4, 3, 2, 1):
        enter_pin(qtbot, m.pin_pad, "9999")
        assert f": {left}." in m.pin_message.text()
    enter_pin(qtbot, m.pin_pad, "9999")
    assert "1 min" in m.pin_message.text()
    enter_pin(qtbot, m.pin_pad, "1234")  # even the right PIN waits out the lock-out
    assert m.pages.currentIndex() == 0
    # A restart reads the lock-out back from disk.
    from kiosk.admin.lockout import Lockout

    again = Lockout(kiosk.ctx.paths.lockout_file, kiosk.clock)
    assert again.seconds_left() > 0
    kiosk.tick(61)
    enter_pin(qtbot, m.pin_pad, "1234")
    assert m.pages.currentIndex() == 1


def test_maintenance_ends_the_current_session(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell, ctx = kiosk.shell, kiosk.ctx
    start(kiosk, qtbot)
    ctx.vault.write_bytes("x", b"resident")
    m = open_dashboard(kiosk, qtbot)
    click(qtbot, m.actions["end_session"])
    assert ctx.lifecycle.state is State.ATTRACT
    assert ctx.vault is None
    click(qtbot, m.actions["close"])
    assert shell.current == "attract"


def test_test_sound_reaches_the_speaker_and_is_not_silent(kiosk, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from devices.audio import read_wav, rms

    sink = tmp_path / "speaker.wav"
    monkeypatch.setenv("VIRTU_AUDIO_SINK", str(sink))
    m = open_dashboard(kiosk, qtbot)
    click(qtbot, m.actions["test_sound"])
    assert rms(read_wav(sink)) > 0.1


def test_statistics_export_from_maintenance(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    shell = kiosk.shell
    start(kiosk, qtbot)
    click(qtbot, shell.screens["home"].tiles["scan"])
    kiosk.tick(125)  # idle out
    kiosk.tick(60)
    m = open_dashboard(kiosk, qtbot)
    click(qtbot, m.actions["export"])
    exported = list((kiosk.ctx.paths.data / "exports").glob("usage-*.csv"))
    assert len(exported) == 1
    text = exported[0].read_text()
    assert "sessions" in text.splitlines()[0] and "scan" in text.splitlines()[0]


def test_closed_outside_opening_hours(qapp, private_dirs) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import datetime as dt

    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import KioskConfig
    from kiosk.qt_main import build_shell
    from session.clock import ManualClock
    from session.paths import Paths

    # Monday 2027-01-04 07:59 local time; open 08:00-16:00 on weekdays.
    start_wall = dt.datetime(2027, 1, 4, 7, 59).timestamp()
    cfg = dataclasses.replace(KioskConfig.demo(), opening_hours={d: "08:00-16:00" for d in ("mon", "tue", "wed", "thu", "fri")})
    paths = Paths.from_env()
    paths.ensure()
    clock = ManualClock(start_wall=start_wall)
    ctx = build_context(cfg, None, paths, clock, True, setup_logging(paths, 20))
    shell = build_shell(ctx, windowed=True)
    shell.timer.stop()
    assert shell.current == "closed"
    assert "08.00–16.00" in shell.screens["closed"].hours.text()
    clock.advance(60)
    shell.tick()
    assert shell.current == "attract"
    shell.allow_close = True
    shell.close()


def test_attract_says_touch_to_start_in_every_offered_language(kiosk) -> None:  # type: ignore[no-untyped-def]
    lines = {lab.property("lang"): lab.text() for lab in kiosk.shell.screens["attract"].lines}
    assert lines == {
        "fi": "Aloita koskettamalla näyttöä",
        "sv": "Rör vid skärmen för att börja",
        "se": "Guoskkat šearpma vai álggahat",
        "en": "Touch the screen to start",
    }


@pytest.mark.parametrize("contrast", [False, True])
def test_every_screen_fits_a_full_hd_booth_screen_at_every_text_size(kiosk, qtbot, contrast: bool) -> None:  # type: ignore[no-untyped-def]
    from kiosk.theme import TextSize, Theme

    shell = kiosk.shell
    start(kiosk, qtbot)
    for size in TextSize:
        for lang in ("fi", "se"):
            shell.apply_theme(Theme(size, contrast))
            shell.set_language(lang)
            for name in ("home", "help", "unavailable", "ending", "card_pin", "call_check", "call", "internet", "folder", "scan", "print", "copy", "maintenance"):
                if name == "maintenance":
                    shell.open_maintenance()
                    shell.screens["maintenance"].show_dashboard()
                else:
                    shell.navigate(name)
                shell.resize(1920, 1080)
                QApplication.processEvents()
                where = f"{name} at {size.name} in {lang}"
                assert (shell.width(), shell.height()) == (1920, 1080), where
                for w in shell.findChildren(QLabel):
                    if w.isVisibleTo(shell) and w.wordWrap() and w.text():
                        assert w.height() >= w.heightForWidth(w.width()), f"{where}: text cut in {w.text()[:40]!r}"
                for b in shell.findChildren(QAbstractButton):
                    if b.isVisibleTo(shell):
                        assert b.height() >= 57, f"{where}: {b.text()!r} is {b.height()} px high"
                if name == "maintenance":
                    shell.close_maintenance()


@pytest.mark.parametrize(("action", "code"), [("stop", 75), ("restart", 76)])
def test_stop_for_servicing_and_restart_wipe_then_exit_with_their_status(kiosk, qtbot, monkeypatch, action: str, code: int) -> None:  # type: ignore[no-untyped-def]
    from kiosk.screens import maintenance

    exits: list[int] = []
    monkeypatch.setattr(maintenance.QApplication, "exit", staticmethod(exits.append))
    ctx = kiosk.ctx
    start(kiosk, qtbot)
    ctx.vault.write_bytes("x.pdf", b"resident")
    m = open_dashboard(kiosk, qtbot)
    click(qtbot, m.actions[action])
    assert exits == [code]
    assert ctx.vault is None and ctx.lifecycle.state is State.ATTRACT


def test_without_libvlc_the_attract_screen_shows_the_still_and_logs_why(qapp, private_dirs, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from kiosk.admin.log_buffer import setup_logging
    from kiosk.app import build_context
    from kiosk.config import KioskConfig
    from kiosk.media.vlc_frames import VlcFrameSource
    from kiosk.qt_main import build_shell
    from session.clock import ManualClock
    from session.paths import Paths

    monkeypatch.setattr(VlcFrameSource, "available", staticmethod(lambda: False))
    paths = Paths.from_env()
    paths.ensure()
    ctx = build_context(KioskConfig.demo(), None, paths, ManualClock(), True, setup_logging(paths, 20))
    shell = build_shell(ctx, windowed=True)
    shell.resize(1920, 1080)
    shell.show()
    qtbot_wait = QTest.qWait
    qtbot_wait(50)
    attract = shell.screens["attract"]
    assert attract.source is None
    image = attract.video.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 3)
    assert centre.value() < 200  # the dark northern-sky still, not an empty widget
    assert "attract video unavailable" in caplog.text
    health = {h.subsystem: h for h in ctx.health()}
    assert health["video"].state.value == "degraded"
    shell.allow_close = True
    shell.close()
