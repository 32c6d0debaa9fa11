"""Autosave while the clerk types, the warning when it fails, and the offer to restore after a crash.

A mixin of :class:`~.main_window.MainWindow`. The first edit after a write starts a timer; when it
fires, the recovery file gets the report as it is then (the write itself runs on
:class:`~.recovery.Recovery`'s thread). A throttle, not a debounce: typing without a pause is
written every :data:`AUTOSAVE_MS` too, so a crash at any moment loses at most about that much
typing (≤ 2 s in every kill trial, bench/RESULTS-safety.md). When a write fails (a full disk), a red
bar above the tables says so until a write works again. Every way a report is opened offers the
recovery file a crashed window left for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from ...report.document import Report
from ...report.native import FileFormatError
from ...report.sharing import read_holder
from ..dialogs import Dialogs
from .recovery import Recovered, Recovery

if TYPE_CHECKING:
    from ...report.sharing import DiskState
    from ..session import ReportSession

AUTOSAVE_MS = 800  # an edit reaches the recovery file at most this long after it was made
RETRY_MS = 2000  # while writes fail (a full disk), tried again this often, edits or not


class _Results(QObject):
    """Carries the writer thread's outcome to the GUI thread (a queued signal)."""

    changed = Signal(object)  # the Chinese reason of a failed write, or None once one worked


class Autosave:
    """The recovery side of the main window (``autosave_timer`` is made in ``start_autosave``)."""

    session: ReportSession
    recovery: Recovery
    autosave_timer: QTimer
    autosave_warning: QLabel
    disk_state: DiskState | None

    def start_autosave(self) -> None:
        self.autosave_timer = QTimer(self)  # type: ignore[arg-type]
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self._quiet_replace = False  # set while replacing the report without a recovery check
        self._results = _Results(self)  # type: ignore[arg-type]
        self._results.changed.connect(self._show_autosave_result)
        self._retry = QTimer(self)  # type: ignore[arg-type]
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.autosave)
        self.recovery.on_result = self._results.changed.emit
        self.session.stack.indexChanged.connect(self._schedule_autosave)
        self.session.stack.cleanChanged.connect(self._schedule_autosave)

    def _schedule_autosave(self, *_: object) -> None:
        if not self.autosave_timer.isActive():  # a timer already running will take this edit along
            self.autosave_timer.start()

    def autosave(self) -> None:
        """Write the recovery state (or drop it when everything is saved)."""
        if self.session.stack.isClean():
            self.recovery.discard()
            return
        self.recovery.save(self.session.report, self.session.path, getattr(self, "disk_state", None))

    def _show_autosave_result(self, error: str | None) -> None:
        """A failed write is said above the tables, and stays said until a write works again."""
        if error is None:
            self._retry.stop()
            self.autosave_warning.hide()
            self.show_message("自动保存已恢复正常")
            return
        self.autosave_warning.setText(
            f"⚠ 自动保存失败：{error}（恢复文件夹：{self.recovery.folder}）。在恢复正常之前，程序意外关闭会丢失"
            "未保存的修改：请尽快“保存”，或清理磁盘空间。")
        self.autosave_warning.show()
        self._retry.start()  # keep trying: the warning goes once a write works (or all is saved)

    def _on_replaced(self) -> None:
        # every way a report is opened (Open, recent, new from last year, import) asks whether a
        # crashed window left unsaved work on it — once the opening action has finished
        if not self._quiet_replace:
            QTimer.singleShot(0, self._check_recovery)

    def _replace_quietly(self, report: Report, path: Path | None, fresh: bool = False) -> None:
        """Replace the report without the recovery check (a new blank report, or a restore)."""
        self._quiet_replace = True
        try:
            self.session.replace(report, path, fresh=fresh)
        finally:
            self._quiet_replace = False

    def _check_recovery(self) -> None:
        self.offer_recovery(self.session.path, only_matching=True)

    def offer_recovery(self, original: Path | None = None, only_matching: bool = False) -> bool:
        """After a crash: offer the newest orphaned recovery file (with ``only_matching``, only one
        that is a copy of ``original``). True when one was restored."""
        orphans = self.recovery.orphans_of(original) if only_matching else self.recovery.orphans()
        for orphan in reversed(orphans):
            try:
                found = Recovery.read(orphan)
            except (FileFormatError, OSError, ValueError):
                Recovery.remove(orphan)
                continue
            name = found.original.name if found.original else "未命名报告"
            text = f"GovReport 上次没有正常关闭。是否恢复“{name}”在 {found.saved_at} 自动保存的内容？"
            if not Dialogs.ask_restore(self, text):
                Recovery.remove(orphan)
                continue
            self._restore(found)
            Recovery.remove(orphan)
            return True
        return False

    def _restore(self, found: Recovered) -> None:
        report, original = found.report, found.original
        taken = original is not None and read_holder(original) is not None
        path = None if taken else original  # someone has the file open now: restored as a copy
        self._replace_quietly(report, path)
        self.session.stack.resetClean()
        if path is not None:  # the file as it was when the crashed window read it: a save sees changes since
            self._claim(path, found.disk)
        # ours before theirs goes: a second crash now still finds the restored work
        self.recovery.save(report, path, getattr(self, "disk_state", None))
        self.recovery.flush()
        self.update_title()
        if taken and original is not None:
            self.show_notes([f"“{original.name}”正被他人打开，恢复的内容作为副本打开：保存时请另选文件名"], title="副本")
        self.show_message("已恢复自动保存的内容，请检查后保存")
