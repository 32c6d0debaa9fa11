"""The roll-up window: add a folder (and drop files), statuses, the problems filter, sorting,
opening a unit (its file untouched), copies and conflicts (the clerk picks), the area's own report,
the 研判指标 columns and chart, reading in processes with cancel, exporting the sum and the workbook."""

from __future__ import annotations

import os
import shutil
import sys
from decimal import Decimal

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton

from govreport_gui.readers import rollup_sources
from govreport_gui.report import native
from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.rollup.rollup_model import COLUMNS, SOURCE, STATUS
from govreport_gui.ui.rollup.rollup_window import RollupDialogs, RollupWindow


def _folder(tmp_path, data_dir, faulty):
    src = tmp_path / "units"
    (src / "街道").mkdir(parents=True)
    shutil.copy(data_dir / "sample-2025.govreport", src / "a.govreport")
    faulty.meta.agency = "乙局"
    native.save(faulty, src / "街道" / "b.govreport")
    (src / "街道" / "c.docx").write_bytes(b"broken")
    return src


def _unit(sample, folder, name, agency, factor=1, level="department"):
    r = native.from_dict(native.to_dict(sample))
    r.meta.agency, r.meta.level = agency, level
    r.cells = {k: v * factor if isinstance(v, (int, Decimal)) else v for k, v in r.cells.items()}
    folder.mkdir(parents=True, exist_ok=True)
    native.save(r, folder / name)
    return r


def _open_rollup(qtbot, window, monkeypatch, folder):
    w = window()
    action = next(a for a in w.file_menu.actions() if a.text().startswith("汇总多个单位"))
    action.trigger()
    rollup = w.findChild(RollupWindow)
    assert rollup is not None and rollup.isVisible()
    monkeypatch.setattr(RollupDialogs, "pick_folder", classmethod(lambda cls, parent: str(folder)))
    with qtbot.waitSignal(rollup.finished, timeout=20_000):
        qtbot.mouseClick(rollup.findChild(QPushButton, "rollup.add_folder"), Qt.MouseButton.LeftButton)
    return w, rollup


def _column(rollup, col):
    """The column's texts of the rows shown, top to bottom."""
    m = rollup.model
    return [m.data(m.index(r, col)) for r in range(m.rowCount()) if not rollup.view.isRowHidden(r)]


def _statuses(rollup):
    return _column(rollup, STATUS)


