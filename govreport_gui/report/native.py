"""The ``.govreport`` file: UTF-8 JSON, versioned, saved atomically with a backup of the previous file.

Every problem with a file becomes a :class:`FileFormatError` whose text is a Chinese sentence naming
the file and what is wrong; nothing is overwritten when loading fails.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

# atomic_write and its helpers live in .atomic; writers and tests import them from here too
from .atomic import STALE_TMP_SECONDS, ReadOnlyFile, atomic_write, backup_path, clean_stale_temps  # noqa: F401
from .document import SECTION_IDS, Meta, Report, Waiver, clean_text, encodable, enforce_bounds, schema_facts
from .numbers import MAX_COUNT, format_fee
from .register_source import RegisterSource
from .schema import load_schema

FORMAT = "govreport"
VERSION = 1
SUFFIX = ".govreport"
# A real report is ~20 kB (~60 kB with last year's inside); parsing JSON costs ~30× its size in
# memory at worst (tiny objects), so this bounds a hostile file at ~120 MB.
MAX_BYTES = 4 * 1024 * 1024
MAX_DIGITS = 30  # an integer longer than this is no count; int() of 4,300+ digits even raises
MAX_NESTING = 64  # levels of lists/objects in an unknown field (a newer version's data: a few)
MAX_UNKNOWN_NODES = 20_000  # values in all unknown fields and cells together (see _Budget)


class FileFormatError(Exception):
    """A file that cannot be used; ``str(err)`` is a Chinese message for the user."""


# version n → function turning a version-n dict into a version-(n+1) dict. Empty until version 2.
UPGRADES: dict[int, Callable[[dict], dict]] = {}


def _upgrade(data: dict, name: str) -> dict:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(f"“{name}”的版本号“{version}”无效，文件可能已损坏")
    if version > VERSION:
        raise FileFormatError(
            f"“{name}”由更新版本的 GovReport 保存（文件版本 {version}，本软件支持到 {VERSION}），"
            "请升级软件后再打开"
        )
    while data["version"] < VERSION:
        data = UPGRADES[data["version"]](data)
    return data


# the keys this version reads; any other key a file holds is a newer version's and is kept as it came
_KNOWN = {"": {"format", "version", "template", "meta", "cells", "sections", "waivers", "register", "last",
               "recovery"},  # "recovery": what autosave adds, never part of a report
          "meta": {"agency", "year", "date", "level", "title"}, "sections": set(SECTION_IDS)}


class _Budget:
    """What a file's unknown data may hold: :data:`MAX_NESTING` levels, :data:`MAX_UNKNOWN_NODES`
    lists/objects/values in all (a newer version adds a few fields; 1.4 million empty objects in a
    4 MB file took 23 s to walk and write back)."""

    def __init__(self) -> None:
        self.left = MAX_UNKNOWN_NODES

    def takes(self, value: object) -> bool:
        """Whether ``value`` fits (and if so, spend its nodes); walked without recursion: 900
        levels once made every save, carry and import raise RecursionError."""
        stack, spent = [(value, 0)], 0
        while stack:
            v, depth = stack.pop()
            spent += 1
            if spent > self.left:
                return False
            if isinstance(v, (dict, list)):
                if depth >= MAX_NESTING or spent + len(stack) + len(v) > self.left:
                    return False  # (each value on the stack is spent later: never more than the budget stacked)
                stack.extend((x, depth + 1) for x in (v.values() if isinstance(v, dict) else v))
        self.left -= spent
        return True


def _keep_unknown(report: Report, part: str, raw: object, name: str, budget: _Budget) -> None:
    """Keep the keys of ``raw`` (a dict from the file) that this version does not read."""
    if not isinstance(raw, dict):
        return
    for key, value in raw.items():
        if key in _KNOWN[part]:
            continue
        if not budget.takes(value):
            report.import_notes.append(_unusual(name, "未知数据", key))
            continue
        report.unknown_fields.setdefault(part, {})[str(key)] = value


def _unusual(name: str, what: str, key: object) -> str:
    return (f"“{name}”中的{what}“{clean_text(str(key))[:40]}”嵌套超过{MAX_NESTING}层或过于庞大，"
            "不是正常的报告数据，已忽略")


def _parse_meta(raw: object, name: str) -> Meta:
    if not isinstance(raw, dict):
        raise FileFormatError(f"“{name}”缺少报告信息（meta），文件可能已损坏")
    meta = Meta()
    meta.agency = str(raw.get("agency") or "")
    year = raw.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    meta.year = year if isinstance(year, int) and not isinstance(year, bool) else None  # range: enforce_bounds
    date = raw.get("date")
    meta.date = str(date) if date else None
    meta.level = "government" if raw.get("level") == "government" else "department"
    meta.title = str(raw.get("title") or "")
    if meta.title.strip() == Meta(meta.agency, meta.year).effective_title():
        meta.title = ""  # the default title is derived, so renaming the agency renames the report
    return meta


def from_dict(data: object, name: str = "文件") -> Report:
    """A report from the decoded JSON of a ``.govreport`` file (after version upgrades)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileFormatError(f"“{name}”不是 GovReport 报告文件（缺少 \"format\": \"govreport\"）")
    data = _upgrade(data, name)
    template = data.get("template", "2021")
    try:
        schema = load_schema(str(template))
    except KeyError:
        raise FileFormatError(f"“{name}”使用的报告格式“{template}”本软件不支持（支持 2021 格式）") from None
    report = Report(schema=schema, meta=_parse_meta(data.get("meta"), name))
    cells = data.get("cells", {})
    if not isinstance(cells, dict):
        raise FileFormatError(f"“{name}”的表格数据（cells）不是键值表，文件可能已损坏")
    budget = _Budget()
    facts = schema_facts(schema)
    count_keys, key_of, into = facts.count_keys, facts.key_of, report.cells
    for key, raw in cells.items():
        if type(raw) is int and key in count_keys and 0 <= raw <= MAX_COUNT:
            into[key_of[key]] = raw  # what coerce gives a plain count, without its call (a roll-up reads 2 million)
        elif key in schema.cells:
            into[key_of[key]] = report.coerce(key, raw)
        elif not budget.takes(raw):
            report.import_notes.append(_unusual(name, "未知单元格", key))
        else:
            report.unknown_cells[str(key)] = raw
    sections = data.get("sections", {})
    if not isinstance(sections, dict):
        raise FileFormatError(f"“{name}”的正文（sections）格式不对，文件可能已损坏")
    for sid in SECTION_IDS:
        paras = sections.get(sid, [])
        if isinstance(paras, str):
            paras = paras.split("\n")
        if not isinstance(paras, list):
            raise FileFormatError(f"“{name}”的正文“{sid}”不是段落列表，文件可能已损坏")
        report.sections[sid] = [str(p) for p in paras if p is not None]
    waivers = data.get("waivers") or []
    for w in waivers if isinstance(waivers, list) else []:
        if isinstance(w, dict) and isinstance(w.get("rule"), str):
            cells_w = w.get("cells") or []
            report.waivers.append(Waiver(w["rule"], tuple(str(c) for c in cells_w), str(w.get("reason", ""))))
    report.register = RegisterSource.from_json(data.get("register"))
    for part, raw in (("", data), ("meta", data.get("meta")), ("sections", sections)):
        _keep_unknown(report, part, raw, name, budget)
    last = data.get("last")
    if isinstance(last, dict):  # last year's own "last" is not read: one year back is the chain
        last = {k: v for k, v in last.items() if k not in ("last", "format", "version")}
        report.last = from_dict({"format": FORMAT, "version": VERSION, **last}, f"{name}（上年报告）")
        report.import_notes += report.last.import_notes
        report.last.import_notes = []
    enforce_bounds(report)
    return report


