"""Hostile inputs for the readers that came after issue 13: saved web pages (``.html``) and
registers of applications (``.xlsx``/``.csv``); roll-up folders are built in test_hostile_folders.
Each builder writes into ``folder`` and returns the path; nothing here is big on disk except where
the name says so."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.safety.hostile import _raw_zip

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "编号,收到日期,申请人类型,办理结果,办结日期\n"
ROW = "{i},2025-03-04,自然人,予以公开,2025-03-20\n"
Build = Callable[[Path], Path]


# --- saved web pages ------------------------------------------------------------------------------

def page(name: str, body: bytes | Callable[[], bytes], head: bytes = b"") -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        content = body() if callable(body) else body
        path.write_bytes(b"<html><head>" + head + b"</head><body>" + content + b"</body></html>")
        return path
    return build


def _table(cell: bytes, rows: int) -> bytes:
    return b"<table><tr>" + cell * 3 + b"</tr>" + (b"<tr>" + cell + b"</tr>") * (rows - 1) + b"</table>"


def spans(rowspan: str, colspan: str) -> Build:
    cell = f'<td rowspan="{rowspan}" colspan="{colspan}">申请人情况</td>'.encode()
    return page(f"span-{rowspan}-{colspan}.html", lambda: _table(cell, 50))


def staircase(folder: Path) -> Path:
    """Every row's cell spans all rows below and 64 columns: each row starts right of the last
    one's, so the grid is rows × 64·rows (2,000 rows: 256 million positions)."""
    row = b'<tr><td rowspan="99999" colspan="64">1</td></tr>'
    return page("staircase.html", b"<table>" + row * 2000 + b"</table>")(folder)


