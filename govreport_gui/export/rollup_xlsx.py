"""The 汇总 workbook of a roll-up, handed to the leader and printed:

- 单位一览: one row per file — status, counts, the 研判指标 (marked beyond their thresholds), remarks;
- 问题清单: every finding of every unit, in Chinese (rule ids and cell keys in the last columns, not printed);
- 表二/表三/表四: the sum in the official layout;
- 研判指标: one bar chart per indicator and what each indicator means, with its threshold's source;
- 本级对照: the area's own report against the sum of its units (when the roll-up has one);
- 各单位数据: every cell of every readable unit (rows: the format's cells; keys in the last column).

Every sheet names the roll-up's agency, year, units summed and the date in its title rows, and
prints landscape, fitted to the page width, with its title rows repeated and a print area.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from html import escape
from pathlib import Path

from ..report.indicators import Indicator, definitions, indicators
from ..report.messages import TABLE_NAMES, cell_name, describe
from ..report.rollup import STATUS_TEXT, RollUp, Unit
from .xlsx_formulas import coord
from .xlsx_writer import TABLE_SHEETS, cell_value, layout_sheet, save_workbook

STATUS_FILL = {"ok": "C6EFCE", "warnings": "FFEB9C", "errors": "FFC7CE", "unreadable": "D9D9D9", "excluded": "D9D9D9",
               "conflict": "F4B084", "duplicate": "D9D9D9", "parent": "DDEBF7"}
MARK_FILL = "FFC7CE"
SEVERITY_TEXT = {"error": "错误", "warning": "提醒"}
UNITS_PER_PAGE = 10  # 各单位数据: unit columns per printed page width (the label columns repeat)
CHART_UNITS = 40  # bars per chart: beyond this a chart is unreadable; the units most worth a look
TITLE_ROWS = 2
PAGE_CM = 18.0  # chart height a landscape A4 page holds under the repeated title rows, fitted to width


def _remarks(u: Unit) -> str:
    return "；".join([u.reason] * bool(u.reason) + u.remarks + u.notes)


def _name(u: Unit) -> str:
    return u.agency or ("（无机关名称）" if u.report is not None else "—")


def _file(u: Unit) -> str:
    return Path(u.source).name or u.source


# --- shared sheet furniture ------------------------------------------------------------------------

class _Style:
    """openpyxl styles made once (imported only when a workbook is written)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name="黑体", size=14, bold=True)
        self.subtitle = Font(size=10)
        self.head = Font(bold=True)
        self.machine = Font(size=8, color="808080")
        self.grey = Font(color="808080")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.fill = {s: PatternFill("solid", fgColor=c) for s, c in STATUS_FILL.items()}
        self.mark = PatternFill("solid", fgColor=MARK_FILL)
        self.header_fill = PatternFill("solid", fgColor="F2F2F2")
        self.differs = PatternFill("solid", fgColor="FFEB9C")


def _today() -> str:
    d = dt.date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def _titles(ws, rollup: RollUp, agency: str, what: str, width: int, style: _Style) -> None:  # type: ignore[no-untyped-def]
    """Rows 1–2: whose roll-up, which year, how many units, when; merged over ``width`` columns."""
    total = rollup.total
    year = total.meta.year if total is not None else next((u.year for u in rollup.units if u.year), None)
    shown = agency or "（未填写汇总机关名称）"
    ws.cell(1, 1, f"{agency}{year or ''}年政府信息公开工作年度报告汇总——{what}").font = style.title
    ws.cell(2, 1, f"汇总机关：{shown}　　年度：{year or '—'}年　　计入汇总：{len(rollup.summed)}个单位"
                  f"（共{len(rollup.units)}个文件）　　制表日期：{_today()}").font = style.subtitle
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(1, width))
        ws.cell(row, 1).alignment = style.centre if row == 1 else style.wrap
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[2].height = 18


