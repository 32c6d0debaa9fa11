"""Reading the three tables out of grids of text (from a DOCX or a sheet) by their labels.

Never by position alone: columns are found by their header texts, rows by their labels, which may
be wrapped, split across runs, numbered ``1、`` instead of ``1.``, cut short or lightly reworded.
Everything guessed or unreadable becomes a Chinese note; nothing is invented silently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..report.document import CellValue, Report
from ..report.numbers import NumberError, is_blank_zero, normalise, parse_count, parse_fee
from ..report.schema import LabelCell, Schema

_NUMBERING = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "(": "（", ")": "）", "、": "."})
_FW = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
MATCH = 0.6  # similarity a reworded label needs to count as the same row


class TableError(Exception):
    """A table was recognised but cannot be read (missing rows or columns); Chinese text."""


def norm(text: str) -> str:
    """Label text for comparison: no whitespace, ASCII digits, ``1、``→``1.``, no quotes, ASCII
    brackets as full-width; a leading ``一、`` keeps its 、 (headings are found by it)."""
    s = "".join(text.translate(_FW).split())
    s = re.sub(r"^(\d+)、", r"\1.", s)
    head = re.match(r"^[一二三四五六七八九十]+、", s)
    cut = head.end() if head else 0
    return s[:cut] + s[cut:].translate(_QUOTES)


class Normed(dict):
    """:func:`norm` of each distinct text, computed once: a merged cell repeats one text into every
    grid position it covers (64,000 positions of one long text took minutes when each was normalised)."""

    def __missing__(self, text: str) -> str:
        value = self[text] = norm(text)
        return value


def quoted(text: str, limit: int = 40) -> str:
    """A cell's text as a note quotes it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def key_text(label: str) -> str:
    """A label without its numbering: ``1.属于国家秘密`` → ``属于国家秘密``."""
    return _NUMBERING.sub("", norm(label))


