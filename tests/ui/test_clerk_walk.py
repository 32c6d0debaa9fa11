"""Defects found walking the real window under Xvfb at 1366×768 and at 150 % (issue 12 follow-up)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from govreport_gui.app import ensure_app
from govreport_gui.ui.printout.print_actions import preview_dialog
from govreport_gui.ui.printout.printing import new_printer

SAMPLE = Path(__file__).parents[1] / "data" / "sample-2025.govreport"


def test_print_preview_fits_the_screen(window):
    """The preview was a fixed 1000×900: on a 1366×768 screen its bottom (and at 150 % scaling
    1500×1350 on 1920×1080) was off-screen. The offscreen test screen is smaller still."""
    w = window(SAMPLE)
    dialog = preview_dialog(w, new_printer(), lambda printer: None)
    try:
        available = w.screen().availableGeometry()
        frame = QRect(dialog.pos(), dialog.size()).adjusted(0, -32, 0, 0)  # and its title bar
        assert available.contains(frame), (available, frame)
        assert dialog.width() >= 0.8 * min(1000, available.width())  # not needlessly small
    finally:
        dialog.deleteLater()


def press(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key)
    QApplication.processEvents()


def click_label(qtbot, view, part: str, row: int, col: int) -> None:  # type: ignore[no-untyped-def]
    """Click a frozen header (``top``) or row label (``left``) as the clerk does."""
    pane = view.panes.views[part]
    rect = pane.visualRect(pane.model().index(row, col))  # the panes show a static copy of the labels
    assert pane.viewport().rect().contains(rect.center()), f"{part} ({row}, {col}) is not on screen"
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_typing_after_a_click_on_a_frozen_header_lands_in_that_column(window, qtbot):
    """Seen under Xvfb: in 表四, 1 Enter (cursor on to 结果纠正), a click on the 结果维持 header,
    5: the 5 went into 结果纠正, the cell selected before, and the total said 6."""
    w = window()
    with qtbot.waitActive(w):
        w.activateWindow()
    view = w.show_table("t4")
    view.select_key("t4.review.upheld")
    for key in ("1", Qt.Key.Key_Return):
        press(qtbot, key)
    assert view.model().key_for_index(view.currentIndex()) == "t4.review.corrected"
    click_label(qtbot, view, "top", 1, 0)  # 结果维持 (行政复议)
    for key in ("5", Qt.Key.Key_Return):
        press(qtbot, key)
    cells = w.session.report.cells
    assert cells.get("t4.review.upheld") == 5
    assert cells.get("t4.review.corrected") is None


def test_a_click_on_a_row_label_or_header_of_table_three_moves_the_cursor_there(window, qtbot):
    w = window(SAMPLE)
    with qtbot.waitActive(w):
        w.activateWindow()
    view = w.show_table("t3")
    qtbot.waitUntil(lambda: view.viewport().height() > 100)
    view.select_key("t3.new.natural_person")
    w.findings_view.setFocus()  # the keys were elsewhere: the click gives them to the grid
    click_label(qtbot, view, "left", 5, 1)  # （一）予以公开
    assert view.model().key_for_index(view.currentIndex()) == "t3.result.granted.natural_person"
    for key in ("7", "3", Qt.Key.Key_Return):
        press(qtbot, key)
    assert w.session.report.cells["t3.result.granted.natural_person"] == 73
    click_label(qtbot, view, "top", 2, 4)  # 商业企业
    for key in ("4", "2", Qt.Key.Key_Return):
        press(qtbot, key)
    assert w.session.report.cells["t3.new.commercial"] == 42


def test_file_dialog_folders_are_chinese(qtbot, tmp_path):
    """Seen in 由上年报告新建's dialog: every folder's type read “Folder”."""
    ensure_app()
    (tmp_path / "2025年").mkdir()
    dialog = QFileDialog(None, "打开报告", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    model = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: model.index(str(tmp_path / "2025年")).isValid())
    kind = model.index(str(tmp_path / "2025年")).siblingAtColumn(2)
    qtbot.waitUntil(lambda: bool(model.data(kind)))
    assert model.data(kind) == "文件夹"


def test_many_import_notes_scroll_instead_of_squeezing_the_tables(window, qtbot):
    """20 notes made a 413 px label: the tables kept 105 px and the window outgrew its first
    size; on a 768-pixel screen that is off-screen."""
    w = window(SAMPLE)
    QApplication.processEvents()
    size, tabs = w.size(), w.tabs.height()
    notes = [f"第{i}行的“合计”一栏为空，已按0读入，请核对原文件中的该行数字是否完整。" for i in range(30)]
    w.show_notes(notes)
    QApplication.processEvents()
    available = w.screen().availableGeometry()
    assert w.size() == size and available.contains(w.frameGeometry())
    assert w.notes_box.height() <= available.height() // 5 + 2
    assert w.tabs.height() >= tabs - w.notes_box.height() - 10  # only the banner took room
    bar = w.notes_box.verticalScrollBar()  # every note is there, by scrolling
    assert bar.maximum() > 0 and notes[-1] in w.notes.text()


def test_title_placeholder_of_a_new_report_names_what_is_missing(window):
    """Seen on a new report: “默认：年政府信息公开工作年度报告” (item 13's untitled title, in the field)."""
    w = window()
    field = w.text_page.meta.title
    assert field.placeholderText() == "默认：〔机关名称〕××××年政府信息公开工作年度报告"
    w.session.set_meta("agency", "示例局")
    QApplication.processEvents()
    assert field.placeholderText() == "默认：示例局××××年政府信息公开工作年度报告"
