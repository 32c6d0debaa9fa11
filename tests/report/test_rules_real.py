"""Rules as real reports need them (issue 18): how offices state figures, year-on-year jumps, text
copied from last year, topics covered by real sentences, dates that are 待填写 or invalid."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from govreport_gui.report.carry import carry_forward
from govreport_gui.report.findings import summary
from govreport_gui.report.messages import describe, finding_json
from govreport_gui.report.rules import check, missing_topics, scan_figures
from govreport_gui.report.schema import load_schema


def _figs(text: str) -> list[tuple[str, object]]:
    return [(fid, value) for fid, value, *_ in scan_figures(text)]


@pytest.mark.parametrize("text, want", [
    # real sentences (tests/data/real) and the figure each number is
    ("全县全年共受理政府信息公开申请749件，其中自然人申请741件，法人或其他组织申请8件；共办理718件，结转下一年31件。",
     [("new", 749), ("closed", 718), ("carried_out", 31)]),
    ("全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）",
     [("new", 3119), ("closed", 3050), ("carried_in", 34), ("carried_out", 103)]),
    ("答复政府信息公开申请98件(含上年度转结申请8件,另有5件申请转结下年度继续办理)",
     [("closed", 98), ("carried_in", 8), ("carried_out", 5)]),
    ("予以公开及部分公开258件，占33.9%；不予公开35件；因本机关不掌握等原因无法提供265件；不予处理158件；其他处理0件。",
     [("disclosed", 258), ("denied", 35), ("unable", 265), ("not_processed", 158), ("other_processing", 0)]),
    ("处理结果中，予以公开2件，部分公开8件。", [("granted", 2), ("partial", 8)]),
    ("信息公开类行政复议7件，诉讼9件，均获维持。", [("review", 7), ("suit", 9)]),
    ("本街道共收到12件信息依申请公开，其中10件已经按时按规完成答复，剩余2件结转下年度继续办理。",
     [("new", 12), ("closed", 10), ("carried_out", 2)]),
    ("2023年度厚桥街道收到政府信息公开申请一件，已办理完毕。", [("new", 1)]),
    ("2023年度我局共收到依申请信息公开26件，及时回复申请人。", [("new", 26)]),
    ("全年未接到信息公开申请。", [("new", 0)]),
    ("以“柳体规”文号出台了2份规范性文件。", [("normative_doc", 2)]),
    ("全市现行有效行政规范性文件393件。", [("normative_in_force", 393)]),
    ("本年废止规范性文件26件。", [("normative_repealed", 26)]),
    ("全年作出行政处罚决定3985758件。", [("penalty", 3985758)]),
    ("行政事业性收费共计96171.6万元。", [("fee", Decimal("96171.6"))]),
    ("2021年收到依申请公开0件，办结0件，未办结0件。", [("new", 0), ("closed", 0)]),
    ("申请数量较2022年上升29.3%。", [("new_change", Decimal("29.3"))]),
    # numbers that are no table figure stay unbound
    ("全年受理网络问政182件，化解争议纠纷33件，全县共办理相关案件74件。", []),
    ("全年未收到行政许可申请；主动公开政府信息1136条。", []),
    ("通过网络申请1303件，办理并答复信息公开申请3件、纸质申请36件。", []),
    ("共收到依申请公开24件，其中政府信息公开平台收到政府信息依申请公开11件。", [("new", 24)]),
    ("共办理局长信箱信件24件，已处理24件，主动公开答复24件。", []),
    ("本报告由收到和处理政府信息公开申请情况等六个部分组成。", []),  # 六个: the report's parts
    ("2022年，卫生健康局无依申请公开事项。", [("new", 0)]),
    ("2022年，未发生涉及卫生健康局信息公开行政复议案件和行政诉讼案件。", [("review", 0)]),
    ("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。", []),
    ("2023年度新发布的行政规范性文件4件，确定继续有效的行政规范性文件33件。",
     [("normative_doc", 4), ("normative_in_force", 33)]),
    ("2023年度东湖街道办事处共办理并答复信息公开申请3件、纸质申请36件，顺延至下一年答复2件。",
     [("carried_out", 2)]),
])
def test_how_offices_state_figures(text, want):
    assert _figs(text) == want


def test_received_may_include_last_years_carried_over(sample):
    r = copy.deepcopy(sample)
    new, carried = r.value("t3.new.total"), r.value("t3.carried_in.total")
    r.sections["s1"][2] = f"全年共受理政府信息公开申请{new + carried}件。"
    assert not [f for f in check(r) if f.rule == "n.figure"]
    r.sections["s1"][2] = f"全年共受理政府信息公开申请{new + carried + 1}件。"
    assert [f.actual for f in check(r) if f.rule == "n.figure"] == [new + carried + 1]


def test_a_broken_total_is_not_judged_twice(sample):
    """表三 总计 left blank (a row_total error): the text is judged against the row's parts."""
    r = copy.deepcopy(sample)
    parts = r.value("t3.result.granted.total")
    r.cells["t3.result.granted.total"] = None
    r.sections["s6"].append(f"予以公开{parts}件。")
    assert [f.rule for f in check(r) if f.rule in ("n.figure", "t3.row_total")] == ["t3.row_total"]


