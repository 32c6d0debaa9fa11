"""A finding: one broken rule as data (rule id, severity, cells, expected, actual, detail).

The rules make them (:mod:`.rules`); :mod:`.messages` turns them into Chinese sentences. Neither
needs the other, so this data lives on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One broken rule. ``detail`` carries what a message needs (section, paragraph, values…)."""

    rule: str
    severity: str
    cells: tuple[str, ...] = ()
    expected: object = None
    actual: object = None
    detail: dict = field(default_factory=dict, compare=False, hash=False)
    waived: str | None = None  # the waiver's reason, when the clerk accepted this warning

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
