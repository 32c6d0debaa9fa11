"""The 汇总 workbook: 单位一览 with statuses and indicators, 问题清单, the sum in the official layout,
研判指标 with charts, 本级对照, 各单位数据; titles, page setup and no internal keys where people read."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from govreport_gui import cli
from govreport_gui.report import native
from govreport_gui.report.indicators import definitions

from .test_render import SOFFICE, to_pdf

KEY = re.compile(r"\bt[234]\.[a-z_]+(\.[a-z_]+)*|\b(value|meta|n|x)\.[a-z_]+")  # cell keys and rule ids


def _unit(sample, folder, name, agency, factor=1, level="department"):
    r = native.from_dict(native.to_dict(sample))
    r.meta.agency, r.meta.level = agency, level
    r.cells = {k: v * factor if isinstance(v, (int, Decimal)) else v for k, v in r.cells.items()}
    native.save(r, folder / name)
    return r


@pytest.fixture
def book(capsys, sample, faulty, data_dir, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "sample-2025.govreport", src / "a.govreport")
    shutil.copy(data_dir / "sample-2025.govreport", src / "a-重新发送.govreport")  # a copy: 重复
    faulty.meta.agency = "乙局"
    native.save(faulty, src / "b.govreport")
    (src / "c.docx").write_bytes(b"broken")
    out = tmp_path / "汇总.xlsx"
    assert cli.main(["aggregate", str(src), "-o", str(out), "--agency", "示例区人民政府"]) == 1
    capsys.readouterr()
    return src, out


def _printed(ws):
    """Every value inside the sheet's print area."""
    min_col, min_row, max_col, max_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    return [c.value for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
            for c in row if c.value is not None]


