"""The table models without a window: key ↔ index, flags, parsing, undo through the session."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from govreport_gui.report.schema import load_schema
from govreport_gui.ui.grid.table_model import ReportTableModel
from govreport_gui.ui.session import ReportSession


@pytest.fixture
def session(sample):
    return ReportSession(sample)


@pytest.mark.parametrize("tid", ["t2", "t3", "t4"])
def test_model_passes_qt_model_tester(qtmodeltester, session, tid):
    model = ReportTableModel(session, load_schema().tables[tid])
    qtmodeltester.check(model)


def test_every_key_round_trips(session):
    schema = load_schema()
    for table in schema.tables.values():
        model = ReportTableModel(session, table)
        for cell in table.cells:
            idx = model.index_for_key(cell.key)
            assert model.key_for_index(idx) == cell.key
            assert model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    model = ReportTableModel(session, schema.tables["t3"])
    corner = model.index(0, 0)
    assert model.key_for_index(corner) is None
    assert not model.flags(corner) & Qt.ItemFlag.ItemIsEditable
    assert model.data(corner).startswith("（本列数据的勾稽关系")


def test_set_data_parses_refuses_and_undoes(session, qtbot):
    model = ReportTableModel(session, load_schema().tables["t2"])
    idx = model.index_for_key("t2.penalty.decisions")
    assert model.setData(idx, " ３４５ ")
    assert session.report.cells["t2.penalty.decisions"] == 345 and model.data(idx) == "345"
    for bad, hint in (("abc", "不是数字"), ("-5", "负数"), ("2000000000", "超过10亿"), ("1.5", "不是整数")):
        with qtbot.waitSignal(model.inputRejected) as sig:
            assert not model.setData(idx, bad)
        assert hint in sig.args[0] and "行政处罚" in sig.args[0]
    assert session.report.cells["t2.penalty.decisions"] == 345
    fee = model.index_for_key("t2.admin_fee.amount_wan")
    assert model.setData(fee, "96171.6") and session.report.cells["t2.admin_fee.amount_wan"] == Decimal("96171.6")
    assert model.setData(fee, "24252.311082")  # typed to the fen: 6 places
    assert session.report.cells["t2.admin_fee.amount_wan"] == Decimal("24252.311082")
    assert not [f for f in session.findings if f.rule == "value.fee"]
    for _ in range(3):
        session.stack.undo()
    assert session.report.cells["t2.penalty.decisions"] == 342


def test_accessible_names_come_from_headers(session):
    model = ReportTableModel(session, load_schema().tables["t3"])
    idx = model.index_for_key("t3.result.denied.third_party.commercial")
    name = model.data(idx, Qt.ItemDataRole.AccessibleTextRole)
    assert name == "三、本年度办理结果 （三）不予公开 4.保护第三方合法权益 申请人情况 法人或其他组织 商业企业"


def test_colours_and_tooltips_follow_findings(faulty):
    session = ReportSession(faulty)
    model = ReportTableModel(session, load_schema().tables["t3"])
    bad = model.index_for_key("t3.new.natural_person")
    good = model.index_for_key("t3.new.commercial")
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) is not None
    assert "本年新收56＋上年结转3＝59" in model.data(bad, Qt.ItemDataRole.ToolTipRole)
    assert model.data(good, Qt.ItemDataRole.BackgroundRole) is None


def test_an_edit_repaints_only_the_cells_that_changed(session):
    """One figure typed asks the views to repaint that cell, the totals filled from it and the
    cells whose findings came or went — one cell at a time, never the whole table."""
    model = ReportTableModel(session, load_schema().tables["t3"])
    changed: list[tuple[str, str]] = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append((model.key_for_index(a), model.key_for_index(b))))
    bad = model.index_for_key("t3.new.natural_person")
    assert model.setData(bad, "58")  # 58 + 4 carried in no longer balances 57 results + 5 carried out
    findings = {k for f in session.findings for k in f.cells}
    assert "t3.carried_in.natural_person" in findings  # the balance names the whole column
    assert all(a == b and a is not None for a, b in changed), changed
    assert {a for a, _ in changed} == {"t3.new.natural_person", "t3.new.total"} | findings
    assert model.data(model.index_for_key("t3.carried_in.natural_person"), Qt.ItemDataRole.BackgroundRole) is not None
    changed.clear()
    assert model.setData(bad, "57")  # mended: the same cells lose their colour
    assert {a for a, _ in changed} == {"t3.new.natural_person", "t3.new.total"} | findings
    assert model.data(model.index_for_key("t3.carried_in.natural_person"), Qt.ItemDataRole.BackgroundRole) is None
    changed.clear()
    assert model.setData(bad, "57")  # the same figure again: nothing at all
    assert changed == []


def test_label_roles_are_the_templates(session):
    """What a label shows is worked out once; it must still be the template's."""
    t2 = load_schema().tables["t2"]
    model = ReportTableModel(session, t2)
    group = t2.group_rows[0]  # 第二十条第（一）项 heads a group: bold
    assert model.data(model.index(group, 0)).startswith("第二十条")
    assert model.data(model.index(group, 0), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(group + 1, 0), Qt.ItemDataRole.FontRole) is None
    model = ReportTableModel(session, load_schema().tables["t3"])
    assert model.data(model.index(7, 2)) == "1.属于国家秘密"
    assert model.data(model.index(7, 2), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft
    assert model.data(model.index(5, 0), Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignCenter
    assert model.data(model.index(7, 0)) is None  # covered by the merged 三、本年度办理结果 above
    assert model.data(model.index(5, 0)) == model.data(model.index(5, 0), Qt.ItemDataRole.ToolTipRole) == "三、本年度办理结果"
