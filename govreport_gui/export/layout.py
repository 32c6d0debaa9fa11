"""One neutral layout of the report — title, headings, paragraphs, tables with spans, signature —
that the DOCX, HTML and printed (Qt) writers all render, so they can never disagree on content.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Union

from ..report.document import Report
from ..report.headings import split_lead
from ..report.schema import DataCell, Table
from ..report.title import title_lines

# A table of at most this many rows stays on one page (表二, 表四); a longer one (表三) breaks
# between rows and repeats its header rows, as in the DOCX.
SMALL_TABLE_ROWS = 16
# A long table cut across pages: it begins on a new page unless this many of its rows fit below
# what precedes it, and its last page holds at least this many rows (issue 21.10: 表三 began with
# 2 rows at the foot of a page and ended with 3 rows alone on another).
FIRST_ROWS = 5
LAST_ROWS = 5


@dataclass(frozen=True)
class Title:
    text: str

    @property
    def lines(self) -> list[str]:
        return title_lines(self.text)


@dataclass(frozen=True)
class Heading:
    text: str  # “一、总体情况”


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # a run-in sub-heading printed in 楷体 before ``text``
    lead_kind: str = ""  # "sub" for （一）, "item" for 1.


@dataclass(frozen=True)
class LayoutCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    label: bool
    key: str | None = None


@dataclass(frozen=True)
class TableBlock:
    id: str
    rows: int
    cols: int
    widths_mm: tuple[float, ...]
    cells: tuple[LayoutCell, ...]
    header_rows: tuple[int, ...]
    group_rows: tuple[int, ...]


    @property
    def keep_whole(self) -> bool:
        return self.rows <= SMALL_TABLE_ROWS


@dataclass(frozen=True)
class TablePart:
    """The rows of a table that one page shows, as a table of its own."""

    block: TableBlock
    source_rows: tuple[int, ...]  # for each row of ``block``, its row in the whole table
    continued: bool  # not the first part: starts a new page, with the header rows restated


def table_parts(block: TableBlock, starts: list[int] | tuple[int, ...] = ()) -> list[TablePart]:
    """``block`` cut before each row in ``starts`` (one part per page). A continuation part
    begins with the header rows again, and a label merged across a cut (表三's
    “三、本年度办理结果”, “（五）不予处理”) is restated in every part it reaches, clipped to it."""
    cuts = sorted({r for r in starts if 0 < r < block.rows and r not in block.header_rows})
    bounds = [0, *cuts, block.rows]
    parts = []
    for start, stop in zip(bounds, bounds[1:]):
        rows = [r for r in block.header_rows if r < start] + list(range(start, stop))
        at = {r: i for i, r in enumerate(rows)}
        cells = []
        for c in block.cells:
            mine = [at[r] for r in range(c.row, c.row + c.rowspan) if r in at]
            if mine:  # header rows and body rows never share a merged cell: ``mine`` is contiguous
                cells.append(replace(c, row=mine[0], rowspan=len(mine)))
        part = TableBlock(block.id, len(rows), block.cols, block.widths_mm, tuple(cells),
                          tuple(at[r] for r in block.header_rows if r in at),
                          tuple(at[r] for r in block.group_rows if r in at))
        parts.append(TablePart(part, tuple(rows), start > 0))
    return parts


@dataclass(frozen=True)
class Signature:
    agency: str
    date: str  # “2026年1月16日”


Block = Union[Title, Heading, Paragraph, TableBlock, Signature]  # Union: Python 3.9 (信创 build)


@dataclass
class Layout:
    blocks: list[Block] = field(default_factory=list)
    fingerprint: str = ""
    title: str = ""
    draft: bool = False  # the report still has errors: printed pages carry a watermark


def table_block(report: Report, table: Table) -> TableBlock:
    cells = [LayoutCell(c.row, c.col, c.rowspan, c.colspan, c.text, True) for c in table.labels]
    cells += [
        LayoutCell(c.row, c.col, c.rowspan, c.colspan, report.display(c.key), False, c.key)
        for c in table.cells
        if isinstance(c, DataCell)
    ]
    cells.sort(key=lambda c: (c.row, c.col))
    return TableBlock(table.id, table.rows, table.cols, table.widths_mm, tuple(cells), table.header_rows,
                      table.group_rows)


def build(report: Report, draft: bool = False) -> Layout:
    """The report as blocks in reading order."""
    layout = Layout(fingerprint=report.fingerprint(), title=report.meta.effective_title(), draft=draft)
    add = layout.blocks.append
    add(Title(layout.title))
    for section in report.schema.sections:
        add(Heading(section.heading))
        if section.kind == "table":
            add(table_block(report, report.schema.tables[section.id]))
            continue
        for para in report.paragraphs(section.id):  # live figure fields print as their values
            lead, rest, kind = split_lead(para.strip())
            add(Paragraph(rest, lead, kind))
    add(Signature(report.meta.agency.strip(), report.meta.date_chinese()))
    return layout
