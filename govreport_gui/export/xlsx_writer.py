"""The Excel workbook: 表二–表四 laid out like the official tables first (totals are formulas that
recalculate, with cached values), then ``报告信息`` and the ``数据`` sheet of cell keys and values
(what other programs and next year's import read). ``write_template`` writes the blank form units
fill in: input cells unlocked and validated, labels and formulas locked."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ..report.document import Report, new_report
from ..report.numbers import FEE_PLACES
from .layout import TableBlock, table_block
from .xlsx_formulas import sum_formula, total_parts, with_cached_values

DATA_SHEET = "数据"
META_SHEET = "报告信息"
TABLE_SHEETS = (("t2", "表二"), ("t3", "表三"), ("t4", "表四"))
META_ROWS = (("agency", "机关名称"), ("year", "报告年度"), ("date", "成文日期"), ("level", "报告类型"),
             ("title", "标题"), ("fingerprint", "校验码"))
LEVEL_TEXT = {"department": "部门", "government": "人民政府"}
SECTION_ROWS = (("s1", "一、总体情况"), ("s5", "五、存在的主要问题及改进情况"), ("s6", "六、其他需要报告的事项"))
INPUT_FILL = "FFF8DC"  # the cells a unit types into (template)


def cell_value(report: Report, key: str):  # type: ignore[no-untyped-def]
    v = report.raw(key)
    if v is None:
        return None
    if isinstance(v, Decimal):
        # a number the spreadsheet holds exactly (a float round-trips 15 significant digits), else text
        return float(v) if abs(v) < 10**9 and Decimal(repr(float(v))) == v else str(v)
    return v


def layout_sheet(ws, block: TableBlock, report: Report, row0: int = 0, template: bool = False):  # type: ignore[no-untyped-def]
    """One official table from sheet row ``row0 + 1``; totals become ``=SUM`` formulas. Returns
    {``A1``: value} of the formulas, to be cached in the saved file."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, mm in enumerate(block.widths_mm, start=1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = max(6.0, mm / 2.1)
    parts = total_parts(report.schema)
    where = {c.key: (row0 + c.row + 1, c.col + 1) for c in block.cells if c.key}
    cached: dict[str, int | Decimal] = {}
    inputs: dict[str, list[str]] = {"count": [], "fee": []}
    for cell in block.cells:
        target = ws.cell(row0 + cell.row + 1, cell.col + 1)
        if cell.label:
            target.value = cell.text
        elif cell.key in parts:
            target.value = sum_formula([where[k] for k in parts[cell.key]])
            cached[target.coordinate] = sum((report.value(k) for k in parts[cell.key]), start=0)  # type: ignore[arg-type]
        else:
            target.value = cell_value(report, cell.key)  # type: ignore[arg-type]
            if template:
                target.protection = Protection(locked=False)
                target.fill = PatternFill("solid", fgColor=INPUT_FILL)
                inputs[report.schema.cells[cell.key].kind].append(target.coordinate)  # type: ignore[index]
        left = cell.label and block.id == "t3" and cell.col == 2 and cell.row >= 3
        target.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
        target.font = Font(name="仿宋_GB2312", size=10.5, bold=cell.label and cell.row in block.group_rows)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                ws.cell(row0 + r + 1, c + 1).border = border
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=row0 + cell.row + 1, start_column=cell.col + 1,
                           end_row=row0 + cell.row + cell.rowspan, end_column=cell.col + cell.colspan)
    _fit_rows(ws, block, row0)
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # printed one table wide, as the official form
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.orientation = "landscape" if block.cols > 4 else "portrait"
    if template:
        for kind, refs in inputs.items():
            if not refs:
                continue
            dv = DataValidation(type="whole" if kind == "count" else "decimal", operator="greaterThanOrEqual",
                                formula1="0", allow_blank=True, showErrorMessage=True, errorTitle="填写有误",
                                error="请填写0或正整数（件数）" if kind == "count" else f"请填写不小于0的金额（万元，最多{FEE_PLACES}位小数）")
            for ref in refs:
                dv.add(ref)
            ws.add_data_validation(dv)
        ws.protection.sheet = True  # no password: it guards against slips, not against the unit
    return cached


