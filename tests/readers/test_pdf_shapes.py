"""PDF shapes met when reports are printed other ways than the office's own “save as PDF”
(bench/RESULTS-probe.md): fonts rewritten by pdftocairo, pages turned sideways, form fields filled
in, lines broken where the next word would not fit. Each is read as printed, or refused saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreport_gui.readers.docx_grid import Para
from govreport_gui.readers.formats import open_report
from govreport_gui.readers.pdf_import import read_pdf
from govreport_gui.report.native import FileFormatError
from tests.readers.pdf_builders import Shape, report_pdf

# STSong-Light (not embedded, UniGB-UCS2-H) with a descriptor; Helvetica for Latin digits, as
# LibreOffice and cairo put digits in a Latin font and CJK in another
CJK = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts "
       b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
       b"/Ordering (GB1) /Supplement 4 >> /DW 1000 /FontDescriptor 7 0 R >>] >>")
LATIN = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def descriptor(descent: int) -> bytes:
    return (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [-1002 -1048 2928 1808] "
            b"/ItalicAngle 0 /Ascent 1808 /Descent %d /CapHeight 880 /StemV 80 >>" % descent)


def write_pdf(path: Path, pages: list[bytes], descent: int = -120, page_extra: bytes = b"",
              objects: dict[int, bytes] | None = None) -> Path:
    """A PDF of A4 pages with content ``pages`` (F1 the CJK font, F2 Helvetica); ``objects`` are
    added as they are (numbers from 20)."""
    objs = {3: CJK, 4: LATIN, 7: descriptor(descent), **(objects or {})}
    kids = []
    for i, content in enumerate(pages):
        page, stream = 100 + 2 * i, 101 + 2 * i
        kids.append(b"%d 0 R" % page)
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                      b"/F2 4 0 R >> >> /Contents %d 0 R " % stream + page_extra + b">>")
        objs[stream] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def show(x: float, base: float, text: str, size: float = 12) -> bytes:
    """``text`` on the baseline ``base`` (from the page's foot): digits in Helvetica, the rest CJK."""
    ops = []
    for ch in text:
        if ch.isascii():
            ops.append(b"BT /F2 %g Tf %.4f %.2f Td (%s) Tj ET" % (size, x, base, ch.encode()))
            x += 0.556 * size
        else:
            ops.append(b"BT /F1 %g Tf %.4f %.2f Td <%s> Tj ET" % (size, x, base, ch.encode("utf-16-be").hex().encode()))
            x += size
    return b"\n".join(ops)


def texts(blocks: list) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Para)]


LINES = ["一、总体情况", "共收到申请75件，办结69件。", "示例市示例区数据资源管理局", "2026年1月16日"]
WIDE = "本行最长，用来定出页面右边的边距，其余各行都比它短得多，各自成段。"


def test_digits_and_chinese_on_one_baseline_stay_one_line_whatever_the_fonts_descent(tmp_path):
    """pdftocairo writes Noto Sans CJK with its bounding box as the descent (-1048): its glyph boxes
    hung a line below the Latin digits beside them, so 2026年1月16日 read as 2026 and 年月日 and
    表三's labels fell into the row below their numbers."""
    content = b"\n".join(show(72, 760 - 30 * i, line) for i, line in enumerate([*LINES * 6, WIDE]))
    for descent in (-120, -1048, 1808):
        blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / f"d{descent}.pdf", [content], descent).read_bytes())
        assert texts(blocks)[:4] == LINES, descent


def widget(number: int, kind: bytes, rect: bytes, value: bytes = b"", look: int | None = None) -> dict[int, bytes]:
    ap = b"/AP << /N %d 0 R >> " % look if look else b""
    return {number: b"<< /Type /Annot /Subtype /Widget /FT /%s /T (f%d) /V (%s) /Rect [%s] /F 4 %s>>" % (
        kind, number, value, rect, ap)}


