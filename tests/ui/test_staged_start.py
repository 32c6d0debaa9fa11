"""The program's own start (``govreport-gui FILE``) paints the window first and then runs what the
first paint does not need: the checks and their marks, the file's lock, remembering the file. None
of it may be missing by the time the clerk can act, and nothing typed meanwhile may be lost."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from govreport_gui import app
from govreport_gui.report import native
from govreport_gui.report.rules import check
from govreport_gui.report.sharing import lock_path
from govreport_gui.ui import settings
from tests.conftest import DATA
from tests.ui.conftest import close_windows

KEY = "t3.new.natural_person"


@pytest.fixture
def staged(qtbot):
    """Windows built as ``app.main`` builds them (``staged=True``), shown, not yet waited for."""
    made = []

    def make(path):
        w = app.build_window(path, staged=True)
        made.append(w)
        return w

    yield make
    close_windows(made)


@pytest.fixture
def faulty_file(tmp_path):
    p = tmp_path / "faulty-2025.govreport"
    shutil.copy(DATA / "sample-2025-faulty.govreport", p)
    return p


def _open_rules(w) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.rule for f in w.session.findings if f.open}


def test_after_the_first_paint_the_checks_the_lock_and_the_recent_file_are_there(staged, faulty_file, qtbot):
    w = staged(faulty_file)
    # built, not painted: the window says it is still checking, nothing is claimed yet
    assert not w.session.checked and "正在校验" in w.counts_label.text()
    assert not lock_path(faulty_file).exists()
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: lock_path(faulty_file).exists(), timeout=3000)
    lock = json.loads(lock_path(faulty_file).read_text(encoding="utf-8"))
    assert lock["pid"] == os.getpid()
    expected = {f.rule for f in check(native.load(faulty_file)) if f.open}
    assert expected and _open_rules(w) == expected  # the faulty sample has errors: all are shown
    assert w.findings_model.rowCount() >= len(expected)
    assert "错误" in w.counts_label.text()
    assert str(faulty_file) in settings.get("recent_files")
    assert w.disk_state is not None and not w.read_only
    w.close()
    assert not lock_path(faulty_file).exists()


def test_keys_typed_right_after_show_are_kept_and_checked(staged, sample_file, qtbot):
    w = staged(sample_file)
    assert w.session.report.cells[KEY] == 57
    w.show()  # no waiting: the clerk types at once
    view = w.show_table("t3")
    view.setFocus()
    assert view.select_key(KEY)
    QTest.keyClick(view, "9")  # the first key opens the editor (overwrite)
    editor = view.findChild(QLineEdit)
    assert editor is not None, "typing did not open an editor"
    QTest.keyClicks(editor, "9")
    QTest.keyClick(editor, "\r")  # Qt commits an editor from the event loop
    assert w._pending is not None  # typed before the start finished
    qtbot.waitUntil(lambda: w.session.report.cells[KEY] == 99)
    assert "t3.balance" in _open_rules(w)  # checked at once, as any edit
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: lock_path(sample_file).exists(), timeout=3000)
    # the start's own check ran or runs after the edit: it sees the typed figure
    assert w._pending is None
    assert w.session.report.cells[KEY] == 99 and "t3.balance" in _open_rules(w)
    assert w.session.stack.count() == 1 and not w.session.stack.isClean()
    assert w.save()
    assert native.load(sample_file).cells[KEY] == 99


def test_a_save_before_the_start_has_finished_claims_the_file_first(staged, sample_file):
    w = staged(sample_file)
    w.show()
    w.session.set_cells({KEY: 57})
    assert w._pending is not None and not lock_path(sample_file).exists()
    assert w.save()  # Ctrl+S in the very first moments
    assert w._pending is None and lock_path(sample_file).exists() and w.disk_state is not None
    assert native.load(sample_file).cells[KEY] == 57
    w.session.set_cells({KEY: 58})
    assert w.save()  # our own save is no conflict (the fixture fails on any dialog)


def test_govreport_gui_file_starts_staged(sample_file, tmp_path, monkeypatch):
    seen = []
    build = app.build_window

    def spy(path=None, staged=False):  # type: ignore[no-untyped-def]
        seen.append(staged)
        return build(path, staged=staged)

    monkeypatch.setattr(app, "build_window", spy)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own
    png = tmp_path / "shot.png"
    assert app.main([str(sample_file), "--screenshot", str(png)]) == 0
    assert seen == [True] and png.stat().st_size > 0
    assert str(sample_file) in settings.get("recent_files")  # the start finished before the picture
    assert not lock_path(sample_file).exists()  # and the window let the file go when it closed
