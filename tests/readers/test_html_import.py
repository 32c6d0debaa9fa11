"""A report saved from a government website (.html/.htm) imports cell for cell."""

from __future__ import annotations

import pytest

from govreport_gui.export.html_writer import render_html
from govreport_gui.export.layout import TableBlock, build, table_block
from govreport_gui.readers.formats import open_report
from govreport_gui.readers.html_import import decode
from govreport_gui.report.native import FileFormatError


def _values(report):
    return {k: report.value(k) for k in report.schema.cells}


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "gb18030"])
def test_gbk_page_from_our_html_export_imports_cell_for_cell(sample, tmp_path, charset):
    page = render_html(build(sample)).replace('<meta charset="utf-8">', f"<meta charset={charset}>")
    path = tmp_path / "report.htm"
    path.write_bytes(page.encode("gbk"))
    back = open_report(path)
    assert _values(back) == _values(sample)
    assert back.meta.agency == sample.meta.agency and back.meta.year == 2025 and back.meta.date == sample.meta.date
    assert back.sections == {s: sample.paragraphs(s) for s in sample.sections}
    assert back.fingerprint() == sample.fingerprint()


def _cell_html(text: str, zero_blank: bool) -> str:
    if zero_blank and text == "0":
        return "&nbsp;"
    return f'<p style="text-align:center"><span style="font-family:仿宋"><span>{text}</span></span></p>'


def _table(block: TableBlock, rows: range, zero_blank: bool = True) -> str:
    out = []
    for r in rows:
        cells = [c for c in block.cells if c.row == r]
        tds = []
        for c in cells:
            span = min(c.rowspan, rows.stop - r)
            attrs = (f' rowspan="{span}"' if span > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            tds.append(f"<td{attrs}>{_cell_html(c.text, zero_blank and not c.label)}</td>")
        out.append(f"<tr>{''.join(tds)}</tr>")
    return f'<table border="1"><tbody>{"".join(out)}</tbody></table>'


def test_hand_shaped_page_with_split_table_nested_spans_and_site_chrome(sample, tmp_path):
    """A CMS page: navigation, the article inside a page-layout table, 表二 as four tables, cell
    text in nested p/span, zeros left as &nbsp;, a footer after the signature."""
    t2 = table_block(sample, sample.schema.tables["t2"])
    t3 = table_block(sample, sample.schema.tables["t3"])
    t4 = table_block(sample, sample.schema.tables["t4"])
    split_t2 = "".join(f"<div class='tb'>{_table(t2, range(a, b))}</div>" for a, b in ((0, 4), (4, 7), (7, 11), (11, 14)))
    paras = "".join(f"<p><span style='font-size:16pt'>{p}</span></p>" for p in sample.paragraphs("s1"))
    page = f"""<?xml version="1.0" encoding="GB18030"?>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB18030"><title>年报_示例区政府网</title>
<script>var x = "一、总体情况";</script></head><body>
<div class="nav"><ul><li>首页</li><li>政务公开</li></ul><span>发布日期：2026-01-20</span></div>
<table width="100%"><tr><td class="left">栏目导航</td><td class="main">
<div class="article"><div class="title"><h1>{sample.meta.effective_title()}</h1></div>
<div class="content"><div><p><b>一、总体情况</b></p>{paras}</div>
<p>二、主动公开政府信息情况</p>{split_t2}
<p>三、收到和处理政府信息公开申请情况</p><div><div>{_table(t3, range(0, 28))}</div></div>
<p>四、政府信息公开行政复议、行政诉讼情况</p>{_table(t4, range(0, 4))}
<div>五、存在的主要问题及改进情况</div><div><span>{"</span></div><div><span>".join(sample.paragraphs("s5"))}</span></div>
<p>六、其他需要报告的事项</p><p>{"<br>".join(sample.paragraphs("s6"))}</p>
<p style="text-align:right">{sample.meta.agency}<br/>{sample.meta.date_chinese()}</p></div></div></td></tr></table>
<div class="footer"><p>版权所有：示例区人民政府 网站标识码 1234</p></div></body></html>"""
    path = tmp_path / "saved.html"
    path.write_bytes(page.encode("gb18030"))
    back = open_report(path)
    assert _values(back) == _values(sample)
    assert back.meta.agency == sample.meta.agency and back.meta.date == sample.meta.date
    assert back.meta.effective_title() == sample.meta.effective_title()
    assert back.sections["s1"] == sample.paragraphs("s1") and back.sections["s5"] == sample.paragraphs("s5")
    assert back.sections["s6"] == sample.paragraphs("s6")  # the footer is not part of 六
    assert any("空白单元格" in n for n in back.import_notes)  # &nbsp; zeros are blank, and said so


def test_undeclared_encodings_are_detected():
    text = "三、收到和处理政府信息公开申请情况"
    assert decode(text.encode("gbk")) == text
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_a_page_without_the_tables_is_refused_in_chinese(tmp_path):
    path = tmp_path / "news.html"
    path.write_text("<html><body><p>新闻</p></body></html>", encoding="utf-8")
    with pytest.raises(FileFormatError, match="没有表格"):
        open_report(path)
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError, match="不是有效的网页"):
        open_report(empty)


def test_span_attributes_are_bounded():
    from govreport_gui.readers.html_import import read_page

    blocks = read_page(b'<table><tr><td colspan="100000" rowspan="x">a</td><td>b</td></tr></table>', "x.html")
    assert blocks[0].rows[0] == ["a"] * 64  # as in a DOCX: 64 positions a row; "b" starts past them


def test_spans_cannot_push_rows_past_the_grid():
    """Each row's cell spans every row below and 64 columns, so each row's next cell starts right of
    the last: unbounded, 2,000 rows made a 2,000 × 128,000 grid (3.4 s, 130 MB)."""
    from govreport_gui.readers.html_import import read_page

    rows = b'<tr><td rowspan="99999" colspan="64">1</td></tr>' * 2000
    grid = read_page(b"<table>" + rows + b"</table>", "x.html")[0]
    assert len(grid.rows) == 1000 and grid.width == 64
