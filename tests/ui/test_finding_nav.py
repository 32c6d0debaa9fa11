"""Clicking a finding shows the likely culprit: the sentence scrolled into view, the 表三 cell most
likely wrong with its column selected (issue 12 item 9)."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.conftest import click_finding

DATA = Path(__file__).parents[1] / "data"


def selected_keys(view) -> set[str]:  # type: ignore[no-untyped-def]
    model = view.model()
    return {model.key_for_index(i) for i in view.selectionModel().selectedIndexes()} - {None}


def current_key(view) -> str | None:  # type: ignore[no-untyped-def]
    return view.model().key_for_index(view.currentIndex())


def visible(view, key: str) -> bool:  # type: ignore[no-untyped-def]
    return view.viewport().rect().intersects(view.visualRect(view.model().index_for_key(key)))


def column(w, col: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {f"t3.{row}.{col}" for row in w.session.report.schema.lists["t3_rows"]}


def test_balance_goes_to_carried_out_and_selects_the_column(window, qtbot):
    w = window(DATA / "sample-2025.govreport")
    w.session.set_cells({"t3.carried_out.natural_person": 9}, "test")  # 结转下年度 typed wrong
    assert any(f.rule == "t3.balance" for f in w.session.findings)
    click_finding(qtbot, w, "t3.balance")
    view = w.views["t3"]
    assert w.tabs.currentWidget() is view.parentWidget()
    assert current_key(view) == "t3.carried_out.natural_person"
    assert visible(view, "t3.carried_out.natural_person")  # far below 本年新收: scrolled to
    assert selected_keys(view) == column(w, "natural_person")
    assert "自然人" in w.statusBar().currentMessage() and "结转下年度" in w.statusBar().currentMessage()


def test_balance_goes_to_carried_in_when_last_year_disagrees(window, qtbot):
    w = window(DATA / "sample-2025.govreport")
    report = w.session.report
    report.last = copy.deepcopy(report)
    report.last.cells["t3.carried_out.commercial"] = 0
    w.session.set_cells({"t3.carried_in.commercial": 2}, "test")
    click_finding(qtbot, w, "t3.balance")
    view = w.views["t3"]
    assert current_key(view) == "t3.carried_in.commercial"
    assert selected_keys(view) == column(w, "commercial")
    assert "上年" in w.statusBar().currentMessage()


def test_swapped_columns_select_the_column_and_say_which_partner(window, qtbot):
    w = window(DATA / "sample-2025-faulty.govreport")  # one application filed under 其他, not 自然人
    click_finding(qtbot, w, "t3.balance")
    view = w.views["t3"]
    assert selected_keys(view) == column(w, "natural_person")
    assert "其他" in w.statusBar().currentMessage()


def test_narrative_finding_scrolls_the_sentence_into_view(window, qtbot):
    w = window(DATA / "sample-2025-faulty.govreport")
    session = w.session
    filler = [f"第{i}段：本机关按照条例要求做好政府信息公开工作，持续完善工作机制。" for i in range(60)]
    session.set_section("s1", filler + session.report.sections["s1"])  # the figure now far down
    assert any(f.rule == "n.figure" for f in session.findings)
    w.tabs.setCurrentWidget(w.views["t3"].parentWidget())  # the clerk is looking at a table
    click_finding(qtbot, w, "n.figure")
    QApplication.processEvents()
    page, editor = w.text_page, w.text_page.editors["s1"]
    assert w.tabs.currentWidget() is page
    cursor = editor.textCursor()
    assert cursor.hasSelection() and cursor.blockNumber() >= 60
    rect = editor.cursorRect()
    assert editor.viewport().rect().contains(rect.center())  # inside the editor's view ...
    centre = editor.viewport().mapTo(page.viewport(), rect.center())
    assert page.viewport().rect().contains(centre)  # ... and the page scrolled to show it
