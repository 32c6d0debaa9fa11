"""Where a paragraph's run-in sub-heading ends: “（一）主动公开。全年…” → “（一）主动公开。”. The DOCX and
the printout set it in 楷体, the narrative editor in bold (so the editor needs no part of the
export layout to start)."""

from __future__ import annotations

import re

_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_ITEM = re.compile(r"^\d+[.．、](?!\d)")
_END = re.compile(r"[。：:]")
HEADING_MAX = 30  # the heading ends at the first 。 or ： within this many characters


def split_lead(text: str) -> tuple[str, str, str]:
    """(lead, rest, kind) of a paragraph: “（一）主动公开。全年…” → (“（一）主动公开。”, “全年…”, "sub")."""
    for pattern, kind in ((_SUB, "sub"), (_ITEM, "item")):
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
