"""A blank register workbook (依申请公开台账模板) that ``readers.register`` reads back as it is.

Sheet 台账: one row per application, drop-down lists (data validation) for 申请人类型, 办理结果 and
是否延期, date-formatted date columns. Sheet 复议诉讼案件: the case list for 表四. The choices live
on a hidden sheet because Excel limits an inline list to 255 characters.
"""

from __future__ import annotations

import io
import os

from lxml import etree

from ..report.native import FileFormatError, atomic_write
from ..report.oserrors import os_error_text
from ..report.schema import Schema, load_schema

# (header, width, kind): the canonical header names readers.register looks for first
COLUMNS = (
    ("编号", 12, "text"), ("收到日期", 13, "date"), ("申请人类型", 14, "applicant"), ("申请人", 16, "text"),
    ("申请内容", 36, "text"), ("办理结果", 34, "outcome"), ("办结日期", 13, "date"), ("是否延期", 10, "yes"),
    ("补正日期", 13, "date"), ("备注", 24, "text"),
)
CASE_COLUMNS = (("编号", 14, "text"), ("类型", 18, "group"), ("结果", 12, "part"), ("收到日期", 13, "date"))
CASE_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
CASE_PARTS = ("维持", "纠正", "其他", "尚未审结")
ROWS = 2000  # rows prepared with drop-downs and date format
DATE_FORMAT = "yyyy-mm-dd"


def choices(schema: Schema) -> dict[str, tuple[str, ...]]:
    """The drop-down lists: 表三's applicant columns and outcome rows by their short names."""
    names = schema.names
    applicants = tuple(names["t3.col"][c] for c in schema.lists["t3_applicants"])
    outcomes = tuple(names["t3.row"][r] for r in schema.lists["t3_outcomes"])
    return {"applicant": applicants, "outcome": outcomes, "yes": ("是", "否"),
            "group": CASE_GROUPS, "part": CASE_PARTS}


def write_template(path: str | os.PathLike[str], schema: Schema | None = None) -> None:
    """Write the blank register workbook to ``path`` (.xlsx), atomically: an interrupted write
    (a kill, a full disk) leaves the old file as it was. A failure raises :class:`FileFormatError`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = choices(schema or load_schema())
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    cases = wb.create_sheet("复议诉讼案件")
    options = wb.create_sheet("选项")
    options.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for n, (kind, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(n)
        options.cell(1, n, kind)
        for i, v in enumerate(values, start=2):
            options.cell(i, n, v)
        ranges[kind] = f"选项!${letter}$2:${letter}${len(values) + 1}"

    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    for sheet, columns, note in (
        (ws, COLUMNS, "申请人、申请内容只供本机关留存，GovReport 不读取、不保存这两列。日期写作 2025-03-04。"),
        (cases, CASE_COLUMNS, "政府信息公开行政复议、行政诉讼案件（用于表四）。"),
    ):
        sheet.cell(1, 1, note).font = Font(italic=True, color="666666")
        for col, (header, width, kind) in enumerate(columns, start=1):
            cell = sheet.cell(2, col, header)
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(horizontal="center")
            letter = get_column_letter(col)
            sheet.column_dimensions[letter].width = width
            area = f"{letter}3:{letter}{ROWS + 2}"
            if kind == "date":
                for (c,) in sheet.iter_rows(min_row=3, max_row=ROWS + 2, min_col=col, max_col=col):
                    c.number_format = DATE_FORMAT
                dv = DataValidation(type="date", operator="greaterThan", formula1="1")
                dv.error, dv.errorTitle = "请填写日期，如 2025-03-04", "日期"
            elif kind in ranges:
                dv = DataValidation(type="list", formula1=f"={ranges[kind]}", allow_blank=True)
                dv.error, dv.errorTitle = "请从下拉列表中选择", header
            else:
                continue
            dv.showErrorMessage = True
            sheet.add_data_validation(dv)
            dv.add(area)
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    try:
        wb.save(buffer)  # openpyxl writes each sheet through a temporary file first
    except (OSError, etree.SerialisationError) as e:
        reason = os_error_text(e) if isinstance(e, OSError) else "写临时文件失败，可能磁盘已满"
        raise FileFormatError(f"无法写入“{path}”：{reason}（原有文件未改动）") from None
    try:
        atomic_write(path, buffer.getvalue(), backup=False)
    except OSError as e:
        raise FileFormatError(f"无法写入“{path}”：{os_error_text(e)}（原有文件未改动）") from None
