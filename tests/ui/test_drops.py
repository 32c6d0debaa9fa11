"""A report file dropped on the main window opens; a folder or an unknown kind gets a hint."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

DATA = Path(__file__).parents[1] / "data"


def drop(w, *paths: Path) -> bool:  # type: ignore[no-untyped-def]
    """Drag ``paths`` over the window and let go; True when the window took the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = w.rect().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, event)
    return True


def test_dropping_a_report_opens_it(window, tmp_path):
    report = tmp_path / "本局.govreport"
    shutil.copy(DATA / "sample-2025.govreport", report)
    w = window()
    assert drop(w, report)
    assert w.session.path == report and w.session.report.meta.agency


def test_dropping_a_word_file_imports_it(window):
    w = window()
    assert drop(w, DATA / "sample-2025-word-template.docx")
    assert w.session.path is None and w.session.report.meta.year == 2025  # imported, not yet saved


def test_several_files_open_the_first_and_say_so(window, tmp_path):
    w = window()
    assert drop(w, DATA / "sample-2025.govreport", DATA / "sample-2025-faulty.govreport")
    assert w.session.path == DATA / "sample-2025.govreport"
    assert "其余 1 个未打开" in w.statusBar().currentMessage()


def test_a_folder_or_another_kind_is_not_opened(window, tmp_path):
    w = window(DATA / "sample-2025.govreport")
    assert drop(w, tmp_path)
    assert "汇总多个单位" in w.statusBar().currentMessage()
    note = tmp_path / "说明.txt"
    note.write_text("x", encoding="utf-8")
    assert drop(w, note)
    assert "不是可以打开的报告文件" in w.statusBar().currentMessage()
    assert w.session.path == DATA / "sample-2025.govreport"
