"""表三 → 从台账计算…: comparison, drill-down without names, problems, apply as one edit, undo."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPlainTextEdit, QPushButton, QTableView

from govreport_gui.ui.register.register_dialog import DIFF_BG, RegisterDialogs
from tests.readers.register_builders import SECRET_NAMES, generate, write_xlsx


def _menu_action(w, menu_title: str, text: str):
    for menu_action in w.menuBar().actions():
        if menu_action.text() == menu_title:
            for act in menu_action.menu().actions():
                if re.sub(r"\(&\w\)", "", act.text()) == text:  # the access letter aside
                    return act
    raise AssertionError(f"no {menu_title} → {text}")


def test_apply_register_to_table_three_and_undo(window, data_dir, qtbot, tmp_path, monkeypatch):
    rows, expected = generate(2025, 400, seed=5)
    rows.append(("BAD-1", "2025-05-05", "赵某", "", "内容", "予以公开", "2025-05-06", "否", ""))  # no applicant type
    reg = write_xlsx(tmp_path / "台账.xlsx", rows)
    w = window(data_dir / "sample-2025.govreport")
    report = w.session.report
    ed = w.findChild(QPlainTextEdit, "editor.s6")
    w.session.set_section("s6", [*report.sections["s6"], "全年收到申请{{fig:new}}件。"])
    before = {k: report.cells.get(k) for k in report.schema.cells}
    assert ed.toPlainText().endswith(f"全年收到申请{report.value('t3.new.total')}件。")
    seen: dict[str, object] = {}

    def review(dialog) -> bool:
        computed = dialog.findChild(QTableView, "register.computed")
        model = computed.model()
        col_total = model.cols.index("total")
        row_new = model.rows.index("new")
        idx = model.index(row_new, col_total)
        assert idx.data() == str(expected["t3.new.total"])
        assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == DIFF_BG  # the sample's figures differ
        computed.setCurrentIndex(idx)  # drill down: the register rows behind 本年新收·总计
        rows_model = dialog.findChild(QTableView, "register.rows").model()
        assert rows_model.rowCount() == expected["t3.new.total"]
        shown = " ".join(rows_model.index(r, c).data() or "" for r in range(rows_model.rowCount()) for c in range(6))
        assert "YS-" in shown and not any(n in shown for n in SECRET_NAMES)
        problems = dialog.findChild(QTableView, "register.problems").model()
        assert problems.rowCount() == 1 and problems.index(0, 1).data() == str(len(rows) + 3)
        assert "缺少申请人类型" in problems.index(0, 2).data()
        seen["summary"] = dialog.findChild(QLabel, "register.summary").text()
        seen["deadlines"] = dialog.findChild(QTableView, "register.deadlines").model().rowCount()
        return True

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    steps = w.session.stack.count()
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()

    assert "1 行有问题未计入" in str(seen["summary"]) and int(seen["deadlines"]) >= 0
    assert w.session.stack.count() == steps + 1  # one undoable step
    t3 = [k for k in report.schema.cells if k.startswith("t3.")]
    assert all(report.cells[k] == expected.get(k, 0) for k in t3)
    assert report.register is not None and report.register.file == "台账.xlsx"
    assert not [f for f in w.session.findings if f.rule.startswith("t3.")]
    assert ed.toPlainText().endswith(f"全年收到申请{expected['t3.new.total']}件。")  # live figure followed
    grid = w.models["t3"]
    assert grid.data(grid.index_for_key("t3.new.total")) == str(expected["t3.new.total"])
    tip = grid.data(grid.index_for_key("t3.new.total"), Qt.ItemDataRole.ToolTipRole)
    assert f"台账“台账.xlsx”：{expected['t3.new.total']} 件（编号 YS-" in tip  # the 编号 stay with the report
    assert w.isWindowModified()

    w.undo_action.trigger()
    assert {k: report.cells.get(k) for k in report.schema.cells} == before
    assert report.register is None
    assert ed.toPlainText().endswith(f"全年收到申请{before['t3.new.total']}件。")
    w.redo_action.trigger()
    assert report.cells["t3.new.total"] == expected["t3.new.total"] and report.register is not None


def test_unmatched_headers_get_a_mapping_step(window, data_dir, tmp_path, monkeypatch):
    reg = write_xlsx(tmp_path / "m.xlsx", [("A", "2025-03-04", "公民", "予以公开", "2025-03-20")],
                     header=("编号", "来件日期", "申请人类型", "办理结果", "办结日期"))
    w = window(data_dir / "sample-2025.govreport")
    asked: list[list[str]] = []

    def map_columns(cls, parent, err):
        from govreport_gui.ui.register.register_dialog import ColumnMapDialog

        dialog = ColumnMapDialog(err, parent)
        box = dialog.findChild(QComboBox, "map.received")
        asked.append([box.itemText(i) for i in range(box.count())])
        box.setCurrentText("来件日期")
        mapping = dialog.mapping()
        dialog.deleteLater()
        return mapping

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "map_columns", classmethod(map_columns))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: True))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert "来件日期" in asked[0]
    assert w.session.report.cells["t3.new.total"] == 1 and w.session.report.cells["t3.result.granted.natural_person"] == 1


def test_a_separate_case_list_gives_table_four(window, data_dir, tmp_path, monkeypatch):
    reg = write_xlsx(tmp_path / "r.xlsx", [("A", "2025-03-04", "x", "公民", "", "予以公开", "2025-03-20", "否", "")])
    cases = tmp_path / "案件.csv"
    cases.write_text("案号,类型,结果\n复1,行政复议,维持\n诉1,复议后起诉,纠正\n", encoding="utf-8")
    w = window(data_dir / "sample-2025.govreport")

    def review(dialog) -> bool:
        summary = dialog.findChild(QLabel, "register.summary")
        assert "表四不变" in summary.text()
        dialog.findChild(QPushButton, "register.cases").click()
        assert "表四（由案件清单计算）改变" in summary.text()
        return True

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "cases_path", classmethod(lambda cls, *a: str(cases)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    cells = w.session.report.cells
    assert (cells["t4.review.upheld"], cells["t4.review.total"], cells["t4.suit_after_review.corrected"]) == (1, 1, 1)
    w.undo_action.trigger()
    assert cells["t4.review.total"] == 4  # the sample's own figure is back


def _carried_report(data_dir, tmp_path):
    """This year's report carried from last year's: 上年结转 = last year's 结转下年度."""
    from govreport_gui.report import native
    from govreport_gui.report.carry import carry_forward

    last = native.load(data_dir / "sample-2025.govreport")
    report = carry_forward(last)
    path = tmp_path / "2026.govreport"
    native.save(report, path)
    return path, last


