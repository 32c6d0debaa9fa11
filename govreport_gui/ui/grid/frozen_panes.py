"""Frozen column headers and row labels for a grid whose headers are merged cells (表三, 表四).

QHeaderView cannot draw the template's merged headers, so the grid's own header rows and label
columns are shown by three more views over the same model, placed in the grid's viewport margins:
the corner (top-left), the top (header rows, scrolled sideways with the data) and the left (row
labels, scrolled up and down with the data). The grid itself hides those rows and columns, so
scrolling, scrollTo and the keyboard need no special cases.

The panes take no focus, so a click on a header or label must move the grid's cursor itself:
otherwise the keys typed next went into the cell selected before, not the column clicked.

The panes show only labels, which never change: they read a static copy of them (a
QStandardItemModel), so painting them calls no Python and a figure typed into the grid does not
concern them (over the grid's model, each changed cell repainted a sliver of all three panes).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QFrame, QTableView

from ...report.schema import Table
from . import grid_nav
from .table_model import ReportTableModel


def frozen_parts(table: Table) -> tuple[list[int], list[int]]:
    """(header rows, label columns) to freeze: the rows above the first data row and the columns
    left of the first data column, for tables with a header block (表二's headers repeat per group)."""
    if not table.header_rows or not table.cells:
        return [], []
    first_row = min(c.row for c in table.cells)
    first_col = min(c.col for c in table.cells)
    return list(range(first_row)), list(range(first_col))


def label_model(model: ReportTableModel, parent: QObject) -> QStandardItemModel:
    """The table's labels as the grid shows them (text, colour, alignment, bold, tooltip), in a
    model of the same shape that never changes."""
    labels = QStandardItemModel(model.rowCount(), model.columnCount(), parent)
    for cell in model.table.labels:
        idx = model.index(cell.row, cell.col)
        item = QStandardItem(cell.text)
        item.setFlags(model.flags(idx))
        item.setTextAlignment(model.data(idx, Qt.ItemDataRole.TextAlignmentRole))
        item.setBackground(model.data(idx, Qt.ItemDataRole.BackgroundRole))
        item.setToolTip(model.data(idx, Qt.ItemDataRole.ToolTipRole))
        item.setAccessibleText(model.data(idx, Qt.ItemDataRole.AccessibleTextRole))
        font = model.data(idx, Qt.ItemDataRole.FontRole)
        if font is not None:
            item.setFont(font)
        labels.setItem(cell.row, cell.col, item)
    return labels


class FrozenPanes:
    """The three frozen views of ``grid``; call :meth:`sync` after row heights or widths change."""

    def __init__(self, grid: QTableView, table: Table) -> None:
        self.grid = grid
        self.table = table
        self.rows, self.cols = frozen_parts(table)
        self.views: dict[str, QTableView] = {}
        if not self.rows and not self.cols:
            return
        labels = label_model(grid.model(), grid)  # type: ignore[arg-type]
        for part in ("corner", "top", "left"):
            if (part != "left" and not self.rows) or (part != "top" and not self.cols):
                continue
            view = QTableView(grid)
            view.setObjectName(f"{grid.objectName() or 'grid'}.frozen.{part}")
            view.setModel(labels)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setFrameShape(QFrame.Shape.NoFrame)
            view.setWordWrap(True)
            view.horizontalHeader().hide()
            view.verticalHeader().hide()
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.pressed.connect(self._label_pressed)
            for r in range(grid.model().rowCount()):
                view.setRowHidden(r, (r in self.rows) != (part in ("corner", "top")))
            for c in range(grid.model().columnCount()):
                view.setColumnHidden(c, (c in self.cols) != (part in ("corner", "left")))
            self.views[part] = view
        for r in self.rows:
            grid.setRowHidden(r, True)
        for c in self.cols:
            grid.setColumnHidden(c, True)
        if "top" in self.views:  # the header rows follow the data sideways, the labels up and down
            self._link(grid.horizontalScrollBar(), self.views["top"].horizontalScrollBar())
        if "left" in self.views:
            self._link(grid.verticalScrollBar(), self.views["left"].verticalScrollBar())

    def _label_pressed(self, index: QModelIndex) -> None:
        """A click on a header or row label: the cursor goes to the nearest data cell (below a
        column header, right of a row label) and the grid takes the keys."""
        near = grid_nav.nearest(self.table, index.row(), index.column())
        if near is not None:
            self.grid.setCurrentIndex(self.grid.model().index_for_key(near.key))  # type: ignore[attr-defined]
        self.grid.setFocus(Qt.FocusReason.MouseFocusReason)

    @staticmethod
    def _link(a, b) -> None:  # type: ignore[no-untyped-def]
        a.valueChanged.connect(b.setValue)
        b.valueChanged.connect(a.setValue)  # a wheel over the labels scrolls the data too

    def copy_spans(self, cells) -> None:  # type: ignore[no-untyped-def]
        for view in self.views.values():
            for c in cells:
                if c.rowspan > 1 or c.colspan > 1:
                    view.setSpan(c.row, c.col, c.rowspan, c.colspan)

    def sync(self, row_px: list[int], col_px: list[int]) -> None:
        """Give the panes the grid's row heights and column widths, reserve the margins, place them."""
        if not self.views:
            return
        for view in self.views.values():
            for r, px in enumerate(row_px):
                view.setRowHeight(r, px)
            for c, px in enumerate(col_px):
                view.setColumnWidth(c, px)
        self.grid.set_margins(sum(col_px[c] for c in self.cols), sum(row_px[r] for r in self.rows))  # type: ignore[attr-defined]
        self.place()

    def place(self) -> None:
        grid = self.grid
        vp = grid.viewport().geometry()  # inside the frame, after the margins
        left_w, top_h = vp.left() - grid.frameWidth(), vp.top() - grid.frameWidth()
        x0, y0 = grid.frameWidth(), grid.frameWidth()
        geometry = {"corner": (x0, y0, left_w, top_h), "top": (vp.left(), y0, vp.width(), top_h),
                    "left": (x0, vp.top(), left_w, vp.height())}
        for part, view in self.views.items():
            view.setGeometry(*geometry[part])
            view.show()
        if "top" in self.views:
            self.views["top"].horizontalScrollBar().setValue(grid.horizontalScrollBar().value())
        if "left" in self.views:
            self.views["left"].verticalScrollBar().setValue(grid.verticalScrollBar().value())