def _click_row(qtbot, rollup, row, col=1):
    rect = rollup.view.visualRect(rollup.model.index(row, col))
    qtbot.mouseClick(rollup.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _row_of(rollup, name):
    return next(r for r in range(rollup.model.rowCount()) if rollup.model.unit(r).source.endswith(name))


def test_add_folder_then_open_a_unit(qtbot, window, monkeypatch, tmp_path, data_dir, faulty, sample):
    folder = _folder(tmp_path, data_dir, faulty)
    before = (folder / "a.govreport").read_bytes()
    main, rollup = _open_rollup(qtbot, window, monkeypatch, folder)
    assert sorted(_statuses(rollup)) == sorted(["通过", "有错误", "无法读取"])
    assert "共3个文件" in rollup.hint.text() and "汇总2个单位" in rollup.hint.text()
    bg = rollup.model.data(rollup.model.index(_statuses(rollup).index("有错误"), STATUS), Qt.ItemDataRole.BackgroundRole)
    assert bg.color().name() == "#ffc7ce"

    rollup.view.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)  # worst first
    assert _statuses(rollup) == ["无法读取", "有错误", "通过"]
    rollup.only_problems.setChecked(True)
    assert _statuses(rollup) == ["无法读取", "有错误"]
    rollup.only_problems.setChecked(False)

    row = _statuses(rollup).index("通过")
    rect = rollup.view.visualRect(rollup.model.index(row, 1))
    qtbot.mouseClick(rollup.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt wants the press first
    qtbot.mouseDClick(rollup.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = rollup.opened[-1]
    qtbot.waitExposed(opened)
    assert opened is not main and opened.session.path is None  # saving asks for a new file
    assert opened.session.report.cells == sample.cells
    assert "原文件不会被修改" in opened.notes.text()
    opened.session.stack.setClean()
    opened.close()
    assert (folder / "a.govreport").read_bytes() == before


def test_drop_files_cancel_and_export(qtbot, window, monkeypatch, tmp_path, data_dir, faulty):
    folder = _folder(tmp_path, data_dir, faulty)
    main, rollup = _open_rollup(qtbot, window, monkeypatch, folder / "街道")
    assert len(rollup.units) == 2
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "a.govreport")), QUrl.fromLocalFile(str(folder / "街道" / "b.govreport"))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(50, 50), *args)
    rollup.dragEnterEvent(enter)  # Qt routes a drop to the widget that accepted the drag (no real drag offscreen)
    assert enter.isAccepted()
    with qtbot.waitSignal(rollup.finished, timeout=10_000):
        rollup.dropEvent(QDropEvent(QPointF(50, 50), *args))
    assert len(rollup.units) == 3  # b.govreport was already there: read once

    rollup.add_paths([folder / f"copy{i}.govreport" for i in range(3)])  # missing files, queued
    rollup.cancel()
    assert len(rollup.units) == 3 and "已取消" in rollup.hint.text()

    out = tmp_path / "sum.govreport"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(out)))
    rollup.agency.setText("示例区")
    rollup.agency.editingFinished.emit()
    summary = rollup.hint.text()
    qtbot.mouseClick(rollup.export_report_button, Qt.MouseButton.LeftButton)
    total = native.load(out)
    assert total.meta.agency == "示例区" and total.value("t3.new.total") > 0
    book = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(book)))
    qtbot.mouseClick(rollup.export_book_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    wb = load_workbook(book)
    assert wb.sheetnames[:2] == ["单位一览", "问题清单"]
    assert "汇总机关：示例区" in wb["单位一览"].cell(2, 1).value  # the name typed in the window
    assert rollup.hint.text() == summary and "已导出汇总工作簿" in rollup.statusBar().currentMessage()
    template = tmp_path / "模板"  # the office sends the template out; the suffix is added
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(template)))
    qtbot.mouseClick(rollup.findChild(QPushButton, "rollup.export_template"), Qt.MouseButton.LeftButton)
    assert load_workbook(tmp_path / "模板.xlsx")["表三"].protection.sheet
    assert "已导出填报模板" in rollup.statusBar().currentMessage()
    with qtbot.waitSignal(rollup.finished, timeout=10_000):
        rollup.add_paths([folder / "missing.govreport"])  # a new action: the export's line no longer applies
    assert rollup.statusBar().currentMessage() == ""