def big_page(megabytes: int) -> Build:
    return page(f"big-{megabytes}mb.html", lambda: "<p>政府信息公开</p>".encode() * (megabytes * 1024 * 1024 // 24))


def nested(tag: bytes, depth: int) -> Build:
    name = tag.decode().split(">")[0].strip("<")
    return page(f"nested-{name}-{depth}.html", lambda: tag * depth + "一、总体情况".encode())


def binary_page(folder: Path) -> Path:
    path = folder / "binary.html"
    path.write_bytes(os.urandom(200_000))
    return path


def undecodable(folder: Path) -> Path:
    path = folder / "undecodable.html"
    path.write_bytes(b'<meta charset="utf-8"><p>\xff\xfe\x80\x81' + "一、总体情况".encode("gbk") + b"</p>\xc3")
    return path


def declared(charset: str) -> Build:
    return page(f"charset-{charset[:10]}.html", "<p>一、总体情况</p>".encode(),
                f'<meta charset="{charset}">'.encode())


def link_page(target: str) -> Build:
    def build(folder: Path) -> Path:
        path = folder / f"link-{os.path.basename(target)}.html"
        path.symlink_to(target)
        return path
    return build


def fifo_named(name: str) -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path
    return build


def real_page(name: str, change: Callable[[str], str]) -> Build:
    """The sample report as its own HTML export, changed by ``change`` (a real page, so the reader
    gets past "no tables" and its values reach the report)."""
    def build(folder: Path) -> Path:
        from govreport_gui.export.html_writer import render_html
        from govreport_gui.export.layout import build as layout
        from govreport_gui.report import native

        path = folder / name
        path.write_text(change(render_html(layout(native.load(DATA / "sample-2025.govreport")))), encoding="utf-8")
        return path
    return build


def _in_text(page: str, snippet: str) -> str:
    """``snippet`` after the first heading and at the end of every paragraph."""
    return page.replace("一、总体情况", "一、总体情况" + snippet).replace("</p>", snippet + "</p>")


HTML: dict[str, Build] = {
    "html real page, &#xD800; &#x110000; &#0; in every paragraph": real_page(
        "surrogates.html", lambda page: _in_text(page, "&#xD800;&#x110000;&#0;&#xDFFF;")),
    "html real page, 1 MB of text in every cell": real_page(
        "huge-cells.html", lambda page: page.replace("</td>", "字" * 30_000 + "</td>", 40)),
    "html real page, rowspan/colspan 99999999 on every cell": real_page(
        "spans.html", lambda page: page.replace("<td", '<td rowspan="99999999" colspan="99999999"')),
    "html 50 MB": big_page(50),
    "html 19 MB of <p> (inside the size limit)": big_page(19),
    "html rowspan 99999999": spans("99999999", "1"),
    "html colspan 1e9": spans("1", "1e9"),
    "html colspan 99999999": spans("1", "99999999"),
    "html spans -5": spans("-5", "-5"),
    "html spans 1.5 / abc": spans("1.5", "abc"),
    "html spans ２ (full-width digit)": spans("２", "٣"),
    "html 2,000 rows × rowspan 99999 × colspan 64": staircase,
    "html 1M empty <td>": page("td.html", lambda: b"<table><tr>" + b"<td></td>" * 1_000_000 + b"</tr></table>"),
    "html 1M empty <tr><td>": page("tr.html", lambda: b"<table>" + b"<tr><td></td></tr>" * 1_000_000 + b"</table>"),
    "html 1M empty <p>": page("p.html", lambda: b"<p></p>" * 1_000_000),
    "html 59k empty <td> (inside the tag limit)": page(
        "td59k.html", lambda: b"<table><tr>" + b"<td></td>" * 59_000 + b"</tr></table>"),
    "html 29k empty <tr><td> (inside the tag limit)": page(
        "tr29k.html", lambda: b"<table>" + b"<tr><td></td></tr>" * 29_000 + b"</table>"),
    "html 59k empty <p> (inside the tag limit)": page("p59k.html", lambda: b"<p></p>" * 59_000),
    "html 100k nested <div>": nested(b"<div>", 100_000),
    "html 100k nested <table><tr><td>": nested(b"<table><tr><td>", 100_000),
    "html 100k nested <span>": nested(b"<span>", 100_000),
    "html random bytes": binary_page,
    "html undecodable bytes": undecodable,
    "html charset x-unknown": declared("x-unknown"),
    "html charset utf-16 declared, bytes UTF-8": declared("utf-16"),
    "html &#xD800; &#x110000; &#0;": page("entities.html", "<p>一、总体情况&#xD800;&#x110000;&#0;&#xDFFF;</p>"
                                          "<table><tr><td>申请人情况&#xD800;</td></tr></table>".encode()),
    "html -> /dev/zero": link_page("/dev/zero"),
    "html FIFO": fifo_named("fifo.html"),
    "htm -> /dev/urandom": link_page("/dev/urandom"),
}


# --- registers of applications --------------------------------------------------------------------

def csv_file(name: str, text: Callable[[], bytes]) -> Build:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text())
        return path
    return build


def _rows(n: int) -> bytes:
    return (HEADER + "".join(ROW.format(i=i) for i in range(n))).encode()


def _body(n: int) -> bytes:
    return "".join(ROW.format(i=i) for i in range(n)).encode()


def csv_rows_file(name: str, rows: int) -> Build:
    """``rows`` rows written in blocks (10 million rows are 480 MB)."""
    def build(folder: Path) -> Path:
        path = folder / name
        with open(path, "wb") as fh:
            fh.write(HEADER.encode())
            for start in range(0, rows, 100_000):
                fh.write("".join(ROW.format(i=i) for i in range(start, min(rows, start + 100_000))).encode())
        return path
    return build


def sparse_csv(folder: Path) -> Path:
    path = folder / "rows-10m.csv"
    path.write_bytes(_rows(1000))
    with open(path, "r+b") as fh:
        fh.truncate(480 << 20)
    return path


def one_line(megabytes: int) -> Build:
    return csv_file(f"line-{megabytes}mb.csv", lambda: HEADER.encode() + b"1," + b"x" * (megabytes << 20) + b"\n")


def dated(received: str, concluded: str = "2025-03-20") -> Build:
    text = HEADER + f"1,{received},自然人,予以公开,{concluded}\n2,2025-03-04,自然人,予以公开,2025-03-20\n"
    return csv_file(f"date-{received[:12]}.csv", lambda: text.encode())


def _sheet_xlsx(folder: Path, name: str, cells: bytes, strings: bytes = b"") -> Path:
    """A minimal workbook with one worksheet whose sheetData is ``cells``."""
    path = folder / name
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets>'
                   '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f"<sst {ns}>".encode() + strings + b"</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>".encode() + cells + b"</sheetData></worksheet>")
    return path


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    return b'<row r="1">' + b"".join(_inline(f"{c}1", h) for c, h in zip("ABCDE", HEADER.strip().split(","))) + b"</row>"


def xlsx_far_cell(folder: Path) -> Path:
    cells = _header_row() + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _sheet_xlsx(folder, "far.xlsx", cells)


def xlsx_far_column_rows(folder: Path) -> Path:
    """No header: 40,000 rows each with one cell in column XFD (16,384 columns wide)."""
    cells = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(1, 40_001))
    return _sheet_xlsx(folder, "far-rows.xlsx", cells)


