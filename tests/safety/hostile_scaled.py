"""Hostile inputs of issue 24 whose one structure scales: merged positions, spans, shared-string
references, nesting depth, text size. Each builder takes ``(folder, n)`` and writes a file in which
that structure occurs ``n`` times (or ``n`` deep, or ``n`` characters long).

The default safety suite opens each at the size the probe used (``probe``); the long fuzz mode
(``GOVREPORT_LONG_TESTS=1``, test_scaled.py) grows ``n`` by 10× until the reader refuses and asserts
that time and memory grow no faster than ``n`` up to the refusal.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.safety.hostile import DATA, DOCX, rezip

Build = Callable[[Path, int], Path]
LONG_TEXT = 100_000  # characters in the one big cell the merges repeat (the probe's "some text")


@dataclass(frozen=True)
class Scaled:
    build: Build
    probe: int  # the size the probe reported as hanging
    start: int  # where the long mode's ×10 ladder starts
    unit: str


# --- DOCX: vertical merges under one cell of 100,000 characters -----------------------------------

def docx_vmerge(folder: Path, n: int) -> Path:
    """The sample report with ``n`` grid positions in 表二 merged (vMerge × gridSpan 64) under one
    cell of :data:`LONG_TEXT` characters: each position repeats that text."""
    rows = max(1, n // 64)
    text = ("字" * LONG_TEXT).encode()
    first = (b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="64"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>'
             + text + b"</w:t></w:r></w:p></w:tc></w:tr>")
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="64"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>'
    tables = max(1, rows // 900)  # a table keeps at most 1000 rows: more merges need more tables
    per_table = rows // tables

    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            t2 = data.index("规章".encode())
            end = data.index(b"</w:tbl>", t2)
            extra = b"</w:tbl><w:tbl>".join([first + row * per_table] * tables)
            return data[:end] + extra + data[end:]
        return data
    return rezip(DOCX, folder / f"vmerge-{n}.docx", change)


# --- XLSX: merges and references over a large shared string ----------------------------------------

_CT_STRINGS = (b'<Override PartName="/xl/sharedStrings.xml" '
               b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_REL_STRINGS = (b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/sharedStrings" Target="sharedStrings.xml"/>')


def _t3_workbook(folder: Path, name: str, sheets: list[tuple[bytes, bytes]]) -> Path:
    """Our workbook of the sample without its 数据 and 报告信息 sheets (so the table sheets are
    read), one shared string of :data:`LONG_TEXT` characters, and for each ``(rows, merges)`` in
    ``sheets`` a copy of 表三 with those rows and ``<mergeCell>`` elements added."""
    from govreport_gui.export import export
    from govreport_gui.report import native

    base = folder / "base.xlsx"
    export(native.load(DATA / "sample-2025.govreport"), base)
    with zipfile.ZipFile(base) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    base.unlink()
    t3 = parts["xl/worksheets/sheet2.xml"]
    book, rels = parts["xl/workbook.xml"], parts["xl/_rels/workbook.xml.rels"]
    book = book.replace(book[book.index(b"<sheet ", book.index("报告信息".encode()) - 200):book.index(b"</sheets>")], b"")
    sheet_tags, rel_tags = b"", _REL_STRINGS
    for i, (rows, merges) in enumerate(sheets):
        xml = t3.replace(b"</sheetData>", rows + b"</sheetData>").replace(b"</mergeCells>", merges + b"</mergeCells>")
        if i == 0:
            parts["xl/worksheets/sheet2.xml"] = xml
            continue
        parts[f"xl/worksheets/extra{i}.xml"] = xml
        sheet_tags += (f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                       f'name="表三{i}" sheetId="{10 + i}" r:id="rIdX{i}"/>').encode()
        rel_tags += (f'<Relationship Id="rIdX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     f'relationships/worksheet" Target="worksheets/extra{i}.xml"/>').encode()
    parts["xl/workbook.xml"] = book.replace(b"</sheets>", sheet_tags + b"</sheets>")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", rel_tags + b"</Relationships>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", _CT_STRINGS + b"</Types>")
    parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     b'count="1" uniqueCount="1"><si><t>' + ("字" * LONG_TEXT).encode() + b"</t></si></sst>")
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in parts.items():
            z.writestr(member, data)
    return path


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx_merges(folder: Path, n: int) -> Path:
    """``n`` merged positions on 表三 (ranges of 10 rows × 100 columns, on more copies of 表三 past
    90,000), each range's first cell holding the shared string of :data:`LONG_TEXT` characters."""
    sheets, left = [], n
    while left > 0:
        rows, merges, r = b"", b"", 41
        while left > 0 and r + 10 <= 941:
            rows += b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r)
            merges += b'<mergeCell ref="A%d:CV%d"/>' % (r, r + 9)
            left -= 1000
            r += 10
        sheets.append((rows, merges))
    return _t3_workbook(folder, f"merges-{n}.xlsx", sheets)


