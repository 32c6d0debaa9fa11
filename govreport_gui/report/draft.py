"""起草: the sentences of 一、总体情况 that restate the tables, drafted from them with live fields.

Every figure of a draft is a bound field (``{{fig:new}}``), and a change against last year is one
too (``{{yoy:new}}`` → “，同比增长12.5%”), so the draft follows the tables as inserted figures do.
The wording — sentences, the clauses kept only when their figures are not zero, the 同比 phrasing
and its rounding — is data (``draft_2021.json`` beside the format data), not code.

Qt-free: the narrative editor, the ``govreport draft`` command and the rules (``x.identical``
leaves drafted wording out) all use it.

Use::

    text = draft_topic(report, "依申请公开")           # stored form, with {{fig:…}} fields
    report.render(text)                                # as printed
    result = draft_into(report, report.sections["s1"], cursor=(2, 5))
    result.paragraphs, result.topics, result.cursor    # 一 with the draft, what was drafted, where it ends
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .document import FIELDS
from .headings import split_lead
from .schema import SchemaError, load_schema

if TYPE_CHECKING:
    from .document import Report

Piece = Union[str, dict]  # a string of the data file, or an object with when/parts/text/else
_PLACEHOLDER = re.compile(r"\{(?:(yoy):)?([a-z_]+)\}")
_NUMBER = r"\d+(?:\.\d+)?"
_SENTENCE_END = "。！？!?"
_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Topic:
    topic: str  # the required topic of 一 it belongs to (a name of the format data's ``topics``)
    name: str  # what the menu shows
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Style:
    """The drafting data of a national format (``draft_<template>.json``)."""

    heading: str
    change: dict
    topics: tuple[Topic, ...]

    def topic(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.topic == name), None)


def _walk(piece: Piece):  # type: ignore[no-untyped-def]
    """Every string and ``text`` of a piece, and every condition, depth first."""
    if isinstance(piece, str):
        yield "text", piece
        return
    for cond in piece.get("when", []):
        yield "when", cond
    if "text" in piece:
        yield "text", piece["text"]
    for part in piece.get("parts", []):
        yield from _walk(part)
    if "else" in piece:
        yield from _walk(piece["else"])


def _validate(style: Style, template: str) -> None:
    schema = load_schema(template)
    figures = {f.id: f for f in schema.figures}
    topics = {name for name, _ in schema.topics}
    for t in style.topics:
        if t.topic not in topics:
            raise SchemaError(f"draft topic {t.topic} is not a topic of the format")
        for piece in t.pieces:
            for kind, item in _walk(piece):
                if kind == "when":
                    test, _, ids = item.partition(":")
                    names = ids.split(",") if ids else []
                    if test not in ("nonzero", "zero", "last") or any(i not in figures for i in names):
                        raise SchemaError(f"draft condition {item!r} of {t.topic} is not understood")
                    continue
                for m in _PLACEHOLDER.finditer(item):
                    fig = figures.get(m.group(2))
                    if fig is None or fig.kind != "count":
                        raise SchemaError(f"draft text {item!r} names {m.group(2)}, no table figure")


@cache
def load_style(template: str = "2021") -> Style:
    """The validated drafting data of a national format (cached: loaded once per process)."""
    if template != "2021":
        raise KeyError(template)
    data = json.loads((Path(__file__).parent / f"draft_{template}.json").read_text(encoding="utf-8"))
    style = Style(data["heading"], data["change"],
                  tuple(Topic(t["topic"], t["name"], tuple(t["pieces"])) for t in data["topics"]))
    _validate(style, template)
    return style


# --- 同比 ------------------------------------------------------------------------------------------
def _plain(number: Decimal) -> str:
    """12.5, 100 (a trailing .0 is not printed), 3."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def change_words(now: int | Decimal, before: int | Decimal, value: str, spec: dict) -> str:
    """The change from ``before`` to ``now`` in the data's words: “，同比增长12.5%”, “，同比减少3件”,
    “，与上年持平”. A percentage is printed only against a base of at least ``percent_min_base``
    (never against 0) and only when it does not round to 0."""
    diff = Decimal(now) - Decimal(before)
    if not diff:
        return spec["same"]
    if before >= spec["percent_min_base"]:
        places = Decimal(1).scaleb(-int(spec["places"]))
        pct = (abs(diff) * 100 / Decimal(before)).quantize(places, rounding=ROUND_HALF_UP)
        if pct:
            return spec["up_percent" if diff > 0 else "down_percent"].replace("{P}", _plain(pct))
    unit = spec["units"].get(value, "")
    words = spec["up_count" if diff > 0 else "down_count"]
    return words.replace("{N}", _plain(abs(diff))).replace("{U}", unit)


