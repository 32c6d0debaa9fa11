"""The ``.govreport`` file: UTF-8 JSON, versioned, saved atomically with a backup of the previous file.

Every problem with a file becomes a :class:`FileFormatError` whose text is a Chinese sentence naming
the file and what is wrong; nothing is overwritten when loading fails.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from .document import SECTION_IDS, Meta, Report, Waiver
from .numbers import format_fee
from .register_source import RegisterSource
from .schema import load_schema

FORMAT = "govreport"
VERSION = 1
SUFFIX = ".govreport"
MAX_BYTES = 50 * 1024 * 1024  # a real report is ~20 kB; anything this big is not ours


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


def _parse_meta(raw: object, name: str) -> Meta:
    if not isinstance(raw, dict):
        raise FileFormatError(f"“{name}”缺少报告信息（meta），文件可能已损坏")
    meta = Meta()
    meta.agency = str(raw.get("agency") or "")
    year = raw.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    meta.year = year if isinstance(year, int) and not isinstance(year, bool) and year > 0 else None
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
    for key, raw in cells.items():
        if key in schema.cells:
            report.cells[key] = report.coerce(key, raw)
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
    last = data.get("last")
    if isinstance(last, dict):
        report.last = from_dict({"format": FORMAT, "version": VERSION, **last}, f"{name}（上年报告）")
    return report


def _plain(value: object) -> object:
    return format_fee(value) if isinstance(value, Decimal) else value


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
    data["cells"].update(report.unknown_cells)
    if report.register is not None:
        data["register"] = report.register.to_json()
    if include_last and report.last is not None:
        last = to_dict(report.last, include_last=False)
        data["last"] = {k: last[k] for k in ("template", "meta", "cells", "sections")}
    return data


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=1) + "\n"


def loads(text: str, name: str = "文件") -> Report:
    try:
        data = json.loads(text, parse_float=Decimal)
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


def load(path: str | os.PathLike[str]) -> Report:
    """Open a ``.govreport`` file; every failure is a :class:`FileFormatError` in Chinese."""
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise FileFormatError(f"“{name}”过大（{size // 1024 // 1024} MB），不是 GovReport 报告文件")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(f"找不到文件“{p}”") from None
    except IsADirectoryError:
        raise FileFormatError(f"“{p}”是文件夹，不是报告文件") from None
    except PermissionError:
        raise FileFormatError(f"没有权限读取“{p}”") from None
    except OSError as e:
        raise FileFormatError(f"无法读取“{p}”：{e.strerror or e}") from None
    if not raw.strip():
        raise FileFormatError(f"“{name}”是空文件，请使用备份文件（.bak）")
    if raw.startswith(b"PK\x03\x04"):
        raise FileFormatError(f"“{name}”是 Word/Excel 等 Office 文件，不是 GovReport 报告文件，请用“导入”打开")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(f"“{name}”不是 UTF-8 文本，不是 GovReport 报告文件（或已损坏）") from None
    return loads(text, name)


def atomic_write(path: str | os.PathLike[str], data: bytes, backup: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file, never half.

    Temp file in the same folder + fsync + ``os.replace``; the previous file is copied to
    ``path + '.bak'`` first.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and target.exists():
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable (POSIX); Windows has no directory fds
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def save(report: Report, path: str | os.PathLike[str]) -> None:
    """Save atomically; a failure raises :class:`FileFormatError` and leaves the old file intact."""
    try:
        atomic_write(path, dumps(report).encode("utf-8"))
    except PermissionError:
        raise FileFormatError(f"没有权限写入“{path}”，请另存到其他文件夹") from None
    except OSError as e:
        raise FileFormatError(f"无法保存“{path}”：{e.strerror or e}（原文件未改动）") from None
