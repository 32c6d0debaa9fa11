"""The cell values of every sheet of an ``.xlsx``, read straight from the zip.

Why not openpyxl: its read-only mode took 46 s for a 100,000-row register here (bench/bench_register.py).
Cells as Excel, WPS, LibreOffice and openpyxl write them (``<c r="B4" s="2" t="s"><v>7</v></c>``) are
taken by one regular expression; a sheet written any other way (namespace prefixes, cells without
``r``) goes through lxml's iterparse, slower but general. Values are raw — text, numbers, booleans —
without styles: the register reader knows which columns hold dates and takes a number there as an
Excel serial date. A caller may look at the top rows and name the only columns it wants: the others
(an applicant's name, a request's content) are then never decoded at all.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
from collections import deque
from collections.abc import Callable, Sequence
from itertools import repeat
from pathlib import Path

from lxml import etree

from ..report.native import FileFormatError
from .zip_limits import REGISTER, scan

TOP_ROWS = 30  # what a column chooser sees
# Row positions kept in all sheets (cells, the gaps before them, empty rows): a 100,000-row register
# keeps ~0.7 million. Bounds memory whatever the cell addresses (a cell in column XFD on every row).
MAX_POSITIONS = 3_000_000
# A cell's text is cut here where it enters (a 编号 or date is a few dozen characters; the columns
# that hold long text are never read), so a hostile string shared by every row costs its length
# once, not once per row; and the text of all cells read is bounded as a whole.
MAX_CELL_CHARS = 1_000
MAX_TEXT_CHARS = 40_000_000  # characters of long texts (> LONG_TEXT) in the cells read
LONG_TEXT = 64  # a 编号, date, type or outcome is shorter; a real register's read columns have none
_STRINGS = "xl/sharedStrings.xml"
# the sheet is matched 64 KB at a time: the piece and its list of matches stay in the processor's
# cache while the columns are sorted out (a megabyte at a time took 1.4-1.7x as long on a busy machine)
_FINDALL_CHUNK = 1 << 16
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARSE = {"resolve_entities": False, "no_network": True, "huge_tree": False}
# greedy attributes (twice as fast as a lazy match); a self-closing cell keeps its "/" there and
# matches no value; nothing after the value is needed, so </c> is not matched
_CELL_TEMPLATE = (rb'<c r="(@)(\d+)"([^>]*)>(?:<f\b[^>]*(?:/>|>[^<]*</f>))?'
                  rb'(?:<v>([^<]*)</v>|<is>([^<]*(?:<(?!/is>)[^<]*)*)</is>)?')  # runs between tags: no lazy .*?
_CELL = re.compile(_CELL_TEMPLATE.replace(b"@", b"[A-Z]{1,3}"), re.S)
_T = re.compile(rb"<t\b[^>]*>([^<]*)</t>")
_SI = re.compile(rb"<si>([^<]*(?:<(?!/si>)[^<]*)*)</si>")  # runs between tags: faster than a lazy .*?

Row = Sequence[object]
# top rows → the 0-based columns to keep (None: all of them)
Chooser = Callable[[list[Row]], "set[int] | None"]


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def cut_text(text: str) -> str:
    """A cell text longer than :data:`MAX_CELL_CHARS`, cut to that length (marked with “…”)."""
    return text[:MAX_CELL_CHARS] + "…"


class Budget:
    """Counts the row positions filled so far against :data:`MAX_POSITIONS`, and the characters
    of the texts placed in them against :data:`MAX_TEXT_CHARS`."""

    def __init__(self, name: str) -> None:
        self.name, self.used, self.chars = name, 0, 0

    def text(self, n: int, sheet_row: int) -> None:
        self.chars += n
        if self.chars > MAX_TEXT_CHARS:
            raise FileFormatError(
                f"“{self.name}”的单元格文字过多（第{sheet_row}行附近已超过 {MAX_TEXT_CHARS:,} 字），"
                "不像台账文件；请删去台账以外的内容后再读取")

    def spend(self, n: int, sheet_row: int) -> None:
        self.used += n
        if self.used > MAX_POSITIONS:
            raise FileFormatError(
                f"“{self.name}”的单元格过多或过远（第{sheet_row}行附近已超过 {MAX_POSITIONS:,} 个位置），"
                "不像台账文件；请删去台账以外的内容（或只保留台账所在的工作表）后再读取")


class _Shared:
    """The shared-string table, each string decoded when first used: the strings of columns that
    are never read (names, request contents) are never decoded, and most of a register's are those."""

    def __init__(self, items: list[bytes] | None, decoded: list[str] | None = None) -> None:
        self.items = items or []
        self.decoded: dict[int, str] = dict(enumerate(decoded)) if decoded is not None else {}

    def many(self, indexes: list[int]) -> list[str]:
        """The strings at ``indexes``, in order; those not yet decoded are decoded together (a
        column of 编号 is 100,000 strings, each used once)."""
        decoded = self.decoded
        try:
            return list(map(decoded.__getitem__, indexes))  # a column of a few values repeated
        except KeyError:
            todo = list(set(indexes).difference(decoded))
        decoded.update(zip(todo, _plain_runs(list(map(self.items.__getitem__, todo)), b"</si>")
                           or map(self._decode, todo)))
        return list(map(decoded.__getitem__, indexes))

    def __getitem__(self, i: int) -> str:
        try:
            return self.decoded[i]
        except KeyError:
            text = self.decoded[i] = self._decode(i)
            return text

    def _decode(self, i: int) -> str:
        si = self.items[i]
        if si.endswith(b"</t>") and si.count(b"<") == 2:  # one plain run: <t> or <t xml:space=…>
            text = _text(si[si.index(b">") + 1:-4])
        else:
            if b"<rPh" in si:  # phonetic guides are not part of the value
                si = re.sub(rb"<rPh\b.*?</rPh>", b"", si, flags=re.S)
            text = "".join(_text(t) for t in _T.findall(si))
        return cut_text(text) if len(text) > MAX_CELL_CHARS else text


