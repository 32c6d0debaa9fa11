"""Pasting a block copied from Excel/WPS (tab-separated) into a table, as one all-or-nothing edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import NumberError, is_blank_zero, parse_count, parse_fee
from .schema import DataCell, Table

MAX_PASTE_CELLS = 20_000  # a whole sheet pasted by mistake: refuse instead of freezing


@dataclass
class PastePlan:
    changes: dict[str, int | Decimal | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # Chinese, one per refused value
    outside: int = 0  # values that fell outside the table


def split_block(text: str) -> list[list[str]]:
    """Rows and columns of a clipboard block (Excel ends it with a newline; CR LF from Windows)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


def plan_paste(table: Table, row: int, col: int, text: str) -> PastePlan:
    """Map a block onto the table from (row, col). Label positions are skipped (a block copied
    together with the template's labels still pastes its numbers); every value must parse."""
    plan = PastePlan()
    block = split_block(text)
    size = sum(len(r) for r in block)
    if size > MAX_PASTE_CELLS:
        plan.errors.append(f"粘贴的内容过大（{len(block)}行，共{size}个单元格），超出表格范围，未粘贴")
        return plan
    for i, values in enumerate(block):
        for j, raw in enumerate(values):
            r, c = row + i, col + j
            if r >= table.rows or c >= table.cols:
                if raw.strip():
                    plan.outside += 1
                continue
            cell = table.cell_at(r, c)
            if not isinstance(cell, DataCell) or (cell.row, cell.col) != (r, c):
                continue
            try:
                if not raw.strip() or is_blank_zero(raw):
                    value = None if not raw.strip() else 0
                elif cell.kind == "fee":
                    value = parse_fee(raw)
                else:
                    value = parse_count(raw)
            except NumberError as e:
                plan.errors.append(f"第{i + 1}行第{j + 1}个值（{cell.name}）：{e}")
                continue
            plan.changes[cell.key] = value
    return plan
