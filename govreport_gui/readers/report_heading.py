"""What a published report says about itself above 一、总体情况 and below 六: title, agency, year,
level and 成文日期, and which lines are the website's rather than the report's.

Published pages put navigation, dates of the page, breadcrumbs and share bars above the title, and
a 主办/网站标识码 footer after the 落款; offices print the title on one line or two, the date under the
title or at the end, and an opening paragraph that may cite 《…年度报告格式》 and even the title.
The patterns live in the format data (``reading``); this module applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..report.document import Level
from ..report.schema import Schema

_YEAR = re.compile(r"(\d{4})\s*年")
_AGENCY_END = re.compile(r"[（(].*$")


@dataclass(frozen=True)
class Reading:
    """The format data's ``reading`` patterns, compiled once."""

    title: re.Pattern[str]
    title_max: int
    not_title: re.Pattern[str]
    date_line: re.Pattern[str]
    government: tuple[re.Pattern[str], ...]
    place: re.Pattern[str]
    preface_title: tuple[re.Pattern[str], ...]
    preface_agency: tuple[re.Pattern[str], ...]
    preface_year: tuple[re.Pattern[str], ...]
    furniture: tuple[re.Pattern[str], ...]
    footer: tuple[re.Pattern[str], ...]
    not_agency: re.Pattern[str]  # what a name the opening gives cannot be (我局, …统计数据, 负责…)
    agency_unit: re.Pattern[str]  # a government's own office that compiled the report (…人民政府综合科)


@lru_cache(maxsize=4)
def _compiled(template: str) -> Reading:
    from ..report.schema import load_schema

    r = load_schema(template).reading

    def many(name: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in r.get(name, []))

    return Reading(re.compile(r["title"]), int(r["title_max"]), re.compile(r["not_title"]),
                   re.compile(r["date_line"]), many("government"), re.compile(r["place"]),
                   many("preface_title"), many("preface_agency"), many("preface_year"),
                   many("furniture"), many("footer"), re.compile(r.get("not_agency", "(?!)")),
                   re.compile(r.get("agency_unit", "(?!)")))


def reading(schema: Schema) -> Reading:
    return _compiled(schema.template)


def is_furniture(line: str, rd: Reading) -> bool:
    """A line of the website, not of the report: navigation, page dates, print/close, share bars."""
    s = line.strip()
    return any(p.search(s) for p in rd.furniture)


def is_footer(line: str, rd: Reading) -> bool:
    """The first line of a site footer (主办：…, 网站标识码, ICP备): nothing after it is the report."""
    s = line.strip()
    return any(p.search(s) for p in rd.footer)


def level_of(agency: str, rd: Reading) -> Level:
    """An area's own report (人民政府, a place named alone, a zone's 管委会) or a department's."""
    name = _AGENCY_END.sub("", "".join(agency.split()))
    if any(p.search(name) for p in rd.government) or rd.place.search(name):
        return "government"
    return "department"


def _is_title(line: str, rd: Reading) -> bool:
    s = "".join(line.split())
    return (len(s) <= rd.title_max and bool(rd.title.search(s)) and bool(_YEAR.search(s))
            and not rd.not_title.search(s))


def agency_in_title(title: str) -> str:
    """The office a title names: before the year (``沭阳县人民政府2025年…``), or between the year
    and the report words when the year comes first (``2019年上海市人民政府办公厅政府信息公开…``)."""
    m = _YEAR.search(title)
    if not m:
        return ""
    before = title[: m.start()].strip()
    if before:
        return before
    after = re.sub(r"^度", "", title[m.end():])
    cut = re.search(r"(?:政府信息公开|政务公开|信息公开)", after)
    return after[: cut.start()].strip() if cut else ""


@dataclass
class Heading:
    title: str = ""
    agency: str = ""  # as the title (or the opening paragraph) names it
    year: int | None = None
    date_text: str = ""  # a date printed under the title: the 成文日期
    signature_agency: str = ""  # an agency line printed under the title (宿迁: title, agency, date)
    preface: list[str] = field(default_factory=list)  # the opening paragraphs (kept at the head of 一)
    from_preface: bool = False  # the title was only found inside the opening paragraph


def read_heading(lines: list[str], rd: Reading) -> Heading:
    """Title, agency, year and opening paragraphs from the lines above 一、总体情况."""
    lines = [s.strip() for s in lines if s.strip() and not is_furniture(s, rd)]
    h = Heading()
    # the title: the last title line, preferring one that names the agency; a title broken over two
    # lines (agency / year and report words, or cut mid-word) is joined
    found: list[tuple[int, int, str]] = []  # (first line, last line, title)
    for i, line in enumerate(lines):
        if _is_title(line, rd):
            found.append((i, i, line))
        if i + 1 < len(lines):
            joined = line + lines[i + 1]
            if (not _is_title(line, rd) and len(line) <= 40 and not rd.not_title.search(line)
                    and _is_title(joined, rd)):
                found.append((i, i + 1, joined))
    if found:
        named = [f for f in found if agency_in_title(f[2])]
        start, end, title = (named or found)[-1]
        last_title_line = max(f[1] for f in found)
        h.title = "".join(title.split())
        rest = lines[last_title_line + 1:]
        # 宿迁-style heading: an agency line and a (date) line under the title
        for line in rest[:2]:
            if rd.date_line.match(line):
                h.date_text = line
            elif not h.date_text and len(line) <= 30 and not re.search(r"[。，；：:]", line) and not _YEAR.search(line):
                h.signature_agency = line
        skip = {h.date_text, h.signature_agency}
        h.preface = [p for p in rest if p not in skip and not _is_title(p, rd)]
    else:
        h.preface = [p for p in lines if re.search(r"[。；]", p)]
    text = "\n".join(h.preface)
    if not h.title or not agency_in_title(h.title):  # none, or one that names no office: the opening may
        for pattern in rd.preface_title:
            m = pattern.search(text)
            if m and (not h.title or agency_in_title(m.group("title"))):
                h.title, h.from_preface = "".join(m.group("title").split()), True
                break
    h.agency = agency_in_title(h.title)
    if not h.agency:
        for pattern in rd.preface_agency:
            m = pattern.search(text)
            if m:
                agency = re.sub(r"[（(]以下简称[^）)]*[）)]", "", m.group("agency")).strip()
                if rd.not_agency.search(agency):
                    continue
                unit = rd.agency_unit.match(agency)
                h.agency = unit.group("agency") if unit else agency
                break
    m = _YEAR.search(h.title)
    if m:
        h.year = int(m.group(1))
    else:
        for pattern in rd.preface_year:
            y = pattern.search(text)
            if y:
                h.year = int(y.group("year"))
                break
    return h
