"""TEST-ONLY harness, run by the installed Windows Python under wine. Never shipped in the product.

wine 8.0's Qt ``windows`` platform plugin aborts (``RoGetActivationFactory ...UISettings``) unless
``QGuiApplication.setDesktopSettingsAware(False)`` runs before the application exists. Real Windows
needs no such call, so it lives here and not in govreport_gui.

Usage: window_harness.py app|staged|floor|bare OUT_DIR [REPORT]. Shows GovReport's main window
(``app``, with REPORT open; ``staged``: started as ``govreport-gui FILE`` starts it, the checks just
after the first paint), the floor window (``floor``: ``bench/floor_window.py``, the same Qt widgets
and Chinese text with none of our code, run from the source tree) or a bare QMainWindow (``bare``);
the last three are what the start-up benchmark compares (``bench/bench_windows_start.py``). Once the
window is exposed and painted, prints ``SHOWN <Unix time> <CPU seconds of the process>``, saves ``window.png`` (Qt's rendering of
the window), prints a JSON line of what it shows, and waits for one line on stdin (time for the
caller to capture the X display) before it quits.

window_harness.py rollup OUT_DIR FOLDER WORKERS: the roll-up window reads FOLDER with WORKERS
processes (spawned, as in the product); prints a JSON line of what it read and which processes read
it, saves ``rollup.png`` and quits.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget

QGuiApplication.setDesktopSettingsAware(False)
FLOOR = Path(__file__).resolve().parents[2] / "bench" / "floor_window.py"


def build(mode: str, report: str | None) -> tuple[QApplication, QMainWindow]:
    if mode == "bare":
        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(900, 600)
        return app, window
    if mode == "floor":
        import runpy

        window = runpy.run_path(str(FLOOR))["w"]  # builds its own QApplication and shows the window
        return QApplication.instance(), window
    from govreport_gui.app import build_window, ensure_app

    app = ensure_app([sys.argv[0]])
    return app, build_window(report, staged=mode == "staged")


def app_id() -> str | None:
    """The process's explicit AppUserModelID (what the taskbar groups by), as Windows reports it; None
    if none was set, or where the query is a stub (wine 8.0 answers E_NOTIMPL)."""
    if sys.platform != "win32":
        return None
    import ctypes

    value = ctypes.c_wchar_p()
    if ctypes.windll.shell32.GetCurrentProcessExplicitAppUserModelID(ctypes.byref(value)) != 0:
        return None
    text = value.value
    ctypes.windll.ole32.CoTaskMemFree(value)
    return text


def describe(window: QMainWindow) -> dict:
    from govreport_gui.ui import settings
    try:
        from govreport_gui.ui.window.recovery import Recovery
    except ImportError:  # releases before the ui/ subpackages (0.1.0)
        from govreport_gui.ui.recovery import Recovery  # type: ignore[no-redef]

    tabs = [t.tabText(i) for t in window.findChildren(QTabWidget) for i in range(t.count())]
    recovery = Recovery()  # another window's view: which recovery files would be offered back
    orphans = [p.name for p in recovery.orphans()]
    recovery.close()
    return {"title": window.windowTitle(), "tabs": tabs, "font": QApplication.font().family(),
            "platform": QGuiApplication.platformName(), "data_dir": str(settings.data_dir()),
            "settings": settings.store().fileName(), "last_folder": settings.get("last_folder"),
            "recovery_offered": orphans, "app_id": app_id(),
            "app_id_set": QApplication.instance().property("govreport.app_id"),
            "icon_sizes": [s.width() for s in window.windowIcon().availableSizes()]}


def rollup(out: Path, folder: str, workers: int) -> int:
    import os

    from PySide6.QtCore import QEventLoop

    from govreport_gui.app import ensure_app
    from govreport_gui.ui.rollup.rollup_window import RollupWindow

    app = ensure_app([sys.argv[0]])
    window = RollupWindow(lambda report, source: None)
    window.workers = workers
    window.show()
    t0 = time.perf_counter()
    window.add_paths([folder])
    if window.reading:
        loop = QEventLoop()
        window.finished.connect(loop.quit)
        loop.exec()
    seconds = time.perf_counter() - t0
    window.grab().save(str(out / "rollup.png"))
    total = window.result.total if window.result is not None else None
    print(json.dumps({"files": len(window.units), "seconds": round(seconds, 2),
                      "workers": len(window.worker_pids - {os.getpid()}), "fell_back": window.fell_back,
                      "fingerprint": total.fingerprint() if total is not None else None,
                      "with_errors": sum(u.errors > 0 for u in window.units)}), flush=True)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.quit()
    return 0


def main() -> int:
    mode, out = sys.argv[1], Path(sys.argv[2])
    if mode == "rollup":
        return rollup(out, sys.argv[3], int(sys.argv[4]))
    app, window = build(mode, sys.argv[3] if len(sys.argv) > 3 else None)
    window.show()

    def poll() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            QTimer.singleShot(10, poll)
            return
        app.processEvents()  # the first paint
        # wall clock (the caller started wine at a time.time()) and this process's CPU so far (steadier
        # than wall time on a busy machine)
        print(f"SHOWN {time.time():.3f} {time.process_time():.3f}", flush=True)
        if mode == "staged":
            window.finish_start()
        window.grab().save(str(out / "window.png"))
        info = describe(window) if mode in ("app", "staged") else {"title": window.windowTitle(), "platform": QGuiApplication.platformName()}
        print(json.dumps(info, ensure_ascii=False), flush=True)
        sys.stdin.readline()  # wine's own screen grab comes back black on Xvfb: the caller grabs X instead
        if mode in ("app", "staged"):
            window.session.stack.setClean()  # no "save changes?" question on close
        window.close()
        app.quit()

    QTimer.singleShot(0, poll)
    code = app.exec()
    window.deleteLater()  # as govreport_gui.app.main: delete while Qt is alive
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
