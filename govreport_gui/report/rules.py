"""The consistency rules of spec §3, run over a :class:`Report`.

A rule returns data (:class:`.findings.Finding`: rule id, severity, cells, expected, actual, detail); the
Chinese sentence is built in :mod:`.messages`. Sum rules come from the schema's equations, so the
engine has no table layout of its own. Thresholds and phrasings are format data (``checks``,
``figures`` in ``format_2021.json``).

Rule ids (public vocabulary, as in spec §3, with the additions of issue 18):

- errors: ``value.count``, ``value.fee`` (≤ 6 places: 万元 to the fen), ``t3.balance``,
  ``t3.row_total``, ``t3.result_total``, ``t4.total``, ``n.empty``, ``meta.required`` (a date an
  imported report does not print is *pending*, 待填写, not an error)
- warnings: ``x.carried_in``, ``x.in_force``, ``x.identical``, ``x.jump`` (a 表二/表三 figure tenfold,
  a tenth or 0 against last year's), ``n.figure`` (also 同比 changes), ``n.topics``, ``n.fee``,
  ``n.year`` (一 names last or next year as the working year), ``meta.deadline``
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Union

from .document import SECTION_IDS, Report, deadline
from .draft import strip_drafted
from .findings import Finding
from .schema import Equation, Schema, per_schema

SIMILAR = 0.9  # x.identical: a section at least this similar to last year's is 内容雷同
# x.identical judges substantive text only: without digits (years, figures), punctuation and space.
# Below this many such characters a section is a stock statement (“本年未收取信息处理费”), which
# is meant to read the same every year.
SUBSTANTIVE_MIN = 50
SHINGLE = 3  # characters per shingle: one changed character changes at most three shingles
COMPARED_MAX = 20_000  # substantive characters compared per section: bounds the work per keystroke
_NOT_SUBSTANTIVE = re.compile(r"[\W\d_]+")  # \d includes full-width digits
_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
# “（一）主动公开情况。” as the app inserts it: a sub-heading with nothing after it
_SUBHEADING_ONLY = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。，,；;：:]{0,24}[。：:]?$")
_SUBHEADING_START = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_STRIP = re.compile(r"[\s。，,；;：:、.！!]+")
_CHUNK = 256  # section_content strips long paragraphs piecewise so that it can stop early
_ENOUGH = 64  # more content than this is never empty (longer than checks.short_sections and any placeholder)


class _Ctx:
    """What every rule reads: the report, its values computed once, last year's report."""

    def __init__(self, report: Report, last: Report | None, view: View | None = None) -> None:
        self.report = report
        self.schema: Schema = report.schema
        self.last = last
        self.values, self.invalid = view if view is not None else report.numeric_view()
        self._implied: dict[str, int | Decimal] | None = None
        self._empty: dict[str, bool] = {}

    def is_empty(self, sid: str) -> bool:
        """:func:`is_empty_section`, once per section (n.empty and n.topics both ask about 一)."""
        if sid not in self._empty:
            self._empty[sid] = is_empty_section(self.report, sid)
        return self._empty[sid]

    @property
    def implied(self) -> dict[str, int | Decimal]:
        """Totals that disagree with their parts → the sum of the parts (computed when asked)."""
        if self._implied is None:
            self._implied = {}
            value = self.values.__getitem__
            for eq in _totals(self.schema):
                if not (self.invalid and self.invalid.intersection((*eq.lhs, *eq.rhs))):
                    parts = sum(map(value, eq.rhs))
                    if parts != self.values[eq.lhs[0]]:
                        self._implied[eq.lhs[0]] = parts
        return self._implied

    def finding(self, rule: str, cells: tuple[str, ...] = (), expected: object = None,
                actual: object = None, **detail: object) -> Finding:
        return Finding(rule, self.schema.rules[rule].severity, cells, expected, actual, detail)


@per_schema
def _totals(schema: Schema) -> tuple[Equation, ...]:
    """The total equations (worked out once per schema, not per report)."""
    return tuple(eq for eq in schema.equations if eq.is_total)


