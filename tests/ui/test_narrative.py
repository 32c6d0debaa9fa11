"""Narrative and metadata editors: typed text is checked against the tables as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox

from govreport_gui.export.layout import build
from govreport_gui.readers.docx_import import import_docx
from govreport_gui.ui.text.narrative import NarrativeEditor
from tests.ui.conftest import click_finding, type_into


def commit(widget, text: str) -> None:
    """Type Chinese the way an input method delivers it (keyClicks accepts ASCII only)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def rules(w):
    return sorted({f.rule for f in w.session.findings if f.open})


def editor(w, sid) -> NarrativeEditor:
    return w.findChild(QPlainTextEdit, f"editor.{sid}")


def end_of(ed) -> None:
    ed.moveCursor(QTextCursor.MoveOperation.End)


def test_object_names(window):
    w = window()
    for name, cls in (("editor.s1", QPlainTextEdit), ("editor.s5", QPlainTextEdit), ("editor.s6", QPlainTextEdit),
                      ("meta.agency", QLineEdit), ("meta.year", QSpinBox), ("meta.date", QLineEdit),
                      ("meta.level", QComboBox)):
        assert w.findChild(cls, name) is not None, name


def test_new_report_starts_with_the_five_subheadings(window):
    w = window()
    text = editor(w, "s1").toPlainText()
    assert text.splitlines() == ["（一）主动公开情况。", "（二）依申请公开情况。", "（三）政府信息管理情况。",
                                 "（四）政府信息公开平台建设情况。", "（五）监督保障情况。"]
    # the sub-headings the app inserted are not content: no topic is ticked, the section is empty
    assert all(w.findChild(QLabel, f"topic.{i}").text().startswith("☐") for i in range(1, 6))
    assert "n.empty" in {f.rule for f in w.session.findings}
    ed = editor(w, "s1")
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    ed.moveCursor(QTextCursor.MoveOperation.EndOfBlock)
    commit(ed, "本年度主动公开政府信息1286条，其中规范性文件19件，均在规定时限内公开。")
    assert w.findChild(QLabel, "topic.1").text().startswith("☑")
    assert all(w.findChild(QLabel, f"topic.{i}").text().startswith("☐") for i in range(2, 6))


def test_wrong_figure_then_fix_the_table(window, data_dir, qtbot):
    w = window(data_dir / "sample-2025.govreport")
    ed = editor(w, "s6")
    end_of(ed)
    commit(ed, "全年共收到政府信息公开申请75件。")
    assert "n.figure" in rules(w)
    f = next(f for f in w.session.findings if f.rule == "n.figure")
    assert f.cells == ("t3.new.total",) and f.detail["section"] == "s6" and f.expected == 70 and f.actual == 75
    assert len(ed.extraSelections()) == 1  # the sentence is underlined
    # the clerk decides the table is wrong: 5 more applications from 自然人
    type_into(qtbot, w.views["t3"], "t3.new.natural_person", "62")
    assert w.session.report.value("t3.new.total") == 75
    assert ed.extraSelections() == []
    # section 六 agrees now; section 一 still says 70 and is flagged in its turn
    assert [f.detail["section"] for f in w.session.findings if f.rule == "n.figure"] == ["s1"]


def test_clicking_a_narrative_finding_selects_the_sentence(window, data_dir, qtbot):
    w = window(data_dir / "sample-2025-faulty.govreport")
    click_finding(qtbot, w, "n.figure")
    ed = editor(w, "s1")
    assert w.tabs.currentWidget() is w.text_page
    assert ed.textCursor().selectedText() == "收到政府信息公开申请75件"
    # the cell is coloured in its grid at the same time
    idx = w.models["t3"].index_for_key("t3.new.total")
    assert w.models["t3"].data(idx, Qt.ItemDataRole.BackgroundRole) is not None


def test_topics_checklist_and_empty_sections(window, data_dir):
    w = window(data_dir / "sample-2025.govreport")
    ed = editor(w, "s1")
    lines = ed.toPlainText().splitlines()
    ed.setPlainText("\n".join(lines[:5]))  # drop （五）监督保障
    assert "n.topics" in rules(w)
    label = w.findChild(QLabel, "topic.5")
    assert label.text() == "☐ 监督保障"
    end_of(ed)
    commit(ed, "\n（五）监督保障。明确专人负责。")
    assert "n.topics" not in rules(w) and label.text() == "☑ 监督保障"
    s5 = editor(w, "s5")
    s5.selectAll()
    commit(s5, "无")
    assert "n.empty" in rules(w)
    s5.selectAll()
    commit(s5, "存在的问题是栏目更新不够及时，明年将建立信息发布提醒机制。")
    assert "n.empty" not in rules(w)
    assert w.findChild(QLabel, "count.s5").text() == "29 字"


