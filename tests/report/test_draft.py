"""起草 (issue 23 items 1–4): the figure sentences of 一 drafted from the tables with live fields,
同比 in words, wording as data, never overwriting text, passing every narrative check."""

from __future__ import annotations

import copy
import dataclasses
import re
from decimal import Decimal

import pytest

from govreport_gui.report import native
from govreport_gui.report.document import FIELDS, new_report
from govreport_gui.report.draft import (
    Style,
    Topic,
    _validate,
    change_words,
    draft_into,
    draft_lines,
    draft_topic,
    load_style,
    stored_offset,
    strip_drafted,
)
from govreport_gui.report.messages import describe
from govreport_gui.report.rules import check, missing_topics, scan_figures, similarity
from govreport_gui.report.schema import SchemaError
from govreport_gui.report.totals import autofill

SPEC = load_style().change


def table_figure(report, fid: str):
    """A figure summed from the cells the format data names for it (independently of the draft)."""
    fig = next(f for f in report.schema.figures if f.id == fid)
    return sum(report.value(k) for k in fig.cells)


def set_cells(report, changes: dict) -> None:
    report.cells.update(autofill(report, changes, ["t3", "t4"]))


def more(report, n: int) -> None:
    """``n`` more applications from 自然人, all 予以公开: 表三 stays balanced."""
    set_cells(report, {k: report.value(k) + n for k in ("t3.new.natural_person", "t3.result.granted.natural_person")})


def with_last_year(sample, n: int = 0):
    """This year (2026) with the sample as last year (2025); ``n`` more applications this year."""
    now = copy.deepcopy(sample)
    now.meta.year, now.meta.date = 2026, "2027-01-20"
    now.last = copy.deepcopy(sample)
    more(now, n)
    return now


def drafted_paragraphs(before: list[str], after: list[str]) -> list[str]:
    return [p for p in after if "{{" in p and p not in before]


def findings(report):
    return sorted((f.rule, str(f.detail.get("section")), str(f.detail.get("topic")), str(f.actual)) for f in check(report))


# --- the draft on the sample -----------------------------------------------------------------------
def test_sample_draft_reads_as_a_report_and_every_figure_is_the_table(sample):
    assert draft_lines(sample) == [
        "（一）主动公开情况。本年度，制发行政规范性文件3件，废止行政规范性文件1件，现行有效行政规范性文件17件；"
        "作出行政许可决定1286件，行政处罚决定342件，行政强制决定27件；收取行政事业性收费12.85万元。",
        "（二）依申请公开情况。本年度共收到政府信息公开申请70件，上年结转政府信息公开申请4件。全年办结69件，其中予以公开29件，"
        "部分公开11件，不予公开7件，无法提供15件，不予处理3件，其他处理4件；结转下年度继续办理5件。"
        "因政府信息公开被申请行政复议4件，其中被纠正1件；被提起行政诉讼2件。",
    ]
    before = findings(sample)
    result = draft_into(sample, sample.sections["s1"])
    assert result.topics == ("主动公开", "依申请公开") and result.note == ""
    sample.sections["s1"] = result.paragraphs
    assert findings(sample) == before == []  # n.figure, n.topics, n.year …: nothing
    drafts = [draft_topic(sample, t) for t in result.topics]
    stated = [(fid, value) for d in drafts for fid, value, *_ in scan_figures(sample.render(d))]
    fields = [m.group(2) for d in drafts for m in FIELDS.finditer(d)]
    # every number of the draft is a live field, and the rules read each as the very figure it is
    assert len(fields) == 20 and [fid for fid, _ in stated] == fields
    for fid, value in stated:
        assert value == table_figure(sample, fid), fid


def test_drafted_figures_follow_the_table(sample):
    sample.sections["s1"] = draft_into(sample, sample.sections["s1"], topic="依申请公开").paragraphs
    partial, unable = table_figure(sample, "partial"), table_figure(sample, "unable")
    assert f"部分公开{partial}件" in sample.section_text("s1")
    set_cells(sample, {"t3.result.partial.natural_person": sample.value("t3.result.partial.natural_person") + 3,
                       "t3.result.unable.not_held.natural_person": sample.value("t3.result.unable.not_held.natural_person") + 2})
    text = sample.section_text("s1")
    assert f"部分公开{partial + 3}件" in text and f"无法提供{unable + 2}件" in text


