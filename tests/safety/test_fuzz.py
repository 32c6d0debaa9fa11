"""Mutation fuzz of DOCX, XLSX, .govreport and HTML inputs and of registers (.xlsx, .csv): whatever
the bytes, opening gives a report (a register) or the project's Chinese FileFormatError (never
another exception), and no case takes 2 s.

A few hundred cases by default; GOVREPORT_LONG_TESTS=1 runs thousands.
"""

from __future__ import annotations

import json
import time
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport_gui.readers.formats import open_report
from govreport_gui.readers.register import read_register
from govreport_gui.report import native
from govreport_gui.report.messages import describe
from govreport_gui.report.register_count import count
from govreport_gui.report.rules import check
from tests.safety.bounded import LONG, load_factor
from tests.safety.hostile import DATA, DOCX, rezip

CASES = 2000 if LONG else 120
NEW_CASES = 2000 if LONG else 40  # the web page and register readers
SECONDS = 2.0  # per case on the idle machine; scaled by how busy it is now
SNIPPETS = [
    b'<w:gridBefore w:val="99999999"/>', b'<w:gridSpan w:val="-5"/>', b'<w:gridSpan w:val="x"/>', b"<w:vMerge/>",
    b'<w:vMerge w:val="restart"/>', b"<w:t>NaN</w:t>", b"<w:t>-sNaN</w:t>", b"<w:t>1E+400</w:t>",
    b"<w:t>" + b"9" * 5000 + b"</w:t>", b"&#xD800;", b"<w:tbl>", b"</w:tr>", b"<w:tr><w:tc><w:p/></w:tc></w:tr>",
    b'<mergeCell ref="A1:B999999"/>', b'<mergeCell ref="A1:XFD1048576"/>', b'<c r="XFD1048576"><v>1</v></c>',
    b"<f>SUM(A1:A9)</f>", b'<c r="D2" t="s"><v>99999</v></c>', b'<c r="D3" t="inlineStr"><is><t>_xD800_</t></is></c>',
    b"<v>1e400</v>", b"<v>NaN</v>", "<w:t>二〇二六年十三月四十日</w:t>".encode(), "<w:t>99999年</w:t>".encode(),
    # web pages
    b'<td rowspan="99999999" colspan="1e9">', b'<td colspan="-3">', b'<th rowspan="x">', b"<table>", b"<tr>", b"</td>",
    b"&#x110000;", b"&#0;", b'<meta charset="x-unknown">', b'<meta charset="gbk">', b"<br>", b"<div>" * 300,
    "<p>一、总体情况</p>".encode(), "<p>二〇二六年一月二十日</p>".encode(),
    # registers
    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', b'<c r="XFD2"><v>1</v></c>', b"<v>1e300</v>", b"<v>-5</v>",
    b'<c r="A9" t="s"><v>-1</v></c>', b'<c r="B9" t="e"><v>#REF!</v></c>',
]
CSV_SNIPPETS = [b'"', b'""', b"\x00", b",,,,,,,,", b"\r", b"\n", b"9999-99-99", b"0000-01-01", b"1e300", b"-1", b"nan",
                "\n合计,,,,".encode(), "予以公开".encode(), "自然人".encode(), b"\xff\xfe", "编号".encode("gbk"),
                b"x" * 200_000]


@cache
def _xlsx_base(folder: str) -> bytes:
    from govreport_gui.export import export

    path = Path(folder) / "base.xlsx"
    export(native.load(DATA / "sample-2025.govreport"), path)
    return path.read_bytes()


