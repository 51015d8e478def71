"""The booth's TOML configuration, validated into typed dataclasses at start-up.

Secrets never live here: they go through keyring. Every error names the file, the key
and what was expected, because the reader is a municipality's IT person at a booth.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

LANGUAGES = ("fi", "sv", "se", "en")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class ConfigError(Exception):
    """Start-up stops with this message; it is meant for people, not for a traceback."""


@dataclass(frozen=True)
class Booth:
    id: str
    name: str
    place: str = ""
    contact_phone: str = ""
    """Where a resident gets help when the booth is closed or broken."""


@dataclass(frozen=True)
class Languages:
    offered: list[str] = field(default_factory=lambda: list(LANGUAGES))
    default: str = "fi"


@dataclass(frozen=True)
class SessionLimits:
    idle_warning_s: int = 90
    warning_s: int = 30
    max_length_min: int = 60
    print_pages: int = 30
    """Pages one session may print (copies count)."""


@dataclass(frozen=True)
class Web:
    allowed_sites: list[str] = field(
        default_factory=lambda: ["kela.fi", "suomi.fi", "omakanta.fi", "virtu.fi", "tyomarkkinatori.fi", "vero.fi"]
    )
    """Sites (and their subdomains) the resident can open; add the municipality's own."""
    resource_hosts: list[str] = field(default_factory=list)
    """Hosts the allowed pages load from or redirect through (CDNs, identification
    services outside the allowed sites) but the resident cannot open directly."""
    media_sites: list[str] = field(default_factory=list)
    """Origins ("https://host") allowed to use the camera and microphone (video services)."""


@dataclass(frozen=True)
class Services:
    room_service_url: str = "http://127.0.0.1:8780/"
    oma_kansio_url: str = "http://127.0.0.1:8790/"
    """The folder service: its sign-in under /signin/, the WebDAV folder under /dav/."""
    appointments_url: str = ""
    """The booking system's iCalendar feed of this booth's appointments; "" = none."""


@dataclass(frozen=True)
class Devices:
    camera: str = "auto"
    card_reader: str = "auto"
    """"auto" watches every PC/SC reader; "none" turns ID cards off."""
    card_removed: str = "ask"
    """Taking the resident's ID card out: "ask" whether to end the session, or "end" it at once."""
    microphone: str = "auto"
    """"auto" (the system's default input), "none", or a WAV file standing in for it (tests, demos)."""
    scanner: str = "auto"
    printer: str = "auto"
    keyboard_layout: str = "fi"
    """The booth's keymap ("fi", "sv" or "us"): a US-layout barcode scanner's text is repaired for it."""


@dataclass(frozen=True)
class Messages:
    home: dict[str, str] = field(default_factory=dict)
    """A notice on the home screen by language ("fi", "sv", "se", "en"): a holiday, a
    broken printer. A language without one shows the default language's."""


@dataclass(frozen=True)
class Fleet:
    server_url: str = ""
    """The fleet service (`virtu-server serve --database`): health reports every minute and
    the signed configuration; "" = this booth runs on its local file alone."""
    admin_public_key: str = ""
    """The admins' Ed25519 public key (base64, from `virtu-server config-key`): only a
    configuration signed by it is taken."""


@dataclass(frozen=True)
class KioskConfig:
    booth: Booth
    languages: Languages = field(default_factory=Languages)
    session: SessionLimits = field(default_factory=SessionLimits)
    opening_hours: dict[str, str] = field(default_factory=dict)
    """Weekday ("mon".."sun") → "HH:MM-HH:MM" or "closed". Empty: always open."""
    web: Web = field(default_factory=Web)
    services: Services = field(default_factory=Services)
    devices: Devices = field(default_factory=Devices)
    messages: Messages = field(default_factory=Messages)
    fleet: Fleet = field(default_factory=Fleet)
    source: str = "built-in demo defaults"

    @classmethod
    def demo(cls) -> "KioskConfig":
        return cls(
            booth=Booth(
                id="demo-1",
                name="Virtu demo",
                place="Rovaniemi",
                contact_phone="+358 40 000 0000",
            )
        )


def load(path: Path) -> KioskConfig:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: the configuration file does not exist") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read ({e.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: is not valid TOML: {e}") from None
    data.pop("source", None)
    cfg = _build(KioskConfig, data, str(path), "")
    return dataclasses.replace(cfg, source=str(path))


def with_overrides(cfg: KioskConfig, overrides: dict, origin: str) -> KioskConfig:
    """The booth's configuration with the signed remote one's keys laid over it, checked by
    the same rules as the file. Tables ([web], [messages]) merge key by key; a value, even a
    table of texts like opening_hours or messages.home, is replaced whole."""
    data = dataclasses.asdict(cfg)
    data.pop("source", None)
    for key, value in overrides.items():
        if isinstance(value, dict) and dataclasses.is_dataclass(getattr(cfg, key, None)):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    merged = _build(KioskConfig, data, origin, "")
    return dataclasses.replace(merged, source=f"{cfg.source} + {origin}")


def _describe(tp: object) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "a text in quotes"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if origin is list:
        return "a list of texts, like [\"a\", \"b\"]"
    if origin is dict:
        return "a table of texts"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return str(tp)


