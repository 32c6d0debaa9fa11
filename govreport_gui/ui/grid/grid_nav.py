"""Where the cursor goes from a data cell: only data cells, never a label (Qt-free helpers).

Qt's own table navigation walks every grid position, header and label rows included; typing
there is lost. These functions walk the schema's data cells instead, so Enter, Tab and the arrows
land where a figure belongs (表二: 行政规范性文件 → 行政许可 → 行政处罚 → 行政强制 → 行政事业性收费).
"""

from __future__ import annotations

from ...report.schema import DataCell, Table


def reading_order(table: Table) -> list[DataCell]:
    """Data cells row by row, left to right (the Tab order)."""
    return sorted(table.cells, key=lambda c: (c.row, c.col))


def below(table: Table, cell: DataCell, col: int) -> DataCell | None:
    """The first data cell under ``cell`` whose span covers grid column ``col``."""
    for r in range(cell.row + cell.rowspan, table.rows):
        hit = table.cell_at(r, col)
        if isinstance(hit, DataCell):
            return hit
    return None


def above(table: Table, cell: DataCell, col: int) -> DataCell | None:
    for r in range(cell.row - 1, -1, -1):
        hit = table.cell_at(r, col)
        if isinstance(hit, DataCell):
            return hit
    return None


def right_of(table: Table, cell: DataCell) -> DataCell | None:
    for k in range(cell.col + cell.colspan, table.cols):
        hit = table.cell_at(cell.row, k)
        if isinstance(hit, DataCell):
            return hit
    return None


def left_of(table: Table, cell: DataCell) -> DataCell | None:
    for k in range(cell.col - 1, -1, -1):
        hit = table.cell_at(cell.row, k)
        if isinstance(hit, DataCell):
            return hit
    return None


def next_in_column(table: Table, cell: DataCell, col: int) -> DataCell | None:
    """Enter: the data cell below; past a column's last cell, the top of the next column, so a
    figure typed one too many never overwrites the last cell (表四 has a single row of cells)."""
    hit = below(table, cell, col)
    if hit is not None:
        return hit
    for k in range(col + 1, table.cols):
        for r in range(table.rows):
            top = table.cell_at(r, k)
            if isinstance(top, DataCell) and top.col == k:
                return top
    return None


def step(table: Table, cell: DataCell, forward: bool) -> DataCell | None:
    """Tab / Shift+Tab: the next or previous data cell in reading order (None at either end)."""
    order = reading_order(table)
    i = order.index(cell) + (1 if forward else -1)
    return order[i] if 0 <= i < len(order) else None


def nearest(table: Table, row: int, col: int) -> DataCell | None:
    """The data cell closest to a grid position (a click on a label, a page jump)."""
    if not table.cells:
        return None
    return min(table.cells, key=lambda c: (abs(c.row - row) + abs(c.col - col), c.row, c.col))
