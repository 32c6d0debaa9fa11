"""One rendering path for print preview, printer and PDF: the export layout → QTextDocument,
paginated onto A4 with the official margins, page numbers “— N —”, the data fingerprint in every
footer and, while errors remain, a 草稿 watermark on every page.

Fonts fall back from the office names (仿宋_GB2312 …) to AR PL UKai/UMing, whose PDF text reads
back as written; Noto CJK comes last (its glyphs extract as look-alike radicals, e.g. 一 → U+2F00).
"""

from __future__ import annotations

import bisect
import math
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableFormat,
)

from ...export.layout import Block, Heading, Layout, Paragraph, Signature, TableBlock, Title, build, table_parts
from ...report.document import Report
from ...report.findings import Finding, summary
from ...report.messages import describe
from ...report.rules import check
from ...report.title import width
from .paginate import EPS, Build, Item, PagePlan, Piece, lay_out, paginate

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

MARGINS_MM = QMarginsF(28, 37, 26, 35)  # left, top, right, bottom (GB/T 9704)
LINE_PT = 28.95  # 22 lines in the 225 mm type area
ROW_MIN_PT = 454 / 20  # the DOCX's minimum row height (w:trHeight 454 twips, 8 mm)
CELL_PAD_PT = 2.0
WATERMARK = "草稿（存在未解决的错误）"
SHEET_CHARS = 200  # longest value the sign-off sheet shows whole
MAX_PAGES = 200  # a report's printout is refused beyond this (ten times the longest real report)
# Characters a line holds (full-width; Latin letters and digits count half) and the line pitch in pt,
# for the estimate against MAX_PAGES: the title (二号), the body (三号), table cells (五号) per mm.
_TITLE_CHARS, _BODY_CHARS, _CELL_CHARS_PER_MM = 20.0, 27.0, 0.27
_PAGE_PT = (297 - 37 - 35) * 72 / 25.4


class TooLong(ValueError):
    """The report would print on more than MAX_PAGES pages (Chinese message)."""
FALLBACK = ["AR PL UKai CN", "AR PL UMing CN", "Noto Serif CJK SC", "Noto Sans CJK SC"]
FAMILIES = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimSun", "宋体", "AR PL UMing CN", *FALLBACK],
    "heading": ["黑体", "SimHei", "AR PL UMing CN", *FALLBACK],
    "sub": ["楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", *FALLBACK],
    "body": ["仿宋_GB2312", "仿宋", "FangSong", "AR PL UKai CN", *FALLBACK],
    "table": ["仿宋_GB2312", "仿宋", "FangSong", "宋体", "SimSun", "AR PL UMing CN", *FALLBACK],
    "page": ["宋体", "SimSun", "AR PL UMing CN", *FALLBACK],
}


