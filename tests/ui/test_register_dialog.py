"""表三 → 从台账计算…: comparison, drill-down without names, problems, apply as one edit, undo."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QPushButton, QTableView

from govreport_gui.ui.register.register_dialog import DIFF_BG, RegisterDialogs
from tests.readers.register_builders import SECRET_NAMES, generate, write_xlsx


def _menu_action(w, menu_title: str, text: str):
    for menu_action in w.menuBar().actions():
        if menu_action.text() == menu_title:
            for act in menu_action.menu().actions():
                if re.sub(r"\(&\w\)", "", act.text()) == text:  # the access letter aside
                    return act
    raise AssertionError(f"no {menu_title} → {text}")


def test_apply_register_to_table_three_and_undo(window, data_dir, qtbot, tmp_path, monkeypatch):
    rows, expected = generate(2025, 400, seed=5)
    rows.append(("BAD-1", "2025-05-05", "赵某", "", "内容", "予以公开", "2025-05-06", "否", ""))  # no applicant type
    reg = write_xlsx(tmp_path / "台账.xlsx", rows)
    w = window(data_dir / "sample-2025.govreport")
    report = w.session.report
    ed = w.findChild(QPlainTextEdit, "editor.s6")
    w.session.set_section("s6", [*report.sections["s6"], "全年收到申请{{fig:new}}件。"])
    before = {k: report.cells.get(k) for k in report.schema.cells}
    assert ed.toPlainText().endswith(f"全年收到申请{report.value('t3.new.total')}件。")
    seen: dict[str, object] = {}

    def review(dialog) -> bool:
        computed = dialog.findChild(QTableView, "register.computed")
        model = computed.model()
        col_total = model.cols.index("total")
        row_new = model.rows.index("new")
        idx = model.index(row_new, col_total)
        assert idx.data() == str(expected["t3.new.total"])
        assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == DIFF_BG  # the sample's figures differ
        computed.setCurrentIndex(idx)  # drill down: the register rows behind 本年新收·总计
        rows_model = dialog.findChild(QTableView, "register.rows").model()
        assert rows_model.rowCount() == expected["t3.new.total"]
        shown = " ".join(rows_model.index(r, c).data() or "" for r in range(rows_model.rowCount()) for c in range(6))
        assert "YS-" in shown and not any(n in shown for n in SECRET_NAMES)
        problems = dialog.findChild(QTableView, "register.problems").model()
        assert problems.rowCount() == 1 and problems.index(0, 1).data() == str(len(rows) + 3)
        assert "缺少申请人类型" in problems.index(0, 2).data()
        seen["summary"] = dialog.findChild(QLabel, "register.summary").text()
        seen["deadlines"] = dialog.findChild(QTableView, "register.deadlines").model().rowCount()
        return True

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    steps = w.session.stack.count()
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()

    assert "1 行有问题未计入" in str(seen["summary"]) and int(seen["deadlines"]) >= 0
    assert w.session.stack.count() == steps + 1  # one undoable step
    t3 = [k for k in report.schema.cells if k.startswith("t3.")]
    assert all(report.cells[k] == expected.get(k, 0) for k in t3)
    assert report.register is not None and report.register.file == "台账.xlsx"
    assert not [f for f in w.session.findings if f.rule.startswith("t3.")]
    assert ed.toPlainText().endswith(f"全年收到申请{expected['t3.new.total']}件。")  # live figure followed
    grid = w.models["t3"]
    assert grid.data(grid.index_for_key("t3.new.total")) == str(expected["t3.new.total"])
    tip = grid.data(grid.index_for_key("t3.new.total"), Qt.ItemDataRole.ToolTipRole)
    assert f"台账“台账.xlsx”：{expected['t3.new.total']} 件（编号 YS-" in tip  # the 编号 stay with the report
    assert w.isWindowModified()

    w.undo_action.trigger()
    assert {k: report.cells.get(k) for k in report.schema.cells} == before
    assert report.register is None
    assert ed.toPlainText().endswith(f"全年收到申请{before['t3.new.total']}件。")
    w.redo_action.trigger()
    assert report.cells["t3.new.total"] == expected["t3.new.total"] and report.register is not None


def test_unmatched_headers_get_a_mapping_step(window, data_dir, tmp_path, monkeypatch):
    reg = write_xlsx(tmp_path / "m.xlsx", [("A", "2025-03-04", "公民", "予以公开", "2025-03-20")],
                     header=("编号", "来件日期", "申请人类型", "办理结果", "办结日期"))
    w = window(data_dir / "sample-2025.govreport")
    asked: list[list[str]] = []

    def map_columns(cls, parent, err):
        from govreport_gui.ui.register.register_dialog import ColumnMapDialog

        dialog = ColumnMapDialog(err, parent)
        box = dialog.findChild(QComboBox, "map.received")
        asked.append([box.itemText(i) for i in range(box.count())])
        box.setCurrentText("来件日期")
        mapping = dialog.mapping()
        dialog.deleteLater()
        return mapping

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "map_columns", classmethod(map_columns))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: True))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert "来件日期" in asked[0]
    assert w.session.report.cells["t3.new.total"] == 1 and w.session.report.cells["t3.result.granted.natural_person"] == 1


def test_a_separate_case_list_gives_table_four(window, data_dir, tmp_path, monkeypatch):
    reg = write_xlsx(tmp_path / "r.xlsx", [("A", "2025-03-04", "x", "公民", "", "予以公开", "2025-03-20", "否", "")])
    cases = tmp_path / "案件.csv"
    cases.write_text("案号,类型,结果\n复1,行政复议,维持\n诉1,复议后起诉,纠正\n", encoding="utf-8")
    w = window(data_dir / "sample-2025.govreport")

    def review(dialog) -> bool:
        summary = dialog.findChild(QLabel, "register.summary")
        assert "表四不变" in summary.text()
        dialog.findChild(QPushButton, "register.cases").click()
        assert "表四（由案件清单计算）改变" in summary.text()
        return True

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "cases_path", classmethod(lambda cls, *a: str(cases)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    cells = w.session.report.cells
    assert (cells["t4.review.upheld"], cells["t4.review.total"], cells["t4.suit_after_review.corrected"]) == (1, 1, 1)
    w.undo_action.trigger()
    assert cells["t4.review.total"] == 4  # the sample's own figure is back