def test_a_copy_is_left_out_and_the_clerk_picks_between_conflicting_reports(qtbot, window, monkeypatch, tmp_path,
                                                                              sample):
    src = tmp_path / "units"
    edu = _unit(sample, src, "教育局.govreport", "教育局")
    shutil.copy(src / "教育局.govreport", src / "教育局-重新发送.govreport")
    _unit(sample, src, "乙局-初稿.govreport", "乙局", factor=2)
    final = _unit(sample, src, "乙局-定稿.govreport", "乙局", factor=3)
    main, rollup = _open_rollup(qtbot, window, monkeypatch, src)
    by_file = dict(zip(_column(rollup, SOURCE), _statuses(rollup)))
    status = {k.split("/")[-1]: v for k, v in by_file.items()}
    assert status["教育局-重新发送.govreport"] == "重复" and status["教育局.govreport"] == "通过"
    assert status["乙局-初稿.govreport"] == status["乙局-定稿.govreport"] == "冲突"
    assert "汇总1个单位" in rollup.hint.text() and "冲突：乙局" in rollup.hint.text()  # the header counts summed units
    assert rollup.result.total.value("t3.new.total") == edu.value("t3.new.total")

    row = _row_of(rollup, "乙局-定稿.govreport")
    _click_row(qtbot, rollup, row)
    assert rollup.prefer_button.isEnabled()
    qtbot.mouseClick(rollup.prefer_button, Qt.MouseButton.LeftButton)
    status = {u.source.split("/")[-1]: u.status for u in rollup.units}
    assert status["乙局-初稿.govreport"] == "excluded" and status["乙局-定稿.govreport"] in ("ok", "warnings")
    assert "汇总2个单位" in rollup.hint.text() and "冲突" not in rollup.hint.text()
    assert rollup.result.total.value("t3.new.total") == edu.value("t3.new.total") + final.value("t3.new.total")
    first = _row_of(rollup, "乙局-初稿.govreport")  # changing one's mind: the other one
    _click_row(qtbot, rollup, first)
    qtbot.mouseClick(rollup.prefer_button, Qt.MouseButton.LeftButton)
    assert rollup.result.total.value("t3.new.total") == 3 * edu.value("t3.new.total")

    book = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(book)))
    qtbot.mouseClick(rollup.export_book_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    units = load_workbook(book)["单位一览"]
    statuses = {r[-2]: r[2] for r in units.iter_rows(min_row=5, values_only=True) if r[0]}
    assert statuses == {"教育局.govreport": "通过", "教育局-重新发送.govreport": "重复",
                        "乙局-初稿.govreport": statuses["乙局-初稿.govreport"], "乙局-定稿.govreport": "未计入"}


def test_indicator_columns_sort_and_mark_and_the_chart_shows_them(qtbot, window, monkeypatch, tmp_path, sample):
    src = tmp_path / "units"
    for i, granted in enumerate((10, 60, 30)):  # 实质公开率 with 办结 held at 69
        r = _unit(sample, src, f"{i}.govreport", f"第{i}局")
        r.cells["t3.result.granted.total"] = granted
        r.cells["t3.result.partial.total"] = 0
        native.save(r, src / f"{i}.govreport")
    few = _unit(sample, src, "few.govreport", "小局")
    few.cells = {k: v for k, v in few.cells.items() if not k.startswith("t3.")}  # no applications
    native.save(few, src / "few.govreport")
    main, rollup = _open_rollup(qtbot, window, monkeypatch, src)
    col = COLUMNS.index("实质公开率")
    header = rollup.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(col) + 10, header.height() // 2))
    shown = _column(rollup, col)
    order = rollup.view.horizontalHeader().sortIndicatorOrder()
    judged = ["14.5%", "43.5%", "87.0%"]
    assert shown == (judged if order == Qt.SortOrder.AscendingOrder else judged[::-1]) + ["—"]  # not judged last
    low = shown.index("14.5%")
    assert rollup.model.data(rollup.model.index(low, col), Qt.ItemDataRole.BackgroundRole).color().name() == "#ffc7ce"
    assert rollup.model.data(rollup.model.index(shown.index("87.0%"), col), Qt.ItemDataRole.BackgroundRole) is None
    assert "提示线" in rollup.model.data(rollup.model.index(low, col), Qt.ItemDataRole.ToolTipRole)

    rollup.tabs.setCurrentWidget(rollup.chart)
    chart = rollup.chart
    assert [name for name, _ in chart.bars.rows] == ["第1局", "第2局", "第0局"]  # largest first
    assert "3个单位，2个超出提示线" in chart.caption.text() and "另有1个单位办结不足10件" in chart.caption.text()
    image = chart.bars.grab().toImage()
    red = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
              if QColor(image.pixel(x, y)).name() == "#c00000")
    assert red > 20  # the two marked bars (and the threshold line) are painted red
    chart.picker.setCurrentIndex(chart.picker.findData("carried_out"))
    assert chart.bars.rows and "结转率" in chart.caption.text()