def _page(ws, repeat_rows: int, last_col: int, last_row: int, wide: int = 1, repeat_cols: str | None = None,  # type: ignore[no-untyped-def]
          orientation: str = "landscape") -> None:
    """A4 (landscape unless said), ``wide`` pages across (fit to width), title rows repeated, a print area."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = wide, 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.print_title_rows = f"1:{repeat_rows}"
    if repeat_cols:
        ws.print_title_cols = repeat_cols
    ws.print_area = f"A1:{coord(max(last_row, repeat_rows), max(1, last_col))}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fit_row(ws, row: int, texts: dict[int, str], widths: dict[int, float]) -> None:  # type: ignore[no-untyped-def]
    """Height for the wrapped texts of a row (spreadsheet programs do not grow rows on opening):
    a CJK character takes ~2 width units of a column."""
    lines = 1
    for col, text in texts.items():
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text or "")
        lines = max(lines, math.ceil(units * 1.05 / max(1.0, widths[col] - 1)))
    if lines > 1:
        ws.row_dimensions[row].height = 14.5 * min(lines, 30)


def _header(ws, row: int, names: list[str], style: _Style) -> None:  # type: ignore[no-untyped-def]
    for c, text in enumerate(names, 1):
        cell = ws.cell(row, c, text)
        cell.font, cell.alignment, cell.fill, cell.border = style.head, style.centre, style.header_fill, style.border


# --- 单位一览 ---------------------------------------------------------------------------------------

UNIT_COLUMNS = (("序号", 5), ("单位", 26), ("状态", 8), ("年度", 6), ("错误", 5), ("提醒", 5))
TAIL_COLUMNS = (("说明", 46), ("文件", 22), ("校验码", 15))


def _indicator_cell(cell, ind: Indicator | None, style: _Style) -> None:  # type: ignore[no-untyped-def]
    if ind is None or not ind.judged:
        cell.value = "—"
        cell.font = style.grey
        cell.alignment = style.centre  # the legend above the table says what — means
        return
    cell.value = float(ind.value)  # type: ignore[arg-type]
    cell.number_format = "0.0%"
    if ind.marked:
        cell.fill = style.mark
        cell.font = style.head


def _units_sheet(ws, rollup: RollUp, agency: str, style: _Style) -> None:  # type: ignore[no-untyped-def]
    defs = definitions()
    heads = [*UNIT_COLUMNS, *((d.name, 9) for d in defs), *TAIL_COLUMNS]
    width = len(heads)
    _titles(ws, rollup, agency, "单位一览", width, style)
    marks = "；".join(f"{d.name}{d.mark_text}" for d in defs)
    ws.cell(3, 1, f"指标标红：超出提示线（{marks}）；“—”：没有或样本太少（办结不足规定件数），不作判断。"
                  "提示线不是国家标准，来源见“研判指标”表。").font = style.subtitle
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.cell(3, 1).alignment = style.wrap
    ws.row_dimensions[3].height = 30
    _header(ws, 4, [h for h, _ in heads], style)
    first_ind = len(UNIT_COLUMNS) + 1
    row = 4
    for i, u in enumerate(rollup.units, 1):
        row += 1
        read = u.report is not None  # an unreadable file has no counts, not zero errors
        values = [i, _name(u), STATUS_TEXT[u.status], u.year, u.errors if read else None, u.warnings if read else None]
        for c, v in enumerate(values, 1):
            cell = ws.cell(row, c, v)
            cell.border, cell.alignment = style.border, style.wrap
        ws.cell(row, 3).fill = style.fill[u.status]
        for j, d in enumerate(defs):
            cell = ws.cell(row, first_ind + j)
            _indicator_cell(cell, u.indicators.get(d.id) if read else None, style)
            cell.border = style.border
        tail = first_ind + len(defs)
        for c, v in enumerate((_remarks(u), _file(u), u.fingerprint), tail):
            cell = ws.cell(row, c, v)
            cell.alignment, cell.border = style.wrap, style.border
        _fit_row(ws, row, {2: values[1], tail: _remarks(u), tail + 1: _file(u)},
                 {2: heads[1][1], tail: heads[tail - 1][1], tail + 1: heads[tail][1]})
    if rollup.total is not None:  # the area as a whole: the indicators of the sum
        row += 1
        ws.cell(row, 2, f"合计（{len(rollup.summed)}个单位）").font = style.head
        ws.cell(row, 3, "汇总")
        for j, ind in enumerate(indicators(rollup.total).values()):
            _indicator_cell(ws.cell(row, first_ind + j), ind, style)
        for c in range(1, width + 1):
            ws.cell(row, c).border = style.border
    for c, (_, w) in enumerate(heads, 1):
        ws.column_dimensions[coord(1, c)[:-1]].width = w
    ws.row_dimensions[4].height = 30
    ws.freeze_panes = "C5"  # the header and 序号/单位 stay in view
    ws.auto_filter.ref = f"A4:{coord(max(row, 5), width)}"
    _page(ws, 4, width, row)


# --- 问题清单 ---------------------------------------------------------------------------------------

def _problems_sheet(ws, rollup: RollUp, agency: str, style: _Style) -> None:  # type: ignore[no-untyped-def]
    heads = (("单位", 24), ("文件", 22), ("级别", 12), ("说明", 70), ("涉及的单元格", 34), ("规则编号", 14), ("单元格键", 30))
    printed = len(heads) - 2  # the last two columns are for machines: outside the print area
    _titles(ws, rollup, agency, "问题清单", printed, style)
    _header(ws, 3, [h for h, _ in heads], style)
    row = 3

    def put(u: Unit, level: str, text: str, cells: tuple[str, ...] = (), rule: str = "") -> None:
        nonlocal row
        row += 1
        values = (_name(u), _file(u), level, text, "、".join(cell_name(k) for k in cells), rule, " ".join(cells))
        for c, v in enumerate(values, 1):
            cell = ws.cell(row, c, v or None)
            cell.alignment = style.wrap
            if c > printed:
                cell.font = style.machine
        _fit_row(ws, row, dict(enumerate(values[:printed], 1)), {c: w for c, (_, w) in enumerate(heads, 1)})

    for u in rollup.units:
        if u.reason:
            put(u, "无法读取", u.reason)
        for remark in u.remarks:
            put(u, "注意", remark)
        for f in u.findings:
            level = SEVERITY_TEXT[f.severity] + (f"（已说明：{f.waived}）" if f.waived else "")
            put(u, level, describe(f), f.cells, f.rule)
        for note in u.notes:
            put(u, "导入说明", note)
    for c, (_, w) in enumerate(heads, 1):
        ws.column_dimensions[coord(1, c)[:-1]].width = w
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{coord(max(row, 4), len(heads))}"
    _page(ws, 3, printed, row)


# --- 研判指标 (charts) ------------------------------------------------------------------------------

def _worth_a_look(units: list[tuple[str, Indicator]]) -> list[tuple[str, Indicator]]:
    """At most :data:`CHART_UNITS`: the marked ones first, then those nearest the threshold's side."""
    def concern(item: tuple[str, Indicator]) -> tuple[bool, float]:
        ind = item[1]
        v = float(ind.value)  # type: ignore[arg-type]
        return (not ind.marked, v if ind.definition.below is not None else -v)

    return sorted(units, key=concern)[:CHART_UNITS]


