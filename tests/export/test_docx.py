"""The exported DOCX: golden document.xml, grid sizes, merges, labels, fonts, page set-up."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from govreport_gui.export import export
from govreport_gui.export.layout import build, split_lead
from govreport_gui.report.schema import load_schema

GOLDEN = Path(__file__).parent / "golden"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def normalised_document_xml(path: Path) -> str:
    """document.xml pretty-printed, without python-docx's random rsid/paraId noise."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    root = etree.fromstring(xml)
    for el in root.iter():
        for attr in list(el.attrib):
            if re.search(r"rsid|paraId|textId", attr):
                del el.attrib[attr]
    return etree.tostring(root, pretty_print=True, encoding="unicode")


@pytest.fixture
def exported(sample, tmp_path):
    out = tmp_path / "report.docx"
    export(sample, out)
    return out


def test_golden_document_xml(exported):
    """Set GOVREPORT_UPDATE_GOLDEN=1 to rewrite the golden file on purpose (then look at the diff)."""
    golden = GOLDEN / "sample-2025.document.xml"
    actual = normalised_document_xml(exported)
    if os.environ.get("GOVREPORT_UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def _grid(tbl) -> list[list[tuple[str, int, str | None]]]:
    """Rows of (text, gridSpan, vMerge) straight from the XML."""
    rows = []
    for tr in tbl.iter(W + "tr"):
        row = []
        for tc in tr.iter(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            vm = tc.find(f"{W}tcPr/{W}vMerge")
            text = "".join(t.text or "" for t in tc.iter(W + "t"))
            row.append((text, int(span.get(W + "val")) if span is not None else 1,
                        None if vm is None else (vm.get(W + "val") or "continue")))
        rows.append(row)
    return rows


def test_tables_have_the_template_shape(exported):
    doc = Document(exported)
    tables = [t._tbl for t in doc.tables]
    assert len(tables) == 4  # 表三 in two: its continuation restates the header and labels
    shapes = [(len(t.findall(f"{W}tblGrid/{W}gridCol")), len(t.findall(W + "tr"))) for t in tables]
    assert shapes == [(4, 14), (10, 15), (10, 16), (15, 4)]
    for t in tables:  # every cell has a width, the grid adds up to the type area
        widths = [int(g.get(W + "w")) for g in t.findall(f"{W}tblGrid/{W}gridCol")]
        assert sum(widths) == round(156 * 1440 / 25.4)
        assert all(tc.find(f"{W}tcPr/{W}tcW") is not None for tc in t.iter(W + "tc"))
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in t.iter(W + "tr"))
    t2, t3, t3b, t4 = (_grid(t) for t in tables)
    assert t2[0] == [("第二十条第（一）项", 4, None)]
    assert t2[13] == [("行政事业性收费", 1, None), ("12.85", 3, None)]
    assert t3[0][0] == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, "restart")
    assert t3[5][0] == ("三、本年度办理结果", 1, "restart")
    assert [c[2] for c in (t3[r][0] for r in range(6, 15))] == ["continue"] * 9
    assert t3[7][1] == ("（三）不予公开", 1, "restart") and t3[9][2][0] == "3.危及“三安全一稳定”"
    assert t3[3] == [("一、本年新收政府信息公开申请数量", 3, None)] + [
        (v, 1, None) for v in ("57", "6", "0", "1", "4", "2", "70")]
    assert t3b[:3] == t3[:3]  # the header restated
    assert t3b[3][:3] == [("三、本年度办理结果", 1, "restart"), ("（四）无法提供", 1, "restart"),
                          ("1.本机关不掌握相关政府信息", 1, None)]
    assert [c[2] for c in (t3b[r][0] for r in range(4, 15))] == ["continue"] * 11
    assert t3b[15][0] == ("四、结转下年度继续办理", 3, None)
    for table in tables[1:3]:
        header_rows = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in table.iter(W + "tr")]
        assert header_rows[:4] == [True, True, True, False]
    assert [c[0] for c in t4[3]] == ["2", "1", "0", "1", "4", "1", "0", "0", "0", "1", "0", "0", "0", "1", "1"]
    assert t4[0] == [("行政复议", 5, None), ("行政诉讼", 10, None)]