def test_a_register_begun_this_year_keeps_last_years_carry_over_by_choice(window, data_dir, tmp_path, monkeypatch):
    path, last = _carried_report(data_dir, tmp_path)
    reg = write_xlsx(tmp_path / "r.xlsx", [  # begun in 2026: nothing carried in from 2025
        ("N1", "2026-03-04", "x", "公民", "", "予以公开", "2026-03-20", "否", ""),
        ("N2", "2026-03-05", "x", "企业", "", "", None, "否", "")], title=None)
    w = window(path)
    report = w.session.report
    last_out = int(last.value("t3.carried_out.total"))
    assert last_out > 0 and report.value("t3.carried_in.total") == last_out
    asked: list[str] = []

    def review(dialog) -> bool:
        assert f"台账的上年结转 0 件与上年报告的结转下年度 {last_out} 件不一致" in dialog.findChild(QLabel, "register.summary").text()
        dialog.findChild(QPushButton, "register.apply").click()  # the question comes before applying
        return QDialog.result(dialog) == QDialog.DialogCode.Accepted  # (the dialog's own .result is the count)

    def carry_choice(cls, parent, text, keep, take):
        asked.append(text)
        assert f"保留上年结转（{last_out}）" in keep and "采用台账的上年结转（0）" in take
        return "keep"

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "carry_choice", classmethod(carry_choice))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    steps = w.session.stack.count()
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert len(asked) == 1 and "台账从今年才开始登记" in asked[0]
    assert w.session.stack.count() == steps + 1
    assert report.value("t3.carried_in.total") == last_out  # kept
    assert report.value("t3.new.total") == 2 and report.value("t3.carried_out.commercial") == 1
    assert report.register is not None and not report.register.ids("t3.carried_in.total")
    w.undo_action.trigger()  # one step undoes all of it
    assert report.value("t3.carried_in.total") == last_out and report.register is None
    assert report.value("t3.new.total") == 0  # a carried report starts its counts empty

    # the other answer takes the register's 上年结转 (0), in one step too
    monkeypatch.setattr(RegisterDialogs, "carry_choice", classmethod(lambda cls, *a: "register"))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert report.value("t3.carried_in.total") == 0 and report.value("t3.new.total") == 2
    w.undo_action.trigger()
    assert report.value("t3.carried_in.total") == last_out

    # cancelling the question applies nothing
    monkeypatch.setattr(RegisterDialogs, "carry_choice", classmethod(lambda cls, *a: None))
    steps = w.session.stack.count()
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert w.session.stack.count() == steps and report.value("t3.carried_in.total") == last_out