def test_the_areas_own_report_is_compared_and_can_be_unset(qtbot, window, monkeypatch, tmp_path, sample):
    src = tmp_path / "units"
    _unit(sample, src, "a.govreport", "某区教育局")
    _unit(sample, src, "b.govreport", "某区公安局", factor=2)
    own = _unit(sample, src, "p.govreport", "某区人民政府", factor=3, level="government")
    own.cells["t2.licensing.decisions"] += 5
    native.save(own, src / "p.govreport")
    main, rollup = _open_rollup(qtbot, window, monkeypatch, src)
    assert "本级" in _statuses(rollup) and "汇总2个单位" in rollup.hint.text()
    assert rollup.tabs.tabText(2) == "本级对照（1处不同）"
    assert "不作为错误" in rollup.parent_text.text() and rollup.parent_table.rowCount() == 1
    assert rollup.parent_table.item(0, 3).text() == "5"
    row = _row_of(rollup, "p.govreport")
    _click_row(qtbot, rollup, row)
    assert rollup.parent_button.text() == "不作为本级报告"
    qtbot.mouseClick(rollup.parent_button, Qt.MouseButton.LeftButton)
    assert "本级" not in _statuses(rollup) and "汇总3个单位" in rollup.hint.text()
    assert rollup.tabs.tabText(2) == "本级对照"
    roster = tmp_path / "名单.txt"
    roster.write_text("教育局\n公安局\n财政局\n", encoding="utf-8")
    monkeypatch.setattr(RollupDialogs, "pick_roster", classmethod(lambda cls, parent: str(roster)))
    row = _row_of(rollup, "p.govreport")
    _click_row(qtbot, rollup, row)
    qtbot.mouseClick(rollup.parent_button, Qt.MouseButton.LeftButton)  # the area's report again
    qtbot.mouseClick(rollup.findChild(QPushButton, "rollup.roster"), Qt.MouseButton.LeftButton)
    assert "应报未报1个：财政局" in rollup.hint.text() and "3个单位" in rollup.roster_label.text()
    assert rollup.parent_text.text().startswith("无法判断")


def test_many_files_are_read_by_processes_and_reading_can_be_cancelled(qtbot, tmp_path, sample, monkeypatch):
    src = tmp_path / "units"
    for i in range(150):
        _unit(sample, src / f"d{i % 4}", f"{i:03d}.govreport", f"第{i:03d}局", factor=1 + i % 3)
    here = RollupWindow(lambda report, source: None)
    qtbot.addWidget(here)
    here.workers = 1
    with qtbot.waitSignal(here.finished, timeout=60_000):
        here.add_paths([src])
    pool = RollupWindow(lambda report, source: None)
    qtbot.addWidget(pool)
    pool.workers = 2
    seen = []
    pool.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(pool.finished, timeout=120_000):
        pool.add_paths([src])
    assert [u.source for u in pool.units] == [u.source for u in here.units]
    assert pool.result.total.cells == here.result.total.cells and len(pool.result.summed) == 150
    assert len(set(seen)) >= 2  # the event loop turned while the processes read
    assert pool.worker_pids and os.getpid() not in pool.worker_pids and not pool.fell_back
    assert not here.worker_pids and not here.fell_back

    # small chunks: many rounds of work, so a busy machine cannot finish all 150 before the first
    # progress is seen (with 64 a file, two processes read 128 of them in their first round)
    monkeypatch.setattr(rollup_sources, "CHUNK", 5)
    stopped = RollupWindow(lambda report, source: None)
    qtbot.addWidget(stopped)
    stopped.workers = 2
    stopped.add_paths([src])
    qtbot.waitUntil(lambda: stopped.progress.value() > 0, timeout=120_000)
    stopped.cancel()
    assert 0 < len(stopped.units) < 150 and "已取消" in stopped.hint.text()
    assert stopped.result is not None and len(stopped.result.summed) == len(stopped.units)
    with qtbot.waitSignal(stopped.finished, timeout=120_000):
        stopped.add_paths([src])  # the files not read may be added again
    assert len(stopped.units) == 150


def test_govreport_gui_rollup_reads_the_folder_then_takes_its_picture(qtbot, tmp_path, data_dir, faulty, capsys,
                                                                      monkeypatch):
    """``govreport-gui --rollup FOLDER --screenshot PNG``: the roll-up window reads the folder (the
    installed builds' tests start their workers this way) and its picture is taken once all is read."""
    from govreport_gui import app

    src = _folder(tmp_path, data_dir, faulty)
    png = tmp_path / "rollup.png"
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own
    assert app.main(["--rollup", str(src), "--screenshot", str(png)]) == 0
    out = capsys.readouterr().out
    assert f"汇总窗口截图已保存到 {png}（3 个文件，由 1 个进程读取）" in out  # 3 files: read here
    assert png.stat().st_size > 0