def test_units_sheet_statuses_indicators_and_remarks(book, sample, faulty):
    src, out = book
    wb = load_workbook(out)
    assert wb.sheetnames == ["单位一览", "问题清单", "表二", "表三", "表四", "研判指标", "各单位数据"]
    units = wb["单位一览"]
    header = [c.value for c in units[4]]
    assert header[:6] == ["序号", "单位", "状态", "年度", "错误", "提醒"]
    assert header[6:12] == [d.name for d in definitions()] and header[-3:] == ["说明", "文件", "校验码"]
    rows = {r[header.index("文件")]: r for r in units.iter_rows(min_row=5, values_only=True) if r[0]}
    a, copy, b, c = (rows[n] for n in ("a.govreport", "a-重新发送.govreport", "b.govreport", "c.docx"))
    assert a[2] == "通过" and copy[2] == "重复" and b[2] == "有错误" and c[2] == "无法读取"
    assert "内容完全相同" in copy[header.index("说明")] and "不是有效的 Word 文档" in c[header.index("说明")]
    assert b[4] == 3 and c[4] is None
    rate = header.index("实质公开率")
    assert a[rate] == pytest.approx(40 / 69) and c[rate] == "—"
    review = header.index("复议纠错率")  # the sample has 1 review corrected of 3 closed: marked
    row_a = next(r for r in range(5, units.max_row + 1) if units.cell(r, header.index("文件") + 1).value == "a.govreport")
    assert units.cell(row_a, review + 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert units.cell(row_a, rate + 1).fill.fgColor.rgb in ("00000000", None)  # 58% is not below 50%
    total = next(r for r in units.iter_rows(min_row=5, values_only=True) if str(r[1]).startswith("合计"))
    assert total[1] == "合计（2个单位）" and total[rate] == pytest.approx((40 + faulty.value("t3.result.granted.total")
                                                                   + faulty.value("t3.result.partial.total"))
                                                                  / (69 + faulty.value("t3.result.total.total")))


def test_every_sheet_names_the_roll_up_and_prints_fitted(book):
    _, out = book
    wb = load_workbook(out)
    for ws in wb.worksheets:
        title, sub = ws.cell(1, 1).value, ws.cell(2, 1).value
        assert title.startswith("示例区人民政府2025年政府信息公开工作年度报告汇总——"), ws.title
        assert "汇总机关：示例区人民政府" in sub and "年度：2025年" in sub and "计入汇总：2个单位（共4个文件）" in sub
        assert re.search(r"制表日期：\d{4}年\d{1,2}月\d{1,2}日", sub)
        setup = ws.page_setup
        narrow = ws.title in ("表二", "各单位数据")  # four columns; three units
        assert setup.orientation == ("portrait" if narrow else "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight in (0, 1), ws.title
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:$"), ws.title
        assert ws.print_area, ws.title
    assert wb["单位一览"].page_setup.fitToWidth == 1
    assert wb["表三"].page_setup.fitToHeight == 1


def test_no_internal_keys_where_people_read(book):
    """Cell keys and rule ids only outside the print area: the last columns, for machines."""
    _, out = book
    wb = load_workbook(out)
    for ws in wb.worksheets:
        shown = [v for v in _printed(ws) if isinstance(v, str) and KEY.search(v)]
        assert not shown, (ws.title, shown[:3])
    problems = wb["问题清单"]
    head = [c.value for c in problems[3]]
    assert head[-2:] == ["规则编号", "单元格键"]
    rows = list(problems.iter_rows(min_row=4, values_only=True))
    rules = {r[-2] for r in rows if r[0] == "乙局"}
    assert {"t3.balance", "t4.total"} <= rules
    t4 = next(r for r in rows if r[-2] == "t4.total")
    assert "表四" in t4[head.index("涉及的单元格")] and "t4." in t4[-1]


def test_per_unit_figures_on_their_own_sheet(book, sample, faulty):
    _, out = book
    wb = load_workbook(out, data_only=True)
    data = wb["各单位数据"]
    head = [c.value for c in data[3]]
    assert head[:3] == ["表", "单元格", "汇总"] and head[-1] == "单元格键"
    assert head[3:-1] == ["示例市示例区数据资源管理局", "示例市示例区数据资源管理局", "乙局"]  # readable files
    assert [c.value for c in data[4]][3:-1] == ["重复", "通过", "有错误"]  # a-重新发送, a, b
    rows = {r[-1]: r for r in data.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == len(sample.schema.cells)
    new = rows["t3.new.natural_person"]
    assert new[1] == "自然人·本年新收" and new[3] == sample.value("t3.new.natural_person")
    assert new[2] == sample.value("t3.new.natural_person") + faulty.value("t3.new.natural_person")  # the copy is not summed
    assert rows["t2.admin_fee.amount_wan"][5] == float(faulty.value("t2.admin_fee.amount_wan"))
    assert data.page_setup.fitToWidth == 1 and data.print_title_cols == "$A:$C"
    t3 = wb["表三"]
    assert t3["J6"].value == sample.value("t3.new.total") + faulty.value("t3.new.total")
    assert load_workbook(out)["表三"]["J6"].value == "=SUM(D6:I6)"


def test_indicator_charts_and_their_sources(book):
    _, out = book
    ws = load_workbook(out)["研判指标"]
    texts = [c.value for row in ws.iter_rows(min_row=4, max_row=3 + len(definitions())) for c in row if c.value]
    for d in definitions():
        assert d.name in texts and d.source in texts
    titles = [c.title.tx.rich.p[0].r[0].t for c in ws._charts]
    assert [t.split("（")[0] for t in titles] == [d.name for d in definitions()]  # every unit judged on each
    assert titles[0].startswith("实质公开率（提示线：低于50%")


def test_parent_sheet_compares_the_area_with_its_units(capsys, sample, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _unit(sample, src, "a.govreport", "某区教育局")
    _unit(sample, src, "b.govreport", "某区公安局", factor=2)
    own = _unit(sample, src, "p.govreport", "某区人民政府", factor=3, level="government")
    own.cells["t2.licensing.decisions"] += 1
    native.save(own, src / "p.govreport")
    out = tmp_path / "汇总.xlsx"
    assert cli.main(["aggregate", str(src), "-o", str(out)]) == 0
    capsys.readouterr()
    wb = load_workbook(out)
    assert "本级对照" in wb.sheetnames
    ws = wb["本级对照"]
    assert "有" in ws.cell(3, 1).value and "不作为错误" in ws.cell(3, 1).value
    rows = {r[-1]: (i, r) for i, r in enumerate(ws.iter_rows(min_row=5, values_only=True), 5)}
    i, row = rows["t2.licensing.decisions"]
    assert row[2] == own.value("t2.licensing.decisions") and row[3] == 3 * sample.value("t2.licensing.decisions")
    assert row[4] == 1 and ws.cell(i, 1).fill.fgColor.rgb.endswith("FFEB9C")
    i, row = rows["t3.new.total"]
    assert row[4] == 0 and ws.cell(i, 1).fill.fgColor.rgb in ("00000000", None)
    assert len(rows) == sum(1 for k in sample.schema.cells if sample.value(k))
    units = wb["单位一览"]
    assert "本级" in [c.value for c in units["C"]]


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice/poppler not installed")
def test_printed_through_libreoffice_the_units_sheet_is_one_page(book, tmp_path):
    _, out = book
    pdf = to_pdf(out, tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    titled = [p for p in pages if "汇总——单位一览" in p]
    assert len(titled) == 1 and "示例市示例区数据资源管理局" in titled[0] and "无法读取" in titled[0]
    assert len([p for p in pages if "汇总——表三" in p]) == 1
    assert len(pages) <= 15  # was 62 with every cell on 单位一览 and no page setup
    assert not any(KEY.search(p) for p in pages)


def test_a_chart_shows_the_units_most_worth_a_look():
    from govreport_gui.export.rollup_xlsx import CHART_UNITS, _worth_a_look
    from govreport_gui.report.indicators import Indicator

    low, high = (next(d for d in definitions() if d.id == i) for i in ("substantive", "carried_out"))
    units = [(f"u{i}", Indicator(low, i, 100)) for i in range(100)]  # 0% … 99% public
    shown = _worth_a_look(units)
    assert len(shown) == CHART_UNITS and [n for n, _ in shown[:3]] == ["u0", "u1", "u2"]  # the lowest rates
    shown = _worth_a_look([(f"u{i}", Indicator(high, i, 100)) for i in range(100)])
    assert [n for n, _ in shown[:2]] == ["u99", "u98"]  # the highest carry-over first