def last_known(report: Report) -> bool:
    """Last year's figures are known: a report of the year before is attached (carried or loaded)."""
    last = report.last
    if last is None:
        return False
    return not (report.meta.year and last.meta.year) or last.meta.year == report.meta.year - 1


def change_text(report: Report, fid: str) -> str | None:
    """The live text of ``{{yoy:fid}}``: the change of a figure against last year's report, or
    None when last year's figures are not known or the figure is not a table count."""
    if not last_known(report):
        return None
    fig = next((f for f in report.schema.figures if f.id == fid and f.kind == "count"), None)
    if fig is None:
        return None
    now, before = report.figure_value(fid), report.last.figure_value(fid)  # type: ignore[union-attr]
    if now is None or before is None:
        return None
    return change_words(now, before, fig.value, load_style(report.schema.template).change)


# --- drafting -------------------------------------------------------------------------------------
def _holds(report: Report, cond: str) -> bool:
    test, _, ids = cond.partition(":")
    if test == "last":
        return last_known(report)
    values = [report.figure_value(i) or 0 for i in ids.split(",")]
    return any(values) if test == "nonzero" else not any(values)


def _fields(report: Report, text: str) -> str:
    """``{new}`` → ``{{fig:new}}``; ``{yoy:new}`` → ``{{yoy:new}}``, or nothing when last year is unknown."""
    known = last_known(report)

    def field(m: re.Match[str]) -> str:
        if m.group(1):
            return f"{{{{yoy:{m.group(2)}}}}}" if known else ""
        return f"{{{{fig:{m.group(2)}}}}}"

    return _PLACEHOLDER.sub(field, text)


def _build(report: Report, piece: Piece) -> str:
    if isinstance(piece, str):
        return _fields(report, piece)
    if not all(_holds(report, c) for c in piece.get("when", [])):
        return _build(report, piece["else"]) if "else" in piece else ""
    if "parts" in piece:
        body = piece.get("join", "").join(t for t in (_build(report, p) for p in piece["parts"]) if t)
        if not body:
            return ""
    else:
        body = _fields(report, piece.get("text", ""))
    return f"{piece.get('before', '')}{body}{piece.get('after', '')}" if body else ""


def draft_topic(report: Report, topic: str) -> str:
    """The drafted text of one topic in stored form (bound fields), "" if the data has none."""
    t = load_style(report.schema.template).topic(topic)
    return "".join(_build(report, p) for p in t.pieces) if t else ""


def drafted_topics(report: Report) -> tuple[str, ...]:
    return tuple(t.topic for t in load_style(report.schema.template).topics)


def heading_for(report: Report, topic: str) -> str:
    """A new sub-heading for a topic, numbered by its place among the format's topics."""
    names = [name for name, _ in report.schema.topics]
    n = _ORDINALS[names.index(topic)] if topic in names else ""
    return load_style(report.schema.template).heading.replace("{n}", n).replace("{topic}", topic)


def topic_of(report: Report, paragraph: str) -> str | None:
    """The required topic a paragraph's sub-heading names (“（二）依申请公开情况”), None if it has
    no sub-heading or names none."""
    lead, _, _ = split_lead(report.render(paragraph).strip())
    if not lead:
        return None
    for name, patterns in report.schema.topics:
        if any(p in lead for p in patterns):
            return name
    return None


def _headed(report: Report, paras: list[str]) -> list[tuple[int, str | None]]:
    """(index, topic) of every paragraph that begins with a sub-heading."""
    out = []
    for i, p in enumerate(paras):
        lead, _, _ = split_lead(report.render(p).strip())
        if lead:
            out.append((i, topic_of(report, p)))
    return out


