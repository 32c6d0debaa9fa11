"""The consistency rules of spec §3, run over a :class:`Report`.

A rule returns data (:class:`.findings.Finding`: rule id, severity, cells, expected, actual, detail); the
Chinese sentence is built in :mod:`.messages`. Sum rules come from the schema's equations, so the
engine has no table layout of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache

from .document import SECTION_IDS, Report
from .findings import Finding
from .schema import Schema

SIMILAR = 0.9  # x.identical: a section at least this similar to last year's is 内容雷同
# x.identical judges substantive text only: without digits (years, figures), punctuation and space.
# Below this many such characters a section is a stock statement (“本年未收取信息处理费”), which
# is meant to read the same every year.
SUBSTANTIVE_MIN = 50
SHINGLE = 3  # characters per shingle: one changed character changes at most three shingles
COMPARED_MAX = 20_000  # substantive characters compared per section: bounds the work per keystroke
_NOT_SUBSTANTIVE = re.compile(r"[\W\d_]+")  # \d includes full-width digits
SHORT_SECTION = 20  # n.empty: 一 and 五 under this many characters count as empty
_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
# “（一）主动公开情况。” as the app inserts it: a sub-heading with nothing after it
_SUBHEADING_ONLY = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。，,；;：:]{0,24}[。：:]?$")
_SUBHEADING_START = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_STRIP = re.compile(r"[\s。，,；;：:、.！!]+")
_CHUNK = 256  # section_content strips long paragraphs piecewise so that it can stop early
_ENOUGH = 64  # more content than this is never empty (longer than SHORT_SECTION and any placeholder)


class _Ctx:
    """What every rule reads: the report, its values computed once, last year's report."""

    def __init__(self, report: Report, last: Report | None) -> None:
        self.report = report
        self.schema: Schema = report.schema
        self.last = last
        self.values, self.invalid = report.numeric_view()

    def finding(self, rule: str, cells: tuple[str, ...] = (), expected: object = None,
                actual: object = None, **detail: object) -> Finding:
        return Finding(rule, self.schema.rules[rule].severity, cells, expected, actual, detail)


Rule = Callable[[_Ctx], Iterator[Finding]]


# --- values ---------------------------------------------------------------------------------------
def _values(ctx: _Ctx) -> Iterator[Finding]:
    for key in ctx.schema.cells:
        if key in ctx.invalid:
            rule = "value.fee" if ctx.schema.cells[key].kind == "fee" else "value.count"
            yield ctx.finding(rule, (key,), None, ctx.report.raw(key))


# --- sums from the schema -------------------------------------------------------------------------
def _equations(ctx: _Ctx) -> Iterator[Finding]:
    v = ctx.values
    off: dict[str, int] = {}  # t3.balance: column → (left − right), for the wrong-type diagnosis
    pending: list[Finding] = []
    for eq in ctx.schema.equations:
        if ctx.invalid.intersection(eq.lhs) or ctx.invalid.intersection(eq.rhs):
            continue  # value.* already names the unreadable cell; a sum over it means nothing
        left = sum(v[k] for k in eq.lhs)
        right = sum(v[k] for k in eq.rhs)
        if left == right:
            continue
        cells = (*eq.lhs, *eq.rhs)
        values = {k: v[k] for k in cells}
        if eq.is_total:  # the typed total is "actual", the sum of its parts "expected"
            f = ctx.finding(eq.rule, cells, right, left, values=values, **eq.context)
        else:
            f = ctx.finding(eq.rule, cells, left, right, values=values, **eq.context)
            if eq.rule == "t3.balance":
                off[eq.context["col"]] = int(left - right)
        pending.append(f)
    for f in pending:
        col = f.detail.get("col")
        if f.rule == "t3.balance" and col != "total" and "total" not in off:
            partners = [c for c, d in off.items() if c not in (col, "total") and d == -off[col]]
            if len(partners) == 1:
                f.detail["swapped_with"] = partners[0]
        yield f


# --- narrative ----------------------------------------------------------------------------------
def _paragraphs(report: Report) -> Iterator[tuple[str, int, str]]:
    """(section, index in the stored list, text as printed) — the index finds the editor's line."""
    for sid in SECTION_IDS:
        for i, para in enumerate(report.sections.get(sid, [])):
            if para.strip():
                yield sid, i, report.render(para)


