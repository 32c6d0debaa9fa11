"""文件 → 汇总多个单位…: add units' files and folders (also by drag and drop), see each unit's
status, open a unit's report (a copy: its file is never written), export the sum and the 汇总
workbook. Files are read in small time slices on the GUI thread, so the progress bar moves and
取消 works without a worker thread touching Qt objects."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...readers.rollup_sources import find_sources, load_unit, path_key
from ...report import native
from ...report.document import Report
from ...report.findings import summary
from ...report.rollup import STATUS_TEXT, MixedYears, RollUp, Unit, roll_up
from ..dialogs import Dialogs
from ..folders import remember, start_folder
from .rollup_model import ProblemFilter, RollupModel

SLICE_S = 0.05  # reading time per event-loop turn: the window stays responsive
SOURCES_FILTER = "所有支持的文件 (*.govreport *.docx *.xlsx *.html *.htm);;所有文件 (*)"


class RollupDialogs:
    """The roll-up window's file questions (classmethods so tests can replace them)."""

    @classmethod
    def pick_files(cls, parent: QWidget) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, "添加单位的报告", str(start_folder("rollup")), SOURCES_FILTER)
        return files

    @classmethod
    def pick_folder(cls, parent: QWidget) -> str | None:
        return QFileDialog.getExistingDirectory(parent, "添加文件夹（含子文件夹）", str(start_folder("rollup"))) or None


