"""Import last year's published report from a DOCX made in Word, WPS or converted from a website.

Sections are found by their headings, tables by their labels (``table_reader``), the title from
the lines before 一、, agency and date from the closing signature. Whatever had to be guessed or
could not be read is listed in ``report.import_notes`` (Chinese).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..report.document import SECTION_IDS, Report
from ..report.native import FileFormatError
from .docx_grid import Grid, Para, read_blocks
from .report_heading import is_footer, is_furniture, level_of, read_heading, reading
from .table_reader import Reading, TableError, kind_of, norm, read_t2, read_t3, read_t4

# section id → (number, a word its heading must contain)
HEADINGS = {"s1": ("一", "总体情况"), "t2": ("二", "主动公开"), "t3": ("三", "申请"), "t4": ("四", "复议"),
            "s5": ("五", "问题"), "s6": ("六", "其他")}
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def parse_chinese_date(text: str) -> str | None:
    """``2026年1月16日`` or ``二〇二六年一月十六日`` → ``2026-01-16``."""
    s = "".join(text.split()).translate(str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)}))
    if re.search(r"[〇零○一二三四五六七八九十]", s):
        s = _cn_date(s)
    m = _DATE.match(s)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _cn_date(s: str) -> str:
    def number(part: str) -> str:
        if "十" in part:  # 十 / 十六 / 二十 / 三十一
            tens, _, ones = part.partition("十")
            return str(int(_CN_DIGITS.get(tens, "1") if tens else 1) * 10 + int(_CN_DIGITS.get(ones, "0") or 0))
        return "".join(_CN_DIGITS.get(c, c) for c in part)

    m = re.match(r"^(.+?)年(.+?)月(.+?)日$", s)
    if not m:
        return s
    return f"{number(m.group(1))}年{number(m.group(2))}月{number(m.group(3))}日"


def heading_of(text: str) -> str | None:
    n = norm(text)
    if len(n) > 40:
        return None
    for sid, (number, word) in HEADINGS.items():
        if n.startswith(number + "、") and word in n:
            return sid
    return None


def import_docx(path: Path) -> Report:
    """A :class:`Report` from a DOCX; raises :class:`FileFormatError` (Chinese) when it cannot."""
    return import_blocks(read_blocks(path), path.name)


def import_blocks(blocks: list[Para | Grid], name: str) -> Report:
    """A :class:`Report` from a document's paragraphs and tables in reading order (DOCX, HTML)."""
    grids = [b for b in blocks if isinstance(b, Grid) and b.rows]
    if not grids:
        raise FileFormatError(f"“{name}”中没有表格，不是政府信息公开工作年度报告（或表格被保存成了图片）")
    report = Report()
    reading = Reading()
    by_kind: dict[str, list[list[str]]] = {}
    for g in grids:
        kind = kind_of(g.rows)
        if kind:
            by_kind.setdefault(kind, []).extend(g.rows)  # 表二 may come as four small tables
    missing = [n for k, n in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")) if k not in by_kind]
    if missing:
        raise FileFormatError(f"“{name}”中没有找到{'、'.join(missing)}（按表格标签查找），不是2021年格式的年度报告")
    try:
        read_t2(report, by_kind["t2"], reading)
        read_t3(report, by_kind["t3"], reading)
        read_t4(report, by_kind["t4"], reading)
    except TableError as e:
        raise FileFormatError(f"“{name}”：{e}") from None
    report.cells.update(reading.cells)
    read_text(report, blocks, name)
    notes = list(reading.notes)
    if reading.blanks:
        notes.append(f"有{reading.blanks}个空白单元格，按未填写（0）处理")
    report.import_notes = notes + report.import_notes
    return report


_INFO_TITLE = ("名称", "标题", "文件名称", "信息名称")


def read_text(report: Report, blocks: list[Para | Grid], name: str) -> None:
    """Title, metadata and sections from a document's paragraphs. A site's info table (名称 |
    …年度报告, 索引号, 发布机构) is not the report, but its 名称 is the report's title."""
    paras: list[Para] = []
    for b in blocks:
        if isinstance(b, Para):
            paras.append(b)
        elif kind_of(b.rows) is None:
            for row in b.rows[:12]:
                if len(row) >= 2 and norm(row[0]) in _INFO_TITLE and row[1].strip() and row[1] != row[0]:
                    paras.append(Para(row[1]))
                    break
    _read_text(report, paras, name)


def _read_text(report: Report, paras: list[Para], name: str) -> None:
    rd = reading(report.schema)
    current: str | None = "title"
    collected: dict[str, list[str]] = {"title": [], **{sid: [] for sid in SECTION_IDS}}
    seen: set[str] = set()
    for p in paras:
        sid = heading_of(p.text)
        if sid is not None and sid not in seen:
            seen.add(sid)
            current = sid if sid in collected else None
            continue
        text = p.text.strip()
        if not text or current is None:
            continue
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if current == "title":  # a title broken over lines (<w:br/>, <br>) is still one title line
            collected["title"].append("".join(lines))
            continue
        if any(is_footer(line, rd) for line in lines):  # the site's footer: the report has ended
            collected[current].extend(line for line in lines[:next(i for i, x in enumerate(lines) if is_footer(x, rd))]
                                      if not is_furniture(line, rd))
            current = None
            continue
        collected[current].extend(line for line in lines if not is_furniture(line, rd))
    missing = [HEADINGS[s][0] for s in ("s1", "s5", "s6") if s not in seen]
    if missing:
        report.import_notes.append(f"没有找到第{'、'.join(missing)}部分的标题，该部分正文为空，请补写")
    head = read_heading(collected["title"], rd)
    if not head.title and collected["s1"]:  # the opening sentence printed as 一's first paragraph
        inner = read_heading(collected["s1"][:1], rd)
        if inner.title:
            head.title, head.agency, head.year, head.from_preface = inner.title, inner.agency, inner.year, True
        head.agency = head.agency or inner.agency
        head.year = head.year or inner.year
    # the closing signature: a date line, and the agency line above it
    tail = collected["s6"] or collected["s5"]
    date = None
    while tail and date is None:
        date = parse_chinese_date(tail[-1])
        if date is None:
            break
        tail.pop()
    agency = ""
    if date and tail and len(tail[-1]) <= 40 and not re.search(r"[。，；]", tail[-1]):
        agency = tail.pop()
    if not date and head.date_text:  # printed under the title: （2026年1月23日）
        date = parse_chinese_date(head.date_text.strip("（）() "))
    if not agency and tail and tail[-1] in (head.signature_agency, head.agency):
        agency = tail.pop()  # a signature without its date (our own export of an undated report)
    agency = agency or head.signature_agency or head.agency
    title = head.title
    year = head.year
    if year is None and date:
        year = int(date[:4]) - 1
        report.import_notes.append(f"标题中没有年度，按成文日期推断为{year}年，请核对")
    if head.from_preface:
        report.import_notes.append(f"没有单独的标题行，标题取自开头一段：“{title}”，请核对")
    if not agency:
        report.import_notes.append("没有找到机关名称（落款或标题），请在报告信息中填写")
    if not date:
        report.import_notes.append("报告没有印出成文日期（落款），成文日期待填写")
    meta = report.meta
    meta.agency, meta.year, meta.date = agency, year, date
    meta.level = level_of(head.agency or agency, rd)  # what the title names: a place, its government, or an office
    if title and title != meta.effective_title():
        meta.title = title
    for sid in SECTION_IDS:
        report.sections[sid] = collected[sid]
    if head.preface:  # the opening paragraph (统计期限, 《…格式》 cited) is part of the report: head of 一
        report.sections["s1"] = head.preface + report.sections["s1"]
