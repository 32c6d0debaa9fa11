"""Rolling up many units' reports (汇总与审查): each unit checked with a status; a file sent twice
(重复) and one agency's reports with different figures (冲突) kept out of the sum; other years left
out; the area's own report (本级) compared with the sum of its units; the sum checked like any report.

Qt-free and file-free: readers turn files into :class:`Unit`s (``readers.rollup_sources``); the CLI,
the roll-up window and the 汇总 workbook all read the same :class:`RollUp`. Wording lives in
``rollup_texts.json``.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from .aggregate import CellSums
from .document import Report, new_report
from .findings import Finding, summary
from .indicators import Indicator, indicators
from .rules import check

TEXTS: dict[str, dict[str, str]] = json.loads((Path(__file__).parent / "rollup_texts.json").read_text(encoding="utf-8"))
Status = Literal["ok", "warnings", "errors", "unreadable", "conflict", "duplicate", "excluded", "parent"]
STATUS_TEXT: dict[str, str] = TEXTS["status"]
# why a readable unit is not summed: "" (it is), another year, a copy, an unresolved conflict,
# the other side of a resolved one, the area's own report (compared, not added)
LeftOut = Literal["", "year", "duplicate", "conflict", "not_chosen", "parent"]
_LEFT_OUT_STATUS: dict[str, Status] = {"year": "excluded", "not_chosen": "excluded", "duplicate": "duplicate",
                                       "conflict": "conflict", "parent": "parent"}


def _say(group: str, key: str, **values: object) -> str:
    return TEXTS[group][key].format(**values)


def name_key(agency: str) -> str:
    """An agency as compared: “乙　局” and “乙局” are one agency."""
    return "".join(agency.split())


@dataclass
class Unit:
    """One source file: its report (None when unreadable) and what was found in it."""

    source: str  # the file as the user named it (shown, and the key of --prefer and picks)
    report: Report | None = None
    reason: str = ""  # why the file could not be read (Chinese)
    findings: list[Finding] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    fingerprint: str = ""
    indicators: dict[str, Indicator] = field(default_factory=dict)
    remarks: list[str] = field(default_factory=list)  # duplicates, conflicts, years (set by roll_up)
    left_out: LeftOut = ""  # set by roll_up
    flagged: bool = False  # a remark needs the clerk's attention (a copy, a conflict, a year); set by roll_up

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
    def excluded(self) -> bool:
        """Readable but not summed (another year, a copy, a conflict, the area's own report)."""
        return bool(self.left_out)

    @property
    def summed(self) -> bool:
        return self.report is not None and not self.left_out

    @property
    def status(self) -> Status:
        if self.report is None:
            return "unreadable"
        if self.left_out:
            return _LEFT_OUT_STATUS[self.left_out]
        return "errors" if self.errors else "warnings" if self.warnings else "ok"

    @property
    def has_problems(self) -> bool:
        return self.status not in ("ok", "parent") or self.flagged


def _remark(u: Unit, key: str, flag: bool = True, **values: object) -> None:
    u.remarks.append(_say("remarks", key, **values))
    u.flagged = u.flagged or flag


def assess(source: str, report: Report, sums: CellSums | None = None) -> Unit:
    """A readable unit, checked, with its fingerprint and indicators; added to ``sums`` if given
    (the rules, the indicators and the sum share one look at the report's values)."""
    view = report.numeric_view()
    findings = check(report, report.last, view=view)
    errors, warnings = summary(findings)
    if sums is not None:
        sums.add(source, report, view=view)
    return Unit(source, report, findings=findings, errors=errors, warnings=warnings,
                fingerprint=report.fingerprint(), indicators=indicators(report, view[0]))


def unreadable(source: str, reason: str) -> Unit:
    return Unit(source, reason=reason)


class MixedYears(Exception):
    """The units are of several years and no year was chosen; ``years`` lists them."""

    def __init__(self, years: list[int]) -> None:
        super().__init__(f"被汇总的报告年度不一致（{'、'.join(f'{y}年' for y in years)}），请用“年度”指定汇总哪一年")
        self.years = years


@dataclass(frozen=True)
class CellDiff:
    """One cell where the area's own report and the sum of its units differ."""

    key: str
    parent: int | Decimal
    units: int | Decimal

    @property
    def difference(self) -> int | Decimal:
        return self.parent - self.units


@dataclass
class ParentCheck:
    """The area's own report (本级) against the sum of its units, cell by cell. Never an error:
    ``verdict`` is cannot_judge while any unit is missing, else consistent or differs."""

    parent: Unit
    summed: int  # units in the sum compared with
    missing: list[str]  # units not in that sum, each with why (Chinese)
    diffs: list[CellDiff]  # every cell that differs (shown whatever the verdict)
    listed: bool  # an expected-units list was given: "nothing missing" is then known

    @property
    def verdict(self) -> Literal["cannot_judge", "consistent", "differs"]:
        return "cannot_judge" if self.missing else "differs" if self.diffs else "consistent"

    @property
    def text(self) -> str:
        agency = self.parent.agency
        if self.verdict == "cannot_judge":
            text = _say("parent_check", "cannot_judge", n=len(self.missing), names="；".join(self.missing))
        elif self.verdict == "differs":
            text = _say("parent_check", "differs", agency=agency, n=self.summed, cells=len(self.diffs))
        else:
            text = _say("parent_check", "consistent", agency=agency, n=self.summed)
        return text if self.listed else f"{text}。{_say('parent_check', 'unlisted')}"


@dataclass
class RollUp:
    units: list[Unit]
    total: Report | None  # None when no unit could be summed
    findings: list[Finding]  # the sum's own check
    notes: list[str]  # roll-up wide: duplicates, conflicts, left-out years, missing units, unreadable cells
    parent: ParentCheck | None = None
    missing: list[str] = field(default_factory=list)  # expected units not summed, with why

    @property
    def summed(self) -> list[Unit]:
        return [u for u in self.units if u.summed]

    @property
    def conflicts(self) -> list[Unit]:
        return [u for u in self.units if u.left_out == "conflict"]

    @property
    def clean(self) -> bool:
        """Every file read, summed once or knowingly left out (the clerk's pick, the area's own
        report), without errors or anything needing attention; nothing missing."""
        return not self.missing and all(
            not u.flagged and u.status in ("ok", "warnings", "excluded", "parent") and not (u.status == "parent" and u.errors)
            for u in self.units)


def _figures(report: Report) -> tuple[str, ...]:
    return tuple(report.display(k) if report.cells.get(k) is not None else "0" for k in report.schema.cells)


def _quoted(units: Iterable[Unit]) -> str:
    return "、".join(f"“{u.source}”" for u in units)


def _sort_out_copies(candidates: list[Unit], prefer: Collection[str]) -> list[str]:
    """Mark copies (same fingerprint, or same agency and figures) as duplicates and one agency's
    differing reports as a conflict (or the preferred one chosen). Returns roll-up notes."""
    def order(group: list[Unit]) -> list[Unit]:
        # preferred files decide first, then the shorter names: “教育局.govreport” is the original
        # of “教育局-重新发送.govreport” and “教育局(1).govreport”; otherwise the folder's order.
        # Only groups of two or more are sorted: 10,000 units are mostly groups of one.
        return sorted(group, key=lambda u: (u.source not in prefer, len(os.path.basename(u.source))))

    by_print: dict[str, list[Unit]] = defaultdict(list)
    for u in candidates:
        by_print[u.fingerprint].append(u)
    duplicates: list[Unit] = []
    for same in by_print.values():
        if len(same) > 1:
            first, *copies = order(same)
            for u in copies:
                u.left_out = "duplicate"
                _remark(u, "duplicate_file", first=first.source)
                duplicates.append(u)
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in candidates:
        key = name_key(u.agency)
        if not u.left_out and key:
            groups[key].append(u)
    conflicted: list[str] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        kept: dict[tuple[str, ...], Unit] = {}
        for u in order(group):
            first = kept.setdefault(_figures(u.report), u)  # type: ignore[arg-type]
            if first is not u:
                u.left_out = "duplicate"
                _remark(u, "duplicate_figures", first=first.source)
                duplicates.append(u)
        rivals = list(kept.values())
        if len(rivals) < 2:
            continue
        chosen = [u for u in rivals if u.source in prefer]
        for u in rivals:
            others = _quoted(o for o in rivals if o is not u)
            if len(chosen) == 1 and u is chosen[0]:
                _remark(u, "chosen", flag=False, others=others)
            elif len(chosen) == 1:
                u.left_out = "not_chosen"
                _remark(u, "not_chosen", flag=False, chosen=chosen[0].source)
            else:
                u.left_out = "conflict"
                _remark(u, "conflict", others=others)
        if len(chosen) != 1:
            conflicted.append(rivals[0].agency)
    notes = []
    if duplicates:
        notes.append(_say("notes", "duplicates", n=len(duplicates), files=_quoted(duplicates)))
    if conflicted:
        notes.append(_say("notes", "conflicts", n=len(conflicted), agencies="、".join(conflicted)))
    return notes


def find_parent(units: list[Unit], agency: str = "", designated: str | None = None) -> Unit | None:
    """The area's own report among the summed ``units``: the one ``designated`` (by source; ""
    designates none: the clerk said there is none); else the unit named as the roll-up's agency (“某区人民政府” for “某区人民政府（汇总）”); else an
    area-level report (人民政府) whose place begins the name of every other unit. None when unsure:
    a wrong guess would take a unit out of the sum."""
    if designated is not None:
        return next((u for u in units if u.source == designated), None)
    wanted = name_key(agency)
    if wanted:
        named = [u for u in units if name_key(u.agency) and wanted.startswith(name_key(u.agency))]
        if len(named) == 1:
            return named[0]
    if len(units) < 2:
        return None
    names = [name_key(u.agency) for u in units]
    common = os.path.commonprefix(names)  # every name begins with a place iff this one does
    if len(common) < 2:
        return None
    for g, name in zip(units, names):
        place = name.removesuffix("人民政府")
        if (g.report is not None and g.report.meta.level == "government" and len(place) >= 2
                and common.startswith(place) and names.count(name) == 1):
            return g
    return None


def _matches(listed: str, agency: str) -> bool:
    """A name on the expected-units list and a report's agency: equal, or one ends the other
    (“教育局” on the list, “某区教育局” in the report)."""
    a, b = name_key(listed), name_key(agency)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 2 and long.endswith(short))


