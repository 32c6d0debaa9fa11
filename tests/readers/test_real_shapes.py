"""What the readers make of real reports' shapes (issue 18): what the heading names, notes that say
what was found, page furniture, fees to the fen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from govreport_gui.readers.formats import open_report
from govreport_gui.readers.report_heading import agency_in_title, level_of, reading
from govreport_gui.report.rules import check
from govreport_gui.report.schema import load_schema

DATA = Path(__file__).resolve().parent.parent / "data" / "real"


@pytest.mark.parametrize("name, level", [
    ("宿迁市", "government"), ("平潭综合实验区", "government"), ("淮安市洪泽区人民政府", "government"),
    ("宿迁经济技术开发区管理委员会", "government"), ("湖滨新区", "government"), ("武山镇", "government"),
    ("湛江市人民政府地方志办公室", "department"), ("正阳街道办事处", "department"), ("上海市科委", "department"),
    ("杭州市城市管理委员会", "department"), ("宿迁市人民政府办公室", "department"), ("区数据局", "department"),
])
def test_level_from_what_the_title_names(name, level):
    assert level_of(name, reading(load_schema())) == level


@pytest.mark.parametrize("title, agency", [
    ("宿迁市2023年政府信息公开工作年度报告", "宿迁市"),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("2022年湖口县卫生健康委员会信息公开年报", "湖口县卫生健康委员会"),
    ("子长市人民政府2023年度政府信息公开工作报告", "子长市人民政府"),
])
def test_agency_the_title_names(title, agency):
    assert agency_in_title(title) == agency


def test_a_whole_area_report_without_renmin_zhengfu_has_the_area_deadline():
    """宿迁市2023年… names a place: the area's report, due by 31 March (no false 1月31日 warning)."""
    r = open_report(DATA / "huaian-2024.htm")
    r.meta.title, r.meta.agency = "宿迁市2023年政府信息公开工作年度报告", "宿迁市"
    r.meta.level = level_of("宿迁市", reading(r.schema))
    r.meta.year, r.meta.date = 2023, "2024-03-20"
    assert not [f for f in check(r) if f.rule == "meta.deadline"]


def test_notes_say_what_was_found():
    merged = open_report(DATA / "hongze-2023.htm").import_notes
    assert any("印成了一行" in n for n in merged) and not any("2019" in n for n in merged)
    old = open_report(DATA / "shanghai-bgt-2019.html").import_notes
    assert any(n.startswith("该报告使用2019年格式") for n in old)
    assert any("没有“本年收费金额”一栏" in n for n in old)
    assert not any("不完全一致，按“其他”读取" in n for n in merged + old)  # the merged row is no reworded label


def test_page_furniture_is_not_the_report():
    for name in ("hongze-2023.htm", "huaian-2024.htm", "shanghai-bgt-2019.html", "shuyang-fgj-2023.html"):
        r = open_report(DATA / name)
        text = "".join(p for sid in r.sections for p in r.sections[sid])
        for furniture in ("分享到", "打印本页", "关闭窗口", "网站标识码", "主办", "ICP", "星期", "繁體版", "当前位置"):
            assert furniture not in text, (name, furniture)


def test_a_fee_to_the_fen_is_read_from_a_page_and_a_docx(tmp_path, sample):
    from govreport_gui.export import export

    sample.cells["t2.admin_fee.amount_wan"] = Decimal("24252.311082")
    for suffix in (".html", ".docx"):
        path = tmp_path / f"fen{suffix}"
        export(sample, path)
        back = open_report(path)
        assert back.raw("t2.admin_fee.amount_wan") == Decimal("24252.311082"), suffix
        assert not [f for f in check(back) if f.rule == "value.fee"]