def test_nothing_of_the_text_is_changed_or_lost(sample):
    original = list(sample.sections["s1"])
    result = draft_into(sample, original)
    assert original == sample.sections["s1"]  # the input list itself is untouched
    rest = [FIELDS.sub("", p) for p in result.paragraphs]
    # taking the draft out again gives back every paragraph, word for word
    drafts = [FIELDS.sub("", draft_topic(sample, t)) for t in result.topics]
    for d in drafts:
        rest = [p.replace(d, "", 1) for p in rest]
    assert [p for p in rest if p] == original


# --- with last year's report ---------------------------------------------------------------------------
def test_last_year_attached_gives_the_change_bound_too(sample):
    now = with_last_year(sample, 10)
    assert table_figure(now, "new") == 80 and table_figure(now.last, "new") == 70
    now.sections["s1"] = new_report().sections["s1"]  # this year's 一 is still to be written
    result = draft_into(now, now.sections["s1"], topic="依申请公开")
    now.sections["s1"] = result.paragraphs
    stored = next(p for p in result.paragraphs if "{{yoy:new}}" in p)
    assert "申请{{fig:new}}件{{yoy:new}}，上年结转" in stored
    assert "本年度共收到政府信息公开申请80件，同比增长14.3%，上年结转政府信息公开申请4件。" in now.section_text("s1")
    assert [f for f in check(now) if f.rule == "n.figure"] == [] and "依申请公开" not in missing_topics(now)
    # a change of the table changes the 同比 wording with it
    more(now, -13)
    assert "申请67件，同比下降4.3%，" in now.section_text("s1")
    assert [f for f in check(now) if f.rule == "n.figure"] == []
    # saved and opened again: the fields are still fields
    assert native.from_dict(native.to_dict(now)).sections["s1"] == now.sections["s1"]


def test_without_last_year_no_change_is_written_and_a_lost_one_leaves_the_sentence_whole(sample):
    assert "同比" not in sample.render(draft_topic(sample, "依申请公开"))
    now = with_last_year(sample)
    text = draft_topic(now, "依申请公开")
    assert "{{yoy:new}}" in text and "与上年持平" in now.render(text)
    now.last.meta.year = 2023  # not the year before: no 同比
    assert "{{yoy:new}}" not in draft_topic(now, "依申请公开")
    assert now.render(text).startswith("本年度共收到政府信息公开申请70件，上年结转")


@pytest.mark.parametrize("now, before, words", [
    (90, 80, "，同比增长12.5%"),   # growth
    (77, 88, "，同比下降12.5%"),   # decline
    (56, 56, "，与上年持平"),       # equal
    (5, 0, "，同比增加5件"),        # a zero base: the difference, never a percentage
    (0, 0, "，与上年持平"),
    (3, 6, "，同比减少3件"),        # a small base: the difference in 件
    (0, 12, "，同比下降100%"),
    (100, 50, "，同比增长100%"),    # no trailing .0
    (40, 30, "，同比增长33.3%"),
    (1001, 2000, "，同比下降50%"),  # 49.95 rounds half up to 50.0 → 50
    (2001, 2000, "，同比增长0.1%"),  # 0.05 → 0.1 (half up, as reports round)
    (20001, 20000, "，同比增加1件"),  # rounds to 0.0%: the difference instead
])
def test_change_in_words(now, before, words):
    assert change_words(now, before, "count", SPEC) == words


def test_a_percentage_against_a_zero_base_is_never_printed():
    for now in range(0, 300, 7):
        assert "%" not in change_words(now, 0, "count", SPEC)
    assert change_words(Decimal("12.85"), Decimal("10.5"), "fee", SPEC) == "，同比增长22.4%"
    assert change_words(Decimal("2.5"), Decimal("0"), "fee", SPEC) == "，同比增加2.5万元"


@pytest.mark.parametrize("before, now", [(56, 70), (80, 70), (70, 70), (0, 70), (6, 3), (12, 0), (0, 0)])
def test_drafted_change_passes_n_figure(sample, before, now):
    this = with_last_year(sample)
    this.last.cells["t3.new.total"], this.cells["t3.new.total"] = before, now
    this.sections["s1"] = draft_into(this, new_report().sections["s1"], topic="依申请公开").paragraphs
    text = this.section_text("s1")
    assert ("同比" in text or "与上年持平" in text) and ("%" in text) == (before >= 10 and now != before)
    assert [f for f in check(this) if f.rule == "n.figure"] == []


