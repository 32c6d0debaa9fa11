"""Page breaks for the printed report, decided by measuring Qt's own layout.

QTextDocument splits a table wherever the page ends: a label merged over several rows is drawn once,
across the break, and Qt's repeated header rows are painted over it (表三's “（五）不予处理” on top of
the repeated header, an empty “三、本年度办理结果” column on the next page). So tables are never left
to Qt: the document is laid out, the first place that breaks a rule below is found, a page break is
planned there, and the document is built again (two or three passes for a report):

- a heading stays with what follows it (for a table: its header rows and first data row);
- a small table (表二, 表四) stays whole on one page, as in the DOCX;
- a long table (表三) is cut between rows into one table per page; each continuation restates the
  header rows and every merged label that reaches into it (``export.layout.table_parts``);
- a paragraph leaves no single line alone at the foot or the head of a page (widows and orphans,
  as Word and LibreOffice avoid them by default): a short paragraph moves to the next page whole;
- the signature does not stand alone on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextBlock, QTextDocument, QTextTable, QTextTableCell

from ...export.layout import Block, Heading, Paragraph, Signature, TableBlock, TablePart

MAX_PASSES = 30  # each pass adds one page break; a report needs a handful


@dataclass
class PagePlan:
    """Where new pages start: before layout blocks, and before rows of tables (by layout index)."""

    before_block: set[int] = field(default_factory=set)
    before_row: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Placed:
    """A layout block as built: its first and last text block, or its table parts."""

    first: QTextBlock | None = None
    last: QTextBlock | None = None
    parts: list[tuple[QTextTable, TablePart]] = field(default_factory=list)


Build = Callable[[PagePlan], tuple[QTextDocument, dict[int, Placed]]]


def lay_out(doc: QTextDocument, width: float, height: float) -> None:
    """Lay the whole document out on pages of ``width`` × ``height`` (each pass builds a new
    document, so no cell format changes after the layout: Qt's lazy relayout would leave later
    blocks unplaced)."""
    doc.setPageSize(QSizeF(width, height))


def paginate(blocks: list[Block], build: Build, width: float, height: float) -> QTextDocument:
    """The document built with every page break it needs (see the module docstring)."""
    plan = PagePlan()
    for _ in range(MAX_PASSES):
        doc, placed = build(plan)
        lay_out(doc, width, height)
        if not _plan_next_break(blocks, placed, _Pages(doc, height), plan):
            return doc
    return doc


class _Pages:
    """Positions of built blocks in the laid-out document, and the page each is on."""

    def __init__(self, doc: QTextDocument, height: float) -> None:
        self.doc = doc
        self.layout = doc.documentLayout()
        self.height = height
        device = self.layout.paintDevice()
        self.qt_px = device.logicalDpiY() / 96.0 if device is not None else 1.0  # cell formats are in 96-dpi px

    def page(self, y: float) -> int:
        return int(y // self.height)

    def top(self, block: QTextBlock) -> float:
        return self.layout.blockBoundingRect(block).top()

    def first_line_bottom(self, block: QTextBlock) -> float:
        rect = self.layout.blockBoundingRect(block)
        line = block.layout().lineAt(0) if block.layout().lineCount() else None
        return rect.top() + (line.rect().bottom() if line is not None else rect.height())

    def bottom(self, block: QTextBlock) -> float:
        return self.layout.blockBoundingRect(block).bottom()

    def text_extent(self, cell: QTextTableCell) -> tuple[float, float]:
        """Top and bottom of a cell's text (found by position: no cursor objects per cell)."""
        return (self.top(self.doc.findBlock(cell.firstPosition())),
                self.bottom(self.doc.findBlock(cell.lastPosition())))

    def rows(self, table: QTextTable, part: TableBlock) -> list[tuple[float, float] | None]:
        """(top, bottom) of each row: the top of the text of the cells that start in it, and the
        bottom of every cell that ends in it (a merged label taller than its rows stretches the
        last one), with the cell's bottom padding and border: Qt moves a row whose padding does
        not fit, and the next part's page break then comes a page late."""
        border = table.format().border()
        tops: dict[int, float] = {}
        bottoms: dict[int, float] = {}
        for c in part.cells:
            cell = table.cellAt(c.row, c.col)
            top, text_bottom = self.text_extent(cell)
            below = cell.format().toTableCellFormat().bottomPadding() + border
            bottom = text_bottom + below * self.qt_px
            end = c.row + c.rowspan - 1
            if c.rowspan == 1:
                tops[c.row] = min(tops.get(c.row, top), top)
            bottoms[end] = max(bottoms.get(end, bottom), bottom)
        return [(tops[r], bottoms.get(r, tops[r])) if r in tops else None for r in range(part.rows)]


