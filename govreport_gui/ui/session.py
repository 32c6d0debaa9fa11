"""The open report in the window: the core :class:`Report`, its undo stack and its live findings.

Widgets change the report only through :meth:`ReportSession.push`; every edit goes on the undo stack
and is followed by a full re-check (≈0.1 ms), so what the clerk sees is always the rules' verdict.
"""

from __future__ import annotations

import time
from collections import defaultdict
from functools import cache
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..report.document import CellValue, Report, clean_text
from ..report.edits import CellEdit, Edit, MetaEdit, SectionEdit
from ..report.findings import Finding, summary
from ..report.totals import autofill
from .checks.todo import edit_areas, finding_areas

TYPING_ID = 7001
MERGE_SECONDS = 1.5


def check(report: Report) -> list[Finding]:
    """The rules' verdict (:func:`report.rules.check`). The rules and what they compile load with
    the first check: in a staged start, after the window's first paint."""
    return core_rules().check(report)


@cache
def core_rules():  # type: ignore[no-untyped-def]
    """:mod:`report.rules`, imported once when first needed (an import statement at every keystroke
    would go through PySide's import hook)."""
    from ..report import rules

    return rules


class EditCommand(QUndoCommand):
    """Stacks one core edit; redo applies it, undo applies the inverse it returned."""

    def __init__(self, session: ReportSession, edit: Edit, text: str, merge: bool = True) -> None:
        super().__init__(text)
        self.session = session
        self.edit = edit
        self.inverse: Edit | None = None
        self.stamp = time.monotonic()
        self.merge = merge  # False: one undo step of its own (a draft), never merged with typing

    def redo(self) -> None:
        self.inverse = self.session._apply(self.edit)

    def undo(self) -> None:
        assert self.inverse is not None
        self.session._apply(self.inverse)

    def _target(self) -> tuple[str, str] | None:
        if isinstance(self.edit, SectionEdit):
            return ("section", self.edit.section)
        if isinstance(self.edit, MetaEdit):
            return ("meta", self.edit.field)
        return None

    def id(self) -> int:
        # typing in one text field is one undo step per burst, not one per keystroke
        return TYPING_ID if self.merge and self._target() else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, EditCommand) or other._target() != self._target():
            return False
        if other.stamp - self.stamp > MERGE_SECONDS:
            return False
        self.edit, self.stamp = other.edit, other.stamp  # our inverse still restores the text before the burst
        return True


