"""The notes above the tables: what an import had to guess, what a new year carried.

As tall as its text up to a fifth of the screen, then it scrolls: a QLabel alone grew with every
note (20 notes took 413 px), squeezed the tables to one row and pushed the window off a 768-pixel
screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

SCREEN_SHARE = 5  # at most 1/5 of the screen's height (the 6-line new-year banner fits at 1366×768)


class NotesBanner(QScrollArea):
    """A scrolling yellow banner; :attr:`label` holds the text (object name ``import.notes``).
    Its 收起 link hides the banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("import.notes")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setStyleSheet("background: #fff6d6; padding: 6px;")
        self.label.linkActivated.connect(lambda _link: self.hide())  # 收起: room for the grid
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("NotesBanner { border: 1px solid #e0c060; background: #fff6d6; }")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hide()

    def set_html(self, html: str) -> None:
        self.label.setText(html)
        self.fit()

    def fit(self) -> None:
        """Height of the text at the current width, capped at the screen's share."""
        width = max(self.viewport().width(), 200)
        text = self.label.heightForWidth(width)
        screen = self.screen()
        cap = screen.availableGeometry().height() // SCREEN_SHARE if screen else 150
        self.setFixedHeight(min(text if text > 0 else self.label.sizeHint().height(), cap) + 2)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():  # rewrapped: a new text height
            self.fit()
