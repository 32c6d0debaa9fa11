"""The Excel workbook for data exchange: a ``数据`` sheet of cell keys and values (what other
programs and next year's import read), ``报告信息``, and 表二–表四 laid out like the official tables."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from ..report.document import Report
from .layout import TableBlock, table_block

DATA_SHEET = "数据"
META_SHEET = "报告信息"
META_ROWS = (("agency", "机关名称"), ("year", "报告年度"), ("date", "成文日期"), ("level", "报告类型"),
             ("title", "标题"), ("fingerprint", "校验码"))


def _value(report: Report, key: str):  # type: ignore[no-untyped-def]
    v = report.raw(key)
    if v is None:
        return None
    if isinstance(v, Decimal):
        return float(v) if v == v.quantize(Decimal("0.0001")) and abs(v) < 10**9 else str(v)
    return v


def _layout_sheet(ws, block: TableBlock, report: Report) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, mm in enumerate(block.widths_mm, start=1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = max(6.0, mm / 2.1)
    for cell in block.cells:
        target = ws.cell(cell.row + 1, cell.col + 1)
        target.value = cell.text if cell.label else _value(report, cell.key)  # type: ignore[arg-type]
        left = cell.label and block.id == "t3" and cell.col == 2 and cell.row >= 3
        target.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
        target.font = Font(name="仿宋_GB2312", size=10.5, bold=cell.label and cell.row in block.group_rows)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                ws.cell(r + 1, c + 1).border = border
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=cell.row + 1, start_column=cell.col + 1,
                           end_row=cell.row + cell.rowspan, end_column=cell.col + cell.colspan)


def write_xlsx(report: Report, path: str | Path) -> None:
    from openpyxl import Workbook

    from ..report.native import atomic_write

    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    data.append(["单元格键", "表", "名称", "数值"])
    for key, cell in report.schema.cells.items():
        data.append([key, {"t2": "表二", "t3": "表三", "t4": "表四"}[cell.table], cell.name, _value(report, key)])
    data.column_dimensions["A"].width = 44
    data.column_dimensions["C"].width = 40
    data.freeze_panes = "A2"
    meta = wb.create_sheet(META_SHEET)
    values = {"agency": report.meta.agency, "year": report.meta.year, "date": report.meta.date,
              "level": report.meta.level, "title": report.meta.effective_title(), "fingerprint": report.fingerprint()}
    for field, label in META_ROWS:
        meta.append([label, values[field], field])
    meta.column_dimensions["B"].width = 60
    for sid, text in (("s1", "一、总体情况"), ("s5", "五、存在的主要问题及改进情况"), ("s6", "六、其他需要报告的事项")):
        meta.append([text, "\n".join(report.sections.get(sid, [])), sid])
    for tid, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
        _layout_sheet(wb.create_sheet(name), table_block(report, report.schema.tables[tid]), report)
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(path, buf.getvalue(), backup=False)
