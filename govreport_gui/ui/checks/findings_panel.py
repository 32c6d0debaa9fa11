"""The list of findings under the grids: severity icon, Chinese message; click to go to the cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QListView, QStyle, QWidget

from ...report.findings import Finding
from ...report.messages import describe
from ..session import ReportSession

FindingRole = Qt.ItemDataRole.UserRole + 2


class FindingsModel(QAbstractListModel):
    def __init__(self, session: ReportSession, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.session = session
        self._items: list[Finding] = list(session.findings)
        self._todo = {id(f): session.is_todo(f) for f in self._items}  # shown as 待填写
        session.findingsChanged.connect(self._refresh)

    def _refresh(self) -> None:
        items = list(self.session.findings)
        # a finding's detail (which sentence, where) is not part of its equality: compare it too
        todo = self.session.is_todo
        if [(f, f.detail, todo(f)) for f in items] == [(f, f.detail, self._todo.get(id(f))) for f in self._items]:
            return  # nothing changed: keep the selection and scroll position
        self.beginResetModel()
        self._items = items
        self._todo = {id(f): todo(f) for f in items}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def finding(self, row: int) -> Finding:
        return self._items[row]

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        f = self._items[index.row()]
        todo = self._todo.get(id(f), False)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            tag = "待填写" if todo else "错误" if f.severity == "error" else "提醒"
            waived = f"（已说明理由：{f.waived}）" if f.waived else ""
            return f"{tag}：{describe(f)}{waived}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"规则 {f.rule}" + (f"，单元格 {', '.join(f.cells[:4])}" if f.cells else "")
        if role == Qt.ItemDataRole.DecorationRole:
            icon = (QStyle.StandardPixmap.SP_MessageBoxInformation if todo
                    else QStyle.StandardPixmap.SP_MessageBoxCritical if f.severity == "error"
                    else QStyle.StandardPixmap.SP_MessageBoxWarning)
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ForegroundRole and (f.waived or todo):
            return QBrush(QColor("#35608a" if todo else "#777777"))
        if role == FindingRole:
            return f
        return None


class FindingsView(QListView):
    """Signals: findingActivated(object): the clicked :class:`Finding`."""

    findingActivated = Signal(object)

    def __init__(self, model: FindingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findings")
        self.setAccessibleName("校验结果")
        self.setModel(model)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setAlternatingRowColors(True)
        self.clicked.connect(self._emit)
        self.activated.connect(self._emit)

    def _emit(self, index: QModelIndex) -> None:
        if index.isValid():
            self.findingActivated.emit(index.data(FindingRole))

    def current_finding(self) -> Finding | None:
        idx = self.currentIndex()
        return idx.data(FindingRole) if idx.isValid() else None