def _plain_runs(raws: list[bytes], sep: bytes, tag: bytes | None = None) -> list[str] | None:
    """The texts of ``raws`` decoded together, each as :meth:`_Shared._decode` or :func:`_inline`
    decodes it alone: all of one plain run opened by the same ``tag`` (by default the first's),
    else None. ``sep`` is the end tag that closed each (``</si>``, ``</is>``), which none can hold."""
    if not raws:
        return None
    if tag is None:
        tag = raws[0][:raws[0].find(b">") + 1]
        if not tag.startswith(b"<") or tag.startswith(b"</") or tag.count(b"<") != 1:
            return None
    n = len(raws)
    joined = sep.join(raws)
    between = b"</t>" + sep + tag
    # the n - 1 separators each between a "</t>" and a tag, and no other "<" than theirs, the
    # first tag's and the last "</t>": each is tag + text without "<" + "</t>"
    if (not joined.startswith(tag) or not joined.endswith(b"</t>") or joined.count(between) != n - 1
            or joined.count(b"<") != 3 * n - 1):
        return None
    # "<" parts them again after unescaping (an entity reference ends before a "<"), unless some
    # &lt; made one: then the count differs
    texts = _text(joined.replace(between, b"<")[len(tag):-4]).split("<")
    if len(texts) != n:
        return None
    if max(map(len, texts)) > MAX_CELL_CHARS:
        texts = [cut_text(t) if len(t) > MAX_CELL_CHARS else t for t in texts]
    return texts


def _shared_strings(data: bytes) -> _Shared:
    items = _SI.findall(data)
    if 2 * len(items) == data.count(b"si>"):
        return _Shared(items)
    return _Shared(None, _lxml_shared_strings(data))  # <si/>, prefixes: what the expression did not take


def _lxml_shared_strings(data: bytes) -> list[str]:
    out = []
    for _, si in etree.iterparse(io.BytesIO(data), events=("end",), tag="{*}si", **_PARSE):
        out.append("".join(t.text or "" for t in si.iter("{*}t") if not t.getparent().tag.endswith("rPh")))
        si.clear()
    return out


def _inline(inline: bytes) -> str:
    """The text of an inline string (``<t>…</t>``, or runs)."""
    if inline.startswith(b"<t>") and inline.count(b"<") == 2:
        text = _text(inline[3:-4])
    else:
        text = "".join(_text(t) for t in _T.findall(inline))
    return cut_text(text) if len(text) > MAX_CELL_CHARS else text


def _value(kind: bytes, v: bytes, inline: bytes, shared: _Shared) -> object:
    if inline:
        text = "".join(_text(t) for t in _T.findall(inline))
        return cut_text(text) if len(text) > MAX_CELL_CHARS else text
    if not v:
        return None
    if b't="s"' in kind:
        return shared[int(v)]
    if b't="str"' in kind or b't="e"' in kind:
        text = _text(v)
        return cut_text(text) if len(text) > MAX_CELL_CHARS else text
    if b't="b"' in kind:
        return v == b"1"
    return float(v)


