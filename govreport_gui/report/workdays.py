"""Answer deadlines of 条例 第三十三条 over Chinese working days.

An application is answered within 20 working days of receipt, extendable once by at most 20; a 补正
restarts the count from the day the corrected request arrives (第三十条). The day of receipt is not
counted. Working days come from the ``chinese_calendar`` package (official holidays and the 调休
Saturdays/Sundays that are worked); a year beyond its data falls back to Monday–Friday, and
:class:`WorkCalendar` remembers which years did so that the output can say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ANSWER_DAYS = 20
EXTENSION_DAYS = 20


@dataclass
class WorkCalendar:
    """Chinese working days; ``fallback_years`` collects the years counted by weekends only."""

    fallback_years: set[int] = field(default_factory=set)
    _cache: dict[dt.date, bool] = field(default_factory=dict, repr=False)
    _sums: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict, repr=False)

    def is_workday(self, day: dt.date) -> bool:
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._lookup(day)
        return cached

    def _lookup(self, day: dt.date) -> bool:
        try:
            import chinese_calendar  # imported here: only deadline checks need its tables

            return bool(chinese_calendar.is_workday(day))
        except (ImportError, NotImplementedError):  # not installed, or a year beyond its data
            self.fallback_years.add(day.year)
            return day.weekday() < 5

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
        done = self._sums.get((start, days))  # a register has ~250 receipt days for 100,000 rows
        if done is not None:
            return done
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        self._sums[(start, days)] = day
        return day

    def fallback_note(self) -> str | None:
        """A Chinese sentence when some year had no holiday data, else None."""
        if not self.fallback_years:
            return None
        years = "、".join(str(y) for y in sorted(self.fallback_years))
        return f"{years}年的法定节假日和调休安排尚无数据，这些年份的期限只按周六、周日休息计算，请人工核对"


def due_date(cal: WorkCalendar, received: dt.date, extended: bool = False,
             corrected: dt.date | None = None) -> dt.date:
    """The last day to answer: 20 working days from receipt (or from the 补正), +20 if extended."""
    start = corrected if corrected is not None and corrected > received else received
    return cal.add_workdays(start, ANSWER_DAYS + (EXTENSION_DAYS if extended else 0))
