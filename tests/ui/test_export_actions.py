"""File → Export in the window: errors are listed first; the file is written on consent."""

from __future__ import annotations

import errno

import pytest
from docx import Document
from PySide6.QtGui import QAction

from govreport_gui.ui.dialogs import Dialogs


def test_export_docx_lists_errors_first(window, data_dir, tmp_path, monkeypatch):
    w = window(data_dir / "sample-2025-faulty.govreport")
    asked = []
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, p, title, text: asked.append(text) or False))
    w.findChild(QAction, "export.docx").trigger()
    assert "报告仍有 3 个错误" in asked[0] and "表四‘行政复议’" in asked[0]
    out = tmp_path / "out.docx"
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, p, title, text: True))
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(out)))
    w.findChild(QAction, "export.docx").trigger()
    assert Document(out).paragraphs[0].text.endswith("年度报告")
    assert str(out) in w.statusBar().currentMessage()


def test_export_html_of_a_clean_report_asks_nothing(window, data_dir, tmp_path, monkeypatch):
    w = window(data_dir / "sample-2025.govreport")
    out = tmp_path / "page"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(out)))
    w.findChild(QAction, "export.html").trigger()
    assert (tmp_path / "page.html").read_text(encoding="utf-8").count("<table") == 3


def test_controls_pasted_and_typed_still_export(window, data_dir, tmp_path, monkeypatch, qtbot):
    """U+000B pasted from Word into 一 and a NUL in the agency: the checks pass and so does the export
    (it once failed with XMLSyntaxError as 意外问题)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

    w = window(data_dir / "sample-2025.govreport")
    w.tabs.setCurrentWidget(w.text_page)
    editor = w.findChild(QPlainTextEdit, "editor.s1")
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QGuiApplication.clipboard().setText("甲\x0b乙\x01丙")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    agency = w.findChild(QLineEdit, "meta.agency")
    agency.setFocus()
    agency.end(False)
    event = QInputMethodEvent()  # what an input method may deliver
    event.setCommitString("\x00\x1f")
    QApplication.sendEvent(agency, event)
    text = "".join(w.session.report.sections["s1"]) + w.session.report.meta.agency
    assert "甲 乙 丙" in text and not any(c in text for c in "\x00\x01\x0b\x1f")
    assert w.session.report.meta.agency.endswith(" ")  # U+001F became a space, NUL went
    out = tmp_path / "out.docx"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(out)))
    w.findChild(QAction, "export.docx").trigger()
    assert "甲 乙 丙" in "\n".join(p.text for p in Document(out).paragraphs)


@pytest.mark.parametrize("code, cause, hint", [(errno.ENOSPC, "磁盘空间已满", False), (errno.EACCES, "没有权限", True)])
def test_export_after_a_full_disk_names_the_full_disk(window, data_dir, tmp_path, monkeypatch, code, cause, hint):
    from govreport_gui import export as export_module

    w = window(data_dir / "sample-2025.govreport")
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(tmp_path / "out.docx")))
    errors: list[str] = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, p, text: errors.append(text)))

    def fail(report, path):  # type: ignore[no-untyped-def]
        raise OSError(code, "No space left on device" if code == errno.ENOSPC else "Permission denied")

    monkeypatch.setattr(export_module, "export", fail)
    w.findChild(QAction, "export.docx").trigger()
    assert cause in errors[0] and ("Word/WPS" in errors[0]) == hint and "No space" not in errors[0]