def test_a_wrong_hand_written_change_is_still_found(sample):
    now = with_last_year(sample, 10)
    now.sections["s6"].append("全年收到政府信息公开申请80件，同比增长20%。")
    now.sections["s6"].append("全年收到政府信息公开申请80件，同比增加12件。")
    found = [f for f in check(now) if f.rule == "n.figure" and f.detail["section"] == "s6"]
    assert [(f.detail["kind"], f.actual) for f in found] == [("change", 20), ("difference", 12)]
    assert describe(found[1]) == ("六、其他需要报告的事项第3段：“收到政府信息公开申请80件，同比增加12件”写的是同比增加12件，"
                                  "但表三‘总计·本年新收’本年为80、上年报告为70，实际增加10件（本年新收申请同比）")


# --- where the draft goes --------------------------------------------------------------------------------
def test_cursor_on_a_heading_the_app_made_drafts_after_it_run_in():
    r = new_report(2025, "某局")
    result = draft_into(r, r.sections["s1"], cursor=(1, 3))
    assert result.topics == ("依申请公开",)
    assert result.paragraphs[1].startswith("（二）依申请公开情况。本年度未收到政府信息公开申请。")
    assert result.paragraphs[0] == "（一）主动公开情况。" and len(result.paragraphs) == 5
    assert result.cursor == (1, len(result.paragraphs[1]))


def test_heading_on_its_own_line_gets_a_new_paragraph_after_it(sample):
    paras = ["2025年，我局认真落实《条例》。", "（二）依申请公开政府信息情况", "全年答复及时。", "（三）政府信息管理", "加强审核。"]
    result = draft_into(sample, paras, cursor=(1, 2))
    assert result.paragraphs[:2] == paras[:2] and result.paragraphs[3:] == paras[2:]
    assert result.paragraphs[2] == draft_topic(sample, "依申请公开") and result.cursor == (2, len(result.paragraphs[2]))


def test_cursor_in_a_sentence_moves_to_its_end(sample):
    paras = ["（二）依申请公开。全年答复及时，无超期。加强培训。"]
    col = paras[0].index("无超期")
    result = draft_into(sample, paras, cursor=(0, col))
    text = draft_topic(sample, "依申请公开")
    assert result.paragraphs == ["（二）依申请公开。全年答复及时，无超期。" + text + "加强培训。"]
    # at the end of a paragraph of text: the next paragraph
    result = draft_into(sample, paras, cursor=(0, len(paras[0])))
    assert result.paragraphs == [paras[0], text]


def test_a_blank_line_takes_the_draft(sample):
    paras = ["（一）主动公开情况。全年发布信息126条。", "", "（二）依申请公开情况。"]
    result = draft_into(sample, paras, cursor=(1, 0))
    assert result.paragraphs == [paras[0], draft_topic(sample, "主动公开"), paras[2]]


def test_a_cursor_below_the_text_gets_a_new_paragraph(sample):
    paras = ["2021年，我局全年主动发布信息53条。"]
    result = draft_into(sample, paras, cursor=(3, 0), topic="依申请公开")
    assert result.paragraphs == [paras[0], draft_topic(sample, "依申请公开")] and result.cursor[0] == 1


def test_cursor_under_a_heading_without_figures_drafts_nothing(sample):
    result = draft_into(sample, sample.sections["s1"], cursor=(3, 8))
    assert result.topics == () and result.paragraphs == sample.sections["s1"]
    assert result.note == "光标所在的“（三）政府信息管理”没有可由表格起草的内容（可起草：主动公开、依申请公开）"


def test_whole_section_when_the_cursor_is_under_no_heading(sample):
    result = draft_into(sample, sample.sections["s1"], cursor=(0, 4))
    assert result.topics == ("主动公开", "依申请公开")
    assert result.paragraphs[0] == sample.sections["s1"][0]


def test_an_empty_section_gets_headed_paragraphs():
    r = new_report(2025, "某局", with_headings=False)
    result = draft_into(r, [], cursor=(0, 0))
    assert [p[:p.index("。") + 1] for p in result.paragraphs] == ["（一）主动公开情况。", "（二）依申请公开情况。"]
    r.sections["s1"] = result.paragraphs
    assert "依申请公开" not in missing_topics(r) and "主动公开" not in missing_topics(r)


