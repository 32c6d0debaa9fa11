"""The DOCX in the official format (GB/T 9704): A4, 37/35/28/26 mm margins, 22 lines a page,
方正小标宋简体 title, 黑体 headings, 楷体_GB2312 run-in sub-headings, 仿宋_GB2312 body, Times New Roman
digits, the three tables exactly as the template, page numbers “— N —”.

Tables are written as WordprocessingML in one pass: python-docx's ``table.cell(r, c)`` is O(n) per
call (2 s for the three tables measured here) and its merge API cannot express the template's
spans as directly as ``gridSpan``/``vMerge`` do.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .layout import Heading, Layout, Paragraph, Signature, TableBlock, TablePart, Title, table_parts

TWIPS_PER_MM = 1440 / 25.4
TYPE_AREA_MM = 156.0
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm type area
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NO_PT = 16, 22, 10.5, 14
FONT_TITLE, FONT_HEADING, FONT_SUB, FONT_BODY = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
FONT_LATIN, FONT_PAGE_NO = "Times New Roman", "宋体"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Word, WPS and LibreOffice repeat a table's header rows on a new page but leave the merged labels
# that run on empty there (表三's “三、本年度办理结果”, “（三）不予公开”), and where they break a
# page is theirs to decide (LibreOffice ignores keep-with-next on the rows of a table this long).
# So 表三 is written as two tables, the second beginning at this group and restating the header
# rows and every label that reaches into it, each on a page of its own: its heading and the second
# table begin a page (neither fits below what precedes it in any report: 表二 alone takes half a
# page, 表三 more than one). The first keeps the official layout on its page (issue 21.11).
CONTINUED_AT = {"t3": "（四）无法提供"}


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def _rpr(east_asia: str, size_pt: float, bold: bool = False, latin: str = FONT_LATIN, color: str = "") -> str:
    """Run properties; the East Asian font must be ``w:eastAsia`` or Chinese text ignores it."""
    half = round(size_pt * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
        + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )


def _run(text: str, rpr: str) -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _cell_paragraph(text: str, align: str, bold: bool, keep_next: bool = False) -> str:
    # snapToGrid off: inside tables the 28.95 pt document grid would make every line page-tall
    ppr = (
        "<w:pPr>" + ("<w:keepNext/>" if keep_next else "") + '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{align}"/></w:pPr>'
    )
    runs = _run(text, _rpr(FONT_BODY, TABLE_PT, bold)) if text else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def table_xml(block: TableBlock) -> str:
    """One ``w:tbl`` for a layout table: grid, widths, spans, borders, header repeat, no split rows."""
    grid = [_twips(w) for w in block.widths_mm]
    grid[-1] += _twips(TYPE_AREA_MM) - sum(grid)  # rounding must not widen the table past the type area
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f"<w:tbl {W}><w:tblPr><w:tblW w:w=\"{sum(grid)}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{g}"/>' for g in grid),
        "</w:tblGrid>",
    ]
    at: dict[tuple[int, int], object] = {}
    for cell in block.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            at[(r, cell.col)] = cell  # vertical merges continue in the rows below
    for r in range(block.rows):
        header = "<w:tblHeader/>" if r in block.header_rows else ""
        parts.append(f'<w:tr><w:trPr><w:cantSplit/>{header}<w:trHeight w:val="454" w:hRule="atLeast"/>'
                     '<w:jc w:val="center"/></w:trPr>')
        c = 0
        while c < block.cols:
            cell = at.get((r, c))
            if cell is None:  # never happens for a validated schema; keep the grid whole anyway
                parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{grid[c]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                c += 1
                continue
            width = sum(grid[cell.col:cell.col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            first = cell.row == r
            vmerge = ""
            if cell.rowspan > 1:
                vmerge = '<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>"
            tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{vmerge}<w:vAlign w:val="center"/></w:tcPr>'
            if first:
                left = cell.label and block.id == "t3" and cell.col == 2 and cell.row >= 3
                bold = cell.label and cell.row in block.group_rows
                # small tables stay on one page; 表三 keeps its header rows with its first data row
                keep = (block.keep_whole or r in block.header_rows) and r < block.rows - 1
                body = _cell_paragraph(cell.text, "left" if left else "center", bold, keep)
            else:
                body = "<w:p/>"
            parts.append(f"<w:tc>{tcpr}{body}</w:tc>")
            c += cell.colspan
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def docx_parts(block: TableBlock) -> list[TablePart]:
    """``block`` as the tables the DOCX holds: 表三 in two (see CONTINUED_AT), the others whole."""
    rows = [c.row for c in block.cells if c.label and c.text == CONTINUED_AT.get(block.id)]
    return table_parts(block, rows[:1])


# between two tables (Word would join them): an empty paragraph of 1 pt beginning the second's page
_BETWEEN_TABLES = (f'<w:p {W}><w:pPr><w:keepNext/><w:pageBreakBefore/><w:snapToGrid w:val="0"/>'
                   '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                   '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')


def _para_xml(runs: str, jc: str = "both", first_line_chars: int = 200, line: int = LINE_PITCH,
              keep_next: bool = False, right_chars: int = 0) -> str:
    indent = (f'<w:ind w:firstLineChars="{first_line_chars}" w:firstLine="{first_line_chars * BODY_PT // 5}"'
              + (f' w:rightChars="{right_chars}" w:right="{right_chars * BODY_PT // 5}"' if right_chars else "") + "/>")
    return (
        f"<w:p {W}><w:pPr>" + ("<w:keepNext/>" if keep_next else "")
        + f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>{indent}<w:jc w:val="{jc}"/>'
        + f"</w:pPr>{runs}</w:p>"
    )


def _footer(doc_part, text_align: str, fingerprint: str) -> None:  # type: ignore[no-untyped-def]
    """“— N —” in 宋体 4号; the data fingerprint below it, small, to match paper to file."""
    from docx.oxml import parse_xml

    footer = doc_part
    footer.is_linked_to_previous = False
    el = footer._element
    for p in list(el):
        el.remove(p)
    rpr = _rpr(FONT_PAGE_NO, PAGE_NO_PT, latin=FONT_PAGE_NO)
    indent = '<w:ind w:left="280" w:right="280"/>'
    page = (
        f'<w:p {W}><w:pPr><w:spacing w:before="0" w:after="0"/>{indent}<w:jc w:val="{text_align}"/></w:pPr>'
        f'{_run("— ", rpr)}<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>{_run("1", rpr)}'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>{_run(" —", rpr)}</w:p>'
    )
    el.append(parse_xml(page))
    if fingerprint:
        small = _rpr(FONT_PAGE_NO, 7, latin=FONT_LATIN, color="808080")
        el.append(parse_xml(
            f'<w:p {W}><w:pPr><w:spacing w:before="0" w:after="0"/>{indent}<w:jc w:val="{text_align}"/></w:pPr>'
            f'{_run(f"校验码 {fingerprint}", small)}</w:p>'
        ))


def write_docx(layout: Layout, path: str | Path) -> None:
    """Write ``layout`` as an official-format DOCX (atomic: a temp file replaces ``path``)."""
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Mm, Pt

    from ..report.native import atomic_write

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    sect_pr = section._sectPr
    for old in sect_pr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid"):
        sect_pr.remove(old)
    sect_pr.append(parse_xml(f'<w:docGrid {W} w:type="lines" w:linePitch="{LINE_PITCH}"/>'))

    normal = doc.styles["Normal"]
    normal.font.name = FONT_LATIN
    normal.font.size = Pt(BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT_BODY)

    body = doc.element.body
    sect = body[-1]  # the final sectPr must stay last

    added: list = []

    def add(xml: str) -> None:
        el = parse_xml(xml)
        sect.addprevious(el)
        added.append(el)

    for block in layout.blocks:
        if isinstance(block, Title):
            rpr = _rpr(FONT_TITLE, TITLE_PT)  # lines break between phrases (report.title)
            runs = f"<w:r>{rpr}<w:br/></w:r>".join(_run(line, rpr) for line in block.lines)
            add(_para_xml(runs, "center", 0, line=LINE_PITCH * 3 // 2))
            add(_para_xml("", "center", 0))
        elif isinstance(block, Heading):
            add(_para_xml(_run(block.text, _rpr(FONT_HEADING, BODY_PT)), keep_next=True))
        elif isinstance(block, Paragraph):
            lead = _run(block.lead, _rpr(FONT_SUB if block.lead_kind == "sub" else FONT_BODY, BODY_PT,
                                         bold=block.lead_kind == "item")) if block.lead else ""
            add(_para_xml(lead + (_run(block.text, _rpr(FONT_BODY, BODY_PT)) if block.text else "")))
        elif isinstance(block, TableBlock):
            parts = docx_parts(block)
            if len(parts) > 1 and added and added[-1].tag.endswith("}p"):  # the table's heading begins a page
                ppr = added[-1].find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr")
                ppr.insert(1, parse_xml(f"<w:pageBreakBefore {W}/>"))
            for k, part in enumerate(parts):
                if k:
                    add(_BETWEEN_TABLES)
                add(table_xml(part.block))
            add(_para_xml("", first_line_chars=0))
        elif isinstance(block, Signature):
            if added and added[-1].tag.endswith("}p"):  # the signature never stands alone on a page
                ppr = added[-1].find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr")
                ppr.insert(0, parse_xml(f"<w:keepNext {W}/>"))
            add(_para_xml("", first_line_chars=0, keep_next=True))
            for text in (block.agency, block.date):
                if text:
                    add(_para_xml(_run(text, _rpr(FONT_BODY, BODY_PT)), "right", 0, right_chars=200))

    doc.settings.odd_and_even_pages_header_footer = True
    _footer(section.footer, "right", layout.fingerprint)
    _footer(section.even_page_footer, "left", layout.fingerprint)
    doc.core_properties.title = layout.title
    doc.core_properties.author = "GovReport"
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write(path, buf.getvalue(), backup=False)