def _plan_next_break(blocks: list[Block], placed: dict[int, Placed], pages: _Pages, plan: PagePlan) -> bool:
    """Add the first missing page break to ``plan``; False when the pages are right."""
    for i, block in enumerate(blocks):
        here = placed.get(i)
        if here is None:
            continue
        if isinstance(block, Heading) and i + 1 in placed and i not in plan.before_block:
            if pages.page(pages.top(here.first)) != pages.page(_start_bottom(blocks[i + 1], placed[i + 1], pages)):
                plan.before_block.add(i)
                return True
        elif isinstance(block, TableBlock) and _table_break(i, block, here, pages, plan, blocks):
            return True
        elif isinstance(block, Paragraph) and i not in plan.before_block and _lone_line(here.first, pages):
            _break_before(i, blocks, plan)
            return True
        elif isinstance(block, Signature) and i - 1 in placed and isinstance(blocks[i - 1], Paragraph):
            prev = placed[i - 1]
            if (i - 1 not in plan.before_block
                    and pages.page(pages.bottom(prev.last)) != pages.page(pages.bottom(here.last))
                    and pages.bottom(prev.last) - pages.top(prev.first) < pages.height / 2):
                _break_before(i - 1, blocks, plan)  # the last paragraph moves over with the signature
                return True
    return False


def _break_before(i: int, blocks: list[Block], plan: PagePlan) -> None:
    """A new page before block ``i``, or before the heading(s) right above it, which go along
    (a break already planned between them and ``i`` would leave them alone on a page)."""
    first = i
    while first > 0 and isinstance(blocks[first - 1], Heading):
        first -= 1
    plan.before_block -= set(range(first + 1, i + 1))
    plan.before_block.add(first)


def _lone_line(block: QTextBlock, pages: _Pages) -> bool:
    """Whether a paragraph of a few lines leaves one line alone on either page it runs across."""
    rect = pages.layout.blockBoundingRect(block)
    lines = block.layout().lineCount()
    if lines < 2 or rect.height() > pages.height / 3:
        return False
    on = [pages.page(rect.top() + block.layout().lineAt(n).rect().bottom() - 1) for n in range(lines)]
    return on[0] != on[-1] and (on.count(on[0]) == 1 or on.count(on[-1]) == 1)


def _start_bottom(block: Block, placed: Placed, pages: _Pages) -> float:
    """Where what follows a heading must end to be on the heading's page: a paragraph's first
    line, a table's header rows and first data row."""
    if isinstance(block, TableBlock) and placed.parts:
        table, part = placed.parts[0]
        rows = pages.rows(table, part.block)
        body = [r for r in range(part.block.rows) if r not in part.block.header_rows and rows[r]]
        last = body[0] if body else part.block.rows - 1
        extent = rows[last]
        return extent[1] if extent else pages.bottom(table.lastCursorPosition().block())
    return pages.first_line_bottom(placed.first)


def _before_tall_labels(r: int, table: QTextTable, part: TableBlock, rows: list[tuple[float, float] | None],
                        pages: _Pages, boundary: float) -> int:
    """The cut before row ``r``, moved up above any merged label it would clip that is too tall
    for the rows left to it on this page (“三、本年度办理结果” needs five lines of its narrow
    column): cutting below it would stretch those rows over the page again, one pass at a time."""
    moved = True
    while moved:
        moved = False
        for c in part.cells:
            top = rows[c.row]
            if not (c.row < r < c.row + c.rowspan) or top is None:
                continue
            cell = table.cellAt(c.row, c.col)
            fmt = cell.format().toTableCellFormat()
            top_text, bottom_text = pages.text_extent(cell)
            text = bottom_text - top_text
            need = text + (fmt.topPadding() + fmt.bottomPadding() + 2 * table.format().border()) * pages.qt_px
            if top[0] + need > boundary:
                r, moved = c.row, True
    return r


def _table_break(i: int, block: TableBlock, here: Placed, pages: _Pages, plan: PagePlan,
                 blocks: list[Block]) -> bool:
    """Plan a break for table ``i``: before the table (and its heading) if it is small and does
    not fit where it is, else before the first row that runs onto the next page."""
    extents = [(table, part, pages.rows(table, part.block)) for table, part in here.parts]
    spans = [e for _, _, rows in extents for e in rows if e]
    if not spans:
        return False
    top, bottom = min(t for t, _ in spans), max(b for _, b in spans)
    before = i - 1 if i > 0 and isinstance(blocks[i - 1], Heading) else i  # _break_before's choice
    if block.keep_whole:
        if (pages.page(top) != pages.page(bottom) and bottom - top < pages.height
                and before not in plan.before_block):
            _break_before(i, blocks, plan)
            return True
        return False
    starts = [pages.page(next(e for e in rows if e)[0]) for _, _, rows in extents]
    for k, (table, part, rows) in enumerate(extents):
        first_page = starts[k]
        body = [r for r in range(part.block.rows) if r not in part.block.header_rows and rows[r]]
        over = [r for r in body if pages.page(rows[r][1]) != first_page]  # type: ignore[index]
        if not over and k + 1 < len(starts) and starts[k + 1] > first_page + 1:
            # the next part starts a page late: Qt ran this one past the page though every
            # row's text fits (a merged label stretched the last row): cut before that row
            over = body[-1:]
        if over:
            r = _before_tall_labels(over[0], table, part.block, rows, pages, (first_page + 1) * pages.height)
            if r <= body[0]:
                continue  # a row taller than the page, or the heading's rule moves it
            # Later cuts were measured with this row on the earlier page: they are found again
            # if still needed (cutting here can make a restated label's rows taller).
            cut = part.source_rows[r]
            plan.before_row[i] = [x for x in plan.before_row.get(i, []) if x < cut] + [cut]
            return True
    return False
