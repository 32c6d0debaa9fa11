"""Import from Excel: the project's own workbook (the ``数据`` sheet of cell keys), or sheets laid
out like the official tables (found by their labels, merged cells expanded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..report.document import SECTION_IDS, Report
from ..report.native import FileFormatError
from .table_reader import Reading, TableError, kind_of, read_t2, read_t3, read_t4
from .xlsx_bounds import grid as _grid
from .xlsx_bounds import open_workbook, rows
from .xlsx_bounds import text as _text


def import_xlsx(path: Path) -> Report:
    name = path.name
    wb, uncached = open_workbook(path)
    report = Report()
    reading = Reading()
    if "数据" in wb.sheetnames:
        _read_data_sheet(report, wb["数据"], reading)
        if "报告信息" in wb.sheetnames:
            _read_meta(report, wb["报告信息"])
    else:
        found: dict[str, list[list[str]]] = {}
        for ws in wb.worksheets:
            grid = _grid(ws)
            kind = kind_of(grid)
            if kind:
                found.setdefault(kind, []).extend(grid)
        missing = [n for k, n in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")) if k not in found]
        if len(missing) == 3:
            raise FileFormatError(f"“{name}”中既没有“数据”工作表，也没有按格式排列的表二、表三、表四")
        try:
            for kind, reader in (("t2", read_t2), ("t3", read_t3), ("t4", read_t4)):
                if kind in found:
                    reader(report, found[kind], reading)
        except TableError as e:
            raise FileFormatError(f"“{name}”：{e}") from None
        if missing:
            reading.notes.append(f"工作簿中没有{'、'.join(missing)}，这些表格为空")
        reading.notes.append("工作簿只含表格数据：机关名称、年度、成文日期和正文请在窗口中填写")
    if uncached:
        reading.notes.insert(0, f"工作簿中有{uncached}个公式没有计算结果（文件由程序生成后未在 Excel/WPS 中保存过），"
                                "这些单元格按空白导入：请在 Excel 或 WPS 中打开该文件、保存后再导入")
    report.cells.update(reading.cells)
    report.import_notes = reading.notes + ([f"有{reading.blanks}个空白单元格，按未填写（0）处理"] if reading.blanks else [])
    return report


def _read_data_sheet(report: Report, ws, reading: Reading) -> None:  # type: ignore[no-untyped-def]
    unknown = 0
    for row in rows(ws, min_row=2, max_col=4):
        if not row or not row[0]:
            continue
        key = str(row[0]).strip()
        value = row[3] if len(row) > 3 else None
        if key not in report.schema.cells:
            unknown += 1
            continue
        reading.put(report, key, _text(value))
    if unknown:
        reading.notes.append(f"“数据”表中有{unknown}行的单元格键不属于2021年格式，已忽略")


def _read_meta(report: Report, ws) -> None:  # type: ignore[no-untyped-def]
    for row in rows(ws, max_col=3):
        if len(row) < 3 or not row[2]:
            continue
        field, value = str(row[2]), row[1]
        if field == "agency":
            report.meta.agency = _text(value)
        elif field == "year" and value not in (None, ""):
            try:
                report.meta.year = int(float(str(value)))
            except (ValueError, OverflowError):  # OverflowError: 1e400 is an infinite float
                report.import_notes.append(f"报告年度“{str(value)[:24]}”无法识别")
        elif field == "date" and value:
            report.meta.date = value.date().isoformat() if isinstance(value, dt.datetime) else str(value)[:10]
        elif field == "level":
            report.meta.level = "government" if value == "government" else "department"
        elif field == "title" and value and str(value) != report.meta.effective_title():
            report.meta.title = str(value)
        elif field in SECTION_IDS:
            report.sections[field] = [p for p in _text(value).split("\n") if p.strip()]
