"""A finding: one broken rule as data (rule id, severity, cells, expected, actual, detail).

The rules make them (:mod:`.rules`); :mod:`.messages` turns them into Chinese sentences. Neither
needs the other, so this data lives on its own.
"""

from __future__ import annotations


class Finding:
    """One broken rule. ``detail`` carries what a message needs (section, paragraph, values…);
    ``waived`` is the waiver's reason, when the clerk accepted this warning.

    Immutable; equal (and hashed) by everything but ``detail``. A plain class with its methods
    written out: a dataclass compiles its generated methods at every start."""

    __slots__ = ("rule", "severity", "cells", "expected", "actual", "detail", "waived")
    rule: str
    severity: str
    cells: tuple[str, ...]
    expected: object
    actual: object
    detail: dict
    waived: str | None

    def __init__(self, rule: str, severity: str, cells: tuple[str, ...] = (), expected: object = None,
                 actual: object = None, detail: dict | None = None, waived: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "rule", rule)
        _set(self, "severity", severity)
        _set(self, "cells", cells)
        _set(self, "expected", expected)
        _set(self, "actual", actual)
        _set(self, "detail", {} if detail is None else detail)
        _set(self, "waived", waived)

    def with_waiver(self, reason: str | None) -> Finding:
        """The same finding, waived for ``reason``."""
        return Finding(self.rule, self.severity, self.cells, self.expected, self.actual, self.detail, reason)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self):  # type: ignore[no-untyped-def]  # (pickle and deepcopy: no setattr)
        return Finding, (self.rule, self.severity, self.cells, self.expected, self.actual, self.detail, self.waived)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return ((self.rule, self.severity, self.cells, self.expected, self.actual, self.waived)
                    == (other.rule, other.severity, other.cells, other.expected, other.actual,  # type: ignore[attr-defined]
                        other.waived))  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.rule, self.severity, self.cells, self.expected, self.actual, self.waived))

    def __repr__(self) -> str:
        return (f"Finding(rule={self.rule!r}, severity={self.severity!r}, cells={self.cells!r}, "
                f"expected={self.expected!r}, actual={self.actual!r}, detail={self.detail!r}, waived={self.waived!r})")

    @property
    def open(self) -> bool:
        return self.waived is None

    @property
    def pending(self) -> bool:
        """待填写: something the report's file does not print (an imported report's 成文日期), for
        the clerk to fill in; shown as a to-do, never counted as an error of the report."""
        return bool(self.detail.get("pending"))


def summary(findings: list[Finding]) -> tuple[int, int]:
    """(open errors, open warnings); 待填写 items (:attr:`Finding.pending`) are neither."""
    errors = sum(1 for f in findings if f.open and not f.pending and f.severity == "error")
    warnings = sum(1 for f in findings if f.open and not f.pending and f.severity == "warning")
    return errors, warnings
