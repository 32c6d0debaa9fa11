"""Import last year's published report from a PDF with a text layer (Word/WPS/LibreOffice “save as
PDF”, a website's attachment, our own PDF export).

pdfminer.six reads the document and its fonts; :mod:`.pdf_content` the pages; :mod:`.pdf_layout`
makes the paragraphs and text grids that ``docx_import.import_blocks`` reads as it reads a DOCX.
A PDF is never misread in silence:

- a scan (no text layer), a text layer the fonts cannot decode, a password: refused, saying why
  and what to do;
- every number drawn in the three tables must have become a cell of the report, or the import is
  refused naming the number, its page and row (a table line missing, a row added);
- sums that do not add up are noted as possibly the PDF's reading, not only the report's error.

Bounded as every reader (:mod:`.pdf_limits`): a hostile or enormous PDF is refused in Chinese.
"""

from __future__ import annotations

import gc
from collections import Counter
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException

from ..report.document import Report
from ..report.native import FileFormatError, read_regular
from ..report.numbers import normalise
from .docx_grid import Grid, Para
from .docx_import import heading_of, import_blocks
from .pdf_content import Budget, PageContent, Reader
from .pdf_layout import (
    Joined,
    Line,
    PdfGrid,
    Table,
    append,
    continues,
    dedupe,
    fill_tables,
    find_tables,
    is_running,
    make_lines,
    margins,
    paragraphs,
    running_keys,
    start,
    to_grid,
)
from .pdf_limits import MAX_FILE_BYTES, MAX_PAGES, ReadTimeout, TooMuch, bounded, settle
from .pdf_text_table import TextTableError, text_grid
from .table_reader import key_text, kind_of

TABLES = {"t2": "表二", "t3": "表三", "t4": "表四"}
ASK = "请向报告编制单位索取 Word 版（.docx），或新建报告后照 PDF 手工录入表格数字"


class _Refused(Exception):
    """A refusal decided while reading (Chinese text, without the file name)."""


def import_pdf(path: Path) -> Report:
    """A :class:`Report` from a PDF; raises :class:`FileFormatError` (Chinese) when it cannot."""
    name = path.name
    data = read_regular(path, MAX_FILE_BYTES, "年度报告 PDF")
    if b"%PDF-" not in data[:1024]:
        raise FileFormatError(f"“{name}”不是 PDF 文件（文件开头没有 %PDF 标记），可能已损坏或扩展名有误")
    refusal = ""
    try:
        with bounded():
            blocks, notes, cut = read_pdf(data)
        settle()
    except ReadTimeout:
        refusal = f"“{name}”读取超时：文件结构过于复杂，不像一份年度报告（可能是恶意构造的文件），已停止读取。{ASK}"
    except TooMuch as e:
        refusal = f"“{name}”中的{e.what}过多（超出年度报告可能的大小），可能是恶意构造的文件，已拒绝打开"
    except _Refused as e:
        refusal = f"“{name}”{e}"
    if refusal:
        # outside the except clause, so the traceback is gone: what the stopped read built (a font's
        # CMap of 150 MB) sits in pdfminer's reference cycles, which only a collection frees
        gc.collect()
        raise FileFormatError(refusal)
    try:
        report = import_blocks(blocks, name)
    except FileFormatError as e:
        if not cut:
            raise
        pages = "、".join(str(n) for n in cut)
        raise FileFormatError(f"{e}。PDF 第{pages}页的内容超出了页面的右边缘，被截断的表格列在 PDF 中看不到（原文件打印或转换"
                              f"时表格过宽）；{ASK}") from None
    grids = [b for b in blocks if isinstance(b, PdfGrid)]
    unread = unread_numbers(report, grids)
    if unread:
        raise FileFormatError(f"“{name}”：{unread}，为避免读错，已拒绝导入。{ASK}")
    report.import_notes.extend(notes)
    report.import_notes.extend(sum_notes(report))
    report.import_notes.append("由 PDF 导入：请对照原 PDF 核对表格数字和正文（PDF 中的图片、印章无法读取）")
    return report


