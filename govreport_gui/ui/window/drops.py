"""A file dropped on the main window opens as from 文件 → 打开 (any readable kind).

A mixin of :class:`~.main_window.MainWindow`. One report is open at a time: of several files the
first readable one opens and the status bar says what was left; a folder points to 汇总多个单位.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...readers.formats import IMPORTERS
from ...report import native

if TYPE_CHECKING:  # (a Qt event class touched at import builds QEvent's enum and its kin: ~3 ms of start-up)
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

OPENABLE = (native.SUFFIX, *IMPORTERS)
# kinds that only a register (台账) comes in: dropped, they go to 表三 → 从台账计算… (an .xlsx opens
# as a report, as from 文件 → 打开; a register in .xlsx is chosen through the menu)
REGISTERS = (".xls", ".et", ".ods", ".csv")


class FileDrops:
    """Drag and drop onto the report window (``setAcceptDrops(True)`` is the window's)."""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        files = [p for p in paths if p.suffix.lower() in OPENABLE and not p.is_dir()]
        registers = [p for p in paths if p.suffix.lower() in REGISTERS and not p.is_dir()]
        if not files and registers:
            from ..register.register_dialog import compute_from_register

            compute_from_register(self, str(registers[0]))  # type: ignore[arg-type]
            return
        if not files:
            if any(p.is_dir() for p in paths):
                self.show_message("文件夹不能作为一份报告打开；要汇总多个单位的报告，请用 文件 → 汇总多个单位…")
            else:
                kinds = "、".join(OPENABLE)
                self.show_message(f"“{paths[0].name}”不是可以打开的报告文件（可以打开 {kinds}；"
                                  f"台账 {'、'.join(REGISTERS)} 拖入后由台账计算表三）")
            return
        if self.open_path(files[0]) and len(paths) > 1:
            self.show_message(f"已打开“{files[0].name}”；一次只能打开一份报告，其余 {len(paths) - 1} 个未打开"
                              "（要汇总多个单位，请用 文件 → 汇总多个单位…）")
