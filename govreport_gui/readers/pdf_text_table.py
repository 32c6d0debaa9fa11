"""A table drawn without ruling lines, rebuilt from where its words stand.

Used for the region under a table's heading (二、/三、/四、) when no drawn table there is that
table. The grid it makes is read by the same label-driven reader:

- **data columns**: numbers cluster by their centres; a header word over no number (a column of
  blanks) adds a column; everything left of the first column is the label area;
- **cells**: words that overlap horizontally and follow each other closely down the page are one
  cell (a wrapped label, a header broken over lines); a number or a numbered label starts anew;
- **rows**: each label reaching the rightmost label column (``1.属于国家秘密``, ``一、本年新收…``)
  starts a row that runs to the next one (or the page's end); numbers fall into the row their
  centre is in. A group label (``（三）不予公开``) belongs to the run of rows numbered 1., 2., …
  beside it, as in the merged cell it was printed in; text above the first row is the header.

Whatever cannot be placed without guessing is refused with the reason (:class:`TextTableError`):
two numbers in one row and column, a number above the first row label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..report.numbers import is_blank_zero
from .pdf_content import Glyph
from .pdf_layout import NUMBER, NUMBERING, Line, PdfGrid, split_words

PAGE = 100_000.0  # pages stacked: a position on page n is n * PAGE + its top
_ITEM = re.compile(r"^(\d+)[.．、]")


class TextTableError(Exception):
    """A table without lines that cannot be read without guessing (Chinese)."""


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def numeric(self) -> bool:
        t = "".join(self.text.split())
        return bool(NUMBER.match(t)) or (is_blank_zero(t) and not re.search(r"[\u4e00-\u9fff]", t))


@dataclass(eq=False)
class Cell:
    words: list[Word] = field(default_factory=list)
    cols: tuple[int, int] = (0, 0)  # data columns [first, last) it covers; (0, 0) in the label area
    starter: bool = False

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.page * PAGE + w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.page * PAGE + w.bottom for w in self.words)

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def numeric(self) -> bool:
        return len(self.words) == 1 and self.words[0].numeric


def _words(lines: list[Line]) -> list[Word]:
    out = []
    for line in lines:
        start = 0
        for token in split_words(line.glyphs):
            # split_words cuts where glyphs stand a third of their size apart: find the glyphs back
            glyphs: list[Glyph] = []
            text = ""
            while start < len(line.glyphs) and text != token:
                g = line.glyphs[start]
                start += 1
                if g.text.isspace():
                    continue
                glyphs.append(g)
                text += g.text
            if glyphs:
                out.append(Word(token, glyphs[0].x0, max(g.x1 for g in glyphs), min(g.top for g in glyphs),
                                max(g.bottom for g in glyphs), max(g.size for g in glyphs), line.page))
    return out


def _clusters(words: list[Word], size: float) -> list[list[Word]]:
    """Numbers of one column: centres closer than a character apart (centred or right-aligned)."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.cx):
        if out and w.cx - out[-1][-1].cx <= size:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def text_grid(lines: list[Line], first_id: int) -> PdfGrid | None:
    """The region's lines as a grid, or None when there is no number to anchor columns on."""
    words = _words(lines)
    numbers = [w for w in words if w.numeric and NUMBER.match("".join(w.text.split()))]
    if not numbers:
        return None
    size = sorted(w.size for w in words)[len(words) // 2]
    groups = _clusters(numbers, size)
    centres = [sum(w.cx for w in g) / len(g) for g in groups]
    # the label area ends half a column left of the first column of numbers
    left_edge = min(w.x0 for w in groups[0]) - 0.5 * size
    if len(centres) > 1:
        left_edge = min(left_edge, centres[0] - (centres[1] - centres[0]) / 2)
    # columns of blanks: a header word right of the labels over no number
    extents = [(min(w.x0 for w in g), max(w.x1 for w in g)) for g in groups]
    for w in words:
        if not w.numeric and w.cx >= left_edge and not any(w.x0 - 1 <= c <= w.x1 + 1 for c in centres):
            centres.append(w.cx)
            extents.append((w.x0, w.x1))
    order = sorted(range(len(centres)), key=lambda i: centres[i])
    centres = [centres[i] for i in order]
    extents = [extents[i] for i in order]
    bounds = [left_edge]
    for (_, a1), (b0, _) in zip(extents, extents[1:]):
        bounds.append((a1 + b0) / 2)
    bounds.append(max(extents[-1][1], max(w.x1 for w in words)) + 0.5 * size)
    ncols = len(centres)

    def columns(w: Word) -> tuple[int, int]:
        if w.numeric:
            c = min(range(ncols), key=lambda i: abs(centres[i] - w.cx))
            return (c, c + 1)
        inside = [i for i, c in enumerate(centres) if w.x0 - 1 <= c <= w.x1 + 1]
        if inside:
            return (inside[0], inside[-1] + 1)
        c = next((i for i in range(ncols) if bounds[i] <= w.cx <= bounds[i + 1]), 0)
        return (c, c + 1)

    labels = [w for w in words if w.cx < left_edge]
    data = [w for w in words if w.cx >= left_edge]
    item_x = _item_edge(labels, size)
    cells = _cells(labels, size, lambda w: (0, 0)) + _cells(data, size, columns)
    for cell in cells:
        if cell.cols == (0, 0):
            cell.starter = cell.x1 > item_x + 1
    starters = sorted((c for c in cells if c.starter), key=lambda c: c.top)
    header: list[list[Cell]] = []  # header levels, top to bottom
    first_top = {}
    for s in starters:
        first_top.setdefault(s.page, s.top)
    rows: list[dict] = [{"label": s, "group": [], "cols": {}} for s in starters]  # cols: column → cell
    side: list[tuple[Cell, dict]] = []  # labels left of the row labels, with the row they are beside
    for cell in sorted(cells, key=lambda c: c.top):
        if cell.starter:
            continue
        home = _band(cell, starters)
        if home is None:
            if cell.numeric and starters:
                raise TextTableError(f"第{cell.page}页没有表格线的表格中，数字“{cell.text}”在该页第一行的行名之上，"
                                     "无法确定它属于哪一行")
            if starters and cell.page != starters[0].page:
                continue  # a header restated on the next page
            _level(header, cell, size)
            continue
        row = next(r for r in rows if r["label"] is home)
        if cell.cols == (0, 0):
            side.append((cell, row))
            continue
        if not cell.numeric and (cell.top > home.bottom or cell.bottom < home.top):
            # text beside no row label (表二's “第二十条第（五）项” between its parts): a row of its own
            rows.insert(rows.index(row) + 1, {"label": None, "group": [], "cols": dict.fromkeys(range(*cell.cols), cell)})
            continue
        placed = row["cols"]
        for c in range(*cell.cols):
            old = placed.get(c)
            if old is not None and (old.numeric or cell.numeric):
                raise TextTableError(f"第{cell.page}页没有表格线的表格中，“{home.text[:16]}”一行的同一列有两个内容"
                                     f"（“{old.text}”“{cell.text}”），无法确定各自属于哪一格")
            placed[c] = cell
    rows = _no_restated(header, rows)
    kept = [r["label"] for r in rows if r["label"] is not None]
    runs = _runs(kept)
    for cell, row in side:
        run = next((r for r in runs if r[0].top - size <= cell.centre <= r[-1].bottom + size), None)
        targets = [x for x in rows if x["label"] in run] if run else [row]
        for t in targets:
            t["group"].append(cell)
    _header_spans(header, centres, bounds)
    return _grid(header, rows, ncols, first_id, sorted({w.page for w in words}))


def _header_spans(header: list[list[Cell]], centres: list[float], bounds: list[float]) -> None:
    """A header printed centred over the columns it heads spans as far on each side as it can:
    to its parent's edges (the header above it whose span holds its centre; the table's for the
    top one) or its neighbours' text on the same line, whichever is nearer."""
    spans: list[tuple[float, float, Cell]] = []  # (left, right, cell) of the levels done
    for level in header:
        data = sorted((c for c in level if c.cols != (0, 0)), key=lambda c: (c.x0 + c.x1) / 2)
        done = []
        for i, cell in enumerate(data):
            cx = (cell.x0 + cell.x1) / 2
            parent = next((sp for sp in reversed(spans) if sp[0] <= cx <= sp[1]), (bounds[0], bounds[-1], None))
            left = max(parent[0], data[i - 1].x1 if i else parent[0])
            right = min(parent[1], data[i + 1].x0 if i + 1 < len(data) else parent[1])
            half = max(min(cx - left, right - cx), (cell.x1 - cell.x0) / 2)
            inside = [k for k, c in enumerate(centres) if cx - half - 1 <= c <= cx + half + 1]
            if inside:
                cell.cols = (min(inside[0], cell.cols[0]), max(inside[-1] + 1, cell.cols[1]))
            done.append((cx - half, cx + half, cell))
        spans.extend(done)


def _texts(row: dict) -> set[str]:
    cells = [row["label"], *row["group"], *row["cols"].values()]
    return {"".join(c.text.split()) for c in cells if c is not None}


def _no_restated(header: list[list[Cell]], rows: list[dict]) -> list[dict]:
    """Rows at the top of a later page that only repeat the header (a restated header)."""
    def numeric(row: dict) -> bool:
        return any(c.numeric for c in row["cols"].values())

    seen = {"".join(c.text.split()) for level in header for c in level}
    first_page = None
    out = []
    data_seen: set[int] = set()
    for row in rows:
        page = (row["label"] or next(iter(row["cols"].values()))).page
        if first_page is None:
            first_page = page
        if numeric(row):
            data_seen.add(page)
        elif page == first_page and page not in data_seen:
            seen |= _texts(row)
        elif page != first_page and page not in data_seen and _texts(row) <= seen:
            continue
        out.append(row)
    return out


def _item_edge(labels: list[Word], size: float) -> float:
    """Where the rightmost label column starts: the largest left edge shared by two or more
    labels that few labels cross (those are labels spanning the label columns)."""
    best = min((w.x0 for w in labels), default=0.0)
    starts = sorted(w.x0 for w in labels)
    for x in starts:
        same = sum(1 for s in starts if abs(s - x) <= 2)
        crossing = sum(1 for w in labels if w.x0 < x - 2 and w.x1 > x + 2)
        if same >= 2 and crossing <= max(2, len(labels) // 4) and x > best:
            best = x
    return best


def _cells(words: list[Word], size: float, columns) -> list[Cell]:  # type: ignore[no-untyped-def]
    """Words into cells: one below another, overlapping and close, is the same cell, unless it
    is a number or starts a numbered label."""
    cells: list[Cell] = []
    for w in sorted(words, key=lambda w: (w.page, w.top, w.x0)):
        cols = columns(w)
        home = None
        if not w.numeric and not NUMBERING.match(w.text):
            for c in reversed(cells):
                last = c.words[-1]
                if (not c.numeric and last.page == w.page and c.cols == cols and w.top - last.bottom < 0.6 * size
                        and w.top > last.top + 0.3 * size and min(last.x1, w.x1) - max(last.x0, w.x0) > 0):
                    home = c
                    break
        if home is None:
            cells.append(Cell([w], cols))
        else:
            home.words.append(w)
    return cells


def _runs(starters: list[Cell]) -> list[list[Cell]]:
    """Starters numbered 1., 2., 3. … in a row: the items of one group label."""
    runs: list[list[Cell]] = []
    expect = 0
    for s in starters:
        m = _ITEM.match("".join(s.text.split()))
        n = int(m.group(1)) if m else None
        if n == 1:
            runs.append([s])
            expect = 2
        elif n is not None and n == expect and runs:
            runs[-1].append(s)
            expect += 1
        else:
            expect = 0
    return runs


def _band(cell: Cell, starters: list[Cell]) -> Cell | None:
    """The starter whose row the cell's centre is in (rows end at the next row or the page's end)."""
    home = None
    for s in starters:
        if s.page == cell.page and s.top - 0.5 * s.words[0].size <= cell.centre:
            home = s
        elif s.page > cell.page:
            break
    return home


def _level(header: list[list[Cell]], cell: Cell, size: float) -> None:
    for level in header:
        if abs(level[0].top - cell.top) <= 0.5 * size:
            level.append(cell)
            return
    header.append([cell])
    header.sort(key=lambda lv: lv[0].top)


def _grid(header: list[list[Cell]], rows: list[dict], ncols: int, first_id: int, pages: list[int]) -> PdfGrid:
    ids_of: dict[int, int] = {}
    texts: dict[int, str] = {}

    def ident(cell: Cell) -> int:
        key = id(cell)
        if key not in ids_of:
            ids_of[key] = first_id + len(ids_of)
            texts[ids_of[key]] = cell.text
        return ids_of[key]

    out_ids: list[list[int]] = []
    for level in header:
        row = [-1] * (2 + ncols)
        for cell in level:
            if cell.cols == (0, 0):
                row[0] = row[1] = ident(cell)
            else:
                for c in range(*cell.cols):
                    row[2 + c] = ident(cell)
        out_ids.append(row)
    for r in rows:
        row = [-1] * (2 + ncols)
        groups = r["group"]
        if groups:
            row[0] = ident(max(groups, key=lambda c: c.x1))
        if r["label"] is not None:
            row[1] = ident(r["label"])
        if row[0] < 0:
            row[0] = row[1]
        for c, cell in r["cols"].items():
            row[2 + c] = ident(cell)
        out_ids.append(row)
    grid_rows = [[texts.get(i, "") if i >= 0 else "" for i in row] for row in out_ids]
    return PdfGrid(grid_rows, out_ids, texts, tuple(pages))