def appearance(number: int, ops: bytes) -> dict[int, bytes]:
    return {number: b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                    b"/Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream"}


def test_a_filled_field_a_viewer_draws_itself_is_refused_not_read_as_blank(tmp_path):
    """A form field with a value and no appearance (NeedAppearances): the viewer shows 75, the
    page has nothing there; reading it as blank would be a silent misread."""
    content = b"\n".join(show(72, 760 - 30 * i, line) for i, line in enumerate([*LINES * 6, WIDE]))
    path = write_pdf(tmp_path / "f.pdf", [content], page_extra=b"/Annots [20 0 R] ",
                     objects=widget(20, b"Tx", b"300 500 400 520", b"75"))
    with pytest.raises(FileFormatError) as e:
        open_report(path)
    assert "1 个填写过的表单域" in str(e.value) and "打印" in str(e.value)


def test_check_boxes_signatures_and_hidden_fields_are_not_text(tmp_path):
    content = b"\n".join(show(72, 760 - 30 * i, line) for i, line in enumerate([*LINES * 6, WIDE]))
    stray = b"BT /F2 12 Tf 2 5 Td (4) Tj ET"  # ZapfDingbats' check mark is the letter 4
    objects = {**widget(20, b"Btn", b"300 500 320 520", look=30), **appearance(30, stray),
               **widget(21, b"Sig", b"300 400 400 420", look=31), **appearance(31, show(2, 5, "张三2026")),
               **widget(22, b"Tx", b"300 300 400 320", look=32), **appearance(32, show(2, 5, "99"))}
    objects[22] = objects[22].replace(b"/F 4", b"/F 2")  # hidden
    blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / "f.pdf", [content], page_extra=b"/Annots [20 0 R 21 0 R 22 0 R] ",
                                              objects=objects).read_bytes())
    assert texts(blocks)[:4] == LINES
    joined = "".join(texts(blocks)).replace("".join(LINES), "")
    assert "张三" not in joined and "99" not in joined


def test_a_page_turned_sideways_is_read_turned_back_and_said(tmp_path, sample):
    path = report_pdf(sample, tmp_path / "t.pdf", Shape(turned=True))
    got = open_report(path)
    assert got.cells == sample.cells
    assert any("横向转放" in n and "已转正读取" in n for n in got.import_notes)


def _page(tmp_path: Path, lines: list[str], wide: str = WIDE, x: float = 72) -> list[str]:
    """Lines at ``x``, 20 pt apart, under a heading, with ``wide`` last to set the right margin
    (CJK 12 pt wide, digits 6.672 pt); the paragraphs read between the heading and ``wide``."""
    items = ["一、总体情况", *lines, wide]
    content = b"\n".join(show(x, 760 - 20 * i, text) for i, text in enumerate(items))
    blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / "p.pdf", [content]).read_bytes())
    return texts(blocks)[1:-1]


def test_a_line_ending_short_of_a_unit_after_digits_continues_its_paragraph(tmp_path):
    """LibreOffice and Word put a quarter em between digits and Chinese: 件， after 741 needed more
    room than its two characters, and the paragraph was cut in two (自然人申请741 / 件，法人…)."""
    wide = WIDE[:-1] + "12345"  # right margin 72 + 32 × 12 + 5 × 6.672 = 489.36
    first = "办" * 26 + "自然人申请741"  # ends at 72 + 31 × 12 + 3 × 6.672 = 464.0: 25.3 pt short
    assert _page(tmp_path, [first, "件，法人或其他组织申请8件。"], wide) == [first + "件，法人或其他组织申请8件。"]


def test_a_line_ending_short_of_an_opening_bracket_and_what_it_opens_continues(tmp_path):
    """（ may not end a line: the word to fit was （居）, not （ alone (…服务点向村 / （居）等场所延伸)."""
    first = "办" * 26 + "服务点向村"  # 31 characters: 24 pt short of WIDE's 33
    assert _page(tmp_path, [first, "（居）等场所延伸。"]) == [first + "（居）等场所延伸。"]