def stored_offset(report: Report, text: str, col: int) -> int:
    """The offset in stored text (with ``{{fig:…}}``) of a column in the printed text; a column
    inside a field's value is taken to be after the field."""
    shown = stored = 0
    for m in FIELDS.finditer(text):
        plain = m.start() - stored
        if col <= shown + plain:
            return stored + (col - shown)
        shown += plain
        value = report.render(m.group(0))
        if col < shown + len(value):
            return m.end()
        shown += len(value)
        stored = m.end()
    return min(stored + (col - shown), len(text))


def shown_offset(report: Report, text: str, offset: int) -> int:
    """The column in the printed text of an offset in stored text (at a field's boundary)."""
    return len(report.render(text[:offset]))


@dataclass(frozen=True)
class Drafted:
    paragraphs: list[str]  # the section with the draft
    topics: tuple[str, ...]  # the topics drafted, in order
    cursor: tuple[int, int]  # (paragraph, stored offset) at the end of the last text inserted
    note: str = ""  # what was not drafted and why ("" when everything asked for was)


def _block_end(heads: list[tuple[int, str | None]], h: int, count: int) -> int:
    """The last paragraph under the sub-heading at ``h`` (before the next sub-heading)."""
    return next((i - 1 for i, _ in heads if i > h), count - 1)


def _sentence_boundary(text: str, at: int) -> int:
    """``at`` if a sentence ends there (or the paragraph starts), else just after the next 。."""
    if at <= 0 or at >= len(text) or text[at - 1] in _SENTENCE_END or not text[:at].strip():
        return max(0, min(at, len(text)))
    ends = [i for i in (text.find(c, at) for c in _SENTENCE_END) if i != -1]
    return min(ends) + 1 if ends else len(text)


def _after_heading(paras: list[str], h: int, text: str) -> tuple[int, int]:
    """Put ``text`` right after the sub-heading of paragraph ``h``: after a run-in lead in the same
    paragraph (“（二）依申请公开情况。” + text + what followed), or as the next paragraph under a
    heading on its own line (“（二）依申请公开情况”)."""
    lead, rest, _ = split_lead(paras[h])
    if rest.strip() or lead.rstrip()[-1:] in "。：:":
        cut = len(lead)
        paras[h] = paras[h][:cut] + text + paras[h][cut:]
        return h, cut + len(text)
    paras.insert(h + 1, text)
    return h + 1, len(text)


def _at_cursor(paras: list[str], i: int, col: int, text: str) -> tuple[int, int]:
    """Put ``text`` at the cursor, moved on to the end of its sentence so that none is split; at the
    end of a paragraph of text it becomes the next paragraph; a blank line takes it."""
    if i >= len(paras):  # below the last paragraph: a new one at the end
        paras.append(text)
        return len(paras) - 1, len(text)
    para = paras[i]
    if not para.strip():
        paras[i] = text
        return i, len(text)
    at = _sentence_boundary(para, col)
    if at >= len(para.rstrip()):
        paras.insert(i + 1, text)
        return i + 1, len(text)
    paras[i] = para[:at] + text + para[at:]
    return i, at + len(text)


def _insert(report: Report, paras: list[str], topic: str, text: str, cursor: tuple[int, int] | None,
            alone: bool, own_heads: bool) -> tuple[int, int] | None:
    """Insert one topic's draft; its end (paragraph, stored offset), or None when there is no
    place for it. ``alone``: this topic only (the cursor is where the clerk wants it);
    ``own_heads``: 一 had sub-headings of its own before the draft."""
    heads = _headed(report, paras)
    h = next((i for i, t in heads if t == topic), None)
    if h is not None:
        end = _block_end(heads, h, len(paras))
        if alone and cursor is not None and h <= cursor[0] <= end:
            i, col = cursor
            if i != h or col > len(split_lead(paras[h])[0]):
                return _at_cursor(paras, i, col, text)
        return _after_heading(paras, h, text)
    if alone and cursor is not None:  # no sub-heading of its own: where the clerk put the cursor
        return _at_cursor(paras, *cursor, text)
    if own_heads:  # the office's own sub-headings: a numbered one of ours would clash with them
        return None
    while paras and not paras[-1].strip():
        paras.pop()  # trailing blank lines
    head = heading_for(report, topic)
    paras.append(head + text)
    return len(paras) - 1, len(head) + len(text)