def _chart_sheet(ws, rollup: RollUp, agency: str, style: _Style) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.marker import DataPoint
    from openpyxl.worksheet.pagebreak import Break

    defs = definitions()
    width = 12
    _titles(ws, rollup, agency, "研判指标", width, style)
    _header(ws, 3, ["指标", "计算方法", "", "", "提示线", "不作判断", "提示线来源", "", "", "", "", ""], style)
    for c0, c1 in ((2, 4), (7, 12)):
        ws.merge_cells(start_row=3, start_column=c0, end_row=3, end_column=c1)
    row = 3
    for d in defs:
        row += 1
        values = {1: d.name, 2: f"{d.numerator_name} ÷ {d.denominator_name}", 5: d.mark_text,
                  6: f"{d.denominator_name}不足{d.min_denominator}件", 7: d.source}
        for c, v in values.items():
            ws.cell(row, c, v).alignment = style.wrap
        for c0, c1 in ((2, 4), (7, 12)):
            ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c1)
        for c in range(1, width + 1):
            ws.cell(row, c).border = style.border
        ws.row_dimensions[row].height = 15 * max(2, math.ceil(len(d.source) / 26), math.ceil(len(d.numerator_name) / 13))
    for c, w in enumerate((16, 10, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9), 1):  # ~21 cm: printed at full scale
        ws.column_dimensions[coord(1, c)[:-1]].width = w
    ws.row_breaks.append(Break(id=row))  # the charts start on a page of their own
    row += 1
    used = 0.0  # cm of the current page taken by charts
    summed = [u for u in rollup.units if u.summed or u.status == "parent"]
    for d in defs:
        judged = [(_name(u), u.indicators[d.id]) for u in summed if d.id in u.indicators and u.indicators[d.id].judged]
        if not judged:
            ws.cell(row, 1, f"{d.name}：没有可判断的单位（{d.denominator_name}均不足{d.min_denominator}件）").font = style.grey
            row += 2
            continue
        shown = _worth_a_look(judged)
        shown.sort(key=lambda item: float(item[1].value))  # type: ignore[arg-type]  # a bar chart reads bottom-up
        height = max(5.0, 0.45 * len(shown) + 2.0)  # cm
        rows = max(len(shown) + 2, math.ceil(height / 0.53) + 2)  # default rows are 15 pt ≈ 0.53 cm
        if used and used + rows * 0.53 > PAGE_CM:
            ws.row_breaks.append(Break(id=row - 1))  # a chart is not cut across pages
            used = 0.0
        used += rows * 0.53
        head = row
        ws.cell(head, 1, "单位").font = style.head
        ws.cell(head, 2, d.name).font = style.head
        for i, (name, ind) in enumerate(shown, 1):
            ws.cell(head + i, 1, name)
            value = ws.cell(head + i, 2, float(ind.value))  # type: ignore[arg-type]
            value.number_format = "0.0%"
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        more = f"，显示最需关注的{len(shown)}个，共{len(judged)}个" if len(shown) < len(judged) else ""
        chart.title = f"{d.name}（提示线：{d.mark_text}{more}）"
        chart.legend = None
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.majorGridlines = None
        data = Reference(ws, min_col=2, min_row=head, max_row=head + len(shown))
        cats = Reference(ws, min_col=1, min_row=head + 1, max_row=head + len(shown))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        series = chart.series[0]
        series.graphicalProperties.solidFill = "5B9BD5"
        for i, (_, ind) in enumerate(shown):
            if ind.marked:
                point = DataPoint(idx=i)
                point.graphicalProperties.solidFill = "C00000"
                series.dPt.append(point)
        chart.height, chart.width = height, 17.0  # beside the table, within one page width
        ws.add_chart(chart, f"D{head}")
        row = head + rows
    _page(ws, 2, width, row)


