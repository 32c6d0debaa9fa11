"""The cell values of every sheet of an OpenDocument spreadsheet (``.ods``, LibreOffice/WPS).

The archive is read within :mod:`.zip_limits` (bytes actually inflated, tags); ``content.xml`` is
then taken by regular expressions, as the ``.xlsx`` reader does. Repeated rows and cells
(``table:number-rows-repeated``, ``table:number-columns-repeated``: LibreOffice ends every sheet
with a million empty ones) are laid out only while they hold something, and every position laid
out is spent from the same budget as the other readers'. Values are raw: text, numbers, dates
(``office:date-value``), booleans.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..report.native import FileFormatError
from .xlsx_rows import MAX_CELL_CHARS, TOP_ROWS, Budget, Chooser, cut_text
from .zip_limits import Limits, scan

# every member but content.xml is small; content.xml is read as a stream below
_MANIFEST_LIMITS = Limits(xml_bytes=8 * 1024 * 1024, tags=200_000, what="台账")

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NAME = re.compile(rb'table:name="([^"]*)"')
_ROW = re.compile(rb'<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)', re.S)
# Contents as [^<]* runs between tags (much faster than a lazy .*? over every character); they
# never run past the start of the next cell (or row, below), so a cell or row without its end tag
# costs the text up to the next one, not the rest of the file: the work stays linear.
_CELL = re.compile(rb'<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>([^<]*(?:<(?!/?table:(?:covered-)?table-cell\b)[^<]*)*)'
                   rb'</table:(?:covered-)?table-cell>)')
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_TYPE = re.compile(rb'office:value-type="(\w+)"')
_ATTR = {b"float": re.compile(rb'office:value="([^"]*)"'), b"percentage": re.compile(rb'office:value="([^"]*)"'),
         b"currency": re.compile(rb'office:value="([^"]*)"'), b"date": re.compile(rb'office:date-value="([^"]*)"'),
         b"boolean": re.compile(rb'office:boolean-value="([^"]*)"')}
_ANNOTATION = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.S)
_SPACES = re.compile(rb'<text:s(?: text:c="(\d+)")?\s*/>')
_BREAK = re.compile(rb"<text:(?:tab|line-break)\s*/>")
_PARAGRAPH_END = re.compile(rb"</text:(?:p|h)>\s*<text:(?:p|h)\b[^>]*>")
_TAG = re.compile(rb"<[^>]*>")
Row = Sequence[object]


_MISSING = object()
_KNOWN_VALUES = 200_000


def _text(content: bytes) -> str:
    if content.startswith(b"<text:p>") and content.count(b"<") == 2:  # one plain paragraph
        text = content[8:-9].decode("utf-8", "replace")
        text = html.unescape(text) if "&" in text else text
        return cut_text(text) if len(text) > MAX_CELL_CHARS else text
    if b"<office:annotation" in content:  # a comment is not the cell's value
        content = _ANNOTATION.sub(b"", content)
    content = _SPACES.sub(lambda m: b" " * min(int(m.group(1) or 1), MAX_CELL_CHARS), content)
    content = _PARAGRAPH_END.sub(b"\n", _BREAK.sub(b" ", content))
    text = html.unescape(_TAG.sub(b"", content).decode("utf-8", "replace"))
    return cut_text(text) if len(text) > MAX_CELL_CHARS else text


def _value(attrs: bytes, content: bytes | None) -> object:
    kind = _TYPE.search(attrs)
    if kind is None:
        return _text(content) or None if content else None
    pattern = _ATTR.get(kind.group(1))
    found = pattern.search(attrs) if pattern is not None else None
    if found is None:
        return _text(content) or None if content else None
    raw = found.group(1).decode("ascii", "replace")
    if kind.group(1) == b"date":
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return raw[:MAX_CELL_CHARS]
    if kind.group(1) == b"boolean":
        return raw == "true"
    try:
        return float(raw)
    except ValueError:
        return raw[:MAX_CELL_CHARS]


class _Sheet:
    """One sheet's rows as they stream in: empty rows are laid out only when a row with content
    follows them (LibreOffice ends every sheet with a million empty ones)."""

    def __init__(self, title: str, choose: Chooser | None, budget: Budget) -> None:
        self.title, self.choose, self.budget = title, choose, budget
        self.rows: list[Row] = []
        self.keep: set[int] | None = None
        self.chosen = choose is None
        self.empty = 0
        self.values: dict[tuple[bytes, bytes], object] = {}  # a register repeats its dates, types, outcomes

    def add(self, row_attrs: bytes, content: bytes | None) -> None:
        rows, budget = self.rows, self.budget
        number = len(rows) + self.empty  # 0-based
        if not self.chosen and number >= TOP_ROWS:
            self.keep, self.chosen = self.choose(rows), True  # type: ignore[misc, arg-type]
        keep, known = self.keep, self.values
        repeat = _ROWS_REPEATED.search(row_attrs) if b"repeated" in row_attrs else None
        times = max(1, int(repeat.group(1))) if repeat is not None else 1
        values: list[object] = []
        col = 0
        for attrs, cell in _CELL.findall(content or b""):
            cols = _COLS_REPEATED.search(attrs) if b"repeated" in attrs else None
            span = max(1, int(cols.group(1))) if cols is not None else 1
            if (cell or b"office:value" in attrs) and (keep is None or col in keep or number < TOP_ROWS):
                value = known.get((attrs, cell), _MISSING)
                if value is _MISSING:
                    value = _value(attrs, cell)
                    if len(known) < _KNOWN_VALUES:
                        known[attrs, cell] = value
                if value is not None:
                    budget.spend(col - len(values) + span, number + 1)
                    values.extend([None] * (col - len(values)))
                    values.extend([value] * span)  # repeated cells hold copies of one value
            col += span
        if not values:
            self.empty += times
            return
        if self.empty:
            budget.spend(self.empty, number + 1)
            rows.extend([()] * self.empty)
            self.empty = 0
        budget.spend(times * len(values), number + 1)
        rows.extend([values] * times)  # the same list: rows are read, never changed


# a table's start or end, or one whole row (its cells inside), in document order
_PIECE = re.compile(rb'<table:table(?=[\s>])([^>]*)>|(</table:table>)|'
                    rb'<table:table-row\b([^>]*?)(?:/>|>([^<]*(?:<(?!/?table:table-row\b)[^<]*)*)</table:table-row>)')
MAX_XML_BYTES = 240 * 1024 * 1024  # content.xml inflated: LibreOffice writes 1.1 KB per register row
MAX_PENDING = 8 * 1024 * 1024  # one row's XML (a real one is ~1 KB)
_CHUNK = 1 << 20


def _stream(data: bytes, name: str) -> Iterator[bytes]:
    """content.xml, inflated a megabyte at a time and counted as it comes (a zip bomb is refused
    by the bytes it really produces, whatever its header says)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("content.xml") as fh:
            total = 0
            while chunk := fh.read(_CHUNK):
                total += len(chunk)
                if total > MAX_XML_BYTES:
                    raise FileFormatError(f"“{name}”解压后内容过多（超出台账可能的大小），不像 OpenDocument 电子表格，"
                                          "可能是恶意构造的压缩包，已拒绝打开")
                yield chunk
    except KeyError:
        raise FileFormatError(f"“{name}”不是有效的 OpenDocument 电子表格（没有 content.xml），可能已损坏") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise FileFormatError(f"“{name}”不是有效的 OpenDocument 电子表格，可能已损坏或只下载了一部分") from None
    except (NotImplementedError, RuntimeError, ValueError, OSError) as e:
        raise FileFormatError(f"无法读取“{name}”（{type(e).__name__}）：文件可能已损坏或设置了密码") from None