def _missing(units: list[Unit], expected: list[str] | None, parent: Unit | None) -> tuple[list[str], list[str]]:
    """(units not in the sum, each with why, for the parent check; expected names not in it)."""
    present = [u for u in units if u.summed or u is parent]
    out: list[str] = []
    conflicted: set[str] = set()
    for u in units:
        if u.report is None:
            out.append(_say("parent_check", "missing_unreadable", source=u.source))
        elif u.left_out == "conflict" and name_key(u.agency) not in conflicted:
            conflicted.add(name_key(u.agency))
            out.append(_say("parent_check", "missing_conflict", agency=u.agency))
        elif u.left_out == "year" and not any(name_key(p.agency) == name_key(u.agency) for p in present):
            out.append(_say("parent_check", "missing_year", agency=u.agency or u.source, year=u.year))
    listed_missing = []
    for name in expected or ():
        if any(_matches(name, u.agency) for u in present):
            continue
        listed_missing.append(name)
        if not any(_matches(name, u.agency) for u in units if u.left_out in ("conflict", "year")):
            out.append(_say("parent_check", "missing_absent", agency=name))
    return out, listed_missing


def _compare(parent: Unit, total: Report | None) -> list[CellDiff]:
    assert parent.report is not None
    own, _ = parent.report.numeric_view()
    summed = total.numeric_view()[0] if total is not None else dict.fromkeys(own, 0)
    return [CellDiff(k, own[k], summed[k]) for k in parent.report.schema.cells if own[k] != summed[k]]


