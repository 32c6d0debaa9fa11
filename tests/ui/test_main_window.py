"""The main window driven like a clerk drives it: keyboard, paste, findings panel, files."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QTableView

from govreport_gui.report import native
from govreport_gui.ui.dialogs import Dialogs
from tests.ui.conftest import click_finding, type_into


def rules(w):
    return sorted({f.rule for f in w.session.findings if f.open})


def test_object_names_and_models(window):
    w = window()
    assert w.findChild(QTableView, "grid.t3") is None  # grids are built when first shown
    for tid in ("t2", "t3", "t4"):
        w.show_table(tid)
        view = w.findChild(QTableView, f"grid.{tid}")
        assert view is not None
        model = view.model()
        idx = model.index_for_key(f"{tid}." + {"t2": "penalty.decisions", "t3": "new.total", "t4": "review.total"}[tid])
        assert idx.isValid() and model.key_for_index(idx).startswith(tid)
    assert w.findChild(QTableView, "grid.t3").columnSpan(0, 0) == 3
    assert w.findChild(QTableView, "grid.t3").rowSpan(5, 0) == 22
    assert w.findChild(type(w.findings_view), "findings") is w.findings_view


def test_type_a_year_of_table_three(window, qtbot):
    """Keyboard entry of one applicant column: findings appear while it does not balance, then clear."""
    w = window()
    view = w.show_table("t3")
    cells = w.session.report.cells
    type_into(qtbot, view, "t3.new.natural_person", "57")
    assert cells["t3.new.natural_person"] == 57 and cells["t3.new.total"] == 57  # 总计 filled
    assert "t3.balance" in rules(w)
    assert "错误" in w.counts_label.text()
    # Enter moved the cursor down: the next keys land in 上年结转
    assert view.model().key_for_index(view.currentIndex()) == "t3.carried_in.natural_person"
    qtbot.keyClick(view, "3")
    qtbot.keyClick(view.findChild(QLineEdit), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cells.get("t3.carried_in.natural_person") == 3)
    for key, value in (("result.granted", "22"), ("result.partial", "10"), ("result.denied.third_party", "2"),
                       ("result.denied.process_info", "3"), ("result.unable.not_held", "11"),
                       ("result.unable.needs_creation", "1"), ("result.not_processed.petition", "2"),
                       ("result.not_processed.repeated", "1"), ("result.other.no_correction", "3"),
                       ("result.other.other", "1"), ("carried_out", "4")):
        type_into(qtbot, view, f"t3.{key}.natural_person", value)
    assert cells["t3.result.total.natural_person"] == 56 and cells["t3.result.total.total"] == 56
    assert not any(f.rule.startswith("t3.") for f in w.session.findings)
    # now break it from the keyboard and watch the finding come back, with the cell coloured
    type_into(qtbot, view, "t3.carried_out.natural_person", "5")
    assert "t3.balance" in rules(w)
    idx = view.model().index_for_key("t3.carried_out.natural_person")
    assert view.model().data(idx, Qt.ItemDataRole.BackgroundRole) is not None


def test_tab_moves_right_and_full_width_digits(window, qtbot):
    w = window()
    view = w.show_table("t2")
    view.setFocus()
    view.select_key("t2.regulation.issued")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.model().key_for_index(view.currentIndex()) == "t2.regulation.repealed"
    type_into(qtbot, view, "t2.licensing.decisions", "1")
    editor_text = "１２８６"  # full-width digits typed through an input method
    view.select_key("t2.licensing.decisions")
    view.edit(view.currentIndex())
    editor = view.findChild(QLineEdit)
    editor.setText(f"\u3000{editor_text} ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.session.report.cells.get("t2.licensing.decisions") == 1286)


def test_letters_and_negatives_are_refused_with_a_hint(window, qtbot):
    """A refused figure stays in its cell, in red, with the reason there and in the status bar."""
    w = window()
    view = w.views["t2"]
    type_into(qtbot, view, "t2.penalty.decisions", "12")
    for bad, reason in (("1a", "不是数字"), ("-4", "负数")):
        view.select_key("t2.penalty.decisions")
        qtbot.keyClick(view, bad[0])
        editor = next(e for e in view.findChildren(QLineEdit) if e.isVisible())  # not the last one closed
        qtbot.keyClicks(editor, bad[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert editor.isVisible() and reason in editor.property("refused")
        assert reason in w.statusBar().currentMessage()
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        assert not editor.isVisible()
        assert w.session.report.cells["t2.penalty.decisions"] == 12


def test_paste_block_is_one_undoable_edit(window, qtbot):
    w = window()
    view = w.show_table("t3")
    view.setFocus()
    view.select_key("t3.new.natural_person")
    # a block copied from Excel: 2 rows × 6 applicant columns, CR LF line ends, a full-width digit
    QGuiApplication.clipboard().setText("57\t6\t0\t1\t4\t２\r\n3\t1\t0\t0\t0\t0\r\n")
    qtbot.keyClick(view, "v", Qt.KeyboardModifier.ControlModifier)
    cells = w.session.report.cells
    assert cells["t3.new.other_org"] == 2 and cells["t3.carried_in.commercial"] == 1
    assert cells["t3.new.total"] == 70 and cells["t3.carried_in.total"] == 4
    assert "已粘贴 12 个单元格" in w.statusBar().currentMessage()
    assert w.session.stack.count() == 1
    w.undo_action.trigger()
    assert cells.get("t3.new.natural_person") is None and cells.get("t3.new.total") is None
    w.redo_action.trigger()
    assert cells["t3.new.total"] == 70
    # a block with one bad value pastes nothing and says where
    view.select_key("t3.result.granted.natural_person")
    assert not view.paste_text("1\t2\tx3\n")
    assert "第1行第3个值" in w.statusBar().currentMessage() and cells.get("t3.result.granted.natural_person") is None


def test_delete_clears_and_autofill_switch(window, qtbot):
    w = window()
    view = w.show_table("t4")
    type_into(qtbot, view, "t4.review.upheld", "2")
    assert w.session.report.cells["t4.review.total"] == 2
    w.autofill_boxes["t4"].setChecked(False)
    type_into(qtbot, view, "t4.review.pending", "1")
    assert w.session.report.cells["t4.review.total"] == 2 and "t4.total" in rules(w)
    assert w.findChild(QCheckBox, "autofill.t4") is w.autofill_boxes["t4"]
    w.recompute_totals("t4")
    assert w.session.report.cells["t4.review.total"] == 3 and "t4.total" not in rules(w)
    view.select_key("t4.review.upheld")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "t4.review.upheld" not in w.session.report.cells


def test_imported_totals_are_never_overwritten(window, data_dir):
    w = window(data_dir / "sample-2025-faulty.govreport")
    assert w.session.report.cells["t4.review.total"] == 5  # as typed in the file, flagged not fixed
    assert "t4.total" in rules(w)


def test_clicking_a_finding_selects_its_cell(window, qtbot, data_dir):
    w = window(data_dir / "sample-2025-faulty.govreport")
    click_finding(qtbot, w, "t4.total")
    view = w.views["t4"]
    assert w.tabs.currentWidget() is view.parentWidget()
    assert view.model().key_for_index(view.currentIndex()) == "t4.review.total"


def test_waive_a_warning_with_a_reason(window, qtbot, data_dir, monkeypatch):
    w = window(data_dir / "sample-2025-faulty.govreport")
    model = w.findings_model
    row = next(i for i in range(model.rowCount()) if model.finding(i).rule == "n.figure")
    w.findings_view.setCurrentIndex(model.index(row))
    monkeypatch.setattr(Dialogs, "waiver_reason", classmethod(lambda cls, parent, msg: "正文数字含已撤回申请"))
    w.waive_button.click()
    f = next(f for f in w.session.findings if f.rule == "n.figure")
    assert f.waived == "正文数字含已撤回申请" and "提醒 0 个" in w.counts_label.text()
    w.undo_action.trigger()
    assert next(f for f in w.session.findings if f.rule == "n.figure").waived is None


def test_modified_mark_save_and_reopen(window, qtbot, tmp_path, monkeypatch, data_dir):
    w = window(data_dir / "sample-2025.govreport")
    assert not w.isWindowModified()
    type_into(qtbot, w.views["t2"], "t2.coercion.decisions", "30")
    assert w.isWindowModified()
    w.undo_action.trigger()
    assert not w.isWindowModified()  # back at the clean state
    w.redo_action.trigger()
    out = tmp_path / "saved.govreport"
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, parent, suggested: str(out)))
    assert w.save_as()
    assert not w.isWindowModified() and json.loads(out.read_text("utf-8"))["cells"]["t2.coercion.decisions"] == 30
    w2 = window(out)
    assert w2.session.report.cells["t2.coercion.decisions"] == 30
    assert w2.session.report.fingerprint() == native.load(out).fingerprint()


def test_save_as_names_a_report_without_agency_or_year_plainly(window, monkeypatch):
    """It proposed 报告年政府信息公开工作年度报告 (a placeholder and a 年 with no year)."""
    suggested: list[str] = []
    monkeypatch.setattr(Dialogs, "save_path", classmethod(lambda cls, parent, s: suggested.append(s)))
    w = window()
    w.session.report.meta.agency, w.session.report.meta.year = "", None
    w.save_as()
    w.session.report.meta.year = 2025
    w.save_as()
    assert [Path(s).name for s in suggested] == ["政府信息公开工作年度报告.govreport", "2025年政府信息公开工作年度报告.govreport"]


def test_close_asks_to_save(window, qtbot, monkeypatch):
    w = window()
    type_into(qtbot, w.views["t2"], "t2.coercion.decisions", "3")
    asked = []
    monkeypatch.setattr(Dialogs, "ask_save", classmethod(lambda cls, parent, name: asked.append(name) or "cancel"))
    assert not w.close()
    assert w.isVisible() and asked == ["未命名报告"]
    monkeypatch.setattr(Dialogs, "ask_save", classmethod(lambda cls, parent, name: "discard"))
    assert w.close()


def test_recover_after_a_simulated_crash(window, qtbot, monkeypatch, data_dir):
    w = window(data_dir / "sample-2025.govreport")
    type_into(qtbot, w.views["t2"], "t2.coercion.decisions", "99")
    w.autosave()
    w.recovery.flush()  # written on the recovery thread
    assert w.recovery.path.exists()
    w.recovery.lock.unlock()  # the process "died": its lock is gone, its recovery file stays
    w.session.stack.setClean()
    w.recovery.path, crashed = w.recovery.path.with_name("gone.govreport"), w.recovery.path
    w.close()
    assert crashed.exists()
    offered = []
    monkeypatch.setattr(Dialogs, "ask_restore", classmethod(lambda cls, parent, text: offered.append(text) or True))
    w2 = window()
    assert w2.offer_recovery()
    assert "sample-2025.govreport" in offered[0]
    assert w2.session.report.cells["t2.coercion.decisions"] == 99
    assert w2.session.path == data_dir / "sample-2025.govreport" and w2.isWindowModified()
    assert not crashed.exists()


def test_recent_files_and_broken_file_message(window, qtbot, tmp_path, monkeypatch, data_dir):
    w = window(data_dir / "sample-2025.govreport")
    bad = tmp_path / "bad.govreport"
    bad.write_text("{", encoding="utf-8")
    errors = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, parent, text: errors.append(text)))
    assert not w.open_path(bad, confirm=False)
    assert "已损坏" in errors[0] and w.session.path == data_dir / "sample-2025.govreport"
    w._fill_recent()
    assert f"&1 {data_dir / 'sample-2025.govreport'}" in [a.text() for a in w.recent_menu.actions()]
    QApplication.processEvents()


def test_unexpected_errors_are_logged_not_shown(isolated_settings, monkeypatch):
    import sys

    from govreport_gui.app import install_error_handler

    shown = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, parent, text: shown.append(text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_handler()
    try:
        raise KeyError("t9.bad")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert "意外问题（KeyError）" in shown[0] and "Traceback" not in shown[0]
    assert "KeyError: 't9.bad'" in (isolated_settings / "errors.log").read_text(encoding="utf-8")


def test_typing_overwrites_a_filled_cell(window, qtbot, data_dir):
    w = window(data_dir / "sample-2025.govreport")
    assert w.session.report.cells["t2.penalty.decisions"] == 342
    type_into(qtbot, w.views["t2"], "t2.penalty.decisions", "5")
    assert w.session.report.cells["t2.penalty.decisions"] == 5  # replaced, not 3425
