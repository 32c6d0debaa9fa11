"""Registers made for tests: rows with known categories, so the expected 表三 is known exactly."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from govreport_gui.report.schema import load_schema

HEADER = ("编号", "收到日期", "申请人", "申请人类型", "申请内容", "办理结果", "办结日期", "是否延期", "备注")
# what offices type for each applicant column (synonyms included)
APPLICANT_TEXT = {
    "natural_person": ("自然人", "公民", "个人"), "commercial": ("商业企业", "企业", "公司"),
    "research": ("科研机构",), "public_welfare": ("社会公益组织",),
    "legal_service": ("法律服务机构", "律师事务所", "律所"), "other_org": ("其他", "法人或其他组织—其他"),
}
SECRET_NAMES = ("张秘密", "李隐私", "王保密")  # must never leave the register


def outcome_texts() -> dict[str, tuple[str, ...]]:
    """Several spellings of each outcome: short name, 表三 item label, group—item, numbered label."""
    schema = load_schema()
    table = schema.tables["t3"]
    rows = {c.key.rsplit(".", 1)[0][3:]: c.row for c in table.cells}
    out: dict[str, tuple[str, ...]] = {}
    for key in schema.lists["t3_outcomes"]:
        group, item = table.cell_at(rows[key], 1), table.cell_at(rows[key], 2)
        if group is item:
            out[key] = (group.text, schema.names["t3.row"][key])
        else:
            out[key] = (item.text, f"{group.text} {item.text}", schema.names["t3.row"][key].replace("·", "—"))
    return out


def date_text(day: dt.date, shape: int) -> object:
    """The same day in the shapes offices type (and an Excel date cell for shape 0)."""
    return (day, f"{day.year}-{day.month:02d}-{day.day:02d}", f"{day.year}/{day.month}/{day.day}",
            f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日",
            (day - dt.date(1899, 12, 30)).days)[shape % 6]


def generate(year: int, n: int, seed: int = 7) -> tuple[list[tuple], Counter]:
    """``n`` register rows around ``year`` and the 表三 cell counts they must give."""
    rng = random.Random(seed)
    outcomes = outcome_texts()
    keys = list(outcomes)
    expected: Counter = Counter()
    rows: list[tuple] = []
    start = dt.date(year, 1, 1)
    for i in range(n):
        col = rng.choice(list(APPLICANT_TEXT))
        kind = rng.random()
        if kind < 0.1:  # received last year, concluded last year: not in this report
            received = start - dt.timedelta(days=rng.randint(40, 300))
            concluded = received + dt.timedelta(days=rng.randint(1, 20))
            left = right = None
        elif kind < 0.2:  # carried in from last year
            received = start - dt.timedelta(days=rng.randint(1, 30))
            concluded = start + dt.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.8 else None
            left = "carried_in"
        elif kind < 0.25:  # received next year: ignored
            received = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(0, 40))
            concluded = None
            left = right = None
        else:
            received = start + dt.timedelta(days=rng.randint(0, 364))
            concluded = received + dt.timedelta(days=rng.randint(0, 50))
            if rng.random() < 0.1:
                concluded = None
            left = "new"
        outcome = rng.choice(keys) if concluded is not None else None
        if left is not None:
            right = outcome if concluded is not None and concluded.year == year else "carried_out"
            expected[f"t3.{left}.{col}"] += 1
            expected[f"t3.{right}.{col}"] += 1
            if right != "carried_out":
                expected[f"t3.result.total.{col}"] += 1
        rows.append((
            f"YS-{i + 1:06d}", date_text(received, i), SECRET_NAMES[i % 3], rng.choice(APPLICANT_TEXT[col]),
            f"{SECRET_NAMES[i % 3]}申请公开的内容", rng.choice(outcomes[outcome]) if outcome else "",
            date_text(concluded, i + 1) if concluded else None, "否", "",
        ))
    for key in list(expected):
        row, col = key.rsplit(".", 1)
        expected[f"{row}.total"] += expected[key]
    return rows, expected


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER,
               title: str | None = "某局2025年政府信息公开申请登记台账", cases: Sequence[Sequence[object]] | None = None,
               case_header: Sequence[str] = ("案号", "类型", "结果")) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    if title:
        ws.append([title])
        ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if cases is not None:
        cs = wb.create_sheet("复议诉讼")
        cs.append(list(case_header))
        for row in cases:
            cs.append(list(row))
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER,
              encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
    return path
