"""Edits of a report as values: ``apply`` changes the report and returns the edit that undoes it.

The GUI's undo stack only stacks these; pasting a block is one edit, typing in one cell another.
Each is immutable and equal by its fields (plain classes with their methods written out: a
dataclass compiles its generated methods at every start).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Union

from .document import CellValue, Meta, Report, Waiver


class _Value:
    """Immutable, equal and hashed by its fields (``_fields``), pickled by its constructor."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _key(self) -> tuple:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return self.__class__, self._key()

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"


class CellEdit(_Value):
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


class MetaEdit(_Value):
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


class SectionEdit(_Value):
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


class WaiverEdit(_Value):
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
