"""Takes away what a resident could use to leave the kiosk or carry text out of it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def lock_down(root: QWidget) -> None:
    """No context menus, no text selection or dragging, anywhere under `root`."""
    for w in [root, *root.findChildren(QWidget)]:
        w.setContextMenuPolicy(Qt.NoContextMenu)
        if isinstance(w, QLabel):
            w.setTextInteractionFlags(Qt.NoTextInteraction)
        elif isinstance(w, QLineEdit):
            w.setDragEnabled(False)
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            w.setTextInteractionFlags(Qt.NoTextInteraction if w.isReadOnly() else Qt.TextEditable)
            w.setAcceptDrops(False)
        if isinstance(w, QAbstractScrollArea):
            w.viewport().setContextMenuPolicy(Qt.NoContextMenu)
