"""起草 in the window (issue 23 item 1): the clerk puts the cursor under a sub-heading of 一 and presses
Ctrl+Shift+D (or picks from the 起草 menu); the draft's figures are live fields, follow the table,
and go with one Ctrl+Z; nothing the clerk wrote is touched."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QPushButton

from govreport_gui.report import native
from govreport_gui.report.document import new_report
from govreport_gui.report.draft import draft_topic
from govreport_gui.report.totals import autofill
from govreport_gui.ui.text.narrative import FIELD_PROPERTY
from govreport_gui.ui.window.help_menu import SHORTCUTS, shortcuts_text
from tests.ui.conftest import type_into
from tests.ui.test_narrative import commit
from tests.ui.test_second_walk import active

DRAFT = (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def s1(w) -> QPlainTextEdit:
    w.tabs.setCurrentWidget(w.text_page)
    return w.findChild(QPlainTextEdit, "editor.s1")


def put_cursor(ed, paragraph: int, text: str | None = None, after: bool = True) -> None:
    """The cursor in a paragraph, just after (or on) ``text`` — as a click there would put it."""
    block = ed.document().findBlockByNumber(paragraph)
    col = block.length() - 1 if text is None else block.text().index(text) + (len(text) if after else 0)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + col)
    ed.setTextCursor(cursor)
    ed.setFocus()


def press_draft(qtbot, ed) -> None:
    """Ctrl+Shift+D where the clerk types: the focused editor of an active window."""
    assert QApplication.focusWidget() is ed
    qtbot.keyClick(ed, *DRAFT)
    QApplication.processEvents()


def fields(ed) -> list[tuple[str, str]]:
    """(field, text shown) of every live field in the editor."""
    out = []
    block = ed.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            ref = frag.charFormat().property(FIELD_PROPERTY)
            if ref:
                out.append((ref, frag.text()))
            it += 1
        block = block.next()
    return out


def message(w) -> str:
    bar = w.statusBar()
    return bar.toolTip() or bar.currentMessage()


def open_rules(w) -> list[tuple[str, str]]:
    return sorted((f.rule, str(f.detail)) for f in w.session.findings if f.open)


def test_draft_on_the_sample_by_keyboard(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    before = open_rules(w)
    ed = s1(w)
    original = ed.toPlainText()
    put_cursor(ed, 2, "（二）依申请公开。")  # on the sub-heading 依申请公开
    press_draft(qtbot, ed)
    report = w.session.report
    drafted = report.render(draft_topic(report, "依申请公开"))
    assert ed.document().findBlockByNumber(2).text() == "（二）依申请公开。" + drafted + original.splitlines()[2][9:]
    assert drafted.startswith("本年度共收到政府信息公开申请70件，上年结转政府信息公开申请4件。全年办结69件，其中予以公开29件")
    assert "{{fig:new}}" in report.sections["s1"][2]
    # every figure is a live field showing the table's value; no finding comes with the draft
    shown = fields(ed)
    assert len(shown) == 13
    for ref, text in shown:
        kind, _, fid = ref.partition(":")
        assert kind == "fig" and text == str(report.figure_value(fid))
    assert open_rules(w) == before
    assert "已起草：依申请公开" in message(w)
    # the cursor stands after the draft, where the clerk goes on writing
    assert ed.textCursor().block().text()[:ed.textCursor().positionInBlock()].endswith("被提起行政诉讼2件。")


def test_changing_a_cell_changes_the_drafted_figure(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    ed = s1(w)
    put_cursor(ed, 2, "（二）依申请公开。")
    press_draft(qtbot, ed)
    stored = list(w.session.report.sections["s1"])
    report = w.session.report
    partial, typed = report.figure_value("partial"), report.value("t3.result.partial.natural_person") + 2
    assert f"部分公开{partial}件" in ed.document().findBlockByNumber(2).text()
    type_into(qtbot, w.views["t3"], "t3.result.partial.natural_person", str(typed))
    assert report.figure_value("partial") == partial + 2  # the total followed the cell
    assert f"部分公开{partial + 2}件" in s1(w).document().findBlockByNumber(2).text()
    assert w.session.report.sections["s1"] == stored  # the stored text keeps its fields


def test_undo_removes_the_whole_draft_in_one_step(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    ed = s1(w)
    put_cursor(ed, 1, "（一）主动公开。")
    commit(ed, "本局")  # typed just before: its own undo step, not merged with the draft
    typed = ed.toPlainText()
    press_draft(qtbot, ed)
    assert ed.toPlainText() != typed
    commit(ed, "另外")  # typed just after the draft: not merged into it either
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "另外" not in ed.toPlainText() and "制发行政规范性文件3件，废止" in ed.toPlainText()
    qtbot.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ed.toPlainText() == typed  # one Ctrl+Z: the whole draft, and only it
    qtbot.keyClick(ed, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "现行有效行政规范性文件17件；作出行政许可决定1286件" in ed.toPlainText()


def test_a_selection_is_never_replaced(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    ed = s1(w)
    block = ed.document().findBlockByNumber(2)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + block.text().index("全年收到"))
    cursor.setPosition(block.position() + block.text().index("，办结"), QTextCursor.MoveMode.KeepAnchor)
    selected = cursor.selectedText()
    ed.setTextCursor(cursor)
    ed.setFocus()
    line = block.text()
    press_draft(qtbot, ed)
    # the selected words stay; the draft goes after the sentence the selection ends in (here the
    # paragraph's last): the next paragraph
    assert ed.document().findBlockByNumber(2).text() == line and selected in line
    report = w.session.report
    assert ed.document().findBlockByNumber(3).text() == report.render(draft_topic(report, "依申请公开"))


def test_the_menu_shows_what_it_inserts_and_drafts_a_chosen_part(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    ed = s1(w)
    button = w.findChild(QPushButton, "draft.s1")
    menu = button.menu()
    assert isinstance(menu, QMenu) and button.isVisible()
    menu.aboutToShow.emit()
    item = next(a for a in menu.actions() if a.objectName() == "draft.主动公开")
    assert item.toolTip().startswith("本年度，制发行政规范性文件3件")
    assert any("Ctrl+Shift+D" in a.text() for a in menu.actions())
    put_cursor(ed, 5)  # under （五）监督保障: the chosen part still goes after its own sub-heading
    item.trigger()
    assert ed.document().findBlockByNumber(1).text().startswith("（一）主动公开。本年度，制发行政规范性文件3件")
    assert ed.document().findBlockByNumber(5).text() == "（五）监督保障。明确专人负责，开展业务培训2次，全年未发生责任追究情况。"


def test_nothing_to_draft_under_a_heading_without_figures(window, data_dir, qtbot):
    w = active(qtbot, window(data_dir / "sample-2025.govreport"))
    ed = s1(w)
    text = ed.toPlainText()
    put_cursor(ed, 3)  # （三）政府信息管理
    depth = w.session.stack.count()
    press_draft(qtbot, ed)
    assert ed.toPlainText() == text and w.session.stack.count() == depth
    assert "没有可由表格起草的内容" in message(w)


def test_with_last_year_the_change_is_a_live_field(window, sample, tmp_path, qtbot):
    now = copy.deepcopy(sample)
    now.meta.year, now.meta.date = 2026, "2027-01-20"
    now.last = copy.deepcopy(sample)
    now.sections["s1"] = new_report().sections["s1"]  # this year's 一 still to be written
    now.cells.update(autofill(now, {"t3.new.natural_person": now.value("t3.new.natural_person") + 10,
                                    "t3.result.granted.natural_person": now.value("t3.result.granted.natural_person") + 10},
                              ["t3"]))
    path = tmp_path / "2026.govreport"
    native.save(now, path)
    w = active(qtbot, window(path))
    ed = s1(w)
    put_cursor(ed, 1)  # at the end of （二）依申请公开情况。
    press_draft(qtbot, ed)
    line = ed.document().findBlockByNumber(1).text()
    assert "本年度共收到政府信息公开申请80件，同比增长14.3%，上年结转" in line
    assert ("yoy:new", "，同比增长14.3%") in fields(ed)
    assert not [f for f in w.session.findings if f.rule == "n.figure"]
    type_into(qtbot, w.views["t3"], "t3.new.natural_person", str(now.value("t3.new.natural_person") - 20))
    assert "申请60件，同比下降14.3%，上年结转" in s1(w).document().findBlockByNumber(1).text()
    assert "{{yoy:new}}" in w.session.report.sections["s1"][1]
    # 检查 → 加载上年报告用于比对 with another last year: the change follows it
    other = copy.deepcopy(w.session.report.last)
    other.cells["t3.new.total"] = 50
    w.session.report.last = other
    w.session.recheck()
    assert "申请60件，同比增长20%，上年结转" in s1(w).document().findBlockByNumber(1).text()


def test_the_shortcut_is_listed_in_help():
    assert any(key == "Ctrl+Shift+D" and "起草" in what for key, what in SHORTCUTS)
    assert "Ctrl+Shift+D" in shortcuts_text()
