"""One report file, two clerks (in one process: the other clerk is a lock file written as another
computer writes it, and a save from outside). tests/safety/test_two_clerks.py does it with two
real window processes."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest

from govreport_gui.report import native
from govreport_gui.report.sharing import lock_path
from govreport_gui.ui.dialogs import Dialogs
from tests.ui.conftest import type_into

KEY = "t2.coercion.decisions"


def _foreign_lock(report, user="张三", host="PC-12", age=0.0):  # type: ignore[no-untyped-def]
    path = lock_path(report)
    path.write_text(json.dumps({"app": "GovReport", "user": user, "host": host, "pid": 1,
                                "since": "2026-12-02T09:30:00", "token": "x"}, ensure_ascii=False), encoding="utf-8")
    if age:
        os.utime(path, (time.time() - age, time.time() - age))
    return path


def _answer(monkeypatch, name, answer):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(Dialogs, name, classmethod(lambda cls, parent, text: asked.append(text) or answer))
    return asked


def _saved_elsewhere(path, agency="他人改过"):  # type: ignore[no-untyped-def]
    other = native.load(path)
    other.meta.agency = agency
    native.save(other, path)


def test_an_open_report_has_our_lock_beside_it_until_closed(window, sample_file):
    w = window(sample_file)
    lock = lock_path(sample_file)
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid() and data["host"] == socket.gethostname() and data["since"]
    w.close()
    assert not lock.exists()


def test_a_second_opener_is_told_who_and_may_open_read_only(window, sample_file, monkeypatch, qtbot):
    _foreign_lock(sample_file)
    asked = _answer(monkeypatch, "ask_locked", "readonly")
    w = window()
    assert w.open_path(sample_file, confirm=False)
    assert "张三" in asked[0] and "PC-12" in asked[0] and "9:30" in asked[0]
    assert "（只读）" in w.windowTitle() and w.read_only
    type_into(qtbot, w.views["t2"], KEY, "55")
    before = sample_file.read_bytes()
    errors = _answer(monkeypatch, "error", None)
    saved_as = tmp = sample_file.with_name("我的.govreport")
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, p, s: str(tmp)))
    assert w.save()  # told it is read-only, then 另存为
    assert "只读" in errors[0] and sample_file.read_bytes() == before
    assert native.load(saved_as).cells[KEY] == 55 and not w.read_only and w.session.path == saved_as
    assert lock_path(sample_file).exists()  # the other clerk's lock is left alone


def test_read_only_because_someone_had_it_saves_into_it_once_they_have_closed(window, sample_file, monkeypatch, qtbot):
    """The read-only state was sticky: after the other clerk closed, a save still said 他人正在使用 and
    only 另存为 was left, so the typed work could not reach the file without reopening it (and losing it)."""
    lock = _foreign_lock(sample_file)
    _answer(monkeypatch, "ask_locked", "readonly")
    w = window()
    assert w.open_path(sample_file, confirm=False) and w.read_only
    type_into(qtbot, w.views["t2"], KEY, "55")
    lock.unlink()  # 张三 closed the report
    errors = _answer(monkeypatch, "error", None)
    assert w.save() and errors == []
    assert native.load(sample_file).cells[KEY] == 55
    assert not w.read_only and "（只读）" not in w.windowTitle() and "不再只读" in w.notes.text()
    assert json.loads(lock_path(sample_file).read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_read_only_then_they_saved_and_closed_the_save_asks_as_any_conflict(window, sample_file, monkeypatch, qtbot):
    lock = _foreign_lock(sample_file)
    _answer(monkeypatch, "ask_locked", "readonly")
    w = window()
    assert w.open_path(sample_file, confirm=False)
    type_into(qtbot, w.views["t2"], KEY, "55")
    _saved_elsewhere(sample_file)
    lock.unlink()
    conflicts = _answer(monkeypatch, "ask_conflict", "cancel")
    assert not w.save() and conflicts
    assert native.load(sample_file).meta.agency == "他人改过"  # their save is not overwritten


def test_a_second_opener_may_open_a_copy(window, sample_file, monkeypatch):
    _foreign_lock(sample_file)
    _answer(monkeypatch, "ask_locked", "copy")
    w = window()
    assert w.open_path(sample_file, confirm=False)
    assert w.session.path is None and w.isWindowModified()
    suggested = []
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, p, s: suggested.append(s)))
    w.save()
    assert suggested[0].endswith("sample-2025（副本）.govreport")


def test_starting_on_a_locked_file_asks_too(window, sample_file, monkeypatch):
    _foreign_lock(sample_file)
    asked = _answer(monkeypatch, "ask_locked", "readonly")
    w = window(sample_file)
    assert asked and w.read_only and "（只读）" in w.windowTitle()


@pytest.mark.parametrize("how", ["old", "dead"])
def test_stale_locks_are_ignored(window, sample_file, how):
    if how == "old":  # another computer that crashed an hour ago
        _foreign_lock(sample_file, age=3600)
    else:  # this computer, a window whose process is gone
        _foreign_lock(sample_file, host=socket.gethostname())
        data = json.loads(lock_path(sample_file).read_text(encoding="utf-8"))
        data["pid"] = 2**22 + 7  # above pid_max's default: no such process
        lock_path(sample_file).write_text(json.dumps(data), encoding="utf-8")
    w = window(sample_file)  # no dialog: the fixture fails on any
    assert not w.read_only
    assert json.loads(lock_path(sample_file).read_text(encoding="utf-8"))["pid"] == os.getpid()


@pytest.mark.parametrize("answer", ["cancel", "overwrite", "copy", "reload"])
def test_a_file_changed_on_disk_is_never_overwritten_silently(window, sample_file, monkeypatch, qtbot, answer):
    w = window(sample_file)
    type_into(qtbot, w.views["t2"], KEY, "55")
    _saved_elsewhere(sample_file)  # a colleague, register --into, another program
    theirs = sample_file.read_bytes()
    asked = _answer(monkeypatch, "ask_conflict", answer)
    copy = sample_file.with_name("副本.govreport")
    suggested = []
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, p, s: suggested.append(s) or str(copy)))
    saved = w.save()
    assert "已被他人或其他程序修改" in asked[0]
    if answer == "cancel":
        assert not saved and sample_file.read_bytes() == theirs and w.isWindowModified()
    elif answer == "overwrite":
        assert saved and native.load(sample_file).cells[KEY] == 55
        assert native.load(native.backup_path(sample_file)).meta.agency == "他人改过"  # theirs kept
    elif answer == "copy":
        assert saved and suggested[0].endswith("sample-2025（副本）.govreport")
        assert sample_file.read_bytes() == theirs and native.load(copy).cells[KEY] == 55
    else:
        assert not saved and w.session.report.meta.agency == "他人改过" and not w.isWindowModified()
        kept = list((w.recovery.folder / "kept").glob("sample-2025（我的修改 *）.govreport"))
        assert len(kept) == 1 and native.load(kept[0]).cells[KEY] == 55
        assert str(kept[0]) in w.notes.text()
        w.session.set_cells({KEY: 56})
        assert w.save()  # their version is now what we read: no question
        assert len(asked) == 1


def test_our_own_saves_are_not_mistaken_for_someone_elses(window, sample_file, qtbot):
    w = window(sample_file)
    for value in ("55", "56"):
        type_into(qtbot, w.views["t2"], KEY, value)
        assert w.save()  # the fixture fails on any dialog
    os.utime(sample_file)  # touched, same content: not a change
    type_into(qtbot, w.views["t2"], KEY, "57")
    assert w.save()


def test_coming_back_to_the_window_tells_of_a_change(window, sample_file):
    w = window(sample_file)
    _saved_elsewhere(sample_file)
    w.check_disk()
    assert "已被他人或其他程序修改" in w.notes.text() and w.notes_box.isVisibleTo(w)


def test_activating_the_window_again_looks_at_the_file(window, sample_file, qtbot):
    """The focus coming back to the window (from another program's window: here another window of
    ours) is what runs check_disk."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    w = window(sample_file)
    other = QWidget()
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is other.windowHandle())
    _saved_elsewhere(sample_file)
    assert "已被他人或其他程序修改" not in w.notes.text()
    w.activateWindow()
    qtbot.waitUntil(lambda: "已被他人或其他程序修改" in w.notes.text())
    other.close()


def test_a_read_only_file_offers_save_as(window, sample_file, monkeypatch, qtbot, tmp_path):
    w = window(sample_file)
    type_into(qtbot, w.views["t2"], KEY, "55")
    os.chmod(sample_file, 0o444)
    before = sample_file.read_bytes()
    asked = []
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, p, title, text: asked.append(text) or True))
    other = tmp_path / "另存.govreport"
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, p, s: str(other)))
    assert w.save()
    assert "只读文件" in asked[0] and "另存为" in asked[0]
    assert sample_file.read_bytes() == before and native.load(other).cells[KEY] == 55


def test_save_as_over_a_file_someone_has_open_is_refused(window, sample_file, monkeypatch, tmp_path):
    theirs = tmp_path / "他人的.govreport"
    native.save(native.load(sample_file), theirs)
    _foreign_lock(theirs)
    w = window(sample_file)
    errors = _answer(monkeypatch, "error", None)
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, p, s: str(theirs)))
    assert not w.save_as()
    assert "张三" in errors[0] and "不能覆盖" in errors[0]
