"""The fast sheet reader: the expression path and the lxml path give the same rows (registers as
Excel/WPS/LibreOffice and openpyxl write them, and random sheets)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport_gui.readers import register, xlsx_rows
from govreport_gui.report.native import FileFormatError

from .register_builders import HEADER, generate

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


# --- the expression path against lxml's, over registers and random sheets ------------------------
PRESERVE, PLAIN_STYLE = ' xml:space="preserve"', ' s="1"'


def _sheet_of(rows: dict[int, dict[int, tuple[str, object]]], strings: list[str]) -> tuple[bytes, bytes]:
    """(sheet XML, shared-strings XML) as office suites write them: each row's cells in column
    order, each cell a (kind, value): "s" shared string index, "inline" text, "n" number, "b",
    "str" and "e" (a formula's text, an error), "f" a formula with its number, "empty" (styled, no value)."""
    out = []
    for number in sorted(rows):
        cells = []
        for col, (kind, value) in sorted(rows[number].items()):
            ref = f'r="{xlsx_rows._letters(col)}{number}"'
            style = f' s="{col % 3}"' if col % 2 else ""
            if kind == "s":
                cells.append(f'<c {ref}{style} t="s"><v>{value}</v></c>')
            elif kind == "inline":
                space = PRESERVE if str(value).strip() != value else ""
                cells.append(f'<c {ref} t="inlineStr"><is><t{space}>{escape(str(value))}</t></is></c>')
            elif kind in ("n", "b"):
                typed = f" t={quoteattr(kind)}" if col % 3 or kind == "b" else ""  # t="n" may be left out
                cells.append(f"<c {ref}{style}{typed}><v>{value}</v></c>")
            elif kind in ("str", "e"):
                cells.append(f'<c {ref} t="{kind}"><f>A1&amp;""</f><v>{escape(str(value))}</v></c>')
            elif kind == "f":
                cells.append(f"<c {ref}{style}><f>1+1</f><v>{value}</v></c>")
            else:
                cells.append(f"<c {ref}{style or PLAIN_STYLE}/>")
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(out)}</sheetData></worksheet>'
    sst = "".join(f"<si><t{PRESERVE if s.strip() != s else ''}>{escape(s)}</t></si>" for s in strings)
    return sheet.encode(), f'<sst xmlns="{MAIN}">{sst}</sst>'.encode()


def _both_ways(sheet: bytes, strings: bytes, choose: xlsx_rows.Chooser) -> tuple[list[list], list[list]]:
    """The sheet's rows by the expression (asserted to take it) and by lxml, padded alike. Both are
    empty to every reader, and made alike here: an empty inline string ("" one way, None the other
    in some places) and trailing empty rows (lxml lays out each <row> with no cells)."""
    shared = xlsx_rows._shared_strings(strings)
    fast = xlsx_rows._fast_rows(sheet, shared, choose, xlsx_rows.Budget("a.xlsx"))
    assert fast is not None  # written as office suites write it: the expression's way
    general = xlsx_rows._lxml_rows(sheet, xlsx_rows._shared_strings(strings), choose, xlsx_rows.Budget("a.xlsx"))
    width = max(len(r) for r in [*fast, *general, ()])
    fill = [None] * width

    def plain(rows: list) -> list[list]:
        out = [[None if v == "" else v for v in [*r, *fill[len(r):]]] for r in rows]
        while out and out[-1] == fill:
            out.pop()
        return out

    return plain(fast), plain(general)


def _register_sheet(rows: list[tuple], shared: bool) -> tuple[bytes, bytes]:
    """The generator's register (title, blank row, header, rows) as Excel/WPS/LibreOffice save it
    (``shared``: text in the shared-string table, dates as serial numbers) or as openpyxl writes it."""
    strings: dict[str, int] = {}
    sheet: dict[int, dict[int, tuple[str, object]]] = {}
    for number, row in enumerate([("某局台账",), (), HEADER, *rows], start=1):
        cells: dict[int, tuple[str, object]] = {}
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                cells[col] = ("n", (value - dt.date(1899, 12, 30)).days)
            elif isinstance(value, (int, float)):
                cells[col] = ("n", value)
            elif shared:
                cells[col] = ("s", strings.setdefault(value, len(strings)))
            else:
                cells[col] = ("inline", value)
        sheet[number] = cells
    return _sheet_of(sheet, list(strings))


