"""Edits of a report as values: ``apply`` changes the report and returns the edit that undoes it.

The GUI's undo stack only stacks these; pasting a block is one edit, typing in one cell another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Union

from .document import CellValue, Meta, Report, Waiver


@dataclass(frozen=True)
class CellEdit:
    """New values for some cells (``None`` clears a cell)."""

    changes: tuple[tuple[str, CellValue], ...]

    @classmethod
    def of(cls, changes: dict[str, CellValue]) -> CellEdit:
        return cls(tuple(changes.items()))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.changes)

    def apply(self, report: Report) -> CellEdit:
        inverse = tuple((k, report.cells.get(k)) for k, _ in self.changes)
        for key, value in self.changes:
            if value is None:
                report.cells.pop(key, None)
            else:
                report.cells[key] = value
        return CellEdit(inverse)


@dataclass(frozen=True)
class MetaEdit:
    field: str
    value: object

    def apply(self, report: Report) -> MetaEdit:
        if self.field not in Meta.__dataclass_fields__:
            raise KeyError(self.field)
        old = getattr(report.meta, self.field)
        setattr(report.meta, self.field, self.value)
        return MetaEdit(self.field, old)


@dataclass(frozen=True)
class SectionEdit:
    section: str
    paragraphs: tuple[str, ...]

    def apply(self, report: Report) -> SectionEdit:
        old = tuple(report.sections.get(self.section, []))
        report.sections[self.section] = list(self.paragraphs)
        return SectionEdit(self.section, old)


@dataclass(frozen=True)
class WaiverEdit:
    """Replace the whole waiver list (small; keeps undo trivial)."""

    waivers: tuple[Waiver, ...]

    @classmethod
    def adding(cls, report: Report, waiver: Waiver) -> WaiverEdit:
        kept = [w for w in report.waivers if not w.matches(waiver.rule, waiver.cells)]
        return cls((*kept, waiver))

    @classmethod
    def removing(cls, report: Report, rule: str, cells: Iterable[str]) -> WaiverEdit:
        cells = tuple(cells)
        return cls(tuple(w for w in report.waivers if not w.matches(rule, cells)))

    def apply(self, report: Report) -> WaiverEdit:
        old = tuple(report.waivers)
        report.waivers = list(self.waivers)
        return WaiverEdit(old)


Edit = Union[CellEdit, MetaEdit, SectionEdit, WaiverEdit]  # Union: Python 3.9 (信创 build)
