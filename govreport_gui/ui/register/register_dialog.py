"""表三 → 从台账计算…: 表三 counted from the register beside the current one, then applied as one
undoable edit.

The dialog shows both tables with their differences highlighted, the register rows behind a selected
cell (编号, row, dates, type, outcome — the register's names and contents are never read), the rows
that could not be counted, and the deadline check. Reading and counting are the core's; this module
only shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...readers.register import HeadersNotFound, field_name, read_register
from ...report.document import Report
from ...report.native import FileFormatError
from ...report.register_count import (
    CarryConflict,
    Register,
    RegisterCount,
    carry_conflict,
    count,
    overdue,
    register_edit,
    source_of,
)
from ...report.workdays import WorkCalendar
from ..dialogs import Dialogs
from ..folders import remember, start_folder
from ..window.window_fit import fit_dialog

if TYPE_CHECKING:
    from ..window_api import ReportWindow

DIFF_BG = QColor("#fde9a9")
REGISTER_FILTER = "台账 (*.xlsx *.xlsm *.xls *.et *.ods *.csv);;所有文件 (*)"
KeyRole = Qt.ItemDataRole.UserRole + 1


class RegisterDialogs:
    """The questions of this feature, as classmethods so tests can replace them."""

    @classmethod
    def register_path(cls, parent: QWidget, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "选择依申请公开台账", folder,
                                              REGISTER_FILTER)
        return path or None

    @classmethod
    def cases_path(cls, parent: QWidget, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "选择复议诉讼案件清单（表四）", folder,
                                              REGISTER_FILTER.replace("台账", "案件清单", 1))
        return path or None

    @classmethod
    def template_path(cls, parent: QWidget, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "保存空白台账", suggested, "Excel 工作簿 (*.xlsx)")
        return path or None

    @classmethod
    def map_columns(cls, parent: QWidget, err: HeadersNotFound) -> dict[str, str] | None:
        dialog = ColumnMapDialog(err, parent)
        return dialog.mapping() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @classmethod
    def review(cls, dialog: RegisterDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def carry_choice(cls, parent: QWidget, text: str, keep: str, take: str) -> str | None:
        """"keep" (last year's 上年结转), "register" (the register's) or None (not now)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "上年结转与上年报告不一致", text, parent=parent)
        keep_button = box.addButton(keep, QMessageBox.ButtonRole.AcceptRole)
        take_button = box.addButton(take, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消(&C)", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep_button)
        box.exec()
        clicked = box.clickedButton()
        return "keep" if clicked is keep_button else "register" if clicked is take_button else None


class ColumnMapDialog(QDialog):
    """Which of the register's headers holds each column GovReport could not find."""

    def __init__(self, err: HeadersNotFound, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("指定台账的列")
        form = QFormLayout(self)
        form.addRow(QLabel("台账的表头与标准名称不同，请为下列各项选择对应的列："))
        self.boxes: dict[str, QComboBox] = {}
        headers = [h for h in err.headers if h]
        for field in err.missing:
            box = QComboBox()
            box.setObjectName(f"map.{field}")
            box.addItems(headers)
            self.boxes[field] = box
            form.addRow(field_name(field), box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def mapping(self) -> dict[str, str]:
        return {field_name(f): box.currentText() for f, box in self.boxes.items()}


class CompareModel(QAbstractTableModel):
    """表三 as 25 rows × 7 columns, from the report or from the register; differing cells coloured."""

    def __init__(self, report: Report, values: dict[str, int] | None, other: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        schema = report.schema
        self.rows = schema.lists["t3_rows"]
        self.cols = schema.lists["t3_cols"]
        self.row_names = [schema.names["t3.row"][r] for r in self.rows]
        self.col_names = [schema.names["t3.col"][c] for c in self.cols]
        self.report, self.values, self.other = report, values, other

    def key(self, row: int, col: int) -> str:
        return f"t3.{self.rows[row]}.{self.cols[col]}"

    def value(self, key: str) -> int:
        return self.values.get(key, 0) if self.values is not None else int(self.report.value(key))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.cols)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]  # noqa: N802
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.col_names[section] if orientation == Qt.Orientation.Horizontal else self.row_names[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        key = self.key(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.value(key))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and self.differs(key):
            return QBrush(DIFF_BG)
        if role == Qt.ItemDataRole.ToolTipRole and self.differs(key):
            return f"现为 {int(self.report.value(key))}，由台账计算为 {self.other_value(key)}"
        if role == KeyRole:
            return key
        return None

    def other_value(self, key: str) -> int:
        return self.other.get(key, 0)

    def differs(self, key: str) -> bool:
        return int(self.report.value(key)) != self.other.get(key, 0) or self.report.cells.get(key) is None


class RegisterDialog(QDialog):
    """The computed 表三 next to the current one; 应用 makes it one undoable edit."""

    def __init__(self, report: Report, register: Register, result: RegisterCount, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("register.dialog")
        self.setWindowTitle(f"由台账计算表三 — {register.file}")
        self.report, self.register, self.result = report, register, result
        self.keep_carried_in = False  # the clerk's answer when the register's 上年结转 disagrees
        computed = {k: v for k, v in result.cells.items() if k.startswith("t3.")}
        self.changed = self._changed()

        layout = QVBoxLayout(self)
        self.summary = QLabel(self._summary())
        self.summary.setObjectName("register.summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        tabs = QTabWidget()
        tabs.setObjectName("register.tabs")
        compare = QWidget()
        split = QSplitter(Qt.Orientation.Horizontal)
        self.current_model = CompareModel(report, None, computed, self)
        self.computed_model = CompareModel(report, computed, computed, self)
        self.current_view = self._grid(self.current_model, "register.current")
        self.computed_view = self._grid(self.computed_model, "register.computed")
        self.computed_view.verticalHeader().hide()  # the same rows as on the left, scrolled together
        for title, view in (("当前报告的表三", self.current_view), ("由台账计算的表三（黄色为不同）", self.computed_view)):
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(QLabel(title))
            col.addWidget(view)
            split.addWidget(box)
        split.setSizes([700, 440])  # the left table also carries the row names
        rows_box = QVBoxLayout(compare)
        rows_box.addWidget(split, 3)
        self.rows_label = QLabel("选中一个单元格，这里列出构成它的台账行（不显示申请人和申请内容）")
        rows_box.addWidget(self.rows_label)
        self.rows_model = QStandardItemModel(0, 6, self)
        self.rows_model.setHorizontalHeaderLabels(["编号", "台账行", "收到日期", "办结日期", "申请人类型", "办理结果"])
        self.rows_view = self._list(self.rows_model, "register.rows")
        rows_box.addWidget(self.rows_view, 2)
        tabs.addTab(compare, "对照")

        self.problems_model = QStandardItemModel(0, 3, self)
        self.problems_model.setHorizontalHeaderLabels(["工作表", "行", "问题（此行未计入）"])
        for p in register.problems:
            self.problems_model.appendRow([QStandardItem(p.sheet), QStandardItem(str(p.row)), QStandardItem(p.reason)])
        tabs.addTab(self._list(self.problems_model, "register.problems"), f"有问题的行（{len(register.problems)}）")

        self.deadline_model, note = self._deadlines()
        page = QWidget()
        col = QVBoxLayout(page)
        col.addWidget(QLabel(note))
        col.addWidget(self._list(self.deadline_model, "register.deadlines"))
        tabs.addTab(page, f"答复期限（{self.deadline_model.rowCount()}）")
        layout.addWidget(tabs, 1)

        buttons = QHBoxLayout()
        cases = QPushButton("另选案件清单（表四）…")
        cases.setObjectName("register.cases")
        cases.clicked.connect(self.add_cases)
        buttons.addWidget(cases)
        buttons.addStretch(1)
        self.apply_button = QPushButton("应用到报告（可撤销）")
        self.apply_button.setObjectName("register.apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        for view in (self.current_view, self.computed_view):
            view.selectionModel().currentChanged.connect(self.show_rows)
        # the two tables scroll together, row beside row
        left, right = self.current_view.verticalScrollBar(), self.computed_view.verticalScrollBar()
        left.valueChanged.connect(right.setValue)
        right.valueChanged.connect(left.setValue)
        fit_dialog(self, QSize(1180, 760))  # the buttons stay on a 1366×768 screen

    def conflict(self) -> CarryConflict | None:
        return carry_conflict(self.report, self.result)

    def apply(self) -> bool:
        """应用: first, when the register's 上年结转 disagrees with last year's 结转下年度, ask which
        to keep; the answer goes into the one undoable edit."""
        conflict = self.conflict()
        if conflict is not None:
            last, register = conflict.totals
            where = "上年报告的“结转下年度继续办理”" if conflict.from_last else "本报告现有的“上年结转”"
            text = (f"台账计算的“上年结转”为 {register} 件，{where}为 {last} 件"
                    f"（{len(conflict.columns) - ('total' in conflict.columns)} 列不同）。\n\n"
                    "台账从今年才开始登记时，上年转来的申请不在台账中，通常应保留上年的数字"
                    "（其后“结转下年度”等请按实际核对）；台账包含上年转来的全部申请时，可采用台账的数字。")
            choice = RegisterDialogs.carry_choice(self, text, f"保留上年结转（{last}）(&K)",
                                                  f"采用台账的上年结转（{register}）(&R)")
            if choice is None:
                return False
            self.keep_carried_in = choice == "keep"
        self.accept()
        return True

    def _changed(self) -> list[str]:
        return [k for k, v in self.result.cells.items() if self.report.cells.get(k) != v]

    def add_cases(self) -> bool:
        """表四 from a separate case-list file (the register has no case sheet, or another is wanted)."""
        from ...readers.register import read_cases

        path = RegisterDialogs.cases_path(self, str(start_folder("register")))
        if not path:
            return False
        self.register.cases = None  # the chosen list replaces a case sheet of the register
        try:
            read_cases(path, self.register)
        except FileFormatError as e:
            Dialogs.error(self, str(e))
            return False
        self.result = count(self.register, self.result.year, self.report.schema)
        self.changed = self._changed()
        self.summary.setText(self._summary())
        return True

    def _summary(self) -> str:
        r, reg = self.result, self.register
        t3 = sum(1 for k in self.changed if k.startswith("t3."))
        t4 = sum(1 for k in self.changed if k.startswith("t4."))
        parts = [f"台账“{reg.file}”：{len(reg.applications)} 行可计入，{len(reg.problems)} 行有问题未计入。"
                 f"{r.year}年：本年新收 {r.cells['t3.new.total']}，上年结转 {r.cells['t3.carried_in.total']}，"
                 f"办结 {r.cells['t3.result.total.total']}，结转下年度 {r.cells['t3.carried_out.total']}。",
                 f"应用后表三改变 {t3} 个单元格" + (f"，表四（由案件清单计算）改变 {t4} 个单元格。" if reg.cases is not None
                                          else "；台账没有复议诉讼案件表，表四不变。")]
        conflict = carry_conflict(self.report, r)
        if conflict is not None:
            last, register = conflict.totals
            parts.append(f"注意：台账的上年结转 {register} 件与{'上年报告的结转下年度' if conflict.from_last else '本报告现有的上年结转'}"
                         f" {last} 件不一致，应用时将询问保留哪一个。")
        parts += r.notes + reg.notes[:3]
        return "\n".join(parts)

    def _grid(self, model: CompareModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.verticalHeader().setMaximumWidth(330)  # 不予处理·要求行政机关确认或重新出具已获取信息 nearly whole; the tooltip has it all
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        return view

    def _list(self, model: QStandardItemModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        return view

    def show_rows(self, index: QModelIndex) -> None:
        """The register rows behind the selected cell."""
        key = index.data(KeyRole)
        if not key:
            return
        apps = self.result.applications_of(key)
        names = self.report.schema.names
        self.rows_label.setText(f"“{self.report.schema.cells[key].name}”由 {len(apps)} 行台账构成：")
        self.rows_model.removeRows(0, self.rows_model.rowCount())
        for a in apps[:2000]:  # a cell of a huge register: the first rows are enough to check
            outcome = names["t3.row"][a.outcome] if a.outcome and a.concluded and a.concluded.year <= self.result.year else "未办结"
            items = [QStandardItem(x) for x in (
                a.id, a.where(), str(a.received), str(a.concluded or ""), names["t3.col"][a.applicant], outcome)]
            for item in items:
                item.setToolTip(item.text())
            self.rows_model.appendRow(items)
        # 台账行 (“2025年”第1234行) and the long 不予处理 labels whole: columns as wide as their text
        self.rows_view.resizeColumnsToContents()

    def _deadlines(self) -> tuple[QStandardItemModel, str]:
        cal = WorkCalendar()
        items = overdue(self.register, self.result.year, cal)
        model = QStandardItemModel(0, 5, self)
        model.setHorizontalHeaderLabels(["编号", "收到日期", "应答复日期", "答复日期", "超期天数"])
        for o in items:
            model.appendRow([QStandardItem(x) for x in (
                o.application.id, str(o.application.received), str(o.due), str(o.answered or "未办结"), str(o.days_late))])
        late = sum(1 for o in items if o.answered is not None)
        note = (f"逾期答复 {late} 件，截至{self.result.year}年12月31日超期未办结 {len(items) - late} 件"
                "（20个工作日，延期另加20个工作日，补正后重新计算；按国家法定节假日和调休计算）。")
        fallback = cal.fallback_note()
        return model, note + (f"\n注意：{fallback}" if fallback else "")

    def edit(self, stamp: str):  # type: ignore[no-untyped-def]
        return register_edit(self.report, self.result, source_of(self.register, self.result, stamp),
                             keep_carried_in=self.keep_carried_in)


def _read(window: ReportWindow, path: Path) -> Register | None:
    mapping: dict[str, str] = {}
    while True:
        try:
            return read_register(path, mapping)
        except HeadersNotFound as err:
            extra = RegisterDialogs.map_columns(window, err)  # type: ignore[arg-type]
            if not extra:
                return None
            mapping.update(extra)
        except FileFormatError as e:
            Dialogs.error(window, str(e))  # type: ignore[arg-type]
            return None


def compute_from_register(window: ReportWindow, path: str | None = None) -> bool:
    """表三 → 从台账计算…: pick a register (or take the one dropped on the window), review the
    comparison, apply as one undoable edit."""
    import datetime as dt

    report = window.session.report
    if not report.meta.year:
        Dialogs.error(window, "请先在“报告信息与正文”页填写报告年度，再由台账计算表三")  # type: ignore[arg-type]
        return False
    path = path or RegisterDialogs.register_path(window, str(start_folder("register", window.session.path)))  # type: ignore[arg-type]
    if not path:
        return False
    remember("register", path)
    register = _read(window, Path(path))
    if register is None:
        return False
    result = count(register, report.meta.year, report.schema)
    dialog = RegisterDialog(report, register, result, window)  # type: ignore[arg-type]
    try:
        if not RegisterDialogs.review(dialog):
            return False
        stamp = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
        window.session.push(dialog.edit(stamp), "由台账计算表三")
    finally:
        dialog.deleteLater()
    window.show_message(f"已由台账“{register.file}”计算表三（{len(dialog.changed)} 个单元格改变，可撤销）")
    return True


def write_blank_template(window: ReportWindow) -> bool:
    """表三 → 生成空白台账…: the register workbook with drop-down lists."""
    from ...export.register_template import write_template

    folder = start_folder("register", window.session.path)
    path = RegisterDialogs.template_path(window, str(folder / "依申请公开台账.xlsx"))  # type: ignore[arg-type]
    if not path:
        return False
    try:
        write_template(path)
    except FileFormatError as e:
        Dialogs.error(window, str(e))  # type: ignore[arg-type]
        return False
    window.show_message(f"已生成空白台账：{path}")
    return True