class ReportSession(QObject):
    """The report being edited.

    Signals:
        cellsChanged(list): cell keys whose values changed
        findingsChanged(): the findings were recomputed
        metaChanged(str): a metadata field changed
        sectionChanged(str): a narrative section changed
        reportReplaced(): a different report was loaded (new/open)
    """

    cellsChanged = Signal(list)
    findingsChanged = Signal()
    metaChanged = Signal(str)
    sectionChanged = Signal(str)
    reportReplaced = Signal()

    def __init__(self, report: Report | None = None, parent: QObject | None = None, fresh: bool = False,
                 check: bool = True) -> None:
        """``check=False`` leaves the first check to the caller (:meth:`recheck`): a window's staged
        start runs it just after its first paint."""
        super().__init__(parent)
        self.fresh = fresh  # just made (新建/由上年报告新建): unstarted parts are to-dos, not errors
        self.touched: set[str] = set()  # parts edited since (see todo.py)
        self.stack = QUndoStack(self)
        self.report = report or Report()
        self.path: Path | None = None
        self.autofill = {"t2": False, "t3": True, "t4": True}
        self.show_last = False  # year-on-year view: last year's value beside each cell
        self.findings: list[Finding] = []
        self.by_cell: dict[str, list[Finding]] = {}
        self._todo: dict[int, bool] = {}  # id(finding) → shown as 待填写, for the current findings
        self._marks: dict[str, tuple] = {}  # cell key → what the window shows of its findings
        self.restated: set[str] = set()  # cells whose findings changed with the last findingsChanged
        self.checked = False  # the rules have run on this report (not yet: a staged start before its first paint)
        if check:
            self.recheck()

    # --- replacing the whole report -------------------------------------------------------------
    def replace(self, report: Report, path: Path | None, fresh: bool = False) -> None:
        """Switch to ``report``; the rules run on it first, so a report they cannot check leaves
        the open one (its undo history, path and title) exactly as it was."""
        findings = check(report)
        self.report = report
        self.path = path
        self.fresh, self.touched = fresh, set()
        self.stack.clear()
        self.stack.setClean()
        self._set_findings(findings)
        self.reportReplaced.emit()

    # --- edits ------------------------------------------------------------------------------------
    def set_cells(self, changes: dict[str, CellValue], text: str = "编辑单元格") -> None:
        """Change cells as one undoable step, with the automatic totals that follow from them."""
        tables = [t for t, on in self.autofill.items() if on]
        changes = autofill(self.report, changes, tables)
        changes = {k: v for k, v in changes.items() if self.report.cells.get(k) != v}
        if changes:
            self.push(CellEdit.of(changes), text)

    def push(self, edit: Edit, text: str, merge: bool = True) -> None:
        """Apply ``edit`` as an undo step; ``merge=False`` keeps it apart from typing before and after."""
        self.stack.push(EditCommand(self, edit, text, merge))

    def set_meta(self, field: str, value: object) -> None:
        if isinstance(value, str):
            value = clean_text(value)  # a lone surrogate from a paste would make saving raise
        if getattr(self.report.meta, field) != value:
            self.push(MetaEdit(field, value), "修改报告信息")

    def set_section(self, sid: str, paragraphs: list[str]) -> None:
        paragraphs = [clean_text(p) for p in paragraphs]
        if self.report.sections.get(sid, []) != paragraphs:
            self.push(SectionEdit(sid, tuple(paragraphs)), "编辑正文")

    def _apply(self, edit: Edit) -> Edit:
        inverse = edit.apply(self.report)
        if self.fresh:
            self.touched |= edit_areas(edit)
        if isinstance(edit, CellEdit):
            self.cellsChanged.emit(list(edit.keys))
        elif isinstance(edit, MetaEdit):
            self.metaChanged.emit(edit.field)
        elif isinstance(edit, SectionEdit):
            self.sectionChanged.emit(edit.section)
        self.recheck()
        return inverse

    # --- findings -----------------------------------------------------------------------------
    def recheck(self) -> None:
        self._set_findings(check(self.report))

    def _set_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.checked = True
        self._todo = {id(f): self._todo_now(f) for f in findings}
        by_cell: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            for key in f.cells:
                by_cell[key].append(f)
        self.by_cell = dict(by_cell)
        # a cell's colour and tooltip follow from its findings, their wording (detail) and to-do state:
        # the grids repaint only the cells where one of those changed
        marks = {key: tuple((f, f.detail, self.is_todo(f)) for f in found) for key, found in self.by_cell.items()}
        old = self._marks
        self.restated = {k for k in old.keys() | marks.keys() if old.get(k) != marks.get(k)}
        self._marks = marks
        self.findingsChanged.emit()

    def is_todo(self, finding: Finding) -> bool:
        """A finding about a part of a new report the clerk has not started, or something an
        imported report does not print (:attr:`Finding.pending`): shown as 待填写."""
        known = self._todo.get(id(finding))
        return self._todo_now(finding) if known is None else known

    def _todo_now(self, finding: Finding) -> bool:
        if finding.open and finding.pending:
            return True
        if not self.fresh or not finding.open:
            return False
        areas = finding_areas(finding)
        return bool(areas) and not areas & self.touched

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) as the window shows them: to-dos are neither."""
        return summary([f for f in self.findings if not self.is_todo(f)])

    def todo_count(self) -> int:
        return sum(1 for f in self.findings if self.is_todo(f))