# --- 本级对照 ---------------------------------------------------------------------------------------

def _parent_sheet(ws, rollup: RollUp, agency: str, style: _Style) -> None:  # type: ignore[no-untyped-def]
    check = rollup.parent
    assert check is not None and check.parent.report is not None
    heads = (("表", 6), ("单元格", 48), ("本级报告", 12), ("各单位合计", 12), ("差额", 10), ("单元格键", 30))
    printed = len(heads) - 1
    _titles(ws, rollup, agency, "本级报告与各单位合计对照", printed, style)
    ws.cell(3, 1, check.text).alignment = style.wrap
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=printed)
    ws.row_dimensions[3].height = 15 * max(2, math.ceil(len(check.text) / 60))
    _header(ws, 4, [h for h, _ in heads], style)
    own = check.parent.report
    total = rollup.total
    differs = {d.key for d in check.diffs}
    row = 4
    for key, cell in own.schema.cells.items():
        mine, theirs = own.value(key), total.value(key) if total is not None else 0
        if not mine and not theirs:
            continue  # nothing to compare: a zero on both sides
        row += 1
        values = (TABLE_NAMES[cell.table], cell.name, cell_value(own, key),
                  cell_value(total, key) if total is not None else 0, _plain(mine - theirs), key)
        for c, v in enumerate(values, 1):
            target = ws.cell(row, c, v)
            target.border = style.border
            if key in differs and c <= printed:
                target.fill = style.differs
        ws.cell(row, len(heads)).font = style.machine
    for c, (_, w) in enumerate(heads, 1):
        ws.column_dimensions[coord(1, c)[:-1]].width = w
    ws.freeze_panes = "A5"
    _page(ws, 4, printed, row)


def _plain(v: object) -> object:
    from decimal import Decimal

    return float(v) if isinstance(v, Decimal) else v


# --- 各单位数据 -------------------------------------------------------------------------------------

def _cell_xml(ref: str, v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v), quote=False)}</t></is></c>'


