"""Adding up several reports' tables (a district summing its bureaus' reports).

Only the tables are summed; narrative, dates and waivers belong to each agency and are not merged.
"""

from __future__ import annotations

from decimal import Decimal

from .document import CellValue, Report, new_report
from .rules import check


def sum_cells(reports: list[tuple[str, Report]]) -> tuple[dict[str, CellValue], list[str]]:
    """(every cell's sum over ``reports``, notes on unreadable cells left out). A cell no report
    entered stays not entered."""
    schema = new_report(with_headings=False).schema
    totals: dict[str, CellValue] = {}
    notes: list[str] = []
    fees = {k for k, c in schema.cells.items() if c.kind == "fee"}
    for name, report in reports:
        values, invalid = report.numeric_view()  # one pass per report, not one call per cell
        for key in report.cells.keys() & values.keys():
            if report.cells[key] is None:
                continue
            if key in invalid:
                notes.append(f"“{name}”的{schema.cells[key].name}“{report.raw(key)}”无法识别，未计入")
                continue
            zero = Decimal(0) if key in fees else 0
            totals[key] = totals.get(key, zero) + values[key]  # type: ignore[operator]
    return {k: totals[k] for k in schema.cells if k in totals}, notes


def aggregate(reports: list[tuple[str, Report]], agency: str = "", year: int | None = None) -> Report:
    """The sum of every cell over ``reports`` (name, report); notes say what was summed and what
    may be wrong (mixed years, sources with errors, unreadable cells left out)."""
    years = sorted({r.meta.year for _, r in reports if r.meta.year})
    out = new_report(year=year or (years[-1] if len(years) == 1 else None), agency=agency, with_headings=False)
    notes = [f"汇总了{len(reports)}份报告：" + "、".join(name for name, _ in reports)]
    if len(years) > 1:
        notes.append(f"注意：被汇总的报告年度不一致（{'、'.join(map(str, years))}）")
    out.cells, cell_notes = sum_cells(reports)
    notes += cell_notes
    for name, report in reports:
        errors = sum(1 for f in check(report) if f.severity == "error")
        if errors:
            notes.append(f"“{name}”本身有{errors}个错误，汇总数可能不准")
    out.import_notes = notes
    return out
