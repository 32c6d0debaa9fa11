"""File → Export: DOCX and HTML through the core writers, errors listed before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...report.oserrors import may_be_open_elsewhere, os_error_text
from ..dialogs import Dialogs
from ..folders import remember, start_folder

if TYPE_CHECKING:
    from ..window_api import ReportWindow

FORMATS = {
    ".docx": ("导出 Word 文档（DOCX）(&W)…", "Word 文档 (*.docx)"),
    ".html": ("导出网页（HTML）(&H)…", "网页 (*.html)"),
    ".xlsx": ("导出 Excel 数据（XLSX）(&E)…", "Excel 工作簿 (*.xlsx)"),
}


def errors_first(window: ReportWindow, what: str) -> bool:
    """When the report has errors, list them and let the clerk decide. True: go on."""
    errors = [f for f in window.session.findings if f.open and f.severity == "error"]
    if not errors:
        return True
    from ...report.messages import describe

    lines = "\n".join(f"• {describe(f)}" for f in errors[:8])
    more = f"\n……共 {len(errors)} 个错误" if len(errors) > 8 else ""
    return Dialogs.confirm(window, "报告仍有错误",
                           f"报告仍有 {len(errors)} 个错误：\n{lines}{more}\n\n仍要{what}吗？")


def suggested_path(window: ReportWindow, suffix: str) -> str:
    meta = window.session.report.meta
    folder = start_folder("export", window.session.path)
    return str(folder / f"{meta.effective_title()}{suffix}")


def export_document(window: ReportWindow, suffix: str) -> bool:
    from ...export import export

    if not errors_first(window, "导出"):
        return False
    report = window.session.report
    return write_to_chosen_path(window, suffix, FORMATS[suffix][1], suffix, lambda path: export(report, path))


def write_to_chosen_path(window: ReportWindow, name_suffix: str, filter_text: str, suffix: str,
                         write: Callable[[str], None]) -> bool:
    """Ask where to save (suggesting the report's title + ``name_suffix``), then ``write(path)``;
    a file Word/WPS holds open, or a folder without rights, gets a Chinese message."""
    path = Dialogs.export_path(window, suggested_path(window, name_suffix), filter_text)
    if not path:
        return False
    if not path.lower().endswith(suffix):
        path += suffix
    try:
        write(path)
    except OSError as e:
        hint = "（可能文件正被 Word/WPS 打开）" if may_be_open_elsewhere(e) else ""  # never after a full disk
        Dialogs.error(window, f"无法写入“{path}”：{os_error_text(e)}{hint}")
        return False
    remember("export", path)
    window.show_message(f"已导出到 {path}")
    return True


def add_export_actions(window: ReportWindow) -> None:
    from PySide6.QtGui import QAction

    for suffix, (text, _) in FORMATS.items():
        act = QAction(text, window)
        act.setObjectName(f"export{suffix}")
        act.triggered.connect(lambda _=False, s=suffix: export_document(window, s))
        window.file_menu.insertAction(window.export_separator, act)