def font(kind: str, size_pt: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(["Times New Roman", *FAMILIES[kind]] if kind != "page" else FAMILIES[kind])
    f.setPointSizeF(size_pt)
    # without a 黑体 the headings fall back to a 宋 face like the body: bold keeps them headings
    f.setBold(bold or (kind == "heading" and not _has_heiti()))
    return f


@cache
def _has_heiti() -> bool:
    installed = set(QFontDatabase.families())
    return any(name in installed for name in FAMILIES["heading"][:2])


@lru_cache(maxsize=512)
def _row_padding_pt(text: str, width_mm: float) -> float:
    """Padding above and below a cell's text that makes a row at least ``ROW_MIN_PT`` high, as
    the DOCX's "at least" row height does (Qt tables have no minimum row height): a one-line cell
    gets the most, a cell of three lines the least. Lines are estimated from the text's width."""
    metrics = QFontMetricsF(font("table", 10.5))
    to_pt = 72.0 / _screen_dpi()
    room = width_mm * 72 / 25.4 - 2 * CELL_PAD_PT - 1
    lines = max(1, math.ceil(metrics.horizontalAdvance(text) * to_pt / room)) if text else 1
    return max(CELL_PAD_PT, (ROW_MIN_PT - lines * metrics.lineSpacing() * to_pt) / 2)


@cache
def _screen_dpi() -> float:
    """The dpi QFontMetricsF measures in (without a paint device: the screen's logical dpi)."""
    screen = QGuiApplication.primaryScreen()
    return screen.logicalDotsPerInch() if screen is not None else 96.0


def new_printer() -> QPrinter:
    """A printer for paper and the preview. Creating one asks the print system (CUPS) for the
    default printer, so the PDF export never does: it uses :func:`new_pdf_writer`."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      MARGINS_MM, QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)  # we draw the footer in the bottom margin ourselves
    return printer


def new_pdf_writer(target: QIODevice | str) -> QPdfWriter:
    """A PDF at the printer's resolution, painted from the paper's corner like a full-page printer.
    QPdfWriter needs no print system: no CUPS plugin, no network connection (issue 13.11)."""
    writer = QPdfWriter(target)
    writer.setResolution(1200)
    writer.setCreator("GovReport")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    return writer


def page_rects(printer: QPagedPaintDevice) -> tuple[QRectF, QRectF]:
    """(paper, type area) in device pixels. Full-page mode (for the footer) reports no margins,
    so the type area comes from the GB/T 9704 margins directly."""
    dpi = printer.resolution()
    mm = dpi / 25.4
    paper = QRectF(printer.pageLayout().fullRectPixels(dpi))
    body = paper.adjusted(MARGINS_MM.left() * mm, MARGINS_MM.top() * mm, -MARGINS_MM.right() * mm,
                          -MARGINS_MM.bottom() * mm)
    return paper, body


def line_height_scale(dpi: int) -> float:
    """Device pixels per unit of ``setLineHeight(…, FixedHeight)``: Qt's layout multiplies the value
    by the device's logical dpi / 96 (measured: 12.5 at 1200 dpi), so a height in device pixels
    must be divided by that."""
    return dpi / 96.0


class _Builder:
    """Writes layout blocks into a QTextDocument with the DOCX's typography."""

    def __init__(self, doc: QTextDocument, dpi: float) -> None:
        self.doc = doc
        self.cursor = QTextCursor(doc)
        self.px_per_pt = dpi / 72.0
        self.line_unit = line_height_scale(int(dpi))
        self.first = True

    def qpx(self, pt: float) -> float:
        """Table borders, paddings and line heights are in Qt's 96-dpi "pixels" (scaled to the device)."""
        return pt * 96.0 / 72.0

    def _block(self, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignJustify, indent_chars: float = 2,
               line_pt: float = LINE_PT) -> None:
        fmt = self.block_format(align, indent_chars, line_pt)
        if self.first:
            self.cursor.setBlockFormat(fmt)
            self.first = False
        else:
            self.cursor.insertBlock(fmt)

    def block_format(self, align: Qt.AlignmentFlag, indent_chars: float = 2,
                     line_pt: float = LINE_PT) -> QTextBlockFormat:
        """Exact line pitch (22 lines a page) and a first-line indent of ``indent_chars`` characters."""
        fmt = QTextBlockFormat()
        fmt.setAlignment(align)
        fmt.setTextIndent(indent_chars * 16 * self.px_per_pt)
        fmt.setLineHeight(line_pt * self.px_per_pt / self.line_unit, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        return fmt

    def _hairline(self) -> None:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(0.01, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        self.cursor.setBlockFormat(fmt)
        cf = QTextCharFormat()
        cf.setFontPointSize(1)
        self.cursor.setBlockCharFormat(cf)

    def text(self, text: str, kind: str, size: float = 16, bold: bool = False) -> None:
        fmt = QTextCharFormat()
        fmt.setFont(font(kind, size, bold))
        self.cursor.insertText(text, fmt)

    def paragraph(self, text: str, kind: str = "body", align=Qt.AlignmentFlag.AlignJustify,  # type: ignore[no-untyped-def]
                  indent: float = 2, size: float = 16, line_pt: float = LINE_PT, bold: bool = False) -> None:
        self._block(align, indent, line_pt)
        self.text(text, kind, size, bold)

    def table_format(self, padding_pt: float, width_percent: float = 100) -> QTextTableFormat:
        """Single black lines as in the DOCX (solid: Qt's default cell border is 3-D). Qt draws no
        border thinner than one of its 96-dpi pixels, so 0.75 pt is the closest to the DOCX's 0.5 pt."""
        fmt = QTextTableFormat()
        fmt.setBorder(1.0)
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderBrush(QColor("black"))
        fmt.setCellSpacing(0)
        fmt.setCellPadding(self.qpx(padding_pt))
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, width_percent))
        return fmt

    def table(self, block: TableBlock) -> QTextTable:
        """One table (or one page's part of a table). Header rows are restated by the caller
        (``table_parts``), never by Qt: its repeated header overprints merged labels."""
        fmt = self.table_format(CELL_PAD_PT)
        total = sum(block.widths_mm)
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, w / total * 100)
                                       for w in block.widths_mm])
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        table = self.cursor.insertTable(block.rows, block.cols, fmt)
        for cell in block.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                table.mergeCells(cell.row, cell.col, cell.rowspan, cell.colspan)
        for cell in block.cells:
            tc = table.cellAt(cell.row, cell.col)
            cf = tc.format().toTableCellFormat()
            cf.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
            width_mm = sum(block.widths_mm[cell.col:cell.col + cell.colspan]) * 156.0 / sum(block.widths_mm)
            pad = self.qpx(_row_padding_pt(cell.text, width_mm))
            cf.setTopPadding(pad)
            cf.setBottomPadding(pad)
            tc.setFormat(cf)
            cur = tc.firstCursorPosition()
            bf = QTextBlockFormat()
            left = cell.label and block.id == "t3" and cell.col == 2 and cell.row not in block.header_rows
            bf.setAlignment(Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignHCenter)
            cur.setBlockFormat(bf)
            cf2 = QTextCharFormat()
            cf2.setFont(font("table", 10.5, bold=cell.label and cell.row in block.group_rows))
            cur.insertText(cell.text, cf2)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        return table