def _cells_pattern(letters: list[str]) -> re.Pattern[bytes]:
    """The cells of the columns named by ``letters``, and (all groups empty) any cell that does
    not name its reference first: the one scan of the body finds both."""
    alternatives = (f"[{''.join(letters)}]" if all(len(x) == 1 for x in letters)  # a class: faster
                    else "|".join(sorted(letters, key=len, reverse=True)))
    return re.compile(_CELL_TEMPLATE.replace(b"@", alternatives.encode()) + b"|" + _NO_REFERENCE.pattern, re.S)


_BODY_ROW = re.compile(rb'<row r="(?:3[1-9]|[4-9]\d|\d{3,})"')  # the first row below TOP_ROWS (= 30)
_NO_REFERENCE = re.compile(rb'<c(?=>| (?!r="))')  # a cell whose first attribute is not its reference


def _fast_rows(data: bytes, shared: _Shared, choose: Chooser | None, budget: Budget) -> list[Row] | None:
    """Rows by regular expression, or None when some cell is written in a way it does not match.

    The top rows are read whole and checked against a count of the cell tags; below them, once
    ``choose`` has named its columns, the cells of those columns are matched by one expression and
    laid out column by column (:func:`_body_columns`): the loops that run once per cell are C's.
    """
    if b"<sheetData" not in data:  # a prefixed namespace (<x:sheetData>): the general way
        return None
    found = _BODY_ROW.search(data) if choose is not None else None
    cut = found.start() if found is not None else -1
    top = data if cut < 0 else data[:cut]
    tags = top.count(b"<c ") + top.count(b"<c>")
    budget.spend(tags, TOP_ROWS)  # before the matches exist: a million cells in row 1 are refused unread
    cells = _CELL.findall(top)
    if len(cells) != tags:
        return None
    rows: list[list[object]] = []
    _fill(rows, cells, shared, budget)
    if cut < 0:
        return rows  # type: ignore[return-value]
    keep = choose(rows)  # type: ignore[misc, arg-type]
    # every cell below names its reference first (<c r="B31" ...>), as office suites write it;
    # otherwise the expression could miss cells and the general way reads the sheet
    if keep is not None:
        body = _body_columns(data, cut, sorted(keep), shared, budget, len(rows))
        return None if body is None else rows + body  # type: ignore[operator]
    if _NO_REFERENCE.search(data, cut) is not None:
        return None
    for pos, end in _chunks(data, cut):
        matches = _CELL.findall(data, pos, end)
        budget.spend(len(matches), len(rows))
        _fill(rows, matches, shared, budget)
    return rows  # type: ignore[return-value]


def _chunks(data: bytes, pos: int) -> list[tuple[int, int]]:
    """(start, end) pieces of about :data:`_FINDALL_CHUNK`, each cut before a row: the matches of
    45 MB at once would weigh ~0.5 GB."""
    out = []
    while pos < len(data):
        end = data.find(b"<row ", pos + _FINDALL_CHUNK)
        end = len(data) if end < 0 else end
        out.append((pos, end))
        pos = end
    return out


