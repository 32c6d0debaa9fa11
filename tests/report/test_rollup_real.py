"""A roll-up of published reports (issue 18): a unit whose report prints no 成文日期 is not 有错误."""

from __future__ import annotations

from pathlib import Path

from govreport_gui.readers.formats import open_report
from govreport_gui.readers.rollup_sources import find_sources
from govreport_gui.report.rollup import STATUS_TEXT, assess, roll_up

DATA = Path(__file__).resolve().parent.parent / "data" / "real"


def test_published_reports_without_a_date_pass():
    units = {p.name: assess(p.name, open_report(p)) for p in find_sources([DATA]) if "2024" in p.name}
    assert set(units) == {"hongze-2024.docx", "huaian-2024.htm"}
    huaian = units["huaian-2024.htm"]
    assert huaian.errors == 0 and STATUS_TEXT[huaian.status] == "通过"
    assert [f.rule for f in huaian.findings] == ["meta.required"] and huaian.findings[0].pending
    hongze = units["hongze-2024.docx"]  # a real contradiction in its text: a warning, no error
    assert hongze.errors == 0 and hongze.status == "warnings"
    result = roll_up(list(units.values()), agency="测试汇总", year=2024)
    assert not any("本身有错误" in n for n in result.notes)
