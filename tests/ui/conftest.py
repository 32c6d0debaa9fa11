"""pytest-qt set-up: settings and recovery files in a temp folder, windows built the app's way."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QLineEdit

from govreport_gui.ui.dialogs import Dialogs


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("GOVREPORT_HOME", str(home))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
    # no modal dialog may ever block a test: each test that expects one replaces it
    for name in ("ask_save", "open_path", "save_path", "export_path", "ask_restore", "waiver_reason",
                 "error", "confirm", "ask_locked", "ask_conflict"):
        def refuse(*args, _name=name, **kwargs):
            raise AssertionError(f"unexpected dialog Dialogs.{_name}{args[1:]}")
        monkeypatch.setattr(Dialogs, name, classmethod(refuse))
    return home


@pytest.fixture
def window(qtbot):
    """Build main windows the app's way; at teardown drop unsaved work and delete them while Qt
    is alive (as ``app.main`` does): left to interpreter shutdown, PySide deletes them too late."""
    from govreport_gui.app import build_window

    made = []

    def make(path=None):
        w = build_window(path)
        made.append(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    yield make
    close_windows(made)


def type_into(qtbot, view, key: str, text: str) -> None:
    """Type ``text`` into the cell ``key`` from the keyboard and press Enter, as a clerk does."""
    view.window().show_table(view.model().table.id)  # the clerk first opens the table's tab
    view.setFocus()
    view.select_key(key)
    qtbot.keyClick(view, text[0])  # the first key opens the editor (overwrite)
    editor = view.findChild(QLineEdit)
    assert editor is not None, "typing did not open an editor"
    if len(text) > 1:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, "\r")
    qtbot.waitUntil(lambda: view.findChild(QLineEdit) is None or not view.findChild(QLineEdit).isVisible())
    QApplication.processEvents()


def click_finding(qtbot, window, rule: str) -> None:
    """Click the first finding of ``rule`` in the findings panel, as the clerk does."""
    from PySide6.QtCore import Qt

    model = window.findings_model
    row = next(i for i in range(model.rowCount()) if model.finding(i).rule == rule)
    rect = window.findings_view.visualRect(model.index(row))
    qtbot.mouseClick(window.findings_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def close_windows(windows) -> None:
    """Close test windows without the save prompt and free them now (not at some later test's loop)."""
    for w in windows:
        if shiboken6.isValid(w):
            w.session.stack.setClean()
            w.close()
            w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
