"""Autosave while the clerk types, and the offer to restore after a crash.

A mixin of :class:`~.main_window.MainWindow`: an edit (re)starts a debounce timer; the recovery file
itself is written by :class:`~.recovery.Recovery`. Every way a report is opened offers the recovery
file a crashed window left for it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from ...report.document import Report
from ...report.native import FileFormatError
from ..dialogs import Dialogs
from .recovery import Recovery

if TYPE_CHECKING:
    from ..session import ReportSession

AUTOSAVE_MS = 1_500  # the recovery file is written this long after the last edit …
AUTOSAVE_MAX_WAIT_S = 5.0  # … or, while typing goes on, at least this often


class Autosave:
    """The recovery side of the main window (``autosave_timer`` is made in ``start_autosave``)."""

    session: ReportSession
    recovery: Recovery
    autosave_timer: QTimer

    def start_autosave(self) -> None:
        # debounced: an edit only (re)starts a timer, the write happens once typing pauses
        self.autosave_timer = QTimer(self)  # type: ignore[arg-type]
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self._autosave_pending_since = 0.0
        self._quiet_replace = False  # set while replacing the report without a recovery check
        self.session.stack.indexChanged.connect(self._schedule_autosave)
        self.session.stack.cleanChanged.connect(self._schedule_autosave)

    def _schedule_autosave(self, *_: object) -> None:
        now = time.monotonic()
        if not self.autosave_timer.isActive():
            self._autosave_pending_since = now
        elif now - self._autosave_pending_since >= AUTOSAVE_MAX_WAIT_S:
            return  # typing without a pause: let the pending write happen
        self.autosave_timer.start()

    def autosave(self) -> None:
        """Write the recovery state (or drop it when everything is saved)."""
        if self.recovery.error:
            self.show_message(f"自动保存失败：{self.recovery.error}")
        if self.session.stack.isClean():
            self.recovery.discard()
            return
        try:
            self.recovery.save(self.session.report, self.session.path)
        except (OSError, ValueError) as e:
            self.show_message(f"自动保存失败：{getattr(e, 'strerror', None) or e}")

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
                report, saved_from, saved_at = Recovery.read(orphan)
            except (FileFormatError, OSError, ValueError):
                Recovery.remove(orphan)
                continue
            name = saved_from.name if saved_from else "未命名报告"
            text = f"GovReport 上次没有正常关闭。是否恢复“{name}”在 {saved_at} 自动保存的内容？"
            if not Dialogs.ask_restore(self, text):
                Recovery.remove(orphan)
                continue
            self._replace_quietly(report, saved_from)
            self.session.stack.resetClean()
            # ours before theirs goes: a second crash now still finds the restored work
            self.recovery.save(report, saved_from)
            self.recovery.flush()
            Recovery.remove(orphan)
            self.update_title()
            self.show_message("已恢复自动保存的内容，请检查后保存")
            return True
        return False
