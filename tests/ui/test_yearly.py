"""Working from last year's report in the window: import notes, carry forward, year-on-year."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.window import yearly
from tests.ui.conftest import type_into


def test_open_docx_shows_import_notes_and_is_unsaved(window, data_dir):
    w = window(data_dir / "sample-2025-fullwidth-blanks.docx")
    notes = w.findChild(QLabel, "import.notes")
    assert notes.isVisible() and "空白单元格" in notes.text()
    assert w.isWindowModified() and w.session.path is None
    assert w.session.report.value("t3.new.total") == 70


def test_new_from_last_year_docx(window, qtbot, data_dir, monkeypatch):
    w = window()
    monkeypatch.setattr(Dialogs, "open_path",
                        classmethod(lambda cls, p, folder: str(data_dir / "sample-2025-website-libreoffice.docx")))
    assert yearly.new_from_last(w)
    report = w.session.report
    assert report.meta.year == 2026 and report.value("t3.carried_in.total") == 5
    assert report.last.meta.year == 2025 and w.isWindowModified()
    # the cross-year rules run: a 上年结转 typed differently from last year's 结转下年度 is flagged
    w.show_table("t3")
    type_into(qtbot, w.views["t3"], "t3.carried_in.natural_person", "9")
    assert any(f.rule == "x.carried_in" for f in w.session.findings)


def test_new_from_faulty_last_year_asks_first(window, data_dir, monkeypatch):
    w = window()
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, p, folder: str(data_dir / "sample-2025-faulty.docx")))
    asked = []
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, p, title, text: asked.append(text) or False))
    assert not yearly.new_from_last(w)
    assert "上年报告本身有 3 个错误" in asked[0] and w.session.report.meta.year is None


def test_year_on_year_view(window, data_dir, monkeypatch):
    w = window(data_dir / "sample-2025.govreport")
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, p, folder: str(data_dir / "sample-2025-faulty.govreport")))
    assert yearly.load_comparison(w)
    model = w.models["t3"]
    idx = model.index_for_key("t3.new.natural_person")
    assert model.data(idx) == "57"
    w.year_on_year_action.trigger()
    assert model.data(idx) == "57\n(56) +1"
    assert "上年：56，变化：+1" in model.data(idx, Qt.ItemDataRole.ToolTipRole)
    w.year_on_year_action.trigger()
    assert model.data(idx) == "57"
