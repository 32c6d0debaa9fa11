"""Composition root of the window: ``govreport-gui [FILE] [--rollup FILE_OR_FOLDER ...] [--screenshot PNG]``."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from .readers.formats import open_report
from .report.native import FileFormatError
from .ui.dialogs import Dialogs
from .ui.qt_texts import MissingChinese
from .ui.settings import data_dir
from .ui.window.main_window import MainWindow

if TYPE_CHECKING:
    from .ui.rollup.rollup_window import RollupWindow

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "AR PL UMing CN"]
# Windows groups taskbar buttons by this id; without it our window would sit under pythonw.exe's
# button with Python's icon. The installer gives its Start-menu shortcut the same id.
APP_USER_MODEL_ID = "GovReport.GovReport"
PORTABLE_MARKER = "portable"  # a file of this name beside GovReport.exe: settings live beside the program
PORTABLE_DATA = "用户数据"


def set_windows_app_id() -> bool:
    """True when Windows accepted our AppUserModelID for this process."""
    if sys.platform != "win32":
        return False
    import ctypes

    try:
        return ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID) == 0
    except (AttributeError, OSError):
        return False


def portable_data_dir(executable: str = sys.executable, platform: str = sys.platform) -> Path | None:
    """The folder for settings and recovery files of a portable copy, or None for the user's folders.

    The Windows payload is ``<folder>/python/pythonw.exe`` beside ``GovReport.exe``; with a file named
    ``portable`` in ``<folder>``, everything goes to ``<folder>/用户数据`` (a USB stick carries it along).
    A folder that cannot be written (a read-only share) falls back to the user's folders."""
    if platform != "win32":
        return None
    root = Path(executable).resolve().parent.parent
    if not (root / PORTABLE_MARKER).is_file():
        return None
    folder = root / PORTABLE_DATA
    try:
        folder.mkdir(exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return None
    return folder


def use_portable_folder() -> None:
    folder = portable_data_dir()
    if folder is not None:
        os.environ.setdefault("GOVREPORT_HOME", str(folder))  # recovery files, errors.log (ui.settings.data_dir)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app_id = set_windows_app_id()  # before the first window exists
        use_portable_folder()  # before anything reads a setting
        app = QApplication(argv or [sys.argv[0]])
        app.setProperty("govreport.app_id", APP_USER_MODEL_ID if app_id else "")
        app.setApplicationName("GovReport")
        app.setOrganizationName("GovReport")
        app.setWindowIcon(QIcon(str(Path(__file__).with_name("data") / "govreport.png")))  # taskbar, Alt+Tab
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


def build_window(path: str | Path | None = None, staged: bool = False) -> MainWindow:
    """The ready main window (with ``path`` open), without entering the event loop. ``staged`` (the
    program's own start): what the first paint does not need runs just after it
    (:meth:`MainWindow.finish_start`)."""
    ensure_app()
    if path is None:
        return MainWindow(staged=staged)
    try:  # open first: building the grids once with the report is cheaper than a reset after
        report = open_report(path)
    except FileFormatError as e:
        window = MainWindow()
        Dialogs.error(window, str(e))
        return window
    return MainWindow(report, Path(path), staged=staged)


def _wait_for(rollup: RollupWindow) -> None:
    """The event loop runs until the roll-up window has read its files."""
    from PySide6.QtCore import QEventLoop

    if rollup.reading:
        loop = QEventLoop()
        rollup.finished.connect(loop.quit)
        loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreport-gui", description="政府信息公开工作年度报告编制窗口")
    parser.add_argument("file", nargs="?", help="要打开的报告（.govreport / .docx / .xlsx）")
    parser.add_argument("--rollup", nargs="+", metavar="文件或文件夹",
                        help="打开“汇总多个单位”窗口，读取这些报告文件和文件夹（含子文件夹）")
    parser.add_argument("--jobs", type=int, default=0, metavar="进程数",
                        help="与 --rollup 一起：读取和校验文件的进程数（默认按空闲的处理器核数；1 为不用多进程）")
    parser.add_argument("--screenshot", metavar="PNG", help="启动后把窗口截图保存到此文件并退出（无显示器时使用；"
                        "与 --rollup 一起时，读取完成后保存汇总窗口的截图）")
    args = parser.parse_args(argv)
    app = ensure_app([sys.argv[0]])
    install_error_handler()
    window = build_window(args.file, staged=True)
    window.show()
    rollup = None
    if args.rollup:
        from .ui.rollup import rollup_window

        rollup = rollup_window.show_for(window)
        rollup.workers = max(0, args.jobs)
        rollup.add_paths(args.rollup)
    if args.screenshot:
        app.processEvents()
        window.finish_start()  # the checks' marks in the picture
        app.processEvents()  # (and the layout of what they changed: the topics, the counts)
        if rollup is None:
            window.grab().save(args.screenshot)
            print(f"窗口截图已保存到 {args.screenshot}")
        else:
            _wait_for(rollup)
            rollup.grab().save(args.screenshot)
            # which processes read: the installed builds' tests check that the pool really ran there
            print(f"汇总窗口截图已保存到 {args.screenshot}（{len(rollup.units)} 个文件，"
                  f"由 {len(rollup.worker_pids - {os.getpid()}) or 1} 个进程读取"
                  f"{'，多进程未能启动' if rollup.fell_back else ''}）")
            rollup.close()
        window.session.stack.setClean()
        window.close()
        code = 0
    else:
        if args.file is None:
            window.offer_recovery()
        code = app.exec()
    # Delete the window while Qt is still alive: signal lambdas keep it in reference cycles that
    # Python would otherwise collect after QApplication is gone (a crash at exit).
    from PySide6.QtCore import QEvent  # (its enum of ~180 event types is built on first use)

    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code


if __name__ == "__main__":
    sys.exit(main())
