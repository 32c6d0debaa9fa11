"""A register of applications (依申请公开台账) from ``.xlsx``, ``.xls``/``.et``, ``.ods`` or ``.csv``
(UTF-8 or GBK). The kind is told by the file's content (a renamed file is read for what it is).

One row per application; columns are found by their header text wherever the header row is (many
registers start with a title row). A sheet with 类型 and 结果 columns (or a second file) is the case
list for 表四. Rows that cannot be counted become :class:`RowProblem`s with their spreadsheet row
number and are left out. The applicant's name and the request's content are recognised as columns so
that they are not reported as unknown, and never read.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import itertools
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..report.native import FileFormatError, read_regular
from ..report.register_count import Application, Case, Register, RowProblem
from ..report.schema import Schema, load_schema
from .register_vocab import (
    ValueProblem,
    applicant_key,
    case_group,
    case_part,
    outcome_key,
    parse_date,
    parse_yes,
    plain,
    shown,
)
from .xlsx_rows import TOP_ROWS, column_index

# field → header variants (after removing spaces and bracketed hints), the canonical name first
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "申请编号", "登记编号", "受理编号", "流水号", "序号"),
    "received": ("收到日期", "收到时间", "申请时间", "申请日期", "受理日期", "受理时间", "收到申请日期", "登记日期"),
    "applicant_type": ("申请人类型", "申请人类别", "申请人性质"),
    "outcome": ("办理结果", "答复结果", "处理结果", "答复类型", "办理结果类型"),
    "concluded": ("办结日期", "办结时间", "答复日期", "答复时间", "办理完成日期"),
    "extended": ("是否延期", "延期", "延期答复", "是否延期答复"),
    "corrected": ("补正日期", "补正时间", "收到补正日期", "补正后收到日期"),
    "applicant": ("申请人", "申请人姓名", "申请人名称", "姓名", "名称"),  # never read
    "content": ("申请内容", "申请事项", "所需信息", "申请公开内容", "所需政府信息"),  # never read
    "remark": ("备注", "说明"),
}
REQUIRED = ("id", "received", "applicant_type", "outcome", "concluded")
CASE_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "案号", "序号"),
    "group": ("类型", "案件类型", "复议诉讼类型"),
    "part": ("结果", "审理结果", "复议结果", "办理结果", "结案结果"),
    "date": ("收到日期", "立案日期", "受理日期", "日期"),
}
CASE_REQUIRED = ("group", "part")
HEADER_SCAN = TOP_ROWS  # the header row is looked for among the first rows
TOTAL_ROWS = frozenset({"合计", "总计", "小计"})
# A 100,000-row register is a 12 MB CSV read into ~130 MB, a 5 MB .xlsx (the sheet XML is bounded
# by zip_limits.REGISTER), a 14 MB .xls or a 4 MB .ods: the limits keep reading under ~256 MB.
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 200_000
MAX_BOOK_BYTES = 40 * 1024 * 1024
MAX_XLSX_BYTES = MAX_BOOK_BYTES  # the former name
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")
KINDS_TEXT = ".xlsx、.xls、.et、.ods 或 .csv"
MAX_ID_CHARS = 64  # a 编号 is a few dozen characters at most; a longer one is no 编号
# what a 编号 may carry unseen: a BOM, zero-width spaces and joiners, soft hyphens, word joiners
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e"))


def normal_id(value: object) -> str:
    """A 编号 as compared: full-width digits and letters made plain (``３`` → ``3``), invisible marks
    (BOM, zero-width space) and surrounding spaces removed, ``12.0`` → ``12``."""
    if type(value) is str and value.isascii():
        return value.strip()
    return plain(value.translate(_INVISIBLE) if isinstance(value, str) else value)


def field_name(field: str) -> str:
    return (FIELDS.get(field) or CASE_FIELDS[field])[0]


def header_text(value: object) -> str:
    """A header cell compared without spaces, ``*`` marks and bracketed hints such as （年月日）."""
    text = re.sub(r"\s+", "", plain(value))
    return re.sub(r"[(（\[【].*?[)）\]】]", "", text).strip("*:：")


def _column_letter(text: str) -> int | None:
    return column_index(text.upper()) if re.fullmatch(r"[A-Za-z]{1,2}", text) else None


class HeadersNotFound(FileFormatError):
    """The register's columns could not all be matched: the window offers a mapping step.

    ``headers`` is the best candidate header row (its texts), ``missing`` the unmatched fields.
    """

    def __init__(self, text: str, headers: list[str], missing: list[str]) -> None:
        super().__init__(text)
        self.headers = headers
        self.missing = missing


@dataclass
class _Sheet:
    name: str
    rows: list[Sequence[object]]  # every row from the top, row i is spreadsheet row i + 1


def _match(row: Sequence[object], fields: dict[str, tuple[str, ...]], mapping: dict[str, str]) -> dict[str, int]:
    """field → column index of the fields named in this row (earlier variants win)."""
    at: dict[str, int] = {}  # header text → its first column (a far cell pads 16,000 empty ones)
    for i, v in enumerate(row):
        if v is not None and v != "":
            at.setdefault(header_text(v), i)
    found: dict[str, int] = {}
    for field, wanted in mapping.items():
        col = _column_letter(wanted)
        if col is None:
            col = at.get(header_text(wanted))
        if col is not None:
            found[field] = col
    used = set(found.values())
    for field, variants in fields.items():
        if field in found:
            continue
        for variant in variants:
            if variant in at and at[variant] not in used:
                found[field] = at[variant]
                used.add(found[field])
                break
    return found


def _find_header(sheet: _Sheet, fields: dict[str, tuple[str, ...]], required: Sequence[str],
                 mapping: dict[str, str]) -> tuple[int, dict[str, int]]:
    """(0-based header row, columns) of the row naming the most required fields."""
    best, best_cols, best_n = -1, {}, 0
    for i, row in enumerate(sheet.rows[:HEADER_SCAN]):
        cols = _match(row, fields, mapping)
        n = sum(1 for f in required if f in cols)
        if n > best_n:
            best, best_cols, best_n = i, cols, n
    return best, best_cols


def _cell(row: Sequence[object], col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


class _Memo:
    """A cell converter remembered by raw value: a register repeats a few dates, types and outcomes
    thousands of times (this halves the reading time of a 100,000-row register)."""

    def __init__(self, convert: Callable[[object], object]) -> None:
        self.convert = convert
        self.seen: dict[object, object] = {}

    def __call__(self, raw: object) -> Any:
        try:
            out = self.seen[raw]
        except KeyError:
            try:
                out = self.convert(raw)
            except ValueProblem as e:
                out = _Bad(str(e))
            self.seen[raw] = out
        if type(out) is _Bad:
            raise ValueProblem(out.reason)  # a fresh exception: re-raising one would grow its traceback
        return out


@dataclass(frozen=True)
class _Bad:
    reason: str


_UNSEEN = _Bad("")  # what a memo's dict gives for a value not seen yet: a _Bad, so one test finds both
_READ = ("id", "received", "applicant_type", "outcome", "concluded", "extended", "corrected")
_new_tuple = tuple.__new__


def _applications(sheet: _Sheet, header: int, cols: dict[str, int], schema: Schema,
                  register: Register, seen: dict[str, tuple[str, int]]) -> None:
    """The sheet's countable rows into ``register``; ``seen`` holds the 编号 of earlier rows (and
    sheets: a register kept one sheet per year is read as one)."""
    # the fields read, by one itemgetter; an optional one that is missing (是否延期, 补正日期) is read
    # from column 0 and then set None: no row is padded for it (a tuple made per row)
    indexes = [cols.get(f, 0) for f in _READ]
    fields = itemgetter(*indexes)
    width = max(indexes) + 1
    no_ext, no_cor = "extended" not in cols, "corrected" not in cols
    date, yes = _Memo(parse_date), _Memo(parse_yes)
    applicant = _Memo(lambda v: applicant_key(plain(v)))
    outcome_of = _Memo(lambda v: outcome_key(plain(v), schema))
    dates_get, yeses_get, kinds_get, outcomes_get = date.seen.get, yes.seen.get, applicant.seen.get, outcome_of.seen.get
    rows, name, problems, apps = sheet.rows, sheet.name, register.problems, register.applications
    padding = (None,) * width
    for number, row in enumerate(rows[header + 1:], header + 2):
        if not any(row):
            continue
        if len(row) < width:
            row = (*row, *padding[len(row):])
        raw_id, raw_rec, raw_type, raw_out, raw_con, raw_ext, raw_cor = fields(row)
        if no_ext:
            raw_ext = None
        if no_cor:
            raw_cor = None
        if type(raw_id) is str and raw_id.isascii():
            ident = raw_id.strip()
        elif type(raw_id) is str and len(raw_id) > 2 * MAX_ID_CHARS:
            ident = raw_id  # too long to be one: refused below without normalising (slow on long text)
        else:
            ident = normal_id(raw_id)
        if ident in TOTAL_ROWS:
            register.notes.append(f"“{name}”第{number}行是合计行，已跳过")
            continue
        try:
            if not ident:
                if not any(plain(v) for v in row if v is not None):
                    continue  # only spaces (a CSV row of blank cells)
                raise ValueProblem("缺少编号")
            if len(ident) > MAX_ID_CHARS:
                ident_long, ident = ident, ""
                raise ValueProblem(f"编号“{shown(ident_long)}”过长，不像申请编号（编号至多 {MAX_ID_CHARS} 个字符）")
            if ident in seen:
                where = f"第{seen[ident][1]}行" if seen[ident][0] == name else f"“{seen[ident][0]}”第{seen[ident][1]}行"
                raise ValueProblem(f"编号“{ident}”与{where}重复，以{where}为准")
            # each value looked up among those seen before (a dict lookup; the converter is called
            # on a first sight or a bad value, which then raises its problem)
            received = dates_get(raw_rec, _UNSEEN)
            if type(received) is _Bad:
                received = date(raw_rec)
            if received is None:
                raise ValueProblem("缺少收到日期")
            kind = kinds_get(raw_type, _UNSEEN)
            if type(kind) is _Bad:
                kind = applicant(raw_type)
            outcome = outcomes_get(raw_out, _UNSEEN)
            if type(outcome) is _Bad:
                outcome = outcome_of(raw_out)
            concluded = dates_get(raw_con, _UNSEEN)
            if type(concluded) is _Bad:
                concluded = date(raw_con)
            if concluded is not None and concluded < received:
                raise ValueProblem(f"办结日期 {concluded} 早于收到日期 {received}")
            if outcome is None and concluded is not None:
                raise ValueProblem("有办结日期但没有办理结果")
            if outcome is not None and concluded is None:
                raise ValueProblem("有办理结果但没有办结日期")
            extended = yeses_get(raw_ext, _UNSEEN)
            if type(extended) is _Bad:
                extended = yes(raw_ext)
            corrected = dates_get(raw_cor, _UNSEEN) if raw_cor is not None else None
            if type(corrected) is _Bad:
                corrected = date(raw_cor)
        except ValueProblem as e:
            problems.append(RowProblem(name, number, str(e)))
            if ident and ident not in seen:
                seen[ident] = (name, number)  # a bad row still holds its 编号: a later duplicate is named
            continue
        seen[ident] = (name, number)
        # tuple.__new__ as Application's own __new__ does, without its Python frame (~0.3 µs a row)
        apps.append(_new_tuple(Application, (ident, number, received, kind, outcome, concluded, extended, corrected,
                                             name)))


def _cases(sheet: _Sheet, header: int, cols: dict[str, int], register: Register) -> None:
    cases: list[Case] = []
    for i in range(header + 1, len(sheet.rows)):
        row, number = sheet.rows[i], i + 1
        if not any(v is not None and plain(v) for v in row):
            continue
        ident = normal_id(_cell(row, cols.get("id")))[:MAX_ID_CHARS] or f"第{number}行"
        if ident in TOTAL_ROWS:
            continue
        try:
            group = case_group(plain(_cell(row, cols["group"])))
            part = case_part(plain(_cell(row, cols["part"])))
            day = parse_date(_cell(row, cols.get("date")))
        except ValueProblem as e:
            register.problems.append(RowProblem(sheet.name, number, str(e)))
            continue
        cases.append(Case(ident, number, group, part, day))
    if cases or register.cases is not None:  # an empty case sheet leaves 表四 as it is
        register.cases = (register.cases or []) + cases


def _missing_error(name: str, sheet: _Sheet | None, header: int, cols: dict[str, int]) -> HeadersNotFound:
    missing = [f for f in REQUIRED if f not in cols]
    headers = [plain(v) for v in sheet.rows[header]] if sheet is not None and header >= 0 else []
    names = "、".join(field_name(f) for f in missing)
    found = "、".join(h for h in headers if h) or "（无）"
    return HeadersNotFound(
        f"“{name}”中找不到台账的列：{names}。找到的表头为：{found}。"
        f"请把表头改为标准名称，或指定列的对应关系（如 --columns 收到日期=来件日期）", headers, missing)


def _read_sheets(name: str, data: bytes, mapping: dict[str, str]) -> list[_Sheet]:
    kind = _kind(name, data)
    if kind == "csv":
        return [_Sheet("", _csv_rows(data, name))]
    if kind == "xlsx":
        from .xlsx_rows import read_sheets
    elif kind == "xls":
        from .xls_rows import read_sheets  # type: ignore[no-redef]
    else:
        from .ods_rows import read_sheets  # type: ignore[no-redef]
    sheets = [_Sheet(title, rows) for title, rows in read_sheets(data, name, _chooser(mapping))]
    if not sheets:
        raise FileFormatError(f"“{name}”中没有工作表（可能只有图表），不是台账；请打开含台账的工作簿")
    return sheets


_HTML = re.compile(rb"^\s*(?:<!doctype|<html|<table|<meta|<head|<\?xml)", re.I)


def _kind(name: str, data: bytes) -> str:
    """What the file is inside — "xlsx", "xls" (also WPS .et), "ods" or "csv" — whatever its
    name says; a Chinese reason when it is none of them."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileFormatError(f"“{name}”不是台账文件：支持 {KINDS_TEXT}")
    from .xls_rows import MAGIC

    if data.startswith(MAGIC):
        return "xls"  # Excel 97-2003 and WPS .et (an encrypted .xlsx is such a file too: said there)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist()[:5000])
                mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
            raise FileFormatError(f"“{name}”不是有效的 Excel 工作簿，可能已损坏或只下载了一部分") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and b"spreadsheet" in mimetype:
            return "ods"
        if "xl/workbook.bin" in names:
            raise FileFormatError(f"“{name}”是 Excel 二进制工作簿（.xlsb），无法读取；请在 Excel/WPS 中另存为 .xlsx 再读取")
        if "word/document.xml" in names or b"text" in mimetype:
            raise FileFormatError(f"“{name}”是文字处理文档，不是台账表格")
        raise FileFormatError(f"“{name}”不是有效的 Excel 工作簿（压缩包中没有工作表），可能已损坏")
    if suffix == ".csv":
        return "csv"
    if _HTML.match(data[:1024].lstrip(b"\xef\xbb\xbf")):  # “导出为 Excel” of many web systems
        raise FileFormatError(f"“{name}”实际是网页（HTML）格式，不是 Excel 工作簿；"
                              "请在 Excel/WPS 中打开后另存为 .xlsx 再读取")
    if not data.strip():
        raise FileFormatError(f"“{name}”是空文件")
    head = data[:4096]
    if b"\0" not in head and (b"," in head or b"\t" in head):
        return "csv"  # a text export named .xls (tab- or comma-separated)
    raise FileFormatError(f"“{name}”不是有效的 Excel 工作簿（内容既不是 .xlsx、.xls/.et、.ods，也不是文本表格），"
                          "可能已损坏；请在 Excel/WPS 中打开后另存为 .xlsx 再读取")


