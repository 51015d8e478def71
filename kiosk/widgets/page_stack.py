"""A stacked widget as tall as the page on show, not as its tallest page.

QStackedWidget asks for the largest minimum of all pages, so one dense page (maintenance
at extra-large text) would push every screen past the display's height.
"""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSizePolicy, QStackedWidget


class PageStack(QStackedWidget):
    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(self._changed)

    def _changed(self, _index: int) -> None:
        for i in range(self.count()):
            page = self.widget(i)
            policy = QSizePolicy.Preferred if page is self.currentWidget() else QSizePolicy.Ignored
            page.setSizePolicy(policy, policy)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()
