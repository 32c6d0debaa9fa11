"""The 汇总 workbook of a roll-up: 单位一览 (one row per unit: status, then every cell), 问题清单
(every finding of every unit), and 表二/表三/表四 holding the sum in the official layout."""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from pathlib import Path

from ..report.messages import cell_name, describe
from ..report.rollup import STATUS_TEXT, RollUp, Unit
from .xlsx_formulas import coord
from .xlsx_writer import TABLE_SHEETS, cell_value, layout_sheet, save_workbook

STATUS_FILL = {"ok": "C6EFCE", "warnings": "FFEB9C", "errors": "FFC7CE", "unreadable": "D9D9D9", "excluded": "D9D9D9"}
UNIT_COLUMNS = (("序号", 6), ("状态", 10), ("单位", 30), ("年度", 7), ("错误", 6), ("提醒", 6), ("校验码", 16),
                ("文件", 40), ("说明", 50))
SEVERITY_TEXT = {"error": "错误", "warning": "提醒"}


def _remarks(u: Unit) -> str:
    return "；".join([u.reason] * bool(u.reason) + u.remarks + u.notes)


def _cell_xml(ref: str, v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v), quote=False)}</t></is></c>'


def _units_sheet(ws, rollup: RollUp) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """单位一览. The 200 value columns of the unit rows are returned as sheet XML per row, to be put
    into the saved file (:func:`_add_cells`): openpyxl takes ~25 µs a cell, 5 s for 1,000 units."""
    from openpyxl.styles import Alignment, Font, PatternFill

    schema = rollup.total.schema if rollup.total else next(u.report.schema for u in rollup.units if u.report)
    keys = list(schema.cells)
    first = len(UNIT_COLUMNS) + 1
    letters = [coord(1, c)[:-1] for c in range(first, first + len(keys))]
    ws.append([h for h, _ in UNIT_COLUMNS] + [cell_name(k) for k in keys])
    ws.append([""] * len(UNIT_COLUMNS) + keys)  # the public cell keys: the filter row
    fills = {s: PatternFill("solid", fgColor=c) for s, c in STATUS_FILL.items()}
    values: dict[int, str] = {}
    for i, u in enumerate(rollup.units, 1):
        read = u.report is not None  # an unreadable file has no counts, not zero errors
        ws.append([i, STATUS_TEXT[u.status], u.agency, u.year, u.errors if read else None,
                   u.warnings if read else None, u.fingerprint, u.source, _remarks(u)])
        ws.cell(i + 2, 2).fill = fills[u.status]
        if u.report is not None:
            report = u.report
            values[i + 2] = "".join(_cell_xml(f"{col}{i + 2}", cell_value(report, k)) for col, k in zip(letters, keys))
    bold, small = Font(bold=True), Font(size=8, color="808080")
    for c, (_, width) in enumerate(UNIT_COLUMNS, 1):
        ws.column_dimensions[coord(1, c)[:-1]].width = width
    last_col = len(UNIT_COLUMNS) + len(keys)
    for c in range(1, last_col + 1):
        ws.cell(1, c).font = bold
        ws.cell(1, c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(2, c).font = small
    for col in letters:
        ws.column_dimensions[col].width = 14
    ws.row_dimensions[1].height = 60
    ws.freeze_panes = "D3"  # header rows and 序号/状态/单位 stay in view
    ws.auto_filter.ref = f"A2:{coord(len(rollup.units) + 2, last_col)}"
    return values


_ROW = re.compile(rb'(<row r="(\d+)"[^>]*>)(.*?)</row>', re.S)


def _add_cells(package: bytes, member: str, values: dict[int, str]) -> bytes:
    """Append each row's cells (XML, after the row's existing columns) to ``member`` of the package."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                def add(m: re.Match[bytes]) -> bytes:
                    extra = values.get(int(m.group(2)), "")
                    return m.group(1) + m.group(3) + extra.encode("utf-8") + b"</row>"

                data = _ROW.sub(add, data)
                data = re.sub(rb'<dimension ref="[^"]*"/>', b"", data, count=1)  # optional; now too narrow
            dst.writestr(info, data)
    return out.getvalue()


def _problems_sheet(ws, rollup: RollUp) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Font

    ws.append(["单位", "文件", "规则", "级别", "说明", "单元格"])
    for u in rollup.units:
        if u.reason:
            ws.append([u.agency, u.source, "", "无法读取", u.reason, ""])
        for remark in u.remarks:
            ws.append([u.agency, u.source, "", "注意", remark, ""])
        for f in u.findings:
            level = SEVERITY_TEXT[f.severity] + (f"（已说明：{f.waived}）" if f.waived else "")
            ws.append([u.agency, u.source, f.rule, level, describe(f), " ".join(f.cells)])
        for note in u.notes:
            ws.append([u.agency, u.source, "", "导入说明", note, ""])
    for c, width in zip("ABCDEF", (30, 40, 16, 10, 90, 40)):
        ws.column_dimensions[c].width = width
        ws[f"{c}1"].font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(ws.max_row, 2)}"


def write_rollup_xlsx(rollup: RollUp, path: str | Path) -> None:
    """The 汇总 workbook; the sum sheets are left out when nothing could be summed."""
    from openpyxl import Workbook

    from .layout import table_block

    wb = Workbook()
    wb.remove(wb.active)
    values = _units_sheet(wb.create_sheet("单位一览"), rollup)
    _problems_sheet(wb.create_sheet("问题清单"), rollup)
    cached = {}
    total = rollup.total
    if total is not None:
        for i, (tid, name) in enumerate(TABLE_SHEETS, start=3):
            ws = wb.create_sheet(name)
            cached[i] = layout_sheet(ws, table_block(total, total.schema.tables[tid]), total)
    save_workbook(wb, cached, path, lambda package: _add_cells(package, "xl/worksheets/sheet1.xml", values))
