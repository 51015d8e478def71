"""One tap, anonymous: how did it go? Counted per day, never per session."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import tr
from kiosk.screens.base import Screen, register
from kiosk.widgets.buttons import BigButton

FACE_COLOURS = ["#b3261e", "#d9731a", "#c9a400", "#6a9a1f", "#1f7a3a"]


class FaceButton(BigButton):
    """A drawn face (no emoji font needed): score 1 = very unhappy … 5 = very happy."""

    def __init__(self, score: int) -> None:
        super().__init__("face")
        self.score = score

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().paintEvent(event)
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        side = min(self.width(), self.height()) - 30
        r = QRectF((self.width() - side) / 2, 10, side, side * 0.85)
        colour = QColor(FACE_COLOURS[self.score - 1])
        p.setPen(QPen(colour.darker(140), 4))
        p.setBrush(colour)
        p.drawEllipse(r)
        p.setBrush(QColor("#1b1b1b"))
        eye = side * 0.07
        for dx in (-0.18, 0.18):
            p.drawEllipse(QPointF(r.center().x() + dx * side, r.top() + r.height() * 0.38), eye, eye)
        curve = (self.score - 3) * 0.12 * side  # smile up, frown down
        mouth = QPainterPath(QPointF(r.center().x() - 0.22 * side, r.top() + r.height() * 0.68))
        mouth.quadTo(QPointF(r.center().x(), r.top() + r.height() * 0.68 + curve), QPointF(r.center().x() + 0.22 * side, r.top() + r.height() * 0.68))
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor("#1b1b1b"), 6, Qt.SolidLine, Qt.RoundCap))
        p.drawPath(mouth)
        p.end()


@register
class FeedbackScreen(Screen):
    name = "feedback"

    def __init__(self, shell) -> None:  # type: ignore[no-untyped-def]
        super().__init__(shell)
        box = self.column(self)
        self.title = self.label("title")
        self.title.setAlignment(Qt.AlignCenter)
        self.subtitle = self.label("subtitle")
        self.subtitle.setAlignment(Qt.AlignCenter)
        box.addStretch(1)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        faces = QHBoxLayout()
        faces.addStretch(1)
        self.faces = []
        for score in range(1, 6):
            b = FaceButton(score)
            b.clicked.connect(lambda _=False, s=score: self.choose(s))
            faces.addWidget(b)
            self.faces.append(b)
        faces.addStretch(1)
        box.addLayout(faces)
        self.skip = BigButton()
        self.skip.clicked.connect(shell.ctx.lifecycle.finish_feedback)
        skip_row = self.row(self.skip)
        skip_row.addStretch(1)  # centred under the faces
        box.addLayout(skip_row)
        box.addStretch(1)

    def choose(self, score: int) -> None:
        self.shell.ctx.stats.record_feedback(score)
        self.shell.ctx.lifecycle.finish_feedback()

    def retranslate(self) -> None:
        # TRANSLATORS: after the session; the resident may tap one of five faces
        self.title.setText(tr("feedback", "How did it go?"))
        # TRANSLATORS: under the feedback question
        self.subtitle.setText(tr("feedback", "Your documents have been removed. Your answer is anonymous."))
        # TRANSLATORS: button that leaves the feedback question unanswered
        self.skip.setText(tr("feedback", "Skip"))
        labels = [
            # TRANSLATORS: accessible name of the five feedback faces, from worst to best
            tr("feedback", "Very bad"),
            # TRANSLATORS: accessible name of the second of five feedback faces
            tr("feedback", "Bad"),
            # TRANSLATORS: accessible name of the middle feedback face
            tr("feedback", "Neither good nor bad"),
            # TRANSLATORS: accessible name of the fourth of five feedback faces
            tr("feedback", "Good"),
            # TRANSLATORS: accessible name of the best feedback face
            tr("feedback", "Very good"),
        ]
        for b, text in zip(self.faces, labels, strict=True):
            b.setAccessibleName(text)
            b.setToolTip("")

    def entered(self, **params: object) -> None:
        self.faces[4].setFocus()
