"""A workbook opened within what a real report can hold, and its sheets as bounded text grids.

openpyxl trusts a sheet's extent: one cell at XFD1048576 makes ``iter_rows`` walk 17 billion
positions, and a merge A1:XFD1048576 makes it create a MergedCell for each. The archive is
scanned first (:mod:`.zip_limits`: bytes actually decompressed, tags, merged area), and grids are
built from the cells that exist, cut at :data:`MAX_ROWS` × :data:`MAX_COLS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..report.native import FileFormatError
from .docx_grid import cell_text
from .zip_limits import scan

MAX_ROWS = 1000  # an official table takes < 40 rows, the 数据 sheet 201
MAX_COLS = 100  # and < 20 columns


def open_workbook(path: Path) -> tuple[Any, dict[str, int]]:
    """(the workbook with cached values, per sheet title how many formulas had no cached value)."""
    from openpyxl import load_workbook

    found = scan(path, "Excel 工作簿（.xlsx）", worksheets=True)
    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — openpyxl on a damaged file raises dozens of kinds
        # the library's own words are English ("Unable to read workbook"): the clerk gets what to do
        raise FileFormatError(f"“{path.name}”不是有效的 Excel 工作簿（.xlsx），可能已损坏或含有本软件无法读取的内容："
                              "请在 Excel 或 WPS 表格中打开并另存为 .xlsx 后再导入") from None
    members = found.sheet_members()
    uncached = {title: found.uncached.get(member, 0) for title, member in members.items()}
    if not members:  # workbook.xml unreadable by our scan: count them all under no sheet
        uncached = {"": found.uncached_formulas}
    return wb, {t: n for t, n in uncached.items() if n}


def text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def grid(ws) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The sheet's text by position, merges repeated into every position they cover; a cell's text
    cut at :data:`~.docx_grid.MAX_CELL_CHARS` once per shared string, not once per reference."""
    present = [(r, c, cell.value) for (r, c), cell in ws._cells.items()
               if r <= MAX_ROWS and c <= MAX_COLS and cell.value is not None]
    height = max((r for r, _, _ in present), default=0)
    width = max((c for _, c, _ in present), default=0)
    rows = [[""] * width for _ in range(height)]
    cut: dict[int, str] = {}  # id of a value (cells of one shared string share it) → its text
    for r, c, v in present:
        t = cut.get(id(v))
        if t is None:
            t = cut[id(v)] = cell_text(text(v))
        rows[r - 1][c - 1] = t
    for rng in ws.merged_cells.ranges:  # Excel keeps a merge's value in its top-left cell only
        if rng.min_row > height or rng.min_col > width:
            continue
        value = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, height)):
            for c in range(rng.min_col - 1, min(rng.max_col, width)):
                rows[r][c] = value
    return rows


def rows(ws, min_row: int = 1, max_col: int = MAX_COLS) -> Iterator[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """``ws.iter_rows(values_only=True)`` cut at the cells that exist and :data:`MAX_ROWS`."""
    last = min(ws.max_row, MAX_ROWS)
    if last < min_row:
        return iter(())
    return ws.iter_rows(min_row=min_row, max_row=last, max_col=min(ws.max_column, max_col), values_only=True)
