"""The main window's File actions: new, open (any readable kind), save, save as, recent files.

A mixin of :class:`~.main_window.MainWindow`: it uses the window's session, recovery, status bar and
notes banner, and keeps the recent-files list and last folder in the settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...readers.formats import open_report
from ...report.document import Report, new_report
from ...report.native import FileFormatError
from ...report.native import save as save_native
from .. import settings
from ..dialogs import Dialogs
from ..folders import remember, start_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from ..session import ReportSession
    from .recovery import Recovery


class FileActions:
    """新建, 打开, 保存, 另存为 and 最近打开 of the main window."""

    session: ReportSession
    recovery: Recovery
    recent_menu: QMenu

    def confirm_discard(self) -> bool:
        """True when it is fine to drop the current report (saved, or the clerk said so)."""
        if self.session.stack.isClean():
            return True
        name = self.session.path.name if self.session.path else "未命名报告"
        answer = Dialogs.ask_save(self, name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_file(self) -> None:
        if self.confirm_discard():
            self._replace_quietly(new_report(), None, fresh=True)
            self.recovery.discard()
            self.show_notes([])

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path = Dialogs.open_path(self, str(start_folder("report", self.session.path)))
        if path:
            self.open_path(Path(path), confirm=False)

    def read_report(self, path: Path) -> Report | None:
        """Any supported file as a report, or None after telling the clerk (in Chinese) why not."""
        try:
            return open_report(path)
        except FileFormatError as e:
            Dialogs.error(self, str(e))
            return None

    def open_path(self, path: Path, confirm: bool = True) -> bool:
        if confirm and not self.confirm_discard():
            return False
        report = self.read_report(path)
        if report is None:
            return False
        native = path.suffix.lower() == ".govreport"
        self.session.replace(report, path if native else None)
        self._after_open(path)
        return True

    def _after_open(self, path: Path) -> None:
        if path.suffix.lower() != ".govreport":
            self.session.stack.resetClean()  # imported: not saved as a report file yet
            self.update_title()
        self._remember(path)
        self.show_notes(self.session.report.import_notes)

    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._write(self.session.path)

    def save_as(self) -> bool:
        meta = self.session.report.meta
        folder = start_folder("report", self.session.path)
        suggested = str(folder / f"{meta.agency or '报告'}{meta.year or ''}年政府信息公开工作年度报告.govreport")
        path = Dialogs.save_path(self, suggested)
        if not path:
            return False
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            save_native(self.session.report, path)
        except FileFormatError as e:
            Dialogs.error(self, str(e))
            return False
        self.session.path = path
        self.session.stack.setClean()
        self.recovery.discard()
        self._remember(path)
        self.update_title()
        self.show_message(f"已保存到 {path}")
        return True

    def _remember(self, path: Path) -> None:
        settings.add_recent(str(path))
        remember("report", path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = settings.get("recent_files")
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)
        for i, f in enumerate(files, 1):  # &1…&8: the number picks the file from the keyboard
            act = self.recent_menu.addAction(f"&{i} {f.replace('&', '&&')}")
            act.triggered.connect(lambda _=False, p=f: self.open_path(Path(p)))