@dataclass
class Reading:
    """Cells read from one document, with the notes the clerk must see."""

    cells: dict[str, CellValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    blanks: int = 0
    t2_2019: bool = False  # 表二 in the 2019 layout (本年新制作/新公开/对外公开总数量)
    t3_2019: bool = False  # 表三 with a single （六）其他处理 row

    def put(self, report: Report, key: str, text: str) -> None:
        cell = report.schema.cells[key]
        raw = text.strip()
        for unit in ("万元", "件", "元"):
            if raw.endswith(unit) and raw[: -len(unit)].strip():
                raw = raw[: -len(unit)]
        if not normalise(raw):
            self.blanks += 1
            return  # an empty cell: not entered, counts and prints as 0
        if is_blank_zero(raw):
            self.cells[key] = 0 if cell.kind == "count" else parse_fee("0")
            return
        try:
            self.cells[key] = parse_fee(raw) if cell.kind == "fee" else parse_count(raw)
        except NumberError as e:
            self.cells[key] = raw  # kept as written; value.count / value.fee will name it
            self.notes.append(f"{_table_name(key)}‘{cell.name}’的内容“{quoted(raw)}”无法识别为数字（{e}），已原样保留，请改正")


def _table_name(key: str) -> str:
    return {"t2": "表二", "t3": "表三", "t4": "表四"}[key[:2]]


def kind_of(grid: list[list[str]]) -> str | None:
    """Which table a grid is, by its labels: 't2', 't3', 't4' or None."""
    texts = {norm(t) for t in {t for row in grid for t in row} if t.strip()}  # merges repeat texts
    joined = "|".join(texts)
    if "申请人情况" in joined or "本年新收政府信息公开申请数量" in joined or "上年结转政府信息公开申请数量" in joined:
        return "t3"
    if "行政复议" in joined and ("行政诉讼" in joined or "复议后起诉" in joined):
        return "t4"
    if "第二十条" in joined or any(t in texts for t in ("规章", "行政许可", "行政处罚", "行政事业性收费")):
        return "t2"
    return None


# --- 表三 -----------------------------------------------------------------------------------------
def _row_labels(schema: Schema, table: str, row: int) -> list[str]:
    t = schema.tables[table]
    out: list[str] = []
    for c in range(t.cols):
        cell = t.cell_at(row, c)
        if isinstance(cell, LabelCell) and cell.text not in out:
            out.append(cell.text)
    return out


def read_t3(report: Report, grid: list[list[str]], out: Reading) -> None:
    schema = report.schema
    table = schema.tables["t3"]
    meta = _grid_meta(schema)
    labels = {key: label for _, key, label in meta["cols"]}  # 自然人 … 其他, 总计: the header texts
    normed = Normed()
    first_data = next((i for i, row in enumerate(grid) if any("本年新收" in normed[t] for t in row)), None)
    if first_data is None:
        raise TableError("表三缺少“一、本年新收政府信息公开申请数量”行")
    header = grid[:first_data]
    width = max(len(r) for r in grid)
    columns = [{normed[r[c]] for r in header if c < len(r)} for c in range(width)]  # once per column
    colmap: dict[str, int] = {}
    for key, label in labels.items():
        for c, texts in enumerate(columns):
            if label in texts or (key == "other_org" and "其它" in texts):
                colmap[key] = c
                break
    missing = [labels[k] for k in labels if k not in colmap]
    if missing:
        raise TableError(f"表三的表头缺少“{'、'.join(missing)}”列")
    first_col = min(colmap.values())
    grid_rows = []
    for i in range(first_data, len(grid)):
        row = grid[i]
        parts: list[str] = []
        for t in row[:first_col]:
            n = normed[t]
            if n and n not in parts:
                parts.append(n)
        if parts:
            grid_rows.append((i, "".join(parts), key_text(parts[-1])))
    row_keys = {r: k for r, k, _ in meta["rows"]}
    wanted = []
    for r in range(table.rows):
        key = row_keys.get(r + 1)
        if key:
            lab = _row_labels(schema, "t3", r)
            group = key_text(lab[1]) if len(lab) == 3 else ""
            wanted.append((key, key_text(lab[-1]), group))
    used: set[int] = set()
    found: dict[str, int] = {}
    others = [g for g in grid_rows if "其他处理" in g[1]]
    if len(others) == 1 and others[0][2] in ("其他处理", ""):
        out.t3_2019 = True  # 2019 format: one （六）其他处理 row
    for key, kt, group in sorted(wanted, key=lambda w: -len(w[1])):
        best, score = None, 0.0
        for i, full, tail in grid_rows:
            if i in used or (group and group not in full):
                continue
            if tail == kt:
                s = 1.0
            elif min(len(kt), len(tail)) >= 4 and (kt.startswith(tail) or tail.startswith(kt)):
                s = 0.95  # cut short, or with words added at the end
            elif max(score, MATCH) * (len(kt) + len(tail)) > 2 * min(len(kt), len(tail)):
                continue  # no ratio can reach what is needed (SequenceMatcher.real_quick_ratio, unbuilt)
            else:
                s = difflib.SequenceMatcher(None, kt, tail).ratio()
            if s > score:
                best, score = i, s
        if best is not None and score >= MATCH:
            merged_other = out.t3_2019 and key == "result.other.other" and best == others[0][0]
            if score < 0.95 and not merged_other:
                tail = next(t for i, _, t in grid_rows if i == best)
                out.notes.append(f"表三的行“{tail}”与格式中的“{kt}”不完全一致，按“{kt}”读取，请核对")
            used.add(best)
            found[key] = best
    if out.t3_2019:
        for key in ("result.other.no_correction", "result.other.fee_unpaid"):
            found.pop(key, None)
        if out.t2_2019:  # 表二 is of 2019 too: the whole report is in the 2019 format
            out.notes.append("该报告使用2019年格式：表三（六）其他处理只有一行，已计入“3.其他”；"
                             "“逾期不补正”“逾期未缴纳费用”两行没有数据，请按实际情况核对")
        else:  # a 2021-format report that printed （六） as one row: its three rows merged
            out.notes.append("表三（六）其他处理印成了一行（三个分项合并），其数据已计入“3.其他”；"
                             "“逾期不补正”“逾期未缴纳费用”两行没有单独的数据，请按实际情况核对并分开填写")
    missing_rows = [k for k, _, _ in wanted if k not in found
                    and not (out.t3_2019 and k in ("result.other.no_correction", "result.other.fee_unpaid"))]
    if missing_rows:
        names = "、".join(schema.names["t3.row"][k] for k in missing_rows[:5])
        more = f"等{len(missing_rows)}行" if len(missing_rows) > 5 else ""
        raise TableError(f"表三缺少“{names}”{more}，表格不完整")
    for key, i in found.items():
        for col, c in colmap.items():
            out.put(report, f"t3.{key}.{col}", grid[i][c] if c < len(grid[i]) else "")


def _grid_meta(schema: Schema) -> dict[str, list[tuple[int, str, str]]]:
    """表三's row and column keys with their 1-based positions, from the schema's names."""
    t3 = schema.tables["t3"]
    rows = sorted({(c.row + 1, c.key.split(".", 1)[1].rsplit(".", 1)[0]) for c in t3.cells})
    cols = sorted({(c.col + 1, c.key.rsplit(".", 1)[1]) for c in t3.cells})
    return {
        "rows": [(r, k, schema.names["t3.row"][k]) for r, k in rows],
        "cols": [(c, k, schema.names["t3.col"][k]) for c, k in cols],
    }


# --- 表四 -----------------------------------------------------------------------------------------
_T4_PARTS = {"结果维持": "upheld", "结果纠正": "corrected", "其他结果": "other", "尚未审结": "pending", "总计": "total"}


def read_t4(report: Report, grid: list[list[str]], out: Reading) -> None:
    header_end = 0
    normed = Normed()
    for i, row in enumerate(grid):
        if any(normed[t] in _T4_PARTS for t in row):
            header_end = i + 1
    rest = grid[header_end:]
    # the first row with content (extra blank rows are skipped); a blank form has only empty rows
    data = next((row for row in rest if any(normalise(t) for t in row)), rest[0] if rest else None)
    if header_end == 0 or data is None:
        raise TableError("表四缺少表头或数据行")
    colmap: dict[str, int] = {}
    width = max(len(r) for r in grid)
    for c in range(width):
        texts = [normed[r[c]] for r in grid[:header_end] if c < len(r)]
        joined = "|".join(texts)
        if "复议后起诉" in joined:
            group = "suit_after_review"
        elif "直接起诉" in joined:
            group = "suit_direct"
        elif "行政复议" in joined:
            group = "review"
        else:
            continue
        part = next((_T4_PARTS[t] for t in reversed(texts) if t in _T4_PARTS), None)
        if part:
            colmap.setdefault(f"t4.{group}.{part}", c)
    missing = [k for k in report.schema.cells if k.startswith("t4.") and k not in colmap]
    if missing:
        raise TableError(f"表四的表头不完整，找不到{len(missing)}列（如“{report.schema.cells[missing[0]].name}”）")
    for key, c in colmap.items():
        out.put(report, key, data[c] if c < len(data) else "")


# --- 表二 -----------------------------------------------------------------------------------------
_T2_ROWS = {"规章": "regulation", "行政规范性文件": "normative_doc", "规范性文件": "normative_doc"}
_T2_COLS = {"制发": "issued", "废止": "repealed", "现行有效": "in_force"}
_T2_SINGLE = {"行政许可": "t2.licensing.decisions", "行政处罚": "t2.penalty.decisions",
              "行政强制": "t2.coercion.decisions", "行政事业性收费": "t2.admin_fee.amount_wan"}


def read_t2(report: Report, grid: list[list[str]], out: Reading) -> None:
    """表二, also when it was split into four small tables (their rows concatenated)."""
    header: dict[int, str] = {}
    seen: set[str] = set()
    normed = Normed()
    for row in grid:
        first = normed[row[0]] if row else ""
        texts = [normed[t] for t in row]
        if first == "信息内容":
            header = {c: t for c, t in enumerate(texts)}
            if any(w in t for t in texts for w in ("新制作", "新公开", "对外公开总数")):
                out.t2_2019 = True
            continue
        if first in _T2_ROWS and not out.t2_2019:
            prefix = f"t2.{_T2_ROWS[first]}"
            for c, h in header.items():
                for word, col in _T2_COLS.items():
                    if word in h and c < len(row):
                        out.put(report, f"{prefix}.{col}", row[c])
                        seen.add(f"{prefix}.{col}")
        elif first in _T2_SINGLE:
            key = _T2_SINGLE[first]
            want = "收费金额" if key.endswith("amount_wan") else "处理决定数量"
            target = next((c for c, h in header.items() if want in h), None)
            if target is None and any("上一年项目数量" in h or "本年增" in h for h in header.values()):
                out.t2_2019 = True  # 2019 layout: 上一年项目数量 / 本年增减 are not this year's figure
                continue
            target = 1 if target is None else target
            if target < len(row):
                out.put(report, key, row[target])
                seen.add(key)
    if out.t2_2019:
        out.notes.append("该报告的表二使用2019年格式：“规章”“规范性文件”的本年新制作/新公开/对外公开总数量"
                         "与2021年格式（本年制发/本年废止/现行有效）含义不同，未导入，请手工填写")
        if "t2.admin_fee.amount_wan" not in seen:
            out.notes.append("该报告的表二没有“本年收费金额”一栏（2019年格式只有上一年项目数量和本年增减），"
                             "行政事业性收费金额未导入，请手工填写")
    expected = [c.key for c in report.schema.tables["t2"].cells]
    unprinted_2019 = (".regulation.", ".normative_doc.", ".admin_fee.")  # no 2021-format counterpart printed
    missing = [k for k in expected if k not in seen and not (out.t2_2019 and any(w in k for w in unprinted_2019))]
    if missing:
        raise TableError(f"表二缺少“{report.schema.cells[missing[0]].name}”等{len(missing)}项，表格不完整")