@per_schema
def _figure_cells(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Per figure, its cells with those of its other readings (``also``)."""
    return {f.id: f.cells + tuple(k for alt in f.also for k in alt) for f in schema.figures}


Rule = Callable[[_Ctx], Iterator[Finding]]
View = tuple[dict[str, Union[int, Decimal]], set[str]]  # Report.numeric_view()


# --- values ---------------------------------------------------------------------------------------
def _values(ctx: _Ctx) -> Iterator[Finding]:
    for key in ctx.schema.cells:
        if key in ctx.invalid:
            rule = "value.fee" if ctx.schema.cells[key].kind == "fee" else "value.count"
            yield ctx.finding(rule, (key,), None, ctx.report.raw(key))


# --- sums from the schema -------------------------------------------------------------------------
def _equations(ctx: _Ctx) -> Iterator[Finding]:
    v = ctx.values
    value = v.__getitem__  # sum(map(…)): no Python frame per cell (a roll-up checks 10,000 reports)
    invalid = ctx.invalid
    off: dict[str, int] = {}  # t3.balance: column → (left − right), for the wrong-type diagnosis
    pending: list[Finding] = []
    for eq in ctx.schema.equations:
        if invalid and (invalid.intersection(eq.lhs) or invalid.intersection(eq.rhs)):
            continue  # value.* already names the unreadable cell; a sum over it means nothing
        left = sum(map(value, eq.lhs))
        right = sum(map(value, eq.rhs))
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


_CLAUSE = re.compile(r"[，,；;。：:（(]")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _stated(text: str, kind: str) -> int | Decimal | None:
    """A number as a sentence writes it: 749, 96171.6, or small Chinese numerals (一件, 十二件)."""
    if text[0].isdigit():
        return Decimal(text) if kind != "count" or "." in text else int(text)
    if "十" in text:  # 十 / 十二 / 二十 / 二十三
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


@lru_cache(maxsize=4096)
def scan_figures(para: str, template: str = "2021") -> tuple[tuple[str, int | Decimal, int, int, int], ...]:
    """(figure id, number stated, start, end, sign) of every table quantity a paragraph states, in
    reading order. ``sign`` is +1/−1 for a stated change (上升/下降 N%), else 0. A number is bound to
    one figure only: the first in the format data's order whose pattern takes it.

    Cached per paragraph: a table edit re-runs the rules, but the text has not changed.
    """
    from .schema import load_schema

    schema = load_schema(template)
    down = set(schema.checks.get("down", ()))
    text = para.translate(_DIGITS)  # 1:1 mapping: positions stay valid for the original
    taken: list[tuple[int, int]] = []
    out = []
    for fig in schema.figures:
        for pattern in fig.patterns:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                if groups.get("zero") is not None:
                    value: int | Decimal | None = 0
                    # the words that state zero when the pattern names them (…95件，与上年持平:
                    # 95 is another figure's), else the whole sentence
                    span = m.span("zero") if groups["zero"] else m.span()
                else:
                    value, span = _stated(m.group("n"), "change" if fig.kind == "change" else fig.value), m.span("n")
                    if not m.group("n")[0].isdigit() and not text[span[1]:].lstrip().startswith("件"):
                        continue  # 一件 states a count; 六个部分 lists the report's parts
                if value is None or any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                if fig.whole and "其中" in _CLAUSE.split(text[:m.start()])[-1]:
                    continue  # “其中平台收到……11件”: a part of the total, not the total
                taken.append(span)
                sign = (-1 if groups.get("dir") in down else 1) if fig.kind == "change" else 0
                # (?P<at>…) starts the statement where a pattern needs context before it (规范性文件4件，
                # 清理废止文件0件: the quote is the second clause)
                begin = m.start("at") if groups.get("at") is not None else m.start()
                out.append((fig.id, value, begin, m.end(), sign))
    return tuple(sorted(out, key=lambda x: x[2]))


def _figures(ctx: _Ctx) -> Iterator[Finding]:
    figures = {f.id: f for f in ctx.schema.figures}
    all_cells = _figure_cells(ctx.schema)
    last = ctx.last.all_values() if ctx.last is not None else None
    value = ctx.values.__getitem__
    for sid, i, para in _paragraphs(ctx.report):
        for fid, stated, start, end, sign in scan_figures(para, ctx.schema.template):
            fig = figures[fid]
            if ctx.invalid and ctx.invalid.intersection(all_cells[fid]):
                continue  # value.* names the unreadable cell
            table = sum(map(value, fig.cells))
            implied = sum(ctx.implied.get(k, ctx.values[k]) for k in fig.cells) if ctx.implied else table
            where = dict(section=sid, paragraph=i, start=start, end=end, quote=para[start:end], figure=fid,
                         name=fig.name)
            if fig.kind == "change":
                if last is None:
                    continue  # 同比 needs last year's report
                before = sum(last[k] for k in fig.cells)
                if not para[start:end].rstrip().endswith(("%", "％")):
                    # 同比增加3件 / 与上年持平: the difference itself, also against a zero base
                    said_by = sign * stated
                    if table - before != said_by:
                        yield ctx.finding("n.figure", fig.cells, table - before, said_by, kind="difference",
                                          last=before, now=table, **where)
                    continue
                if not before:
                    continue
                change = Decimal(table - before) * 100 / Decimal(before)
                said = Decimal(sign) * Decimal(stated)
                places = -Decimal(stated).as_tuple().exponent  # type: ignore[operator]
                if abs(change - said) <= Decimal(5) / Decimal(10) ** (places + 1) + Decimal("0.05"):
                    continue
                yield ctx.finding("n.figure", fig.cells, round(change, 1), said, kind="change", last=before,
                                  now=table, **where)
                continue
            if stated in (table, implied) or any(stated == sum(map(value, alt)) for alt in fig.also):
                continue
            # a total that disagrees with its parts is named by the sum rules; the text is judged
            # against what the parts give
            yield ctx.finding("n.figure", fig.cells, implied, stated, **where)


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
    """Nothing written, only a placeholder (无, 暂无, （文字描述）), or — for the sections named in
    ``checks.short_sections`` (一, 五) — fewer characters than their threshold."""
    content = section_content(report, sid, _ENOUGH)
    if not content or content in report.schema.placeholders:
        return True
    for ph in report.schema.placeholders:  # “（文字描述）” etc. survive the punctuation strip partly
        if _STRIP.sub("", ph) == content:
            return True
    return len(content) < report.schema.checks.get("short_sections", {}).get(sid, 0)


def _empty(ctx: _Ctx) -> Iterator[Finding]:
    for sid in SECTION_IDS:
        if ctx.is_empty(sid):
            yield ctx.finding("n.empty", section=sid)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def missing_topics(report: Report) -> list[str]:
    """Names of the five required topics of section 一 that its text does not cover. A topic is
    covered by a paragraph that names it and says something: at least ``topic_content_min`` Chinese
    characters besides its sub-heading (“（三）政府信息管理情况。xyz” covers nothing). A sub-heading
    alone on its line is covered by the paragraph under it, not by the next sub-heading's."""
    least = report.schema.checks.get("topic_content_min", 6)
    paras = tuple(p.strip() for p in report.paragraphs("s1") if p.strip())
    return list(_missing_topics(paras, report.schema.topics, least))


@lru_cache(maxsize=64)
def _missing_topics(paras: tuple[str, ...], topics: tuple[tuple[str, tuple[str, ...]], ...],
                    least: int) -> tuple[str, ...]:
    """Cached by the text: the rules run after every keystroke, the window asks again, and a long
    一 took milliseconds to count through each time although a table edit leaves it unchanged."""
    said: list[tuple[str, int]] = []  # (text that names topics, Chinese characters of content)
    for i, p in enumerate(paras):
        body = p
        if _SUBHEADING_START.match(p):
            if len(p) <= 40 and not re.search(r"[。；;：:]", p.rstrip("。：: ")):  # the sub-heading alone
                nxt = paras[i + 1] if i + 1 < len(paras) else ""
                body = "" if _SUBHEADING_START.match(nxt) else nxt
            else:  # “（三）政府信息管理情况。……”: what follows the sub-heading
                m = re.match(r"^[（(][一二三四五六七八九十]+[）)][^。；;：:]{0,40}[。；;：:]", p)
                body = p[m.end():] if m else p
        said.append((p, len(_CJK.findall(body))))
    return tuple(name for name, pats in topics
                 if not any(n >= least and any(pat in text for pat in pats) for text, n in said))


def _topics(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.is_empty("s1"):
        return
    for name in missing_topics(ctx.report):
        yield ctx.finding("n.topics", topic=name)


def _fee(ctx: _Ctx) -> Iterator[Finding]:
    """六 states the 信息处理费 (collected, how much, or none); offices word it many ways. Closures
    for non-payment (表三（六）2) agree with any fee statement, even “no fee collected” (the applicant
    did not pay); only a 六 that denies sending fee notices contradicts them."""
    checks = ctx.schema.checks
    text = ctx.report.section_text("s6")
    if not any(re.search(p, text) for p in checks.get("fee_statements", ["处理费"])):
        yield ctx.finding("n.fee", kind="statement")
    unpaid = "t3.result.other.fee_unpaid.total"
    if ctx.values[unpaid] > 0 and any(re.search(p, text) for p in checks.get("fee_notices_denied", [])):
        yield ctx.finding("n.fee", (unpaid,), None, ctx.values[unpaid], kind="notices")


_YEAR_WORD = re.compile(r"(\d{4})\s*年")
_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")


def _working_year(ctx: _Ctx) -> Iterator[Finding]:
    """A sentence of 一 that names last (or next) year as the year worked in (“2023年，我局……” in a
    2024 report): text copied forward unedited. Citations (较2023年, 《…2023年…》) do not count."""
    year = ctx.report.meta.year
    spec = ctx.schema.checks.get("working_year")
    if not year or not spec:
        return
    patterns, keep_out = tuple(spec["patterns"]), spec.get("except", "(?!)")
    for sid in spec["sections"]:
        for i, para in enumerate(ctx.report.sections.get(sid, [])):
            for start, end, y, quote in _other_years(ctx.report.render(para), year, patterns, keep_out):
                yield ctx.finding("n.year", (), year, y, section=sid, paragraph=i, start=start, end=end,
                                  quote=quote, year=y)


@lru_cache(maxsize=4096)
def _other_years(text: str, year: int, patterns: tuple[str, ...], keep_out: str) -> tuple[tuple[int, int, int, str], ...]:
    """(start, end, year named, quote) of each sentence of ``text`` naming ``year`` ± 1 as the year
    worked in. Cached per paragraph, as :func:`scan_figures`: a table edit leaves the text unchanged."""
    compiled = [re.compile(p.replace("{Y}", r"(?P<y>\d{4})")) for p in patterns]
    out = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        for pattern in compiled:
            m = pattern.search(sentence)
            if not m or int(m.group("y")) not in (year - 1, year + 1) or re.search(keep_out, sentence):
                continue
            out.append((sm.start() + m.start("y"), sm.start() + m.end(), int(m.group("y")), sentence.strip()[:40]))
            break
    return tuple(out)


# --- metadata -----------------------------------------------------------------------------------
def _meta(ctx: _Ctx) -> Iterator[Finding]:
    m = ctx.report.meta
    if not m.agency.strip():
        yield ctx.finding("meta.required", field="agency")
    if not m.year:
        yield ctx.finding("meta.required", field="year")
    if not m.date:
        # an imported published report that prints no 落款 date: a to-do for the clerk, not an error
        yield ctx.finding("meta.required", field="date", pending=ctx.report.imported)
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
        if now and before and not ctx.is_empty(sid):
            # sentences worded as 起草 words them repeat by pattern, not by copying: left out in both years
            template = ctx.schema.template
            ratio = similarity(strip_drafted(now, template), strip_drafted(before, template))
            if ratio is not None and ratio >= SIMILAR:
                yield ctx.finding("x.identical", (), None, round(ratio, 3), section=sid)
    for tid, table in ctx.schema.tables.items():
        keys = tuple(c.key for c in table.cells)
        if all(ctx.values[k] == lv[k] for k in keys) and any(ctx.values[k] for k in keys):
            yield ctx.finding("x.identical", keys, None, None, table=tid)
    yield from _jumps(ctx, lv)


def _jumps(ctx: _Ctx, lv: dict[str, int | Decimal]) -> Iterator[Finding]:
    """A 表二/表三 figure tenfold (or a tenth) of last year's, or 0 after a large one: the classic
    slipped digit. Thresholds are in the format data (``checks.jump``) with their reason."""
    spec = ctx.schema.checks.get("jump")
    if not spec:
        return
    ratio, floor = Decimal(spec["ratio"]), Decimal(spec["min_value"])
    for key, cell in ctx.schema.cells.items():
        if cell.table not in spec["tables"] or key in ctx.invalid:
            continue
        if cell.table == "t3" and key.rsplit(".", 1)[1] not in spec["t3_cols"]:
            continue
        now, before = Decimal(ctx.values[key]), Decimal(lv[key])
        if now > 0 and before > 0:
            big, small = max(now, before), min(now, before)
            if big >= floor and big >= ratio * small:
                yield ctx.finding("x.jump", (key,), lv[key], ctx.values[key], factor=float(round(now / before, 2)))
        elif before >= floor and now == 0:
            yield ctx.finding("x.jump", (key,), lv[key], ctx.values[key], factor=0.0)


RULES: dict[str, Rule] = {
    "value": _values,
    "sums": _equations,
    "n.figure": _figures,
    "n.empty": _empty,
    "n.topics": _topics,
    "n.fee": _fee,
    "n.year": _working_year,
    "meta": _meta,
    "x": _cross,
}


def check(report: Report, last: Report | None = None, view: View | None = None) -> list[Finding]:
    """All findings of the report, errors first; waived warnings carry their reason. ``view``:
    ``report.numeric_view()`` when the caller has it already (a roll-up's unit)."""
    ctx = _Ctx(report, last if last is not None else report.last, view)
    out: list[Finding] = []
    for rule in RULES.values():
        for f in rule(ctx):
            if f.severity == "warning":
                w = report.waiver_for(f.rule, f.cells)
                if w is not None:
                    f = f.with_waiver(w.reason)
            out.append(f)
    out.sort(key=lambda f: f.severity != "error")
    return out