def _fit_rows(ws, block: TableBlock, row0: int) -> None:  # type: ignore[no-untyped-def]
    """Row heights for wrapped labels: spreadsheet programs do not grow rows of a file on opening."""
    widths = [max(6.0, mm / 2.1) for mm in block.widths_mm]
    heights: dict[int, float] = {}
    for cell in block.cells:
        if not cell.label:
            continue
        chars = sum(widths[cell.col:cell.col + cell.colspan]) - 1
        lines = math.ceil(len(cell.text) * 1.4 / max(1.0, chars))  # a 10.5 pt CJK character ≈ 1.4 width units
        per_row = 14.0 * lines / cell.rowspan
        heights[cell.row] = max(heights.get(cell.row, 15.0), per_row)
    for row, h in heights.items():
        ws.row_dimensions[row0 + row + 1].height = h


def _meta_sheet(ws, report: Report, template: bool) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    values = {"agency": report.meta.agency, "year": report.meta.year, "date": report.meta.date,
              "level": LEVEL_TEXT[report.meta.level], "title": report.meta.effective_title(),
              "fingerprint": report.fingerprint()}
    if template:
        ws.append(["填写说明：在浅黄色单元格中填写；表格中的合计由公式自动计算，不能修改。成文日期如 2026-01-20。"])
        values = {"level": LEVEL_TEXT["department"]}
    for field, label in META_ROWS:
        if template and field in ("title", "fingerprint"):
            continue
        ws.append([label, values.get(field), field])
    for sid, text in SECTION_ROWS:
        ws.append([text, "\n".join(report.paragraphs(sid)), sid])  # live figures as plain figures
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].hidden = template  # field names the importer reads
    if template:
        for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].protection = Protection(locked=False)
            row[0].fill = PatternFill("solid", fgColor=INPUT_FILL)
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
        year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True,
                              showErrorMessage=True, errorTitle="填写有误", error="报告年度须为四位数年份，如 2025")
        year.add("B3")
        level = DataValidation(type="list", formula1='"部门,人民政府"', allow_blank=False)
        level.add("B5")
        ws.add_data_validation(year)
        ws.add_data_validation(level)
        ws.protection.sheet = True


def save_workbook(wb, cached: dict[int, dict[str, int | Decimal]], path: str | Path,  # type: ignore[no-untyped-def]
                  patch: Callable[[bytes], bytes] | None = None) -> None:
    """Save with the formulas' values cached; ``patch`` may rewrite the saved package once more."""
    from ..report.native import atomic_write

    wb.calculation.fullCalcOnLoad = True  # Excel/WPS recompute on opening, whatever the cache says
    buf = io.BytesIO()
    wb.save(buf)
    data = with_cached_values(buf.getvalue(), cached)
    atomic_write(path, patch(data) if patch else data, backup=False)


def write_xlsx(report: Report, path: str | Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cached = {}
    for i, (tid, name) in enumerate(TABLE_SHEETS, start=1):
        cached[i] = layout_sheet(wb.create_sheet(name), table_block(report, report.schema.tables[tid]), report)
    _meta_sheet(wb.create_sheet(META_SHEET), report, template=False)
    data = wb.create_sheet(DATA_SHEET)
    data.append(["单元格键", "表", "名称", "数值"])
    for key, cell in report.schema.cells.items():
        data.append([key, {"t2": "表二", "t3": "表三", "t4": "表四"}[cell.table], cell.name, cell_value(report, key)])
    data.column_dimensions["A"].width = 44
    data.column_dimensions["C"].width = 40
    data.freeze_panes = "A2"
    save_workbook(wb, cached, path)


def write_template(path: str | Path, year: int | None = None) -> None:
    """The blank workbook a unit fills in; ``import`` reads it back."""
    from openpyxl import Workbook

    report = new_report(year=year, with_headings=False)
    wb = Workbook()
    wb.remove(wb.active)
    cached = {}
    for i, (tid, name) in enumerate(TABLE_SHEETS, start=1):
        cached[i] = layout_sheet(wb.create_sheet(name), table_block(report, report.schema.tables[tid]), report,
                                 template=True)
    _meta_sheet(wb.create_sheet(META_SHEET), report, template=True)
    save_workbook(wb, cached, path)
