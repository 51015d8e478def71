"""ID card inserted → the holder's first name on the home screen, over pcscd with the
virtual reader and card (tests/virtual_card; run inside scripts/test.sh's namespace or with
pcscd and vsmartcard-vpcd running), beside bare pyscard reading the same certificate.

Ours runs the real kiosk shell (offscreen Qt): watcher thread → queued signal → session
start → home title. The baseline is pyscard's plain CardRequest, connect and the same
APDUs, so the difference is what the kiosk adds on top of PC/SC itself.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, Result, attempt, median

GROUP = "card"
CARD = Figure(GROUP, "card_insert_to_name_ms", "ms", "< 500 ms", "pyscard_bare_read_ms")
FIGURES = [CARD]
ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 10.0


def run(quick: bool) -> list[Result]:
    return attempt(FIGURES, lambda: _measure(5 if quick else 20))


def _virtual_card():  # type: ignore[no-untyped-def]
    port = os.environ.get("VIRTU_TEST_VPCD_PORT")
    if not port:
        raise RuntimeError("VIRTU_TEST_VPCD_PORT is not set: start pcscd with the virtual reader (scripts/daemons.d/20-pcscd.sh)")
    sys.path.insert(0, str(ROOT / "tests"))
    import virtual_card

    return virtual_card, int(port)


def _measure(repetitions: int) -> list[Result]:
    vc, port = _virtual_card()
    behaviour = vc.Behaviour(certificate=vc.make_certificate(vc.HOLDERS["matti"]))
    ours = _kiosk_times(vc, port, behaviour, repetitions)
    base = _bare_times(vc, port, behaviour, repetitions)
    return [CARD.result(median(ours), median(base))]


def _insert_and_time(vc, port: int, behaviour, until) -> float:  # type: ignore[no-untyped-def]
    vc.wait_reader(present=False)
    card = vc.VirtualFineid(behaviour, port=port)
    start = time.perf_counter()
    card.insert()
    try:
        until(start)
        return (time.perf_counter() - start) * 1000
    finally:
        card.remove()


def _kiosk_times(vc, port: int, behaviour, repetitions: int) -> list[float]:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory(prefix="virtu-bench-card-") as tmp:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["VIRTU_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["VIRTU_RAM_DIR"] = str(Path(tmp) / "ram")
        from PySide6.QtWidgets import QApplication

        from kiosk.admin.log_buffer import setup_logging
        from kiosk.app import build_context
        from kiosk.config import KioskConfig
        from kiosk.qt_main import build_shell, make_application
        from session.clock import SystemClock
        from session.lifecycle import EndReason
        from session.paths import Paths

        app = QApplication.instance() or make_application()
        paths = Paths.from_env()
        paths.ensure()
        ctx = build_context(KioskConfig.demo(), None, paths, SystemClock(), True, setup_logging(paths))
        shell = build_shell(ctx, windowed=True)
        shell.show()
        home = shell.screens["home"]
        times = []
        try:
            for _ in range(repetitions):
                def greeted(start: float) -> None:
                    while "Matti" not in home.title.text() or shell.current != "home":
                        app.processEvents()
                        if time.perf_counter() - start > TIMEOUT_S:
                            raise TimeoutError("the name never appeared")
                        time.sleep(0.0005)

                times.append(_insert_and_time(vc, port, behaviour, greeted))
                ctx.lifecycle.end_now(EndReason.MAINTENANCE)
                app.processEvents()
        finally:
            shell.allow_close = True
            shell.close()
            ctx.card_reader.stop()
        return times


def _bare_times(vc, port: int, behaviour, repetitions: int) -> list[float]:  # type: ignore[no-untyped-def]
    from smartcard.CardRequest import CardRequest
    from smartcard.CardType import AnyCardType

    select_app = [0x00, 0xA4, 0x04, 0x0C, 0x0C, *bytes.fromhex("A000000063504B43532D3135")]
    select_ef = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x43, 0x31]

    def read(start: float) -> None:
        service = CardRequest(timeout=TIMEOUT_S, cardType=AnyCardType(), readers=[vc.VPCD_READER], newcardonly=False).waitforcard()
        conn = service.connection
        conn.connect()
        try:
            conn.transmit(select_app)
            conn.transmit(select_ef)
            head, _, _ = conn.transmit([0x00, 0xB0, 0x00, 0x00, 0x04])
            total = 4 + int.from_bytes(bytes(head[2:4]), "big")
            data = list(head)
            while len(data) < total:
                n = min(0xB5, total - len(data))
                chunk, _, _ = conn.transmit([0x00, 0xB0, (len(data) >> 8) & 0x7F, len(data) & 0xFF, n])
                data += chunk
        finally:
            conn.disconnect()

    return [_insert_and_time(vc, port, behaviour, read) for _ in range(repetitions)]