def xlsx_far_column_rows_lxml(folder: Path) -> Path:
    """As above, written with a namespace prefix: the lxml path, not the regular expression's."""
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    path = xlsx_far_column_rows(folder)
    body = b"".join(b'<x:row r="%d"><x:c r="XFD%d"><x:v>1</x:v></x:c></x:row>' % (r, r) for r in range(1, 40_001))
    out = folder / "far-rows-lxml.xlsx"
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = f"<x:worksheet {ns}><x:sheetData>".encode() + body + b"</x:sheetData></x:worksheet>"
            b.writestr(info.filename, data)
    path.unlink()
    return out


def xlsx_values(folder: Path) -> Path:
    """Serial dates 1e300, -5, NaN, 1e400; a 编号 of 1e300 and of 100,000 characters."""
    rows = [(b'<c r="A%d"><v>1e300</v></c>', b'<c r="B%d"><v>45000</v></c>'),
            (b'<c r="A%d"><v>2</v></c>', b'<c r="B%d"><v>1e300</v></c>'),
            (b'<c r="A%d"><v>3</v></c>', b'<c r="B%d"><v>-5</v></c>'),
            (b'<c r="A%d"><v>4</v></c>', b'<c r="B%d"><v>NaN</v></c>'),
            (b'<c r="A%d"><v>5</v></c>', b'<c r="B%d"><v>1e400</v></c>'),
            (b'<c r="A%d" t="inlineStr"><is><t>' + b"9" * 100_000 + b"</t></is></c>", b'<c r="B%d"><v>45000</v></c>'),
            (b'<c r="A%d"><v>8</v></c>', b'<c r="B%d" t="s"><v>-1</v></c>')]
    body = _header_row()
    for i, (a, b) in enumerate(rows, start=2):
        rest = _inline(f"C{i}", "自然人") + _inline(f"D{i}", "予以公开") + b'<c r="E%d"><v>45010</v></c>' % i
        body += b'<row r="%d">' % i + (a % i if b"%d" in a else a) + b % i + rest + b"</row>"
    return _sheet_xlsx(folder, "values.xlsx", body, b"<si><t>x</t></si>")


