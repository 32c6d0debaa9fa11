"""Every rule of spec §3, holding and broken, on the consistent sample report."""

from __future__ import annotations

import copy
import time
from decimal import Decimal

import pytest

from govreport_gui.report.carry import carry_forward
from govreport_gui.report.document import Waiver, new_report
from govreport_gui.report.findings import summary
from govreport_gui.report.messages import describe
from govreport_gui.report.rules import check


def ids(findings, severity=None):
    return sorted({f.rule for f in findings if severity is None or f.severity == severity})


def test_consistent_report_has_no_findings(sample):
    assert check(sample) == []


def test_faulty_sample_gives_exactly_its_three_faults(faulty):
    findings = check(faulty)
    assert ids(findings) == ["n.figure", "t3.balance", "t4.total"]
    balance = [f for f in findings if f.rule == "t3.balance"]
    assert {f.detail["col"] for f in balance} == {"natural_person", "other_org"}
    np = next(f for f in balance if f.detail["col"] == "natural_person")
    assert np.cells == (
        "t3.new.natural_person", "t3.carried_in.natural_person",
        "t3.result.total.natural_person", "t3.carried_out.natural_person",
    )
    assert (np.expected, np.actual) == (59, 60)
    assert "表三‘自然人’列：本年新收56＋上年结转3＝59，不等于办理结果总计56＋结转下年度4＝60" in describe(np)
    assert "错误的申请人类型" in describe(np) and "‘其他’列" in describe(np)


# --- injected faults: each gives exactly its error rule naming the right cells ----------------
def _inject(report, **cells):
    r = copy.deepcopy(report)
    for key, value in cells.items():
        r.cells[key.replace("__", ".")] = value
    return r


def test_column_that_no_longer_balances(sample):
    r = _inject(sample, t3__carried_out__commercial=2, t3__carried_out__total=6)
    f = check(r)
    assert ids(f, "error") == ["t3.balance"]
    cols = {x.detail["col"] for x in f if x.rule == "t3.balance"}
    assert cols == {"commercial", "total"}
    assert all("swapped_with" not in x.detail for x in f)


def test_wrong_row_total(sample):
    r = _inject(sample, t3__result__granted__total=31)
    f = [x for x in check(r) if x.severity == "error"]
    row = [x for x in f if x.rule == "t3.row_total"]
    assert len(row) == 1 and row[0].cells[0] == "t3.result.granted.total" and len(row[0].cells) == 7
    assert row[0].expected == 29 and row[0].actual == 31
    # the 总计 column's result total now disagrees too: that is the same typo seen from the column
    assert ids(f) == ["t3.result_total", "t3.row_total"]


def test_wrong_result_total(sample):
    # 科研机构 typed a (七)总计 of 1 with no outcome under it; rows and the column balance still hold,
    # so the 总计 column's (七) (70) now disagrees with its outcomes (69) as well
    r = _inject(sample, **{"t3__result__total__research": 1, "t3__new__research": 1,
                           "t3__new__total": 71, "t3__result__total__total": 70})
    f = check(r)
    assert ids(f) == ["n.figure", "t3.result_total"]  # section 一 says 办结69件: caught there too
    rt = [x for x in f if x.rule == "t3.result_total"]
    assert [x.detail["col"] for x in rt] == ["research", "total"]
    assert rt[0].cells[0] == "t3.result.total.research" and len(rt[0].cells) == 22
    assert "（七）总计填写为1" in describe(rt[0])


def test_wrong_t4_total(sample):
    r = _inject(sample, t4__suit_direct__total=3)
    f = check(r)
    assert ids(f) == ["t4.total"]
    assert f[0].cells == ("t4.suit_direct.total", "t4.suit_direct.upheld", "t4.suit_direct.corrected",
                          "t4.suit_direct.other", "t4.suit_direct.pending")
    assert describe(f[0]).startswith("表四‘行政诉讼（未经复议直接起诉）’：总计填写为3")


@pytest.mark.parametrize("fee", [Decimal("-1"), "十二万", Decimal("1.2345678")])
def test_bad_fee(sample, fee):
    r = _inject(sample, t2__admin_fee__amount_wan=fee)
    f = check(r)
    assert ids(f) == ["value.fee"] and f[0].cells == ("t2.admin_fee.amount_wan",)


@pytest.mark.parametrize("value", [-2, "abc", Decimal("2.5")])
def test_bad_count(sample, value):
    r = _inject(sample, t2__penalty__decisions=value)
    f = check(r)
    assert ids(f) == ["value.count"] and f[0].cells == ("t2.penalty.decisions",)


