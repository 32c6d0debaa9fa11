"""The grid a clerk types into: spans as in the template, spreadsheet keys, Excel paste."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QWidget,
)

from ...report.paste import plan_paste
from ...report.schema import DataCell
from . import grid_nav
from .frozen_panes import FrozenPanes
from .table_model import ReportTableModel

Move = QAbstractItemView.CursorAction

PX_PER_MM = 4.6  # screen pixels per millimetre of the printed table: labels stay readable
MIN_COL_PX = 60
MAX_DATA_COL_PX = 150  # wider figure columns only spread the eye; the rest widens the labels


REFUSED_STYLE = "QLineEdit { background: #fde7e9; border: 2px solid #b00020; }"
COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class NumberDelegate(QStyledItemDelegate):
    """A plain line editor; parsing and refusing happen in the model so paste and typing agree.

    A figure the model refuses keeps the editor open on the bad text, framed in red with the
    reason beside it (and in the status bar): Enter or Tab does not move on until it is fixed or
    Esc gives the old value back.

    Signals:
        refused(str): the Chinese reason a typed figure was not taken ("" once it is given up)
    """

    refused = Signal(str)

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # type: ignore[no-untyped-def]  # noqa: N802
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setFrame(False)
        model = index.model()
        editor.setAccessibleName(str(model.data(index, Qt.ItemDataRole.AccessibleTextRole) or ""))
        editor.setProperty("cell_key", model.key_for_index(index))
        editor.textEdited.connect(lambda _t, e=editor: self._clear_refusal(e))
        return editor

    def eventFilter(self, editor, event) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and event.key() in COMMIT_KEYS
                and isinstance(editor, QLineEdit) and self._refuse(editor)):
            return True  # the editor stays open on the bad text
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
                and isinstance(editor, QLineEdit) and editor.property("refused")):
            self._clear_refusal(editor)
            self.refused.emit("")  # the bad text is given up: the refusal no longer applies
        return super().eventFilter(editor, event)

    def _refuse(self, editor: QLineEdit) -> bool:
        view = self.parent()
        model = view.model()  # type: ignore[union-attr]
        reason = model.refusal(model.index_for_key(editor.property("cell_key")), editor.text())
        if reason is None:
            return False
        editor.setStyleSheet(REFUSED_STYLE)
        editor.setToolTip(reason)
        editor.setProperty("refused", reason)
        QToolTip.showText(editor.mapToGlobal(QPoint(0, editor.height())), reason, editor)
        editor.selectAll()
        self.refused.emit(reason)
        return True

    @staticmethod
    def _clear_refusal(editor: QLineEdit) -> None:
        if editor.property("refused"):
            editor.setStyleSheet("")
            editor.setToolTip("")
            editor.setProperty("refused", None)
            QToolTip.hideText()


class ReportTableView(QTableView):
    """A :class:`ReportTableModel` shown like the printed table.

    Signals:
        message(str): a Chinese hint for the status bar (paste results, the end of a column)
        refused(str): a typed or pasted figure was not taken: the reason (stale after the next edit)
    """

    message = Signal(str)
    refused = Signal(str)

    def __init__(self, model: ReportTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._end_of_column: str | None = None  # Enter stopped at this column's last cell
        self.setModel(model)
        self.delegate = NumberDelegate(self)
        self.delegate.refused.connect(self.refused)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table = model.table
        for c in (*table.labels, *table.cells):
            if c.rowspan > 1 or c.colspan > 1:
                self.setSpan(c.row, c.col, c.rowspan, c.colspan)
        # at least two CJK characters and padding: 表四's 结果/维持 wraps as in the template
        self.base_widths = [max(MIN_COL_PX, round(mm * PX_PER_MM)) for mm in table.widths_mm]
        self.data_cols = sorted({c.col for c in table.cells})
        self.col_px = list(self.base_widths)  # what each column is given (a hidden column reports 0)
        self.row_px = [24] * table.rows
        for col, px in enumerate(self.col_px):
            self.setColumnWidth(col, px)
        self.panes = FrozenPanes(self, table)
        self.panes.copy_spans((*table.labels, *table.cells))
        self.fit_rows()
        model.inputRejected.connect(self.refused)
        model.modelReset.connect(self.fit_rows)
        model.layoutChanged.connect(self.fit_rows)
        first = model.index_for_key(table.cells[0].key)
        self.setCurrentIndex(first)

    def fit_rows(self) -> None:
        """Row heights from the wrapped text of that row's own cells, measured at their span width.

        Qt's resizeRowsToContents would give a merged label's whole height to its first row
        (（三）不予公开 to 1.属于国家秘密) and ignores the width a label wraps at.
        """
        model = self.model()
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        for r in range(model.rowCount()):
            height = 24
            for c in range(model.columnCount()):
                cell = model.cell(model.index(r, c))
                if cell is None or (cell.row, cell.col) != (r, c) or cell.rowspan != 1:
                    continue
                text = str(model.data(model.index(r, c)) or "")
                width = sum(self.col_px[c:c + cell.colspan]) - 8
                rect = metrics.boundingRect(QRect(0, 0, max(width, 10), 10_000), flags, text)
                height = max(height, rect.height() + 8)
            self.row_px[r] = height
            self.setRowHeight(r, height)
        self.panes.sync(self.row_px, self.col_px)

    def set_margins(self, left: int, top: int) -> None:
        """Room for the frozen header rows and label columns: QTableView reserves its header
        sizes as viewport margins (and sizes the scroll ranges by them), and the panes cover them."""
        for header, size, fix in ((self.verticalHeader(), left, "setFixedWidth"),
                                  (self.horizontalHeader(), top, "setFixedHeight")):
            getattr(header, fix)(size)
            header.setVisible(size > 0)

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        if hasattr(self, "panes"):
            self.panes.place()

    def fit_columns(self) -> None:
        """Spread the window's width: figure columns first (up to a readable width), then the
        widest label column (its text wraps less, so more rows fit), never below the printed widths."""
        avail = self.contentsRect().width() - self.verticalScrollBar().sizeHint().width() - 2
        widths = list(self.base_widths)
        extra = avail - sum(widths)
        if extra > 0 and self.data_cols:
            each = min(extra // len(self.data_cols), max(0, MAX_DATA_COL_PX - min(widths[c] for c in self.data_cols)))
            for c in self.data_cols:
                widths[c] += each
            extra -= each * len(self.data_cols)
        labels = [c for c in range(len(widths)) if c not in self.data_cols]
        if extra > 0 and labels:
            widest = max(labels, key=lambda c: widths[c])
            widths[widest] += min(extra, widths[widest])
        if widths != self.col_px:
            self.col_px = widths
            for c, px in enumerate(widths):
                self.setColumnWidth(c, px)
            self.fit_rows()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def model(self) -> ReportTableModel:  # narrow the type for callers
        return super().model()  # type: ignore[return-value]

    # --- keyboard ---------------------------------------------------------------------------------
    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:  # noqa: N802
        """Arrows, Tab, Home/End and Page keys stop only on data cells (labels cannot hold figures)."""
        model = self.model()
        table = model.table
        current = self.currentIndex()
        cell = model.cell(current)
        if not isinstance(cell, DataCell):  # on a label (clicked): go to the nearest data cell
            near = grid_nav.nearest(table, max(current.row(), 0), max(current.column(), 0))
            return model.index_for_key(near.key) if near else QModelIndex()
        col = current.column()
        target: DataCell | None
        if action == Move.MoveDown:
            target = grid_nav.below(table, cell, col)
        elif action == Move.MoveUp:
            target = grid_nav.above(table, cell, col)
        elif action == Move.MoveRight:
            target = grid_nav.right_of(table, cell)
        elif action == Move.MoveLeft:
            target = grid_nav.left_of(table, cell)
        elif action in (Move.MoveNext, Move.MovePrevious):
            target = grid_nav.step(table, cell, action == Move.MoveNext)
        else:  # Home/End/PageUp/PageDown: Qt's jump, then the nearest data cell to where it lands
            idx = super().moveCursor(action, modifiers)
            target = grid_nav.nearest(table, idx.row(), idx.column()) if idx.isValid() else None
        # staying put beats a jump into a label: Qt then keeps the current cell
        return model.index_for_key(target.key) if target else current

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: move down like a spreadsheet
            self._move_down()

    def _move_down(self) -> None:
        """Enter: the next data cell below; after a column's last cell, the next column's top.

        When that jump would scroll the cell just typed out of sight (表三's tall columns on a
        small screen), the first Enter stays on it with a hint and the second one jumps: the clerk
        sees the figure (and its colour) before moving on.
        """
        model = self.model()
        current = self.currentIndex()
        cell = model.cell(current)
        if not isinstance(cell, DataCell):
            idx = self.moveCursor(Move.MoveDown, Qt.KeyboardModifier.NoModifier)
        else:
            target = grid_nav.next_in_column(model.table, cell, current.column())
            idx = model.index_for_key(target.key) if target else QModelIndex()
            if (idx.isValid() and grid_nav.below(model.table, cell, current.column()) is None
                    and self._end_of_column != cell.key and not self._both_in_view(current, idx)):
                self._end_of_column = cell.key
                name = model.accessible_name(cell)
                self.message.emit(f"已到本列最后一格（{name}）。再按回车到下一列顶部，Tab 到右边一格")
                return
        if idx.isValid():
            self.setCurrentIndex(idx)

    def _both_in_view(self, a: QModelIndex, b: QModelIndex) -> bool:
        top = min(self.rowViewportPosition(a.row()), self.rowViewportPosition(b.row()))
        bottom = max(self.rowViewportPosition(a.row()) + self.rowHeight(a.row()),
                     self.rowViewportPosition(b.row()) + self.rowHeight(b.row()))
        return bottom - top <= self.viewport().height()

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:  # noqa: N802
        super().currentChanged(current, previous)
        if self.model().key_for_index(current) != self._end_of_column:
            self._end_of_column = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.selection_text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            self.clear_selection()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self._move_down()
            return
        chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
        if (event.text().strip() and not event.modifiers() & chord
                and self.state() != self.State.EditingState and not self._on_data_cell()):
            label = str(self.model().data(self.currentIndex()) or "").replace("\n", "")
            where = f"“{label}”是表头文字" if label else "此处不是填数的单元格"
            self.message.emit(f"未录入“{event.text()}”：{where}，不能填写。请单击白色的数字单元格后再输入。")
            return
        super().keyPressEvent(event)

    # --- focus -----------------------------------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        if not self.currentIndex().isValid() and event.reason() != Qt.FocusReason.MouseFocusReason:
            first = self.model().index_for_key(self.model().table.cells[0].key)  # after a reset: as Qt does
            self.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._focus_changed()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._focus_changed()

    def _focus_changed(self) -> None:
        """Qt repaints the whole grid (and under it the frozen panes) when it gains or loses focus,
        that is twice for every figure typed (the cell editor takes the focus and gives it back).
        Only the current cell and the selection look different with focus: repaint those."""
        current = self.currentIndex()
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled,
                          bool(current.isValid() and current.flags() & Qt.ItemFlag.ItemIsEditable))
        region = self.visualRegionForSelection(self.selectionModel().selection())
        if current.isValid():
            region = region.united(self.visualRect(current))
        self.viewport().update(region)

    def _on_data_cell(self) -> bool:
        return isinstance(self.model().cell(self.currentIndex()), DataCell)

    # --- clipboard and clearing ----------------------------------------------------------------
    def _selected_cells(self) -> list[DataCell]:
        model = self.model()
        seen: dict[str, DataCell] = {}
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        for idx in indexes:
            cell = model.cell(idx)
            if isinstance(cell, DataCell):
                seen.setdefault(cell.key, cell)
        return sorted(seen.values(), key=lambda c: (c.row, c.col))

    def clear_selection(self) -> None:
        cells = self._selected_cells()
        if cells:
            self.model().session.set_cells({c.key: None for c in cells}, "清除")

    def selection_text(self) -> str:
        cells = self._selected_cells()
        if not cells:
            return ""
        report = self.model().session.report
        rows = sorted({c.row for c in cells})
        cols = sorted({c.col for c in cells})
        at = {(c.row, c.col): report.display(c.key) for c in cells}
        return "\n".join("\t".join(at.get((r, c), "") for c in cols) for r in rows) + "\n"

    def paste_text(self, text: str) -> bool:
        """Paste a tab-separated block at the current cell as one undoable edit (all or nothing)."""
        model = self.model()
        start = self.currentIndex()
        if not start.isValid() or not text.strip():
            return False
        plan = plan_paste(model.table, start.row(), start.column(), text)
        if plan.errors:
            more = f"等{len(plan.errors)}处" if len(plan.errors) > 1 else ""
            self.refused.emit(f"未粘贴：{plan.errors[0]}{more}。请修改后重新复制粘贴。")
            return False
        if not plan.changes:
            self.message.emit("没有可粘贴的数据单元格（粘贴从当前选中的单元格开始）")
            return False
        model.session.set_cells(plan.changes, f"粘贴 {len(plan.changes)} 个单元格")
        note = f"，另有{plan.outside}个值超出表格范围未粘贴" if plan.outside else ""
        self.message.emit(f"已粘贴 {len(plan.changes)} 个单元格{note}")
        placed = [model.index_for_key(k) for k in plan.changes]
        end = model.index(max(i.row() for i in placed), max(i.column() for i in placed))
        self.selectionModel().select(QItemSelection(start, end), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def select_keys(self, keys, focus: str) -> None:  # type: ignore[no-untyped-def]
        """Highlight ``keys`` (e.g. a whole column) with the cursor on ``focus``."""
        self.select_key(focus)
        model = self.model()
        selection = QItemSelection()
        for key in keys:
            idx = model.index_for_key(key)
            selection.select(idx, idx)
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def select_key(self, key: str) -> bool:
        idx = self.model().index_for_key(key)
        if not idx.isValid():
            return False
        self.setCurrentIndex(idx)
        self.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus()
        return True