def _csv_rows(data: bytes, name: str) -> list[Sequence[object]]:
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 ⊃ GBK ⊃ GB2312: what Excel/WPS save in China
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileFormatError(f"“{name}”不是 UTF-8 或 GBK 编码的 CSV 文件")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    # newline=None: CR-only (old Mac, some exports) and mixed line endings read as lines
    reader = csv.reader(io.StringIO(text, newline=None), dialect)
    try:
        rows: list[Sequence[object]] = list(itertools.islice(reader, MAX_CSV_ROWS + 1))  # cells stay text: "" is empty
    except csv.Error:  # a cell over csv's 128 KB (an unclosed quote)
        raise FileFormatError(f"“{name}”第{reader.line_num}行附近无法读取：引号（\"）不成对或单元格过长。"
                              "请在 Excel/WPS 中打开后另存为 CSV 再读取") from None
    if len(rows) > MAX_CSV_ROWS:
        raise FileFormatError(f"“{name}”超过 {MAX_CSV_ROWS:,} 行，不像一个年度的台账；请只保留要统计的年度后再读取")
    return rows


UNREAD = ("applicant", "content", "remark")  # columns recognised so as never to be read


def _chooser(mapping: dict[str, str]) -> Callable[[list[Sequence[object]]], set[int] | None]:
    """The columns worth reading below a sheet's top rows: the register's or the case list's."""

    def choose(top: list[Sequence[object]]) -> set[int] | None:
        sheet = _Sheet("", top)
        _, cols = _find_header(sheet, FIELDS, REQUIRED, mapping)
        if all(f in cols for f in REQUIRED):
            return {c for f, c in cols.items() if f not in UNREAD}
        _, case_cols = _find_header(sheet, CASE_FIELDS, CASE_REQUIRED, {})
        return set(case_cols.values()) if all(f in case_cols for f in CASE_REQUIRED) else None

    return choose