def test_unreadable_count_does_not_cascade_into_sum_rules(sample):
    r = _inject(sample, t3__new__natural_person="五十七")
    assert ids(check(r)) == ["value.count"]


def test_empty_section_five(sample):
    for text in ([], ["无"], ["暂无。"], ["（文字描述）"], ["问题不多。"]):
        r = copy.deepcopy(sample)
        r.sections["s5"] = text
        f = check(r)
        assert ids(f) == ["n.empty"], text
        assert f[0].detail["section"] == "s5"


def test_subheadings_alone_are_empty(sample):
    r = copy.deepcopy(sample)
    r.sections["s1"] = ["（一）主动公开情况", "（二）依申请公开情况。", "（三）政府信息管理"]
    assert "n.empty" in ids(check(r))


def test_only_the_inserted_subheadings_is_empty(sample):
    """A new report's 一 holds the five sub-headings the app inserts: nothing is written yet."""
    r = copy.deepcopy(sample)
    r.sections["s1"] = new_report(2025).sections["s1"]
    assert r.sections["s1"][0] == "（一）主动公开情况。"
    f = check(r)
    assert ids(f) == ["n.empty"] and f[0].detail["section"] == "s1"


def test_subheading_with_nothing_under_it_does_not_cover_its_topic(sample):
    r = copy.deepcopy(sample)
    r.sections["s1"] = [
        "2025年，我局按照《中华人民共和国政府信息公开条例》要求，坚持以公开为常态。",
        "（一）主动公开情况。", "全年在区政府门户网站发布信息126条。",
        "（二）依申请公开情况。",  # nothing written under it
        "（三）政府信息管理情况。", "落实公开前保密审查，动态更新主动公开目录。",
        "（四）政府信息公开平台建设情况。", "完善政府网站专栏。",
        "（五）监督保障情况。", "明确专人负责，开展业务培训2次。",
    ]
    f = check(r)
    assert ids(f) == ["n.topics"] and f[0].detail["topic"] == "依申请公开"


def test_text_on_the_next_subheadings_line_does_not_cover_the_one_before(sample):
    """Seen in the window: only （五） written, on its heading's own line, also ticked （四）."""
    r = copy.deepcopy(sample)
    r.sections["s1"] = [
        "（一）主动公开情况。全年在区政府门户网站发布信息126条。",
        "（二）依申请公开情况。全年收到申请70件，均按期答复。",
        "（三）政府信息管理情况。落实公开前保密审查。",
        "（四）政府信息公开平台建设情况。",  # nothing written under it
        "（五）监督保障情况。本局明确专人负责，开展业务培训2次。",
    ]
    f = [x for x in check(r) if x.rule == "n.topics"]
    assert [x.detail["topic"] for x in f] == ["政府信息公开平台建设"]


def test_missing_agency_year_date(sample):
    r = copy.deepcopy(sample)
    r.meta.agency = " "
    f = check(r)
    assert ids(f) == ["meta.required"] and f[0].detail["field"] == "agency"
    assert describe(f[0]) == "未填写机关名称"
    r.meta.date = "2026-13-40"
    assert "无法识别" in describe([x for x in check(r) if x.detail.get("field") == "date"][0])


def test_deadline_by_level(sample):
    r = copy.deepcopy(sample)
    r.meta.date = "2026-02-01"
    f = check(r)
    assert ids(f) == ["meta.deadline"] and f[0].expected == "2026-01-31"
    assert "2026年2月1日晚于部门报告的法定公布期限2026年1月31日" in describe(f[0])
    r.meta.level = "government"
    assert check(r) == []


def test_narrative_figure_names_the_cell(sample):
    r = copy.deepcopy(sample)
    r.sections["s1"][2] = "（二）依申请公开。全年收到政府信息公开申请７１件，上年结转4件，办结69件，结转下年度继续办理6件。"
    f = [x for x in check(r) if x.rule == "n.figure"]
    assert {(x.cells, x.expected, x.actual) for x in f} == {
        (("t3.new.total",), 70, 71), (("t3.carried_out.total",), 5, 6)}
    assert all(x.detail["section"] == "s1" and x.detail["paragraph"] == 2 for x in f)
    assert any("７１件" in x.detail["quote"] for x in f)


@pytest.mark.parametrize(
    "sentence, cells, table",
    [
        ("全年发生行政复议5件。", ("t4.review.total",), 4),
        ("涉及行政诉讼3起。", ("t4.suit_direct.total", "t4.suit_after_review.total"), 2),
        ("本年制发规章1件。", ("t2.regulation.issued",), 0),
        ("新增行政规范性文件4件。", ("t2.normative_doc.issued",), 3),
        ("上年结转申请2件。", ("t3.carried_in.total",), 4),
        ("共办结申请68件。", ("t3.result.total.total",), 69),
    ],
)
def test_each_narrative_quantity(sample, sentence, cells, table):
    r = copy.deepcopy(sample)
    r.sections["s6"].append(sentence)
    f = [x for x in check(r) if x.rule == "n.figure"]
    assert len(f) == 1 and f[0].cells == cells and f[0].expected == table


