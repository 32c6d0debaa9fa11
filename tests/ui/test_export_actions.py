"""File → Export in the window: errors are listed first; the file is written on consent."""

from __future__ import annotations

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
