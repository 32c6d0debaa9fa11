"""What a clerk notices first: the title, the status bar, Tab in 说明理由, 帮助, access keys, 表二's
controls (issue 12 item 13)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QPlainTextEdit, QPushButton

from govreport_gui import __version__
from govreport_gui.ui.dialogs import waiver_dialog

DATA = Path(__file__).parents[1] / "data"


def test_title_names_the_file_once(window):
    w = window()
    assert w.windowTitle() == "未命名报告[*] — GovReport"
    w2 = window(DATA / "sample-2025.govreport")
    assert w2.windowTitle() == "sample-2025.govreport[*] — GovReport"
    assert "年政府信息公开" not in w.windowTitle() + w2.windowTitle()


def test_long_status_message_stops_before_the_counter(window):
    w = window(DATA / "sample-2025-faulty.govreport")
    text = "未粘贴：" + "表三某单元格的值不是数字，" * 20 + "请修改后重新复制粘贴。"
    w.show_message(text)
    bar = w.statusBar()
    shown = bar.currentMessage()
    assert shown.endswith("…") and len(shown) < len(text)
    assert bar.fontMetrics().horizontalAdvance(shown) < w.counts_label.geometry().left()
    assert bar.toolTip() == text  # the whole message is still there to read
    w.show_message("已保存")
    assert bar.currentMessage() == "已保存" and bar.toolTip() == ""


def test_tab_in_the_reason_moves_to_the_buttons(window, qtbot):
    w = window()
    dialog = waiver_dialog(w, "提醒：测试")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    editor = dialog.findChild(QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClicks(editor, "reason")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "reason"  # no tab character typed
    assert isinstance(QApplication.focusWidget(), QPushButton)
    dialog.reject()


def test_help_menu(window, qtbot):
    w = window()
    assert [a.text() for a in w.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "检查(&C)", "表三(&T)", "帮助(&H)"]
    help_action = w.menuBar().actions()[-1]
    texts = [a.text() for a in help_action.menu().actions()]
    assert texts == ["使用说明(&U)", "快捷键(&K)", "关于 GovReport(&A)"]
    w.findChild(QAction, "help.关于 GovReport").trigger()
    box = w.findChild(QMessageBox, "help.关于 GovReport")
    assert box is not None and box.isVisible()
    assert __version__ in box.text() and "errors.log" in box.text() and "recovery" in box.text()
    box.close()
    w.findChild(QAction, "help.快捷键").trigger()
    keys = w.findChild(QMessageBox, "help.快捷键")
    assert "Tab" in keys.text() and "Ctrl+V" in keys.text()
    keys.close()


def test_file_menu_items_have_access_keys(window):
    w = window()
    for act in w.file_menu.actions():
        if act.isSeparator() or act.menu() is not None:
            continue
        assert "(&" in act.text(), act.text()
    letters = [act.text().split("(&")[1][0] for act in w.file_menu.actions() if "(&" in act.text()]
    assert len(letters) == len(set(letters)), letters  # each key opens one item


def test_table_two_has_no_total_controls(window):
    w = window()
    page = w.views["t2"].parentWidget()
    w.show_table("t2")
    assert not any(box.isVisible() for box in page.findChildren(QCheckBox))
    assert not any(b.isVisible() for b in page.findChildren(QPushButton))
    w.show_table("t3")
    assert w.findChild(QCheckBox, "autofill.t3").isVisible()
