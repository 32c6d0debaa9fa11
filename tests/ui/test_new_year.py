"""A new report: what 由上年报告新建 carried and left, and to-dos instead of red errors until the
clerk starts a part (issue 12 item 10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.window import yearly
from tests.ui.conftest import type_into

DATA = Path(__file__).parents[1] / "data"


def panel_texts(w) -> list[str]:  # type: ignore[no-untyped-def]
    m = w.findings_model
    return [m.data(m.index(i)) for i in range(m.rowCount())]


def new_from(w, monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, p, folder: str(DATA / name)))
    assert yearly.new_from_last(w)


def test_new_from_last_says_what_it_carried_and_what_is_left(window, monkeypatch):
    w = window()
    new_from(w, monkeypatch, "sample-2025.govreport")
    notes = w.findChild(QLabel, "import.notes")
    text = notes.text()
    assert notes.isVisible() and "由2025年报告新建2026年报告" in text
    last = w.session.report.last
    assert f"机关名称“{last.meta.agency}”" in text
    assert "上年结转" in text and "自然人 4" in text and "总计 5" in text  # per column, as carried
    assert f"行政规范性文件 {last.display('t2.normative_doc.in_force')}" in text  # last year's base
    assert "存在的主要问题" in text  # last year's 五 for comparison
    for left in ("成文日期", "表二", "正文"):
        assert left in text.split("尚需填写")[1]
    notes.linkActivated.emit("hide")  # 收起 gives the room back to the grid
    assert not notes.isVisible()


def test_new_report_opens_with_todos_not_red_errors(window, qtbot, monkeypatch):
    w = window()
    new_from(w, monkeypatch, "sample-2025.govreport")
    session = w.session
    assert any(f.severity == "error" for f in session.findings)  # the rules themselves are unchanged
    assert session.counts() == (0, 0)
    assert "错误" not in w.counts_label.text() and "待填写" in w.counts_label.text()
    assert all(t.startswith("待填写：") for t in panel_texts(w))
    model = w.models["t3"]
    idx = model.index_for_key("t3.carried_in.natural_person")
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) is None  # not red before anything is typed
    # typing in 表三 starts it: its balance is now an error, the untouched parts stay to-dos
    type_into(qtbot, w.views["t3"], "t3.new.natural_person", "5")
    texts = panel_texts(w)
    assert any(t.startswith("错误：表三") for t in texts)
    assert any(t.startswith("待填写：") and "成文日期" in t for t in texts)
    assert "错误" in w.counts_label.text() and "待填写" in w.counts_label.text()
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole) is not None


def test_opened_report_shows_errors_at_once(window):
    w = window(DATA / "sample-2025-faulty.govreport")
    assert w.session.todo_count() == 0 and w.session.counts()[0] == 3
    assert "错误 3 个" in w.counts_label.text()


def test_blank_new_report_lists_todos(window):
    w = window()  # 文件 → 新建 / first start
    assert w.session.counts()[0] == 0 and w.session.todo_count() >= 5
    assert "待填写" in w.counts_label.text()
