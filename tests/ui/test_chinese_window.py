"""Qt's own texts in Chinese, and 成文日期 typed the way clerks write dates (issue 12 items 6, 8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
)

from govreport_gui.app import ensure_app
from govreport_gui.report.messages import describe


def test_message_box_buttons_are_chinese(qtbot):
    ensure_app()
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
                           | QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    texts = {b.text() for b in box.buttons()}
    assert {"确定", "取消"} <= texts
    assert any(t.startswith("是") for t in texts) and any(t.startswith("否") for t in texts)
    assert not texts & {"OK", "Cancel", "&Yes", "&No"}


def test_file_dialog_is_chinese(qtbot):
    ensure_app()
    dialog = QFileDialog(None, "打开报告")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
    assert "查找范围" in labels and "文件名" in labels and "Look in" not in labels
    buttons = {b.text() for b in dialog.findChild(QDialogButtonBox).findChildren(QPushButton)}
    assert "取消" in buttons and any(b.startswith("打开") for b in buttons)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    assert any(b.text().startswith("保存") for b in dialog.findChild(QDialogButtonBox).findChildren(QPushButton))


def type_date(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    if not text:
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    elif text.isascii():
        qtbot.keyClicks(field, text)
    else:  # Chinese comes from the input method
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(field, event)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_date_typed_in_every_usual_shape(window, qtbot):
    w = window()
    w.tabs.setCurrentWidget(w.text_page)
    field = w.findChild(QLineEdit, "meta.date")
    meta = w.session.report.meta
    for text in ("2026-01-20", "2026/1/21", "2026.1.22", "2026年1月23日"):
        type_date(qtbot, field, text)
        assert meta.date == f"2026-01-{text[-3:-1] if text.endswith('日') else text[-2:]}", text
        assert field.text() == meta.date_chinese()  # shown the way the report prints it
    hint = w.findChild(QLabel, "meta.date.hint")
    type_date(qtbot, field, "2026年2月30日")
    # not a date: the clerk is told by the field, and the checks name it until it is fixed
    assert hint.isVisible() and "不是有效日期" in hint.text() and field.text() == "2026年2月30日"
    assert meta.date == "2026年2月30日"
    dated = [f for f in w.session.findings if f.rule == "meta.required" and f.detail.get("field") == "date"]
    assert dated and dated[0].severity == "error" and "“2026年2月30日”" in describe(dated[0])
    assert "全部校验通过" not in w.counts_label.text() and "错误" in w.counts_label.text()
    w.undo_action.trigger()  # typing merges into one step: the field and the checks follow the report
    assert meta.date != "2026年2月30日" and field.text() == meta.date_chinese() and not hint.isVisible()
    w.redo_action.trigger()
    assert meta.date == "2026年2月30日" and field.text() == "2026年2月30日" and hint.isVisible()
    type_date(qtbot, field, "2026年2月28日")
    assert meta.date == "2026-02-28" and not hint.isVisible()
    assert not [f for f in w.session.findings if f.rule == "meta.required" and f.detail.get("field") == "date"]
    type_date(qtbot, field, "")
    assert meta.date is None and not hint.isVisible()
    w.undo_action.trigger()  # the field follows the report through undo
    assert field.text() == meta.date_chinese()


@pytest.mark.qt_log_ignore("grabbing the keyboard")  # the offscreen platform has no popups proper
def test_calendar_is_chinese_and_opens_after_the_report_year(window, qtbot):
    w = window()
    w.tabs.setCurrentWidget(w.text_page)
    w.session.set_meta("year", 2025)
    qtbot.mouseClick(w.findChild(QToolButton, "meta.date.calendar"), Qt.MouseButton.LeftButton)
    calendar = w.text_page.meta.date.calendar
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 1)  # 成文日期 for 2025 is early 2026
    month = {b.text() for b in calendar.findChildren(QToolButton)}
    assert "一月" in month and "January" not in month


def test_date_shapes_parse_without_loading_the_docx_reader():
    import subprocess
    import sys

    from govreport_gui.ui.text.date_field import parse_typed_date

    for text in ("2026-01-20", "2026/1/20", "2026.1.20", "2026年1月20日", "２０２６年１月２０日", "二〇二六年一月二十日",
                 " 2026 - 1 - 20 "):
        assert str(parse_typed_date(text)) == "2026-01-20", text
    for text in ("2026-02-30", "2026-1", "20260120", "明年一月"):
        assert parse_typed_date(text) is None, text
    # the window starts without lxml and the DOCX reader (they cost start-up time and memory)
    code = "import sys, govreport_gui.app; print(sorted(m for m in ('lxml', 'zipfile', 'difflib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "lxml" not in out.stdout
