"""Counting rules of year Y, the register edit and its undo, the saved source, deadlines."""

from __future__ import annotations

import datetime as dt

from govreport_gui.report import native
from govreport_gui.report.document import new_report
from govreport_gui.report.register_count import (
    Application,
    Register,
    count,
    overdue,
    register_edit,
    source_of,
)
from govreport_gui.report.register_source import RegisterSource
from govreport_gui.report.rules import check
from govreport_gui.report.workdays import WorkCalendar, due_date

D = dt.date


def app(ident: str, received: D, outcome: str | None = None, concluded: D | None = None,
        applicant: str = "natural_person", **kw: object) -> Application:
    return Application(ident, 2, received, applicant, outcome, concluded, **kw)  # type: ignore[arg-type]


def register(*apps: Application) -> Register:
    return Register("台账.xlsx", "ab" * 32, list(apps))


def test_the_four_kinds_of_rows_around_the_year() -> None:
    reg = register(
        app("old", D(2024, 3, 1), "result.granted", D(2024, 3, 5)),          # last year's business
        app("in-done", D(2024, 12, 20), "result.partial", D(2025, 1, 8)),    # carried in, concluded
        app("in-open", D(2024, 12, 28), applicant="commercial"),             # carried in and out
        app("new-done", D(2025, 6, 1), "result.unable.not_held", D(2025, 6, 20)),
        app("new-open", D(2025, 12, 25), "result.granted", D(2026, 1, 6)),   # concluded next year
        app("next", D(2026, 1, 3)),                                           # next year's
    )
    r = count(reg, 2025)
    c = r.cells
    assert (c["t3.new.total"], c["t3.carried_in.total"], c["t3.result.total.total"], c["t3.carried_out.total"]) == (2, 2, 2, 2)
    assert c["t3.carried_in.commercial"] == 1 and c["t3.carried_out.commercial"] == 1
    assert c["t3.result.partial.natural_person"] == 1 and c["t3.result.granted.total"] == 0
    assert r.later == 1
    assert sorted(a.id for a in r.applications_of("t3.carried_out.total")) == ["in-open", "new-open"]
    report = new_report(2025)
    report.cells.update(c)
    assert not [f for f in check(report) if f.rule.startswith("t3.")]


def test_register_edit_is_one_step_that_undoes_cells_and_source() -> None:
    report = new_report(2025)
    report.cells["t3.new.natural_person"] = 99
    reg = register(app("A-1", D(2025, 2, 3), "result.granted", D(2025, 2, 10)))
    result = count(reg, 2025)
    edit = register_edit(report, result, source_of(reg, result, "2026-01-05T09:00:00+08:00"))
    inverse = edit.apply(report)
    assert report.cells["t3.new.natural_person"] == 1 and report.cells["t3.result.granted.total"] == 1
    assert report.register is not None and report.register.ids("t3.new.total") == ["A-1"]
    inverse.apply(report)
    assert report.cells["t3.new.natural_person"] == 99 and "t3.result.granted.total" not in report.cells
    assert report.register is None


def test_register_source_round_trips_and_keeps_newer_keys() -> None:
    report = new_report(2025)
    report.register = RegisterSource("台账.xlsx", "f" * 64, "2026-01-05T09:00:00+08:00", 2025,
                                     {"t3.new.commercial": ["Q-2", "Q-7"]})
    data = native.to_dict(report)
    assert data["version"] == native.VERSION  # the file format itself is unchanged
    assert data["register"]["version"] == 1
    back = native.loads(native.dumps(report))
    assert back.register == report.register
    assert back.register is not None and back.register.ids("t3.new.total") == ["Q-2", "Q-7"]
    assert back.register.covers("t3.new.total") and not back.register.covers("t3.result.total.total")
    assert not back.register.covers("t4.review.upheld")  # 表四 did not come from a case list
    # a file from a newer GovReport: unknown keys of the field come back untouched
    data["register"]["version"] = 2
    data["register"]["future"] = {"x": 1}
    again = native.to_dict(native.from_dict(data))
    assert again["register"]["version"] == 2 and again["register"]["future"] == {"x": 1}
    # a damaged field is dropped, the report still opens
    data["register"] = "garbage"
    assert native.from_dict(data).register is None


def test_deadline_across_national_day_with_its_make_up_saturday() -> None:
    # 2025: 国庆+中秋 1–8 October off; Sunday 28 September and Saturday 11 October are worked (调休)
    cal = WorkCalendar()
    received = D(2025, 9, 26)  # a Friday
    # working days after it: 9/28(调休) 29 30 | 10/9 10 11(调休) | 13–17 | 20–24 | 27–30 → the 20th
    assert due_date(cal, received) == D(2025, 10, 30)
    weekends_only = received
    n = 0
    while n < 20:
        weekends_only += dt.timedelta(days=1)
        n += weekends_only.weekday() < 5
    assert weekends_only == D(2025, 10, 24)  # what a plain weekday count would wrongly give
    assert due_date(cal, received, extended=True) == D(2025, 11, 27)
    assert due_date(cal, received, corrected=D(2025, 10, 9)) == D(2025, 11, 5)  # 补正 restarts
    assert cal.fallback_note() is None


def test_years_beyond_the_holiday_data_fall_back_to_weekends_and_say_so() -> None:
    cal = WorkCalendar()
    far = D(2099, 9, 25)  # a Friday
    assert due_date(cal, far) == D(2099, 10, 23)
    note = cal.fallback_note()
    assert note is not None and "2099年" in note and "周六、周日" in note


def test_late_answers_and_open_applications_past_due() -> None:
    reg = register(
        app("ok", D(2025, 3, 3), "result.granted", D(2025, 3, 20)),
        app("late", D(2025, 3, 3), "result.granted", D(2025, 4, 30)),
        app("extended", D(2025, 3, 3), "result.granted", D(2025, 4, 25), extended=True),
        app("open", D(2025, 11, 3)),
        app("open-fresh", D(2025, 12, 20)),
        app("open-till-next", D(2025, 10, 9), "result.granted", D(2026, 2, 1)),
    )
    items = {o.application.id: o for o in overdue(reg, 2025)}
    assert sorted(items) == ["late", "open", "open-till-next"]
    assert items["late"].answered == D(2025, 4, 30) and items["late"].days_late > 0
    assert items["open"].answered is None and items["open"].as_of == D(2025, 12, 31)
