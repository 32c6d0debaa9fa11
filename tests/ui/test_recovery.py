"""Recovery in the window: written within 0.8 s of an edit, also while typing goes on; a failed
write is said above the tables until one works again; kept after a restore until saved, and
offered on every way a report is opened. A failed open leaves the open report untouched."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from govreport_gui.report import native
from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.window import autosave, yearly
from tests.safety.bounded import load_factor
from tests.ui.conftest import type_into

KEY = "t2.coercion.decisions"


def _recovered(w) -> dict:  # type: ignore[no-untyped-def]
    try:
        return json.loads(w.recovery.path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError):
        return {}


def _orphan(home, original, value: int, name: str = "autosave-1-000000001"):  # type: ignore[no-untyped-def]
    """A recovery file left by a window that crashed (no lock held) while editing ``original``."""
    report = native.load(Path(__file__).parents[1] / "data" / "sample-2025.govreport")
    report.cells[KEY] = value
    data = native.to_dict(report)
    data["recovery"] = {"path": str(original) if original else None, "saved_at": "2026-11-28T09:30:00"}
    folder = home / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.govreport"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def offers(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(Dialogs, "ask_restore", classmethod(lambda cls, parent, text: asked.append(text) or True))
    return asked


def test_an_edit_reaches_the_recovery_file_within_two_seconds(window, qtbot, sample_file):
    w = window(sample_file)
    type_into(qtbot, w.views["t2"], KEY, "55")
    start = time.monotonic()
    qtbot.waitUntil(lambda: _recovered(w).get(KEY) == 55, timeout=10_000)
    assert time.monotonic() - start < autosave.AUTOSAVE_MS / 1000 + 0.5 * load_factor()  # the throttle + the write
    # narrative typing merges into one undo step; each keystroke still reaches the recovery file
    w.session.set_section("s5", ["改进一"])
    w.session.set_section("s5", ["改进一二"])
    qtbot.waitUntil(lambda: json.loads(w.recovery.path.read_text(encoding="utf-8"))["sections"]["s5"] == ["改进一二"],
                    timeout=10_000)


def test_typing_without_pause_is_written_as_it_goes(window, qtbot, sample_file, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVE_MS", 300)
    w = window(sample_file)
    written = []
    for i in range(1, 31):  # an edit every 100 ms for 3 s: a debounce would never write
        w.session.set_cells({KEY: i})
        qtbot.wait(100)
        written.append((i, _recovered(w).get(KEY) or 0))
    # the file trails the typing by the throttle and a write, never by the whole burst
    lag = max(i - v for i, v in written[8:])
    assert lag <= 3 + 3 * load_factor(), written


def test_a_failing_recovery_write_is_said_until_one_works(window, qtbot, sample_file, monkeypatch):
    import errno

    from govreport_gui.ui.window import recovery

    monkeypatch.setattr(autosave, "AUTOSAVE_MS", 100)
    monkeypatch.setattr(autosave, "RETRY_MS", 300)
    real = recovery.native.atomic_write
    full = {"now": True}

    def write(path, data, backup=True):  # type: ignore[no-untyped-def]
        if full["now"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, backup)

    monkeypatch.setattr(recovery.native, "atomic_write", write)
    w = window(sample_file)
    w.session.set_cells({KEY: 5})
    bar = w.autosave_warning
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "磁盘空间已满" in bar.text() and "No space" not in bar.text()
    w.session.set_cells({KEY: 6})
    qtbot.wait(500)
    assert bar.isVisible()  # still full: still said
    full["now"] = False
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5000)  # retried without another edit
    assert _recovered(w).get(KEY) == 6


def test_saving_or_undoing_to_the_saved_state_drops_the_recovery(window, qtbot, sample_file, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVE_MS", 200)
    w = window(sample_file)
    type_into(qtbot, w.views["t2"], KEY, "55")
    qtbot.waitUntil(w.recovery.path.exists, timeout=10_000)
    w.session.stack.undo()
    qtbot.waitUntil(lambda: not w.recovery.path.exists(), timeout=10_000)


def test_restore_keeps_the_recovery_until_saved(window, qtbot, isolated_settings, sample_file, offers, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVE_MS", 200)
    orphan = _orphan(isolated_settings, sample_file, 66)
    w = window()
    assert w.offer_recovery()
    assert w.session.report.cells[KEY] == 66 and w.isWindowModified()
    assert not orphan.exists() and _recovered(w).get(KEY) == 66  # a second crash now loses nothing
    type_into(qtbot, w.views["t2"], KEY, "67")
    qtbot.waitUntil(lambda: _recovered(w).get(KEY) == 67, timeout=10_000)  # and it keeps up with edits
    assert w.save()
    w.recovery.flush()
    assert not w.recovery.path.exists()


def test_starting_with_a_file_offers_its_recovery(window, qtbot, isolated_settings, sample_file, offers):
    other = _orphan(isolated_settings, sample_file.with_name("other.govreport"), 1, "autosave-2-000000002")
    _orphan(isolated_settings, sample_file, 66)
    w = window(sample_file)  # as a double-click on the file starts the app
    qtbot.waitUntil(lambda: bool(offers), timeout=2000)
    assert "sample-2025.govreport" in offers[0] and w.session.report.cells[KEY] == 66
    assert other.exists()  # another file's recovery waits for that file


def test_open_and_recent_offer_the_files_recovery(window, qtbot, isolated_settings, sample_file, offers):
    w = window()
    _orphan(isolated_settings, sample_file, 66)
    assert w.open_path(sample_file, confirm=False)
    qtbot.waitUntil(lambda: bool(offers), timeout=2000)
    assert w.session.report.cells[KEY] == 66 and w.session.path == sample_file


def test_new_from_last_year_offers_an_unsaved_reports_recovery(window, qtbot, isolated_settings, sample_file,
                                                               offers, monkeypatch):
    _orphan(isolated_settings, None, 66)  # the new report crashed before it was ever saved
    w = window()
    monkeypatch.setattr(Dialogs, "open_path", classmethod(lambda cls, p, folder: str(sample_file)))
    assert yearly.new_from_last(w)
    qtbot.waitUntil(lambda: bool(offers), timeout=2000)
    assert "未命名报告" in offers[0] and w.session.report.cells[KEY] == 66


def test_a_failed_open_leaves_the_open_report_as_it_was(window, qtbot, sample_file, data_dir, monkeypatch):
    from govreport_gui.ui import session as session_module

    w = window(sample_file)
    type_into(qtbot, w.views["t2"], KEY, "55")
    before = (w.session.report, w.session.path, w.windowTitle(), w.session.stack.count(), w.isWindowModified())
    real_check = session_module.check

    def check_that_fails_on_the_new_report(report):  # type: ignore[no-untyped-def]
        if report is not before[0]:
            raise ArithmeticError("a rule met a value it cannot compare")
        return real_check(report)

    monkeypatch.setattr(session_module, "check", check_that_fails_on_the_new_report)
    with pytest.raises(ArithmeticError):  # the app's last-resort handler reports it
        w.open_path(data_dir / "sample-2025-faulty.govreport", confirm=False)
    after = (w.session.report, w.session.path, w.windowTitle(), w.session.stack.count(), w.isWindowModified())
    assert after == before
    assert w.models["t2"].data(w.models["t2"].index_for_key(KEY)) == "55"
