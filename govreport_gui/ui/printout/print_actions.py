"""File → Print Preview / Print / Export PDF / sign-off sheet: all through ``printing.render``.

QtPrintSupport and the print layout load on first use (~19 ms that start-up does not need).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence

from ..dialogs import Dialogs
from ..window.export_actions import write_to_chosen_path
from ..window.window_fit import fit_dialog

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from ..window_api import ReportWindow


class PrintDialogs:
    """The printing dialogs behind classmethods, so tests can replace them."""

    @classmethod
    def preview(cls, window: ReportWindow, printer: QPrinter, paint) -> None:  # type: ignore[no-untyped-def]
        preview_dialog(window, printer, paint).exec()

    @classmethod
    def choose_printer(cls, window: ReportWindow, printer: QPrinter) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, window)
        dialog.setWindowTitle("打印")
        return dialog.exec() == QPrintDialog.DialogCode.Accepted


def preview_dialog(window: ReportWindow, printer: QPrinter, paint) -> QPrintPreviewDialog:  # type: ignore[no-untyped-def]
    """The preview, within the clerk's screen (a page needs ~1000×900 px when there is room)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle("打印预览")
    dialog.paintRequested.connect(paint)
    fit_dialog(dialog, QSize(1000, 900))
    return dialog


def _printable(window: ReportWindow) -> bool:
    """False, after saying why, when the report is too long to print (pasted megabytes)."""
    from .printing import TooLong, check_printable

    try:
        check_printable(window.session.report)
    except TooLong as e:
        Dialogs.error(window, str(e))
        return False
    return True


def preview(window: ReportWindow, signoff: bool = False) -> None:
    from .printing import new_printer, render

    if not _printable(window):
        return
    report = window.session.report
    PrintDialogs.preview(window, new_printer(),
                         lambda printer: render(printer, report, include_report=True, include_signoff=signoff))


def print_report(window: ReportWindow, signoff: bool = False) -> bool:
    """Ask for a printer, then print; a missing or stopped printer, or a job the print system
    refuses, gets a Chinese message. Returns whether the job was sent."""
    from .printers import job_problem, printer_problem
    from .printing import new_printer, render

    if not _printable(window):
        return False
    printer = new_printer()
    if not PrintDialogs.choose_printer(window, printer):
        return False
    problem = printer_problem(printer)
    if problem is None:
        try:
            render(printer, window.session.report, include_report=True, include_signoff=signoff)
        except OSError as e:
            from ...report.oserrors import os_error_text

            problem = str(e) if not e.errno else f"打印失败：{os_error_text(e)}"
        else:
            problem = job_problem(printer)
    if problem is not None:
        Dialogs.error(window, problem)
        return False
    window.show_message(f"已发送到打印机“{printer.printerName()}”" if printer.printerName() else "已打印")
    return True


def pdf(window: ReportWindow, signoff_only: bool = False) -> bool:
    from .printing import export_pdf

    if not signoff_only and not _printable(window):
        return False
    report = window.session.report
    return write_to_chosen_path(
        window, "-审核签字单.pdf" if signoff_only else ".pdf", "PDF 文件 (*.pdf)", ".pdf",
        lambda path: export_pdf(report, path, signoff=signoff_only, report_too=not signoff_only),
    )


def add_print_actions(window: ReportWindow) -> None:
    menu = window.file_menu
    items = (
        ("打印预览(&V)…", "print.preview", lambda: preview(window), None),
        ("打印(&P)…", "print.print", lambda: print_report(window), QKeySequence.StandardKey.Print),
        ("打印审核签字单和报告(&G)…", "print.signoff", lambda: print_report(window, signoff=True), None),
        ("导出 PDF(&D)…", "export.pdf", lambda: pdf(window), None),
        ("导出审核签字单（PDF）(&Q)…", "export.signoff", lambda: pdf(window, signoff_only=True), None),
    )
    for text, name, slot, shortcut in items:
        act = QAction(text, window)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.insertAction(window.export_separator, act)