def test_live_figure_follows_the_table(window, data_dir, qtbot, tmp_path):
    w = window(data_dir / "sample-2025.govreport")
    ed = editor(w, "s6")
    end_of(ed)
    commit(ed, "全年受理行政复议")
    ed.insert_figure("review")
    commit(ed, "件。")
    assert ed.toPlainText().endswith("全年受理行政复议4件。")
    assert w.session.report.sections["s6"][-1] == "2025年，我局未收取信息处理费。全年受理行政复议{{fig:review}}件。"
    type_into(qtbot, w.views["t4"], "t4.review.upheld", "5")  # total follows (autofill): 4 → 7
    assert ed.toPlainText().endswith("全年受理行政复议7件。")
    assert "n.figure" not in rules(w)
    paragraphs = [b.text for b in build(w.session.report).blocks if hasattr(b, "lead")]
    assert paragraphs[-1].endswith("全年受理行政复议7件。")  # exported as plain text
    assert w.session.report.fingerprint() != ""


def test_undo_redo_text(window, data_dir, qtbot):
    w = window(data_dir / "sample-2025.govreport")
    ed = editor(w, "s6")
    before = ed.toPlainText()
    end_of(ed)
    commit(ed, "新增一句。")
    assert ed.toPlainText() == before + "新增一句。" and w.isWindowModified()
    qtbot.keyClick(ed, "z", Qt.KeyboardModifier.ControlModifier)
    assert ed.toPlainText() == before and not w.isWindowModified()
    qtbot.keyClick(ed, "y", Qt.KeyboardModifier.ControlModifier)
    assert ed.toPlainText() == before + "新增一句。"


def test_metadata_form(window, qtbot):
    w = window()
    agency = w.findChild(QLineEdit, "meta.agency")
    commit(agency, "某县交通运输局")
    assert w.session.report.meta.agency == "某县交通运输局"
    w.findChild(QSpinBox, "meta.year").setValue(2025)
    assert w.session.report.meta.effective_title() == "某县交通运输局2025年政府信息公开工作年度报告"
    assert not any(f.rule == "meta.required" and f.detail["field"] in ("agency", "year") for f in w.session.findings)
    date = w.findChild(QLineEdit, "meta.date")
    commit(date, "2026年2月10日")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert w.session.report.meta.date == "2026-02-10" and "meta.deadline" in rules(w)
    level = w.findChild(QComboBox, "meta.level")
    level.setCurrentIndex(1)  # 人民政府: by 31 March
    assert "meta.deadline" not in rules(w)
    w.undo_action.trigger()
    assert w.session.report.meta.level == "department" and level.currentIndex() == 0


def test_imported_docx_and_last_years_text(window, data_dir, monkeypatch):
    from govreport_gui.ui.dialogs import Dialogs
    from govreport_gui.ui.window import yearly

    w = window()
    monkeypatch.setattr(Dialogs, "open_path",
                        classmethod(lambda cls, p, folder: str(data_dir / "sample-2025-word-template.docx")))
    assert yearly.new_from_last(w)
    last_s5 = w.findChild(QPlainTextEdit, "last.s5")
    assert last_s5.isVisibleTo(w) and "上年度问题整改情况" in last_s5.toPlainText()
    s5 = editor(w, "s5")
    s5.setPlainText("\n".join(import_docx(data_dir / "sample-2025-word-template.docx").sections["s5"]))
    assert any(f.rule == "x.identical" and f.detail.get("section") == "s5" for f in w.session.findings)
    commit(s5, "\n另：本年度新建了政策问答库，答复群众咨询三百余次，整改工作成效明显，后续将继续完善机制。")
    assert not any(f.rule == "x.identical" and f.detail.get("section") == "s5" for f in w.session.findings)


def test_finding_follows_its_sentence_when_text_moves(window, data_dir, qtbot):
    w = window(data_dir / "sample-2025-faulty.govreport")
    ed = editor(w, "s1")
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    commit(ed, "前言。\n")  # the wrong sentence is now one paragraph further down
    click_finding(qtbot, w, "n.figure")
    assert ed.textCursor().selectedText() == "收到政府信息公开申请75件"
    assert ed.textCursor().blockNumber() == 3


def test_hovering_an_underlined_sentence_shows_its_finding(window, data_dir, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    from govreport_gui.report.messages import describe

    w = window(data_dir / "sample-2025-faulty.govreport")
    ed = editor(w, "s1")
    f = next(f for f in w.session.findings if f.rule == "n.figure")
    block = ed.document().findBlockByNumber(f.detail["paragraph"])
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + f.detail["start"] + 1)
    pos = ed.cursorRect(cursor).center()
    QApplication.sendEvent(ed.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, ed.viewport().mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == describe(f)
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    cursor.setPosition(block.position())  # the paragraph's start is not underlined: no message
    elsewhere = ed.cursorRect(cursor).center()
    QApplication.sendEvent(ed.viewport(), QHelpEvent(QEvent.Type.ToolTip, elsewhere, ed.viewport().mapToGlobal(elsewhere)))
    QApplication.processEvents()
    assert not QToolTip.isVisible()