def _mutate(data: st.DataObject, blob: bytes, snippets: list[bytes] = SNIPPETS) -> bytes:
    buf = bytearray(blob)
    for _ in range(data.draw(st.integers(1, 5), label="mutations")):
        op = data.draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "snippet"]))
        pos = data.draw(st.integers(0, max(0, len(buf) - 1)))
        if op == "flip" and buf:
            buf[pos] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del buf[pos:pos + data.draw(st.integers(1, 400))]
        elif op == "insert":
            buf[pos:pos] = data.draw(st.binary(min_size=1, max_size=16))
        elif op == "duplicate":
            n = data.draw(st.integers(1, 2000))
            buf[pos:pos] = buf[pos:pos + n] * data.draw(st.integers(1, 20))
        else:
            lt = buf.find(b"<", pos) if snippets is SNIPPETS else pos  # at a tag boundary, where it parses
            buf[lt if lt >= 0 else pos:lt if lt >= 0 else pos] = data.draw(st.sampled_from(snippets))
    return bytes(buf)


def _open_and_use(path: Path) -> None:
    start = time.perf_counter()
    try:
        report = open_report(path)
    except native.FileFormatError as e:
        assert path.name in str(e) or "找不到" in str(e) or str(e)
    else:
        for f in check(report):
            describe(f)
        report.fingerprint()
        native.dumps(report).encode("utf-8")
    elapsed = time.perf_counter() - start
    if elapsed > SECONDS:  # measured again only then: calibrating costs ~0.1 s
        assert elapsed < SECONDS * load_factor(), (path, elapsed)


FUZZ = settings(max_examples=CASES, deadline=None, derandomize=not LONG,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
FUZZ_NEW = settings(FUZZ, max_examples=NEW_CASES)


def _read_and_count(path: Path) -> None:
    """As ``govreport register`` does: read, count, word every row problem."""
    start = time.perf_counter()
    try:
        register = read_register(path)
    except native.FileFormatError as e:
        assert str(e)
    else:
        count(register, 2025)
        for problem in register.problems:
            problem.text()
    elapsed = time.perf_counter() - start
    if elapsed > SECONDS:
        assert elapsed < SECONDS * load_factor(), (path, elapsed)


@cache
def _html_base() -> bytes:
    from govreport_gui.export.html_writer import render_html
    from govreport_gui.export.layout import build

    return render_html(build(native.load(DATA / "sample-2025.govreport"))).encode("utf-8")


@cache
def _register_bases(folder: str) -> tuple[bytes, bytes]:
    """(.xlsx, .csv) of a 200-row register as the test generator writes them, with a case list."""
    from tests.readers.register_builders import generate, write_csv, write_xlsx

    rows, _ = generate(2025, 200)
    xlsx = write_xlsx(Path(folder) / "register.xlsx", rows, cases=[("1", "行政复议", "维持")] * 3)
    csv = write_csv(Path(folder) / "register.csv", rows, encoding="gb18030")
    return xlsx.read_bytes(), csv.read_bytes()


@FUZZ_NEW
@given(data=st.data(), gbk=st.booleans())
def test_fuzz_html(tmp_path, data, gbk):
    page = _html_base()
    if gbk:  # the other encoding saved pages come in, declared
        page = page.decode("utf-8").replace('charset="utf-8"', 'charset="gbk"').encode("gb18030")
    path = tmp_path / "fuzz.html"
    path.write_bytes(_mutate(data, page))
    _open_and_use(path)


@FUZZ_NEW
@given(data=st.data(), in_zip=st.booleans())
def test_fuzz_register_xlsx(tmp_path, data, in_zip):
    base = tmp_path / "base.xlsx"
    base.write_bytes(_register_bases(str(tmp_path.parent))[0])
    path = tmp_path / "fuzz.xlsx"
    if in_zip:
        target = data.draw(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml",
                                            "xl/_rels/workbook.xml.rels"]))
        rezip(base, path, lambda name, blob: _mutate(data, blob) if name == target else blob)
    else:
        path.write_bytes(_mutate(data, base.read_bytes()))
    _read_and_count(path)


