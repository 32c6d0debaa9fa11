"""Where the report's title breaks into lines: at phrase boundaries, never mid-word.

GB/T 9704 sets a long title on several lines broken between phrases. A title such as
“示例市示例区数据资源管理局2025年政府信息公开工作年度报告” is too long for one line of the 二号 title
(20 characters in the 156 mm type area) and used to break wherever the line was full
(“…工作年” / “度报告”). The DOCX, the PDF and the window all ask :func:`title_lines`.
"""

from __future__ import annotations

import re

LINE_CHARS = 20.0  # full-width characters per title line (22 pt in the 156 mm type area)
_TAIL = "政府信息公开"  # the fixed wording starts here: “政府信息公开工作年度报告”
_YEAR = re.compile(r"[0-9０-９]{4}\s*年")


def width(text: str) -> float:
    """Printed width in full-width characters (Latin letters and digits are half as wide)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def title_lines(title: str, line_chars: float = LINE_CHARS) -> list[str]:
    """The lines of ``title``: one line if it fits; else broken after the agency and year, before
    政府信息公开工作年度报告; if the agency and year still do not fit, also before the year.
    A title without the standard wording is one line (the renderer wraps it)."""
    title = title.strip()
    cut = title.find(_TAIL)
    if width(title) <= line_chars or cut <= 0:
        return [title] if title else []
    head, tail = title[:cut], title[cut:]
    if width(head) <= line_chars:
        return [head, tail]
    years = list(_YEAR.finditer(head))
    year = years[-1] if years else None  # the last year before the fixed wording
    if year is not None and year.start() > 0 and width(head[year.start():] + tail) <= line_chars:
        return [head[:year.start()], head[year.start():] + tail]
    if year is not None and year.start() > 0:
        return [head[:year.start()], head[year.start():], tail]
    return [head, tail]
