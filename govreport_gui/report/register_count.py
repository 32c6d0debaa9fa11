"""表三 (and 表四) counted from a register of applications, for report year Y.

Each application is counted once on the left of the balance (本年新收 or 上年结转) and once on the
right (an outcome concluded in Y, or 结转下年度), so ``new + carried_in = result.total + carried_out``
holds in every column by construction. The register rows arrive as plain data from
``readers.register``; nothing here knows about files. Applicant names and request contents are
never part of these records.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from typing import NamedTuple

from .document import CellValue, Report
from .edits import CellEdit
from .register_source import RegisterSource
from .schema import Schema, load_schema
from .workdays import WorkCalendar, due_date


class Application(NamedTuple):
    """One register row that can be counted (``row`` is its row number in the spreadsheet).

    A NamedTuple: built 100,000 times for a big register, 3× faster than a frozen dataclass.
    """

    id: str
    row: int
    received: dt.date
    applicant: str  # a 表三 applicant column key, e.g. ``natural_person``
    outcome: str | None  # a 表三 outcome row key, e.g. ``result.denied.state_secret``; None: open
    concluded: dt.date | None
    extended: bool = False
    corrected: dt.date | None = None  # 补正: the corrected request arrived on this day
    sheet: str = ""  # its worksheet (a register may keep one sheet per year)

    def where(self) -> str:
        """``第12行`` or ``“2024年”第12行``, as the clerk finds the row in the spreadsheet."""
        return f"“{self.sheet}”第{self.row}行" if self.sheet else f"第{self.row}行"


@dataclass(frozen=True)
class Case:
    """One 行政复议/行政诉讼 case of the case list (表四)."""

    id: str
    row: int
    group: str  # review / suit_direct / suit_after_review
    part: str  # upheld / corrected / other / pending
    date: dt.date | None = None


@dataclass(frozen=True)
class RowProblem:
    """A row that was left out of the counts: where it is and why (Chinese)."""

    sheet: str
    row: int
    reason: str

    def text(self) -> str:
        where = f"“{self.sheet}”" if self.sheet else ""
        return f"{where}第{self.row}行：{self.reason}"


@dataclass
class Register:
    """A register as read: its rows, its cases (None when it has no case list) and its problems."""

    file: str
    sha256: str
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] | None = None
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader had to guess (Chinese)


@dataclass
class RegisterCount:
    """The counted cells of year ``year`` and the applications behind each of them."""

    year: int
    cells: dict[str, int]
    members: dict[str, list[Application]]  # applicant-column 表三 cell → its applications
    case_members: dict[str, list[Case]]
    later: int = 0  # rows received after the year: not counted
    notes: list[str] = field(default_factory=list)

    def applications_of(self, key: str) -> list[Application]:
        """The applications behind a 表三 cell (a 总计 column cell: all of its row)."""
        if key.startswith("t3.") and key.endswith(".total"):
            row = key[: -len(".total")]
            out = [a for k, apps in self.members.items() if k.rsplit(".", 1)[0] == row for a in apps]
            return sorted(out, key=lambda a: (a.sheet, a.row))
        return list(self.members.get(key, []))


def count(register: Register, year: int, schema: Schema | None = None) -> RegisterCount:
    """表三 for ``year`` from the register's applications, 表四 from its cases if it has any."""
    # 100,000 applications and the lists they go into are acyclic: the cycle collector would only
    # rescan them, again and again as the lists grow (it tripled the time of a big register's count)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _count(register, year, schema or load_schema())
    finally:
        if was_enabled:
            gc.enable()


def _count(register: Register, year: int, schema: Schema) -> RegisterCount:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    members: dict[str, list[Application]] = {}
    later = 0
    for a in register.applications:
        if a.received > end:
            later += 1
            continue
        if a.concluded is not None and a.concluded < start:
            continue  # concluded before the year: last year's report counted it
        left = "new" if a.received >= start else "carried_in"
        right = a.outcome if a.concluded is not None and a.concluded <= end and a.outcome else "carried_out"
        members.setdefault(f"t3.{left}.{a.applicant}", []).append(a)
        members.setdefault(f"t3.{right}.{a.applicant}", []).append(a)

    cells: dict[str, int] = {}
    applicants = schema.lists["t3_applicants"]
    outcomes = schema.lists["t3_outcomes"]
    for row in schema.lists["t3_rows"]:
        for col in applicants:
            if row == "result.total":
                n = sum(len(members.get(f"t3.{o}.{col}", ())) for o in outcomes)
            else:
                n = len(members.get(f"t3.{row}.{col}", ()))
            cells[f"t3.{row}.{col}"] = n
        cells[f"t3.{row}.total"] = sum(cells[f"t3.{row}.{c}"] for c in applicants)

    notes: list[str] = []
    if later:
        notes.append(f"有 {later} 件申请的收到日期在{year}年之后，未计入{year}年报告")
    case_members: dict[str, list[Case]] = {}
    if register.cases is not None:
        other_years = 0
        for c in register.cases:
            if c.date is not None and c.date.year != year:
                other_years += 1
                continue
            case_members.setdefault(f"t4.{c.group}.{c.part}", []).append(c)
        if other_years:
            notes.append(f"案件清单中有 {other_years} 件的日期不在{year}年，未计入表四")
        for g in schema.lists["t4_groups"]:
            parts = [len(case_members.get(f"t4.{g}.{p}", ())) for p in schema.lists["t4_parts"]]
            for p, n in zip(schema.lists["t4_parts"], parts):
                cells[f"t4.{g}.{p}"] = n
            cells[f"t4.{g}.total"] = sum(parts)
    return RegisterCount(year, cells, members, case_members, later, notes)