def test_office_headings_without_the_topic_are_not_renumbered(sample):
    paras = ["2021年，我局全年主动发布信息53条。", "（一）依申请公开情况。2021年收到依申请公开0件。", "（二）政府信息管理情况。自查。"]
    result = draft_into(sample, paras)
    assert result.topics == ("依申请公开",) and "主动公开" in result.note
    assert not any(p.startswith("（一）主动公开") for p in result.paragraphs)
    # chosen from the menu with the cursor where the clerk wants it: there, without a heading
    result = draft_into(sample, paras, cursor=(0, len(paras[0])), topic="主动公开")
    assert result.paragraphs == [paras[0], draft_topic(sample, "主动公开"), *paras[1:]]


def test_stored_offset_steps_over_fields(sample):
    text = "收到申请{{fig:new}}件。办结{{fig:closed}}件。"
    shown = sample.render(text)
    assert shown == "收到申请70件。办结69件。"
    assert stored_offset(sample, text, shown.index("件")) == text.index("件")
    assert stored_offset(sample, text, shown.index("70") + 1) == text.index("}}") + 2  # inside a field: after it
    assert stored_offset(sample, text, len(shown)) == len(text)


# --- x.identical --------------------------------------------------------------------------------------
HAND = "我局坚持以人民为中心的发展思想，把政务公开作为转变政府职能、建设法治政府的重要抓手，扎实推进各项工作落实落地。"


def _drafted_year(sample, year, opening, n):
    r = copy.deepcopy(sample)
    r.meta.year = year
    more(r, n)
    r.sections["s1"] = draft_into(r, [opening, "（一）主动公开情况。", "（二）依申请公开情况。"]).paragraphs
    return r


def test_x_identical_leaves_drafted_wording_out(sample):
    last = _drafted_year(sample, 2024, "2024年，我局认真落实《条例》。", -10)
    now = _drafted_year(sample, 2025, "2025年，我局扎实推进政务公开。", 0)
    now.last = last
    # the drafted pattern alone makes the two years look alike …
    assert similarity(now.section_text("s1"), last.section_text("s1")) >= 0.9
    # … but it is the pattern, not copied text: x.identical leaves it out in both years
    assert "s1" not in {f.detail.get("section") for f in check(now) if f.rule == "x.identical"}
    assert strip_drafted(now.section_text("s1")).startswith("2025年，我局扎实推进政务公开。")
    # a hand-written paragraph copied from last year is still 内容雷同 (the rule can fail)
    last = _drafted_year(sample, 2024, HAND, -10)
    copied = _drafted_year(sample, 2025, HAND, 0)
    copied.last = last
    assert "s1" in {f.detail.get("section") for f in check(copied) if f.rule == "x.identical"}


# --- the data -------------------------------------------------------------------------------------------
def test_wording_is_data_and_is_checked():
    style = load_style()
    assert [t.topic for t in style.topics] == ["主动公开", "依申请公开"]
    bad = dataclasses.replace(style, topics=(Topic("依申请公开", "x", ("收到申请{no_such}件",)),))
    with pytest.raises(SchemaError):
        _validate(bad, "2021")
    with pytest.raises(SchemaError):
        _validate(Style(style.heading, style.change, (Topic("依申请公开", "x", ({"when": ["more:new"]},)),)), "2021")
    with pytest.raises(SchemaError):  # a change figure is not a count to state
        _validate(Style(style.heading, style.change, (Topic("依申请公开", "x", ("{new_change}",)),)), "2021")


def test_house_style_is_a_data_change(sample, monkeypatch):
    style = load_style()
    house = dataclasses.replace(style, topics=(Topic("依申请公开", "依申请", (
        "全年受理申请{new}件{yoy:new}，答复{closed}件。",)),), change={**style.change, "up_count": "，比上年多{N}{U}"})
    monkeypatch.setattr("govreport_gui.report.draft.load_style", lambda template="2021": house)
    now = with_last_year(sample, 6)
    now.last.cells["t3.new.total"] = 1
    assert re.fullmatch(r"全年受理申请76件，比上年多75件，答复75件。", now.render(draft_topic(now, "依申请公开")))
