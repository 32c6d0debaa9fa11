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

# Paint asks data() 7–8 roles per visible cell: plain ints compare fastest, and the brushes are
# made once (a QBrush per call was a good part of a repaint)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_KEY = int(KeyRole)
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_MARKED = [int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ToolTipRole)]
_BRUSHES = {"error": QBrush(ERROR_BG), "warning": QBrush(WARNING_BG), "waived": QBrush(WAIVED_BG),
            "auto": QBrush(AUTO_BG)}

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
        # (row, col) → (cell, is its anchor): the grid never changes, and paint asks for each position
        self._at: dict[tuple[int, int], tuple[DataCell | LabelCell, bool]] = {
            pos: (c, (c.row, c.col) == pos) for pos, c in table.grid.items()}
        self._labels = {(c.row, c.col): self._label_roles(c) for c in table.labels}
        self._brush: dict[str, QBrush] = {}  # data cell key → its finding colour (absent: none)
        self._restyle()
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
        at = self._at.get((index.row(), index.column())) if index.isValid() else None
        return at is not None and at[1]

    # --- Qt model API -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.table.rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.table.cols

    def flags(self, index: Index) -> Qt.ItemFlag:
        at = self._at.get((index.row(), index.column())) if index.isValid() else None
        if at is None:
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if at[1] and isinstance(at[0], DataCell):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = _DISPLAY):  # type: ignore[no-untyped-def]
        pos = (index.row(), index.column())
        at = self._at.get(pos)
        if at is None or not at[1]:
            return None
        cell = at[0]
        if not isinstance(cell, DataCell):
            return self._labels[pos].get(role)
        if role == _DISPLAY:
            report = self.session.report
            shown = report.display(cell.key) if report.cells.get(cell.key) is not None else ""
            change = self.year_on_year(cell.key) if self.session.show_last else ""
            return f"{shown or '0'}\n{change}" if change else shown
        if role == _EDIT:
            report = self.session.report
            return report.display(cell.key) if report.cells.get(cell.key) is not None else ""
        if role == _ALIGN:
            return _CENTER
        if role == _BACKGROUND:
            return self._brush.get(cell.key)
        if role in (_TOOLTIP, _DESCRIPTION):
            return self._tooltip(cell)
        if role == _ACCESSIBLE:
            return self.accessible_name(cell)
        if role == _KEY:
            return cell.key
        return None

    def _label_roles(self, cell: LabelCell) -> dict[int, object]:
        """What a label shows never changes: every role's answer, worked out once."""
        roles: dict[int, object] = {_DISPLAY: cell.text, _ACCESSIBLE: cell.text, _TOOLTIP: cell.text,
                                    _BACKGROUND: QBrush(LABEL_BG),
                                    _ALIGN: _LEFT if self.table.id == "t3" and cell.col == 2 and cell.row >= 3
                                    else _CENTER}
        if cell.row in self.table.group_rows:
            bold = QFont()
            bold.setBold(True)
            roles[_FONT] = bold
        return roles

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

    def _background(self, key: str) -> QBrush | None:
        found = [f for f in self.session.by_cell.get(key, []) if not self.session.is_todo(f)]
        if any(f.open and f.severity == "error" for f in found):
            return _BRUSHES["error"]
        if any(f.open for f in found):
            return _BRUSHES["warning"]
        if found:
            return _BRUSHES["waived"]
        if key in self._totals and self.session.autofill.get(self.table.id):
            return _BRUSHES["auto"]
        return None

    def _restyle(self, keys=None) -> None:  # type: ignore[no-untyped-def]
        """Work out the colour of ``keys`` (all data cells if None) for paint to look up."""
        for key in self._by_key if keys is None else keys:
            brush = self._background(key)
            if brush is None:
                self._brush.pop(key, None)
            else:
                self._brush[key] = brush

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
        """Repaint only the cells whose findings changed (colour, tooltip): a repaint of the whole
        grid and its frozen panes was most of a keystroke's cost."""
        keys = [k for k in self.session.restated if k in self._by_key]
        self._restyle(keys)
        for key in keys:
            idx = self.index_for_key(key)
            self.dataChanged.emit(idx, idx, _MARKED)

    def restyle_all(self) -> None:
        """Every cell's colour may have changed (the automatic totals switched on or off)."""
        self._restyle()
        self.dataChanged.emit(self.index(0, 0), self.index(self.table.rows - 1, self.table.cols - 1), _MARKED)

    def _on_replaced(self) -> None:
        self.beginResetModel()
        self._restyle()
        self.endResetModel()