def read_sheets(data: bytes, name: str, choose: Chooser | None = None) -> list[tuple[str, list[Row]]]:
    """(sheet name, rows) of every sheet in document order; row i is spreadsheet row i + 1.

    ``choose`` sees each sheet's first :data:`TOP_ROWS` rows and names the columns to keep below them.
    """
    manifest = scan(Path(name), "OpenDocument 电子表格", keep=("META-INF/manifest.xml", "mimetype"),
                    limits=_MANIFEST_LIMITS, data=data, skip=("content.xml",)).members
    if b"manifest:encryption-data" in manifest.get("META-INF/manifest.xml", b""):
        raise FileFormatError(f"“{name}”设置了打开密码（已加密），无法读取。请在 LibreOffice/WPS 中打开，"
                              "取消密码后另存，再读取")
    if manifest.get("mimetype", MIMETYPE).strip() != MIMETYPE:
        raise FileFormatError(f"“{name}”不是电子表格（可能是 OpenDocument 文本文档），不是台账")
    budget = Budget(name)
    sheets: list[_Sheet] = []
    sheet: _Sheet | None = None
    pending = b""
    for chunk in _stream(data, name):
        buffer = pending + chunk
        # only up to the last end of a row or table: what follows waits for the next chunk (and is
        # not scanned again and again while it grows)
        done = max(buffer.rfind(b"</table:table-row>"), buffer.rfind(b"</table:table>"))
        done = -1 if done < 0 else buffer.index(b">", done) + 1
        for m in _PIECE.finditer(buffer, 0, max(done, 0)):
            table, closing, row_attrs, content = m.groups()
            if table is not None:
                title = _NAME.search(table)
                sheet = _Sheet(html.unescape(title.group(1).decode("utf-8", "replace")) if title else "", choose, budget)
                sheets.append(sheet)
            elif closing is not None:
                sheet = None
            elif sheet is not None:
                sheet.add(row_attrs, content)
        pending = buffer[max(done, 0):]
        if len(pending) > MAX_PENDING:
            raise FileFormatError(f"“{name}”中有一行内容过多（超过 {MAX_PENDING // 2**20} MB），不像台账文件，已拒绝打开")
    return [(s.title, s.rows) for s in sheets]