def test_drill_down_shows_register_rows_and_long_labels_whole(window, data_dir, tmp_path, monkeypatch):
    rows = [(f"R{i}", "2025-03-04", "x", "公民", "", "不予处理—要求行政机关确认或重新出具已获取信息", "2025-03-10", "否", "")
            for i in range(3)]
    reg = write_xlsx(tmp_path / "r.xlsx", rows)
    w = window(data_dir / "sample-2025.govreport")

    def review(dialog) -> bool:
        computed = dialog.findChild(QTableView, "register.computed")
        model = computed.model()
        idx = model.index(model.rows.index("result.not_processed.confirm_reissue"), model.cols.index("natural_person"))
        computed.setCurrentIndex(idx)
        view = dialog.findChild(QTableView, "register.rows")
        rows_model = view.model()
        assert rows_model.rowCount() == 3 and rows_model.index(0, 1).data() == "“台账”第4行"
        metrics = view.fontMetrics()
        for col in (1, 5):  # 台账行 and 办理结果 as wide as their text
            text = rows_model.index(0, col).data()
            assert view.columnWidth(col) >= metrics.horizontalAdvance(text), (col, text)
        assert rows_model.index(0, 5).data() == "不予处理·要求行政机关确认或重新出具已获取信息"
        return False

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()


DIALOG_SCRIPT = """
import json, sys
from PySide6.QtWidgets import QApplication, QPushButton
from govreport_gui.app import build_window
from govreport_gui.readers.register import read_register
from govreport_gui.report.register_count import count
from govreport_gui.ui.register.register_dialog import RegisterDialog
w = build_window(sys.argv[1]); w.show(); QApplication.processEvents()
register = read_register(sys.argv[2])
d = RegisterDialog(w.session.report, register, count(register, 2025), w)
d.show(); QApplication.processEvents()
a, f = d.screen().availableGeometry(), d.frameGeometry()
buttons = []
for b in d.findChildren(QPushButton):
    p = b.mapToGlobal(b.rect().bottomRight())
    buttons.append([b.text(), p.x(), p.y()])
print(json.dumps({"available": [a.x(), a.y(), a.width(), a.height()], "frame": [f.x(), f.y(), f.width(), f.height()],
                  "buttons": buttons}))
d.close(); w.session.stack.setClean(); w.close()
"""