def read_register(path: str | os.PathLike[str], mapping: dict[str, str] | None = None,
                  cases_path: str | os.PathLike[str] | None = None, schema: Schema | None = None) -> Register:
    """Read a register file (and optionally a separate case list) into a :class:`Register`.

    ``mapping`` names columns whose headers are not recognised: field name (``收到日期`` or ``received``)
    → header text or column letter. Unusable files raise :class:`FileFormatError` (Chinese);
    unmatched columns raise :class:`HeadersNotFound`.
    """
    fields_by_name = {field_name(f): f for f in FIELDS} | {f: f for f in FIELDS}
    app_map = {fields_by_name.get(k, k): v for k, v in (mapping or {}).items()}
    unknown = [k for k in app_map if k not in FIELDS]
    if unknown:
        raise FileFormatError(f"--columns 中的“{'、'.join(unknown)}”不是台账的列名（可用：{'、'.join(field_name(f) for f in FIELDS)}）")
    p = Path(path)
    data = _read_bytes(p)
    register = Register(p.name, hashlib.sha256(data).hexdigest())
    # Hundreds of thousands of small acyclic objects: the cycle collector would only rescan them
    # (a quarter of the reading time of a 100,000-row register).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _read_into(register, p.name, data, app_map, schema or load_schema())
    finally:
        if was_enabled:
            gc.enable()
    if cases_path is not None:
        read_cases(cases_path, register)
    return register


