"""Edits of a report as values: ``apply`` changes the report and returns the edit that undoes it.

The GUI's undo stack only stacks these; pasting a block is one edit, typing in one cell another.
Each is an immutable :class:`.frozen.Frozen` value, equal by its fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Union

from .document import CellValue, Meta, Report, Waiver
from .frozen import Frozen


class CellEdit(Frozen):
    """New values for some cells (``None`` clears a cell)."""

    __slots__ = _fields = ("changes",)
    changes: tuple[tuple[str, CellValue], ...]

    def __init__(self, changes: tuple[tuple[str, CellValue], ...]) -> None:
        object.__setattr__(self, "changes", changes)

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


class MetaEdit(Frozen):
    __slots__ = _fields = ("field", "value")
    field: str
    value: object

    def __init__(self, field: str, value: object) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "value", value)

    def apply(self, report: Report) -> MetaEdit:
        if self.field not in Meta.__slots__:
            raise KeyError(self.field)
        old = getattr(report.meta, self.field)
        setattr(report.meta, self.field, self.value)
        return MetaEdit(self.field, old)


class SectionEdit(Frozen):
    __slots__ = _fields = ("section", "paragraphs")
    section: str
    paragraphs: tuple[str, ...]

    def __init__(self, section: str, paragraphs: tuple[str, ...]) -> None:
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "paragraphs", paragraphs)

    def apply(self, report: Report) -> SectionEdit:
        old = tuple(report.sections.get(self.section, []))
        report.sections[self.section] = list(self.paragraphs)
        return SectionEdit(self.section, old)


class WaiverEdit(Frozen):
    """Replace the whole waiver list (small; keeps undo trivial)."""

    __slots__ = _fields = ("waivers",)
    waivers: tuple[Waiver, ...]

    def __init__(self, waivers: tuple[Waiver, ...]) -> None:
        object.__setattr__(self, "waivers", waivers)

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