def test_figures_that_agree_are_silent(sample):
    r = copy.deepcopy(sample)
    r.sections["s6"].append("全年发生行政复议4件，行政诉讼2件，制发行政规范性文件3件。")
    assert check(r) == []


def test_missing_topic(sample):
    r = copy.deepcopy(sample)
    r.sections["s1"][5] = "（五）其他。明确专人负责，开展业务培训2次。"
    f = check(r)
    assert ids(f) == ["n.topics"] and f[0].detail["topic"] == "监督保障"


def test_fee_statement(sample):
    r = copy.deepcopy(sample)
    r.sections["s6"] = ["2025年，我局认真落实上级政务公开工作要点，各项任务均已完成。"]
    f = check(r)
    assert ids(f) == ["n.fee"] and f[0].cells == ()
    r2 = _inject(sample, t3__result__other__fee_unpaid__natural_person=1,
                 t3__result__other__fee_unpaid__total=1, t3__result__other__other__natural_person=0,
                 t3__result__other__other__total=0)
    assert check(r2) == []  # closed for non-payment, “未收取信息处理费”: the applicant did not pay
    r2.sections["s6"] = ["2025年，我局未发出收费通知，未收取信息处理费。"]  # but a notice was sent
    f2 = check(r2)
    assert ids(f2) == ["n.fee"] and f2[0].cells == ("t3.result.other.fee_unpaid.total",)
    assert "写的是未发出收费通知" in describe(f2[0])
    r2.sections["s6"] = ["2025年，我局发出收费通知1件，申请人逾期未缴纳，未收取信息处理费。"]
    assert check(r2) == []


@pytest.mark.parametrize("sentence", [
    "2025年，我局收取信息处理费25件，共计2950元。",
    "共发出收费通知3件，收费2230元。",
    "全年收取信息处理费3940元。",
    "2025年度，县发展和改革局政府信息公开未发生收费情况。",
    "2021年，区数据局共收取政府信息公开相关费用0元。",
    "2024年，市科委未发生政府信息公开收费事项。",
])
def test_fee_sentences_offices_write(sample, sentence):
    """How real 六 sections state the 信息处理费 (issue 18): each one is a fee statement."""
    r = _inject(sample, t3__result__other__fee_unpaid__natural_person=2, t3__result__other__fee_unpaid__total=2,
                t3__result__other__other__natural_person=0, t3__result__other__other__total=0)
    r.sections["s6"] = [sentence]
    assert [f for f in check(r) if f.rule == "n.fee"] == []


# --- against last year -------------------------------------------------------------------------
def _next_year(sample):
    """A clean successor of the sample: carried forward, filled consistently, text rewritten."""
    nxt = carry_forward(sample)
    src = sample
    for key in src.schema.cells:
        if not key.startswith("t3.carried_in."):
            nxt.cells[key] = src.cells.get(key)
    # carried_in now equals last year's carried_out; rebalance new so every column holds
    for col in src.schema.lists["t3_cols"]:
        diff = src.value(f"t3.carried_out.{col}") - src.value(f"t3.carried_in.{col}")
        nxt.cells[f"t3.new.{col}"] = src.value(f"t3.new.{col}") - diff
    nxt.cells["t2.normative_doc.in_force"] = 17 + 3 - 1
    nxt.cells["t2.licensing.decisions"] = 1300
    nxt.cells["t4.review.upheld"], nxt.cells["t4.review.total"] = 3, 5
    nxt.meta.date = "2027-01-20"
    nxt.sections = {
        "s1": ["2026年，本局持续推进主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作，"
               "全年收到政府信息公开申请69件，办结69件。"],
        "s5": ["上年度问题已整改：解读形式更丰富。本年度存在的问题是基层培训不足，明年将分批组织轮训。"],
        "s6": ["本年度未收取信息处理费，也未发出收费通知。"],
    }
    return nxt


def test_clean_chain_has_no_cross_year_findings(sample):
    nxt = _next_year(sample)
    assert check(nxt) == []
    assert nxt.meta.year == 2026 and nxt.last is not None