def _read_into(register: Register, name: str, data: bytes, app_map: dict[str, str], schema: Schema) -> None:
    best: tuple[_Sheet | None, int, dict[str, int]] = (None, -1, {})
    seen: dict[str, tuple[str, int]] = {}
    found = False
    for sheet in _read_sheets(name, data, app_map):
        header, cols = _find_header(sheet, FIELDS, REQUIRED, app_map)
        if all(f in cols for f in REQUIRED):
            _applications(sheet, header, cols, schema, register, seen)
            found = True
            continue
        if len([f for f in REQUIRED if f in cols]) > len([f for f in REQUIRED if f in best[2]]):
            best = (sheet, header, cols)
        case_header, case_cols = _find_header(sheet, CASE_FIELDS, CASE_REQUIRED, {})
        if all(f in case_cols for f in CASE_REQUIRED) and "applicant_type" not in cols:
            _cases(sheet, case_header, case_cols, register)
    if not found:
        raise _missing_error(name, *best)


def read_cases(path: str | os.PathLike[str], register: Register) -> None:
    """Add the cases of a separate case-list file (表四) to ``register``."""
    p = Path(path)
    for sheet in _read_sheets(p.name, _read_bytes(p), {}):
        header, cols = _find_header(sheet, CASE_FIELDS, CASE_REQUIRED, {})
        if all(f in cols for f in CASE_REQUIRED):
            _cases(_Sheet(sheet.name or p.name, sheet.rows), header, cols, register)
            return
    raise FileFormatError(f"“{p.name}”中找不到案件清单的列“类型”和“结果”")


def _read_bytes(p: Path) -> bytes:
    # devices and FIFOs refused before they are opened; the size bounds memory (a CSV costs ~10x)
    limit = MAX_CSV_BYTES if p.suffix.lower() == ".csv" else MAX_BOOK_BYTES
    return read_regular(p, limit, "台账文件")


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["收到日期=来件日期", "编号=A"]`` → ``{"收到日期": "来件日期", "编号": "A"}``."""
    out: dict[str, str] = {}
    for item in items:
        for part in re.split(r"[,，;；]", item):
            if not part.strip():
                continue
            key, sep, value = unicodedata.normalize("NFKC", part).partition("=")
            if not sep or not key.strip() or not value.strip():
                raise FileFormatError(f"列对应“{part}”应写作 列名=表头（如 收到日期=来件日期）")
            out[key.strip()] = value.strip()
    return out