def test_year_on_year_change_against_last_years_report(sample):
    nxt = carry_forward(sample)
    last_new = sample.value("t3.new.total")
    nxt.cells["t3.new.total"] = last_new * 2
    nxt.sections["s1"] = [f"全年收到申请{last_new * 2}件，申请数量较去年上升100%。"]
    assert not [f for f in check(nxt) if f.rule == "n.figure"]
    nxt.sections["s1"] = [f"全年收到申请{last_new * 2}件，申请数量较去年下降12.3%。"]
    f = [f for f in check(nxt) if f.rule == "n.figure"]
    assert len(f) == 1 and f[0].detail["kind"] == "change" and f[0].expected == 100
    assert "同比下降12.3%" in describe(f[0]) and "实际上升100%" in describe(f[0])
    nxt.last = None  # no last year: 同比 cannot be judged
    assert not [f for f in check(nxt) if f.rule == "n.figure"]


# --- year-on-year jumps -----------------------------------------------------------------------------
def _successor(sample):
    nxt = carry_forward(sample)
    for key in sample.schema.cells:
        if not key.startswith("t3.carried_in."):
            nxt.cells[key] = sample.cells.get(key)
    return nxt


def test_tenfold_a_tenth_and_zero_after_a_large_figure(sample):
    nxt = _successor(sample)
    base = sample.value("t2.licensing.decisions")
    assert base >= 100
    for now, factor in ((base * 10, 10.0), (base // 10, None), (0, 0.0)):
        nxt.cells["t2.licensing.decisions"] = now
        f = [x for x in check(nxt) if x.rule == "x.jump"]
        assert [x.cells for x in f] == [("t2.licensing.decisions",)], now
        assert f[0].severity == "warning" and f[0].expected == base and f[0].actual == now
        text = describe(f[0])
        assert str(base) in text and "行政许可" in text
        if factor is not None:
            assert f[0].detail["factor"] == factor
    nxt.cells["t2.licensing.decisions"] = base * 9  # under the threshold
    assert not [x for x in check(nxt) if x.rule == "x.jump"]


def test_small_figures_may_change_tenfold(sample):
    nxt = _successor(sample)
    nxt.cells["t2.regulation.issued"], nxt.last.cells["t2.regulation.issued"] = 12, 1
    assert not [x for x in check(nxt) if x.rule == "x.jump" and "regulation" in x.cells[0]]


def test_jump_is_waivable(sample):
    from govreport_gui.report.document import Waiver

    nxt = _successor(sample)
    nxt.cells["t2.licensing.decisions"] = sample.value("t2.licensing.decisions") * 20
    nxt.waivers.append(Waiver("x.jump", ("t2.licensing.decisions",), "本年起许可事项统一由本局办理"))
    f = [x for x in check(nxt) if x.rule == "x.jump"]
    assert f and f[0].waived == "本年起许可事项统一由本局办理"
    assert summary(f) == (0, 0)


def test_jump_thresholds_are_format_data():
    spec = load_schema().checks["jump"]
    assert spec["ratio"] == 10 and spec["min_value"] == 100 and spec["why"]


# --- last year named as the working year ---------------------------------------------------------
@pytest.mark.parametrize("para, flagged", [
    ("2024年，我局认真贯彻落实《条例》，全力推进政务公开。", True),
    ("（一）主动公开情况。2024年，我区在政府网站平台主动公开政府信息1136条。", True),
    ("本单位2024年度共发布信息50条。", True),
    ("2025年，我局认真贯彻落实《条例》。", False),
    ("申请数量较2024年上升29.3%。", False),
    ("根据《关于做好2024年政府信息公开工作年度报告编制发布工作的通知》要求编制。", False),
    ("2026年，我局将继续深化政务公开。", False),
    ("截至2025年12月31日，现行有效规范性文件12件。", False),
])
def test_text_copied_from_last_year(sample, para, flagged):
    """The sample is the 2025 report: 2024 written as the year worked in is last year's text."""
    r = copy.deepcopy(sample)
    assert r.meta.year == 2025 and not [x for x in check(r) if x.rule == "n.year"]
    r.sections["s1"].insert(1, para)
    f = [x for x in check(r) if x.rule == "n.year"]
    assert bool(f) == flagged, para
    if flagged:
        assert f[0].severity == "warning" and f[0].detail["paragraph"] == 1
        assert "把2024年写成了工作年度，本报告是2025年度的" in describe(f[0])


# --- topics covered by real content -----------------------------------------------------------------
@pytest.mark.parametrize("junk", ["xyz", "ab", "QQ", "。。", "123"])
def test_junk_after_the_inserted_subheadings_covers_nothing(junk):
    from govreport_gui.report.document import new_report

    r = new_report(2025, "某局")
    r.sections["s1"] = [f"{p}{junk}" for p in r.sections["s1"]]
    assert len(missing_topics(r)) == 5
    r.sections["s1"] = [p for sub in new_report(2025).sections["s1"] for p in (sub, junk)]
    assert len(missing_topics(r)) == 5


def test_a_sub_heading_with_a_comma_is_covered_by_the_paragraph_under_it():
    """沭阳县发改局 2023 prints “（五）及时回应关切，自觉接受监督” on its own line: its words are no content."""
    from govreport_gui.report.document import new_report

    r = new_report(2025, "某局")
    r.sections["s1"][4] = "（五）及时回应关切，自觉接受监督"
    r.sections["s1"].append("QQ")
    assert "监督保障" in missing_topics(r)
    r.sections["s1"][-1] = "由业务科室专人受理回复公共诉求系统来件，按时办结。"
    assert "监督保障" not in missing_topics(r)


def test_a_real_sentence_covers_its_topic():
    from govreport_gui.report.document import new_report

    r = new_report(2025, "某局")
    r.sections["s1"][2] = "（三）政府信息管理情况。落实公开前保密审查，动态更新主动公开目录。"
    assert "政府信息管理" not in missing_topics(r)
    r.sections["s1"][0] = "全年主动发布信息53条，其中动态信息36条。"  # 主动发布 is how one office says it
    assert "主动公开" not in missing_topics(r)


# --- 成文日期 -------------------------------------------------------------------------------------------
def test_missing_date_of_an_imported_report_is_a_to_do(sample):
    r = copy.deepcopy(sample)
    r.meta.date = None
    r.imported = True
    f = [x for x in check(r) if x.rule == "meta.required"]
    assert len(f) == 1 and f[0].pending and summary(f) == (0, 0)
    assert describe(f[0]).startswith("成文日期：导入的报告没有印出") and finding_json(f[0])["pending"] is True
    r.imported = False  # the clerk's own report: still an error
    f = [x for x in check(r) if x.rule == "meta.required"]
    assert not f[0].pending and summary(f) == (1, 0)


def test_an_invalid_date_is_an_error_until_fixed(sample):
    r = copy.deepcopy(sample)
    r.meta.date = "2026年2月30日"
    f = [x for x in check(r) if x.rule == "meta.required"]
    assert len(f) == 1 and f[0].severity == "error" and not f[0].pending
    assert "“2026年2月30日”" in describe(f[0])
