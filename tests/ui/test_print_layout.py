"""The printed pages read back from the PDF (pdftotext -bbox): 表三 across a page break restates
its header and merged labels without overprinting them, begins on a new page unless enough of its
rows fit and leaves no few rows alone at its end (issue 21.10), nothing is cut by a page's edge,
paragraphs leave no line alone, 表二 stays whole, paragraphs keep their indent, the title breaks
between phrases (issue 12.2–12.5). Papers of other heights than A4 move 表三's page breaks through
its groups, as reports of other lengths would."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from govreport_gui.export.layout import FIRST_ROWS, LAST_ROWS
from govreport_gui.ui.printout.printing import MARGINS_MM, export_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

PT_PER_MM = 72 / 25.4
LEFT = MARGINS_MM.left() * PT_PER_MM  # the type area's left edge, in PDF points
BOTTOM = (297 - MARGINS_MM.bottom()) * PT_PER_MM  # the footer (page number) is below
GROUPS = ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_words(path: Path) -> list[list[Word]]:
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        pages.append([Word(unescape(m[4]), *map(float, m[:4])) for m in _WORD.findall(page)])
    return pages


def column(words: list[Word], left_mm: float, right_mm: float) -> str:
    """The text inside one column of 表三 (x from the type area's left edge), top to bottom."""
    lo, hi = LEFT + left_mm * PT_PER_MM - 1, LEFT + right_mm * PT_PER_MM + 1
    end = _t4_top(words)
    inside = sorted((w for w in words if w.x0 >= lo and w.x1 <= hi and w.y1 < end),
                    key=lambda w: (round(w.y0), w.x0))
    return "".join(w.text for w in inside)


def overlapping(words: list[Word]) -> list[tuple[str, str]]:
    hits = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > 1 and dy > 1:
                hits.append((a.text, b.text))
    return hits


def t3_continuations(pages: list[list[Word]]) -> list[list[Word]]:
    with_header = [p for p in pages if any(w.text == "申请人情况" for w in p)]
    return with_header[1:]


def assert_t3_continued_cleanly(pages: list[list[Word]]) -> list[str]:
    """On every continuation page of 表三: the repeated header on top, 三、本年度办理结果 and
    the group labels restated in full, nothing printed over anything else. Returns each
    continuation's group column."""
    continuations = t3_continuations(pages)
    assert continuations, "表三 should run onto a second page"
    for page in pages:
        assert overlapping(page) == []
    groups = []
    for page in continuations:
        top = min(page, key=lambda w: w.y0)
        assert top.text == "申请人情况"  # the repeated header comes first
        col1 = column(page, 10, 26)
        if column(page, 26, 72):  # the page holds result rows
            assert column(page, 0, 10) == "三、本年度办理结果"
        for label in GROUPS:
            if label[:3] in col1:
                assert label in col1, (label, col1)
        groups.append(col1)
    return groups


LONG = "（六）其他工作。加强政务公开队伍建设，定期组织业务培训，提升工作人员依法公开意识。"
TOP = MARGINS_MM.top() * PT_PER_MM


def on_paper(report, path: Path, height_mm: float = 297) -> Path:
    """The report printed on paper of A4 width and ``height_mm`` (the same margins): other page
    heights move 表三's page breaks through its groups, as different reports do on A4."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize

    from govreport_gui.ui.printout.printing import new_pdf_writer, render

    writer = new_pdf_writer(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(210, height_mm), QPageSize.Unit.Millimeter),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    render(writer, report)
    del writer  # finishes the file
    return path


def t3_body_rows(page: list[Word]) -> int:
    """表三's rows on a page: each has one figure in the 总计 column."""
    return sum(1 for w in page if re.fullmatch(r"\d+", w.text) and w.x0 >= LEFT + 144 * PT_PER_MM - 1
               and w.x1 <= LEFT + 156 * PT_PER_MM + 1 and w.y1 < _t4_top(page))


def _t4_top(page: list[Word]) -> float:
    """Where 表三 ends on a page: at 表四's heading, else at the footer (“— N —”)."""
    return min((w.y0 for w in page if w.text.startswith("四、政府信息公开") or w.text == "—"), default=BOTTOM)


def t3_pages(pages: list[list[Word]]) -> list[list[Word]]:
    return [p for p in pages if any(w.text == "申请人情况" for w in p)]


def assert_t3_rows_kept_together(pages: list[list[Word]]) -> list[int]:
    """Every row of 表三 printed once; at least FIRST_ROWS on its first page, LAST_ROWS on its
    last (issue 21.10). Returns the rows on each of its pages."""
    rows = [t3_body_rows(p) for p in t3_pages(pages)]
    assert sum(rows) == 25, rows
    if len(rows) > 1:
        assert rows[0] >= FIRST_ROWS and rows[-1] >= LAST_ROWS, rows
    return rows


def test_t3_begins_on_a_new_page_when_few_rows_fit(qapp, sample, tmp_path):
    """The issue's printout: 表三 began at the foot of page 2 with its header and 2 rows and
    ended with 3 rows on page 4. Here only four of its rows fit below 表二: it begins on page 3
    with its heading, and its last page holds five rows."""
    pages = pdf_words(on_paper(sample, tmp_path / "r.pdf"))
    text = ["".join(w.text for w in page) for page in pages]
    heading = next(i for i, t in enumerate(text) if "三、收到和处理政府信息公开申请情况" in t)
    assert "第二十条第（八）项" not in text[heading]  # not below 表二
    assert "一、本年新收政府信息公开申请数量" in text[heading]
    assert assert_t3_rows_kept_together(pages) == [20, 5]
    assert_t3_continued_cleanly(pages)


@pytest.mark.parametrize(("height", "firsts", "inside"), [
    (297, ["1.申请人无正当理由逾期不补正"], False),  # A4: before （六）, the last five rows
    (264, ["2.重复申请"], True),  # inside （五）不予处理: its label on both pages
    (252, ["1.信访举报投诉类申请"], False),  # between two groups
    (308, ["2.其他法律行政法规禁止公开"], True),  # 表三 begins below 表二 (five rows fit there)
    (184, ["2.其他法律行政法规禁止公开", "2.没有现成信息需要另行制作", "1.申请人无正当理由逾期不补正"], True),
])
def test_t3_continuations_restate_header_and_labels(qapp, sample, tmp_path, height, firsts, inside):
    pages = pdf_words(on_paper(sample, tmp_path / "r.pdf", height))
    groups = assert_t3_continued_cleanly(pages)
    assert_t3_rows_kept_together(pages)
    continuations = t3_continuations(pages)
    assert len(continuations) == len(firsts)
    for page, first in zip(continuations, firsts):
        assert column(page, 26, 72).startswith(first)
    if inside:  # a cut inside a group: its label on both sides of the page break
        label = next(g for g in GROUPS if groups[0].startswith(g))
        before = t3_pages(pages)[0]
        assert label in column(before, 10, 26)


@pytest.mark.parametrize("height", [184, 252, 297, 308])
def test_nothing_is_printed_outside_the_type_area(qapp, sample, tmp_path, height):
    """The pages are cuts of one long page: no line or row may be cut by a page's edge (its
    text would show outside the type area, or twice)."""
    report = copy.deepcopy(sample)
    report.sections["s1"] = sample.sections["s1"] + [LONG * 3] * 4
    pages = pdf_words(on_paper(report, tmp_path / "r.pdf", height))
    foot = (height - MARGINS_MM.bottom()) * PT_PER_MM
    for n, page in enumerate(pages):
        body = [w for w in page if not (w.text.startswith("—") or w.text in ("校验码",) or w.y0 > foot + 5)]
        assert body, n
        assert min(w.y0 for w in body) >= TOP - 1, (n, min(body, key=lambda w: w.y0))
        assert max(w.y1 for w in body) <= foot + 1, (n, max(body, key=lambda w: w.y1))
    printed = "".join(w.text for page in pages for w in page)
    assert printed.count("示例市示例区数据资源管理局") == 2  # the title and the signature, once each


def test_paragraphs_leave_no_line_alone(qapp, sample, tmp_path):
    """No paragraph leaves one line alone at a page's foot or head, and no heading ends a page
    (read back from where printed lines begin: a paragraph's or heading's first line is indented
    by two characters, the lines after it are not)."""
    report = copy.deepcopy(sample)
    report.sections["s1"] = [LONG * k for k in (2, 1, 3, 5, 1, 2, 7, 2, 3, 1, 4, 2, 2, 6, 1, 3)]
    pages = [_body_lines(p) for p in pdf_words(on_paper(report, tmp_path / "r.pdf"))]
    breaks = 0
    for before, after in zip(pages, pages[1:]):
        if len(before) < 2 or len(after) < 2:
            continue  # a page of tables
        assert not re.match(r"[一二三四五六]、", before[-1].text), before[-1]  # a heading goes with its text
        if _indented(after[0]):
            assert not _indented(before[-1]) or len(before[-1].text) < 26, before[-1]  # no first line alone
        else:  # the page begins inside a paragraph: two of its lines on each side
            breaks += 1
            assert not _indented(before[-1]), (before[-1], after[0])
            assert not _indented(after[1]), (after[0], after[1])
    assert breaks >= 2  # the test met paragraphs cut by pages


def _indented(word: Word) -> bool:
    return word.x0 > LEFT + 16


def _body_lines(page: list[Word]) -> list[Word]:
    """The first word of each printed line of 三号 (16 pt) text: narrative and headings."""
    starts: dict[int, Word] = {}
    for w in page:
        if w.y0 < TOP - 1 or w.y1 > BOTTOM or not 14 < w.y1 - w.y0 < 19:
            continue
        key = round(w.y0)
        if key not in starts or w.x0 < starts[key].x0:
            starts[key] = w
    return [starts[k] for k in sorted(starts)]


def test_t2_stays_whole_with_its_heading(qapp, sample, tmp_path):
    out = tmp_path / "r.pdf"
    export_pdf(sample, out)
    pages = ["".join(w.text for w in page) for page in pdf_words(out)]
    holding = [i for i, text in enumerate(pages) if "第二十条第（一）项" in text]
    assert len(holding) == 1
    page = pages[holding[0]]
    for needle in ("二、主动公开政府信息情况", "信息内容", "规章", "行政规范性文件", "第二十条第（八）项", "行政事业性收费"):
        assert needle in page, needle


def test_paragraphs_are_indented_and_title_breaks_between_phrases(qapp, sample, tmp_path):
    out = tmp_path / "r.pdf"
    export_pdf(sample, out)
    pages = pdf_words(out)
    title = sorted((w for w in pages[0] if w.y0 < pages[0][0].y0 + 60), key=lambda w: w.y0)
    assert [w.text for w in title[:2]] == ["示例市示例区数据资源管理局2025年", "政府信息公开工作年度报告"]
    words = [w for page in pages for w in page]
    six = next(w for w in words if w.text.startswith("2025年，我局未收取信息处理费"))
    first_of_one = next(w for w in words if w.text.startswith("2025年，我局按照"))
    wrapped = next(w for w in words if w.text.startswith("要求，坚持以公开为常态"))  # 一's second line
    for para in (six, first_of_one):
        assert abs(para.x0 - (LEFT + 32)) < 2, para  # two 16 pt characters in from the margin
    assert abs(wrapped.x0 - LEFT) < 2
