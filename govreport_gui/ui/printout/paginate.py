"""Page breaks of the printed report, planned here on Qt's measurements of one endless page.

Qt lays the report out as one page without end; the lines of every paragraph, every table and
the rows of a long table are measured; the pages are planned in Python; painting then cuts the
endless page where planned (:func:`paginate` returns the cuts). Qt's own pagination is not used:
it draws a label merged over several rows once across the page break, paints its repeated header
rows over that label (issue 12), and each page break planned on it cost a whole new layout (six
for the sample report, issue 19). Only a long table (表三) needs a second layout: the document is
built again with the table cut into parts, one per page, each continuation restating the header
rows and every merged label that reaches into it (``export.layout.table_parts``); that layout is
measured and checked against the plan.

The rules, in the order they meet on a page:
- a heading stays with what follows it (two lines of a paragraph, a table's first rows);
- a small table (表二, 表四) stays whole on one page;
- a long table starts on a new page when fewer than ``FIRST_ROWS`` of its rows fit below what
  precedes it, its last page holds at least ``LAST_ROWS`` rows, and every page in between is full;
- a paragraph leaves at least two lines at the foot and at the head of a page (no widows or
  orphans, as Word and LibreOffice do by default); so a paragraph of two or three lines moves whole;
- the signature takes the last paragraph with it when that is shorter than half a page, else its
  last two lines;
- whatever is taller than a page by itself (only hostile input) is cut at the page's foot.

Work is linear in the report's size (issue 24.4): each line is a box, a page break looks back at
most one page for its place, and painting draws each page's own lines. Qt's coordinates end near
800 A4 pages at printer resolution: ``printing.MAX_PAGES`` refuses a report long before that.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextBlock, QTextDocument, QTextTable

from ...export.layout import FIRST_ROWS, LAST_ROWS, Block, Heading, Paragraph, Signature, TableBlock, TablePart

MAX_PASSES = 4  # the sample needs two layouts: one to measure, one with 表三 cut into parts
EPS = 0.5  # device pixels: Qt's fixed-point layout rounds each line and row to 1/64 px


@dataclass
class PagePlan:
    """Where long tables are cut (layout index → rows that start a new part), and the corrections
    learnt when a part came out taller than predicted ((layout index, first row) → pixels)."""

    cuts: dict[int, tuple[int, ...]] = field(default_factory=dict)
    extra: dict[tuple[int, int], float] = field(default_factory=dict)


@dataclass
class Piece:
    """One thing the builder put at the top level of the document, for layout block ``index``:
    a paragraph (title, heading, text, blank line) or a table (or one part of a cut table)."""

    index: int
    block: QTextBlock | None = None
    table: QTextTable | None = None
    part: TablePart | None = None
    blank: bool = False  # an empty line: never the first thing on a page


@dataclass
class Item:
    """What painting draws of a piece: the lines of a paragraph, or a table, at its place on the
    endless page. (Paragraphs are drawn line by line: Qt's own drawing of a clipped document also
    draws the last line above the clip, invisible but in the PDF's text, so copied twice.)"""

    top: float
    bottom: float
    block: QTextBlock | None = None
    pitch: float = 0.0


Build = Callable[[PagePlan], tuple[QTextDocument, list[Piece]]]
Pages = list[tuple[float, float]]  # (top, bottom) of each page's slice of the endless page


def lay_out(doc: QTextDocument, width: float, height: float) -> None:
    """Lay the whole document out on pages of ``width`` × ``height`` (Qt paginates; the sign-off
    sheet, a page of its own, is printed so)."""
    doc.setPageSize(QSizeF(width, height))


def paginate(blocks: list[Block], build: Build, width: float, height: float,
             dpi: float) -> tuple[QTextDocument, Pages, list[Item]]:
    """The document built with the cuts its long tables need, where each page begins and ends,
    and what there is to draw, top to bottom."""
    plan = PagePlan()
    models: dict[int, _RowModel] = {}
    for attempt in range(MAX_PASSES):
        doc, pieces = build(plan)
        doc.setPageSize(QSizeF(width, -1))  # one endless page: Qt breaks nothing
        measure = _Measure(doc, dpi)
        if not models:  # the first layout has every table whole
            models = {p.index: measure.rows(p.table, p.part.block) for p in pieces
                      if p.table is not None and p.part is not None and _long(blocks[p.index])}
        walk = _Walk(blocks, pieces, measure, models, plan, height, replan=attempt + 1 < MAX_PASSES)
        pages = walk.run()
        if walk.plan is None:
            return doc, pages, walk.items
        plan = walk.plan
    raise AssertionError("unreachable: the last pass never plans again")


class _Measure:
    """Positions on the endless page, in device pixels. Only our own paragraphs (fixed line
    height) are asked for their position: Qt reports a table's frame at its first cell's text and
    the empty paragraph it keeps after a table above the table's foot."""

    def __init__(self, doc: QTextDocument, dpi: float) -> None:
        self.doc = doc
        self.layout = doc.documentLayout()
        self.unit = dpi / 96.0  # fixed line heights and cell paddings are in Qt's 96-dpi pixels

    def lines(self, block: QTextBlock) -> tuple[float, float, int]:
        """(top, pitch, number of lines) of a paragraph with a fixed line height."""
        pitch = round(block.blockFormat().lineHeight() * self.unit * 64) / 64  # QFixed
        return self.layout.blockBoundingRect(block).top(), pitch, max(1, block.layout().lineCount())

    def height(self, table: QTextTable) -> float:
        return self.layout.frameBoundingRect(table).height()

    def text_extent(self, table: QTextTable, row: int, col: int) -> tuple[float, float, float]:
        """(top, bottom, paddings) of a cell's text."""
        cell = table.cellAt(row, col)
        fmt = cell.format().toTableCellFormat()
        top = self.layout.blockBoundingRect(self.doc.findBlock(cell.firstPosition())).top()
        bottom = self.layout.blockBoundingRect(self.doc.findBlock(cell.lastPosition())).bottom()
        return top, bottom, (fmt.topPadding() + fmt.bottomPadding()) * self.unit

    def rows(self, table: QTextTable, block: TableBlock) -> _RowModel:
        """A whole table's rows measured: what each row's own cells need, what each label merged
        over rows needs, and the borders between and around them (from the table's height)."""
        inner: dict[int, float] = {}
        tops: dict[int, float] = {}
        labels = []
        for c in block.cells:
            top, bottom, pads = self.text_extent(table, c.row, c.col)
            need = bottom - top + pads
            if c.rowspan == 1:
                inner[c.row] = max(inner.get(c.row, 0.0), need)
                tops[c.row] = min(tops.get(c.row, top), top)  # the tallest cell's text starts highest
            else:
                labels.append((c.row, c.rowspan, need))
        for r in range(block.rows):
            inner.setdefault(r, 0.0)
        gaps = [tops[r + 1] - tops[r] - inner[r] for r in range(block.rows - 1) if r in tops and r + 1 in tops]
        gap = statistics.median(gaps) if gaps else 0.0
        model = _RowModel(block, inner, sorted(labels, key=lambda lab: lab[0] + lab[1]), gap, 0.0)
        model.frame = self.height(table) - model.height(list(range(block.rows)))
        return model


@dataclass
class _RowModel:
    """The height of any part of a long table, predicted from the whole table's measurements:
    its rows' own heights, plus what a merged label clipped to the part needs beyond its rows
    (Qt stretches the label's last row), plus the borders."""

    block: TableBlock
    inner: dict[int, float]  # row → height its single-row cells need (text and paddings)
    labels: list[tuple[int, int, float]]  # (row, rowspan, need) of cells merged over rows
    gap: float  # between two rows (the border)
    frame: float  # borders above the first and below the last row

    def height(self, rows: list[int]) -> float:
        heights = {r: self.inner[r] for r in rows}
        for row, span, need in self.labels:
            mine = [r for r in range(row, row + span) if r in heights]
            if mine:
                room = sum(heights[r] for r in mine) + (len(mine) - 1) * self.gap
                if need > room:
                    heights[mine[-1]] += need - room
        return sum(heights.values()) + (len(rows) - 1) * self.gap + self.frame


@dataclass
class _Box:
    """Something that goes onto a page whole: a line of a paragraph, a table, a long table."""

    top: float
    bottom: float
    keep: bool = False  # a page should not begin here (it belongs with what precedes)
    blank: bool = False  # an empty line: never begins a page
    table: int = -1  # a long table (layout index): its parts are planned when it is reached
    parts: list[tuple[TablePart, float, float]] = field(default_factory=list)  # (part, top, height) as built


class _Walk:
    """Fill pages box by box; when a box does not fit, the page ends before the last box of this
    page that may begin one (``keep`` is false), else before the box, else at the page's foot."""

    def __init__(self, blocks: list[Block], pieces: list[Piece], measure: _Measure, models: dict[int, _RowModel],
                 plan: PagePlan, height: float, replan: bool) -> None:
        self.height = height
        self.models = models
        self.old = plan
        self.replan = replan
        self.plan: PagePlan | None = None  # a new plan when the document must be built again
        self.cuts: dict[int, tuple[int, ...]] = {}
        self.extra = dict(plan.extra)
        self.items: list[Item] = []
        self.boxes = _boxes(blocks, pieces, measure, height, self.items)
        self.end = self.boxes[-1].bottom if self.boxes else 0.0

    def run(self) -> Pages:
        boxes, height = self.boxes, self.height
        starts = [0.0]
        shift = [0.0] * (len(boxes) + 1)  # where the plan's document differs from the built one
        first = i = 0  # the first box on the page, the box being placed
        page = 0.0
        while i < len(boxes):
            box = boxes[i]
            top, bottom = box.top + shift[i], box.bottom + shift[i]
            if box.table >= 0:
                placed = self._table(box, page + height - top, i == first)
                if placed is not None:
                    heights, tops = placed
                    for k in range(1, len(heights)):  # each continuation begins a page
                        page = tops[k] + shift[i] if tops else page + height  # (a plan to build: virtual)
                        starts.append(page)
                        first = i
                    shift[i + 1] = (page if len(heights) > 1 else top) + heights[-1] - box.bottom
                    i += 1
                    continue
                bottom = float("inf")  # it cannot begin here: as if it did not fit
            if box.blank or bottom - page <= height + EPS:
                shift[i + 1] = shift[i]
                i += 1
                continue
            k = self._break(first, i)
            if k is None:  # one box taller than a page: cut it at the page's foot
                page += height
                starts.append(page)
                first = i
                continue
            first = i = k
            page = boxes[k].top + shift[k]
            starts.append(page)
        if self.replan and (self.cuts != self.old.cuts or self.extra != self.old.extra):
            self.plan = PagePlan(self.cuts, self.extra)
        ends = [*starts[1:], max(self.end + shift[-1], starts[-1])]
        return list(zip(starts, ends))

    def _break(self, first: int, i: int) -> int | None:
        """Where the next page begins when box ``i`` does not fit on the page that begins with box
        ``first``: the last box that may begin a page, else box ``i`` itself (if not the first)."""
        for k in range(i, first, -1):
            if not self.boxes[k].blank and not self.boxes[k].keep:
                return k
        return i if i > first else None

    def _table(self, box: _Box, space: float, fresh: bool) -> tuple[list[float], list[float]] | None:
        """Plan the parts of a long table that starts ``space`` above the page's foot: the heights of
        its parts (as built when the built cuts are the planned ones) and the tops of the built parts;
        None when the table should begin on a new page."""
        model = self.models[box.table]
        built = tuple(part.source_rows[len(part.block.header_rows)] for part, _, _ in box.parts[1:])
        cuts = self._cuts(box.table, model, space, fresh) if self.replan else built
        if cuts is None:
            return None
        self.cuts[box.table] = cuts
        if cuts != built:
            return [self._predict(box.table, model, rows) for rows in _part_rows(model.block, cuts)], []
        heights = [h for _, _, h in box.parts]
        tops = [t for _, t, _ in box.parts]
        rooms = [space] + [self.height] * (len(heights) - 1)
        for (part, _, h), room in zip(box.parts, rooms):
            rows = list(part.source_rows)
            if h > room + EPS and self.replan and len(rows) > len(part.block.header_rows) + 1:
                # built taller than predicted (a label the rows could not hold): remember, plan again
                key = (box.table, rows[len(part.block.header_rows)])
                self.extra[key] = self.extra.get(key, 0.0) + max(0.0, h - self._predict(box.table, model, rows)) + 1
        return heights, tops

    def _predict(self, table: int, model: _RowModel, rows: list[int]) -> float:
        start = rows[len(model.block.header_rows)] if len(rows) > len(model.block.header_rows) else -1
        return model.height(rows) + self.extra.get((table, start), 0.0)

    def _cuts(self, table: int, model: _RowModel, space: float, fresh: bool) -> tuple[int, ...] | None:
        """The rows before which the table's parts begin (see the module's rules): every part as
        full as its page allows. Every part shows the header rows (a continuation restates them)."""
        head = list(model.block.header_rows)
        body = [r for r in range(model.block.rows) if r not in model.block.header_rows]
        cuts: list[int] = []
        start = 0
        while True:
            if self._predict(table, model, head + body[start:]) <= space + EPS:
                return tuple(cuts)
            fitting = [e for e in range(start + 1, len(body))
                       if self._predict(table, model, head + body[start:e]) <= space + EPS]
            good = [e for e in fitting if len(body) - e >= LAST_ROWS and (start or e >= FIRST_ROWS)]
            if good:
                end = good[-1]
            elif start == 0 and not fresh:
                return None  # fewer than FIRST_ROWS fit here: the table begins on the next page
            else:
                end = fitting[-1] if fitting else start + 1  # a page cannot hold the rows asked for
            cuts.append(body[end])
            start, space = end, self.height


def _long(block: Block) -> bool:
    """A table that is cut across pages (表三), not kept whole."""
    return isinstance(block, TableBlock) and not block.keep_whole


def _part_rows(block: TableBlock, cuts: tuple[int, ...]) -> list[list[int]]:
    header = list(block.header_rows)
    bounds = [0, *cuts, block.rows]
    return [(header if a else []) + list(range(a, b)) for a, b in zip(bounds, bounds[1:])]


def _boxes(blocks: list[Block], pieces: list[Piece], measure: _Measure, height: float,
           items: list[Item]) -> list[_Box]:
    """The boxes of the built document in order, with the rules of the module's docstring as
    ``keep`` flags; what there is to draw goes into ``items``."""
    boxes: list[_Box] = []
    end = 0.0  # the foot of the last box: tables have no position of their own (see _Measure)
    by_block: dict[int, list[Piece]] = {}
    for p in pieces:
        by_block.setdefault(p.index, []).append(p)
    for i, block in enumerate(blocks):
        after_heading = i > 0 and isinstance(blocks[i - 1], Heading)
        before_signature = (i + 1 < len(blocks) and isinstance(blocks[i + 1], Signature)
                            and (blocks[i + 1].agency or blocks[i + 1].date))
        first_box = len(boxes)
        long_table: _Box | None = None
        for p in by_block.get(i, []):
            if p.table is not None:
                h = measure.height(p.table)
                items.append(Item(end, end + h))
                if _long(block):
                    if long_table is None:
                        long_table = _Box(end, end, keep=after_heading, table=i)
                        boxes.append(long_table)
                    long_table.parts.append((p.part, end, h))
                    end += h  # the hairline between parts is ~0.1 px: it is in the next part's top
                    long_table.bottom = end
                    continue
                boxes.append(_Box(end, end + h, keep=after_heading))
                end += h
                continue
            top, pitch, lines = measure.lines(p.block)
            items.append(Item(top, top + lines * pitch, p.block, pitch))
            if long_table is not None:
                long_table.bottom = top  # the built parts end where the paragraph after them begins
                long_table = None
            for n in range(lines):
                boxes.append(_Box(top + n * pitch, top + (n + 1) * pitch, blank=p.blank,
                                  keep=len(boxes) > first_box or (after_heading and not p.blank)))
            end = top + lines * pitch
        own = boxes[first_box:]
        if isinstance(block, Paragraph) and own:
            n = len(own)
            short = before_signature and own[-1].bottom - own[0].top < height / 2
            for k, box in enumerate(own):
                box.keep = after_heading if k == 0 else (short or k < 2 or n - k < 2)
        elif isinstance(block, Signature):
            for box in own:
                box.keep = not box.blank  # a signature never begins a page by itself
    return boxes
