"""Totals as spreadsheet formulas that Excel, WPS and LibreOffice recompute, with their current
values cached in the file for readers that do not recalculate (openpyxl, pandas, our importer).

openpyxl writes a formula with an empty ``<v/>``; :func:`with_cached_values` fills those in the
saved package, so one file serves both kinds of reader.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from decimal import Decimal

from ..report.schema import Schema

_PARTS: dict[str, dict[str, tuple[str, ...]]] = {}


def total_parts(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Every total cell → the cells it sums (the first equation naming it: 表三's grand total is
    both a row and a column total; both give the same number when the table balances)."""
    if schema.template not in _PARTS:
        out: dict[str, tuple[str, ...]] = {}
        for eq in schema.equations:
            if eq.is_total and eq.lhs[0] not in out:
                out[eq.lhs[0]] = eq.rhs
        _PARTS[schema.template] = out
    return _PARTS[schema.template]


def coord(row: int, col: int) -> str:
    """1-based (row, col) → ``A1``."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def sum_formula(cells: list[tuple[int, int]]) -> str:
    """``=SUM(D4:I4)`` for a run in one row or column, else ``=SUM(D4,F4,…)``."""
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    ordered = sorted(cells)
    first, last = ordered[0], ordered[-1]
    if len(rows) == 1 and max(cols) - min(cols) + 1 == len(cells):
        return f"=SUM({coord(*first)}:{coord(*last)})"
    if len(cols) == 1 and max(rows) - min(rows) + 1 == len(cells):
        return f"=SUM({coord(*first)}:{coord(*last)})"
    return "=SUM(" + ",".join(coord(r, c) for r, c in ordered) + ")"


def _number(v: int | Decimal) -> str:
    return format(v.normalize(), "f") if isinstance(v, Decimal) else str(v)


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v>[^<]*</v>)?</c>')


def with_cached_values(package: bytes, cached: Mapping[int, Mapping[str, int | Decimal]]) -> bytes:
    """The saved workbook with ``<v>`` written into formula cells; ``cached`` maps a sheet's 1-based
    position (openpyxl names parts ``sheetN.xml`` in workbook order) to {``A1``: value}."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            values = cached.get(int(m.group(1))) if m else None
            if values:
                def fill(match: re.Match[bytes], values: Mapping[str, int | Decimal] = values) -> bytes:
                    ref = match.group(1).decode()
                    if ref not in values:
                        return match.group(0)
                    attrs = re.sub(rb'\s+t="[^"]*"', b"", match.group(2))  # a cached number, not a string
                    return (b'<c r="' + match.group(1) + b'"' + attrs + b"><f>" + match.group(3) + b"</f><v>"
                            + _number(values[ref]).encode() + b"</v></c>")

                data = _FORMULA_CELL.sub(fill, data)
            dst.writestr(info, data)
    return out.getvalue()