def draft_into(report: Report, paragraphs: list[str], cursor: tuple[int, int] | None = None,
               topic: str | None = None) -> Drafted:
    """一 with a draft inserted; nothing that was there is changed or removed.

    ``cursor``: (paragraph, stored offset) of the clerk's cursor. ``topic``: the topic to draft;
    None drafts the topic whose sub-heading the cursor is under, or every topic when the cursor is
    under no sub-heading; "*" drafts every topic.

    One topic goes at the cursor when the cursor is in its part (moved on to the end of the
    sentence) or when 一 has no sub-heading for it, else right after its sub-heading. Every topic:
    each right after its sub-heading; one without a sub-heading is left out when 一 has sub-headings
    of its own (a numbered one of ours would clash with the office's numbering), and goes at the end
    under a new numbered sub-heading when 一 has none at all.
    """
    paras = list(paragraphs)
    style = load_style(report.schema.template)
    if topic is None and cursor is not None and 0 <= cursor[0] < len(paras):
        above = [(i, t) for i, t in _headed(report, paras) if i <= cursor[0]]
        if above:
            h, found = above[-1]
            if found is None or style.topic(found) is None:
                shown = split_lead(report.render(paras[h]).strip())[0].rstrip("。：: ")
                names = "、".join(t.topic for t in style.topics)
                return Drafted(paras, (), cursor, f"光标所在的“{shown}”没有可由表格起草的内容（可起草：{names}）")
            topic = found
    alone = topic not in (None, "*")
    topics = [topic] if alone else [t.topic for t in style.topics]
    if style.topic(topics[0]) is None:  # type: ignore[arg-type]
        raise KeyError(topics[0])
    done: list[str] = []
    left: list[str] = []
    end = cursor or (max(len(paras) - 1, 0), len(paras[-1]) if paras else 0)
    own_heads = bool(_headed(report, paras))
    for name in topics:
        text = draft_topic(report, name)  # type: ignore[arg-type]
        at = _insert(report, paras, name, text, cursor, alone, own_heads) if text else None  # type: ignore[arg-type]
        if at is None:
            left.append(name)  # type: ignore[arg-type]
            continue
        end = at
        done.append(name)  # type: ignore[arg-type]
    note = ""
    if left:
        note = ("总体情况中没有“" + "”“".join(left) + "”小标题，未起草这一部分：把光标放在要写的位置，"
                "用“起草”菜单中的“" + "”“".join(left) + "”")
    return Drafted(paras, tuple(done), end, note)


def draft_lines(report: Report, topic: str | None = None) -> list[str]:
    """The draft as printed, one paragraph per topic with its sub-heading (``govreport draft``)."""
    names = [topic] if topic else list(drafted_topics(report))
    return [heading_for(report, name) + report.render(draft_topic(report, name)) for name in names]


# --- x.identical ------------------------------------------------------------------------------------
@cache
def _drafted_wording(template: str) -> re.Pattern[str]:
    """Every sentence pattern of the drafting data as one regex: figures as any number, a change
    against last year as any of the data's 同比 phrasings."""
    style = load_style(template)
    number = f"(?:{_NUMBER})"
    changes = []
    for key in ("up_percent", "down_percent", "up_count", "down_count", "same"):
        words = re.escape(style.change[key])
        words = words.replace(re.escape("{P}"), number).replace(re.escape("{N}"), number)
        units = "|".join(re.escape(u) for u in style.change["units"].values())
        changes.append(words.replace(re.escape("{U}"), f"(?:{units})"))
    change = "(?:" + "|".join(changes) + ")?"
    texts = {item for t in style.topics for p in t.pieces for kind, item in _walk(p) if kind == "text"}
    regexes = []
    for text in sorted(texts, key=len, reverse=True):
        out, pos = [], 0
        for m in _PLACEHOLDER.finditer(text):
            out.append(re.escape(text[pos:m.start()]))
            out.append(change if m.group(1) else number)
            pos = m.end()
        out.append(re.escape(text[pos:]))
        regexes.append("".join(out))
    return re.compile("|".join(regexes))


@lru_cache(maxsize=64)
def strip_drafted(text: str, template: str = "2021") -> str:
    """Text without the clauses worded as the drafting data words them: a paragraph does not read
    “the same as last year” only because both years were drafted by the same pattern."""
    return _drafted_wording(template).sub("", text)
