"""Adding up several reports' tables (a district summing its bureaus' reports).

Only the tables are summed; narrative, dates and waivers belong to each agency and are not merged.
``rollup.roll_up`` adds the per-unit statuses, duplicates and years around this sum.

:class:`CellSums` is a running sum that reports can be added to and taken out of, and that merges
with another: the roll-up's reading processes each sum their chunk of units, and the roll-up then
only takes out the few units it leaves out (copies, conflicts, other years) instead of adding
10,000 reports' 200 cells again on every recomputation.
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter

from .document import CellValue, Report, new_report
from .schema import load_schema


class CellSums:
    """Per cell: the sum of the reports added, and how many of them entered it (a cell no report
    entered stays not entered in the total); per report name, the notes on its unreadable cells."""

    FLUSH = 1024  # reports held as rows before they are added up (bounds the rows' memory)

    def __init__(self, template: str = "2021") -> None:
        self.template = template
        self._values: dict[str, int | Decimal] = {}
        self._entered: dict[str, int] = {}
        self.notes: dict[str, list[str]] = {}
        self.count = 0  # reports added (less those taken out)
        # A report with every cell entered and readable (a roll-up's common unit) is kept as a row
        # of its values in the format's order and added up column by column later, in C (sum of
        # zip): 200 dictionary updates per report were a tenth of a roll-up's time.
        self._keys = tuple(load_schema(template).cells)
        self._row = itemgetter(*self._keys)
        self._rows: list[tuple] = []

    @property
    def values(self) -> dict[str, int | Decimal]:
        self._flush()
        return self._values

    @property
    def entered(self) -> dict[str, int]:
        self._flush()
        return self._entered

    def _flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        sums, entered, n = self._values, self._entered, len(rows)
        for key, total in zip(self._keys, map(sum, zip(*rows))):
            sums[key] = sums.get(key, 0) + total  # exact (int, Decimal): the order of adding does not matter
            entered[key] = entered.get(key, 0) + n

    def __getstate__(self) -> dict:  # sent between processes added up
        self._flush()
        return self.__dict__

    def add(self, name: str, report: Report, sign: int = 1,
            view: tuple[dict[str, int | Decimal], set[str]] | None = None) -> None:
        """Add ``report`` (``sign`` −1: take it out again). ``view``: ``report.numeric_view()``
        when the caller has it already."""
        values, invalid = view if view is not None else report.numeric_view()  # one pass per report
        cells = report.cells
        if (sign > 0 and not invalid and len(cells) == len(self._keys) and cells.keys() <= values.keys()
                and None not in cells.values() and report.schema.template == self.template):
            self._rows.append(self._row(values))
            self.count += 1
            if len(self._rows) >= self.FLUSH:
                self._flush()
            return
        sums, entered = self.values, self.entered
        for key, raw in cells.items():
            if raw is None or key not in values or key in invalid:
                continue
            v = values[key]
            sums[key] = sums.get(key, 0) + v if sign > 0 else sums.get(key, 0) - v
            entered[key] = entered.get(key, 0) + sign
        if invalid:
            if sign > 0:
                schema = report.schema
                self.notes[name] = [f"“{name}”的{schema.cells[k].name}“{report.raw(k)}”无法识别，未计入"
                                    for k in schema.cells if k in invalid]
            else:
                self.notes.pop(name, None)
        self.count += sign

    def remove(self, name: str, report: Report) -> None:
        self.add(name, report, -1)

    def merge(self, other: CellSums) -> None:
        sums, entered = self.values, self.entered
        for key, v in other.values.items():
            sums[key] = sums.get(key, 0) + v
        for key, n in other.entered.items():
            entered[key] = entered.get(key, 0) + n
        self.notes.update(other.notes)
        self.count += other.count

    def copy(self) -> CellSums:
        out = CellSums(self.template)
        out.merge(self)
        return out

    def cells(self) -> dict[str, CellValue]:
        """The summed cells in the format's order; fees as Decimal."""
        schema = load_schema(self.template)
        out: dict[str, CellValue] = {}
        for key, cell in schema.cells.items():
            if self.entered.get(key, 0) > 0:
                v = self.values[key]
                out[key] = Decimal(v) if cell.kind == "fee" else v
        return out


def sum_cells(reports: list[tuple[str, Report]]) -> tuple[dict[str, CellValue], list[str]]:
    """(every cell's sum over ``reports``, notes on unreadable cells left out). A cell no report
    entered stays not entered."""
    sums = CellSums(new_report(with_headings=False).schema.template)
    for name, report in reports:
        sums.add(name, report)
    return sums.cells(), [note for name, _ in reports for note in sums.notes.get(name, ())]
