"""Adding up several reports' tables (a district summing its bureaus' reports).

Only the tables are summed; narrative, dates and waivers belong to each agency and are not merged.
``rollup.roll_up`` adds the per-unit statuses, duplicates and years around this sum.
"""

from __future__ import annotations

from decimal import Decimal

from .document import CellValue, Report, new_report


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