def test_t3_and_its_continuation_each_begin_a_page(exported):
    """表三's heading and the paragraph before its continuation break the page, so the two
    tables never break in Word, WPS or LibreOffice (each is kept to one page as well)."""
    body = Document(exported).element.body
    breaks = [p for p in body.iter(W + "p") if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert len(breaks) == 2
    assert "".join(t.text for t in breaks[0].iter(W + "t")) == "三、收到和处理政府信息公开申请情况"
    assert breaks[1].getnext().tag == W + "tbl" and breaks[1].getprevious().tag == W + "tbl"
    for table in list(body.iter(W + "tbl"))[1:3]:
        rows = table.findall(W + "tr")
        keeps = [tr.find(f".//{W}pPr/{W}keepNext") is not None for tr in rows]
        assert keeps == [True] * (len(rows) - 1) + [False]


def test_labels_match_the_schema(exported):
    doc = Document(exported)
    schema = load_schema()
    def texts(*tables) -> set[str]:
        return {"".join(t.text or "" for t in tc.iter(W + "t")) for table in tables for tc in table._tbl.iter(W + "tc")}

    t2, t3, t3b, t4 = doc.tables
    for tid, found in (("t2", texts(t2)), ("t3", texts(t3, t3b)), ("t4", texts(t4))):
        assert {lc.text for lc in schema.tables[tid].labels} <= found


def test_fonts_and_page_setup(exported):
    doc = Document(exported)
    sec = doc.sections[0]
    mm = [round(x.mm) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin,
                                sec.left_margin, sec.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]
    body = doc.element.body
    fonts = {rf.get(W + "eastAsia") for rf in body.iter(W + "rFonts")}
    assert fonts == {"方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"}
    assert {rf.get(W + "ascii") for rf in body.iter(W + "rFonts")} == {"Times New Roman"}
    paras = [p for p in doc.paragraphs if p.text]
    # the title breaks between phrases (a w:br), not where the line happens to be full
    assert paras[0].text.split("\n") == ["示例市示例区数据资源管理局2025年", "政府信息公开工作年度报告"]
    assert paras[1].text == "一、总体情况"
    sub = next(p for p in paras if p.text.startswith("（一）主动公开。"))
    assert sub.runs[0].text == "（一）主动公开。"
    assert sub.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia") == "楷体_GB2312"
    assert paras[-2].text == "示例市示例区数据资源管理局" and paras[-1].text == "2026年1月16日"
    assert paras[-1].alignment == 2  # right
    spacing = paras[2]._p.find(f"{W}pPr/{W}spacing")
    assert spacing.get(W + "line") == "579" and spacing.get(W + "lineRule") == "exact"
    footer = "".join(t.text or "" for t in sec.footer._element.iter(W + "t"))
    assert footer.startswith("— 1 —") and sample_fingerprint_in(footer)


def sample_fingerprint_in(text: str) -> bool:
    return re.search(r"校验码 [0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", text) is not None


def test_zero_cells_print_zero_and_fee_as_entered(sample, tmp_path):
    for key in list(sample.cells):
        if key.startswith("t4."):
            del sample.cells[key]
    from decimal import Decimal

    sample.cells["t2.admin_fee.amount_wan"] = Decimal("96171.6")
    out = tmp_path / "r.docx"
    export(sample, out)
    doc = Document(out)
    t4 = _grid(doc.tables[3]._tbl)
    assert [c[0] for c in t4[3]] == ["0"] * 15
    assert _grid(doc.tables[0]._tbl)[13][1][0] == "96171.6"


@pytest.mark.parametrize(
    "text, lead, rest",
    [("（一）主动公开。全年发布信息。", "（一）主动公开。", "全年发布信息。"),
     ("（二）依申请公开情况", "（二）依申请公开情况", ""),
     ("2025年，我局坚持公开。", "", "2025年，我局坚持公开。"),
     ("1.加强培训。全年培训2次。", "1.加强培训。", "全年培训2次。")],
)
def test_run_in_subheadings(text, lead, rest):
    got = split_lead(text)
    assert (got[0], got[1]) == (lead, rest)


def test_html_has_real_spans(sample, tmp_path):
    out = tmp_path / "r.html"
    export(sample, out)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.split("<body>")[1]
    assert '<td rowspan="3" colspan="3">（本列数据的勾稽关系为' in html
    assert '<td rowspan="22">三、本年度办理结果</td>' in html
    assert '<td colspan="3" data-key="t2.admin_fee.amount_wan">12.85</td>' in html
    assert html.count("<table") == 3 and "<h2>六、其他需要报告的事项</h2>" in html
    layout = build(sample)
    assert layout.fingerprint == sample.fingerprint()
