"""Each kind of configuration error names the file, the key and what is expected."""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, KioskConfig, load, opening_intervals

GOOD = """
[booth]
id = "ranua-1"
name = "Ranuan Virtu-piste"
place = "Kunnantalo"
contact_phone = "+358 40 123 4567"

[languages]
offered = ["fi", "sv", "se"]
default = "se"

[session]
idle_warning_s = 60
warning_s = 20
max_length_min = 45

[opening_hours]
mon = "08:00-16:00"
sat = "closed"

[web]
allowed_sites = ["kela.fi", "ranua.fi"]

[services]
room_service_url = "https://virtu.example/rooms/"
oma_kansio_url = "https://virtu.example/dav/"

[devices]
printer = "kioskprinter"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_good_file_loads_into_typed_values(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, GOOD))
    assert cfg.booth.name == "Ranuan Virtu-piste"
    assert cfg.languages.default == "se"
    assert cfg.session.max_length_min == 45
    assert cfg.web.allowed_sites == ["kela.fi", "ranua.fi"]
    assert cfg.devices.printer == "kioskprinter" and cfg.devices.camera == "auto"
    assert opening_intervals(cfg, 0) == [(480, 960)]
    assert opening_intervals(cfg, 5) == []
    assert opening_intervals(cfg, 6) == []  # not listed: closed
    assert cfg.source.endswith("kiosk.toml")


def test_demo_needs_no_file() -> None:
    cfg = KioskConfig.demo()
    assert cfg.languages.offered == ["fi", "sv", "se", "en"]
    assert opening_intervals(cfg, 0) is None


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('place = "Kunnantalo"', 'place = "Kunnantalo"\ncolour = "red"'), "unknown key booth.colour"),
        (lambda t: t.replace("idle_warning_s = 60", 'idle_warning_s = "60"'), "session.idle_warning_s must be a whole number"),
        (lambda t: t.replace('id = "ranua-1"\n', ""), "booth.id is missing"),
        (lambda t: t.replace('default = "se"', 'default = "de"'), "languages.default must be one of"),
        (lambda t: t.replace('mon = "08:00-16:00"', 'mon = "8-16"'), "opening_hours.mon must be like"),
        (lambda t: t.replace('sat = "closed"', 'someday = "closed"'), "opening_hours.someday is not a weekday"),
        (lambda t: t.replace("https://virtu.example/dav/", "ftp://x"), "services.oma_kansio_url must be an http"),
        (lambda t: t.replace('["kela.fi", "ranua.fi"]', '"kela.fi"'), "web.allowed_sites must be a list"),
        (lambda t: t + "\n[secrets]\npin = 1\n", "unknown key secrets"),
        (lambda t: t.replace("max_length_min = 45", "max_length_min = 0"), "session.max_length_min must be more than 0"),
        (lambda t: t.replace("[booth]", "[booth"), "is not valid TOML"),
        (lambda t: t.replace('printer = "kioskprinter"', 'keyboard_layout = "de"'), "devices.keyboard_layout must be"),
    ],
)
def test_each_error_names_file_key_and_expectation(tmp_path: Path, edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(ConfigError) as err:
        load(path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.toml")


def test_the_documented_example_loads() -> None:
    example = Path(__file__).resolve().parent.parent / "docs" / "kiosk.example.toml"
    cfg = load(example)
    assert cfg.booth.id == "ranua-1"
    assert opening_intervals(cfg, 3) == [(480, 1080)]
