"""What the kiosk needs from any scanner back end (SANE here; WIA on Windows is unverified
and not written yet: a Windows back end implements this same interface)."""
from __future__ import annotations

import abc
import enum
from dataclasses import dataclass

from PIL import Image

from devices.health import Health

A4_MM = (210.0, 297.0)
PREVIEW_DPI = 75


class ColourMode(enum.Enum):
    COLOUR = "colour"
    GREY = "grey"


@dataclass(frozen=True)
class ScanOptions:
    resolution: int = 300
    mode: ColourMode = ColourMode.COLOUR
    area_mm: tuple[float, float] = A4_MM

    def __post_init__(self) -> None:
        if self.resolution not in (PREVIEW_DPI, 150, 300):
            raise ValueError("resolution must be 150 or 300 dpi")


@dataclass(frozen=True)
class ScannerInfo:
    device: str
    vendor: str
    model: str


class ScanError(Exception):
    """A scan failed; the message is an English sentence with no personal data."""


class PaperJam(ScanError):
    def __init__(self) -> None:
        super().__init__("The paper is jammed in the scanner.")


class NoDocument(ScanError):
    def __init__(self) -> None:
        super().__init__("There is no document in the scanner.")


class CoverOpen(ScanError):
    def __init__(self) -> None:
        super().__init__("The scanner cover is open.")


class ScanCancelled(ScanError):
    def __init__(self) -> None:
        super().__init__("The scan was cancelled.")


class Scanner(abc.ABC):
    """Blocking calls, meant for a worker thread; cancel() is safe from any thread."""

    @abc.abstractmethod
    def devices(self) -> list[ScannerInfo]: ...

    @abc.abstractmethod
    def scan(self, options: ScanOptions) -> Image.Image: ...

    def preview(self, mode: ColourMode = ColourMode.GREY) -> Image.Image:
        """A quick low-resolution pass so the resident sees what lies on the glass."""
        return self.scan(ScanOptions(resolution=PREVIEW_DPI, mode=mode))

    @abc.abstractmethod
    def cancel(self) -> None: ...

    @abc.abstractmethod
    def health(self) -> Health: ...

    @abc.abstractmethod
    def close(self) -> None: ...
