"""The print system as the clerk meets it: a printer that is missing or stopped gets a Chinese
message before anything is sent, and a job the print system refused gets one after it (Qt's CUPS
engine does not say what CUPS answered: on Linux it is asked of libcups, which Qt has loaded).

Nothing here waits on the print system longer than one local request: CUPS answers at once,
or its socket refuses the connection at once when the service is not running.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

# IPP status codes (RFC 8011 and CUPS) that have a Chinese name; the rest are reported by number.
_IPP_REASONS = {
    0x0406: "打印服务中没有这台打印机",  # client-error-not-found
    0x0500: "打印服务出现内部错误或没有运行",  # server-error-internal-error (also: cannot connect)
    0x0502: "打印服务暂时不可用",  # server-error-service-unavailable
    0x0506: "打印机已设为不接受打印任务",  # server-error-not-accepting-jobs
    0x0507: "打印机忙",  # server-error-busy
    0x0401: "没有使用这台打印机的权限",  # client-error-forbidden
    0x0402: "打印服务要求登录",  # client-error-not-authenticated
}
_IPP_OK_MAX = 0x00FF  # successful-ok … successful-ok-events-complete


def printer_problem(printer: QPrinter) -> str | None:
    """Why ``printer`` cannot take the job now (Chinese), or None. A printer chosen in the print
    dialog can have gone or stopped since, or the dialog may have had none to offer."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        if printer.outputFileName():
            return None  # the dialog's “print to file”: no printer involved
        return "没有可用的打印机：请先在系统中添加或连接打印机，或改用“导出 PDF”后再打印"
    name = printer.printerName()
    if not name:
        return "没有可用的打印机：请先在系统中添加或连接打印机，或改用“导出 PDF”后再打印"
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        return (f"找不到打印机“{name}”：它可能已被删除、没有连接，或打印服务没有运行。"
                "请检查打印机，或改用“导出 PDF”后再打印")
    if info.state() == QPrinter.PrinterState.Error:
        return (f"打印机“{name}”已停止或出错，不能打印：请在系统的打印机设置中恢复它"
                "（也请检查纸张和墨粉），然后再打印")
    return None


def job_problem(printer: QPrinter) -> str | None:
    """Whether the print system refused the job just sent to ``printer`` (Linux/CUPS), in Chinese."""
    from PySide6.QtPrintSupport import QPrinter

    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return None
    status = _cups_last_error()
    if status is None or status <= _IPP_OK_MAX:
        return None
    reason = _IPP_REASONS.get(status, f"打印服务返回错误代码 0x{status:04X}")
    return f"打印机“{printer.printerName()}”没有接受打印任务：{reason}。请检查打印机后再打印，或改用“导出 PDF”"


def _cups_last_error() -> int | None:
    """The status of this thread's last CUPS request (Qt's print engine sent the job from this
    thread), if libcups is loaded in this process; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:  # only the copy Qt's print support loaded: never load a library of our own
        cups = ctypes.CDLL("libcups.so.2", mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
    except OSError:
        return None
    cups.cupsLastError.restype = ctypes.c_int
    return int(cups.cupsLastError())