@FUZZ_NEW
@given(data=st.data())
def test_fuzz_register_csv(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(_mutate(data, _register_bases(str(tmp_path.parent))[1], CSV_SNIPPETS))
    _read_and_count(path)


@FUZZ
@given(data=st.data(), in_zip=st.booleans())
def test_fuzz_docx(tmp_path, data, in_zip):
    path = tmp_path / "fuzz.docx"
    if in_zip:  # the XML inside a valid zip: the readers' own parsing
        rezip(DOCX, path, lambda name, blob: _mutate(data, blob) if name == "word/document.xml" else blob)
    else:  # the archive's bytes themselves
        path.write_bytes(_mutate(data, DOCX.read_bytes()))
    _open_and_use(path)


@FUZZ
@given(data=st.data(), in_zip=st.booleans())
def test_fuzz_xlsx(tmp_path, data, in_zip):
    base = tmp_path / "base.xlsx"
    base.write_bytes(_xlsx_base(str(tmp_path.parent)))
    path = tmp_path / "fuzz.xlsx"
    if in_zip:
        target = data.draw(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                            "xl/worksheets/sheet3.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]))
        rezip(base, path, lambda name, blob: _mutate(data, blob) if name == target else blob)
    else:
        path.write_bytes(_mutate(data, base.read_bytes()))
    _open_and_use(path)


_HOSTILE_VALUES = st.one_of(
    st.sampled_from([float("nan"), float("inf"), -0.0, 10**29, -(10**29), 1e308, "NaN", "-sNaN", "1E+400", "\ud800",
                     "9" * 5000, "", "—", True, None, [], {}, {"a": [1.5]}, 2.5, "1e5", "1_000"]),
    st.integers(), st.text(max_size=30), st.floats(),
)


@cache
def _govreport_base() -> str:
    tree = native.to_dict(native.load(DATA / "sample-2025.govreport"))
    carried = native.to_dict(native.load(DATA / "sample-2025-faulty.govreport"), include_last=False)
    tree["last"] = {k: carried[k] for k in ("template", "meta", "cells", "sections")}
    return json.dumps(tree, ensure_ascii=False)


@FUZZ
@given(data=st.data())
def test_fuzz_govreport_structure(tmp_path, data):
    tree = json.loads(_govreport_base())
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        where = data.draw(st.sampled_from(["meta", "cells", "sections", "waivers", "last"]))
        value = data.draw(_HOSTILE_VALUES)
        if where == "meta":
            tree["meta"][data.draw(st.sampled_from(["agency", "year", "date", "level", "title"]))] = value
        elif where == "cells":
            tree["cells"][data.draw(st.sampled_from(sorted(tree["cells"]) + ["t9.unknown"]))] = value
        elif where == "sections":
            tree["sections"][data.draw(st.sampled_from(["s1", "s5", "s6"]))] = data.draw(st.one_of(
                st.lists(_HOSTILE_VALUES, max_size=3), _HOSTILE_VALUES))
        elif where == "waivers":
            tree["waivers"] = [{"rule": data.draw(st.sampled_from(["x.carried_in", "t3.balance", "nope"])),
                                "cells": value, "reason": value}]
        else:
            tree["last"]["cells"][data.draw(st.sampled_from(sorted(tree["last"]["cells"])))] = value
    if data.draw(st.booleans(), label="replace a whole part"):  # last: the parts above assume dicts
        tree[data.draw(st.sampled_from(["version", "template", "cells", "meta", "sections", "last"]))] = \
            data.draw(_HOSTILE_VALUES)
    path = tmp_path / "fuzz.govreport"
    text = json.dumps(tree, ensure_ascii=False, allow_nan=True)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _open_and_use(path)


def test_the_fuzz_inputs_are_valid_to_begin_with(tmp_path):
    """Unmutated, each base file opens: the fuzz explores around real reports, not noise."""
    base = tmp_path / "base.xlsx"
    base.write_bytes(_xlsx_base(str(tmp_path)))
    page = tmp_path / "base.html"
    page.write_bytes(_html_base())
    for path in (DOCX, base, DATA / "sample-2025.govreport", page):
        assert open_report(path).value("t3.new.total") > 0
    for i, blob in enumerate(_register_bases(str(tmp_path))):
        register = tmp_path / ("r.xlsx", "r.csv")[i]
        register.write_bytes(blob)
        assert len(read_register(register).applications) == 200
    with zipfile.ZipFile(base) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