def _document() -> QTextDocument:
    """An empty document that is laid out only once the printer's page size is set (a document's
    default size would have Qt lay it out for the screen first, when its layout is created)."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setPageSize(QSizeF(0, 0))
    return doc


def report_document(layout: Layout, dpi: float, plan: PagePlan | None = None) -> tuple[QTextDocument, list[Piece]]:
    """The report as a QTextDocument, its long tables cut where ``plan`` says (see :mod:`.paginate`),
    with what was put at its top level for each layout block."""
    plan = plan or PagePlan()
    doc = _document()
    b = _Builder(doc, dpi)
    pieces: list[Piece] = []

    def paragraph(i: int, runs: list[tuple[str, str, float, bool]], align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignJustify,
                  indent: float = 2, line_pt: float = LINE_PT, blank: bool = False) -> None:
        """One paragraph of runs (text, font kind, size, bold): one block of the document."""
        b._block(align, indent, line_pt)
        for text, kind, size, bold in runs:
            if text:
                b.text(_one_block(text), kind, size, bold)
        pieces.append(Piece(i, block=b.cursor.block(), blank=blank))

    for i, block in enumerate(layout.blocks):
        if isinstance(block, Title):
            # lines break between phrases (report.title); U+2028 is a line break inside the block
            title = "\u2028".join(_one_block(line) for line in block.lines)
            paragraph(i, [(title, "title", 22, False)], Qt.AlignmentFlag.AlignCenter, 0, LINE_PT * 1.5)
            paragraph(i, [("", "body", 16, False)], indent=0, blank=True)
        elif isinstance(block, Heading):
            paragraph(i, [(block.text, "heading", 16, False)])
        elif isinstance(block, Paragraph):
            lead = [(block.lead, "sub" if block.lead_kind == "sub" else "body", 16, block.lead_kind == "item")]
            paragraph(i, (lead if block.lead else []) + [(block.text, "body", 16, False)])
        elif isinstance(block, TableBlock):
            for part in table_parts(block, plan.cuts.get(i, ())):
                if part.continued:
                    b._hairline()  # the empty paragraph Qt keeps between two tables: a known ~0 height
                pieces.append(Piece(i, table=b.table(part.block), part=part))
            paragraph(i, [("", "body", 16, False)], indent=0, blank=True)  # one blank line, as the DOCX
        elif isinstance(block, Signature):
            paragraph(i, [("", "body", 16, False)], indent=0, blank=True)
            for text in (block.agency, block.date):
                if text:
                    paragraph(i, [(text + "\u3000\u3000", "body", 16, False)], Qt.AlignmentFlag.AlignRight, 0)
    return doc, pieces


_BREAKS_TO_LINE = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAKS = str.maketrans({c: "\u2028" for c in _BREAKS_TO_LINE if c != "\u2028"})


def _one_block(text: str) -> str:
    """Text that stays one paragraph of the document: Qt starts a new block at a newline or
    paragraph separator (pasted text may hold one), which would escape the page plan's measure."""
    return text.translate(_BREAKS)


