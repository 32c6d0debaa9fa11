"""The printed pages read back from the PDF (pdftotext -bbox): 表三 across a page break restates
its header and merged labels without overprinting them, 表二 stays whole, paragraphs keep their
indent, the title breaks between phrases (issue 12.2–12.5)."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

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
    end = min((w.y0 for w in words if w.text.startswith("四、政府信息公开")), default=BOTTOM)  # 表四 below
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


@pytest.mark.parametrize(("kept", "added", "first_row", "first_group"), [
    (2, 0, "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),  # the case: inside （五）
    (6, 0, "（一）予以公开", ""),  # the sample: before （一）, the first row under 三、本年度办理结果
    (6, 4, "1.申请人无正当理由逾期不补正", "（六）其他处理"),  # between two groups
])
def test_t3_continuation_restates_header_and_labels(qapp, sample, tmp_path, kept, added, first_row, first_group):
    """The length of 一 (its first ``kept`` paragraphs and ``added`` more) moves 表三's page
    break through its groups."""
    report = copy.deepcopy(sample)
    report.sections["s1"] = sample.sections["s1"][:kept] + [LONG] * added
    out = tmp_path / "r.pdf"
    export_pdf(report, out)
    pages = pdf_words(out)
    groups = assert_t3_continued_cleanly(pages)
    continuation = t3_continuations(pages)[0]
    assert column(continuation, 26, 72).startswith(first_row)
    assert groups[0].startswith(first_group)
    if first_group and not first_row.startswith("1."):  # cut inside the group: its label on both pages
        first = next(p for p in pages if any(w.text == "申请人情况" for w in p))
        assert first_group in column(first, 10, 26)


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
