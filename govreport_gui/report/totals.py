"""Automatic totals: the 总计 column, （七）总计 and 表四's totals, computed from their parts.

Only totals whose parts the clerk just changed are recomputed, so a total typed by hand or read
from a file is never overwritten silently; the rules flag it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .document import CellValue, Report


def autofill(report: Report, changes: dict[str, CellValue], tables: Iterable[str]) -> dict[str, CellValue]:
    """``changes`` plus the totals (of ``tables``) that follow from them."""
    schema = report.schema
    wanted = set(tables)
    rules = [r for t in schema.autofill if t in wanted for r in schema.autofill[t]]
    if not rules:
        return dict(changes)
    out = dict(changes)

    def value(key: str) -> int | Decimal | None:
        v = out[key] if key in out else report.cells.get(key)
        if v is None:
            return 0
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None

    affected = set(changes)
    typed = set(changes)  # a total the clerk typed in this edit stays as typed
    for rule in rules:  # schema order: row totals before the column totals that sum them
        for eq in schema.equations:
            if eq.rule != rule or not eq.is_total or not affected.intersection(eq.rhs):
                continue
            total = eq.lhs[0]
            if total in typed:
                continue
            parts = [value(k) for k in eq.rhs]
            if any(p is None for p in parts):
                continue  # an unreadable part: leave the total alone, value.count names the cell
            new = sum(parts)  # type: ignore[arg-type]
            if value(total) != new or report.cells.get(total) is None and total not in out:
                out[total] = new
                affected.add(total)
    return out


def recompute_all(report: Report, table: str) -> dict[str, CellValue]:
    """Every total of ``table`` from its parts (an explicit, undoable action of the clerk)."""
    parts = {k for eq in report.schema.equations if eq.is_total and eq.rule in report.schema.autofill.get(table, ())
             for k in eq.rhs}
    filled = autofill(report, {k: report.cells.get(k) for k in parts if k in report.cells}, [table])
    return {k: v for k, v in filled.items() if report.cells.get(k) != v}
