"""Text size and colour themes as one application style sheet.

Sizes are in pixels at 96 dpi: the normal body text is already large (22 px), since
many residents are elderly; touch targets never go under 57 px (15 mm).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

MIN_TOUCH_PX = 57


class TextSize(enum.Enum):
    NORMAL = 22
    LARGE = 28
    EXTRA_LARGE = 34

    def next(self) -> "TextSize":
        order = list(TextSize)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str
    danger: str
    border: str
    focus: str


CALM = Palette(
    background="#f4f1ea",
    surface="#ffffff",
    text="#1b2a3a",
    muted="#44566a",
    accent="#1f5f8b",
    accent_text="#ffffff",
    danger="#a3261d",
    border="#9aa7b4",
    focus="#e0a100",
)

HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#ffffff",
    muted="#ffff00",
    accent="#ffff00",
    accent_text="#000000",
    danger="#ff6e6e",
    border="#ffffff",
    focus="#00ffff",
)


@dataclass(frozen=True)
class Theme:
    size: TextSize = TextSize.NORMAL
    high_contrast: bool = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else CALM

    def px(self, factor: float = 1.0) -> int:
        return round(self.size.value * factor)

    def style_sheet(self) -> str:
        p = self.palette
        base = self.size.value
        border = 3 if self.high_contrast else 2
        return f"""
QWidget {{ background: {p.background}; color: {p.text}; font-size: {base}px; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {round(base * 1.8)}px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: {round(base * 1.25)}px; color: {p.muted}; }}
QLabel[role="notice"] {{ font-size: {round(base * 1.15)}px; background: {p.surface}; border-left: 8px solid {p.accent}; padding: 12px 20px; }}
QLabel[role="banner"] {{ font-size: {round(base * 1.6)}px; font-weight: bold; }}
QLabel[role="countdown"] {{ font-size: {round(base * 3)}px; font-weight: bold; color: {p.accent}; }}
QPushButton {{
    min-height: {MIN_TOUCH_PX}px; min-width: {MIN_TOUCH_PX}px; padding: 8px 20px;
    background: {p.surface}; color: {p.text}; border: {border}px solid {p.border}; border-radius: 12px;
}}
QPushButton:focus {{ border: {border + 2}px solid {p.focus}; }}
QPushButton:pressed {{ background: {p.border}; }}
QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; font-weight: bold; }}
QPushButton[role="danger"] {{ background: {p.danger}; color: #ffffff; border-color: {p.danger}; font-weight: bold; }}
QPushButton:disabled, QPushButton[role="primary"]:disabled, QPushButton[role="danger"]:disabled {{
    background: {p.background}; color: {p.muted}; border: {border}px dashed {p.border}; font-weight: normal;
}}
QPushButton[role="tile"] {{
    font-size: {round(base * 1.3)}px; font-weight: bold; border-radius: 18px;
    min-height: {max(MIN_TOUCH_PX * 2, round(base * 4))}px;
}}
QPushButton[role="key"] {{ min-width: 110px; min-height: 90px; font-size: {round(base * 1.3)}px; }}
QPushButton[role="face"] {{ min-width: 170px; min-height: 170px; }}
QWidget#topBar, QWidget#bottomBar {{ background: {p.surface}; border: none; }}
QFrame#overlayCard {{ background: {p.surface}; border: {border + 1}px solid {p.border}; border-radius: 20px; }}
QListWidget, QPlainTextEdit {{ background: {p.surface}; border: {border}px solid {p.border}; }}
"""