class RollupWindow(QMainWindow):
    """Signals: finished(): the queued files have been read (or reading was cancelled)."""

    finished = Signal()

    def __init__(self, open_unit: Callable[[Report, str], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rollup")
        self.setWindowTitle("汇总多个单位 — GovReport")
        self.setAcceptDrops(True)
        self.resize(1100, 600)
        self.open_unit = open_unit  # builds a report window for a unit (a copy, no file path)
        self.units: list[Unit] = []
        self.units_folder = start_folder("rollup")  # then the folder of the units last added
        self.result: RollUp | None = None
        self.opened: list[QWidget] = []
        self._seen: set[str] = set()
        self._queue: deque[Path] = deque()
        self._done = 0

        central = QWidget(self)
        column = QVBoxLayout(central)
        bar = QHBoxLayout()
        for text, slot, name in (("添加文件…", self.add_files, "rollup.add_files"),
                                 ("添加文件夹…", self.add_folder, "rollup.add_folder"),
                                 ("清空", self.clear, "rollup.clear")):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(QLabel("汇总机关名称"))
        self.agency = QLineEdit()
        self.agency.setObjectName("rollup.agency")
        self.agency.setPlaceholderText("如：某某区人民政府（汇总）")
        self.agency.editingFinished.connect(self.recompute)
        bar.addWidget(self.agency, 1)
        bar.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setObjectName("rollup.year")
        self.year.setRange(1999, 2100)
        self.year.setSpecialValueText("自动")  # 1999: take the units' one year
        self.year.setValue(1999)
        self.year.valueChanged.connect(self.recompute)
        bar.addWidget(self.year)
        self.only_problems = QCheckBox("只显示有问题的单位")
        self.only_problems.setObjectName("rollup.only_problems")
        bar.addWidget(self.only_problems)
        column.addLayout(bar)

        self.hint = QLabel("把单位报告文件或文件夹拖到这里，或用“添加文件…”“添加文件夹…”（.govreport、.docx、.xlsx、.html）")
        self.hint.setObjectName("rollup.summary")
        self.hint.setWordWrap(True)
        column.addWidget(self.hint)

        self.model = RollupModel(self)
        self.proxy = ProblemFilter(self)
        self.proxy.setSourceModel(self.model)
        self.only_problems.toggled.connect(self.proxy.set_only_problems)
        self.view = QTableView()
        self.view.setObjectName("rollup.units")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by status: unreadable and errors first
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((70, 220, 50, 40, 40, 120, 260, 400)):
            self.view.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._open_index)
        column.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("rollup.progress")
        self.progress.setFormat("已读取 %v/%m 个文件")
        self.progress.hide()
        bottom.addWidget(self.progress, 1)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("rollup.cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        bottom.addWidget(self.cancel_button)
        bottom.addStretch()
        template = QPushButton("导出填报模板…")
        template.setObjectName("rollup.export_template")
        template.setToolTip("空白 Excel 模板：各单位只在浅黄色单元格中填写，合计由公式计算；交回后直接添加到这里")
        template.clicked.connect(self.export_template)
        bottom.addWidget(template)
        self.export_report_button = QPushButton("导出汇总报告…")
        self.export_report_button.setObjectName("rollup.export_report")
        self.export_report_button.clicked.connect(self.export_report)
        self.export_book_button = QPushButton("导出汇总工作簿…")
        self.export_book_button.setObjectName("rollup.export_workbook")
        self.export_book_button.clicked.connect(self.export_workbook)
        bottom.addWidget(self.export_report_button)
        bottom.addWidget(self.export_book_button)
        column.addLayout(bottom)
        self.setCentralWidget(central)
        self._update_buttons()

    # --- adding files -----------------------------------------------------------------------------
    def add_files(self) -> None:
        self.add_paths(RollupDialogs.pick_files(self))

    def add_folder(self) -> None:
        folder = RollupDialogs.pick_folder(self)
        if folder:
            self.add_paths([folder])

    def add_paths(self, paths: list[str | Path]) -> None:
        """Queue files and folders (searched recursively); each file is read once."""
        if paths:  # exports and the next dialog start where these units are
            remember("rollup", paths[-1])
            self.units_folder = start_folder("rollup")
        new = []
        for p in find_sources(paths):
            key = path_key(p)
            if key not in self._seen:
                self._seen.add(key)
                new.append(p)
        if not new:
            if paths:
                self.hint.setText("没有找到新的报告文件（.govreport、.docx、.xlsx、.html、.htm）")
            return
        self._queue.extend(new)
        self.progress.setMaximum(self._done + len(self._queue))
        self.progress.setValue(self._done)
        self.progress.show()
        self.cancel_button.show()
        self._update_buttons()
        if len(self._queue) == len(new):  # not already reading
            QTimer.singleShot(0, self._read_slice)

    def _read_slice(self) -> None:
        end = time.monotonic() + SLICE_S
        while self._queue and time.monotonic() < end:
            self.units.append(load_unit(self._queue.popleft()))
            self._done += 1
        self.progress.setValue(self._done)
        if self._queue:
            QTimer.singleShot(0, self._read_slice)
        else:
            self._finish()

    def cancel(self) -> None:
        """Stop reading: the files read so far stay, the rest may be added again."""
        for p in self._queue:
            self._seen.discard(path_key(p))
        skipped = len(self._queue)
        self._queue.clear()
        self._finish()
        self.hint.setText(self.hint.text() + f"（已取消，{skipped}个文件未读取）")

    def _finish(self) -> None:
        self._done = len(self.units)
        self.progress.hide()
        self.cancel_button.hide()
        self.recompute()
        self.finished.emit()

    def clear(self) -> None:
        self._queue.clear()
        self._seen.clear()
        self.units = []
        self._finish()

    # --- the roll-up ------------------------------------------------------------------------------
    def recompute(self) -> None:
        year = None if self.year.value() == self.year.minimum() else self.year.value()
        try:
            self.result = roll_up(self.units, agency=self.agency.text().strip(), year=year)
            self.hint.setText(self._summary(self.result))
        except MixedYears as e:
            self.result = None
            self.hint.setText(f"{e}（在右上角“年度”中选择）")
        self.model.set_units(self.units)
        self._update_buttons()

    def _summary(self, r: RollUp) -> str:
        if not r.units:
            return "还没有添加文件"
        counts = "，".join(f"{text}{n}个" for s, text in STATUS_TEXT.items()
                          if (n := sum(u.status == s for u in r.units)))
        text = f"共{len(r.units)}个文件：{counts}。"
        if r.total is not None:
            errors, warnings = summary([f for f in r.findings if f.cells])
            text += f"汇总{len(r.summed)}个单位：表格{errors}个错误、{warnings}个提醒。"
        self.hint.setToolTip("\n".join(r.notes))
        return text + (f"另有{len(r.notes)}条汇总说明（重复、年度等），见“说明”列；鼠标停在此处可看全部。" if r.notes else "")

    def _update_buttons(self) -> None:
        ready = self.result is not None and self.result.total is not None and not self._queue
        self.export_report_button.setEnabled(ready)
        self.export_book_button.setEnabled(ready)

    # --- opening a unit ---------------------------------------------------------------------------
    def _open_index(self, index) -> None:  # type: ignore[no-untyped-def]
        self.open_row(self.proxy.mapToSource(index).row())

    def open_row(self, row: int) -> QWidget | None:
        """That unit's report in a report window, as an unsaved copy: saving asks for a new file."""
        unit = self.model.unit(row)
        if unit.report is None:
            Dialogs.error(self, unit.reason)
            return None
        copy = native.from_dict(native.to_dict(unit.report), unit.source)
        copy.import_notes = list(unit.report.import_notes)
        window = self.open_unit(copy, unit.source)
        self.opened = [w for w in self.opened if w.isVisible()] + [window]
        return window

    # --- export -----------------------------------------------------------------------------------
    def export_report(self) -> None:
        if self.result is None or self.result.total is None:
            return
        total = self.result.total
        path = Dialogs.export_path(self, str(self.units_folder / "汇总报告.govreport"), "报告文件 (*.govreport);;Word 文档 (*.docx)")
        if not path:
            return
        if path.lower().endswith(".docx"):
            from ...export import export

            self._write(lambda p: export(total, p), path, ".docx", "汇总报告")
        else:
            self._write(lambda p: native.save(total, p), path, native.SUFFIX, "汇总报告")

    def export_workbook(self) -> None:
        if self.result is None or self.result.total is None:
            return
        result = self.result
        path = Dialogs.export_path(self, str(self.units_folder / "汇总.xlsx"), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        from ...export.rollup_xlsx import write_rollup_xlsx

        self._write(lambda p: write_rollup_xlsx(result, p), path, ".xlsx", "汇总工作簿")

    def export_template(self) -> None:
        path = Dialogs.export_path(self, str(self.units_folder / "填报模板.xlsx"), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        from ...export.xlsx_writer import write_template

        year = None if self.year.value() == self.year.minimum() else self.year.value()
        self._write(lambda p: write_template(p, year), path, ".xlsx", "填报模板")

    def _write(self, write: Callable[[str], None], path: str, suffix: str, what: str) -> None:
        """Write a file with a wait cursor (a big 汇总 workbook takes seconds); errors in Chinese."""
        if not path.lower().endswith(suffix):
            path += suffix
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write(path)
        except (OSError, native.FileFormatError) as e:
            QApplication.restoreOverrideCursor()
            Dialogs.error(self, f"无法写入“{path}”：{getattr(e, 'strerror', None) or e}")
            return
        QApplication.restoreOverrideCursor()
        self.hint.setText(f"已导出{what}：{path}")

    # --- drag and drop ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._queue.clear()
        super().closeEvent(event)


def show_for(parent: QMainWindow) -> RollupWindow:
    """The roll-up window of a report window; units open in windows of the parent's own class
    (so this module needs no import of the main window)."""
    window = parent.findChild(RollupWindow)
    if window is None:
        def open_unit(report: Report, source: str) -> QWidget:
            w = type(parent)(report)
            w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            w.show()
            w.show_notes([f"这是“{source}”的副本：保存时请另选位置，原文件不会被修改", *report.import_notes])
            return w

        window = RollupWindow(open_unit, parent)
        window.setWindowFlag(Qt.WindowType.Window)
    window.show()
    window.raise_()
    window.activateWindow()
    return window