def signoff_document(report: Report, findings: list[Finding], dpi: float) -> QTextDocument:
    """审核签字单: what the leaders sign, tied to the data by the fingerprint."""
    doc = _document()
    b = _Builder(doc, dpi)
    meta = report.meta
    errors, warnings = summary(findings)
    b.paragraph("政府信息公开工作年度报告审核签字单", "title", Qt.AlignmentFlag.AlignCenter, 0, 22, LINE_PT * 1.5)
    rows = [
        ("机关名称", _short(meta.agency) or "（未填写）"),
        ("报告年度", f"{meta.year}年" if meta.year else "（未填写）"),
        ("报告标题", _short(meta.effective_title())),
        ("成文日期", meta.date_chinese() or "（未填写）"),
        ("数据校验码", report.fingerprint()),
        ("校验结果", f"错误 {errors} 个，提醒 {warnings} 个，已说明理由 {sum(1 for f in findings if f.waived)} 个"),
        ("本年新收申请", f"{report.value('t3.new.total')} 件"),
        ("上年结转申请", f"{report.value('t3.carried_in.total')} 件"),
        ("本年办结申请", f"{report.value('t3.result.total.total')} 件"),
        ("结转下年度继续办理", f"{report.value('t3.carried_out.total')} 件"),
        ("行政复议", f"{report.value('t4.review.total')} 件"),
        ("行政诉讼", f"{report.value('t4.suit_direct.total') + report.value('t4.suit_after_review.total')} 件"),
    ]
    _two_column_table(b, rows)
    open_items = [f for f in findings if f.open]
    waived = [f for f in findings if f.waived]
    b.paragraph("未解决的问题：" if open_items else "未解决的问题：无", "heading", indent=0, size=13, line_pt=22)
    for f in open_items:
        tag = "错误" if f.severity == "error" else "提醒"
        b.paragraph(_one_block(_short(f"【{tag}】{describe(f)}")), "body", indent=0, size=11, line_pt=16)
    b.paragraph("已说明理由的提醒：" if waived else "已说明理由的提醒：无", "heading", indent=0, size=13, line_pt=22)
    for f in waived:
        b.paragraph(_one_block(_short(f"{describe(f)}——理由：{f.waived}")), "body", indent=0, size=11, line_pt=16)
    for role in ("填报人", "审核人", "分管领导"):
        b.paragraph(f"{role}（签字）：______________　日期：______年___月___日", "body",
                    indent=0, size=14, line_pt=34)
    _seal_box(b, "（单位盖章）\n\n\n")
    return doc