def test_register_dialog_fits_a_1366x768_screen(data_dir, tmp_path):
    import json
    import os
    import subprocess
    import sys

    reg = write_xlsx(tmp_path / "r.xlsx", generate(2025, 50, seed=3)[0])
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screens}", XDG_CONFIG_HOME=str(tmp_path),
               GOVREPORT_HOME=str(tmp_path), HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", DIALOG_SCRIPT, str(data_dir / "sample-2025.govreport"), str(reg)],
                         env=env, capture_output=True, text=True, timeout=120, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = got["available"]
    fx, fy, fw, fh = got["frame"]
    assert (aw, ah) == (1366, 768)
    assert ax <= fx and ay + 32 <= fy + 32 and fx + fw <= ax + aw and fy + fh <= ay + ah, got  # room for a title bar
    assert fh <= 0.9 * ah
    texts = {t for t, _, _ in got["buttons"]}
    assert {"应用到报告（可撤销）", "关闭"} <= texts
    for text, x, y in got["buttons"]:
        assert ax < x <= ax + aw and ay < y <= ay + ah, (text, x, y, got)


def test_shortened_wordings_and_an_ods_register_through_the_window(window, data_dir, tmp_path, monkeypatch):
    """Issue 18: the first clauses real registers write are counted; a text that fits two rows is
    listed as a problem. The register is an .ods (issue 22), written here without LibreOffice."""
    import zipfile

    def cell(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    rows = [("编号", "收到日期", "申请人类型", "办理结果", "办结日期"),
            ("W1", "2025-03-04", "公民", "其他处理—申请人无正当理由逾期不补正", "2025-03-20"),
            ("W2", "2025-03-04", "公民", "申请人逾期未按收费通知要求缴纳费用", "2025-03-20"),
            ("W3", "2025-03-04", "企业", "无法提供—本机关不掌握", "2025-03-20"),
            ("W4", "2025-03-04", "企业", "申请人", "2025-03-20")]
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    reg = tmp_path / "台账.ods"
    with zipfile.ZipFile(reg, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<office:document-content><office:body><office:spreadsheet><table:table table:name="台账">'
                                  + body + "</table:table></office:spreadsheet></office:body></office:document-content>")
    w = window(data_dir / "sample-2025.govreport")
    seen: dict[str, str] = {}

    def review(dialog) -> bool:
        problems = dialog.findChild(QTableView, "register.problems").model()
        seen["problem"] = problems.index(0, 2).data()
        return True

    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: str(reg)))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: review(d)))
    _menu_action(w, "表三(&T)", "从台账计算…").trigger()
    assert "可能是“其他处理·逾期不补正”“其他处理·逾期未缴纳费用”" in seen["problem"]
    cells = w.session.report.cells
    assert cells["t3.result.other.no_correction.natural_person"] == 1
    assert cells["t3.result.other.fee_unpaid.natural_person"] == 1
    assert cells["t3.result.unable.not_held.commercial"] == 1 and cells["t3.new.total"] == 3


def test_a_register_dropped_on_the_window_is_counted(window, data_dir, tmp_path, monkeypatch):
    """.xls/.et/.ods/.csv are only ever registers: dropped on the window they go to 从台账计算."""
    from tests.ui.test_drops import drop

    reg = tmp_path / "台账.csv"
    reg.write_text("编号,收到日期,申请人类型,办理结果,办结日期\nD1,2025-03-04,公民,予以公开,2025-03-10\n", encoding="gbk")
    w = window(data_dir / "sample-2025.govreport")
    asked: list[str] = []
    monkeypatch.setattr(RegisterDialogs, "register_path", classmethod(lambda cls, *a: asked.append("picker")))
    monkeypatch.setattr(RegisterDialogs, "review", classmethod(lambda cls, d: True))
    assert drop(w, reg)
    assert asked == [] and w.session.report.cells["t3.new.total"] == 1
    assert w.session.report.register is not None and w.session.report.register.file == "台账.csv"