def _data_sheet(ws, rollup: RollUp, agency: str, style: _Style) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Rows: the format's cells (表, 名称); columns: the sum, then every readable unit; the cell key
    in the last column. The unit columns' values are returned as sheet XML per row, put into the
    saved file by :func:`_add_cells` (openpyxl takes ~25 µs a cell: 2 million for 10,000 units)."""
    readable = [u for u in rollup.units if u.report is not None]
    schema = rollup.total.schema if rollup.total else readable[0].report.schema  # type: ignore[union-attr]
    keys = list(schema.cells)
    first = 4  # 表, 单元格, 汇总, then the units
    key_col = first + len(readable)
    _titles(ws, rollup, agency, "各单位数据", min(key_col - 1, 2 + UNITS_PER_PAGE + 1), style)
    _header(ws, 3, ["表", "单元格", "汇总", *(_name(u) for u in readable), "单元格键"], style)
    _header(ws, 4, ["", "状态", "", *(STATUS_TEXT[u.status] for u in readable), ""], style)
    ws.cell(3, key_col).font = style.machine
    total = rollup.total
    letters = [coord(1, c)[:-1] for c in range(first, key_col)]
    values: dict[int, str] = {}
    for i, key in enumerate(keys):
        row = 5 + i
        cell = schema.cells[key]
        ws.cell(row, 1, TABLE_NAMES[cell.table])
        ws.cell(row, 2, cell.name).alignment = style.wrap
        ws.cell(row, 3, cell_value(total, key) if total is not None else None).font = style.head
        values[row] = "".join(_cell_xml(f"{col}{row}", cell_value(u.report, key))  # type: ignore[arg-type]
                              for col, u in zip(letters, readable))
        values[row] += _cell_xml(f"{coord(row, key_col)}", key)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 10
    for col in letters:
        ws.column_dimensions[col].width = 11
    ws.column_dimensions[coord(1, key_col)[:-1]].width = 30
    ws.row_dimensions[3].height = 45
    ws.freeze_panes = "D5"
    last_row = 4 + len(keys)
    _page(ws, 4, key_col - 1, last_row, wide=max(1, math.ceil(len(readable) / UNITS_PER_PAGE)), repeat_cols="A:C",
          orientation="portrait" if len(readable) <= 4 else "landscape")  # a few units: a tall, narrow table
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


# --- the workbook -----------------------------------------------------------------------------------

def write_rollup_xlsx(rollup: RollUp, path: str | Path, agency: str | None = None) -> None:
    """The 汇总 workbook. ``agency``: the 汇总机关名称 (default: the sum's agency). The sum sheets
    are left out when nothing could be summed; 本级对照 when there is no area report."""
    from openpyxl import Workbook

    from .layout import table_block

    agency = (agency if agency is not None else rollup.total.meta.agency if rollup.total else "").strip()
    style = _Style()
    wb = Workbook()
    wb.remove(wb.active)
    _units_sheet(wb.create_sheet("单位一览"), rollup, agency, style)
    _problems_sheet(wb.create_sheet("问题清单"), rollup, agency, style)
    cached = {}
    total = rollup.total
    if total is not None:
        for tid, name in TABLE_SHEETS:
            ws = wb.create_sheet(name)
            block = table_block(total, total.schema.tables[tid])
            cached[len(wb.sheetnames)] = layout_sheet(ws, block, total, row0=TITLE_ROWS)
            _titles(ws, rollup, agency, f"{name}（合计）", block.cols, style)  # after: layout_sheet reads row 1
            header_rows = [r for r in block.header_rows]
            _page(ws, TITLE_ROWS + (max(header_rows) + 1 if header_rows else 0), block.cols, TITLE_ROWS + block.rows)
            ws.page_setup.fitToHeight = 1  # the sum of one table on one page, as the leader reads it
            if tid == "t2":
                ws.page_setup.orientation = "portrait"  # 表二 is four columns wide
    _chart_sheet(wb.create_sheet("研判指标"), rollup, agency, style)
    if rollup.parent is not None:
        _parent_sheet(wb.create_sheet("本级对照"), rollup, agency, style)
    values: dict[int, str] = {}
    if any(u.report is not None for u in rollup.units):
        values = _data_sheet(wb.create_sheet("各单位数据"), rollup, agency, style)
    member = f"xl/worksheets/sheet{len(wb.sheetnames)}.xml"
    save_workbook(wb, cached, path, lambda package: _add_cells(package, member, values) if values else package)