def _body_columns(data: bytes, cut: int, keep: list[int], shared: _Shared, budget: Budget,
                  first: int) -> list[tuple[object, ...]] | None:
    """Rows ``first + 1`` … of the chosen columns (the others None), as tuples; None when some
    cell does not name its reference first (then the expression could miss cells).

    A chunk at a time, the cells of the chosen columns are matched by one expression and sorted
    by column. In each column the values are looked up among those already converted, by their
    raw text (shared strings by their index): a register repeats its dates, types and outcomes;
    what is new is converted once (编号: in bulk, see :func:`_plain_runs`). A column that holds every row of the chunk in order,
    as most do, is extended with its values; the others are set at their row numbers.
    """
    letters = {_letters(c).encode(): c for c in keep}
    pattern = _cells_pattern([k.decode() for k in letters])
    columns: dict[int, list[object]] = {c: [None] * (first + 1) for c in keep}  # index = row number
    known: dict[int, dict[object, object]] = {c: {} for c in keep}  # raw → value, each column's own
    long_texts = dict.fromkeys(keep, False)
    for pos, end in _chunks(data, cut):
        groups: dict[bytes, list[tuple[bytes, ...]]] = {k: [] for k in letters}
        append = {k: group.append for k, group in groups.items()}
        try:
            for m in pattern.findall(data, pos, end):
                append[m[0]](m)
        except KeyError:  # b"": a cell without its reference first
            return None
        numbers_before: tuple[bytes, ...] = ()
        for key, matches in groups.items():
            if not matches:
                continue
            col = letters[key]
            values = columns[col]
            _, numbers, kinds, vs, inlines = zip(*matches)
            if numbers != numbers_before:  # else the rows of the column before, as most are
                numbers_before, rows = numbers, list(map(int, numbers))
                start, last = rows[0], max(rows)
                in_order = last - start + 1 == len(rows) and rows == list(range(start, last + 1))
            converted, long_text = _converted(known[col], kinds, vs, inlines, shared)
            long_texts[col] = long_texts[col] or long_text
            if long_texts[col]:  # the characters of long texts, once for every cell that holds one
                budget.text(sum(len(v) for v in converted if type(v) is str and len(v) > LONG_TEXT), last)
            if in_order and start == len(values):
                budget.spend(len(rows), last)
                values.extend(converted)
                continue
            if last >= len(values):
                budget.spend(last + 1 - len(values), last)
                values.extend(repeat(None, last + 1 - len(values)))
            deque(map(values.__setitem__, rows, converted), maxlen=0)
    height = max([first, *(len(v) - 1 for v in columns.values())])
    width = keep[-1] + 1
    budget.spend((height - first) * (width - len(keep)), height)
    for values in columns.values():
        values.extend(repeat(None, height + 1 - len(values)))
    lanes = [columns[c][first + 1:] if c in columns else repeat(None) for c in range(width)]
    return list(zip(*lanes))


def _converted(known: dict[object, object], kinds: tuple[bytes, ...], vs: tuple[bytes, ...],
               inlines: tuple[bytes, ...], shared: _Shared) -> tuple[list[object], bool]:
    """The values of one column's cells (their raw type, value and inline text), and whether one
    the column may not have held before is a long text. ``known`` (raw → value) remembers inline
    and other texts, slow to convert; shared strings are kept by the table. Each way first tries
    the values already known, as a register's chunk after the first mostly holds no new ones."""
    types = set(kinds)
    if all(k.endswith(b't="s"') for k in types) and all(vs):  # all shared strings (Excel, WPS, LibreOffice)
        texts = shared.many(list(map(int, vs)))
        return texts, max(map(len, texts)) > LONG_TEXT  # type: ignore[return-value]
    if types == {b' t="inlineStr"'}:  # all inline strings, as openpyxl writes them
        try:
            return list(map(known.__getitem__, inlines)), False
        except KeyError:
            todo = list(set(inlines).difference(known))
        new = _plain_runs(todo, b"</is>", b"<t>") or list(map(_inline, todo))
        known.update(zip(todo, new))
        return list(map(known.__getitem__, inlines)), max(map(len, new)) > LONG_TEXT
    # dates as numbers and as text, booleans, formulas' values
    raws = tuple(zip(kinds, vs, inlines))
    try:
        return list(map(known.__getitem__, raws)), False
    except KeyError:
        todo = list(set(raws).difference(known))
    values = [_value(*raw, shared) for raw in todo]  # type: ignore[misc]
    known.update(zip(todo, values))
    return list(map(known.__getitem__, raws)), any(type(v) is str and len(v) > LONG_TEXT for v in values)


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _fill(rows: list[list[object]], cells: list[tuple[bytes, ...]], shared: _Shared, budget: Budget) -> None:
    """Append ``cells`` (already spent from ``budget`` by the caller) and the gaps before them."""
    current: list[object] = rows[-1] if rows else []
    current_no = str(len(rows)).encode()
    cols: dict[bytes, int] = {}
    decoded = shared.decoded
    inline_texts: dict[bytes, str] = {}
    for letters, number, kind, v, inline in cells:
        if number != current_no:
            n = int(number)
            if len(rows) < n:
                budget.spend(n - len(rows), n)
                rows.extend([] for _ in range(n - len(rows)))
            current, current_no = rows[n - 1], number
        col = cols.get(letters)
        if col is None:
            col = cols[letters] = column_index(letters.decode())
        if len(current) < col:
            budget.spend(col - len(current), int(number))
            current.extend([None] * (col - len(current)))
        if v and kind.endswith(b't="s"'):  # the common cases inline: this loop runs once per cell
            i = int(v)
            current.append(decoded[i] if i in decoded else shared[i])
        elif v and (b" t=" not in kind or kind.endswith(b't="n"')):
            current.append(float(v))
        elif inline.startswith(b"<t>") and inline.count(b"<") == 2:  # one plain inline run
            text = inline_texts.get(inline)
            if text is None:  # unescaping is slow and types, outcomes and dates repeat
                text = _text(inline[3:-4])
                text = inline_texts[inline] = cut_text(text) if len(text) > MAX_CELL_CHARS else text
            current.append(text)
        else:
            current.append(_value(kind, v, inline, shared))


