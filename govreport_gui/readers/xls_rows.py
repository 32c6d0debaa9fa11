"""The cell values of every worksheet of an Excel 97–2003 workbook (``.xls``, and WPS ``.et``
files, which are the same inside), read straight from the file.

Why not a library: ``xlrd`` takes seconds for a 65,536-row sheet, and ``python-calamine`` (Rust)
builds each sheet as a dense block in memory, sized by its farthest cell and copying a shared
string into every cell that uses it; a hostile file makes it allocate gigabytes, and a failed
allocation there ends the process instead of raising (bench/RESULTS-register.md). This reader
walks the records once, keeps only the columns a caller chooses, and spends the same row-position
budget as the ``.xlsx`` reader; every string is decoded once and shared by the cells that use it.

Two layers: the compound file (OLE2/CFB: sectors, FAT, directory, mini stream) that holds the
``Workbook`` stream, and the BIFF8 (Excel 97+) or BIFF5 (Excel 95) records in it. Values are raw
like the ``.xlsx`` reader's — text, numbers, booleans — except that numbers in a date format
become :class:`datetime.date` (needed for workbooks in the 1904 date system).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import struct
from collections.abc import Callable, Sequence

from ..report.native import FileFormatError
from .xlsx_rows import MAX_CELL_CHARS, TOP_ROWS, Budget, Chooser, cut_text

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from
_HEAD = struct.Struct("<HHHH").unpack_from  # record type, size, then a cell's row and column
_F64 = struct.Struct("<d").unpack_from
_EPOCH_1900, _EPOCH_1904 = dt.date(1899, 12, 30), dt.date(1904, 1, 1)
# built-in number formats that show a date or time (14–22, 45–47; 27–36 and 50–58 in Chinese Excel)
_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
Row = Sequence[object]


class _Bad(Exception):
    """A structure that cannot be what it claims: the workbook is damaged (or built to harm)."""


def _explain(name: str, what: str) -> FileFormatError:
    return FileFormatError(f"“{name}”{what}")


# --- the compound file ---------------------------------------------------------------------------

class Compound:
    """An OLE2 compound file held in memory; streams are read by following their sector chains,
    each chain at most as long as the file has sectors (a loop in a chain is refused)."""

    def __init__(self, data: bytes, name: str) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise _Bad("头部")
        self.data, self.name = data, name
        shift = _U16(data, 30)[0]
        if shift not in (9, 12):
            raise _Bad("扇区大小")
        self.size = 1 << shift
        self.sectors = max(0, (len(data) - self.size) // self.size + (1 if (len(data) - self.size) % self.size else 0))
        n_fat, dir_start = _U32(data, 44)[0], _U32(data, 48)[0]
        mini_fat_start, n_mini_fat = _U32(data, 60)[0], _U32(data, 64)[0]
        difat_next, n_difat = _U32(data, 68)[0], _U32(data, 72)[0]
        if n_fat > self.sectors or n_difat > self.sectors or n_mini_fat > self.sectors:
            raise _Bad("扇区表")
        difat = list(struct.unpack_from("<109I", data, 76))
        per = self.size // 4 - 1
        for _ in range(n_difat):  # at most as many DIFAT sectors as declared (each declared ≤ the file)
            if difat_next >= _END_OF_CHAIN - 2:
                break
            block = self._sector(difat_next)
            difat += struct.unpack_from(f"<{per}I", block)
            difat_next = _U32(block, per * 4)[0]
        fat_sectors = [s for s in difat[:n_fat] if s < self.sectors]
        self.fat = struct.unpack(f"<{len(fat_sectors) * self.size // 4}I", b"".join(self._sector(s) for s in fat_sectors))
        directory = self._chain(dir_start, self.fat, self.size, self._sector)
        self.entries: dict[str, tuple[int, int, int]] = {}  # name → (type, start, size)
        for off in range(0, len(directory) - 127, 128):
            length = _U16(directory, off + 64)[0]
            kind = directory[off + 66]
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            entry_name = directory[off:off + length - 2].decode("utf-16-le", "replace")
            start, size = _U32(directory, off + 116)[0], _U32(directory, off + 120)[0]
            if kind == 5:
                self.root = (start, size)
            self.entries.setdefault(entry_name.lower(), (kind, start, size))
        if not hasattr(self, "root"):
            raise _Bad("目录")
        self.cutoff = _U32(data, 56)[0]
        self.mini_fat: tuple[int, ...] = ()
        if n_mini_fat:
            raw = self._chain(mini_fat_start, self.fat, self.size, self._sector)
            self.mini_fat = struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4])

    def _sector(self, i: int) -> bytes:
        if i >= self.sectors:
            raise _Bad("扇区")
        start = (i + 1) * self.size
        return self.data[start:start + self.size]

    def _chain(self, start: int, fat: Sequence[int], size: int, sector: Callable[[int], bytes],
               length: int | None = None) -> bytes:
        parts: list[bytes] = []
        limit = len(fat)
        current = start
        while current < _END_OF_CHAIN - 2:  # ENDOFCHAIN, FREESECT and the special values end it
            if len(parts) >= limit or current >= limit:
                raise _Bad("扇区链")
            parts.append(sector(current))
            current = fat[current]
            if length is not None and len(parts) * size >= length:
                break
        out = b"".join(parts)
        return out if length is None else out[:length]

    def stream(self, entry: str) -> bytes:
        kind, start, size = self.entries[entry]
        if size > len(self.data) * 2:  # a stream can hardly be bigger than the file holding it
            raise _Bad("流大小")
        if size >= self.cutoff:
            return self._chain(start, self.fat, self.size, self._sector, size)
        mini = self._chain(self.root[0], self.fat, self.size, self._sector, self.root[1])

        def mini_sector(i: int) -> bytes:
            if (i + 1) * 64 > len(mini):
                raise _Bad("迷你扇区")
            return mini[i * 64:(i + 1) * 64]

        return self._chain(start, self.mini_fat, 64, mini_sector, size)


def workbook_stream(data: bytes, name: str) -> bytes:
    """The BIFF ``Workbook`` (or Excel 95 ``Book``) stream, or a Chinese reason why there is none."""
    try:
        cf = Compound(data, name)
        entries = cf.entries
        if "encryptedpackage" in entries or "encryptioninfo" in entries:
            raise _explain(name, "设置了打开密码（已加密），无法读取。请在 Excel/WPS 中打开，"
                                 "在“文件 → 信息/文档加密”中取消密码后另存，再读取")
        for entry in ("workbook", "book"):
            if entry in entries and entries[entry][0] == 2:
                return cf.stream(entry)
    except (_Bad, struct.error, IndexError) as e:
        raise _explain(name, f"不是有效的 Excel 97-2003 工作簿（{e}部分损坏），可能只下载了一部分。"
                             "请在 Excel/WPS 中打开后另存为 .xlsx 再读取") from None
    if "worddocument" in entries:
        raise _explain(name, "是 Word 文档（.doc），不是台账表格")
    raise _explain(name, "不是 Excel 97-2003 工作簿（文件中没有工作簿数据），可能是 WPS 专用格式。"
                         "请在 WPS 表格中打开后另存为 .xlsx 或 .xls 再读取")


# --- BIFF records -------------------------------------------------------------------------------

class _Strings:
    """Decoding of BIFF strings (BIFF8: UTF-16 or compressed Latin-1; BIFF5: the code page)."""

    def __init__(self, biff8: bool, codepage: str) -> None:
        self.biff8, self.codepage = biff8, codepage

    def short(self, data: bytes, pos: int) -> str:
        """ShortXLUnicodeString (sheet names): cch u8, then (BIFF8) a flag byte."""
        cch = data[pos]
        if not self.biff8:
            return data[pos + 1:pos + 1 + cch].decode(self.codepage, "replace")
        wide = data[pos + 1] & 1
        raw = data[pos + 2:pos + 2 + cch * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1", "replace")

    def long(self, data: bytes, pos: int) -> str:
        """XLUnicodeString (LABEL, FORMAT, STRING): cch u16, then (BIFF8) a flag byte."""
        cch = _U16(data, pos)[0]
        if not self.biff8:
            return data[pos + 2:pos + 2 + cch].decode(self.codepage, "replace")
        flags = data[pos + 2]
        start = pos + 3 + (2 if flags & 8 else 0) + (4 if flags & 4 else 0)
        raw = data[start:start + cch * (2 if flags & 1 else 1)]
        return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _sst(parts: list[bytes], count_limit: int) -> list[str]:
    """The shared-string table from the SST record and its CONTINUE records (``parts``).

    A string's characters may run on into the next record, which then starts with a new flag byte
    (the rest may change between compressed and UTF-16); its formatting runs and phonetic data may
    run on without one. Every string is cut at :data:`MAX_CELL_CHARS` as it is decoded.
    """
    out: list[str] = []
    if not parts or len(parts[0]) < 8:
        return out
    unique = _U32(parts[0], 4)[0]
    if unique > count_limit:
        raise _Bad("共享字符串表")
    p, data, pos = 0, parts[0], 8
    for _ in range(unique):
        if pos >= len(data):  # a string's header starts in the next record
            p += 1
            if p >= len(parts):
                break
            data, pos = parts[p], 0
        cch, flags = _U16(data, pos)[0], data[pos + 2]
        pos += 3
        runs = ext = 0
        if flags & 8:
            runs = _U16(data, pos)[0]
            pos += 2
        if flags & 4:
            ext = _U32(data, pos)[0]
            pos += 4
        wide = flags & 1
        pieces: list[str] = []
        left = cch
        while True:
            take = min(left, (len(data) - pos) // (2 if wide else 1))
            end = pos + take * (2 if wide else 1)
            pieces.append(data[pos:end].decode("utf-16-le" if wide else "latin-1", "replace"))
            left -= take
            pos = end
            if left <= 0:
                break
            p += 1  # the characters go on in the next CONTINUE record, after a new flag byte
            if p >= len(parts):
                break
            data = parts[p]
            wide, pos = data[0] & 1 if data else 0, 1
        skip = runs * 4 + ext  # formatting runs and phonetic data, possibly over record ends
        while skip > 0 and p < len(parts):
            step = min(skip, len(data) - pos)
            pos += step
            skip -= step
            if skip > 0:
                p += 1
                if p >= len(parts):
                    break
                data, pos = parts[p], 0
        text = pieces[0] if len(pieces) == 1 else "".join(pieces)
        out.append(cut_text(text) if len(text) > MAX_CELL_CHARS else text)
    return out


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code)  # quoted text, [colours], escapes
    return bool(re.search(r"[yYdD年月日]|(?<![0#?])[mM](?![0#?])|[hHsS]", code)) and "General" not in code


def _rk(rk: int) -> float:
    if rk & 2:
        value = float(rk >> 2 if rk < 0x80000000 else (rk >> 2) - (1 << 30))
    else:
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 1 else value


class _Book:
    """The workbook globals: sheets, shared strings, which formats are dates, the date system."""

    def __init__(self, stream: bytes, name: str) -> None:
        self.name = name
        if len(stream) < 8 or _U16(stream, 0)[0] not in (0x0809, 0x0409, 0x0209, 0x0009):
            raise _explain(name, "不是有效的 Excel 97-2003 工作簿（工作簿数据损坏）")
        version = _U16(stream, 4)[0]
        if _U16(stream, 0)[0] != 0x0809 or version not in (0x0500, 0x0600):
            raise _explain(name, "是 Excel 4.0 或更早版本的工作簿，无法读取。请在 Excel/WPS 中打开后另存为 .xlsx 再读取")
        self.strings = _Strings(version == 0x0600, "cp1252")
        self.sheets: list[tuple[str, int, int]] = []  # (name, offset, sheet type)
        self.sst: list[str] = []
        self.date_xf: list[bool] = []
        self.epoch = _EPOCH_1900
        formats: dict[int, bool] = {}
        xf_formats: list[int] = []
        sst_parts: list[bytes] | None = None
        pos, n = 0, len(stream)
        while pos + 4 <= n:
            typ, size = _U16(stream, pos)[0], _U16(stream, pos + 2)[0]
            body = stream[pos + 4:pos + 4 + size]
            pos += 4 + size
            if sst_parts is not None:
                if typ == 0x003C:  # CONTINUE of the SST
                    sst_parts.append(body)
                    continue
                self.sst = _sst(sst_parts, len(stream))
                sst_parts = None
            if typ == 0x000A:  # EOF of the globals
                break
            if typ == 0x002F:  # FILEPASS: the workbook is encrypted
                raise _explain(name, "设置了打开密码（已加密），无法读取。请在 Excel/WPS 中打开，"
                                     "取消密码后另存，再读取")
            if typ == 0x0042 and size >= 2:  # CODEPAGE (BIFF5 text)
                page = _U16(body, 0)[0]
                try:
                    self.strings.codepage = codecs.lookup("cp936" if page == 936 else f"cp{page}").name
                except LookupError:
                    pass
            elif typ == 0x0022 and size >= 2 and _U16(body, 0)[0] == 1:  # DATEMODE: 1904
                self.epoch = _EPOCH_1904
            elif typ == 0x041E and size >= 4:  # FORMAT
                try:
                    formats[_U16(body, 0)[0]] = _is_date_format(self.strings.long(body, 2))
                except (struct.error, IndexError):
                    pass
            elif typ == 0x00E0 and size >= 4:  # XF: its number format
                xf_formats.append(_U16(body, 2)[0])
            elif typ == 0x0085 and size >= 7:  # BOUNDSHEET
                self.sheets.append((self.strings.short(body, 6), _U32(body, 0)[0], body[5]))
            elif typ == 0x00FC:  # SST
                sst_parts = [body]
        if sst_parts is not None:
            self.sst = _sst(sst_parts, len(stream))
        self.date_xf = [formats.get(f, f in _DATE_FORMATS) for f in xf_formats]


def read_sheets(data: bytes, name: str, choose: Chooser | None = None) -> list[tuple[str, list[Row]]]:
    """(sheet name, rows) of every worksheet in workbook order; row i is spreadsheet row i + 1.

    ``choose`` sees each sheet's first :data:`TOP_ROWS` rows and names the columns to keep below
    them; the cells of the other columns are never decoded.
    """
    stream = workbook_stream(data, name)
    try:
        book = _Book(stream, name)
        budget = Budget(name)
        out = []
        for title, offset, kind in book.sheets:
            if kind != 0:  # charts, macro sheets and modules hold no register
                continue
            out.append((title, _sheet_rows(stream, offset, book, choose, budget)))
        return out
    except (_Bad, struct.error, IndexError, ValueError) as e:
        raise _explain(name, f"不是有效的 Excel 97-2003 工作簿（{type(e).__name__}：数据损坏）。"
                             "请在 Excel/WPS 中打开后另存为 .xlsx 再读取") from None


def _sheet_rows(stream: bytes, pos: int, book: _Book, choose: Chooser | None, budget: Budget) -> list[Row]:
    """One worksheet's substream: cells into rows, nested substreams (embedded charts) skipped."""
    rows: list[list[object]] = []
    keep: set[int] | None = None
    chosen = choose is None
    sst, date_xf, epoch, strings = book.sst, book.date_xf, book.epoch, book.strings
    n_xf = len(date_xf)
    depth = 0
    pending: tuple[int, int] | None = None  # a FORMULA whose text is in the next STRING record
    stream = stream + b"\0" * 8  # a record header near the end unpacks without a length check
    n = len(stream) - 8
    if pos + 4 > n or _U16(stream, pos)[0] != 0x0809:
        raise _Bad("工作表位置")
    pos += 4 + _U16(stream, pos + 2)[0]  # the sheet's own BOF; any later one starts a nested substream

    def put(row: int, col: int, value: object) -> None:
        nonlocal keep, chosen
        if not chosen and row >= TOP_ROWS:
            keep, chosen = choose(rows), True  # type: ignore[misc]
        if keep is not None and col not in keep and row >= TOP_ROWS:
            return
        if row >= len(rows):
            budget.spend(row + 1 - len(rows), row + 1)
            rows.extend([] for _ in range(row + 1 - len(rows)))
        cells = rows[row]
        if col >= len(cells):
            budget.spend(col + 1 - len(cells), row + 1)
            cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = value

    def number(value: float, xf: int) -> object:
        if xf < n_xf and date_xf[xf] and 0 <= value < 2958466:
            return epoch + dt.timedelta(days=int(value))
        return value

    while pos < n:  # once per record: the three common cells are handled here without a call
        typ, size, row, col = _HEAD(stream, pos)
        body = pos + 4
        pos = body + size
        if depth:
            if typ == 0x0809:
                depth += 1
            elif typ == 0x000A:
                depth -= 1
            continue
        if typ == 0x00FD:  # LABELSST
            if row >= TOP_ROWS:
                if not chosen:
                    keep, chosen = choose(rows), True  # type: ignore[misc]
                if keep is not None and col not in keep:
                    continue
            value: object = sst[_U32(stream, body + 6)[0]]
        elif typ == 0x027E or typ == 0x0203:  # RK, NUMBER
            if row >= TOP_ROWS:
                if not chosen:
                    keep, chosen = choose(rows), True  # type: ignore[misc]
                if keep is not None and col not in keep:
                    continue
            if typ == 0x0203:
                value = _F64(stream, body + 6)[0]
            else:
                rk = _U32(stream, body + 6)[0]
                value = (rk >> 2 if rk < 0x80000000 else (rk >> 2) - (1 << 30)) if rk & 2 else _rk(rk)
                if rk & 3 == 3:
                    value /= 100
            xf = _U16(stream, body + 4)[0]
            if xf < n_xf and date_xf[xf] and 0 <= value < 2958466:
                value = epoch + dt.timedelta(days=int(value))
        else:
            if typ == 0x00BD:  # MULRK: several RK cells of one row
                last = _U16(stream, body + size - 2)[0]
                for i in range(max(0, min(last - col + 1, (size - 6) // 6))):
                    at = body + 4 + 6 * i
                    put(row, col + i, number(_rk(_U32(stream, at + 2)[0]), _U16(stream, at)[0]))
            elif typ == 0x0204 or typ == 0x00D6:  # LABEL, RSTRING
                text = strings.long(stream[body:pos], 6)
                put(row, col, cut_text(text) if len(text) > MAX_CELL_CHARS else text)
            elif typ == 0x0205:  # BOOLERR
                flag, is_error = stream[body + 6], stream[body + 7]
                put(row, col, _ERRORS.get(flag, "#N/A") if is_error else bool(flag))
            elif typ == 0x0006:  # FORMULA: its cached value
                if stream[body + 12:body + 14] == b"\xff\xff":
                    kind = stream[body + 6]
                    if kind == 0:
                        pending = (row, col)
                    elif kind == 1:
                        put(row, col, bool(stream[body + 8]))
                    elif kind == 2:
                        put(row, col, _ERRORS.get(stream[body + 8], "#N/A"))
                else:
                    put(row, col, number(_F64(stream, body + 6)[0], _U16(stream, body + 4)[0]))
            elif typ == 0x0207 and pending is not None:  # STRING: the text a FORMULA computed
                text = strings.long(stream[body:pos], 0)
                put(*pending, cut_text(text) if len(text) > MAX_CELL_CHARS else text)
                pending = None
            elif typ == 0x0809:
                depth = 1
            elif typ == 0x000A:
                break
            continue
        if row < len(rows):
            cells = rows[row]
        else:
            budget.spend(row + 1 - len(rows), row + 1)
            rows.extend([] for _ in range(row + 1 - len(rows)))
            cells = rows[row]
        if col == len(cells):
            cells.append(value)
        elif col < len(cells):
            cells[col] = value
        else:
            budget.spend(col + 1 - len(cells), row + 1)
            cells.extend([None] * (col - len(cells)))
            cells.append(value)
    return rows  # type: ignore[return-value]
