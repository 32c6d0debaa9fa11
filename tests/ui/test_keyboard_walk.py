"""Whole columns and rows typed from the keyboard land in the cells they belong to (issue 12 item 1).

Every key goes to the widget that has the keyboard focus, as a clerk's keys do; the values are read
back at their cell keys, so a figure typed into a label row or a skipped cell shows up as a miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from govreport_gui.ui.grid import grid_nav

SAMPLE = Path(__file__).parents[1] / "data" / "sample-2025.govreport"


def press(qtbot, key) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key)
    QApplication.processEvents()  # the delegate commits Enter/Tab through a queued call


def type_figures(qtbot, figures: list[str], between) -> None:  # type: ignore[no-untyped-def]
    for text in figures:
        for ch in text:
            press(qtbot, ch)
        press(qtbot, between)


def start(qtbot, w, tid: str, key: str):  # type: ignore[no-untyped-def]
    with qtbot.waitActive(w):
        w.activateWindow()
    view = w.show_table(tid)
    view.select_key(key)
    return view


def column_keys(table, first: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The data cells a clerk reads down the printed column (and on into the next column)."""
    cell = next(c for c in table.cells if c.key == first)
    keys, col = [first], cell.col
    while (cell := grid_nav.below(table, cell, col)) is not None:
        keys.append(cell.key)
    return keys


def test_table_two_column_with_enter_never_lands_in_labels(window, qtbot):
    """The issue's steps: 19 Enter 1350 Enter 298 Enter 31 Enter from 行政规范性文件/现行有效件数."""
    w = window()
    view = start(qtbot, w, "t2", "t2.normative_doc.in_force")
    type_figures(qtbot, ["19", "1350", "298", "31", "2.5"], Qt.Key.Key_Return)
    cells = w.session.report.cells
    assert cells["t2.normative_doc.in_force"] == 19
    assert cells["t2.licensing.decisions"] == 1350
    assert cells["t2.penalty.decisions"] == 298
    assert cells["t2.coercion.decisions"] == 31
    assert float(cells["t2.admin_fee.amount_wan"]) == 2.5
    # past the last figure of the column, Enter goes on to the next column's top (not a label)
    assert view.model().key_for_index(view.currentIndex()) == "t2.regulation.repealed"


@pytest.mark.parametrize("tid,first", [("t3", "t3.new.natural_person"), ("t3", "t3.new.commercial"),
                                       ("t2", "t2.regulation.issued")])
def test_whole_column_with_enter_overwrites_every_cell(window, qtbot, tid, first):
    w = window(SAMPLE)  # filled cells: typing must overwrite each one
    table = w.session.report.schema.tables[tid]
    keys = column_keys(table, first)
    assert len(keys) >= 5
    figures = [str(100 + i) for i in range(len(keys))]
    view = start(qtbot, w, tid, first)
    type_figures(qtbot, figures, Qt.Key.Key_Return)
    got = {k: w.session.report.cells.get(k) for k in keys}
    assert got == {k: int(v) for k, v in zip(keys, figures)}
    model = view.model()
    for k, v in zip(keys, figures):  # and the grid shows each where it was typed
        assert model.data(model.index_for_key(k), Qt.ItemDataRole.EditRole) == v


def test_table_four_with_enter_and_tab(window, qtbot):
    """表四 is one row: Enter walks its columns left to right; Tab does the same."""
    w = window()
    table = w.session.report.schema.tables["t4"]
    keys = [c.key for c in grid_nav.reading_order(table)]
    start(qtbot, w, "t4", keys[0])
    type_figures(qtbot, [str(i + 1) for i in range(len(keys))], Qt.Key.Key_Return)
    assert [w.session.report.cells.get(k) for k in keys] == list(range(1, len(keys) + 1))
    w2 = window(SAMPLE)
    start(qtbot, w2, "t4", keys[0])
    type_figures(qtbot, [str(i + 20) for i in range(len(keys))], Qt.Key.Key_Tab)
    assert [w2.session.report.cells.get(k) for k in keys] == list(range(20, 20 + len(keys)))


def test_tab_types_a_row_then_wraps_and_shift_tab_goes_back(window, qtbot):
    w = window(SAMPLE)
    table = w.session.report.schema.tables["t3"]
    order = [c.key for c in grid_nav.reading_order(table)]
    row = [k for k in order if k.startswith("t3.carried_in.")]
    view = start(qtbot, w, "t3", row[0])
    type_figures(qtbot, [str(30 + i) for i in range(len(row))], Qt.Key.Key_Tab)
    assert [w.session.report.cells.get(k) for k in row] == list(range(30, 30 + len(row)))
    # Tab after the row's last cell went on to the next row's first data cell, past the labels
    assert view.model().key_for_index(view.currentIndex()) == "t3.result.granted.natural_person"
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Backtab)
    assert view.model().key_for_index(view.currentIndex()) == "t3.carried_in.total"
    # 表二: Tab from 规章's last figure goes to 行政规范性文件's first, not to the label between
    start(qtbot, w, "t2", "t2.regulation.in_force")
    type_figures(qtbot, ["5", "6"], Qt.Key.Key_Tab)
    assert w.session.report.cells["t2.regulation.in_force"] == 5
    assert w.session.report.cells["t2.normative_doc.issued"] == 6


def test_arrows_skip_labels(window, qtbot):
    w = window()
    view = start(qtbot, w, "t2", "t2.normative_doc.repealed")
    model = view.model()
    press(qtbot, Qt.Key.Key_Down)
    assert model.key_for_index(view.currentIndex()) == "t2.licensing.decisions"
    press(qtbot, Qt.Key.Key_Up)
    assert model.key_for_index(view.currentIndex()) == "t2.normative_doc.issued"
    press(qtbot, Qt.Key.Key_Left)  # 行政规范性文件 is a label: the cursor stays
    assert model.key_for_index(view.currentIndex()) == "t2.normative_doc.issued"
    press(qtbot, Qt.Key.Key_Up)
    assert model.key_for_index(view.currentIndex()) == "t2.regulation.issued"
    press(qtbot, Qt.Key.Key_Up)  # nothing above but headers: stays
    assert model.key_for_index(view.currentIndex()) == "t2.regulation.issued"


def test_typing_on_a_label_says_so(window, qtbot):
    w = window()
    view = start(qtbot, w, "t2", "t2.regulation.issued")
    view.setCurrentIndex(view.model().index(5, 0))  # clicked on 信息内容
    view.setFocus()
    with qtbot.waitSignal(view.message) as blocker:
        press(qtbot, "7")
    assert "信息内容" in blocker.args[0] and "不能填写" in blocker.args[0]
    assert "不能填写" in w.statusBar().currentMessage()
    assert w.session.stack.count() == 0
