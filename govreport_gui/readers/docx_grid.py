"""Reading a DOCX body as blocks: paragraphs (text) and tables (grids with merges expanded).

lxml over the zip directly: python-docx is not needed to read, and this is ~10× faster on the
three tables. Merged cells are repeated into every grid position they cover, as Word shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..report.native import FileFormatError
from .zip_limits import scan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_ROW_CELLS = 64  # grid positions kept per table row (the widest official table has 11)
MAX_TABLE_ROWS = 1000  # rows kept per table (表三, the longest, has 30)
MAX_MERGED_POSITIONS = 100_000  # grid positions filled by merges in one document (a real report: ~1,000)
MAX_CELL_CHARS = 2_000  # characters kept of one table cell (a label or a number; a note: a few hundred)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


@dataclass
class Para:
    text: str


@dataclass
class Grid:
    rows: list[list[str]]  # every grid position's text, merges repeated

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


class MergeBudget:
    """Grid positions a document's merges may fill, counted before they are expanded (and the same
    for a web page's rowspan/colspan): one long text under 64,000 merged positions took minutes."""

    def __init__(self, name: str, limit: int = MAX_MERGED_POSITIONS) -> None:
        self.name, self.left = name, limit

    def spend(self, positions: int) -> None:
        self.left -= positions
        if self.left < 0:
            raise FileFormatError(f"“{self.name}”中的合并单元格过多（超过 {MAX_MERGED_POSITIONS:,} 个位置），"
                                  "不像年度报告的表格，已拒绝打开")


def cell_text(text: str) -> str:
    """A table cell's text as the table reader keeps it: at most :data:`MAX_CELL_CHARS` characters."""
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]


def _text(el: etree._Element) -> str:
    """Visible text of a paragraph or cell: w:t, tabs and breaks; not deleted text, not fields."""
    out = []
    for node in el.iter(W + "t", W + "tab", W + "br", W + "cr", W + "p"):
        tag = node.tag
        if tag == W + "t":
            out.append(node.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag == W + "p" and out:
            out.append("\n")  # paragraphs inside one table cell
        else:
            out.append("\n")
    return "".join(out).strip("\n")


def _children(el: etree._Element, tag: str):  # type: ignore[no-untyped-def]
    """Direct children of ``tag``, looking through content controls (w:sdt) and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml", W + "smartTag"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _children(content, tag)


def _span(value: str | None, default: int) -> int:
    """A gridSpan/gridBefore count, bounded: Word allows at most 63 columns."""
    try:
        return max(0, min(MAX_ROW_CELLS, int(value or default)))
    except ValueError:  # "abc", "1.5": Word ignores it
        return default


def _grid(tbl: etree._Element, budget: MergeBudget) -> Grid:
    rows: list[list[str]] = []
    for tr in _children(tbl, W + "tr"):
        if len(rows) >= MAX_TABLE_ROWS:
            break
        row: list[str] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            row.extend([""] * _span(before.get(W + "val"), 0))
        for tc in _children(tr, W + "tc"):
            if len(row) >= MAX_ROW_CELLS:
                break
            props = tc.find(W + "tcPr")
            span, vmerge = 1, None
            if props is not None:
                gs = props.find(W + "gridSpan")
                if gs is not None:
                    span = max(1, _span(gs.get(W + "val"), 1))
                vm = props.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val", "continue")
            col = len(row)
            span = min(span, MAX_ROW_CELLS - col)
            if vmerge == "continue" and rows and col < len(rows[-1]):
                text = rows[-1][col]  # the cell above carries a vertical merge's text
                budget.spend(span)
            else:
                text = cell_text(_text(tc))
                budget.spend(span - 1)
            row.extend([text] * span)
        rows.append(row)
    return Grid(rows)


def read_blocks(path: Path) -> list[Para | Grid]:
    """The body of a DOCX in reading order; broken files raise a Chinese :class:`FileFormatError`."""
    name = path.name
    part = "word/document.xml"
    xml = scan(path, "Word 文档（.docx）", keep=(part,)).members.get(part)
    if xml is None:
        raise FileFormatError(f"“{name}”不是 Word 文档（.docx）：缺少正文部分 word/document.xml")
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        raise FileFormatError(f"“{name}”的正文已损坏（XML 无法解析），请在 Word/WPS 中打开后另存为 .docx 再导入") from None
    body = root.find(W + "body")
    if body is None:
        raise FileFormatError(f"“{name}”没有正文内容")
    blocks: list[Para | Grid] = []
    budget = MergeBudget(name)
    for el in body.iter(W + "p", W + "tbl"):
        if el.tag == W + "tbl":
            if _inside(el, W + "tbl"):
                continue  # a table nested in a table cell: its text is part of that cell
            blocks.append(_grid(el, budget))
        elif not _inside(el, W + "tbl"):
            blocks.append(Para(_text(el)))
    return blocks


def _inside(el: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False