def _sum(readable: list[Unit], summed: list[Unit], sums: CellSums | None) -> CellSums:
    """The sum of the ``summed`` units: ``sums`` (of every readable unit, made while reading) less
    the units left out, when that is less work than adding the summed ones again."""
    left = [u for u in readable if u.left_out]
    if sums is not None and sums.count == len(readable) and len(left) <= len(summed):
        out = sums.copy()
        for u in left:
            out.remove(u.source, u.report)  # type: ignore[arg-type]
        return out
    out = CellSums()
    for u in summed:
        out.add(u.source, u.report)  # type: ignore[arg-type]
    return out


def roll_up(units: list[Unit], agency: str = "", year: int | None = None, prefer: Collection[str] = (),
            parent: str | None = None, expected: list[str] | None = None, sums: CellSums | None = None) -> RollUp:
    """Sum the readable units of one year; raises :class:`MixedYears` when years differ and
    ``year`` is None. Units with errors are summed (and flagged by their status); copies are not;
    one agency's differing reports are not, unless one of them is in ``prefer`` (sources). The
    area's own report (``parent`` by source, or found by :func:`find_parent`) is compared with the
    sum instead of added; ``expected`` (agency names) says which units should be there. ``sums``:
    the :class:`CellSums` of exactly the readable ``units``, when the reader made it."""
    readable = [u for u in units if u.report is not None]
    for u in units:
        u.remarks.clear()
        u.left_out, u.flagged = "", False
    years = sorted({u.year for u in readable if u.year})
    if year is None and len(years) > 1:
        raise MixedYears(years)
    notes: list[str] = []
    if year is not None:
        for u in readable:
            if u.year and u.year != year:
                u.left_out = "year"
                _remark(u, "other_year", year=u.year, target=year)
        left_out = sum(u.left_out == "year" for u in readable)
        if left_out:
            notes.append(_say("notes", "other_years", n=left_out, year=year))
    notes += _sort_out_copies([u for u in readable if not u.left_out], set(prefer))
    own = find_parent([u for u in readable if not u.left_out], agency, parent)
    if own is not None:
        own.left_out = "parent"
        _remark(own, "parent", flag=False, agency=own.agency)
    summed = [u for u in readable if not u.left_out]
    for u in summed:
        if not u.year:
            _remark(u, "no_year")
    missing, listed_missing = _missing(units, expected, own)
    if listed_missing:
        notes.append(_say("notes", "missing", n=len(listed_missing), names="、".join(listed_missing)))
    if expected:
        unlisted = [u.agency or u.source for u in summed if not any(_matches(n, u.agency) for n in expected)]
        if unlisted:
            notes.append(_say("notes", "not_listed", n=len(unlisted), names="、".join(unlisted)))
    total = None
    findings: list[Finding] = []
    if summed:
        name = agency or (own.agency if own is not None else "")
        total = new_report(year=year or (years[0] if years else None), agency=name, with_headings=False)
        cell_sums = _sum(readable, summed, sums)
        total.cells = cell_sums.cells()
        notes += [note for u in summed for note in cell_sums.notes.get(u.source, ())]
        failing = sum(1 for u in summed if u.errors)
        if failing:
            notes.append(_say("notes", "with_errors", n=failing))
        total.import_notes = [_say("notes", "summed", n=len(summed))] + notes
        findings = check(total)
    check_parent = None
    if own is not None:
        check_parent = ParentCheck(own, len(summed), missing, _compare(own, total), expected is not None)
    return RollUp(units, total, findings, notes, check_parent, listed_missing)
