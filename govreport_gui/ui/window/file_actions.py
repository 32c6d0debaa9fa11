"""The main window's File actions: new, open (any readable kind), save, save as, recent files — and
sharing one report file with colleagues.

A mixin of :class:`~.main_window.MainWindow`: it uses the window's session, recovery, status bar and
notes banner, and keeps the recent-files list and last folder in the settings.

Sharing (``report/sharing.py``): an open ``.govreport`` has our lock beside it; a second opener is
told who has it and may open it read-only or as a copy. Before every save the file on disk is
compared with what we read or last saved; if someone (a colleague, ``register --into``, another
program) changed it, nothing is overwritten until the clerk chooses: save as a copy, load their
version (ours kept in the recovery folder), or overwrite knowingly.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from ...readers.formats import open_report
from ...report.document import Report, new_report
from ...report.native import SUFFIX, FileFormatError, ReadOnlyReport
from ...report.native import save as save_native
from ...report.sharing import HEARTBEAT_SECONDS, DiskState, FileLock, changed_on_disk, copy_name, read_holder
from .. import settings
from ..dialogs import Dialogs
from ..folders import remember, start_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from ..session import ReportSession
    from .recovery import Recovery


def _same(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _native(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX


class FileActions:
    """新建, 打开, 保存, 另存为 and 最近打开 of the main window, and its claim on the open file."""

    session: ReportSession
    recovery: Recovery
    recent_menu: QMenu

    # --- the open file: lock, state on disk, read-only --------------------------------------------
    def start_sharing(self) -> None:
        self.file_lock: FileLock | None = None
        self.disk_state: DiskState | None = None  # the file as we read or last saved it
        self.read_only = False  # opened read-only because someone else has it: saving asks 另存为
        self.suggested_path: Path | None = None  # where 另存为 proposes (a copy's name)
        self._warned_state: DiskState | None = None
        self._heartbeat = QTimer(self)  # type: ignore[arg-type]
        self._heartbeat.setInterval(HEARTBEAT_SECONDS * 1000)
        self._heartbeat.timeout.connect(self._refresh_lock)
        self._heartbeat.start()
        self.session.reportReplaced.connect(self._forget_other_file)

    def _refresh_lock(self) -> None:
        if self.file_lock is not None:
            self.file_lock.refresh()

    def _forget_other_file(self) -> None:
        """A report from elsewhere replaced ours (new, from last year, a restore): our claim on the
        previous file ends."""
        if self.file_lock is not None and not _same(self.file_lock.report, self.session.path):
            self.release_file()

    def release_file(self) -> None:
        if self.file_lock is not None:
            self.file_lock.release()
        self.file_lock, self.disk_state, self.read_only, self._warned_state = None, None, False, None

    def _claim(self, path: Path, state: DiskState | None, lock: bool = True) -> None:
        """``path`` is the window's file from now on, as ``state`` on disk; with ``lock``, ours."""
        if self.file_lock is not None and not _same(self.file_lock.report, path):
            self.file_lock.release()
            self.file_lock = None
        if lock and self.file_lock is None:
            self.file_lock = FileLock(path)
            self.file_lock.acquire()
        self.disk_state, self._warned_state = state, None
        self.read_only = not lock
        self.suggested_path = None

    def ask_how_to_open(self, path: Path) -> str:
        """'edit', or when someone else has ``path`` open, the clerk's choice: 'readonly', 'copy',
        'cancel'."""
        if not _native(path) or (self.file_lock is not None and _same(self.file_lock.report, path)):
            return "edit"
        holder = read_holder(path)
        if holder is None:
            return "edit"
        return Dialogs.ask_locked(self, f"“{path.name}”正由 {holder.describe()} 打开。\n\n"  # type: ignore[arg-type]
                                  "两人同时修改会互相覆盖。您可以只读打开（修改后只能另存为其他文件），"
                                  "或者打开一份副本。")

    def settle_open(self, path: Path, how: str, state: DiskState | None) -> None:
        """After ``path`` was opened as ``how`` ('edit', 'readonly', 'copy'): claim it, or make the
        window's report an unsaved copy of it."""
        if not _native(path):
            return
        if how == "copy":
            self.release_file()
            self.session.path = None
            self.session.stack.resetClean()  # a copy is not saved anywhere yet
            self.suggested_path = copy_name(path)
            self.update_title()
            self.show_notes([f"这是“{path.name}”的副本：保存时请另选文件名，原文件不会被修改"], title="副本")
            return
        self._claim(path, state, lock=how == "edit")
        self.update_title()
        if how == "readonly":
            self.show_notes([f"“{path.name}”以只读方式打开（他人正在使用）：可以查看和修改，保存时请另存为其他文件"],
                            title="只读")

    def check_disk(self) -> None:
        """When the window comes back to the front: say so if the file changed on disk meanwhile
        (the save will ask what to do; this is only the early word)."""
        path, state = self.session.path, self.disk_state
        if path is None or state is None or state.looks_unchanged(path):
            return
        now = changed_on_disk(path, state)
        if now is None or now == self._warned_state:
            return
        self._warned_state = now
        self.show_notes([f"“{path.name}”在您打开后已被他人或其他程序修改（{_when(path)}）。"
                         "保存时会请您选择：另存为副本、载入对方的版本或仍然覆盖。"], title="文件已在别处修改")

    # --- the actions ---------------------------------------------------------------------------------
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
        how = self.ask_how_to_open(path)
        if how == "cancel":
            return False
        state = DiskState.of(path) if _native(path) else None  # before reading: a change between is seen
        report = self.read_report(path)
        if report is None:
            return False
        self.session.replace(report, path if _native(path) else None)
        self._after_open(path)
        self.settle_open(path, how, state)
        return True

    def _after_open(self, path: Path) -> None:
        if not _native(path):
            self.session.stack.resetClean()  # imported: not saved as a report file yet
            self.update_title()
        self._remember(path)
        self.show_notes(self.session.report.import_notes)

    def finish_start(self) -> None:
        """What a staged start left until after the first paint (the window's: main_window.py)."""

    def save(self) -> bool:
        self.finish_start()  # a save before the start has claimed the file: claim it first
        if self.session.path is None:
            return self.save_as()
        if self.read_only and read_holder(self.session.path) is None:
            # whoever had it open has closed it: it is ours now (what they saved meanwhile is
            # caught by _write's check against the file as we read it)
            self._claim(self.session.path, self.disk_state)
            self.update_title()
            self.show_notes([f"“{self.session.path.name}”已被对方关闭，现在由您编辑，可以直接保存"], title="不再只读")
        if self.read_only:
            Dialogs.error(self, f"“{self.session.path.name}”是以只读方式打开的（他人正在使用），"
                                "不能覆盖。请另存为其他文件。")
            return self.save_as()
        return self._write(self.session.path)

    def save_as(self) -> bool:
        meta = self.session.report.meta
        folder = start_folder("report", self.session.path)
        year = f"{meta.year}年" if meta.year else ""
        suggested = str(self.suggested_path or folder / f"{meta.agency}{year}政府信息公开工作年度报告.govreport")
        path = Dialogs.save_path(self, suggested)
        if not path:
            return False
        return self._write(Path(path))

    def _write(self, path: Path, knowingly: bool = False) -> bool:
        ours = _same(path, self.session.path) and not self.read_only
        if not ours:
            holder = read_holder(path) if path.exists() else None
            if holder is not None:
                Dialogs.error(self, f"“{path.name}”正由 {holder.describe()} 打开，不能覆盖。请另选文件名。")
                return False
        elif not knowingly and changed_on_disk(path, self.disk_state) is not None:
            return self._resolve_conflict(path)
        try:
            save_native(self.session.report, path)
        except ReadOnlyReport as e:
            if Dialogs.confirm(self, "只读文件", f"{e}\n\n是否另存为其他文件？"):
                return self.save_as()
            return False
        except FileFormatError as e:
            Dialogs.error(self, str(e))
            return False
        self.session.path = path
        self._claim(path, DiskState.of(path))
        self.session.stack.setClean()
        self.recovery.discard()
        self._remember(path)
        self.update_title()
        self.show_message(f"已保存到 {path}")
        return True

    def _resolve_conflict(self, path: Path) -> bool:
        """The file changed on disk since we read or saved it: never overwritten silently."""
        answer = Dialogs.ask_conflict(self, (  # type: ignore[arg-type]
            f"“{path.name}”在您打开后已被他人或其他程序修改（{_when(path)}）。\n\n"
            "直接保存会覆盖对方的修改。请选择：\n"
            "• 另存为副本：您的版本保存为另一个文件，原文件保持对方的版本；\n"
            "• 载入对方的版本：窗口显示对方保存的内容，您的修改另存在恢复文件夹中；\n"
            "• 仍然覆盖：用您的版本覆盖（对方的版本保留在 .bak 备份中）。"))
        if answer == "copy":
            self.suggested_path = copy_name(path)
            return self.save_as()
        if answer == "overwrite":
            return self._write(path, knowingly=True)
        if answer == "reload":
            self._load_theirs(path)
        return False

    def _load_theirs(self, path: Path) -> None:
        try:
            kept = self.recovery.keep(self.session.report, path)
        except OSError as e:
            from ...report.oserrors import os_error_text

            Dialogs.error(self, f"无法把您的修改存入恢复文件夹（{os_error_text(e)}），没有载入对方的版本。"
                                "请先“另存为副本”。")
            return
        state = DiskState.of(path)
        report = self.read_report(path)
        if report is None:
            return
        self._replace_quietly(report, path)
        self._claim(path, state)
        self.update_title()
        self.show_notes([f"已载入对方保存的“{path.name}”。您的修改另存在：{kept}（可用“打开”查看、复制需要的内容）"],
                        title="已载入对方的版本")

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


def _when(path: Path) -> str:
    try:
        t = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return "时间不详"
    return f"{t.month}月{t.day}日 {t:%H:%M:%S}"