def test_a_numbered_sub_heading_after_a_full_stop_starts_a_paragraph(tmp_path):
    """A report whose paragraphs are all one line at a narrow margin has no indent to tell them by:
    （一） after a line ending in 。 starts a new one (it was joined to 不公开为例外。)."""
    lines = ["办" * 26 + "不公开为例外。", "（一）主动公开。全年发布信息126条。", "（二）依申请公开。全年收到申请75件。"]
    assert _page(tmp_path, lines, x=96) == lines


def test_the_left_margin_is_found_when_its_lines_straddle_a_rounding_boundary(tmp_path):
    """Ghostscript's rewrite put the two continuation lines of a report at 79.4999 and 79.5001: as
    rounded starts they were one line each at 79 and 80, the margin was taken at the indent, and
    a paragraph broke wherever its line ended (…不公开 / 为例外。)."""
    first = "办" * 30 + "不公开"  # a full line, indented 2 em
    items = [(96.0, "一、总体情况"), (96.0, first), (72.4999, "为例外。"), (96.0, "（一）主动公开。"), (96.0, first),
             (72.5001, "办结69件。"), *[(96.0, "短行。")] * 8, (96.0, "办" * 33)]
    content = b"\n".join(show(x, 760 - 20 * i, text) for i, (x, text) in enumerate(items))
    blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / "p.pdf", [content]).read_bytes())
    assert texts(blocks)[1:4] == [first + "为例外。", "（一）主动公开。", first + "办结69件。"]


def test_line_spacing_is_measured_by_the_text_not_by_digits_set_higher(tmp_path):
    """Ghostscript's rewrite sets Latin digits (their own font, no descent) 1.4 pt above the Chinese
    beside them: a line starting with 2025年 looked 1.4 pt higher, the spacing measured between
    line tops came out too small, and paragraphs broke after their first line."""
    digits = b"<< /Type /Font /Subtype /Type1 /BaseFont /DigitsNoDescent /FirstChar 48 /LastChar 57 /Widths [" + \
        b"556 " * 10 + b"] /Encoding /WinAnsiEncoding /FontDescriptor 8 0 R >>"
    flat = b"<< /Type /FontDescriptor /FontName /DigitsNoDescent /Flags 32 /FontBBox [0 0 556 1000] /ItalicAngle 0 " \
        b"/Ascent 1000 /Descent 0 /CapHeight 700 /StemV 80 >>"
    paras = [("2025年，" + "办" * 28, "办" * 20 + "例外。"), ("办" * 33, "办" * 5 + "2次，" + "办" * 10 + "。")] * 4
    items = [(96.0, "一、总体情况")]
    for a, b in paras:
        items += [(96.0, a), (72.0, b)]
    items.append((72.0, "办" * 35))
    content = b"\n".join(show(x, 760 - 20 * i, text) for i, (x, text) in enumerate(items))
    blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / "p.pdf", [content], objects={4: digits, 8: flat}).read_bytes())
    assert texts(blocks)[1:-1] == [a + b for a, b in paras]


def test_text_outside_the_clipping_path_is_not_on_the_page(tmp_path):
    """Qt (before the printing rework) drew a paragraph's line cut by a page break again above the
    next page's body, clipped away by the body's rectangle: it was read as a line of text."""
    body = [*LINES * 6, WIDE]
    inside = b"\n".join(show(72, 700 - 25 * i, line) for i, line in enumerate(body))
    hidden = show(72, 800, "的领域和热点问题，强化与申请人的直接沟通。")  # above the clip: not shown
    content = b"q 40 40 515 720 re W n\n" + hidden + b"\n" + inside + b"\nQ"
    blocks, _notes, _cut = read_pdf(write_pdf(tmp_path / "c.pdf", [content]).read_bytes())
    assert texts(blocks)[:4] == LINES
    assert not any("热点问题" in t for t in texts(blocks))