def xlsx_shared_refs(folder: Path, n: int) -> Path:
    """``n`` cells below 表三 (100 per row) that all point to the shared string of
    :data:`LONG_TEXT` characters."""
    rows = b""
    for r in range(n // 100 + 1):
        cells = b"".join(b'<c r="%s%d" t="s"><v>0</v></c>' % (_col(c).encode(), 41 + r)
                         for c in range(min(100, n - 100 * r)))
        rows += b'<row r="%d">' % (41 + r) + cells + b"</row>"
    return _t3_workbook(folder, f"shared-{n}.xlsx", [(rows, b"")])


# --- a saved web page: 64×64 rowspan/colspan grids ---------------------------------------------------

def html_spans(folder: Path, n: int) -> Path:
    """The sample's own web page with, before its tables, tables labelled like 表三 of 64 rows whose
    ``n`` cells each span 64 rows and 64 columns (4,096 grid positions per table; no ``</td>``
    or ``</tr>``, as HTML allows)."""
    from govreport_gui.export.html_writer import render_html
    from govreport_gui.export.layout import build
    from govreport_gui.report import native

    page = render_html(build(native.load(DATA / "sample-2025.govreport")))
    row = '<tr><td rowspan="64" colspan="64">申请人情况'
    tables, last = divmod(n, 64)
    extra = ("<table>" + row * 64 + "</table>") * tables + ("<table>" + row * last + "</table>" if last else "")
    path = folder / f"spans-{n}.html"
    at = page.index("<table")
    path.write_text(page[:at] + extra + page[at:], encoding="utf-8")
    return path


# --- .govreport: unknown cells nested n deep, text n long -------------------------------------------

def _sample_tree() -> dict:
    return json.loads((DATA / "sample-2025.govreport").read_text(encoding="utf-8"))


def govreport_nested(folder: Path, n: int) -> Path:
    """The sample with an unknown cell nested ``n`` deep (lists and objects alternating)."""
    tree = _sample_tree()
    text = json.dumps(tree, ensure_ascii=False)
    nested = '{"a": [' * (n // 2) + "1" + "]}" * (n // 2)
    text = text.replace('"cells": {', f'"cells": {{"t9.future": {nested}, ', 1)
    path = folder / f"nested-{n}.govreport"
    path.write_text(text, encoding="utf-8")
    return path


def govreport_text(folder: Path, n: int) -> Path:
    """The sample whose agency and first paragraph are ``n`` characters long."""
    tree = _sample_tree()
    tree["meta"]["agency"] = "局" * n
    tree["sections"]["s1"][0] = "字" * n
    path = folder / f"text-{n}.govreport"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    return path


def docx_text(folder: Path, n: int) -> Path:
    """The sample DOCX whose first paragraph of section 一 and whose 表三 row label “1.本机关不掌握
    该政府信息” each get ``n`` more characters (the label still read: a suffix is a cut-short match)."""
    words = ("字" * n).encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            for anchor in ("坚持以公开为常态、不公开为例外。", "本机关不掌握该政府信息"):
                data = data.replace(anchor.encode(), anchor.encode() + words, 1)
        return data
    return rezip(DOCX, folder / f"celltext-{n}.docx", change)


SCALED: dict[str, Scaled] = {
    "docx vMerge positions under a 100k-character cell": Scaled(docx_vmerge, 5_000, 64, "merged positions"),
    "xlsx merges over a 100k-character shared string": Scaled(xlsx_merges, 100_000, 1_000, "merged positions"),
    "xlsx cells pointing to one 100k-character shared string": Scaled(xlsx_shared_refs, 10_000, 10, "references"),
    "html 64×64 rowspan/colspan cells": Scaled(html_spans, 5_000, 5, "spanning cells"),
    "govreport unknown cell nested deep": Scaled(govreport_nested, 900, 10, "levels"),
    "govreport agency and paragraph of n characters": Scaled(govreport_text, 1_000_000, 1_000, "characters"),
    "docx a paragraph and a 表三 label n characters longer": Scaled(docx_text, 1_000_000, 1_000, "characters"),
}


def at_probe_size(name: str) -> Callable[[Path], Path]:
    """``name``'s builder at the size the probe used, as a one-argument builder."""
    case = SCALED[name]
    return lambda folder: case.build(folder, case.probe)


def unzip_member(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(member)
