"""A published PDF in the window: opened, made last year's report (由上年报告新建), dropped on the
roll-up window; the dialogs offer it; a scan is refused in a message, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel

from govreport_gui.ui.dialogs import OPEN_FILTER, Dialogs
from govreport_gui.ui.rollup.rollup_window import SOURCES_FILTER, RollupWindow
from govreport_gui.ui.window import yearly
from tests.readers.pdf_builders import Pdf, report_pdf


def test_dialogs_offer_pdf():
    assert "*.pdf" in OPEN_FILTER.split(";;")[0] and "*.pdf" in SOURCES_FILTER.split(";;")[0]


def test_open_pdf_shows_its_notes_and_is_unsaved(window, tmp_path, sample):
    w = window(report_pdf(sample, tmp_path / "上年.pdf"))
    notes = w.findChild(QLabel, "import.notes")
    assert notes.isVisible() and "由 PDF 导入" in notes.text()
    assert w.isWindowModified() and w.session.path is None
    assert w.session.report.cells == sample.cells


def test_new_from_last_year_pdf(window, tmp_path, sample, monkeypatch):
    w = window()
    pdf = report_pdf(sample, tmp_path / "2025年报告.pdf")
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, p, folder: str(pdf)))
    assert yearly.new_from_last(w)
    report = w.session.report
    assert report.meta.year == 2026 and report.value("t3.carried_in.total") == sample.value("t3.carried_out.total")
    assert report.last.cells == sample.cells


def test_scanned_pdf_is_a_message(window, tmp_path, monkeypatch):
    pdf = Pdf(images=True)
    pdf.page().append("q 595 0 0 842 0 0 cm /Im1 Do Q")
    path = pdf.save(tmp_path / "扫描件.pdf")
    errors = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, parent, text: errors.append(text)))
    w = window()
    assert not w.open_path(path, confirm=False)
    assert "扫描件" in errors[0] and "Word 版" in errors[0]


def test_pdf_dropped_on_the_rollup_window(qtbot, window, tmp_path, sample):
    folder = tmp_path / "各单位"
    folder.mkdir()
    report_pdf(sample, folder / "甲局.pdf")
    w = window()
    next(a for a in w.file_menu.actions() if a.text().startswith("汇总多个单位")).trigger()
    rollup = w.findChild(RollupWindow)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(50, 50), *args)
    rollup.dragEnterEvent(enter)
    with qtbot.waitSignal(rollup.finished, timeout=10_000):
        rollup.dropEvent(QDropEvent(QPointF(50, 50), *args))
    assert [u.source.endswith("甲局.pdf") for u in rollup.units] == [True]
    assert rollup.units[0].report is not None and rollup.units[0].report.cells == sample.cells