def test_broken_carried_in_chain(sample):
    nxt = _next_year(sample)
    # one carried-over application moved from 商业企业 to 自然人: totals and columns still balance,
    # only the chain to last year is broken
    nxt.cells["t3.carried_in.natural_person"], nxt.cells["t3.carried_in.commercial"] = 5, 0
    nxt.cells["t3.new.natural_person"] = nxt.value("t3.new.natural_person") - 1
    nxt.cells["t3.new.commercial"] = nxt.value("t3.new.commercial") + 1
    f = check(nxt)
    assert ids(f) == ["x.carried_in"]
    assert [(x.cells, x.expected, x.actual) for x in f] == [
        (("t3.carried_in.natural_person",), 4, 5), (("t3.carried_in.commercial",), 1, 0)]


def test_broken_in_force_chain(sample):
    nxt = _next_year(sample)
    nxt.cells["t2.normative_doc.in_force"] = 18
    f = check(nxt)
    assert ids(f) == ["x.in_force"]
    assert f[0].cells == ("t2.normative_doc.in_force", "t2.normative_doc.issued", "t2.normative_doc.repealed")
    assert f[0].expected == 19 and "上年现行有效17＋本年制发3－本年废止1＝19" in describe(f[0])


def test_same_as_last_year(sample):
    nxt = _next_year(sample)
    nxt.sections["s5"] = list(sample.sections["s5"])
    nxt.sections["s5"][0] = nxt.sections["s5"][0].replace("图解", "图表")
    f = check(nxt)
    assert ids(f) == ["x.identical"] and f[0].detail["section"] == "s5" and f[0].cells == ()
    nxt = _next_year(sample)
    for key in sample.schema.cells:
        if key.startswith("t4."):
            nxt.cells[key] = sample.cells.get(key)  # table 四 not updated since last year
    f = check(nxt)
    assert ids(f) == ["x.identical"] and f[0].detail["table"] == "t4" and len(f[0].cells) == 15
    assert describe(f[0]) == "表四：所有数据与上年报告完全相同，请核实是否已更新为本年数据"


def test_stock_fee_sentence_is_not_identical(sample):
    """“2025年，我局未收取信息处理费。” is meant to read the same every year."""
    nxt = _next_year(sample)
    assert sample.sections["s6"] == ["2025年，我局未收取信息处理费。"]
    nxt.sections["s6"] = ["2026年，我局未收取信息处理费。"]
    assert check(nxt) == []
    nxt.sections["s6"] = ["2025年，我局未收取信息处理费。"]  # even unchanged: a stock statement
    assert check(nxt) == []


def test_copied_long_section_with_new_figures_is_identical(sample):
    """Last year's 一 with only the year and the figures updated is still last year's text."""
    nxt = _next_year(sample)
    nxt.sections["s1"] = [p.replace("2025", "2026").replace("126", "131").replace("70", "64")
                          for p in sample.sections["s1"]]
    f = check(nxt)
    identical = [x for x in f if x.rule == "x.identical"]
    assert [x.detail["section"] for x in identical] == ["s1"]
    assert identical[0].actual == 1.0
    assert "一、总体情况：与上年报告的文字相似度为100%" in describe(identical[0])
    nxt.sections["s1"] = _rewritten(sample.sections["s1"])
    assert not [x for x in check(nxt) if x.rule == "x.identical"]


def _rewritten(paras: list[str]) -> list[str]:
    """Section 一 as a clerk would rewrite it for the next year: same topics, new sentences."""
    return [
        "2026年，我局坚持以公开为常态、不公开为例外，围绕重点领域深化政务公开。",
        "（一）主动公开。聚焦政策解读和办事服务，新增专题栏目两个，及时回应社会关切。",
        "（二）依申请公开。优化申请受理流程，建立答复前会商机制，依法按时答复每一件申请。",
        "（三）政府信息管理。开展历史文件清理，规范发布审核流程。",
        "（四）政府信息公开平台建设。整合政务新媒体账号，提升网站无障碍水平。",
        "（五）监督保障。将政务公开纳入年度绩效考核，组织全员培训。",
    ]


def test_waiver_keeps_finding_but_marks_it(sample):
    r = copy.deepcopy(sample)
    r.meta.date = "2026-02-05"
    deadline = check(r)[0]
    r.waivers.append(Waiver("meta.deadline", (), "经上级同意延期发布"))
    f = check(r)
    assert f[0].waived == "经上级同意延期发布" and summary(f) == (0, 0)
    assert deadline.waived is None


def test_all_rules_fast_enough(sample):
    """Not a benchmark (see bench/): a guard that the engine is not accidentally quadratic."""
    nxt = _next_year(sample)
    start = time.perf_counter()
    for _ in range(50):
        check(nxt)
    assert (time.perf_counter() - start) / 50 < 0.05
