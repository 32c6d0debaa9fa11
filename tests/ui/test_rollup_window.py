"""The roll-up window: add a folder (and drop files), statuses, the problems filter, sorting,
opening a unit (its file untouched), exporting the sum and the 汇总 workbook."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton

from govreport_gui.report import native
from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.rollup.rollup_model import STATUS
from govreport_gui.ui.rollup.rollup_window import RollupDialogs, RollupWindow


def _folder(tmp_path, data_dir, faulty):
    src = tmp_path / "units"
    (src / "街道").mkdir(parents=True)
    shutil.copy(data_dir / "sample-2025.govreport", src / "a.govreport")
    faulty.meta.agency = "乙局"
    native.save(faulty, src / "街道" / "b.govreport")
    (src / "街道" / "c.docx").write_bytes(b"broken")
    return src


def _open_rollup(qtbot, window, monkeypatch, folder):
    w = window()
    action = next(a for a in w.file_menu.actions() if a.text().startswith("汇总多个单位"))
    action.trigger()
    rollup = w.findChild(RollupWindow)
    assert rollup is not None and rollup.isVisible()
    monkeypatch.setattr(RollupDialogs, "pick_folder", classmethod(lambda cls, parent: str(folder)))
    with qtbot.waitSignal(rollup.finished, timeout=10_000):
        qtbot.mouseClick(rollup.findChild(QPushButton, "rollup.add_folder"), Qt.MouseButton.LeftButton)
    return w, rollup


def _statuses(rollup):
    p = rollup.proxy
    return [p.data(p.index(r, STATUS)) for r in range(p.rowCount())]


def test_add_folder_then_open_a_unit(qtbot, window, monkeypatch, tmp_path, data_dir, faulty, sample):
    folder = _folder(tmp_path, data_dir, faulty)
    before = (folder / "a.govreport").read_bytes()
    main, rollup = _open_rollup(qtbot, window, monkeypatch, folder)
    assert sorted(_statuses(rollup)) == sorted(["通过", "有错误", "无法读取"])
    assert "共3个文件" in rollup.hint.text() and "汇总2个单位" in rollup.hint.text()
    bg = rollup.proxy.data(rollup.proxy.index(_statuses(rollup).index("有错误"), STATUS), Qt.ItemDataRole.BackgroundRole)
    assert bg.color().name() == "#ffc7ce"

    rollup.view.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)  # worst first
    assert _statuses(rollup) == ["无法读取", "有错误", "通过"]
    rollup.only_problems.setChecked(True)
    assert _statuses(rollup) == ["无法读取", "有错误"]
    rollup.only_problems.setChecked(False)

    row = _statuses(rollup).index("通过")
    rect = rollup.view.visualRect(rollup.proxy.index(row, 1))
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
    qtbot.mouseClick(rollup.export_report_button, Qt.MouseButton.LeftButton)
    total = native.load(out)
    assert total.meta.agency == "示例区" and total.value("t3.new.total") > 0
    book = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(book)))
    qtbot.mouseClick(rollup.export_book_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    assert load_workbook(book).sheetnames[:2] == ["单位一览", "问题清单"]
    template = tmp_path / "模板"  # the office sends the template out; the suffix is added
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, parent, name, flt: str(template)))
    qtbot.mouseClick(rollup.findChild(QPushButton, "rollup.export_template"), Qt.MouseButton.LeftButton)
    assert load_workbook(tmp_path / "模板.xlsx")["表三"].protection.sheet
    assert "已导出填报模板" in rollup.hint.text()
