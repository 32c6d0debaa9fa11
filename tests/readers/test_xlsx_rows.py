"""The fast sheet reader: the expression path and the lxml path give the same rows."""

from __future__ import annotations

import io
import zipfile

import pytest

from govreport_gui.readers import xlsx_rows
from govreport_gui.report.native import FileFormatError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(sheet_xml: str, strings_xml: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                                      '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   "</Relationships>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        z.writestr("xl/sharedStrings.xml", strings_xml)
    return buf.getvalue()


STRINGS = (f'<sst xmlns="{MAIN}"><si><t>编号</t></si><si><r><t>收到</t></r><r><t>日期</t></r></si>'
           '<si><t>A&amp;B</t><rPh><t>ふりがな</t></rPh></si></sst>')
CELLS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
         '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>45720</v></c>'
         '<c r="C3" t="inlineStr"><is><t>公民&lt;1&gt;</t></is></c><c r="D3" t="b"><v>1</v></c>'
         '<c r="E3"><f>1+1</f><v>2</v></c><c r="F3" s="2"/><c r="G3" t="str"><v>x</v></c></row>')
EXPECTED = [["编号", None, "收到日期"], [], ["A&B", 45720.0, "公民<1>", True, 2.0, None, "x"]]


def test_cells_as_office_suites_write_them() -> None:
    data = workbook(f'<worksheet xmlns="{MAIN}"><sheetData>{CELLS}</sheetData></worksheet>', STRINGS)
    assert xlsx_rows.read_sheets(data, "a.xlsx") == [("台账", EXPECTED)]


def test_prefixed_namespaces_go_the_general_way_with_the_same_result() -> None:
    prefixed = CELLS.replace("<", "<x:").replace("<x:/", "</x:")
    sheet = f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{prefixed}</x:sheetData></x:worksheet>'
    strings = STRINGS.replace("<", "<x:").replace("<x:/", "</x:").replace('xmlns="', 'xmlns:x="')
    data = workbook(sheet, strings)
    assert xlsx_rows._fast_rows(sheet.encode(), xlsx_rows._Shared(None, []), None, xlsx_rows.Budget("b.xlsx")) is None
    got = xlsx_rows.read_sheets(data, "b.xlsx")[0][1]
    assert [list(r) for r in got] == EXPECTED


def test_chosen_columns_only_below_the_top_rows() -> None:
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>id{n}</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>secret{n}</t></is></c><c r="C{n}"><v>{n}</v></c></row>'
                   for n in range(1, 41))
    data = workbook(f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>', STRINGS)
    rows = xlsx_rows.read_sheets(data, "c.xlsx", choose=lambda top: {0, 2})[0][1]
    assert rows[29] == ["id30", "secret30", 30.0]  # the top rows are whole
    assert list(rows[39]) == ["id40", None, 40.0]  # below them the unchosen column is never decoded


def test_a_damaged_workbook_is_explained() -> None:
    with pytest.raises(FileFormatError, match="不是有效的 Excel 工作簿"):
        xlsx_rows.read_sheets(b"PK\x03\x04broken", "d.xlsx")
