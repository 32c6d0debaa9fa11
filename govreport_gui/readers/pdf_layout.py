"""A PDF's pages (glyphs and ruling lines, :mod:`.pdf_content`) as the paragraphs and text grids
that a DOCX gives (``docx_grid.Para``/``Grid``), so the same label-driven reader reads them.

- **Tables drawn with lines**: the lines are snapped and joined, their crossings found, and every
  smallest rectangle whose four sides are drawn is a cell (as pdfplumber does); a cell spanning
  several columns or rows is repeated into each position, as a merged DOCX cell is.
- **Tables continued on the next page** are joined: a restated header is dropped, a merged label
  cut by the page break carries on, a row broken across the break is put back together.
- **Text**: glyphs drawn twice (Qt's and Word's bold) count once; glyphs make lines, lines make
  paragraphs by indent, short last lines and gaps; running headers and page numbers are dropped.
- A cell holding two separate numbers (a line missing between two cells) is never read as one
  number: its numbers are kept apart (``3、5``), which the reader reports as not a number.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .docx_grid import Grid, Para
from .docx_import import heading_of
from .pdf_content import Glyph, PageContent
from .pdf_limits import TooMuch

SNAP = 1.5  # points: lines this close are one line
JOIN = 2.5  # points: segments of a line with a gap this small are one segment
MAX_CROSSINGS = 4_000_000  # horizontal × vertical lines compared on one page (a 表三 page: ~1,000)
NUMBER = re.compile(r"^[0-9０-９][0-9０-９.,，．]*$")
NUMBERING = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－_~·\s]*\d+[-—–－_~·\s]*|第\s*\d+\s*页.*|\d+\s*/\s*\d+|共\s*\d+\s*页.*|Page\s*\d+.*)$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class PdfGrid(Grid):
    """A grid read from a PDF; ``ids`` names the drawn cell behind every position and ``texts``
    their text, so that a check can count every cell once whatever it spans."""

    ids: list[list[int]] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    pages: tuple[int, ...] = ()  # 1-based pages the table is on


@dataclass
class Line:
    glyphs: list[Glyph]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    mid: float = 0.0  # the median glyph's vertical centre: what line spacing is measured by (a line's
    # top moves with the fonts in it: Ghostscript sets digits 1.3 pt above the Chinese beside them)


@dataclass
class Table:
    """One drawn table on one page: column and row boundaries, each position's cell id."""

    page: int
    xs: list[float]
    ys: list[float]
    ids: list[list[int]]  # rows × columns; -1 where no cell was drawn
    texts: dict[int, str]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]


# --- glyphs and lines ----------------------------------------------------------------------------

def dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs drawn twice, a fraction of a point apart (simulated bold), kept once."""
    seen: dict[tuple[str, int], list[Glyph]] = {}
    out = []
    for g in glyphs:
        key = round(g.top)
        twin = False
        for k in (key - 1, key, key + 1):
            for h in seen.get((g.text, k), ()):
                if abs(h.x0 - g.x0) < 1.0 and abs(h.top - g.top) < 1.0:
                    twin = True
                    break
            if twin:
                break
        if not twin:
            seen.setdefault((g.text, key), []).append(g)
            out.append(g)
    return out


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines (by vertical centre), each sorted left to right, top to bottom."""
    rows: list[list[Glyph]] = []
    centre = 0.0
    size = 0.0
    for g in sorted(glyphs, key=lambda g: (g.cy, g.x0)):
        if rows and abs(g.cy - centre) <= 0.4 * max(size, g.size, 1.0):
            rows[-1].append(g)
            continue
        rows.append([g])
        centre, size = g.cy, g.size
    return [sorted(r, key=lambda g: g.x0) for r in rows]


