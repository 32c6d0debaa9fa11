"""The roll-up's units as a Qt table: a thin adapter over ``report.rollup.Unit`` (the core decides
statuses; this only shows them), and a proxy that sorts and shows only units with problems."""

from __future__ import annotations

from typing import Union

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ...report.rollup import STATUS_TEXT, Unit

COLUMNS = ("状态", "单位", "年度", "错误", "提醒", "校验码", "文件", "说明")
STATUS, UNIT, YEAR, ERRORS, WARNINGS, FINGERPRINT, SOURCE, REMARKS = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_COLOURS = {"ok": "#c6efce", "warnings": "#ffeb9c", "errors": "#ffc7ce", "unreadable": "#d9d9d9",
                  "excluded": "#d9d9d9"}
STATUS_ORDER = {"unreadable": 0, "errors": 1, "warnings": 2, "excluded": 3, "ok": 4}  # worst first

_Index = Union[QModelIndex, QPersistentModelIndex]  # Python 3.9 (the .deb) has no X | Y at run time


def remarks(u: Unit) -> str:
    return "；".join([u.reason] * bool(u.reason) + u.remarks + u.notes)


class RollupModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.units: list[Unit] = []

    def set_units(self, units: list[Unit]) -> None:
        self.beginResetModel()
        self.units = list(units)
        self.endResetModel()

    def unit(self, row: int) -> Unit:
        return self.units[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        u = self.units[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            read = u.report is not None
            return (STATUS_TEXT[u.status], u.agency or ("（无机关名称）" if read else ""), str(u.year or ""),
                    str(u.errors) if read else "", str(u.warnings) if read else "", u.fingerprint, u.source,
                    remarks(u))[col]
        if role == SORT_ROLE:
            return (STATUS_ORDER[u.status], u.agency, u.year or 0, u.errors, u.warnings, u.fingerprint, u.source,
                    remarks(u))[col]
        if role == Qt.ItemDataRole.BackgroundRole and col == STATUS:
            return QBrush(QColor(STATUS_COLOURS[u.status]))
        if role == Qt.ItemDataRole.BackgroundRole and col == REMARKS and u.remarks:
            return QBrush(QColor("#ffeb9c"))
        if role == Qt.ItemDataRole.ToolTipRole and col in (SOURCE, REMARKS):
            return "\n".join([u.source, *([u.reason] if u.reason else []), *u.remarks, *u.notes])
        return None


class ProblemFilter(QSortFilterProxyModel):
    """Sorts by each column's natural order; optionally hides units without any problem."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.only_problems = False
        self.setSortRole(SORT_ROLE)

    def set_only_problems(self, on: bool) -> None:
        self.only_problems = on
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802
        if not self.only_problems:
            return True
        model = self.sourceModel()
        return isinstance(model, RollupModel) and model.unit(row).has_problems