def xlsx_one_long_shared_id(folder: Path) -> Path:
    """Issue 24: every 编号 of 20,000 rows points to one shared string of 100,000 characters
    (3.8 GB and 14 s before: each row copied and quoted it)."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>1</v></c><c r="B%d"><v>45720</v></c>'
                    b'<c r="C%d" t="s"><v>2</v></c><c r="D%d" t="s"><v>3</v></c><c r="E%d"><v>45730</v></c></row>'
                    % ((r,) * 6) for r in range(2, 20_002))
    strings = ("<si><t>编号</t></si><si><t>" + "号" * 100_000 + "</t></si><si><t>自然人</t></si><si><t>予以公开</t></si>")
    header = b'<row r="1">' + b"".join(_inline(f"{c}1", h) for c, h in zip("ABCDE", HEADER.strip().split(","))) + b"</row>"
    return _sheet_xlsx(folder, "long-shared-id.xlsx", header + rows, strings.encode())


def _xls(folder: Path, name: str, cells: list, sst: list | None = None, extra: bytes = b"") -> Path:
    from tests.readers import cfb_builder

    header = [(0, c, h) for c, h in enumerate(HEADER.strip().split(","))]
    path = folder / name
    path.write_bytes(cfb_builder.build({"Workbook": cfb_builder.biff8({"台账": header + cells}, sst, extra)}))
    return path


def xls_far_cell(folder: Path) -> Path:
    return _xls(folder, "far.xls", [(65535, 65535, 1.0)])


def xls_far_column_rows(folder: Path) -> Path:
    return _xls(folder, "far-rows.xls", [(r, 60000, 1.0) for r in range(1, 40_000)])


def xls_shared_long_id(folder: Path) -> Path:
    """20,000 rows whose 编号 is the same shared string of 65,000 characters."""
    sst = ["号" * 65_000, "自然人", "予以公开"]
    cells = [c for r in range(1, 20_001) for c in ((r, 0, ("sst", 0)), (r, 1, 45720.0), (r, 2, ("sst", 1)),
                                                   (r, 3, ("sst", 2)), (r, 4, 45730.0))]
    return _xls(folder, "long-shared-id.xls", cells, sst)


def xls_patched(name: str, change: Callable[[bytes], bytes]) -> Build:
    """A valid .xls whose bytes ``change`` damages (the compound file or the records in it)."""
    def build(folder: Path) -> Path:
        path = _xls(folder, name, [(1, 0, "A1"), (1, 1, 45720.0), (1, 2, "公民"), (1, 3, "予以公开"), (1, 4, 45730.0)])
        path.write_bytes(change(path.read_bytes()))
        return path
    return build


def _sst_count(data: bytes) -> bytes:
    at = data.find(b"\xfc\x00")  # the SST record: declare 2^31 unique strings
    return data[:at + 8] + b"\xff\xff\xff\x7f" + data[at + 12:]


def _fat_loop(data: bytes) -> bytes:
    import struct

    fat = bytearray(data[512:1024])  # the first FAT sector: every chain points back to sector 1
    for i in range(2, 128):
        struct.pack_into("<I", fat, i * 4, 1)
    return data[:512] + bytes(fat) + data[1024:]


def _ods(folder: Path, name: str, rows: bytes, content: bytes | None = None) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        z.writestr("content.xml", content if content is not None else (
            b'<office:document-content><office:body><office:spreadsheet><table:table table:name="t">'
            + rows + b"</table:table></office:spreadsheet></office:body></office:document-content>"))
    return path


def _ods_cell(text: str, attrs: str = "") -> bytes:
    return f'<table:table-cell office:value-type="string"{attrs}><text:p>{text}</text:p></table:table-cell>'.encode()


def _ods_header() -> bytes:
    return b"<table:table-row>" + b"".join(_ods_cell(h) for h in HEADER.strip().split(",")) + b"</table:table-row>"


def ods_repeated_content(folder: Path) -> Path:
    row = b'<table:table-row table:number-rows-repeated="999999999">' + _ods_cell("1", ' table:number-columns-repeated="999999999"') + b"</table:table-row>"
    return _ods(folder, "repeated.ods", _ods_header() + row)


def ods_bomb(folder: Path) -> Path:
    path = folder / "bomb.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with z.open("content.xml", "w") as fh:
            chunk = b"<table:table-row>" + b" " * (1 << 20)
            for _ in range(400):  # 400 MB inflated from ~0.4 MB
                fh.write(chunk)
    return path


def ods_long_shared_cells(folder: Path) -> Path:
    rows = (b"<table:table-row>" + _ods_cell("号" * 100_000) + _ods_cell("2025-03-04") + _ods_cell("自然人")
            + _ods_cell("予以公开") + _ods_cell("2025-03-10") + b"</table:table-row>") * 200
    return _ods(folder, "long.ods", _ods_header() + rows)


def ods_far_cell(folder: Path) -> Path:
    row = (b'<table:table-row><table:table-cell table:number-columns-repeated="16000"/>' + _ods_cell("1")
           + b"</table:table-row>")
    return _ods(folder, "far.ods", _ods_header() + row * 1000)


REGISTER: dict[str, Build] = {
    "register xlsx 20,000 编号 pointing to one 100,000-character shared string": xlsx_one_long_shared_id,
    "register xls cell at IV65536 and beyond (row 65535, column 65535)": xls_far_cell,
    "register xls 40k rows with a cell in column 60000": xls_far_column_rows,
    "register xls 20,000 编号 pointing to one 65,000-character shared string": xls_shared_long_id,
    "register xls SST declaring 2^31 strings": xls_patched("sst-count.xls", _sst_count),
    "register xls FAT chains looping": xls_patched("fat-loop.xls", _fat_loop),
    "register xls truncated to 1,500 bytes": xls_patched("cut.xls", lambda d: d[:1500]),
    "register xls compound-file header then random bytes": xls_patched(
        "random.xls", lambda d: d[:8] + os.urandom(200_000)),
    "register xls every record length 0xFFFF": xls_patched(
        "lengths.xls", lambda d: d[:2560] + bytes(b if i % 4 != 2 else 0xFF for i, b in enumerate(d[2560:]))),
    "register et random bytes": csv_file("random.et", lambda: os.urandom(100_000)),
    "register ods cell and row repeated 999,999,999 times": ods_repeated_content,
    "register ods content.xml of 400 MB (zip bomb)": ods_bomb,
    "register ods 200 cells of 100,000 characters": ods_long_shared_cells,
    "register ods 1,000 rows with a cell in column 16,001": ods_far_cell,

    "register xlsx zip bomb, declared size lies": lambda f: _raw_zip(f / "bomb-lies.xlsx", "xl/workbook.xml", 300, 300),
    "register xlsx zip bomb, 390 MB declared": lambda f: _raw_zip(f / "bomb.xlsx", "xl/workbook.xml", 390, 390 << 20),
    "register xlsx cell at XFD1048576": xlsx_far_cell,
    "register xlsx 40k rows with a cell in XFD": xlsx_far_column_rows,
    "register xlsx 40k rows in XFD, prefixed (lxml)": xlsx_far_column_rows_lxml,
    "register xlsx serial dates 1e300/-5/NaN, 编号 1e300 and 100k digits": xlsx_values,
    "register xlsx shared string 99999999 of 1": lambda f: _sheet_xlsx(
        f, "index.xlsx", _header_row() + b'<row r="2"><c r="A2" t="s"><v>99999999</v></c></row>', b"<si><t>x</t></si>"),
    "register csv of 480 MB (10 million rows' size, sparse)": sparse_csv,
    "register csv 190,000 rows (inside the row limit)": csv_rows_file("rows-190k.csv", 190_000),
    "register csv 300,000 short rows (under the size limit)": csv_rows_file("rows-300k.csv", 300_000),
    "register csv 1 million rows": csv_rows_file("rows-1m.csv", 1_000_000),
    "register csv one 100 MB line": one_line(100),
    "register csv one 1 MB line": one_line(1),
    "register csv NUL bytes": csv_file("nul.csv", lambda: _rows(3).replace(b"2025-03-04", b"2025\x00-03-04", 1)
                                       + b"\x00\x00,\x00\n"),
    "register csv unclosed quote": csv_file("quote.csv", lambda: _rows(3) + b'4,"2025-03-04,x\n' + _body(2000)),
    "register csv lone carriage return in a cell (found by the fuzz)": csv_file(
        "cr.csv", lambda: _rows(3).replace("予以公开".encode(), "予\r以公开".encode(), 1)),
    "register csv stray quotes": csv_file("quotes.csv", lambda: _rows(3).replace(b",", b'",', 4)),
    "register csv 9999-99-99": dated("9999-99-99"),
    "register csv 0000-01-01": dated("0000-01-01"),
    "register csv 9999-12-31 concluded 0001-01-01": dated("9999-12-31", "0001-01-01"),
    "register csv serial 1e300 / -1 / nan / inf": csv_file("serials.csv", lambda: (
        HEADER + "1,1e300,自然人,予以公开,\n2,-1,自然人,予以公开,\n3,nan,自然人,,\n4,inf,自然人,,\n"
        "5,1e-300,自然人,,\n6,99999999999999999999999,自然人,,\n").encode()),
    "register csv 编号 of 1e300 and 1 MB": csv_file("ids.csv", lambda: (
        HEADER + "1e300,2025-03-04,自然人,予以公开,2025-03-20\n" + "9" * 100_000 + ",2025-03-04,自然人,,\n").encode()),
    "register csv random bytes": csv_file("random.csv", lambda: os.urandom(100_000)),
    "register csv GBK with lone GBK lead byte": csv_file("gbk.csv", lambda: _rows(2).decode().encode("gbk") + b"\x81"),
    "register csv UTF-16": csv_file("utf16.csv", lambda: _rows(3).decode().encode("utf-16")),
    "register csv 50k columns": csv_file("wide.csv", lambda: HEADER.strip().encode() + b"," * 50_000 + b"\n" + _body(1000)),
    "register -> /dev/zero": lambda f: _symlink(f / "zero.csv", "/dev/zero"),
    "register -> /dev/urandom (.xlsx)": lambda f: _symlink(f / "urandom.xlsx", "/dev/urandom"),
    "register FIFO": fifo_named("fifo.csv"),
    "register folder named .csv": lambda f: _mkdir(f / "folder.csv"),
}


def _symlink(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path