def _short(text: str, limit: int = SHEET_CHARS) -> str:
    """The sign-off sheet is one page to sign: a value longer than any real one (a pasted
    document as the agency's name) is shown in part, with its length."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}字，以下从略）"


def _two_column_table(b: _Builder, rows: list[tuple[str, str]]) -> None:
    fmt = b.table_format(2)
    fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 28),
                                   QTextLength(QTextLength.Type.PercentageLength, 72)])
    b._block(indent_chars=0, line_pt=12)
    table = b.cursor.insertTable(len(rows), 2, fmt)
    for r, (label, value) in enumerate(rows):
        for c, text in enumerate((label, value)):
            cur = table.cellAt(r, c).firstCursorPosition()
            cf = QTextCharFormat()
            cf.setFont(font("table", 11, bold=c == 0))
            cur.insertText(text, cf)
    b.cursor.movePosition(QTextCursor.MoveOperation.End)


def _seal_box(b: _Builder, text: str) -> None:
    fmt = b.table_format(6, 40)
    fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
    table = b.cursor.insertTable(1, 1, fmt)
    cur = table.cellAt(0, 0).firstCursorPosition()
    bf = QTextBlockFormat()
    bf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    cur.setBlockFormat(bf)
    cf = QTextCharFormat()
    cf.setFont(font("body", 12))
    cur.insertText(text, cf)
    b.cursor.movePosition(QTextCursor.MoveOperation.End)


def _paint_pages(painter: QPainter, printer: QPagedPaintDevice, build: Build, fingerprint: str, draft: bool,
                 first_page: bool, number_pages: bool, blocks: list[Block] | None = None) -> bool:
    """Paint the document that ``build`` makes, page by page inside the type area: the report's
    pages as :func:`.paginate.paginate` plans them (with layout ``blocks``), else as Qt breaks
    them. Returns whether a page was started."""
    dpi = printer.resolution()
    paper, body = page_rects(printer)

    def on_printer(plan: PagePlan) -> tuple[QTextDocument, list[Piece]]:
        doc, pieces = build(plan)
        doc.documentLayout().setPaintDevice(printer)
        return doc, pieces

    if blocks is None:
        doc = on_printer(PagePlan())[0]
        lay_out(doc, body.width(), body.height())
        pages = [(n * body.height(), (n + 1) * body.height()) for n in range(doc.pageCount())]
        items = None
    else:
        doc, pages, items = paginate(blocks, on_printer, body.width(), body.height(), dpi)
        bottoms = [item.bottom for item in items]
    for n, (top, bottom) in enumerate(pages):
        if not first_page or n:
            printer.newPage()
        first_page = False
        painter.save()
        painter.translate(body.left(), body.top() - top)
        if items is None:
            doc.drawContents(painter, QRectF(0, top, body.width(), bottom - top))
        else:
            _draw_slice(painter, doc, items, bottoms, top, bottom, body.width())
        painter.restore()
        _footer(painter, paper, body, dpi, n + 1 if number_pages else None, fingerprint)
        if draft:
            _watermark(painter, paper, dpi)
    return bool(pages)


def _draw_slice(painter: QPainter, doc: QTextDocument, items: list[Item], bottoms: list[float],
                top: float, bottom: float, width: float) -> None:
    """Draw what lies between ``top`` and ``bottom`` of the endless page: whole lines of the
    paragraphs, and the tables (clipped to the slice only when a table is taller than a page)."""
    layout = doc.documentLayout()
    for item in items[bisect.bisect_right(bottoms, top + EPS):]:
        if item.top >= bottom - EPS:
            break
        if item.block is None:
            doc.drawContents(painter, QRectF(0, max(top, item.top), width, min(bottom, item.bottom) - max(top, item.top)))
            continue
        lines = item.block.layout()
        origin = layout.blockBoundingRect(item.block).topLeft()
        start = max(0, math.ceil((top - item.top) / item.pitch - 0.01))
        stop = min(lines.lineCount(), math.floor((bottom - item.top) / item.pitch + 0.01))
        for k in range(start, stop):
            lines.lineAt(k).draw(painter, origin)


def _footer(painter: QPainter, paper, body, dpi: int, number: int | None, fingerprint: str) -> None:  # type: ignore[no-untyped-def]
    mm = dpi / 25.4
    painter.save()
    painter.setPen(QColor("black"))
    left = number is not None and number % 2 == 0  # odd pages right, even pages left (GB/T 9704)
    align = (Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignTop
    box = QRectF(body.left() + 5 * mm, body.bottom() + 7 * mm, body.width() - 10 * mm, 8 * mm)
    if number is not None:
        painter.setFont(font("page", 14))
        painter.drawText(box, int(align), f"— {number} —")
    painter.setFont(font("page", 7))
    painter.setPen(QColor("#808080"))
    painter.drawText(box.translated(0, 8 * mm), int(align), f"校验码 {fingerprint}")
    painter.restore()


def _watermark(painter: QPainter, paper, dpi: int) -> None:  # type: ignore[no-untyped-def]
    painter.save()
    painter.translate(paper.center())
    painter.rotate(-35)
    f = font("heading", 40, bold=True)
    painter.setFont(f)
    painter.setPen(QColor(200, 0, 0, 70))
    width = paper.width()
    painter.drawText(QRectF(-width / 2, -dpi, width, 2 * dpi), int(Qt.AlignmentFlag.AlignCenter), WATERMARK)
    painter.restore()


def _lines(text: str, chars: float) -> int:
    """Lines ``text`` takes where a line holds ``chars`` full-width characters (Latin letters and
    digits count half, as in ``report.title.width``), each line break starting a new one. Long
    texts are measured from their UTF-8 length, counted at C speed: megabytes are hostile input."""
    if len(text) < 1000:
        wide = width(text)
    else:  # CJK takes 3 bytes, ASCII 1
        wide = 0.5 * len(text) + 0.5 * min((len(text.encode("utf-8", "surrogatepass")) - len(text)) / 2, len(text))
    breaks = sum(map(text.count, _BREAKS_TO_LINE)) if len(text) > 1 else 0
    return max(1, math.ceil(wide / max(chars, 1.0))) + breaks


def page_estimate(layout: Layout) -> int:
    """About how many pages ``layout`` prints on (measured within a tenth of the real count): checked
    before anything is laid out, so a report of pasted megabytes is refused at once."""
    pt = 0.0
    for block in layout.blocks:
        if isinstance(block, Title):
            pt += sum(_lines(line, _TITLE_CHARS) for line in block.lines) * LINE_PT * 1.5 + LINE_PT
        elif isinstance(block, Heading):
            pt += _lines(block.text + "\u3000\u3000", _BODY_CHARS) * LINE_PT
        elif isinstance(block, Paragraph):
            pt += _lines("\u3000\u3000" + block.lead + block.text, _BODY_CHARS) * LINE_PT
        elif isinstance(block, Signature):
            pt += sum(_lines(t + "\u3000\u3000", _BODY_CHARS) for t in (block.agency, block.date) if t) * LINE_PT + LINE_PT
        elif isinstance(block, TableBlock):
            rows: dict[int, float] = {}
            for c in block.cells:
                chars = sum(block.widths_mm[c.col:c.col + c.colspan]) * _CELL_CHARS_PER_MM
                rows[c.row] = max(rows.get(c.row, 1.0), _lines(c.text, chars) / c.rowspan)
            pt += sum(max(ROW_MIN_PT, n * 13.7) for n in rows.values()) + LINE_PT
    return math.ceil(pt / _PAGE_PT)


def check_printable(report: Report) -> None:
    """Raise :class:`TooLong` for a report that would print on more than MAX_PAGES pages."""
    check_size(build(report))


def check_size(layout: Layout) -> None:
    """Raise :class:`TooLong` for a report that would print on more than MAX_PAGES pages."""
    pages = page_estimate(layout)
    if pages > MAX_PAGES:
        raise TooLong(f"报告约有{pages}页，超过打印和PDF的上限（{MAX_PAGES}页）：请检查正文、机关名称和表格中"
                      "是否误粘贴了大段文字（DOCX 导出不受此限）")


def render(printer: QPagedPaintDevice, report: Report, include_report: bool = True,
           include_signoff: bool = False) -> None:
    """Paint the sign-off sheet and/or the report onto ``printer`` (preview, paper or PDF);
    :class:`TooLong` before anything is painted for a report beyond MAX_PAGES pages."""
    layout = build(report)
    if include_report:
        check_size(layout)  # before the rules read megabytes of pasted text
    findings = check(report)
    draft = layout.draft = summary(findings)[0] > 0
    title = layout.title if include_report else f"{layout.title}审核签字单"
    if isinstance(printer, QPdfWriter):
        printer.setTitle(title)  # the PDF's document title (shown by readers, used by search)
    elif hasattr(printer, "setDocName"):
        printer.setDocName(title)  # a QPrinter: the print job's name, and the title of a PDF it writes
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印（打印机或文件不可用）")
    try:
        started = False
        if include_signoff:
            started = _paint_pages(painter, printer,
                                   lambda _plan: (signoff_document(report, findings, printer.resolution()), []),
                                   layout.fingerprint, draft, True, number_pages=False)
        if include_report:
            _paint_pages(painter, printer, lambda plan: report_document(layout, printer.resolution(), plan),
                         layout.fingerprint, draft, not started, number_pages=True, blocks=layout.blocks)
    finally:
        painter.end()


def export_pdf(report: Report, path: str | Path, signoff: bool = False, report_too: bool = True) -> None:
    """Write the PDF (report, sign-off sheet, or both) through the same path as the printer,
    into memory first, then atomically to ``path``."""
    from ...report.native import atomic_write

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = new_pdf_writer(buffer)
    render(writer, report, include_report=report_too, include_signoff=signoff)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    atomic_write(path, bytes(data.data()), backup=False)