def _check(tp: object, value: object, file: str, key: str) -> object:
    origin = typing.get_origin(tp)
    ok: bool
    if tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is str or tp is bool:
        ok = isinstance(value, tp)  # type: ignore[arg-type]
    elif origin is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif origin is dict:
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    elif dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: [{key}] must be a table")
        return _build(tp, value, file, key + ".")  # type: ignore[arg-type]
    else:  # pragma: no cover - a type we forgot to teach the validator
        raise TypeError(f"unsupported config type {tp}")
    if not ok:
        raise ConfigError(f"{file}: {key} must be {_describe(tp)}, not {value!r}")
    return value


def _build(cls: type, data: dict, file: str, prefix: str):  # type: ignore[no-untyped-def]
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"{file}: unknown key {prefix}{unknown[0]}; expected one of: {', '.join(prefix + n for n in fields)}"
        )
    kwargs = {}
    for name, f in fields.items():
        key = prefix + name
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ConfigError(f"{file}: {key} is missing; expected {_describe(hints[name])}")
            continue
        kwargs[name] = _check(hints[name], data[name], file, key)
    obj = cls(**kwargs)
    _validate(obj, file, prefix)
    return obj


def _validate(obj: object, file: str, prefix: str) -> None:
    """Rules beyond the type of each value."""
    if isinstance(obj, Booth):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", obj.id):
            raise ConfigError(f"{file}: {prefix}id must be lower-case letters, digits and dashes, like \"ranua-1\"")
        if not obj.name.strip():
            raise ConfigError(f"{file}: {prefix}name must not be empty")
    elif isinstance(obj, Languages):
        bad = [l for l in obj.offered if l not in LANGUAGES]
        if bad or not obj.offered:
            raise ConfigError(f"{file}: {prefix}offered must list some of {', '.join(LANGUAGES)} (got {obj.offered})")
        if obj.default not in obj.offered:
            raise ConfigError(f"{file}: {prefix}default must be one of the offered languages {obj.offered}")
    elif isinstance(obj, SessionLimits):
        for name in ("idle_warning_s", "warning_s", "max_length_min", "print_pages"):
            if getattr(obj, name) <= 0:
                raise ConfigError(f"{file}: {prefix}{name} must be more than 0")
    elif isinstance(obj, Devices):
        if obj.camera not in ("auto", "none") and not obj.camera.isdigit() and not Path(obj.camera).is_file():
            raise ConfigError(f"{file}: {prefix}camera must be \"auto\", \"none\", a device number or an existing video file")
        if obj.microphone not in ("auto", "none") and not Path(obj.microphone).is_file():
            raise ConfigError(f"{file}: {prefix}microphone must be \"auto\", \"none\" or an existing WAV file")
        if obj.card_reader not in ("auto", "none"):
            raise ConfigError(f"{file}: {prefix}card_reader must be \"auto\" or \"none\"")
        if obj.card_removed not in ("ask", "end"):
            raise ConfigError(f"{file}: {prefix}card_removed must be \"ask\" or \"end\"")
        if obj.keyboard_layout not in ("fi", "sv", "us"):
            raise ConfigError(f"{file}: {prefix}keyboard_layout must be \"fi\", \"sv\" or \"us\"")
    elif isinstance(obj, Services):
        for name in ("room_service_url", "oma_kansio_url", "appointments_url"):
            if name == "appointments_url" and not obj.appointments_url:
                continue
            url = urlparse(getattr(obj, name))
            if url.scheme not in ("http", "https") or not url.netloc:
                raise ConfigError(f"{file}: {prefix}{name} must be an http:// or https:// address")
    elif isinstance(obj, Messages):
        for lang, notice in obj.home.items():
            if lang not in LANGUAGES:
                raise ConfigError(f"{file}: {prefix}home.{lang} is not a language; use {', '.join(LANGUAGES)}")
            if len(notice) > 300:
                raise ConfigError(f"{file}: {prefix}home.{lang} is longer than 300 characters")
    elif isinstance(obj, Fleet):
        if obj.server_url:
            url = urlparse(obj.server_url)
            if url.scheme not in ("http", "https") or not url.netloc:
                raise ConfigError(f"{file}: {prefix}server_url must be an http:// or https:// address")
            if not re.fullmatch(r"[A-Za-z0-9+/]{43}=", obj.admin_public_key):
                raise ConfigError(f"{file}: {prefix}admin_public_key must be the admins' public key (44 characters, from `virtu-server config-key`)")
    elif isinstance(obj, KioskConfig):
        for day, hours in obj.opening_hours.items():
            if day not in WEEKDAYS:
                raise ConfigError(f"{file}: opening_hours.{day} is not a weekday; use {', '.join(WEEKDAYS)}")
            if hours != "closed" and not _HOURS.match(hours):
                raise ConfigError(f"{file}: opening_hours.{day} must be like \"08:00-16:00\" or \"closed\"")


def opening_intervals(cfg: KioskConfig, weekday: int) -> list[tuple[int, int]] | None:
    """Minutes-from-midnight intervals for a weekday (0 = Monday); None when hours are not set."""
    if not cfg.opening_hours:
        return None
    hours = cfg.opening_hours.get(WEEKDAYS[weekday], "closed")
    if hours == "closed":
        return []
    m = _HOURS.match(hours)
    assert m  # validated at load
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    return [(h1 * 60 + m1, h2 * 60 + m2)]