def _wordy(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _text(glyphs: list[Glyph]) -> str:
    """A line's text: a space where the PDF drew one (collapsed), or where two Latin words or
    numbers stand apart; CJK never gets a space from its spacing."""
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        t = g.text
        if t.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            prev = None
            continue
        if prev is not None and out and out[-1] != " ":
            gap = g.x0 - prev.x1
            if gap > 0.25 * max(g.size, prev.size) and _wordy(prev.text[-1:]) and _wordy(t[:1]):
                out.append(" ")
        out.append(t)
        prev = g
    return "".join(out).strip()


def split_words(glyphs: list[Glyph]) -> list[str]:
    """A line cut where glyphs stand apart by a third of their size or more (or at a space)."""
    tokens: list[str] = []
    current = ""
    prev: Glyph | None = None
    for g in glyphs:
        if g.text.isspace():
            prev = None
            if current:
                tokens.append(current)
                current = ""
            continue
        if prev is not None and g.x0 - prev.x1 > 0.33 * max(g.size, prev.size) and current:
            tokens.append(current)
            current = ""
        current += g.text
        prev = g
    if current:
        tokens.append(current)
    return tokens


def make_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    out = []
    for row in _lines(glyphs):
        text = _text(row)
        if not text:
            continue
        sizes = sorted(g.size for g in row)
        mids = sorted(g.cy for g in row)
        out.append(Line(row, text, row[0].x0, max(g.x1 for g in row), min(g.top for g in row),
                        max(g.bottom for g in row), sizes[len(sizes) // 2], page, mids[len(mids) // 2]))
    return out


def cell_text(glyphs: list[Glyph], problems: list[str], page: int) -> str:
    """A cell's text: its lines joined (a wrapped label is one label); two numbers standing apart
    are kept apart and named in ``problems``."""
    rows = _lines(glyphs)
    tokens = [t for row in rows for t in split_words(row)]
    if len(tokens) > 1 and all(NUMBER.match(t) for t in tokens):
        problems.append(f"第{page}页的表格中有一格写着几个分开的数字（{'、'.join(tokens)}），可能缺少表格线，"
                        "已原样保留，请对照 PDF 改正")
        return "、".join(tokens)
    parts = [_text(row) for row in rows]
    joined = ""
    for part in parts:
        if joined and _wordy(joined[-1]) and _wordy(part[:1]):
            joined += " "
        joined += part
    return joined


# --- ruling lines → cells → tables ---------------------------------------------------------------

def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Segments (position, start, end) snapped onto common positions and joined along them."""
    out: list[tuple[float, float, float]] = []
    group: list[tuple[float, float, float]] = []

    def flush() -> None:
        if not group:
            return
        pos = sorted(s[0] for s in group)[len(group) // 2]
        spans = sorted((s[1], s[2]) for s in group)
        a, b = spans[0]
        for s, e in spans[1:]:
            if s <= b + JOIN:
                b = max(b, e)
            else:
                out.append((pos, a, b))
                a, b = s, e
        out.append((pos, a, b))
        group.clear()

    for seg in sorted(segments):
        if group and seg[0] - group[-1][0] > SNAP:
            flush()
        group.append(seg)
    flush()
    return out


def find_tables(content: PageContent, page: int) -> list[tuple[Table, list[tuple[float, float, float, float]]]]:
    """The page's drawn tables, each with its cells' rectangles (x0, top, x1, bottom) by id."""
    hs = [h for h in _merge(content.hlines) if h[2] - h[1] > 2]
    vs = [v for v in _merge(content.vlines) if v[2] - v[1] > 2]
    if not hs or not vs:
        return []
    if len(hs) * len(vs) > MAX_CROSSINGS:
        raise TooMuch("表格线")
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for hi, (y, hx0, hx1) in enumerate(hs):
        for vi, (x, vy0, vy1) in enumerate(vs):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                hset, vset = points.setdefault((x, y), (set(), set()))
                hset.add(hi)
                vset.add(vi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for v in (*by_x.values(), *by_y.values()):
        v.sort()
    rects: list[tuple[float, float, float, float]] = []
    for (x, y), (h_here, v_here) in sorted(points.items(), key=lambda p: (p[0][1], p[0][0])):
        found = None
        for y2 in by_x[x]:
            if y2 <= y:
                continue
            if not (v_here & points[(x, y2)][1]):
                break  # the left side stops here: no taller cell either
            for x2 in by_y[y]:
                if x2 <= x:
                    continue
                if not (h_here & points[(x2, y)][0]):
                    break
                corner = points.get((x2, y2))
                if corner and (corner[0] & points[(x, y2)][0]) and (corner[1] & points[(x2, y)][1]):
                    found = (x, y, x2, y2)
                    break
            if found:
                break
        if found:
            rects.append(found)
    # cells that share a corner are one table
    parent = list(range(len(rects)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_of: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(rects):
        for c in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            j = corner_of.setdefault(c, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rects)):
        groups.setdefault(root(i), []).append(i)
    tables = []
    for members in groups.values():
        cells = [rects[i] for i in members]
        xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
        ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
        if len(cells) < 2:
            continue  # a box around some text, not a table (one row of a table continued is)
        col = {x: i for i, x in enumerate(xs)}
        row = {y: i for i, y in enumerate(ys)}
        ids = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for cid, (x0, y0, x1, y1) in enumerate(cells):
            for r in range(row[y0], row[y1]):
                for c in range(col[x0], col[x1]):
                    ids[r][c] = cid
        tables.append((Table(page, xs, ys, ids, {}), cells))
    return tables


def fill_tables(tables: list[tuple[Table, list[tuple[float, float, float, float]]]], glyphs: list[Glyph],
                problems: list[str]) -> list[Glyph]:
    """Put each glyph into the cell around its centre; return the glyphs outside every table."""
    outside = []
    inside: list[list[list[Glyph]]] = [[[] for _ in cells] for _, cells in tables]
    for g in glyphs:
        cx, cy = g.cx, g.cy
        for t, (table, cells) in enumerate(tables):
            if not (table.xs[0] <= cx <= table.xs[-1] and table.ys[0] <= cy <= table.ys[-1]):
                continue
            for i, (x0, y0, x1, y1) in enumerate(cells):
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    inside[t][i].append(g)
                    break
            break
        else:
            outside.append(g)
    for (table, _cells), held in zip(tables, inside):
        table.texts = {i: cell_text(gs, problems, table.page) for i, gs in enumerate(held)}
    return outside


# --- one table across pages ----------------------------------------------------------------------

def _norm(text: str) -> str:
    return "".join(text.split())


def _row_texts(table: Table, r: int) -> list[str]:
    return [_norm(table.texts.get(i, "")) if i >= 0 else "" for i in table.ids[r]]


def _columns(a: list[float], b: list[float]) -> list[float]:
    """The column boundaries of two parts of a table, snapped together."""
    out: list[float] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= 2 * SNAP:
            continue
        out.append(x)
    return out


def _spread(table: Table, xs: list[float]) -> list[list[int]]:
    """``table``'s positions on the common columns ``xs`` (a cell covers every column inside it)."""
    rows = []
    for ids in table.ids:
        row = []
        for u in range(len(xs) - 1):
            mid = (xs[u] + xs[u + 1]) / 2
            c = next((c for c in range(len(table.xs) - 1) if table.xs[c] <= mid <= table.xs[c + 1]), None)
            row.append(ids[c] if c is not None else -1)
        rows.append(row)
    return rows


@dataclass
class Joined:
    """A table being put together from its parts on consecutive pages."""

    xs: list[float]
    ids: list[list[int]]
    texts: dict[int, str]
    pages: list[int]
    first: Table  # the first part (its header rows are what a restated header repeats)
    x0: float
    x1: float
    last: Table | None = None  # the part on the latest page


def start(table: Table, offset: int) -> Joined:
    ids = [[i + offset if i >= 0 else -1 for i in row] for row in table.ids]
    texts = {i + offset: t for i, t in table.texts.items()}
    return Joined(list(table.xs), ids, texts, [table.page], table, table.xs[0], table.xs[-1], table)


def continues(joined: Joined, table: Table) -> bool:
    """Whether ``table`` (at the top of the next page) carries on ``joined``: the same width."""
    overlap = min(joined.x1, table.xs[-1]) - max(joined.x0, table.xs[0])
    return overlap > 0.8 * max(joined.x1 - joined.x0, table.xs[-1] - table.xs[0])


def append(joined: Joined, table: Table, offset: int) -> None:
    """Add the next page's part: without a restated header, with cut cells made whole."""
    first = joined.first
    skip = 0
    while (skip < len(table.ids) - 1 and skip < len(first.ids)
           and _row_texts(table, skip) == _row_texts(first, skip) and any(_row_texts(table, skip))):
        skip += 1
    if skip and not _header_only(first, skip):
        skip = 0  # the first rows match, but they are data: not a restated header
    xs = _columns(joined.xs, table.xs)
    old = _Table(joined.xs, joined.ids)
    mine = [[i + offset if i >= 0 else -1 for i in row] for row in table.ids[skip:]]
    texts = {i + offset: t for i, t in table.texts.items()}
    top = _spread(old, xs)
    bottom = _spread(_Table(table.xs, mine), xs)
    if top and bottom:
        _mend(top[-1], bottom, texts, joined.texts)
    joined.xs = xs
    joined.ids = top + bottom
    joined.texts.update(texts)
    joined.pages.append(table.page)
    joined.last = table


class _Table:
    """Just the boundaries and positions of a table, for :func:`_spread`."""

    def __init__(self, xs: list[float], ids: list[list[int]]) -> None:
        self.xs = xs
        self.ids = ids


def _header_only(table: Table, rows: int) -> bool:
    """Whether ``table``'s first ``rows`` rows hold no number (a header, not data)."""
    return not any(NUMBER.match(t) for r in range(rows) for t in _row_texts(table, r))


def _mend(last: list[int], rows: list[list[int]], texts: dict[int, str], before: dict[int, str]) -> None:
    """Join cells cut by the page break: ``last`` (the row before it) and ``rows`` (after it).

    - A row broken across the break: the first row after it continues labels of the row above
      (CJK text under CJK text, none starting a row with ``1.``, ``（一）``, ``一、``) and its
      numbers stand under empty cells; its texts are added to the row above and it becomes that row.
    - A merged label cut by the break: an empty cell under a label (CJK text) is that label."""
    if not rows:
        return
    head = rows[0]
    above = [_norm(before.get(i, "")) if i >= 0 else "" for i in last]
    below = [_norm(texts.get(i, "")) if i >= 0 else "" for i in head]
    broken = any(_CJK.search(t) for t in below) and not any(NUMBERING.match(t) for t in below)
    for a, b in zip(above, below):
        # a label goes on under a label; a number stands in the part where the other part is empty
        if (_CJK.search(b) and not (_CJK.search(a) and not NUMBER.match(a))) or (NUMBER.match(b) and a):
            broken = False
    pairs = [(a, b) for a, b in zip(last, head) if a >= 0 and b >= 0 and a != b]
    if broken:
        done: set[int] = set()
        for a, b in pairs:
            if b not in done:
                done.add(b)
                before[a] = before.get(a, "") + texts.get(b, "")
                _rename(rows, texts, b, a)
        if rows[0] == last:
            del rows[0]
        return
    for a, b in pairs:
        if head.count(b) and not _norm(texts.get(b, "")) and _CJK.search(before.get(a, "")):
            _rename(rows, texts, b, a)


def _rename(rows: list[list[int]], texts: dict[int, str], old: int, new: int) -> None:
    for row in rows:
        for u, i in enumerate(row):
            if i == old:
                row[u] = new
    texts.pop(old, None)


def to_grid(joined: Joined) -> PdfGrid:
    rows = [[joined.texts.get(i, "") if i >= 0 else "" for i in row] for row in joined.ids]
    return PdfGrid(rows, [list(r) for r in joined.ids], dict(joined.texts), tuple(joined.pages))


# --- paragraphs ----------------------------------------------------------------------------------

def is_running(line: Line, height: float, repeated: Counter[str]) -> bool:
    """A page number or running header/footer: in the top or bottom 9% of the page, and a page
    number or a text seen on several pages there."""
    if line.top > 0.09 * height and line.bottom < 0.91 * height:
        return False
    key = re.sub(r"\d+", "#", _norm(line.text))
    return bool(_PAGE_NUMBER.match(line.text.strip())) or repeated[key] >= 2


def running_keys(lines: list[Line], heights: dict[int, float]) -> Counter[str]:
    """How many pages show each (digits-blind) text in their top or bottom margins."""
    pages: dict[str, set[int]] = {}
    for line in lines:
        h = heights[line.page]
        if line.top <= 0.09 * h or line.bottom >= 0.91 * h:
            pages.setdefault(re.sub(r"\d+", "#", _norm(line.text)), set()).add(line.page)
    return Counter({k: len(v) for k, v in pages.items()})


@dataclass
class Margins:
    left: float
    right: float
    em: float
    pitch: float


def margins(lines: list[Line], widths: dict[int, float]) -> Margins:
    """The body's left and right margins, its size and line pitch, from all its lines."""
    if not lines:
        return Margins(0, 0, 12, 20)
    sizes = Counter(round(line.size) for line in lines)
    em = float(sizes.most_common(1)[0][0]) or 12.0
    # the leftmost start shared by many lines (first lines are indented, so not the commonest);
    # shared within a point, not by rounding (Ghostscript puts lines at 79.4999 and 79.5001)
    starts = sorted(line.x0 for line in lines)
    need = max(2, len(lines) // 10)
    left = next((x for x in starts if bisect_right(starts, x + 1.0) - bisect_left(starts, x - 1.0) >= need), starts[0])
    # full lines end at the right margin (justified CJK exactly, ragged text within a character);
    # text beyond the page's edge is a table cut off there, not the body
    ends = [line.x1 for line in lines if line.x1 <= widths.get(line.page, 1e9) + 1]
    right = max(ends) if ends else max(line.x1 for line in lines)
    # the pitch inside a paragraph: the smallest pitch between lines of the body size that recurs
    # (between spaced paragraphs it is larger)
    pitches = sorted(b.mid - a.mid for a, b in zip(lines, lines[1:])
                     if a.page == b.page and round(a.size) == round(b.size) == em and 0 < b.mid - a.mid < 4 * em)
    pitch = next((p for p, q in zip(pitches, pitches[1:]) if q - p <= 1.0), pitches[len(pitches) // 2] if pitches else 1.8 * em)
    return Margins(float(left), float(right), em, pitch)


def _centred(line: Line, m: Margins) -> bool:
    lead, trail = line.x0 - m.left, m.right - line.x1
    return lead > m.em and trail > m.em and abs(lead - trail) < max(3.0, 0.3 * m.em)


_NO_START = set("，。、；：？！）》」』”’,.;:?!)%")
_NO_END = set("（《「『“‘([【〔")  # opening punctuation may not end a line: it goes with what it opens
_SUB_HEADING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.．、](?!\d))")
_SENTENCE_END = ("。", "！", "？", "!", "?")


def _first_word(line: Line) -> float:
    """The width a line's first word needs: a run of Latin letters, digits and their punctuation
    (``87290606）。``), or one CJK character with the punctuation that may not start a line, and
    before either any opening punctuation (``（居）``)."""
    gs = line.glyphs
    if not gs:
        return 0.0
    end = 0
    while end < len(gs) - 1 and gs[end].text in _NO_END:
        end += 1
    latin = gs[end].text.isascii() and not gs[end].text.isspace()
    end += 1
    while end < len(gs) and (gs[end].text in _NO_START or (latin and gs[end].text.isascii() and not gs[end].text.isspace())):
        end += 1
    return gs[end - 1].x1 - gs[0].x0


def _autospace(before: str, after: str, em: float) -> float:
    """The quarter em Word and LibreOffice put between Latin letters or digits and Chinese."""
    return 0.25 * em if before and after and before.isascii() != after.isascii() and (
        before.isalnum() or after.isalnum()) else 0.0


def paragraphs(lines: list[Line], m: Margins) -> list[Para]:
    """Lines into paragraphs: a new one after a short line, at an indent, a gap or a new size;
    consecutive centred lines of one size (a title over two lines) stay one paragraph."""
    out: list[list[Line]] = []
    for line in lines:
        if out:
            prev = out[-1][-1]
            same_size = abs(prev.size - line.size) < 1.0
            if _centred(prev, m) and _centred(line, m) and line.size > m.em + 1:  # a title over two lines
                together = same_size and line.page == prev.page and line.top - prev.top < 1.6 * max(prev.size, m.pitch)
            else:
                # the line above ends at the margin, or the first word here would not have fit after it
                need = _first_word(line) + _autospace(prev.text[-1:], line.text[:1], m.em)
                full = prev.x1 >= m.right - 1.5 * m.em or need > m.right - prev.x1
                indented = line.x0 > m.left + 0.8 * m.em
                if line.page == prev.page:
                    gap_ok = line.mid - prev.mid <= m.pitch * max(1.0, line.size / m.em) + max(1.5, 0.2 * m.em)
                else:
                    gap_ok = True
                heading = heading_of(line.text) is not None or heading_of(prev.text) is not None or (
                    prev.text.endswith(_SENTENCE_END) and _SUB_HEADING.match(line.text) is not None)
                together = full and not indented and same_size and gap_ok and not heading
            if together:
                out[-1].append(line)
                continue
        out.append([line])
    paras = []
    for group in out:
        text = ""
        for line in group:
            if text and _wordy(text[-1]) and _wordy(line.text[:1]):
                text += " "
            text += line.text
        paras.append(Para(text))
    return paras
