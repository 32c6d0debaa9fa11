"""Qt-free pieces behind the grid: edits and their inverses, automatic totals, paste planning."""

from __future__ import annotations

from decimal import Decimal

from govreport_gui.report.document import Report
from govreport_gui.report.edits import CellEdit, MetaEdit, SectionEdit
from govreport_gui.report.paste import plan_paste
from govreport_gui.report.rules import check
from govreport_gui.report.totals import autofill, recompute_all


def test_edit_returns_its_inverse(sample):
    before = dict(sample.cells)
    inverse = CellEdit.of({"t3.new.natural_person": 60, "t2.penalty.decisions": None}).apply(sample)
    assert sample.cells["t3.new.natural_person"] == 60 and "t2.penalty.decisions" not in sample.cells
    inverse.apply(sample)
    assert sample.cells == before
    undo_title = MetaEdit("title", "新标题").apply(sample)
    assert sample.meta.effective_title() == "新标题"
    undo_title.apply(sample)
    SectionEdit("s6", ("新内容。",)).apply(sample).apply(sample)
    assert sample.sections["s6"] == ["2025年，我局未收取信息处理费。"]


def test_autofill_follows_the_parts_in_order():
    r = Report()
    out = autofill(r, {"t3.result.granted.commercial": 5}, ["t3"])
    assert out == {"t3.result.granted.commercial": 5, "t3.result.granted.total": 5,
                   "t3.result.total.commercial": 5, "t3.result.total.total": 5}
    assert autofill(r, {"t4.review.pending": 2}, ["t3"]) == {"t4.review.pending": 2}  # t4 switched off


def test_autofill_never_touches_a_total_typed_in_the_same_edit(sample):
    out = autofill(sample, {"t3.new.natural_person": 58, "t3.new.total": 99}, ["t3"])
    assert out["t3.new.total"] == 99


def test_recompute_all_fixes_only_what_disagrees(faulty):
    assert recompute_all(faulty, "t4") == {"t4.review.total": 4}
    assert recompute_all(faulty, "t3") == {}


def test_plan_paste_maps_skips_labels_and_refuses_bad_values():
    table = Report().schema.tables["t3"]
    # a whole row copied together with its label: the label position is skipped
    plan = plan_paste(table, 3, 0, "一、本年新收政府信息公开申请数量\t\t\t57\t6\t0\t1\t4\t2\t70\n")
    assert plan.changes["t3.new.natural_person"] == 57 and plan.changes["t3.new.total"] == 70
    assert not plan.errors and plan.outside == 0
    plan = plan_paste(table, 27, 3, "1\t2\n3\t4\n")
    assert plan.changes == {"t3.carried_out.natural_person": 1, "t3.carried_out.commercial": 2}
    assert plan.outside == 2
    bad = plan_paste(table, 3, 3, "5\t-1\tabc\n")
    assert len(bad.errors) == 2 and "负数" in bad.errors[0] and "不是数字" in bad.errors[1]
    fee = plan_paste(Report().schema.tables["t2"], 13, 1, "96,171.6")
    assert fee.changes == {"t2.admin_fee.amount_wan": Decimal("96171.6")}
    fen = plan_paste(Report().schema.tables["t2"], 13, 1, "24252.311082")  # 6 places: 万元 to the fen
    assert fen.changes == {"t2.admin_fee.amount_wan": Decimal("24252.311082")} and not fen.errors
    huge = plan_paste(table, 0, 0, ("1\t" * 200 + "\n") * 200)
    assert huge.errors and "过大" in huge.errors[0] and not huge.changes


def test_blank_report_checks_without_crashing():
    ids = {f.rule for f in check(Report())}
    assert ids == {"meta.required", "n.empty", "n.fee"}
