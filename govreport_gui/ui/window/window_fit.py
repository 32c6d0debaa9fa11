"""The main window's size on the clerk's screen: the first window fits the available area
(1366×768 office screens, 150 % scaling) and the findings panel is only as tall as its content."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QListView, QMainWindow, QWidget

PREFERRED = QSize(1280, 860)  # room for 表三 at its printed widths, when the screen has it
SCREEN_SHARE = 0.9
TITLE_BAR_PX = 32  # the window manager's frame is outside our size; leave room for it
FINDINGS_ROWS = (3, 8)  # the findings panel shows at least 3 and at most 8 rows before scrolling


def first_geometry(available: QRect, preferred: QSize = PREFERRED) -> QRect:
    """A centred window within ``SCREEN_SHARE`` of the available screen (taskbar excluded)."""
    width = min(preferred.width(), int(available.width() * SCREEN_SHARE))
    height = min(preferred.height(), int(available.height() * SCREEN_SHARE) - TITLE_BAR_PX)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def fit_to_screen(window: QMainWindow, restored: bool) -> None:
    """Size a first window for its screen; shrink a restored one that no longer fits (the
    settings came from a bigger monitor)."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    if restored and available.contains(window.frameGeometry()):
        return
    target = first_geometry(available)
    window.resize(target.size())
    window.move(target.topLeft())


def fit_dialog(dialog: QWidget, preferred: QSize) -> None:
    """Size a large dialog (the print preview) for the screen its parent is on: a fixed size
    taller than a 768-pixel screen, or any size at 150 % scaling, hides its bottom off-screen."""
    screen = (dialog.parentWidget() or dialog).screen()
    if screen is None:
        dialog.resize(preferred)
        return
    target = first_geometry(screen.availableGeometry(), preferred)
    dialog.resize(target.size())
    dialog.move(target.topLeft())


def findings_height(view: QListView, rows: int) -> int:
    """Height of the findings list showing ``rows`` rows (clamped to :data:`FINDINGS_ROWS`)."""
    low, high = FINDINGS_ROWS
    row = view.sizeHintForRow(0) if view.model().rowCount() else view.fontMetrics().height() + 8
    return max(low, min(high, rows)) * max(row, 20) + 2 * view.frameWidth() + 4


def fit_findings(window: QMainWindow, dock: QDockWidget, view: QListView) -> None:
    """Give the findings dock the rows it has (within limits); the grids keep the rest."""
    extra = dock.widget().sizeHint().height() - view.sizeHint().height()  # buttons, margins
    title = dock.fontMetrics().height() + 10  # the dock's own title bar (校验结果)
    height = findings_height(view, view.model().rowCount()) + max(extra, 0) + title
    height = min(height, window.height() // 3) if window.height() > 0 else height
    window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