@lru_cache(maxsize=4096)
def scan_figures(para: str, template: str = "2021") -> tuple[tuple[str, int, int, int], ...]:
    """(figure id, number, start, end) of every table quantity a paragraph states.

    Cached per paragraph: a table edit re-runs the rules, but the text has not changed.
    """
    from .schema import load_schema

    text = para.translate(_DIGITS)  # 1:1 mapping: positions stay valid for the original
    out = []
    for fig in load_schema(template).figures:
        for pattern in fig.patterns:
            out.extend((fig.id, int(m.group(1)), m.start(), m.end()) for m in pattern.finditer(text))
    return tuple(out)


def _figures(ctx: _Ctx) -> Iterator[Finding]:
    figures = {f.id: f for f in ctx.schema.figures}
    for sid, i, para in _paragraphs(ctx.report):
        for fid, stated, start, end in scan_figures(para, ctx.schema.template):
            fig = figures[fid]
            table = sum(ctx.values[k] for k in fig.cells)
            if stated != table:
                yield ctx.finding(
                    "n.figure", fig.cells, table, stated, section=sid, paragraph=i,
                    start=start, end=end, quote=para[start:end], figure=fid, name=fig.name,
                )


def section_content(report: Report, sid: str, enough: int | None = None) -> str:
    """The section's text without sub-heading-only paragraphs and punctuation: what counts.
    With ``enough``, stop once more than that many characters are found (the emptiness test
    needs no more, and the rules run after every keystroke)."""
    out: list[str] = []
    found = 0
    for para in report.paragraphs(sid):
        para = para.strip()
        if not para or _SUBHEADING_ONLY.match(para):
            continue
        for start in range(0, len(para), _CHUNK):
            part = _STRIP.sub("", para[start:start + _CHUNK])
            out.append(part)
            found += len(part)
            if enough is not None and found > enough:
                return "".join(out)
    return "".join(out)


def is_empty_section(report: Report, sid: str) -> bool:
    content = section_content(report, sid, _ENOUGH)
    if not content or content in report.schema.placeholders:
        return True
    for ph in report.schema.placeholders:  # “（文字描述）” etc. survive the punctuation strip partly
        if _STRIP.sub("", ph) == content:
            return True
    return sid in ("s1", "s5") and len(content) < SHORT_SECTION


def _empty(ctx: _Ctx) -> Iterator[Finding]:
    for sid in SECTION_IDS:
        if is_empty_section(ctx.report, sid):
            yield ctx.finding("n.empty", section=sid)


def missing_topics(report: Report) -> list[str]:
    """Names of the five required topics of section 一 that its text does not mention. A
    sub-heading with nothing written under it (“（二）依申请公开情况。” then the next sub-heading,
    even one with text on its own line, “（三）政府信息管理情况。本局……”) does not cover its topic."""
    paras = [p.strip() for p in report.paragraphs("s1") if p.strip()]
    kept = [p for i, p in enumerate(paras)
            if not _SUBHEADING_ONLY.match(p) or (i + 1 < len(paras) and not _SUBHEADING_START.match(paras[i + 1]))]
    text = "\n".join(kept)
    return [name for name, pats in report.schema.topics if not any(p in text for p in pats)]


def _topics(ctx: _Ctx) -> Iterator[Finding]:
    if is_empty_section(ctx.report, "s1"):
        return
    for name in missing_topics(ctx.report):
        yield ctx.finding("n.topics", topic=name)


_FEE_NOTICE = re.compile(r"收费通知|缴费通知|缴纳.{0,6}费|通知.{0,10}缴")


def _fee(ctx: _Ctx) -> Iterator[Finding]:
    text = ctx.report.section_text("s6")
    if "处理费" not in text:
        yield ctx.finding("n.fee", kind="statement")
    unpaid = "t3.result.other.fee_unpaid.total"
    if ctx.values[unpaid] > 0 and not _FEE_NOTICE.search(text):
        yield ctx.finding("n.fee", (unpaid,), None, ctx.values[unpaid], kind="notices")


# --- metadata -----------------------------------------------------------------------------------
def deadline(year: int, level: str) -> dt.date:
    """条例第四十九条: departments by 31 January, governments by 31 March of the next year."""
    return dt.date(year + 1, 3, 31) if level == "government" else dt.date(year + 1, 1, 31)


