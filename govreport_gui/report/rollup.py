"""Rolling up many units' reports (汇总与审查): each unit checked with a status, duplicates and
years found, the sum of the units checked like any report.

Qt-free and file-free: readers turn files into :class:`Unit`s (``readers.rollup_sources``); the CLI,
the roll-up window and the 汇总 workbook all read the same :class:`RollUp`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from .aggregate import sum_cells
from .document import Report, new_report
from .findings import Finding, summary
from .rules import check

Status = Literal["ok", "warnings", "errors", "unreadable", "excluded"]
STATUS_TEXT: dict[str, str] = {"ok": "通过", "warnings": "有提醒", "errors": "有错误", "unreadable": "无法读取",
                               "excluded": "未计入"}


@dataclass
class Unit:
    """One source file: its report (None when unreadable) and what was found in it."""

    source: str  # the file as the user named it (shown, and the key of duplicates)
    report: Report | None = None
    reason: str = ""  # why the file could not be read (Chinese)
    findings: list[Finding] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    fingerprint: str = ""
    remarks: list[str] = field(default_factory=list)  # duplicates, another year (set by roll_up)
    excluded: bool = False  # not summed (another year than the roll-up's)

    @property
    def agency(self) -> str:
        return self.report.meta.agency.strip() if self.report else ""

    @property
    def year(self) -> int | None:
        return self.report.meta.year if self.report else None

    @property
    def notes(self) -> list[str]:
        """What the importer had to guess or could not read."""
        return list(self.report.import_notes) if self.report else []

    @property
    def status(self) -> Status:
        if self.report is None:
            return "unreadable"
        if self.excluded:
            return "excluded"
        return "errors" if self.errors else "warnings" if self.warnings else "ok"

    @property
    def has_problems(self) -> bool:
        return self.status != "ok" or bool(self.remarks)


def assess(source: str, report: Report) -> Unit:
    """A readable unit, checked."""
    findings = check(report, report.last)
    errors, warnings = summary(findings)
    return Unit(source, report, findings=findings, errors=errors, warnings=warnings,
                fingerprint=report.fingerprint())


def unreadable(source: str, reason: str) -> Unit:
    return Unit(source, reason=reason)


class MixedYears(Exception):
    """The units are of several years and no year was chosen; ``years`` lists them."""

    def __init__(self, years: list[int]) -> None:
        super().__init__(f"被汇总的报告年度不一致（{'、'.join(f'{y}年' for y in years)}），请用“年度”指定汇总哪一年")
        self.years = years


@dataclass
class RollUp:
    units: list[Unit]
    total: Report | None  # None when no unit could be summed
    findings: list[Finding]  # the sum's own check
    notes: list[str]  # roll-up wide: duplicates, left-out years, unreadable cells

    @property
    def summed(self) -> list[Unit]:
        return [u for u in self.units if u.report is not None and not u.excluded]

    @property
    def clean(self) -> bool:
        return all(u.status in ("ok", "warnings") and not u.remarks for u in self.units)


def _flag_duplicates(units: list[Unit], what: str, key: str) -> list[str]:
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        value = "".join(getattr(u, key).split())  # “乙　局” and “乙局” are one agency
        if value:
            groups[value].append(u)
    notes = []
    for group in groups.values():
        if len(group) < 2:
            continue
        value = getattr(group[0], key)
        files = "、".join(f"“{u.source}”" for u in group)
        notes.append(f"{what}“{value}”出现了{len(group)}次：{files}")
        for u in group:
            others = "、".join(f"“{o.source}”" for o in group if o is not u)
            u.remarks.append(f"与{others}{what}相同")
    return notes


def roll_up(units: list[Unit], agency: str = "", year: int | None = None) -> RollUp:
    """Sum the readable units of one year; raises :class:`MixedYears` when years differ and
    ``year`` is None. Units with errors are summed (and flagged by their status)."""
    readable = [u for u in units if u.report is not None]
    for u in readable:
        u.remarks.clear()
        u.excluded = False
    years = sorted({u.year for u in readable if u.year})
    if year is None and len(years) > 1:
        raise MixedYears(years)
    notes: list[str] = []
    if year is not None:
        for u in readable:
            if u.year and u.year != year:
                u.excluded = True
                u.remarks.append(f"是{u.year}年的报告，未计入{year}年汇总")
        left_out = sum(u.excluded for u in readable)
        if left_out:
            notes.append(f"{left_out}份报告不是{year}年的，未计入汇总")
    summed = [u for u in readable if not u.excluded]
    notes += _flag_duplicates(summed, "机关名称", "agency")
    notes += _flag_duplicates(summed, "校验码", "fingerprint")
    for u in summed:
        if not u.year:
            u.remarks.append("报告没有年度，已按汇总年度计入")
    if not summed:
        return RollUp(units, None, [], notes)
    total = new_report(year=year or (years[0] if years else None), agency=agency, with_headings=False)
    total.cells, cell_notes = sum_cells([(u.source, u.report) for u in summed if u.report])
    notes += cell_notes
    failing = sum(1 for u in summed if u.errors)
    if failing:
        notes.append(f"{failing}个单位的报告本身有错误，已计入汇总，汇总数可能不准")
    total.import_notes = [f"汇总了{len(summed)}个单位的报告"] + notes
    return RollUp(units, total, check(total), notes)