# --- the document --------------------------------------------------------------------------------

def read_pdf(data: bytes) -> tuple[list[Para | Grid], list[str], list[int]]:
    """The PDF's paragraphs and grids in reading order, notes for the clerk, and the pages whose
    text runs past the page's edge (a table printed too wide: its right part is cut off)."""
    try:
        doc = PDFDocument(PDFParser(BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise _Refused("设置了打开密码，无法读取。请向报告编制单位索取没有密码的文件，或用知道密码的 PDF 阅读器打开后"
                       "“另存为”（打印为）不加密的 PDF，再导入") from None
    except PDFEncryptionError as e:
        raise _Refused(f"使用了不支持的加密方式（{e}），无法读取。请取消 PDF 的密码（加密）后再导入") from None
    except (PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError,
            RecursionError, UnicodeError, OverflowError):
        raise _Refused("不是有效的 PDF 文件，可能已损坏或只下载了一部分") from None
    count = _page_count(doc)
    if count > MAX_PAGES:
        raise _Refused(f"有 {count} 页，远超一份年度报告的篇幅（最多 {MAX_PAGES} 页），已拒绝打开")
    reader = Reader(PDFResourceManager(caching=True), Budget())
    pages: list[PageContent] = []
    notes: list[str] = []
    try:
        for i, page in enumerate(PDFPage.create_pages(doc)):
            if i >= MAX_PAGES:
                raise _Refused(f"超过 {MAX_PAGES} 页，远超一份年度报告的篇幅，已拒绝打开")
            try:
                pages.append(reader.page(page))
            except (TooMuch, _Refused):
                raise
            except Exception as e:  # one broken page: the rest is read, and the clerk is told
                notes.append(f"PDF 第{i + 1}页无法读取（{type(e).__name__}），该页内容没有导入，请对照原 PDF 补录")
                pages.append(PageContent(595, 842))
    except (TooMuch, _Refused):
        raise
    except Exception:  # the page tree itself is broken
        if not pages:
            raise _Refused("不是有效的 PDF 文件（找不到页面），可能已损坏或只下载了一部分") from None
        notes.append(f"PDF 只读到了前 {len(pages)} 页（其后的页面结构已损坏），请对照原 PDF 核对")
    _refuse_unreadable(pages)
    unshown = sum(p.unshown_fields for p in pages)
    if unshown:
        raise _Refused(f"中有 {unshown} 个填写过的表单域没有保存显示内容，其中的文字和数字无法读取。请在 PDF 阅读器中打开后"
                       "“打印”为新的 PDF（填写的内容随之固定在页面上），再导入")
    turned = [str(n) for n, p in enumerate(pages, start=1) if p.turned]
    if turned:
        notes.append(f"PDF 第{'、'.join(turned)}页的文字是横向转放的（页面没有标明旋转），已转正读取，请对照原 PDF 核对这些页")
    glyphs = sum(len(p.glyphs) for p in pages)
    invisible = sum(1 for p in pages for g in p.glyphs if g.invisible)
    if invisible > glyphs / 2:
        notes.append("该 PDF 是扫描件加上识别出的文字（OCR），数字可能识别有误，请逐项对照原件核对全部表格数字")
    cut = [n for n, p in enumerate(pages, start=1) if p.past_edge or any(g.x0 > p.width + 1 for g in p.glyphs)]
    return layout(pages, notes), notes, cut


def _page_count(doc: PDFDocument) -> int:
    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else 0
        return int(count) if isinstance(count, (int, float)) else 0
    except Exception:
        return 0  # the page walk will tell


def _refuse_unreadable(pages: list[PageContent]) -> None:
    """A scan, or text that cannot be decoded: refused with what to do."""
    glyphs = sum(len(p.glyphs) for p in pages)
    undefined = sum(p.undefined for p in pages)
    scanned = sum(1 for p in pages if p.image_area > 0.3 * p.width * p.height)
    if glyphs < 20 * max(1, len(pages)) // 4 or glyphs < 40:
        if scanned:
            raise _Refused(f"是扫描件（{scanned} 页是图片，没有文字层），无法读取其中的文字和数字。{ASK}")
        raise _Refused(f"中没有可读取的文字（文字层）：可能是扫描件，或文字被转成了图形。{ASK}")
    if undefined > 0.2 * glyphs:
        raise _Refused(f"的字体没有文字编码（{undefined} 个字无法识别），文字无法取出。{ASK}")


def layout(pages: list[PageContent], notes: list[str]) -> list[Para | Grid]:
    """Pages → paragraphs and grids; tables continued across pages joined."""
    items: list[tuple[int, float, Line | Table]] = []
    offset = 0
    for n, content in enumerate(pages, start=1):
        glyphs = dedupe([g for g in content.glyphs if g.text != "\ufffd"])
        found = find_tables(content, n)
        outside = fill_tables(found, glyphs, notes)
        for table, _cells in found:
            items.append((n, table.top, table))
        for line in make_lines(outside, n):
            items.append((n, line.top, line))
    items.sort(key=lambda it: (it[0], it[1]))
    heights = {n: p.height for n, p in enumerate(pages, start=1)}
    lines = [it[2] for it in items if isinstance(it[2], Line)]
    repeated = running_keys(lines, heights)
    body = [it for it in items if not (isinstance(it[2], Line) and is_running(it[2], heights[it[0]], repeated))]
    body = _without_lines(body, notes)
    m = margins([it[2] for it in body if isinstance(it[2], Line)], {n: p.width for n, p in enumerate(pages, start=1)})
    blocks: list[Para | Grid] = []
    pending: list[Line] = []
    joined: Joined | None = None
    last_page_item: dict[int, object] = {}
    first_page_item: dict[int, object] = {}
    for page, _, item in body:
        first_page_item.setdefault(page, item)
        last_page_item[page] = item
    for page, _, item in body:
        if isinstance(item, PdfGrid):  # a table without lines, already whole
            if pending:
                blocks.extend(paragraphs(pending, m))
                pending = []
            if joined is not None:
                blocks.append(to_grid(joined))
                joined = None
            blocks.append(item)
            continue
        if isinstance(item, Line):
            if joined is not None:
                blocks.append(to_grid(joined))
                joined = None
            pending.append(item)
            continue
        if pending:
            blocks.extend(paragraphs(pending, m))
            pending = []
        if (joined is not None and joined.pages[-1] == page - 1 and first_page_item.get(page) is item
                and last_page_item.get(page - 1) is joined.last and continues(joined, item)):
            append(joined, item, offset)
        else:
            if joined is not None:
                blocks.append(to_grid(joined))
            joined = start(item, offset)
        offset += len(item.texts) + 1
    if joined is not None:
        blocks.append(to_grid(joined))
    if pending:
        blocks.extend(paragraphs(pending, m))
    return blocks


def _grid_kind(table: Table) -> str | None:
    return kind_of([[table.texts.get(i, "") if i >= 0 else "" for i in row] for row in table.ids])


def _without_lines(body: list, notes: list[str]) -> list:
    """Sections 二、三、四 whose table was drawn without lines: their lines become one grid."""
    heads = [(k, heading_of(it[2].text)) for k, it in enumerate(body) if isinstance(it[2], Line)]
    heads = [(k, sid) for k, sid in heads if sid is not None]
    out = list(body)
    for n, (k, sid) in reversed(list(enumerate(heads))):
        if sid not in TABLES:
            continue
        end = heads[n + 1][0] if n + 1 < len(heads) else len(body)
        region = body[k + 1:end]
        if any(isinstance(it[2], Table) and _grid_kind(it[2]) == sid for it in region):
            continue
        lines = [it[2] for it in region if isinstance(it[2], Line)]
        try:
            grid = text_grid(lines, 10_000_000 * (n + 1)) if lines else None
        except TextTableError as e:
            raise _Refused(f"：{e}") from None
        if grid is not None and kind_of(grid.rows) == sid:
            kept = [it for it in region if not isinstance(it[2], Line)]
            out[k + 1:end] = [(region[0][0], region[0][1], grid), *kept]
            notes.append(f"PDF 中的{TABLES[sid]}没有表格线，已按文字位置读取，请特别对照原 PDF 核对{TABLES[sid]}的数字")
    return out


# --- checks after reading ------------------------------------------------------------------------

def _number(text: str) -> Decimal | None:
    s = normalise(text)
    if s.replace(",", "").replace(".", "").isdigit() and s[:1].isdigit():
        try:
            return Decimal(s.replace(",", "")) if "," not in s or _thousands(s) else None
        except InvalidOperation:
            return None
    return None


def _thousands(s: str) -> bool:
    head, *groups = s.split(".")[0].split(",")
    return 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)


def unread_numbers(report: Report, grids: list[PdfGrid]) -> str:
    """The first number of a table that did not become a cell of the report, as Chinese text
    (empty when every number did): each drawn cell counts once, however many positions it spans."""
    for kind, label in TABLES.items():
        drawn: Counter[Decimal] = Counter()
        where: dict[Decimal, list[tuple[PdfGrid, int, int, int]]] = {}
        for g in grids:
            if kind_of(g.rows) != kind:
                continue
            seen: set[int] = set()
            for r, row in enumerate(g.ids):
                for c, i in enumerate(row):
                    if i < 0 or i in seen:
                        continue
                    seen.add(i)
                    value = _number(g.texts.get(i, ""))
                    if value:
                        drawn[value] += 1
                        where.setdefault(value, []).append((g, i, r, c))
        read: Counter[Decimal] = Counter()
        for key, value in report.cells.items():
            if key.startswith(kind + ".") and isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value:
                read[Decimal(value)] += 1
        missing = drawn - read
        if missing:
            value = next(iter(missing))
            known = {key_text(c.text) for c in report.schema.tables[kind].labels}
            spots = where[value]
            # the likeliest culprit: a number in a row whose label is not one of the format's
            g, _, r, c = next((s for s in spots if key_text(_row_label(s[0], s[2], s[3])) not in known), spots[0])
            return (f"{label}中的数字 {value}（{_place(g, r, c)}）没有读入报告的任何单元格"
                    "（可能是表格线不完整，或表格有多余的行、列）")
        extra = read - drawn
        if extra:
            value = next(iter(extra))
            return f"{label}中读到的数字 {value} 在 PDF 的表格中出现的次数更少（可能是合并单元格被读了两次）"
    return ""


def _row_label(grid: PdfGrid, r: int, c: int) -> str:
    """The text nearest left of position (r, c) that is not a number: the row's own label."""
    return next((t for t in reversed(grid.rows[r][:c]) if t.strip() and _number(t) is None), "")


def _place(grid: PdfGrid, r: int, c: int) -> str:
    pages = grid.pages[0] if len(grid.pages) == 1 else f"{grid.pages[0]}–{grid.pages[-1]}"
    label = _row_label(grid, r, c)
    return f"第{pages}页，“{label[:20]}”一行" if label else f"第{pages}页"


def sum_notes(report: Report) -> list[str]:
    """Tables whose totals do not add up: the PDF's reading is one possible cause."""
    broken = []
    for eq in report.schema.equations:
        if eq.rule == "t3.balance":
            continue  # not a sum of one table's drawn cells
        if sum(report.value(k) for k in eq.lhs) != sum(report.value(k) for k in eq.rhs):
            name = TABLES[eq.lhs[0][:2]]
            if name not in broken:
                broken.append(name)
    if not broken:
        return []
    return [f"{'、'.join(broken)}的合计与明细不符（见校验结果）：如果原 PDF 的表格就是这样，是原报告的错误；"
            "否则可能是 PDF 读取有误，请对照原 PDF 核对这些数字"]
