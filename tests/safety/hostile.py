"""Hostile inputs of issue 13, built on demand: small files that once took minutes, gigabytes or
an unexpected exception. Each builder writes its file into ``folder`` and returns the path."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
DOCX = DATA / "sample-2025-word-template.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rezip(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the zip ``src`` with every member passed through ``change(name, data)``."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info.filename, change(info.filename, a.read(info)))
    return dst


def _document(dst: Path, body: bytes) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + body + b"</w:body></w:document>"
        return data
    return rezip(DOCX, dst, change)


def grid_before(value: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        def change(name: str, data: bytes) -> bytes:
            if name == "word/document.xml":  # every table row gets the hostile gridBefore
                return data.replace(b"<w:tr>", f'<w:tr><w:trPr><w:gridBefore w:val="{value}"/></w:trPr>'.encode())
            return data
        return rezip(DOCX, folder / f"gridbefore-{value}.docx", change)
    return build


def empty_paragraphs(folder: Path, count: int = 10_000_000) -> Path:
    return _document(folder / "paragraphs.docx", b"<w:p/>" * count)


def wide_table(folder: Path) -> Path:
    """The sample with 8,000 more rows in 表三, each spanning 64 columns (the caps' worst)."""
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>'

    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            t3 = data.index("申请人情况".encode())
            end = data.index(b"</w:tbl>", t3)
            return data[:end] + row * 8_000 + data[end:]
        return data
    return rezip(DOCX, folder / "wide.docx", change)


def text_paragraphs(folder: Path) -> Path:
    return _document(folder / "text.docx", "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>".encode() * 12_000)


@cache
def _spaces_deflated(megabytes: int) -> tuple[bytes, int]:
    """(raw deflate of ``megabytes`` MB of spaces, its CRC): built once for every bomb."""
    comp = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = b" " * (1 << 20)
    crc = 0
    parts = []
    for _ in range(megabytes):
        parts.append(comp.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(comp.flush())
    return b"".join(parts), crc


def _raw_zip(path: Path, name: str, megabytes: int, declared: int) -> Path:
    """A one-member zip whose member inflates to ``megabytes`` MB of spaces but declares
    ``declared`` bytes (in the local header and the central directory alike)."""
    data, crc = _spaces_deflated(megabytes)
    fname = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), declared, len(fname), 0) + fname
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                          len(fname), 0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def bomb_lying_small(folder: Path) -> Path:
    return _raw_zip(folder / "bomb-small.docx", "word/document.xml", 100, 1000)


def bomb_honest(folder: Path) -> Path:
    return _raw_zip(folder / "bomb-honest.docx", "word/document.xml", 100, 100 << 20)


def bomb_xlsx(folder: Path) -> Path:
    return _raw_zip(folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", 100, 100)


def _workbook(folder: Path, name: str, sheet: str = "表三") -> tuple[object, Path]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = sheet
    return wb, folder / name


def far_cells(folder: Path, sheet: str = "表三") -> Path:
    wb, path = _workbook(folder, f"far-{sheet}.xlsx", sheet)
    ws = wb.active  # type: ignore[attr-defined]
    ws["A1"] = "申请人情况"
    ws["XFD1048576"] = "末"
    wb.save(path)  # type: ignore[attr-defined]
    return path


def huge_merge(folder: Path) -> Path:
    wb, path = _workbook(folder, "merge.xlsx")
    wb.active["A1"] = "申请人情况"  # type: ignore[attr-defined]
    plain = folder / "merge-plain.xlsx"
    wb.save(plain)  # type: ignore[attr-defined]

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return data.replace(b"<pageMargins", b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells><pageMargins')
        return data
    rezip(plain, path, change)
    plain.unlink()
    return path


def many_cells(folder: Path, count: int = 24_000) -> Path:
    """Just inside the tag limit: bounded, not refused."""
    wb, path = _workbook(folder, "cells.xlsx")
    ws = wb.active  # type: ignore[attr-defined]
    ws["A1"] = "申请人情况"
    plain = folder / "cells-plain.xlsx"
    wb.save(plain)  # type: ignore[attr-defined]
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c, r) for c in (b"B", b"C", b"D", b"E"))
                    + b"</row>" for r in range(2, 2 + count // 4))

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return data.replace(b"</sheetData>", rows + b"</sheetData>")
        return data
    rezip(plain, path, change)
    plain.unlink()
    return path


def json_of_tiny_objects(folder: Path) -> Path:
    path = folder / "tiny.govreport"
    head = b'{"format": "govreport", "version": 1, "meta": {}, "cells": {}, "x": ['
    body = b"{}," * ((4 * 1024 * 1024 - 200) // 3)
    path.write_bytes(head + body + b"{}]}")
    return path


def link_to(device: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / f"link-{os.path.basename(device)}.govreport"
        path.symlink_to(device)
        return path
    return build


def fifo(folder: Path) -> Path:
    path = folder / "fifo.govreport"
    os.mkfifo(path)
    return path


def sparse_huge(folder: Path) -> Path:
    path = folder / "sparse.govreport"
    with open(path, "wb") as fh:
        fh.truncate(3 << 30)  # 3 GB of holes
    return path


# name → builder; every one must be refused (FileFormatError) or read, within 2 s and 256 MB
HOSTILE: dict[str, Callable[[Path], Path]] = {
    "docx gridBefore 99999999": grid_before("99999999"),
    "docx gridBefore 1e9": grid_before("1000000000"),
    "docx gridBefore abc": grid_before("abc"),
    "docx gridBefore 1.5": grid_before("1.5"),
    "docx 10M empty paragraphs": empty_paragraphs,
    "docx 表三 of 8k rows × 64 spans": wide_table,
    "docx 12k paragraphs with text": text_paragraphs,
    "docx zip bomb, declared size lies": bomb_lying_small,
    "docx zip bomb, 100 MB declared": bomb_honest,
    "xlsx zip bomb": bomb_xlsx,
    "xlsx cells at A1 and XFD1048576": far_cells,
    "xlsx 数据 sheet with a cell at XFD1048576": lambda folder: far_cells(folder, "数据"),
    "xlsx merge A1:XFD1048576": huge_merge,
    "xlsx 24k cells (inside the limits)": many_cells,
    "govreport 4 MB of {}": json_of_tiny_objects,
    "govreport 3 GB sparse": sparse_huge,
    "govreport -> /dev/zero": link_to("/dev/zero"),
    "govreport -> /dev/urandom": link_to("/dev/urandom"),
    "govreport FIFO": fifo,
}