def _lxml_rows(data: bytes, shared: _Shared, choose: Chooser | None, budget: Budget) -> list[Row]:
    rows: list[Row] = []
    ns = ""
    keep: set[int] | None = None
    chosen = choose is None
    for _, row in etree.iterparse(io.BytesIO(data), events=("end",), tag="{*}row", **_PARSE):
        ns = ns or row.tag[: -len("row")]
        number = int(row.get("r") or len(rows) + 1)
        if not chosen and number > TOP_ROWS:
            keep, chosen = choose(rows), True  # type: ignore[misc]
        if len(rows) < number - 1:
            budget.spend(number - 1 - len(rows), number)
            rows.extend(() for _ in range(number - 1 - len(rows)))  # rows Excel left out: empty
        values: list[object] = []
        for c in row.iterchildren(ns + "c"):
            ref = c.get("r")
            col = column_index(ref.rstrip("0123456789")) if ref else len(values)
            if keep is not None and col not in keep:
                continue
            if col > len(values):
                budget.spend(col - len(values), number)
                values.extend([None] * (col - len(values)))
            budget.spend(1, number)
            t = c.get("t")
            if t == "inlineStr":
                values.append("".join(x.text or "" for x in c.iter(ns + "t")))
            elif t in ("str", "e"):
                values.append(c.findtext(ns + "v"))
            else:
                kind = f' t="{t}"'.encode() if t else b""
                values.append(_value(kind, (c.findtext(ns + "v") or "").encode(), b"", shared))
        rows.append(values)
        row.clear()
        while row.getprevious() is not None:  # keep memory flat on big sheets
            del row.getparent()[0]
    return rows


def read_sheets(data: bytes, name: str, choose: Chooser | None = None) -> list[tuple[str, list[Row]]]:
    """(sheet name, rows) of every worksheet in workbook order; row i is spreadsheet row i + 1.

    ``choose`` sees each sheet's first :data:`TOP_ROWS` rows and names the columns to keep below them.
    """
    book = scan(Path(name), "Excel 工作簿", keep=("xl/workbook.xml", "xl/_rels/workbook.xml.rels", _STRINGS,
                                                  "xl/worksheets/"), limits=REGISTER, data=data).members
    budget = Budget(name)
    try:
        wb = etree.fromstring(book["xl/workbook.xml"], etree.XMLParser(**_PARSE))
        rels = etree.fromstring(book["xl/_rels/workbook.xml.rels"], etree.XMLParser(**_PARSE))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        kinds = {r.get("Id"): r.get("Type", "") for r in rels}

        def part(target: str) -> str:
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))

        # kept by the scan only under its usual name (Excel, WPS, LibreOffice and openpyxl all use it)
        shared = _shared_strings(book[_STRINGS]) if _STRINGS in book else _Shared(None)
        out: list[tuple[str, list[Row]]] = []
        for sheet in wb.iter("{*}sheet"):
            rid = sheet.get(_REL)
            if rid in targets and kinds[rid].endswith("/worksheet"):
                xml = book[part(targets[rid])]
                spent = budget.used, budget.chars
                rows = _fast_rows(xml, shared, choose, budget)
                if rows is None:
                    budget.used, budget.chars = spent  # the general way counts the same cells again
                    rows = _lxml_rows(xml, shared, choose, budget)  # type: ignore[assignment]
                out.append((sheet.get("name", ""), rows))  # type: ignore[arg-type]
        return out
    except (KeyError, etree.XMLSyntaxError, ValueError, IndexError) as e:
        raise FileFormatError(f"“{name}”不是有效的 Excel 工作簿（{type(e).__name__}）") from None
