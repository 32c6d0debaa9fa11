"""A clerk's second walk (issue 21 items 1–5, 8): out of the grid by keyboard, refusals at the cell,
the end of a column, access letters, dialogs that start where the files are, the figure menu.

Keys go to whatever widget has the keyboard focus, as a clerk's keys do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPushButton

from govreport_gui.ui import folders, settings
from govreport_gui.ui.dialogs import Dialogs, save_prompt
from govreport_gui.ui.window import yearly

DATA = Path(__file__).parents[1] / "data"
SAMPLE = DATA / "sample-2025.govreport"


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key, modifier)
    QApplication.processEvents()


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        press(qtbot, ch)


def active(qtbot, w):  # type: ignore[no-untyped-def]
    with qtbot.waitActive(w):
        w.activateWindow()
    return w


def key_at_cursor(view) -> str | None:  # type: ignore[no-untyped-def]
    return view.model().key_for_index(view.currentIndex())


def editor_of(view) -> QLineEdit | None:  # type: ignore[no-untyped-def]
    """The open cell editor (a closed one may linger until deleted)."""
    return next((e for e in view.findChildren(QLineEdit) if e.isVisible()), None)


# --- 1. out of the grid ------------------------------------------------------------------------------
def test_ctrl_tab_and_ctrl_page_keys_leave_the_grid_for_the_next_tab(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t3")
    view.setFocus()
    view.select_key("t3.new.natural_person")
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentWidget() is w.table_pages["t4"]
    assert QApplication.focusWidget() is w.views["t4"]  # typing goes on in the new table
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.tabs.currentWidget() is w.table_pages["t3"]
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentWidget() is w.table_pages["t4"]
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # wraps round to the text page
    assert w.tabs.currentWidget() is w.text_page
    assert w.text_page.isAncestorOf(QApplication.focusWidget())
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentWidget() is w.table_pages["t4"]


def test_ctrl_tab_works_while_a_cell_is_being_edited(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t2")
    view.setFocus()
    view.select_key("t2.penalty.decisions")
    type_text(qtbot, "77")
    assert editor_of(view) is not None
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert w.tabs.currentWidget() is w.table_pages["t3"]
    assert w.session.report.cells["t2.penalty.decisions"] == 77  # the figure typed is kept


def test_f6_cycles_grid_findings_and_tab_bar(window, qtbot):
    w = active(qtbot, window(DATA / "sample-2025-faulty.govreport"))
    view = w.show_table("t3")
    view.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is w.findings_view
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is w.tabs.tabBar()
    press(qtbot, Qt.Key.Key_Right)  # the tab bar takes arrows: on to 表四
    assert w.tabs.currentWidget() is w.table_pages["t4"]
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is w.views["t4"]
    press(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is w.tabs.tabBar()


def test_alt_letters_reach_each_tab(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    w.show_table("t2").setFocus()
    for letter, page in ((Qt.Key.Key_Y, w.table_pages["t3"]), (Qt.Key.Key_S, w.table_pages["t4"]),
                         (Qt.Key.Key_Z, w.table_pages["t2"]), (Qt.Key.Key_B, w.text_page)):
        press(qtbot, letter, Qt.KeyboardModifier.AltModifier)
        assert w.tabs.currentWidget() is page


def test_escape_leaves_the_cell_editor_and_keeps_the_old_figure(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t2")
    view.setFocus()
    view.select_key("t2.penalty.decisions")
    before = w.session.report.cells["t2.penalty.decisions"]
    type_text(qtbot, "999")
    press(qtbot, Qt.Key.Key_Escape)
    assert editor_of(view) is None and QApplication.focusWidget() is view
    assert w.session.report.cells["t2.penalty.decisions"] == before


# --- 2. refusals at the cell ----------------------------------------------------------------------
def test_a_refused_figure_stays_in_the_cell_in_red_until_fixed(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t2")
    view.setFocus()
    view.select_key("t2.coercion.decisions")
    before = w.session.report.cells["t2.coercion.decisions"]
    type_text(qtbot, "-5")
    press(qtbot, Qt.Key.Key_Return)
    editor = editor_of(view)
    assert editor is not None, "the editor closed on a refused figure"
    assert editor.text() == "-5" and "负数" in (editor.property("refused") or "")
    assert "行政强制" in editor.toolTip()
    assert key_at_cursor(view) == "t2.coercion.decisions"  # the cursor did not move on
    assert "负数" in w.statusBar().currentMessage()
    assert w.session.report.cells["t2.coercion.decisions"] == before
    press(qtbot, Qt.Key.Key_Tab)  # Tab does not slip past it either
    assert editor_of(view) is editor
    press(qtbot, Qt.Key.Key_Escape)  # given up: the old figure, and no stale refusal
    assert editor_of(view) is None and w.statusBar().currentMessage() == ""
    assert w.session.report.cells["t2.coercion.decisions"] == before
    type_text(qtbot, "-5")
    press(qtbot, Qt.Key.Key_Return)
    editor = editor_of(view)
    assert editor is not None and "负数" in w.statusBar().currentMessage()
    type_text(qtbot, "5")  # typing over the selected bad text clears the red
    assert not editor.property("refused") and editor.styleSheet() == ""
    press(qtbot, Qt.Key.Key_Return)
    assert w.session.report.cells["t2.coercion.decisions"] == 5
    assert w.statusBar().currentMessage() == ""  # the refusal no longer applies


def test_a_refused_paste_is_said_until_the_next_good_edit(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t3")
    view.setFocus()
    view.select_key("t3.new.natural_person")
    assert not view.paste_text("1\tx\n")
    assert "未粘贴" in w.statusBar().currentMessage()
    type_text(qtbot, "3")
    press(qtbot, Qt.Key.Key_Return)
    assert w.session.report.cells["t3.new.natural_person"] == 3
    assert w.statusBar().currentMessage() == ""


def test_the_column_hint_goes_once_the_balance_is_fixed(window, qtbot):
    from tests.ui.conftest import click_finding

    w = active(qtbot, window(SAMPLE))
    right = w.session.report.cells["t3.carried_out.natural_person"]
    w.session.set_cells({"t3.carried_out.natural_person": right + 9}, "test")
    click_finding(qtbot, w, "t3.balance")
    hint = w.statusBar().currentMessage()
    assert "自然人" in hint
    w.session.set_cells({"t3.new.commercial": w.session.report.value("t3.new.commercial") + 1}, "another edit")
    assert w.statusBar().currentMessage() == hint  # still wrong: the hint stays
    w.session.stack.undo()
    view = w.views["t3"]
    view.setFocus()
    type_text(qtbot, str(right))
    press(qtbot, Qt.Key.Key_Return)
    assert not any(f.rule == "t3.balance" for f in w.session.findings)
    assert w.statusBar().currentMessage() != hint


# --- 3. the end of a column -------------------------------------------------------------------------
def test_enter_at_the_end_of_a_tall_column_stays_in_view_then_moves_on(window, qtbot):
    w = active(qtbot, window(SAMPLE))
    view = w.show_table("t3")
    view.setFocus()
    view.select_key("t3.carried_out.natural_person")
    value = w.session.report.cells["t3.carried_out.natural_person"]
    type_text(qtbot, str(value))
    press(qtbot, Qt.Key.Key_Return)
    assert key_at_cursor(view) == "t3.carried_out.natural_person"
    cell = view.visualRect(view.currentIndex())
    assert view.viewport().rect().contains(cell), "the corrected cell scrolled out of sight"
    assert "最后一格" in w.statusBar().currentMessage()
    press(qtbot, Qt.Key.Key_Return)
    assert key_at_cursor(view) == "t3.new.commercial"  # the next column's top


def test_enter_goes_straight_on_when_both_cells_are_in_view(window, qtbot):
    """表四 is one row: every column ends at once, and the next one is beside it."""
    w = active(qtbot, window())
    view = w.show_table("t4")
    view.setFocus()
    first = w.session.report.schema.tables["t4"].cells[0].key
    view.select_key(first)
    type_text(qtbot, "1")
    press(qtbot, Qt.Key.Key_Return)
    assert key_at_cursor(view) != first


# --- 4. access letters ------------------------------------------------------------------------------
def test_every_menu_item_has_an_access_letter(window, qtbot):
    w = window(SAMPLE)
    settings.add_recent(str(SAMPLE))
    w.recent_menu.aboutToShow.emit()
    menus = w.menuBar().findChildren(QMenu)
    assert w.recent_menu in menus and len(menus) >= 6
    submenus = {m.menuAction() for m in menus}  # (QAction.menu() here lets PySide delete the menu)
    for menu in menus:
        for act in menu.actions():
            if act.isSeparator() or act in submenus:
                continue
            assert "&" in act.text().replace("&&", ""), f"{menu.title()} → {act.text()} has no access letter"
    assert w.recent_menu.actions()[0].text().startswith("&1 ")


def test_the_save_prompt_buttons_have_access_letters(qtbot):
    box = save_prompt(None, "本局.govreport")
    qtbot.addWidget(box)
    answers = {b.text(): b.property("answer") for b in box.buttons()}
    assert answers == {"保存(&S)": "save", "不保存(&N)": "discard", "取消(&C)": "cancel"}


# --- 5. where dialogs start --------------------------------------------------------------------------
def test_dialogs_start_with_the_open_report_then_the_kind_then_documents(window, qtbot, tmp_path, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, parent, folder: asked.append(folder)))
    w = window()
    w.open_dialog()  # a new report, nothing remembered: Documents (else home)
    assert Path(asked[-1]) == folders.documents()
    office = tmp_path / "科室 共享" / "2025年"
    office.mkdir(parents=True)
    report = office / "本局.govreport"
    shutil.copy(SAMPLE, report)
    assert w.open_path(report)
    yearly.new_from_last(w)  # 由上年报告新建 starts beside the open report
    assert Path(asked[-1]) == office
    w2 = window()
    w2.open_dialog()  # no report open: the last folder used for reports
    assert Path(asked[-1]) == office


def test_exports_start_beside_the_report_and_remember_their_folder(window, qtbot, tmp_path, monkeypatch):
    suggested: list[str] = []
    out = tmp_path / "导出"
    out.mkdir()
    monkeypatch.setattr(Dialogs, "export_path", classmethod(
        lambda cls, parent, path, flt: (suggested.append(path), str(out / Path(path).name))[1]))
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, *a: True))
    report = tmp_path / "报告.govreport"
    shutil.copy(SAMPLE, report)
    w = window(report)
    w.findChild(type(w.undo_action), "export.html").trigger()
    assert Path(suggested[-1]).parent == tmp_path
    w2 = window()
    w2.findChild(type(w.undo_action), "export.html").trigger()
    assert Path(suggested[-1]).parent == out  # no report file: where exports went last


def test_rollup_exports_start_in_the_folder_of_the_units(qtbot, tmp_path, monkeypatch):
    from govreport_gui.ui.rollup.rollup_window import RollupWindow

    units = tmp_path / "各单位"
    units.mkdir()
    shutil.copy(SAMPLE, units / "甲局.govreport")
    suggested: list[str] = []
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, path, flt: suggested.append(path)))
    win = RollupWindow(lambda report, source: None)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.finished, timeout=10_000):
        win.add_paths([units])
    win.export_workbook()
    win.export_report()
    win.export_template()
    assert [Path(p).parent for p in suggested] == [units] * 3


# --- 8. the figure menu ------------------------------------------------------------------------------
def test_insert_figure_menu_shows_each_value_and_has_room_for_its_arrow(window, qtbot):
    w = window(SAMPLE)
    w.tabs.setCurrentWidget(w.text_page)
    button = w.text_page.findChild(QPushButton, "insert.s1")
    assert button is not None and button.menu() is not None
    menu = button.menu()
    menu.aboutToShow.emit()
    new = w.session.report.figure_value("new")
    item = next(a for a in menu.actions() if a.objectName() == "figure.new")
    assert item.text().endswith(f"：{new}")
    w.session.set_cells({"t3.new.natural_person": w.session.report.value("t3.new.natural_person") + 1}, "test")
    menu.aboutToShow.emit()
    assert item.text().endswith(f"：{w.session.report.figure_value('new')}")
    text_width = button.fontMetrics().horizontalAdvance(button.text())
    assert button.sizeHint().width() >= text_width + 16  # the arrow gets its own room
