"""Copy last year's report forward: the way every clerk starts a new year."""

from __future__ import annotations

import copy

from .document import YEARS, Report, new_report


def carry_forward(last: Report, year: int | None = None) -> Report:
    """A new report for ``year`` (default: last year + 1) carried from ``last``.

    Agency, level and a custom title are kept (its year updated), the date is cleared, 表三's
    ``carried_in`` takes last year's ``carried_out`` column by column, every other count starts
    empty, and ``last`` travels along so the cross-year rules and the narrative editor can use it.
    """
    if year is None:
        if not last.meta.year:
            raise ValueError("上年报告没有填写年度，请用 --year 指定新报告的年度")
        year = last.meta.year + 1
    if year not in YEARS:
        raise ValueError(f"新报告的年度（{year}）无效，应在{YEARS[0]}–{YEARS[-1]}年之间")
    if last.meta.year and year <= last.meta.year:
        raise ValueError(f"新报告的年度（{year}）须晚于上年报告的年度（{last.meta.year}）")
    new = new_report(year=year, agency=last.meta.agency)
    new.meta.level = last.meta.level
    if last.meta.title.strip():
        old = f"{last.meta.year}年" if last.meta.year else ""
        new.meta.title = last.meta.title.replace(old, f"{year}年") if old else last.meta.title
    for col in new.schema.lists["t3_cols"]:
        value = last.cells.get(f"t3.carried_out.{col}")
        if value is not None and last.is_valid(f"t3.carried_out.{col}"):
            new.cells[f"t3.carried_in.{col}"] = value
    previous = copy.deepcopy(last, {id(last.schema): last.schema})  # the format is shared, never copied
    previous.last = None  # one year back is enough; keeps files from growing every year
    previous.waivers = []
    new.last = previous
    return new
