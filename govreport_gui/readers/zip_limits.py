"""Reading Office files (zip archives) within what a real annual report can hold.

Sizes declared in a zip can lie, so members are decompressed as a stream and the bytes *actually*
produced are counted; XML is also bounded by its number of tags (each becomes an object in memory,
so a few MB of ``<w:p/>`` would otherwise cost gigabytes). Every refusal is a Chinese
:class:`FileFormatError`.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..report.native import FileFormatError

# A real report: document.xml < 2 MB, a workbook's XML < 5 MB, ~50k tags. Ten times that is allowed.
MAX_MEMBERS = 2000
MAX_XML_BYTES = 24 * 1024 * 1024  # all XML members together, decompressed
MAX_OTHER_BYTES = 64 * 1024 * 1024  # images and the like, decompressed
MAX_TAGS = 120_000  # "<" in all XML members (start and end tags); a real report has ~10k
# a workbook's merges cover at most this many cells in all, its sheets together (a real report's
# ~300; openpyxl styles every merged cell at ~16 µs: 100,000 took 1.5 s)
MAX_MERGED_CELLS = 20_000
# inflated 64 KB at a time into one buffer grown in place: megabyte pieces, or pieces joined at
# the end, had the allocator hand memory back and forth (a 45 MB sheet: 11,800 → 23,000 page faults)
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one kind of file may hold, decompressed (see the module constants for a report)."""

    xml_bytes: int = MAX_XML_BYTES
    other_bytes: int = MAX_OTHER_BYTES
    tags: int = MAX_TAGS
    what: str = "年度报告"  # in the refusal: "超出年度报告可能的大小"


REPORT = Limits()
# A register of applications is one row per application: 100,000 rows as openpyxl writes them are
# 66 MB of sheet XML with 4.9 million "<" (bench/RESULTS-register.md); ~1.2x that is allowed.
REGISTER = Limits(xml_bytes=80 * 1024 * 1024, tags=6_000_000, what="台账")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
_FORMULA = re.compile(rb"<f[\s>/]")
_VALUE = re.compile(rb"<v>[^<]")
_BOOK, _BOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@dataclass
class ZipScan:
    """What :func:`scan` read: chosen members' bytes, and how many formulas had no cached value."""

    members: dict[str, bytes] = field(default_factory=dict)
    uncached: dict[str, int] = field(default_factory=dict)  # worksheet member → formulas without a value
    merged_area: int = 0  # cells covered by the merges of the worksheets scanned so far

    @property
    def uncached_formulas(self) -> int:
        return sum(self.uncached.values())

    def sheet_members(self) -> dict[str, str]:
        """Worksheet title → its member in the archive (from workbook.xml and its relationships)."""
        book, rels = self.members.get(_BOOK, b""), self.members.get(_BOOK_RELS, b"")
        targets = {a.get(b"Id"): a.get(b"Target", b"") for a in (dict(_ATTR.findall(m.group(0))) for m in _REL.finditer(rels))}
        out: dict[str, str] = {}
        for m in _SHEET.finditer(book):
            attrs = dict(_ATTR.findall(m.group(0)))
            title, rid = attrs.get(b"name"), attrs.get(b"r:id") or attrs.get(b"id")
            if title is not None and rid in targets:
                target = targets[rid].decode("utf-8", "replace").lstrip("/")
                out[html.unescape(title.decode("utf-8", "replace"))] = (
                    target if target.startswith("xl/") else f"xl/{target}")
        return out


def _too_big(name: str, kind: str, limits: Limits) -> FileFormatError:
    return FileFormatError(f"“{name}”解压后内容过多（超出{limits.what}可能的大小），不像 {kind}，可能是恶意构造的压缩包，已拒绝打开")


