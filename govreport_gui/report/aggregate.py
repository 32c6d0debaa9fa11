"""Adding up several reports' tables (a district summing its bureaus' reports).

Only the tables are summed; narrative, dates and waivers belong to each agency and are not merged.
"""

from __future__ import annotations

from decimal import Decimal

from .document import Report, new_report
from .rules import check


def aggregate(reports: list[tuple[str, Report]], agency: str = "", year: int | None = None) -> Report:
    """The sum of every cell over ``reports`` (name, report); notes say what was summed and what
    may be wrong (mixed years, sources with errors, unreadable cells left out)."""
    years = sorted({r.meta.year for _, r in reports if r.meta.year})
    out = new_report(year=year or (years[-1] if len(years) == 1 else None), agency=agency, with_headings=False)
    notes = [f"汇总了{len(reports)}份报告：" + "、".join(name for name, _ in reports)]
    if len(years) > 1:
        notes.append(f"注意：被汇总的报告年度不一致（{'、'.join(map(str, years))}）")
    for key, cell in out.schema.cells.items():
        total: int | Decimal = Decimal(0) if cell.kind == "fee" else 0
        entered = False
        for name, report in reports:
            if report.cells.get(key) is None:
                continue
            if not report.is_valid(key):
                notes.append(f"“{name}”的{cell.name}“{report.raw(key)}”无法识别，未计入")
                continue
            total += report.value(key)
            entered = True
        if entered:
            out.cells[key] = total
    for name, report in reports:
        errors = sum(1 for f in check(report) if f.severity == "error")
        if errors:
            notes.append(f"“{name}”本身有{errors}个错误，汇总数可能不准")
    out.import_notes = notes
    return out