def _meta(ctx: _Ctx) -> Iterator[Finding]:
    m = ctx.report.meta
    if not m.agency.strip():
        yield ctx.finding("meta.required", field="agency")
    if not m.year:
        yield ctx.finding("meta.required", field="year")
    if not m.date:
        yield ctx.finding("meta.required", field="date")
    elif m.parsed_date() is None:
        yield ctx.finding("meta.required", field="date", actual=m.date)
    d = m.parsed_date()
    if d and m.year:
        limit = deadline(m.year, m.level)
        if d > limit:
            yield ctx.finding("meta.deadline", (), limit.isoformat(), d.isoformat(), level=m.level)


# --- against last year --------------------------------------------------------------------------
@lru_cache(maxsize=64)
def substantive(text: str) -> str:
    """What x.identical compares: letters only (no digits, punctuation or space), capped.
    Cached: last year's text never changes, and unedited sections repeat."""
    out: list[str] = []
    found = 0
    for start in range(0, len(text), _CHUNK * 16):
        part = _NOT_SUBSTANTIVE.sub("", text[start:start + _CHUNK * 16])
        out.append(part)
        found += len(part)
        if found >= COMPARED_MAX:
            break
    return "".join(out)[:COMPARED_MAX]


@lru_cache(maxsize=64)
def _shingles(text: str) -> frozenset[str]:
    return frozenset(text[i:i + SHINGLE] for i in range(max(len(text) - SHINGLE + 1, 1)))


def similarity(a: str, b: str) -> float | None:
    """Dice coefficient of the character shingles of two sections' substantive text (0–1), or
    None when either is a stock statement too short to judge.

    Linear in the text and capped at ``COMPARED_MAX`` characters (difflib's ratio was quadratic:
    1.9 s per keystroke at 20 000 characters); last year's shingles are cached.
    """
    a, b = substantive(a), substantive(b)
    if len(a) < SUBSTANTIVE_MIN or len(b) < SUBSTANTIVE_MIN:
        return None
    sa, sb = _shingles(a), _shingles(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _cross(ctx: _Ctx) -> Iterator[Finding]:
    last = ctx.last
    if last is None:
        return
    lv = last.all_values()
    for col in ctx.schema.lists["t3_cols"]:
        key, prev = f"t3.carried_in.{col}", f"t3.carried_out.{col}"
        if ctx.values[key] != lv[prev]:
            yield ctx.finding("x.carried_in", (key,), lv[prev], ctx.values[key], col=col)
    for row in ("regulation", "normative_doc"):
        keys = (f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed")
        if any(k in ctx.invalid for k in keys):
            continue
        expected = lv[keys[0]] + ctx.values[keys[1]] - ctx.values[keys[2]]
        if ctx.values[keys[0]] != expected:
            yield ctx.finding("x.in_force", keys, expected, ctx.values[keys[0]], row=row,
                              last_in_force=lv[keys[0]], values={k: ctx.values[k] for k in keys})
    for sid in SECTION_IDS:
        now, before = ctx.report.section_text(sid).strip(), last.section_text(sid).strip()
        if now and before and not is_empty_section(ctx.report, sid):
            ratio = similarity(now, before)
            if ratio is not None and ratio >= SIMILAR:
                yield ctx.finding("x.identical", (), None, round(ratio, 3), section=sid)
    for tid, table in ctx.schema.tables.items():
        keys = tuple(c.key for c in table.cells)
        if all(ctx.values[k] == lv[k] for k in keys) and any(ctx.values[k] for k in keys):
            yield ctx.finding("x.identical", keys, None, None, table=tid)


RULES: dict[str, Rule] = {
    "value": _values,
    "sums": _equations,
    "n.figure": _figures,
    "n.empty": _empty,
    "n.topics": _topics,
    "n.fee": _fee,
    "meta": _meta,
    "x": _cross,
}


def check(report: Report, last: Report | None = None) -> list[Finding]:
    """All findings of the report, errors first; waived warnings carry their reason."""
    ctx = _Ctx(report, last if last is not None else report.last)
    out: list[Finding] = []
    for rule in RULES.values():
        for f in rule(ctx):
            if f.severity == "warning":
                w = report.waiver_for(f.rule, f.cells)
                if w is not None:
                    f = replace(f, waived=w.reason)
            out.append(f)
    out.sort(key=lambda f: f.severity != "error")
    return out


