"""The list of findings under the grids: severity icon, Chinese message; click to go to the cell."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QWidget

from ...report.findings import Finding
from ..session import ReportSession

if TYPE_CHECKING:  # (PySide builds each Qt class with its enums when first touched: not to start)
    from PySide6.QtGui import QBrush, QIcon
    from PySide6.QtWidgets import QStyleOptionViewItem

FindingRole = Qt.ItemDataRole.UserRole + 2
ICONS = Path(__file__).resolve().parent.parent / "icons"  # package data: PNGs drawn for us (scripts/make_icons.py)
ICON_SIZES = (16, 24, 32, 48)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FINDING = int(FindingRole)


def finding_icon(kind: str) -> QIcon:
    """Our own icon for ``error``, ``warning`` or ``todo``: the platform's standard message icons
    are not everywhere (under wine the warning drew as a blank page), and a QStyle look-up per
    painted row was a cost of every keystroke."""
    icon = _icons.get(kind)
    if icon is None:
        from PySide6.QtGui import QIcon

        icon = QIcon()
        for size in ICON_SIZES:
            icon.addFile(str(ICONS / f"{kind}-{size}.png"), QSize(size, size))
        _icons[kind] = icon
    return icon


_icons: dict[str, QIcon] = {}


class _Row:
    """What the list shows of one finding, worked out once (paint asks for it again and again)."""

    __slots__ = ("finding", "todo", "text", "tooltip", "kind", "grey", "same", "size")

    def __init__(self, finding: Finding, todo: bool) -> None:
        describe = _messages().describe
        f = finding
        self.finding, self.todo = f, todo
        tag = "待填写" if todo else "错误" if f.severity == "error" else "提醒"
        waived = f"（已说明理由：{f.waived}）" if f.waived else ""
        self.text = f"{tag}：{describe(f)}{waived}"
        self.tooltip = f"规则 {f.rule}" + (f"，单元格 {', '.join(f.cells[:4])}" if f.cells else "")
        self.kind = "todo" if todo else "error" if f.severity == "error" else "warning"
        self.grey = _grey("todo" if todo else "waived") if (f.waived or todo) else None
        self.same = _same(f)
        self.size: tuple[tuple, QSize] | None = None  # (layout key, size hint): see RowSizes


@cache
def _messages():  # type: ignore[no-untyped-def]
    """The findings' wording, loaded with the first finding shown (once: an import statement per row
    would go through PySide's import hook)."""
    from ...report import messages

    return messages


def _same(f: Finding) -> tuple:
    """What makes two findings the same one, whatever figures their messages quote."""
    return (f.rule, f.cells, f.detail.get("section"), f.detail.get("paragraph"))


def _grey(kind: str) -> QBrush:
    """The text colour of a 待填写 or a waived row."""
    brush = _greys.get(kind)
    if brush is None:
        from PySide6.QtGui import QBrush, QColor

        brush = _greys[kind] = QBrush(QColor({"todo": "#35608a", "waived": "#777777"}[kind]))
    return brush


_greys: dict[str, QBrush] = {}


class FindingsModel(QAbstractListModel):
    """The session's findings as list rows, updated by difference: rows that stay keep their
    selection and scroll position, and only new or reworded rows are laid out and painted."""

    def __init__(self, session: ReportSession, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.session = session
        self._rows: list[_Row] = [_Row(f, session.is_todo(f)) for f in session.findings]
        session.findingsChanged.connect(self._refresh)

    def _refresh(self) -> None:
        old = self._rows
        new = self._rows_for(self.session.findings)
        if len(new) == len(old) and all(a is b for a, b in zip(new, old)):
            return  # nothing changed: no layout, no repaint
        # the common head and tail (the same findings, maybe reworded) stay: their selection too;
        # the rows between are replaced
        head = 0
        while head < min(len(old), len(new)) and old[head].same == new[head].same:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail].same == new[-1 - tail].same:
            tail += 1
        kept_tail = old[len(old) - tail:]
        if len(old) - tail > head:
            self.beginRemoveRows(QModelIndex(), head, len(old) - tail - 1)
            self._rows = old[:head] + kept_tail
            self.endRemoveRows()
        if len(new) - tail > head:
            self.beginInsertRows(QModelIndex(), head, len(new) - tail - 1)
            self._rows = old[:head] + new[head:len(new) - tail] + kept_tail
            self.endInsertRows()
        reworded = [i for i in range(len(new)) if self._rows[i] is not new[i]]
        self._rows = new
        for i in reworded:  # the same finding with other figures in its message
            idx = self.index(i)
            self.dataChanged.emit(idx, idx)

    def _rows_for(self, findings: list[Finding]) -> list[_Row]:
        """Rows for ``findings``, reusing the current row of every finding shown unchanged."""
        todo = self.session.is_todo
        pool: dict[tuple, list[_Row]] = {}
        for row in self._rows:
            pool.setdefault(row.same, []).append(row)
        rows = []
        for f in findings:
            t = todo(f)
            # a finding's detail (which sentence, the figures in its message) is not part of its
            # equality: compare it too
            candidates = pool.get(_same(f), [])
            row = next((r for r in candidates if r.finding == f and r.finding.detail == f.detail and r.todo == t), None)
            if row is None:
                row = _Row(f, t)
            else:
                candidates.remove(row)
            rows.append(row)
        return rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def finding(self, row: int) -> Finding:
        return self._rows[row].finding

    def row(self, row: int) -> _Row:
        return self._rows[row]

    def data(self, index, role: int = _DISPLAY):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (_DISPLAY, _ACCESSIBLE):
            return row.text
        if role == _DECORATION:
            return finding_icon(row.kind)
        if role == _FOREGROUND:
            return row.grey
        if role == _TOOLTIP:
            return row.tooltip
        if role == _FINDING:
            return row.finding
        return None


class RowSizes(QStyledItemDelegate):
    """The list lays out every row again whenever one comes or goes (a finding typed in or out):
    a row's wrapped height is measured once per width, not at every keystroke."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        row = index.model().row(index.row())  # type: ignore[attr-defined]
        # plain values only: the option's fields are views into a C++ object gone after this call
        icon = option.decorationSize
        key = (option.rect.width(), option.font.key(), icon.width(), icon.height(), option.features.value)
        if row.size is None or row.size[0] != key:
            row.size = (key, super().sizeHint(option, index))
        return row.size[1]


class FindingsView(QListView):
    """Signals: findingActivated(object): the clicked :class:`Finding`."""

    findingActivated = Signal(object)

    def __init__(self, model: FindingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findings")
        self.setAccessibleName("校验结果")
        self.setModel(model)
        self.setItemDelegate(RowSizes(self))
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
