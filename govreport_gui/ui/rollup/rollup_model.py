"""The roll-up's units as a Qt table: a thin adapter over ``report.rollup.Unit`` (the core decides
statuses and indicators; this only shows them). It sorts itself in Python — a proxy model would
ask ``data()`` once per comparison, a second for 10,000 units — and says which rows have problems
(the window hides the others when asked)."""

from __future__ import annotations

from typing import Union

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...report.indicators import definitions
from ...report.rollup import STATUS_TEXT, Unit

BASE_COLUMNS = ("状态", "单位", "年度", "错误", "提醒")
INDICATORS = tuple(d.id for d in definitions())
TAIL_COLUMNS = ("校验码", "文件", "说明")
COLUMNS = BASE_COLUMNS + tuple(d.name for d in definitions()) + TAIL_COLUMNS
STATUS, UNIT, YEAR, ERRORS, WARNINGS = range(len(BASE_COLUMNS))
FIRST_INDICATOR = len(BASE_COLUMNS)
FINGERPRINT, SOURCE, REMARKS = range(FIRST_INDICATOR + len(INDICATORS), len(COLUMNS))
STATUS_COLOURS = {"ok": "#c6efce", "warnings": "#ffeb9c", "errors": "#ffc7ce", "unreadable": "#d9d9d9",
                  "excluded": "#d9d9d9", "conflict": "#f4b084", "duplicate": "#d9d9d9", "parent": "#ddebf7"}
# worst first: what the clerk must act on, then what to look at, then what is fine
STATUS_ORDER = {"unreadable": 0, "conflict": 1, "errors": 2, "warnings": 3, "duplicate": 4, "excluded": 5,
                "parent": 6, "ok": 7}
MARK_COLOUR = "#ffc7ce"

_Index = Union[QModelIndex, QPersistentModelIndex]  # Python 3.9 (the .deb) has no X | Y at run time


def remarks(u: Unit) -> str:
    return "；".join([u.reason] * bool(u.reason) + u.remarks + u.notes)


def _sort_key(u: Unit, col: int) -> tuple:
    if col == STATUS:
        return (STATUS_ORDER[u.status], u.agency)
    if col == UNIT:
        return (u.agency,)
    if col == YEAR:
        return (u.year or 0,)
    if col == ERRORS:
        return (u.errors,)
    if col == WARNINGS:
        return (u.warnings,)
    if FIRST_INDICATOR <= col < FINGERPRINT:  # not judged last, whichever way
        ind = u.indicators.get(INDICATORS[col - FIRST_INDICATOR])
        return (0, float(ind.value)) if ind is not None and ind.judged else (1, 0.0)  # type: ignore[arg-type]
    return ((u.fingerprint, u.source, remarks(u))[col - FINGERPRINT],)


class RollupModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.units: list[Unit] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_units(self, units: list[Unit]) -> None:
        self.beginResetModel()
        self.units = list(units)
        if self._sort is not None:
            self._order(*self._sort)
        self.endResetModel()

    def unit(self, row: int) -> Unit:
        return self.units[row]

    def row_of(self, source: str) -> int | None:
        return next((i for i, u in enumerate(self.units) if u.source == source), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and FIRST_INDICATOR <= section < FINGERPRINT:
            d = definitions()[section - FIRST_INDICATOR]
            return (f"{d.name}＝{d.numerator_name}÷{d.denominator_name}\n提示线：{d.mark_text}；"
                    f"{d.denominator_name}不足{d.min_denominator}件不作判断（—）\n来源：{d.source}")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._order(column, order)
        self.layoutChanged.emit()

    def _order(self, column: int, order: Qt.SortOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if FIRST_INDICATOR <= column < FINGERPRINT:  # the not judged stay last both ways
            judged = [u for u in self.units if _sort_key(u, column)[0] == 0]
            rest = [u for u in self.units if _sort_key(u, column)[0] == 1]
            judged.sort(key=lambda u: _sort_key(u, column), reverse=descending)
            self.units = judged + rest
        else:
            self.units.sort(key=lambda u: _sort_key(u, column), reverse=descending)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        u = self.units[index.row()]
        col = index.column()
        read = u.report is not None
        if FIRST_INDICATOR <= col < FINGERPRINT:
            ind = u.indicators.get(INDICATORS[col - FIRST_INDICATOR]) if read else None
            if role == Qt.ItemDataRole.DisplayRole:
                return ind.percent() if ind is not None and ind.judged else "—"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if ind is not None and role == Qt.ItemDataRole.BackgroundRole and ind.marked:
                return QBrush(QColor(MARK_COLOUR))
            if ind is not None and role == Qt.ItemDataRole.FontRole and ind.marked:
                return self._bold
            if ind is not None and role == Qt.ItemDataRole.ToolTipRole:
                return ind.explain()
            if role == Qt.ItemDataRole.ForegroundRole and (ind is None or not ind.judged):
                return QBrush(QColor("#808080"))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col < FIRST_INDICATOR:
                return (STATUS_TEXT[u.status], u.agency or ("（无机关名称）" if read else ""), str(u.year or ""),
                        str(u.errors) if read else "", str(u.warnings) if read else "")[col]
            return (u.fingerprint, u.source, remarks(u))[col - FINGERPRINT]
        if role == Qt.ItemDataRole.BackgroundRole and col == STATUS:
            return QBrush(QColor(STATUS_COLOURS[u.status]))
        if role == Qt.ItemDataRole.BackgroundRole and col == REMARKS and u.flagged:
            return QBrush(QColor("#ffeb9c"))
        if role == Qt.ItemDataRole.ToolTipRole and col in (STATUS, SOURCE, REMARKS):
            return "\n".join([u.source, *([u.reason] if u.reason else []), *u.remarks, *u.notes])
        return None
