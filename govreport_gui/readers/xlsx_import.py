"""Import from Excel: the project's own workbook (the ``数据`` sheet of cell keys), or sheets laid
out like the official tables (found by their labels, merged cells expanded; several tables on one
sheet are told apart by the section headings between them, as LibreOffice makes from a web page)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..report.document import SECTION_IDS, Report
from ..report.native import FileFormatError
from .docx_grid import Grid, Para
from .docx_import import heading_of, import_blocks
from .table_reader import Reading, TableError, kind_of, read_t2, read_t3, read_t4
from .xlsx_bounds import grid as _grid
from .xlsx_bounds import open_workbook, rows
from .xlsx_bounds import text as _text


def import_xlsx(path: Path) -> Report:
    name = path.name
    wb, uncached_by_sheet = open_workbook(path)
    # only formulas on the sheets read count: the 数据 sheet's values do not depend on the layout sheets
    read = {"数据", "报告信息"} if "数据" in wb.sheetnames else set(wb.sheetnames)
    uncached = sum(n for title, n in uncached_by_sheet.items() if title in read or not title)
    report = Report()
    reading = Reading()
    if "数据" in wb.sheetnames:
        _read_data_sheet(report, wb["数据"], reading)
        _prefer_edited_layout(wb, reading)
    else:
        grids = [_grid(ws) for ws in wb.worksheets]
        whole = next((g for g in grids if _is_whole_document(g)), None)
        if whole is not None and "报告信息" not in wb.sheetnames:
            return import_blocks(_blocks_of(whole), name)  # a web page opened in Calc: the whole report
        found = _layout_tables(grids)
        missing = [n for k, n in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")) if k not in found]
        if len(missing) == 3:
            raise FileFormatError(f"“{name}”中既没有“数据”工作表，也没有按格式排列的表二、表三、表四")
        try:
            _read_layout(report, found, reading)
        except TableError as e:
            raise FileFormatError(f"“{name}”：{e}") from None
        if missing:
            reading.notes.append(f"工作簿中没有{'、'.join(missing)}，这些表格为空")
        if "报告信息" not in wb.sheetnames:
            reading.notes.append("工作簿只含表格数据：机关名称、年度、成文日期和正文请在窗口中填写")
    if uncached:
        filled = _fill_totals(reading)
        if uncached > filled:
            reading.notes.insert(0, f"工作簿中有{uncached - filled}个公式没有计算结果（文件由程序生成后未在 Excel/WPS 中保存过），"
                                    "这些单元格按空白导入：请在 Excel 或 WPS 中打开该文件、保存后再导入")
    if "报告信息" in wb.sheetnames:
        _read_meta(report, wb["报告信息"])
    report.cells.update(reading.cells)
    blanks = [f"有{reading.blanks}个空白单元格，按未填写（0）处理"] if reading.blanks else []
    report.import_notes = reading.notes + blanks + report.import_notes
    return report


def _layout_tables(grids: list[list[list[str]]]) -> dict[str, list[list[str]]]:
    """The official tables found on the sheets, by kind (t2/t3/t4)."""
    found: dict[str, list[list[str]]] = {}
    for grid in grids:
        for part in _tables_of(grid):
            kind = kind_of(part)
            if kind:
                found.setdefault(kind, []).extend(part)
    return found


def _read_layout(report: Report, found: dict[str, list[list[str]]], reading: Reading) -> None:
    for kind, reader in (("t2", read_t2), ("t3", read_t3), ("t4", read_t4)):
        if kind in found:
            reader(report, found[kind], reading)


def _prefer_edited_layout(wb, reading: Reading) -> None:  # type: ignore[no-untyped-def]
    """Our own workbook shows the official tables first and keeps the same figures in ``数据``. A
    person edits what they see: where an entered (non-total) figure on the table sheets differs
    from ``数据``, the table sheets win, totals included, and the note says how many changed."""
    sheets = [ws for ws in wb.worksheets if ws.title in ("表二", "表三", "表四")]
    if not sheets:
        return
    seen = Report()
    layout = Reading()
    try:
        _read_layout(seen, _layout_tables([_grid(ws) for ws in sheets]), layout)
    except TableError:
        return  # the table sheets were rearranged beyond reading: 数据 stands
    totals = {eq.lhs[0] for eq in seen.schema.equations if eq.is_total}
    edited = [k for k in seen.schema.cells
              if k not in totals and layout.cells.get(k, 0) != reading.cells.get(k, 0)]
    if not edited:
        return
    for key in seen.schema.cells:
        if key in layout.cells:
            reading.cells[key] = layout.cells[key]
        else:
            reading.cells.pop(key, None)
    _fill_totals(reading)  # totals whose formulas were saved without results (a program, not Excel)
    names = "、".join(seen.schema.cells[k].name for k in edited[:3]) + ("等" if len(edited) > 3 else "")
    reading.notes.insert(0, f"工作簿的表格页有{len(edited)}个数字与“数据”表不同（如{names}），"
                            "按表格页（修改后的数字）导入，合计按表格页的公式结果")


def _tables_of(grid: list[list[str]]) -> list[list[list[str]]]:
    """A sheet's rows cut at section headings (``二、主动公开政府信息情况``…): one part per table."""
    parts: list[list[list[str]]] = [[]]
    for row in grid:
        texts = {t.strip() for t in row if t.strip()}
        if len(texts) == 1 and heading_of(next(iter(texts))):
            parts.append([])
        else:
            parts[-1].append(row)
    return [p for p in parts if p]


def _is_whole_document(grid: list[list[str]]) -> bool:
    """A sheet holding the whole report: the headings of all six sections in column A."""
    found = {heading_of(row[0]) for row in grid if row and row[0].strip() and len({t for t in row if t.strip()}) == 1}
    return {"s1", "t2", "t3", "t4", "s5", "s6"} <= found


def _blocks_of(grid: list[list[str]]) -> list[Para | Grid]:
    """Such a sheet as a document: lines of one text are paragraphs, the parts under 二、三、四 tables."""
    blocks: list[Para | Grid] = []
    table: list[list[str]] = []
    in_table = False
    for row in grid:
        texts = [t for t in dict.fromkeys(row) if t.strip()]
        heading = heading_of(texts[0]) if len(texts) == 1 else None
        if heading:
            if table:
                blocks.append(Grid(table))
                table = []
            blocks.append(Para(texts[0]))
            in_table = heading in ("t2", "t3", "t4")
        elif in_table:
            table.append(row)
        elif texts:
            blocks.append(Para("\n".join(texts)))
    if table:
        blocks.append(Grid(table))
    return blocks


def _fill_totals(reading: Reading) -> int:
    """Totals whose formulas have no saved result, computed from their parts as a spreadsheet would."""
    from ..report.schema import load_schema

    cells, filled = reading.cells, 0
    for _ in range(2):  # 表三's grand total sums totals computed in the first pass
        for eq in load_schema().equations:
            total = eq.lhs[0]
            if not eq.is_total or total in cells or not any(k in cells for k in eq.rhs):
                continue
            parts = [cells.get(k, 0) for k in eq.rhs]
            if all(isinstance(p, int) for p in parts):
                cells[total] = sum(parts)  # type: ignore[arg-type]
                filled += 1
    if filled:
        reading.notes.append(f"{filled}个合计是公式但文件中没有保存计算结果，已按明细计算")
    return filled


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
            report.meta.level = "government" if value in ("government", "人民政府") else "department"
        elif field == "title" and value and str(value) != report.meta.effective_title():
            report.meta.title = str(value)
        elif field in SECTION_IDS:
            report.sections[field] = [p for p in _text(value).split("\n") if p.strip()]
