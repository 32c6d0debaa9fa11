"""Composition root of the window: ``govreport-gui [FILE]``."""

from __future__ import annotations

import argparse
import datetime
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .readers.formats import open_report
from .report.native import FileFormatError
from .ui.dialogs import Dialogs
from .ui.qt_texts import MissingChinese
from .ui.settings import data_dir
from .ui.window.main_window import MainWindow

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "AR PL UMing CN"]


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("GovReport")
        app.setOrganizationName("GovReport")
        font = QFont()
        font.setFamilies(UI_FONTS)  # the first installed CJK UI font wins
        font.setPointSize(10)
        app.setFont(font)
    if not app.property("govreport.chinese"):
        install_chinese(app)  # also on an application made by someone else (pytest-qt)
    return app  # type: ignore[return-value]


def install_chinese(app: QApplication) -> None:
    """Qt's own texts (file dialogs, 确定/取消, 是/否, the calendar's months) in Chinese, whatever
    the system's language: the clerk's office PC may run an English or a bare locale."""
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(china)
    translator = QTranslator(app)
    if translator.load(china, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    app.installTranslator(MissingChinese(app))  # installed last, asked first
    app.setProperty("govreport.chinese", True)


def install_error_handler() -> None:
    """An unexpected exception in a slot: log the traceback to a file, tell the clerk in Chinese
    (never a traceback on screen). Work typed so far stays in the window and the autosave."""

    def handler(kind, value, tb):  # type: ignore[no-untyped-def]
        log = data_dir() / "errors.log"
        try:
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n")
                fh.write("".join(traceback.format_exception(kind, value, tb)))
        except OSError:
            pass
        Dialogs.error(None, f"操作时发生意外问题（{kind.__name__}），已记录到 {log}。\n"
                            "已录入的内容没有丢失，请保存后重试；如反复出现，请把该文件交给技术支持。")

    sys.excepthook = handler


def build_window(path: str | Path | None = None) -> MainWindow:
    """The ready main window (with ``path`` open), without entering the event loop."""
    ensure_app()
    if path is None:
        return MainWindow()
    try:  # open first: building the grids once with the report is cheaper than a reset after
        report = open_report(path)
    except FileFormatError as e:
        window = MainWindow()
        Dialogs.error(window, str(e))
        return window
    return MainWindow(report, Path(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreport-gui", description="政府信息公开工作年度报告编制窗口")
    parser.add_argument("file", nargs="?", help="要打开的报告（.govreport / .docx / .xlsx）")
    parser.add_argument("--screenshot", metavar="PNG", help="启动后把窗口截图保存到此文件并退出（无显示器时使用）")
    args = parser.parse_args(argv)
    app = ensure_app([sys.argv[0]])
    install_error_handler()
    window = build_window(args.file)
    window.show()
    if args.screenshot:
        app.processEvents()
        window.grab().save(args.screenshot)
        print(f"窗口截图已保存到 {args.screenshot}")
        window.session.stack.setClean()
        window.close()
        code = 0
    else:
        if args.file is None:
            window.offer_recovery()
        code = app.exec()
    # Delete the window while Qt is still alive: signal lambdas keep it in reference cycles that
    # Python would otherwise collect after QApplication is gone (a crash at exit).
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code


if __name__ == "__main__":
    sys.exit(main())
