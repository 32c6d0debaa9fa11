"""Run-in sub-headings of narrative paragraphs: “（一）主动公开情况。全年…” → the lead and the rest.

In the core because the exporters (楷体 leads), the narrative editor (bold leads) and the drafter
(which sub-heading the cursor is under) must agree on where a sub-heading ends.
"""

from __future__ import annotations

import re

# Run-in sub-headings at the start of a paragraph: “（一）主动公开情况。” (GB/T 9704: 楷体) and
# “1.加强培训。” (仿宋, bold). The heading ends at the first 。 or ： within 30 characters.
SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
ITEM = re.compile(r"^\d+[.．、](?!\d)")
_END = re.compile(r"[。：:]")
HEADING_MAX = 30


def split_lead(text: str) -> tuple[str, str, str]:
    """(lead, rest, kind) of a paragraph: “（一）主动公开。全年…” → (“（一）主动公开。”, “全年…”, "sub")."""
    for pattern, kind in ((SUB, "sub"), (ITEM, "item")):
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end():]
        end = _END.search(rest[:HEADING_MAX + 1])
        if end:
            cut = m.end() + end.end()
        elif len(rest) <= HEADING_MAX and not re.search(r"[，,；;]", rest):
            cut = len(text)  # a heading on its own line: “（二）依申请公开情况”
        elif kind == "sub":
            cut = m.end()  # “（一）2025年，我局…”: only the number is a heading
        else:
            continue
        return text[:cut], text[cut:], kind
    return "", text, ""