def scan(path: Path, kind: str, keep: tuple[str, ...] = (), worksheets: bool = False,
         limits: Limits = REPORT, data: bytes | None = None, skip: tuple[str, ...] = ()) -> ZipScan:
    """Decompress every member of ``path`` (or of ``data``, its bytes already read) within
    ``limits``; return the members named in ``keep`` (a name ending in "/": all in that folder). With ``worksheets``, also refuse giant merges
    and count uncached formulas. Members in ``skip`` are left to a caller that streams them."""
    name = path.name
    folders = tuple(k for k in keep if k.endswith("/"))  # "xl/worksheets/": every member in it
    out = ZipScan()
    xml_bytes = other_bytes = tags = 0
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _too_big(name, kind, limits)
            for info in infos:
                if info.is_dir() or info.filename in skip:
                    continue
                is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
                wanted = info.filename in keep or info.filename.startswith(folders)
                kept = wanted or (worksheets and (info.filename.startswith("xl/worksheets/")
                                                  or info.filename in (_BOOK, _BOOK_RELS)))
                parts = io.BytesIO()  # see _CHUNK
                with z.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        if is_xml:
                            xml_bytes += len(chunk)
                            tags += chunk.count(b"<")
                            if xml_bytes > limits.xml_bytes or tags > limits.tags:
                                raise _too_big(name, kind, limits)
                        else:
                            other_bytes += len(chunk)
                            if other_bytes > limits.other_bytes:
                                raise _too_big(name, kind, limits)
                        if kept:
                            parts.write(chunk)
                if kept:
                    data = parts.getvalue()
                    if wanted or info.filename in (_BOOK, _BOOK_RELS):
                        out.members[info.filename] = data
                    if worksheets and info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        _check_sheet(data, name, out, info.filename)
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _not_a_zip(path, data, name, kind) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as e:
        # a zip member with a password (rare: Office encrypts the whole file, see _not_a_zip) raises RuntimeError
        reason = "文件设置了密码" if isinstance(e, RuntimeError) else "压缩格式本软件不支持或文件已损坏"
        raise FileFormatError(f"无法读取“{name}”（{reason}）：请在 Office 或 WPS 中打开，取消密码后另存，再导入") from None
    return out


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003 and of encrypted files
_OLE_SCAN = 8 * 1024 * 1024  # where the stream names are looked for (the directory is near the start)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _not_a_zip(path: Path, data: bytes | None, name: str, kind: str) -> FileFormatError:
    """Why an Office file is no zip archive: a password (an encrypted OOXML file is an OLE compound
    file holding ``EncryptedPackage``), an old .doc/.xls renamed, or damage — each with what to do."""
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read(_OLE_SCAN)
    except OSError:
        data = b""
    head = data[:_OLE_SCAN]
    excel = "Excel" in kind
    app, new = ("Excel 或 WPS 表格", ".xlsx") if excel else ("Word 或 WPS 文字", ".docx")
    if head.startswith(_OLE):
        if _utf16("EncryptedPackage") in head or _utf16("EncryptionInfo") in head:
            return FileFormatError(f"“{name}”设置了打开密码（文件已加密），无法读取：请在{app}中用密码打开，"
                                   f"取消密码（文件→信息→保护→用密码进行加密，清空密码）并保存后再导入")
        if _utf16("WordDocument") in head:
            return FileFormatError(f"“{name}”是旧格式的 Word 文档（.doc，只是扩展名为 {path.suffix}）：请在 Word 或 WPS 中"
                                   "打开，“另存为” .docx 格式后再导入")
        if _utf16("Workbook") in head or _utf16("Book") in head:
            return FileFormatError(f"“{name}”是旧格式的 Excel 工作簿（.xls，只是扩展名为 {path.suffix}）：请在 Excel 或 "
                                   "WPS 表格中打开，“另存为” .xlsx 格式后再导入")
        return FileFormatError(f"“{name}”是旧格式的 Office 文件（97–2003 格式）：请在{app}中打开，"
                               f"“另存为” {new} 格式后再导入")
    return FileFormatError(f"“{name}”不是有效的 {kind}，可能已损坏或只下载了一部分")


def _check_sheet(xml: bytes, name: str, out: ZipScan, member: str) -> None:
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
        out.merged_area += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
        if out.merged_area > MAX_MERGED_CELLS:
            big = (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1) > MAX_MERGED_CELLS
            what = "覆盖整张工作表的合并单元格" if big else f"过多的合并单元格（共超过 {MAX_MERGED_CELLS:,} 个单元格）"
            raise FileFormatError(
                f"“{name}”中有{what}（如 {m.group(0).split(b'ref=')[-1].decode()}），"
                "不像年度报告的表格，已拒绝打开；请在 Excel/WPS 中取消这些合并后再导入")
    # a formula whose cell has no cached <v>: written by a program, never opened in Excel/WPS
    for m in _FORMULA.finditer(xml):
        end = xml.find(b"</c>", m.start(), m.start() + 4096)
        if end != -1 and not _VALUE.search(xml, m.start(), end):
            out.uncached[member] = out.uncached.get(member, 0) + 1
