"""A real GovReport window in its own process, driven over stdin/stdout with JSON lines — a clerk
for the two-clerk and kill tests.

``python tests/safety/window_driver.py [FILE]`` (env: GOVREPORT_HOME, QT_QPA_PLATFORM=offscreen,
USER for the lock's name). Each command line gets one JSON answer line. Dialogs are answered from
what ``answer`` commands set (``Dialogs.<name>`` → value) and every question asked is kept.

Commands: ``{"cmd": "state"}``, ``{"cmd": "wait", "ms": …}``, ``{"cmd": "remove", "path": …}``, ``{"cmd": "open", "path": …}``, ``{"cmd": "cell", "key": …,
"value": "55"}`` (typed from the keyboard), ``{"cmd": "save"}``, ``{"cmd": "answer", "dialog": …,
"value": …}``, ``{"cmd": "type", "where": "s1" | "t3", "every_ms": …}`` (types until killed,
printing ``{"typed": n, "t": monotonic}`` after each keystroke), ``{"cmd": "close"}``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QObject, Qt, QTimer, Signal  # noqa: E402
from PySide6.QtGui import QInputMethodEvent, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit  # noqa: E402

from govreport_gui.app import build_window, ensure_app  # noqa: E402
from govreport_gui.ui.dialogs import Dialogs  # noqa: E402

TYPED_S1 = "甲乙丙丁戊己庚辛壬癸"  # the characters typed into 一, in turn
T3_KEYS = [f"t3.new.{col}" for col in ("natural_person", "business", "research", "social_org", "legal_service",
                                       "other_org")]

answers: dict[str, object] = {"ask_locked": "readonly", "ask_conflict": "cancel", "ask_save": "discard",
                              "confirm": False, "ask_restore": True, "save_path": None}
asked: list[dict] = []


def _dialog(name: str):  # type: ignore[no-untyped-def]
    def ask(cls, parent, *args):  # type: ignore[no-untyped-def]
        asked.append({"dialog": name, "text": " | ".join(str(a) for a in args)})
        return answers.get(name)
    return classmethod(ask)


for _name in ("ask_locked", "ask_conflict", "ask_save", "confirm", "ask_restore", "error", "save_path",
              "open_path", "export_path", "waiver_reason"):
    setattr(Dialogs, _name, _dialog(_name))


def reply(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


class Commands(QObject):
    line = Signal(str)


def activate(w) -> None:  # type: ignore[no-untyped-def]
    w.activateWindow()
    for _ in range(100):  # keys reach the editor as typed only in the active window
        QApplication.processEvents()
        if QApplication.activeWindow() is w:
            return
        time.sleep(0.01)


def type_cell(w, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    table = key.split(".")[0]
    view = w.show_table(table)
    view.setFocus()
    view.select_key(key)
    QTest.keyClick(view, value[0])
    editor = view.findChild(QLineEdit)
    if len(value) > 1:
        QTest.keyClicks(editor, value[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the editor commits on the next turn of the event loop


def state(w) -> dict:  # type: ignore[no-untyped-def]
    r = w.session.report
    return {"path": str(w.session.path) if w.session.path else None, "title": w.windowTitle(),
            "read_only": getattr(w, "read_only", False), "modified": w.isWindowModified(), "agency": r.meta.agency,
            "cells": {k: v for k, v in r.cells.items() if isinstance(v, int)}, "asked": list(asked),
            "notes": w.notes.text() if w.notes_box.isVisibleTo(w) else "",
            "warning": w.autosave_warning.text() if getattr(w, "autosave_warning", None) is not None
            and w.autosave_warning.isVisibleTo(w) else ""}


def start_typing(w, where: str, every_ms: int) -> None:  # type: ignore[no-untyped-def]
    count = {"n": 0}
    if where == "s1":
        w.tabs.setCurrentWidget(w.text_page)
        editor = w.findChild(QPlainTextEdit, "editor.s1")
        editor.setFocus()
        editor.moveCursor(QTextCursor.MoveOperation.End)

        def key() -> None:
            event = QInputMethodEvent()  # as an input method delivers Chinese
            event.setCommitString(TYPED_S1[count["n"] % len(TYPED_S1)])
            QApplication.sendEvent(editor, event)
    else:
        def key() -> None:
            n = count["n"] + 1  # keystroke n types 1000 + n: the recovery file tells which it holds
            type_cell(w, T3_KEYS[(n - 1) % len(T3_KEYS)], str(1000 + n))

    def tick() -> None:
        key()
        count["n"] += 1
        reply({"typed": count["n"], "t": time.monotonic()})

    timer = QTimer(w)
    timer.timeout.connect(tick)
    timer.start(every_ms)
    w._driver_timer = timer  # kept alive


def main() -> None:
    app = ensure_app()
    w = build_window(sys.argv[1] if len(sys.argv) > 1 else None)
    w.show()
    for _ in range(20):  # a file given at start is checked once the event loop runs
        app.processEvents()
        time.sleep(0.01)
    activate(w)
    commands = Commands()

    def run(line: str) -> None:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "state":
            reply(state(w))
        elif cmd == "answer":
            answers[msg["dialog"]] = msg["value"]
            reply({"ok": True})
        elif cmd == "open":
            reply({"ok": w.open_path(Path(msg["path"]), confirm=False), **state(w)})
        elif cmd == "cell":
            type_cell(w, msg["key"], msg["value"])
            reply({"ok": True, **state(w)})
        elif cmd == "save":
            reply({"ok": w.save(), **state(w)})
        elif cmd == "check":
            w.check_disk()
            reply(state(w))
        elif cmd == "type":
            start_typing(w, msg["where"], int(msg.get("every_ms", 120)))
            reply({"typing": True, "t": time.monotonic()})
        elif cmd == "wait":  # let the event loop run (timers, the writer's results)
            QTimer.singleShot(int(msg["ms"]), lambda: reply(state(w)))
        elif cmd == "remove":  # a file only this process sees (inside its own mount namespace)
            Path(msg["path"]).unlink()
            reply({"ok": True})
        elif cmd == "close":
            w.session.stack.setClean()
            w.close()
            reply({"closed": True})
            app.quit()

    commands.line.connect(run, Qt.ConnectionType.QueuedConnection)

    def read() -> None:
        for line in sys.stdin:
            if line.strip():
                commands.line.emit(line)

    threading.Thread(target=read, daemon=True).start()
    reply({"ready": True, **state(w)})
    app.exec()


if __name__ == "__main__":
    main()
