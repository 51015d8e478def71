"""An on-screen keyboard for the booth's touch screen: the call's chat, web forms, and the
kiosk's own text fields (a booth has no physical keyboard).

Finnish and Swedish letters in the usual QWERTY places (å after p, ö and ä after l), a
row with the Northern Sámi letters and the signs addresses need (@ _ : /), big keys, a
shift for one capital. It emits what was typed; `attach()` types into a QLineEdit (which
keeps the focus and the cursor); the internet screen puts the text into the page itself.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from kiosk.i18n import tr
from kiosk.widgets.buttons import BigButton

ROWS = ["1234567890+", "qwertyuiopå", "asdfghjklöä", "zxcvbnm,.-?", "áčđŋšŧž@_:/"]


class OnScreenKeyboard(QWidget):
    typed = Signal(str)
    erased = Signal()
    entered = Signal()
    """The Enter key: send or submit."""

    def __init__(self, target: QLineEdit | None = None, parent: QWidget | None = None, enter_label: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.enter_label = enter_label
        self.shift = False
        self.keys: dict[str, BigButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(8)
        for r, row in enumerate(ROWS):
            for c, ch in enumerate(row):
                b = BigButton("key")
                b.clicked.connect(lambda _=False, ch=ch: self.type(ch))
                grid.addWidget(b, r, c)
                self.keys[ch] = b
        r = len(ROWS)
        self.shift_key = BigButton("key")
        self.shift_key.setCheckable(True)
        self.shift_key.clicked.connect(self._toggle_shift)
        self.space_key = BigButton("key")
        self.space_key.clicked.connect(lambda: self.type(" "))
        self.erase_key = BigButton("key")
        self.erase_key.clicked.connect(self.erased)
        self.enter_key = BigButton("primary")
        self.enter_key.clicked.connect(self.entered)
        grid.addWidget(self.shift_key, r, 0, 1, 2)
        grid.addWidget(self.space_key, r, 2, 1, 5)
        grid.addWidget(self.erase_key, r, 7, 1, 2)
        grid.addWidget(self.enter_key, r, 9, 1, 2)
        for b in self.findChildren(BigButton):
            b.setFocusPolicy(Qt.NoFocus)  # the text field keeps the focus
        self.retranslate()
        self._label_keys()
        if target is not None:
            self.attach(target)

    def attach(self, field: QLineEdit) -> None:
        self.typed.connect(field.insert)
        self.erased.connect(field.backspace)

    def type(self, ch: str) -> None:
        self.typed.emit(ch.upper() if self.shift else ch)
        if self.shift:
            self._toggle_shift()

    def _toggle_shift(self) -> None:
        self.shift = not self.shift
        self.shift_key.setChecked(self.shift)
        self._label_keys()

    def _label_keys(self) -> None:
        for ch, b in self.keys.items():
            b.setText(ch.upper() if self.shift else ch)

    def retranslate(self) -> None:
        # TRANSLATORS: on-screen keyboard key for one capital letter
        self.shift_key.setText(tr("keyboard", "Capital"))
        # TRANSLATORS: on-screen keyboard space bar
        self.space_key.setText(tr("keyboard", "Space"))
        # TRANSLATORS: on-screen keyboard key that removes the last letter
        self.erase_key.setText(tr("keyboard", "Erase"))
        if self.enter_label is not None:
            self.enter_key.setText(self.enter_label())
        else:
            # TRANSLATORS: on-screen keyboard key that sends the typed message
            self.enter_key.setText(tr("keyboard", "Send"))
