"""文件 → 汇总多个单位…: add units' files and folders (also by drag and drop), see each unit's
status and 研判指标, pick one of an agency's conflicting reports, name the area's own report (本级)
and the list of units expected, open a unit's report (a copy: its file is never written), see the
indicators as a bar chart and the area's report against its units, export the sum and the 汇总
workbook.

Files are read by :class:`~govreport_gui.readers.rollup_sources.UnitReader`: for many files a pool
of processes (the window polls it from its event loop), for a few in short time slices here; the
window stays responsive and 取消 stops the reading either way."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
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
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...readers.rollup_sources import (
    PARALLEL_FROM,
    ROSTER_SUFFIXES,
    UnitReader,
    default_workers,
    find_sources,
    path_key,
    read_roster,
)
from ...report import native
from ...report.aggregate import CellSums
from ...report.document import Report
from ...report.findings import summary
from ...report.messages import cell_name
from ...report.numbers import number_text
from ...report.oserrors import os_error_text
from ...report.rollup import STATUS_TEXT, MixedYears, RollUp, Unit, name_key, roll_up
from ..dialogs import Dialogs
from ..folders import remember, start_folder
from .indicator_chart import IndicatorChart
from .rollup_model import INDICATORS, STATUS, RollupModel

SLICE_S = 0.05  # reading time per event-loop turn when reading here: the window stays responsive
POLL_MS = 50  # how often the window collects what the reading processes have finished
SOURCES_FILTER = "所有支持的文件 (*.govreport *.docx *.xlsx *.html *.htm *.pdf);;所有文件 (*)"
ROSTER_FILTER = f"单位名单 ({' '.join('*' + s for s in ROSTER_SUFFIXES)});;所有文件 (*)"


class RollupDialogs:
    """The roll-up window's file questions (classmethods so tests can replace them)."""

    @classmethod
    def pick_files(cls, parent: QWidget) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, "添加单位的报告", str(start_folder("rollup")), SOURCES_FILTER)
        return files

    @classmethod
    def pick_folder(cls, parent: QWidget) -> str | None:
        return QFileDialog.getExistingDirectory(parent, "添加文件夹（含子文件夹）", str(start_folder("rollup"))) or None

    @classmethod
    def pick_roster(cls, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "应报单位名单（每行一个单位名称）", str(start_folder("rollup")),
                                              ROSTER_FILTER)
        return path or None


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
        self.sums = CellSums()  # of the readable units in self.units (made while reading)
        self.units_folder = start_folder("rollup")  # then the folder of the units last added
        self.result: RollUp | None = None
        self.opened: list[QWidget] = []
        self.prefer: set[str] = set()  # sources the clerk picked among an agency's conflicting reports
        self.parent_source: str | None = None  # None: found by name; "": none; else that file
        self.expected: list[str] | None = None  # 应报单位名单
        self.workers = 0  # 0: as many as the files deserve (default_workers); govreport-gui --jobs, tests
        self.worker_pids: set[int] = set()  # the processes that have read files for this window
        self.fell_back = False  # a pool could not start or broke: its files were read here
        self._seen: set[str] = set()
        self._queue: deque[Path] = deque()  # files waiting for the reader in progress
        self._reader: UnitReader | None = None
        self._reading = 0  # files in the reader in progress
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

        central = QWidget(self)
        column = QVBoxLayout(central)
        bar = QHBoxLayout()
        for text, slot, name in (("添加文件…", self.add_files, "rollup.add_files"),
                                 ("添加文件夹…", self.add_folder, "rollup.add_folder"),
                                 ("应报单位名单…", self.load_roster, "rollup.roster"),
                                 ("清空", self.clear, "rollup.clear")):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(QLabel("汇总机关名称"))
        self.agency = QLineEdit()
        self.agency.setObjectName("rollup.agency")
        self.agency.setPlaceholderText("如：某某区人民政府（与本级报告同名时，本级报告只作对照）")
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
        self.only_problems.toggled.connect(self._filter)
        bar.addWidget(self.only_problems)
        column.addLayout(bar)

        self.hint = QLabel("把单位报告文件或文件夹拖到这里，或用“添加文件…”“添加文件夹…”（.govreport、.docx、.xlsx、.html、.pdf）")
        self.hint.setObjectName("rollup.summary")
        self.hint.setWordWrap(True)
        column.addWidget(self.hint)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("rollup.tabs")
        units_page = QWidget()
        units_column = QVBoxLayout(units_page)
        units_column.setContentsMargins(0, 0, 0, 0)
        self.model = RollupModel(self)
        self.view = QTableView()
        self.view.setObjectName("rollup.units")
        self.view.setModel(self.model)  # the model sorts itself (fast for 10,000 units); rows are hidden to filter
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)  # by status: unreadable, conflicts, errors first
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = (70, 200, 50, 40, 40) + (78,) * len(INDICATORS) + (120, 240, 400)
        for col, width in enumerate(widths):
            self.view.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        units_column.addWidget(self.view, 1)
        picks = QHBoxLayout()
        self.prefer_button = QPushButton("选用所选报告")
        self.prefer_button.setObjectName("rollup.prefer")
        self.prefer_button.setToolTip("同一单位有几份数字不同的报告（冲突）时，计入所选的这一份，其余不计入")
        self.prefer_button.clicked.connect(lambda: self.prefer_row(self._selected_row()))
        self.parent_button = QPushButton("设为本级报告")
        self.parent_button.setObjectName("rollup.parent")
        self.parent_button.setToolTip("本级报告（如区人民政府的报告）不计入合计，逐项与各单位合计对照")
        self.parent_button.clicked.connect(lambda: self.toggle_parent(self._selected_row()))
        picks.addWidget(self.prefer_button)
        picks.addWidget(self.parent_button)
        self.roster_label = QLabel("")
        self.roster_label.setObjectName("rollup.roster_label")
        picks.addWidget(self.roster_label, 1)
        units_column.addLayout(picks)
        self.tabs.addTab(units_page, "单位")
        self.chart = IndicatorChart()
        self.tabs.addTab(self.chart, "指标图")
        parent_page = QWidget()
        parent_column = QVBoxLayout(parent_page)
        self.parent_text = QLabel("汇总中没有本级报告。把本级报告（如区人民政府的报告）和各单位的报告一起添加，"
                                  "或在“单位”中选中它后点“设为本级报告”。")
        self.parent_text.setObjectName("rollup.parent_text")
        self.parent_text.setWordWrap(True)
        parent_column.addWidget(self.parent_text)
        self.parent_table = QTableWidget(0, 4)
        self.parent_table.setObjectName("rollup.parent_table")
        self.parent_table.setHorizontalHeaderLabels(["单元格", "本级报告", "各单位合计", "差额"])
        self.parent_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.parent_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        parent_column.addWidget(self.parent_table, 1)
        self.tabs.addTab(parent_page, "本级对照")
        column.addWidget(self.tabs, 1)

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
                self.hint.setText("没有找到新的报告文件（.govreport、.docx、.xlsx、.html、.htm、.pdf）")
            return
        self.statusBar().clearMessage()  # an export's line no longer applies
        self._queue.extend(new)
        self.progress.setMaximum(len(self.units) + self._reading + len(self._queue))
        self.progress.setValue(len(self.units))
        self.progress.show()
        self.cancel_button.show()
        self._update_buttons()
        if self._reader is None:
            self._start_reader()

    def _start_reader(self) -> None:
        files = list(self._queue)
        self._queue.clear()
        workers = self.workers or default_workers(len(files))
        # processes are started clean (spawn): forking a process that runs Qt's threads is unsafe
        self._reader = UnitReader(files, workers if len(files) >= min(PARALLEL_FROM, 2 * workers) else 1,
                                  context="spawn")
        self._reading = len(files)
        self._timer.start()

    def _poll(self) -> None:
        reader = self._reader
        if reader is None:
            self._timer.stop()
            return
        reader.poll(timeout=SLICE_S if reader.sequential else 0.0)
        self.progress.setValue(len(self.units) + reader.done)
        if reader.finished:
            self._take(reader)
            if self._queue:
                self._start_reader()
            else:
                self._finish()

    @property
    def reading(self) -> bool:
        """Files are being read (``finished`` follows)."""
        return self._reader is not None

    def _take(self, reader: UnitReader) -> None:
        """The reader's units (in file order) and their sums join the roll-up's."""
        self.units.extend(reader.read())
        self.sums.merge(reader.sums)
        self.worker_pids |= reader.worker_pids
        self.fell_back = self.fell_back or reader.fell_back
        self._reader = None
        self._reading = 0

    def cancel(self) -> None:
        """Stop reading: the files read so far stay, the rest may be added again."""
        skipped = len(self._queue)
        for p in self._queue:
            self._seen.discard(path_key(p))
        self._queue.clear()
        reader = self._reader
        if reader is not None:
            reader.cancel()
            for p in reader.unread():
                self._seen.discard(path_key(p))
            skipped += len(reader.unread())
            self._take(reader)
        self._finish()
        self.hint.setText(self.hint.text() + f"（已取消，{skipped}个文件未读取）")

    def _finish(self) -> None:
        self._timer.stop()
        self.progress.hide()
        self.cancel_button.hide()
        self.recompute()
        self.finished.emit()

    def clear(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None
        self._queue.clear()
        self._seen.clear()
        self.units = []
        self.sums = CellSums()
        self.prefer.clear()
        self.parent_source = None
        self._reading = 0
        self._finish()

    def load_roster(self) -> None:
        """应报单位名单: the units expected; those missing are named, and the 本级对照 waits for them."""
        path = RollupDialogs.pick_roster(self)
        if not path:
            return
        from ...report.native import FileFormatError

        try:
            self.expected = read_roster(path)
        except FileFormatError as e:
            Dialogs.error(self, str(e))
            return
        self.roster_label.setText(f"应报单位名单：{len(self.expected)}个单位（{Path(path).name}）")
        self.recompute()

    # --- the roll-up ------------------------------------------------------------------------------
    def recompute(self) -> None:
        year = None if self.year.value() == self.year.minimum() else self.year.value()
        sources = {u.source for u in self.units}
        self.prefer &= sources
        try:
            self.result = roll_up(self.units, agency=self.agency.text().strip(), year=year, prefer=self.prefer,
                                  parent=self.parent_source if self.parent_source in sources | {""} else None,
                                  expected=self.expected, sums=self.sums)
            self.hint.setText(self._summary(self.result))
        except MixedYears as e:
            self.result = None
            self.hint.setText(f"{e}（在右上角“年度”中选择）")
        self.model.set_units(self.units)
        self._filter()
        self.chart.set_units(self.units)
        self._show_parent()
        self._update_buttons()

    def _summary(self, r: RollUp) -> str:
        if not r.units:
            return "还没有添加文件"
        tally = Counter(u.status for u in r.units)
        counts = "，".join(f"{text}{tally[s]}个" for s, text in STATUS_TEXT.items() if tally[s])
        text = f"共{len(r.units)}个文件：{counts}。"
        if r.total is not None:
            errors, warnings = summary([f for f in r.findings if f.cells])
            text += f"汇总{len(r.summed)}个单位：表格{errors}个错误、{warnings}个提醒。"
        else:
            text += "没有可计入汇总的单位。"
        conflicts = {name_key(u.agency): u.agency for u in r.conflicts}
        if conflicts:
            text += f"{len(conflicts)}个单位有几份数字不同的报告（冲突：{'、'.join(conflicts.values())}），请选中其中一份后点“选用所选报告”。"
        if r.missing:
            text += f"应报未报{len(r.missing)}个：{'、'.join(r.missing[:10])}{'等' if len(r.missing) > 10 else ''}。"
        if r.parent is not None:
            text += f"本级对照：{r.parent.text.split('（')[0].split('。')[0]}（见“本级对照”）。"
        self.hint.setToolTip("\n".join(r.notes))
        return text + (f"另有{len(r.notes)}条汇总说明（重复、年度等），见“说明”列；鼠标停在此处可看全部。" if r.notes else "")

    def _filter(self) -> None:
        only = self.only_problems.isChecked()
        for row, u in enumerate(self.model.units):
            self.view.setRowHidden(row, only and not u.has_problems)

    def _show_parent(self) -> None:
        check = self.result.parent if self.result is not None else None
        index = self.tabs.count() - 1
        verdict = None if check is None else {"cannot_judge": "无法判断", "consistent": "一致",
                                              "differs": f"{len(check.diffs)}处不同"}[check.verdict]
        self.tabs.setTabText(index, "本级对照" if verdict is None else f"本级对照（{verdict}）")
        if check is None:
            self.parent_table.setRowCount(0)
            return
        self.parent_text.setText(check.text)
        self.parent_table.setRowCount(len(check.diffs))
        for row, d in enumerate(check.diffs):
            for col, value in enumerate((cell_name(d.key), number_text(d.parent), number_text(d.units),
                                         number_text(d.difference))):
                item = QTableWidgetItem(value)
                item.setToolTip(d.key)
                self.parent_table.setItem(row, col, item)

    def _update_buttons(self) -> None:
        ready = self.result is not None and self.result.total is not None and self._reader is None
        self.export_report_button.setEnabled(ready)
        self.export_book_button.setEnabled(ready)
        row = self._selected_row()
        unit = self.model.unit(row) if row is not None else None
        self.prefer_button.setEnabled(unit is not None and unit.left_out in ("conflict", "not_chosen"))
        self.parent_button.setEnabled(unit is not None and unit.report is not None)
        self.parent_button.setText("不作为本级报告" if unit is not None and unit.status == "parent" else "设为本级报告")

    # --- the clerk's picks ------------------------------------------------------------------------
    def _selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def prefer_row(self, row: int | None) -> None:
        """Sum this one of an agency's reports with different figures; the others are left out."""
        if row is None:
            return
        unit = self.model.unit(row)
        same = {u.source for u in self.units if name_key(u.agency) == name_key(unit.agency)}
        self.prefer = (self.prefer - same) | {unit.source}
        self._recompute_keeping(unit.source)

    def toggle_parent(self, row: int | None) -> None:
        """This unit is the area's own report (compared, not summed) — or, if it is, none is."""
        if row is None:
            return
        unit = self.model.unit(row)
        self.parent_source = "" if unit.status == "parent" else unit.source
        self._recompute_keeping(unit.source)

    def _recompute_keeping(self, source: str) -> None:
        self.recompute()
        row = self.model.row_of(source)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        self._update_buttons()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row = index.row()
        self.view.selectRow(row)
        menu = QMenu(self)
        menu.addAction("打开这份报告（副本）", lambda: self.open_row(row))
        if self.prefer_button.isEnabled():
            menu.addAction("选用这一份（同一单位的其他报告不计入）", lambda: self.prefer_row(row))
        if self.parent_button.isEnabled():
            menu.addAction(self.parent_button.text(), lambda: self.toggle_parent(row))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # --- opening a unit ---------------------------------------------------------------------------
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
        agency = self.agency.text().strip()
        path = Dialogs.export_path(self, str(self.units_folder / "汇总.xlsx"), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        from ...export.rollup_xlsx import write_rollup_xlsx

        self._write(lambda p: write_rollup_xlsx(result, p, agency=agency), path, ".xlsx", "汇总工作簿")

    def export_template(self) -> None:
        path = Dialogs.export_path(self, str(self.units_folder / "填报模板.xlsx"), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        from ...export.xlsx_writer import write_template

        year = None if self.year.value() == self.year.minimum() else self.year.value()
        self._write(lambda p: write_template(p, year), path, ".xlsx", "填报模板")

    def _write(self, write: Callable[[str], None], path: str, suffix: str, what: str) -> None:
        """Write a file with a wait cursor (a big 汇总 workbook takes seconds); errors in Chinese.
        The result is said in the status bar: the summary above the table stays what it is."""
        if not path.lower().endswith(suffix):
            path += suffix
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write(path)
        except (OSError, native.FileFormatError) as e:
            QApplication.restoreOverrideCursor()
            Dialogs.error(self, f"无法写入“{path}”：{e if isinstance(e, native.FileFormatError) else os_error_text(e)}")
            return
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"已导出{what}：{path}")

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
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None
        self._queue.clear()
        self._timer.stop()
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

