"""A published report opened in the window (issue 18): the date it does not print is 待填写, not an
error; its real errors stay errors; typing the date clears the to-do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit

DATA = Path(__file__).resolve().parent.parent / "data" / "real"


def _rows(w) -> list[str]:
    model = w.findings_panel.model() if hasattr(w, "findings_panel") else None
    if model is None:
        from govreport_gui.ui.checks.findings_panel import FindingsModel

        model = next(m for m in w.findChildren(FindingsModel))
    return [model.data(model.index(i, 0)) for i in range(model.rowCount())]


def test_unprinted_date_is_a_to_do_in_the_window(window, qtbot):
    w = window(DATA / "huaian-2024.htm")
    meta = w.session.report.meta
    assert (meta.agency, meta.year, meta.level, meta.date) == ("淮安市人民政府", 2024, "government", None)
    assert w.session.counts() == (0, 0) and w.session.todo_count() == 1
    label = w.counts_label.text()
    assert "待填写 1 项" in label and "错误" not in label
    assert any(r.startswith("待填写：成文日期：导入的报告没有印出落款日期") for r in _rows(w))
    w.tabs.setCurrentWidget(w.text_page)
    field = w.findChild(QLineEdit, "meta.date")
    field.setText("2025年3月28日")
    field.editingFinished.emit()
    assert meta.date == "2025-03-28" and w.session.todo_count() == 0
    assert w.counts_label.text() == "全部校验通过"  # 3月28日: within an area government's 3月31日


def test_real_errors_of_a_published_report_stay_errors(window):
    w = window(DATA / "hongze-2023.htm")
    errors, _ = w.session.counts()
    assert errors == 2  # 表四 总计 printed 0 twice
    assert w.session.todo_count() == 1
