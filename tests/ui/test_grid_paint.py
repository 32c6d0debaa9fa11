"""What the grid repaints while the clerk types: the cells that changed, not the whole table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit


class PaintLog(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.areas: list[int] = []

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.areas.append(sum(r.width() * r.height() for r in event.region()))
        return False


def test_the_cell_editor_taking_and_giving_back_the_focus_repaints_one_cell(window, qtbot, data_dir):
    """Qt repaints a whole item view when it gains or loses focus: twice for every figure typed."""
    w = window(data_dir / "sample-2025.govreport")
    view = w.show_table("t3")
    with qtbot.waitActive(w):
        w.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert view.select_key("t3.new.natural_person")
    QApplication.processEvents()
    log = PaintLog()
    view.viewport().installEventFilter(log)
    whole = view.viewport().width() * view.viewport().height()

    qtbot.keyClick(view, "5")  # the editor opens and takes the focus
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.hasFocus()
    QApplication.processEvents()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # closed unchanged: the grid has the focus again
    qtbot.waitUntil(view.hasFocus)
    QApplication.processEvents()
    assert w.session.report.cells["t3.new.natural_person"] == 57
    cell = view.visualRect(view.currentIndex())
    assert log.areas, "nothing was repainted"
    assert max(log.areas) <= 2 * cell.width() * cell.height() < whole // 10, (log.areas, whole)
