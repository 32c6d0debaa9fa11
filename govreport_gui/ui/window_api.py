"""What the File and 检查 menu actions may use of the main window.

The action modules (export_actions, print_actions, yearly) take a :class:`ReportWindow` rather than
importing ``main_window``, so the window imports them and nothing imports the window back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from ..report.document import Report
    from .grid.table_model import ReportTableModel
    from .session import ReportSession


class ReportWindow(Protocol):
    """The main window as the menu actions see it (it is also their dialogs' parent widget)."""

    session: ReportSession
    models: dict[str, ReportTableModel]
    file_menu: QMenu
    export_separator: QAction

    def show_message(self, text: str) -> None: ...

    def show_notes(self, notes: list[str], title: str = ...) -> None: ...

    def confirm_discard(self) -> bool: ...

    def update_title(self, *_: object) -> None: ...

    def read_report(self, path: Path) -> Report | None: ...
