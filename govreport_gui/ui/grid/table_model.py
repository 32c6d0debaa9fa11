"""``QAbstractTableModel`` adapter of one report table, laid out as the official template.

The model owns no numbers: it maps grid positions to cell keys (from the schema), shows the
session's values and findings, and turns ``setData`` into an undoable session edit.
"""

from __future__ import annotations

from typing import Union

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...report.messages import describe
from ...report.numbers import NumberError, is_blank_zero, parse_count, parse_fee
from ...report.schema import DataCell, LabelCell, Table
from ..session import ReportSession

ERROR_BG = QColor("#f6c8c8")
WARNING_BG = QColor("#fde9a9")
WAIVED_BG = QColor("#eef0f2")
LABEL_BG = QColor("#f3f3f0")
AUTO_BG = QColor("#e8f0fa")
KeyRole = Qt.ItemDataRole.UserRole + 1  # the cell key of a data cell

Index = Union[QModelIndex, QPersistentModelIndex]  # Union: Python 3.9


def parse_cell(cell: DataCell, text: str):  # type: ignore[no-untyped-def]
    """Typed text → a cell value, or :class:`NumberError` with a Chinese hint. Blank clears."""
    if not text.strip():
        return None
    if is_blank_zero(text):  # —, 无, / mean zero when typed, as they do when pasted
        return parse_fee("0") if cell.kind == "fee" else 0
    if cell.kind == "fee":
        return parse_fee(text)
    return parse_count(text)


