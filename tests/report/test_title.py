"""Title lines break between phrases, never mid-word (issue 12.5)."""

from __future__ import annotations

from govreport_gui.report.title import title_lines


def test_breaks_before_the_fixed_wording():
    assert title_lines("示例市示例区数据资源管理局2025年政府信息公开工作年度报告") == [
        "示例市示例区数据资源管理局2025年", "政府信息公开工作年度报告"]


def test_a_short_title_stays_on_one_line():
    assert title_lines("某县2025年政府信息公开工作年度报告") == ["某县2025年政府信息公开工作年度报告"]


def test_a_long_agency_breaks_before_the_year():
    assert title_lines("某某省某某市某某区人民政府办公室法制工作科2025年政府信息公开工作年度报告") == [
        "某某省某某市某某区人民政府办公室法制工作科", "2025年政府信息公开工作年度报告"]


def test_a_custom_title_is_left_to_the_renderer():
    assert title_lines("关于某某工作情况的报告（二〇二五年度）——某某局某某处某某科") == [
        "关于某某工作情况的报告（二〇二五年度）——某某局某某处某某科"]
    assert title_lines("  ") == []