@pytest.mark.parametrize("shared", [True, False], ids=["shared strings", "inline strings"])
def test_the_expression_path_reads_registers_as_lxml_does(shared):
    rows, _ = generate(2025, 3000, seed=5)
    rows[40] = ("", *rows[40][1:])  # a row without 编号, one without dates, one out of order
    rows[41] = (*rows[41][:1], None, *rows[41][2:6], None, *rows[41][7:])
    sheet, strings = _register_sheet(rows, shared)
    sheet = sheet.replace(b'<row r="2000">', b'<row r="3100">').replace(b'<row r="3100">', b'<row r="2000">', 1)
    fast, general = _both_ways(sheet, strings, register._chooser({}))
    assert fast == general
    assert len(fast) == 3003 and fast[3][0] == rows[0][0]


_TEXT = st.text(st.sampled_from("aZ09 -/.&<>\"'年月日自然人予以公开—（）\t"), max_size=12)
_CELL = st.one_of(
    st.tuples(st.just("s"), st.integers(0, 9)),
    st.tuples(st.just("inline"), _TEXT),
    st.tuples(st.just("n"), st.one_of(st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False))),
    st.tuples(st.just("b"), st.sampled_from([0, 1])),
    st.tuples(st.sampled_from(["str", "e"]), _TEXT),
    st.tuples(st.just("f"), st.integers(0, 99)),
    st.tuples(st.just("empty"), st.none()),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.dictionaries(st.integers(1, 90), st.dictionaries(st.sampled_from([0, 1, 2, 3, 5, 25, 26, 27]), _CELL),
                            min_size=31),
       strings=st.lists(_TEXT, min_size=10, max_size=10),
       chosen=st.one_of(st.none(), st.sets(st.sampled_from([0, 1, 2, 3, 5, 25, 26, 27]), min_size=1)),
       column_of=st.sampled_from(["mixed", "one kind"]))
def test_the_expression_path_reads_random_sheets_as_lxml_does(rows, strings, chosen, column_of):
    if column_of == "one kind":  # each column of one kind, as a register's mostly are: each way of _converted
        kinds = {col: kind for row in rows.values() for col, (kind, _) in row.items()}
        rows = {n: {c: cell for c, cell in row.items() if cell[0] == kinds[c]} for n, row in rows.items()}
    sheet, shared = _sheet_of(rows, strings)
    fast, general = _both_ways(sheet, shared, lambda top: chosen)
    assert fast == general


@pytest.mark.parametrize("opening", ['<c s="1" r="B40"', '<c s="1"'], ids=["reference later", "no reference"])
def test_a_cell_below_the_top_without_its_reference_first_goes_the_general_way(opening):
    rows, _ = generate(2025, 60, seed=3)
    sheet, strings = _register_sheet(rows, shared=True)
    assert b'<c r="B40" s="1"' in sheet
    sheet = sheet.replace(b'<c r="B40" s="1"', opening.encode())
    shared = xlsx_rows._shared_strings(strings)
    assert xlsx_rows._fast_rows(sheet, shared, register._chooser({}), xlsx_rows.Budget("a.xlsx")) is None
    got = xlsx_rows.read_sheets(workbook(sheet.decode(), strings.decode()), "a.xlsx", register._chooser({}))[0][1]
    assert got == xlsx_rows._lxml_rows(sheet, shared, register._chooser({}), xlsx_rows.Budget("a.xlsx"))
    assert got[39][1] is not None  # the cell's date, read the general way