def _plain(value: object) -> object:
    return format_fee(value) if isinstance(value, Decimal) else value


def _json_value(value: object) -> object:
    """An unknown cell's value as JSON can hold it: files are read with ``parse_float=Decimal``,
    which ``json.dumps`` refuses; a decimal goes back as the same number, or as text when no
    float holds it exactly."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and value.adjusted() < MAX_DIGITS:
            return int(value)
        as_float = float(value)
        return as_float if value.is_finite() and Decimal(repr(as_float)) == value else str(value)
    if isinstance(value, str):
        return encodable(value)  # JSON holds control characters: the field stays as it came
    if isinstance(value, dict):
        return {encodable(str(k)): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def to_dict(report: Report, include_last: bool = True) -> dict:
    m = report.meta
    data: dict = {
        "format": FORMAT,
        "version": VERSION,
        "template": report.schema.template,
        "meta": {
            "agency": m.agency,
            "year": m.year,
            "date": m.date,
            "level": m.level,
            "title": m.effective_title(),
        },
        "cells": {k: _plain(report.cells[k]) for k in report.schema.cells if report.cells.get(k) is not None},
        "sections": {sid: list(report.sections.get(sid, [])) for sid in SECTION_IDS},
        "waivers": [{"rule": w.rule, "cells": list(w.cells), "reason": w.reason} for w in report.waivers],
    }
    data["cells"].update(_json_value(report.unknown_cells))  # type: ignore[arg-type]
    if report.register is not None:
        data["register"] = report.register.to_json()
    if include_last and report.last is not None:
        last = to_dict(report.last, include_last=False)
        data["last"] = {k: last[k] for k in ("template", "meta", "cells", "sections")}
        data["last"].update({k: v for k, v in last.items() if k not in _KNOWN[""]})
    for part, fields in report.unknown_fields.items():  # a newer version's fields, as they came
        target = data if not part else data.get(part)
        if isinstance(target, dict):
            for key, value in fields.items():
                target.setdefault(key, _json_value(value))
    return data


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=1) + "\n"


class _TooLong(Exception):
    pass


def _parse_int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise _TooLong(len(text))
    return int(text)


def _parse_float(text: str) -> Decimal:
    if len(text) > 2 * MAX_DIGITS:
        raise _TooLong(len(text))
    return Decimal(text)


# MAX_DIGITS digits in a row, wherever they are: only then can a number be too long for _parse_int
# (with its sign, a JSON integer of fewer digits is at most MAX_DIGITS characters). Looked for in
# the UTF-8 bytes with every digit made a 9 (a digit is one byte there, and no other character's
# bytes are digits): 10 µs for a report, where a regular expression took 40–140 µs.
_DIGITS_AS_NINES = bytes.maketrans(b"0123456789", b"9" * 10)
_LONG_RUN = b"9" * MAX_DIGITS


def _long_digits(text: str) -> bool:
    return _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_NINES)


def loads(text: str, name: str = "文件") -> Report:
    try:
        # a file without such a run: every integer parses as _parse_int would parse it, but by
        # json's C scanner itself (a Python call per number was 40 % of the decoding)
        as_int = _parse_int if _long_digits(text) else None
        data = json.loads(text, parse_float=_parse_float, parse_int=as_int)
    except _TooLong as e:
        raise FileFormatError(f"“{name}”中有位数过多的数字（{e.args[0]}位），不是正常的报告数据，文件可能已损坏") from None
    except json.JSONDecodeError as e:
        raise FileFormatError(
            f"“{name}”已损坏或不完整（第{e.lineno}行第{e.colno}列无法读取），请使用备份文件（.bak）"
        ) from None
    except RecursionError:
        raise FileFormatError(f"“{name}”的内容嵌套过深，不是 GovReport 报告文件") from None
    try:
        return from_dict(data, name)
    except FileFormatError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError, RecursionError):
        # A hand-edited or foreign JSON file whose shapes we did not foresee: never a traceback.
        raise FileFormatError(f"“{name}”的内容不符合 GovReport 报告文件的格式，文件可能已损坏") from None


def _why(e: OSError) -> str:
    from .oserrors import os_error_text

    return os_error_text(e)


def require_regular(path: Path, what: str = "报告文件") -> os.stat_result:
    """The file's stat, after refusing folders, devices, FIFOs and sockets (which readers would
    read without end or block on) with a Chinese :class:`FileFormatError`."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileFormatError(f"找不到文件“{path}”") from None
    except OSError as e:
        raise FileFormatError(f"无法读取“{path}”：{_why(e)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise FileFormatError(f"“{path}”是文件夹，不是{what}")
    if not stat.S_ISREG(st.st_mode):
        raise FileFormatError(f"“{path.name}”不是普通文件（可能是设备、管道或特殊链接），不能作为{what}打开")
    return st


def read_regular(path: str | os.PathLike[str], limit: int, what: str = "报告文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else a :class:`FileFormatError`.

    Devices (a link to /dev/zero), FIFOs and sockets are refused before they are opened (a FIFO
    would block), and at most ``limit + 1`` bytes are read whatever the size claims.
    """
    p = Path(path)
    try:
        st = require_regular(p, what)
        if st.st_size > limit:
            raise FileFormatError(f"“{p.name}”过大（{st.st_size // 1024} KB），不是{what}")
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not hang
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                raise FileFormatError(f"“{p.name}”不是普通文件，不能作为{what}打开")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                # the size the file has, then whatever it grew by: read(limit + 1) made a buffer
                # of 4 MB for every 20 KB report (a roll-up reads 10,000)
                want = min(max(opened.st_size, 0), limit) + 1
                raw = fh.read(want)
                if len(raw) == want and want <= limit:
                    raw += fh.read(limit + 1 - want)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise FileFormatError(f"找不到文件“{p}”") from None
    except IsADirectoryError:
        raise FileFormatError(f"“{p}”是文件夹，不是{what}") from None
    except PermissionError:
        raise FileFormatError(f"没有权限读取“{p}”") from None
    except OSError as e:
        raise FileFormatError(f"无法读取“{p}”：{_why(e)}") from None
    if len(raw) > limit:
        raise FileFormatError(f"“{p.name}”过大（超过 {limit // 1024} KB），不是{what}")
    return raw


def load(path: str | os.PathLike[str]) -> Report:
    """Open a ``.govreport`` file; every failure is a :class:`FileFormatError` in Chinese."""
    p = Path(path)
    name = p.name
    raw = read_regular(p, MAX_BYTES, "GovReport 报告文件")
    if not raw.strip():
        raise FileFormatError(f"“{name}”是空文件，请使用备份文件（.bak）")
    if raw.startswith(b"PK\x03\x04"):
        raise FileFormatError(f"“{name}”是 Word/Excel 等 Office 文件，不是 GovReport 报告文件，请用“导入”打开")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(f"“{name}”不是 UTF-8 文本，不是 GovReport 报告文件（或已损坏）") from None
    return loads(text, name)


class ReadOnlyReport(FileFormatError):
    """The report file is marked read-only: it is not replaced (as Word refuses); save it as another file."""


def save(report: Report, path: str | os.PathLike[str]) -> None:
    """Save atomically; a failure raises :class:`FileFormatError` (Chinese, the system's reason in
    Chinese too) and leaves the old file intact."""
    from .oserrors import os_error_text

    name = Path(path).name
    try:
        atomic_write(path, dumps(report).encode("utf-8"))
    except ReadOnlyFile:
        raise ReadOnlyReport(f"“{name}”是只读文件，不能覆盖（原文件未改动）；请用“另存为”保存为其他文件") from None
    except PermissionError:
        raise FileFormatError(f"没有权限写入“{path}”（原文件未改动），请另存到其他文件夹") from None
    except OSError as e:
        raise FileFormatError(f"无法保存“{path}”：{os_error_text(e)}（原文件未改动）") from None