class ReportTableModel(QAbstractTableModel):
    """One of 表二/表三/表四 over a :class:`ReportSession`.

    Signals:
        inputRejected(str): a typed value was refused; the Chinese reason
    """

    inputRejected = Signal(str)

    def __init__(self, session: ReportSession, table: Table, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.session = session
        self.table = table
        self._by_key = {c.key: c for c in table.cells}
        self._totals = {eq.lhs[0] for eq in session.report.schema.equations
                        if eq.is_total and eq.lhs[0] in self._by_key}
        session.cellsChanged.connect(self._on_cells_changed)
        session.findingsChanged.connect(self._on_findings_changed)
        session.reportReplaced.connect(self._on_replaced)

    # --- key ↔ index ------------------------------------------------------------------------------
    def index_for_key(self, key: str) -> QModelIndex:
        cell = self._by_key.get(key)
        return self.index(cell.row, cell.col) if cell else QModelIndex()

    def key_for_index(self, index: Index) -> str | None:
        cell = self.cell(index)
        return cell.key if isinstance(cell, DataCell) else None

    def cell(self, index: Index) -> DataCell | LabelCell | None:
        if not index.isValid():
            return None
        return self.table.cell_at(index.row(), index.column())

    def is_anchor(self, index: Index) -> bool:
        """True at the top-left position of a (possibly merged) cell: where its content shows."""
        c = self.cell(index)
        return c is not None and (c.row, c.col) == (index.row(), index.column())

    # --- Qt model API -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.table.rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.table.cols

    def flags(self, index: Index) -> Qt.ItemFlag:
        cell = self.cell(index)
        if cell is None:
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if isinstance(cell, DataCell) and self.is_anchor(index):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        cell = self.cell(index)
        if cell is None or not self.is_anchor(index):
            return None
        if isinstance(cell, LabelCell):
            return self._label_data(cell, role)
        report = self.session.report
        if role == Qt.ItemDataRole.DisplayRole:
            shown = report.display(cell.key) if report.cells.get(cell.key) is not None else ""
            change = self.year_on_year(cell.key)
            return f"{shown or '0'}\n{change}" if change else shown
        if role == Qt.ItemDataRole.EditRole:
            return report.display(cell.key) if report.cells.get(cell.key) is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return self.accessible_name(cell) if role == Qt.ItemDataRole.AccessibleTextRole else self._tooltip(cell)
        if role == KeyRole:
            return cell.key
        return None

    def _label_data(self, cell: LabelCell, role: int):  # type: ignore[no-untyped-def]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(LABEL_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.table.id == "t3" and cell.col == 2 and cell.row >= 3:
                return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and cell.row in self.table.group_rows:
            f = QFont()
            f.setBold(True)
            return f
        return None

    def year_on_year(self, key: str) -> str:
        """“(50) +7”: last year's value and the change, when the year-on-year view is on (the
        columns of 表三 are narrow; the tooltip spells it out)."""
        last = self.session.report.last
        if not self.session.show_last or last is None:
            return ""
        delta = self.session.report.value(key) - last.value(key)
        return f"({last.display(key)}) {delta:+}" if delta else f"({last.display(key)})"

    def refresh_all(self) -> None:
        """Every cell's text may have changed (year-on-year view switched)."""
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def accessible_name(self, cell: DataCell) -> str:
        cols, rows = self.table.headers(cell)
        return " ".join([*rows, *cols])

    def _background(self, cell: DataCell):  # type: ignore[no-untyped-def]
        found = [f for f in self.session.by_cell.get(cell.key, []) if not self.session.is_todo(f)]
        if any(f.open and f.severity == "error" for f in found):
            return QBrush(ERROR_BG)
        if any(f.open for f in found):
            return QBrush(WARNING_BG)
        if found:
            return QBrush(WAIVED_BG)
        if cell.key in self._totals and self.session.autofill.get(self.table.id):
            return QBrush(AUTO_BG)
        return None

    def _tooltip(self, cell: DataCell) -> str:
        lines = [self.accessible_name(cell)]
        last = self.session.report.last
        if last is not None:
            delta = self.session.report.value(cell.key) - last.value(cell.key)
            lines.append(f"上年：{last.display(cell.key)}，变化：{delta:+}")
        for f in self.session.by_cell.get(cell.key, []):
            mark = "待填写" if self.session.is_todo(f) else {"error": "错误", "warning": "提醒"}[f.severity]
            lines.append(f"【{mark}】{describe(f)}" + (f"（已说明：{f.waived}）" if f.waived else ""))
        if cell.key in self._totals and self.session.autofill.get(self.table.id):
            lines.append("此合计随明细自动计算（可在表格上方关闭）")
        register = self.session.report.register
        if register is not None and register.covers(cell.key):
            ids = register.ids(cell.key)
            shown = "、".join(ids[:12]) + ("……" if len(ids) > 12 else "")
            lines.append(f"台账“{register.file}”：{len(ids)} 件" + (f"（编号 {shown}）" if ids else ""))
        return "\n".join(lines)

    def refusal(self, index: Index, text: str) -> str | None:
        """Why ``text`` typed into ``index`` would be refused (None: it would be taken)."""
        cell = self.cell(index)
        if not isinstance(cell, DataCell):
            return None
        try:
            parse_cell(cell, text)
        except NumberError as e:
            return self._refusal_text(cell, e)
        return None

    def _refusal_text(self, cell: DataCell, error: NumberError) -> str:
        return f"未录入：{self.accessible_name(cell)}：{error}"

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802
        if role != Qt.ItemDataRole.EditRole:
            return False
        cell = self.cell(index)
        if not isinstance(cell, DataCell):
            return False
        try:
            parsed = parse_cell(cell, "" if value is None else str(value))
        except NumberError as e:
            self.inputRejected.emit(self._refusal_text(cell, e))
            return False
        if self.session.report.cells.get(cell.key) == parsed and parsed is not None:
            return True
        self.session.set_cells({cell.key: parsed}, f"填写 {cell.name}")
        return True

    # --- session signals -----------------------------------------------------------------------
    def _on_cells_changed(self, keys: list[str]) -> None:
        for key in keys:
            idx = self.index_for_key(key)
            if idx.isValid():
                self.dataChanged.emit(idx, idx)

    def _on_findings_changed(self) -> None:
        # colours and tooltips of any cell may have changed; the views repaint only what is visible
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.table.rows - 1, self.table.cols - 1),
            [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
        )

    def _on_replaced(self) -> None:
        self.beginResetModel()
        self.endResetModel()