def source_of(register: Register, result: RegisterCount, imported_at: str) -> RegisterSource:
    """What the report keeps of the register: file name, hash, time and the 编号 per cell."""
    ids: dict[str, list[str]] = {k: [a.id for a in apps] for k, apps in result.members.items() if apps}
    ids.update({k: [c.id for c in cases] for k, cases in result.case_members.items() if cases})
    return RegisterSource(register.file, register.sha256, imported_at, result.year, ids)


class RegisterEdit(CellEdit):
    """New 表三/表四 values together with their register source: one undoable step.

    A :class:`CellEdit`, so the window re-colours the cells and the live figures follow.
    """

    __slots__ = ("source",)
    _fields = ("changes", "source")
    source: RegisterSource | None

    def __init__(self, changes: tuple[tuple[str, CellValue], ...], source: RegisterSource | None = None) -> None:
        super().__init__(changes)
        object.__setattr__(self, "source", source)

    def apply(self, report: Report) -> RegisterEdit:
        inverse = super().apply(report)
        old, report.register = report.register, self.source
        return RegisterEdit(inverse.changes, old)


def register_edit(report: Report, result: RegisterCount, source: RegisterSource,
                  keep_carried_in: bool = False) -> RegisterEdit:
    """The edit that puts the counted cells into ``report`` (only the cells that change).

    With ``keep_carried_in`` 表三's 上年结转 row keeps what last year's report carried out (see
    :func:`carry_conflict`) instead of the register's count, and the source names no 编号 for it.
    """
    cells = dict(result.cells)
    if keep_carried_in:
        conflict = carry_conflict(report, result)
        for col, (last, _) in (conflict.columns.items() if conflict is not None else ()):
            cells[f"t3.carried_in.{col}"] = last
        source = RegisterSource(source.file, source.sha256, source.imported_at, source.year,
                                {k: v for k, v in source.cells.items() if not k.startswith("t3.carried_in.")},
                                source.version, dict(source.extra))
    changes: dict[str, CellValue] = {k: v for k, v in cells.items() if report.cells.get(k) != v}
    return RegisterEdit(tuple(changes.items()), source)


@dataclass(frozen=True)
class CarryConflict:
    """The register's 上年结转 against last year's 结转下年度, column by column (col → (last year's,
    the register's)) where they differ; ``from_last`` says whether last year's figures come from
    last year's report (else from this report's 上年结转 as the clerk entered it)."""

    columns: dict[str, tuple[int, int]]
    from_last: bool

    @property
    def totals(self) -> tuple[int, int]:
        last, register = self.columns.get("total", (0, 0))
        return last, register


def carry_conflict(report: Report, result: RegisterCount) -> CarryConflict | None:
    """Where the register's 上年结转 differs from last year's 结转下年度, or None when it agrees
    (or nothing says what last year carried out). A register begun this year holds none of last
    year's open applications: its 上年结转 is 0 while last year's report carried some over."""
    applicants = report.schema.lists["t3_cols"]
    if report.last is not None:
        last = {c: int(report.last.value(f"t3.carried_out.{c}")) for c in applicants}
        from_last = True
    elif any(report.cells.get(f"t3.carried_in.{c}") for c in applicants):
        last = {c: int(report.value(f"t3.carried_in.{c}")) for c in applicants}
        from_last = False
    else:
        return None
    columns = {c: (last[c], result.cells[f"t3.carried_in.{c}"]) for c in applicants
               if last[c] != result.cells[f"t3.carried_in.{c}"]}
    return CarryConflict(columns, from_last) if columns else None


@dataclass(frozen=True)
class Overdue:
    """An application answered late, or still open past its due date at the end of the year."""

    application: Application
    due: dt.date
    answered: dt.date | None  # None: still open on ``as_of``
    as_of: dt.date

    @property
    def days_late(self) -> int:
        """Calendar days past the due date (to the answer, or to ``as_of`` for an open one)."""
        return ((self.answered or self.as_of) - self.due).days


def overdue(register: Register, year: int, cal: WorkCalendar | None = None) -> list[Overdue]:
    """Late answers given in ``year`` and applications open past due on 31 December ``year``."""
    cal = cal or WorkCalendar()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: list[Overdue] = []
    for a in register.applications:
        if a.received > end or (a.concluded is not None and a.concluded < start):
            continue
        due = due_date(cal, a.received, a.extended, a.corrected)
        answered = a.concluded if a.concluded is not None and a.concluded <= end else None
        if answered is not None and answered > due:
            out.append(Overdue(a, due, answered, end))
        elif answered is None and due < end:
            out.append(Overdue(a, due, None, end))
    return out

