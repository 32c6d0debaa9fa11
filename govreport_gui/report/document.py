"""The report as plain data: metadata, the 200 cell values, narrative sections and waivers.

Qt-free. The GUI's table models, the rules, the exporters and the file formats all read and write
this one object.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) quotes text with
from operator import countOf, itemgetter
from typing import Literal, Union

from .frozen import Frozen
from .numbers import FEE_PLACES, MAX_COUNT, NumberError, format_fee, normalise, number_text, parse_count, parse_fee
from .register_source import RegisterSource
from .schema import Schema, load_schema, per_schema

# int (count) or Decimal (fee); a str is a raw value from a file that failed validation: it is
# kept (never lost) and flagged by value.count / value.fee; None means "not entered" (counts as 0).
CellValue = Union[int, Decimal, str, None]
Level = Literal["department", "government"]
SECTION_IDS = ("s1", "s5", "s6")
# every live field: a figure (fig) or its change against last year's report (yoy, “，同比增长12.5%”)
FIELDS = re.compile(r"\{\{(fig|yoy):([a-z_]+)\}\}")
YEARS = range(2000, 2101)  # report years this software accepts (the form's spin box: 2018–2100)
MAX_AGENCY_CHARS = 100  # the longest real agency name is ~40 characters
MAX_TITLE_CHARS = 200
MAX_RAW_CELL_CHARS = 100  # an unreadable cell value is kept for the clerk to correct, this much of it
_SURROGATE = re.compile("[\ud800-\udfff]")
# what XML 1.0 cannot hold (DOCX, XLSX): control characters other than tab, line feed, carriage
# return; U+FFFE/U+FFFF; lone surrogates (nor can UTF-8)
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def _replacements() -> dict[int, str | None]:
    """What clean_text puts in place of each unsafe character (made when first needed)."""
    return {**{c: " " for c in range(0x20)}, 0: None, **{c: "\ufffd" for c in range(0xD800, 0xE000)},
            0xFFFE: "\ufffd", 0xFFFF: "\ufffd", 0x09: "\t", 0x0A: "\n", 0x0D: "\r"}


def encodable(text: str) -> str:
    """Text as UTF-8 can hold it: a lone surrogate (from JSON ``\\ud800``, a spreadsheet's
    ``_xD800_`` or a broken paste) would make every save, export and fingerprint raise."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def clean_text(text: str) -> str:
    """Text as every writer can hold it: :func:`encodable`, and no control character XML refuses
    (a NUL in the agency, U+000B pasted from Word, ``&#11;`` in a web page once passed every check
    and then failed the DOCX export and the roll-up workbook). NUL goes, other controls become a
    space; tab, line feed and carriage return stay."""
    return text.translate(_replacements()) if _UNSAFE.search(text) else text


class SchemaFacts:
    """What every report of one schema derives alike, worked out once per schema instead of once per
    report (a roll-up reads 10,000): the keys by kind, a zero for every cell, and the fingerprint's
    cell layout."""

    def __init__(self, schema: Schema) -> None:
        self.count_keys = frozenset(k for k, c in schema.cells.items() if c.kind == "count")
        # each cell's key as the schema holds it: a report read from a file keys its cells with these
        # strings, not with the copies json made for that file (one copy for a roll-up of 10,000
        # reports instead of 2 million, and pickled once per chunk sent between processes)
        self.key_of: dict[str, str] = {k: k for k in schema.cells}
        self.fee_keys = tuple(k for k, c in schema.cells.items() if c.kind == "fee")
        self.zeros: dict[str, int | Decimal] = dict.fromkeys(schema.cells, 0)
        # json.dumps(sort_keys=True, separators=(",", ":")) of {key: "text"} with every text in
        # the place of a %s: the cells of the fingerprint in one C-level formatting
        self.sorted_keys = tuple(sorted(schema.cells))
        self.cells_json = "{" + ",".join(encode_basestring(k).replace("%", "%%") + ':"%s"' for k in self.sorted_keys) + "}"
        # in that order: the positions of the count cells (taken out of a list in one C call) and of the fee cells
        counts = [i for i, k in enumerate(self.sorted_keys) if k in self.count_keys]
        self.counts_of: Callable[[list], tuple] = (
            itemgetter(*counts) if len(counts) > 1 else lambda values: tuple(values[i] for i in counts))
        self.fee_slots = tuple((i, k) for i, k in enumerate(self.sorted_keys) if k not in self.count_keys)


_FINGERPRINT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
schema_facts = per_schema(SchemaFacts)  # the SchemaFacts of a schema, made on first use


def _plain_values(cells: dict[str, CellValue], facts: SchemaFacts) -> bool:
    """Whether every value of ``cells`` is what :meth:`Report.is_valid` accepts without a second look:
    a count 0…MAX_COUNT (in any cell), or a valid fee in a fee cell; no None, text or bool. Tested by C
    loops (a report of 200 plain counts, the common case, is looked at once, not cell by cell)."""
    if not cells:
        return False
    values = cells.values()
    types = set(map(type, values))
    if not types <= {int, Decimal}:
        return False
    if Decimal in types:
        fees = [v for v in map(cells.get, facts.fee_keys) if type(v) is Decimal]
        if len(fees) != countOf(map(type, values), Decimal):
            return False  # a Decimal in a count cell is no count
        for v in fees:  # as is_valid judges a fee; is_finite first: a NaN breaks every comparison
            if not (v.is_finite() and 0 <= v <= MAX_COUNT and -v.as_tuple().exponent <= FEE_PLACES):  # type: ignore[operator]
                return False
    return min(values) >= 0 and max(values) <= MAX_COUNT and cells.keys() <= facts.zeros.keys()


class Meta:
    """The report's metadata. (Meta, :class:`Waiver` and :class:`Report` are plain classes with
    their methods written out: a dataclass compiles its generated methods at every start.)"""

    __slots__ = ("agency", "year", "date", "level", "title")
    agency: str
    year: int | None
    date: str | None  # ISO yyyy-mm-dd (成文日期)
    level: Level
    title: str  # empty: the default title is derived

    def __init__(self, agency: str = "", year: int | None = None, date: str | None = None,
                 level: Level = "department", title: str = "") -> None:
        self.agency = agency
        self.year = year
        self.date = date
        self.level = level
        self.title = title

    def copy(self) -> Meta:
        return Meta(self.agency, self.year, self.date, self.level, self.title)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return ((self.agency, self.year, self.date, self.level, self.title)
                    == (other.agency, other.year, other.date, other.level, other.title))  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return (f"Meta(agency={self.agency!r}, year={self.year!r}, date={self.date!r}, level={self.level!r}, "
                f"title={self.title!r})")

    def effective_title(self) -> str:
        if self.title.strip():
            return self.title.strip()
        return f"{self.agency}{self.year or ''}年政府信息公开工作年度报告"

    def parsed_date(self) -> dt.date | None:
        if not self.date:
            return None
        try:
            return dt.date.fromisoformat(self.date)
        except ValueError:
            return None

    def date_chinese(self) -> str:
        """``2026年1月16日`` — Arabic numerals without leading zeros, as GB/T 9704 prints dates."""
        d = self.parsed_date()
        return f"{d.year}年{d.month}月{d.day}日" if d else ""


class Waiver(Frozen):
    """A warning the clerk accepts, with the written reason printed on the sign-off sheet (immutable)."""

    __slots__ = ("rule", "cells", "reason")
    _fields = __slots__
    rule: str
    cells: tuple[str, ...]
    reason: str

    def __init__(self, rule: str, cells: tuple[str, ...], reason: str) -> None:
        Frozen.__init__(self, rule, cells, reason)

    def matches(self, rule: str, cells: tuple[str, ...]) -> bool:
        return self.rule == rule and sorted(self.cells) == sorted(cells)


class Report:
    """One report. ``last``: last year's report when this one was carried forward (the cross-year
    rules compare with it and the narrative editor shows its text; saved inside the file so the
    chain travels with it). ``unknown_cells``: cell keys in a file that the format does not know,
    written back untouched. ``unknown_fields``: fields a newer version wrote (same format version,
    extra keys), by where they were ("" the file's top level, "meta", "sections"), written back as
    they came. ``register``: the register 表三/表四 were counted from (file name, hash, 编号 per cell;
    no personal data). ``import_notes``: what importers had to guess or could not read, shown to the
    clerk (not saved). ``imported``: read from another program's file (a published page, DOCX,
    workbook), not saved: what such a file simply does not print (a 成文日期) is a to-do for the
    clerk, not an error of the report.

    It keeps a ``__dict__`` (the roll-up's reading processes send a report without its schema)."""

    _FIELDS = ("schema", "meta", "cells", "sections", "waivers", "last", "unknown_cells", "unknown_fields",
              "register", "import_notes", "imported")
    schema: Schema
    meta: Meta
    cells: dict[str, CellValue]
    sections: dict[str, list[str]]
    waivers: list[Waiver]
    last: Report | None
    unknown_cells: dict[str, object]
    unknown_fields: dict[str, dict[str, object]]
    register: RegisterSource | None
    import_notes: list[str]
    imported: bool

    def __init__(self, schema: Schema | None = None, meta: Meta | None = None,
                 cells: dict[str, CellValue] | None = None, sections: dict[str, list[str]] | None = None,
                 waivers: list[Waiver] | None = None, last: Report | None = None,
                 unknown_cells: dict[str, object] | None = None,
                 unknown_fields: dict[str, dict[str, object]] | None = None, register: RegisterSource | None = None,
                 import_notes: list[str] | None = None, imported: bool = False) -> None:
        self.schema = load_schema() if schema is None else schema
        self.meta = Meta() if meta is None else meta
        self.cells = {} if cells is None else cells
        self.sections = {s: [] for s in SECTION_IDS} if sections is None else sections
        self.waivers = [] if waivers is None else waivers
        self.last = last
        self.unknown_cells = {} if unknown_cells is None else unknown_cells
        self.unknown_fields = {} if unknown_fields is None else unknown_fields
        self.register = register
        self.import_notes = [] if import_notes is None else import_notes
        self.imported = imported

    def replace(self, **changes: object) -> Report:
        """A new report with these fields changed and the others shared (as ``dataclasses.replace``)."""
        fields = {k: getattr(self, k) for k in Report._FIELDS}
        unknown = changes.keys() - fields.keys()
        if unknown:
            raise TypeError(f"Report has no field {', '.join(sorted(unknown))}")
        fields.update(changes)
        return Report(**fields)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple(map(self.__dict__.get, Report._FIELDS)) == tuple(map(other.__dict__.get, Report._FIELDS))  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Report({', '.join(f'{k}={getattr(self, k)!r}' for k in Report._FIELDS)})"

    # --- cell values -----------------------------------------------------------------------
    def raw(self, key: str) -> CellValue:
        return self.cells.get(key)

    def value(self, key: str) -> int | Decimal:
        """The numeric value the rules use: not entered → 0; an unreadable value → 0."""
        v = self.cells.get(key)
        if isinstance(v, bool):
            return 0
        if self.schema.cells[key].kind == "fee":
            return v if isinstance(v, Decimal) and v.is_finite() else Decimal(0)
        return v if isinstance(v, int) else 0

    def is_valid(self, key: str) -> bool:
        v = self.cells.get(key)
        if v is None:
            return True
        if self.schema.cells[key].kind == "fee":
            if type(v) is int:
                return 0 <= v <= MAX_COUNT
            # is_finite first: comparing a NaN Decimal raises InvalidOperation
            return (isinstance(v, Decimal) and v.is_finite() and 0 <= v <= MAX_COUNT
                    and -v.as_tuple().exponent <= FEE_PLACES)  # type: ignore[operator]
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_COUNT

    def display(self, key: str) -> str:
        """Text for a grid or an export: ``0`` for not entered, the fee as entered."""
        v = self.cells.get(key)
        if v is None:
            return "0"
        if isinstance(v, Decimal):
            return format_fee(v)
        return number_text(v)

    def coerce(self, key: str, raw: object) -> CellValue:
        """A value from a file or an importer, normalised where possible, kept raw otherwise."""
        if raw is None:
            return None
        if type(raw) is int and 0 <= raw <= MAX_COUNT and self.schema.cells[key].kind == "count":
            return raw  # the common case first: a plain count from a file (a roll-up reads 2 million)
        if isinstance(raw, bool):
            return str(raw).lower()
        if isinstance(raw, int) and abs(raw) > MAX_COUNT:
            return number_text(raw)  # kept as text for value.count; str() of a huge int raises
        text = repr(raw) if isinstance(raw, float) else clean_text(str(raw))
        if len(text) > MAX_RAW_CELL_CHARS:  # no number is this long: kept (cut) for value.count to name
            return text[:MAX_RAW_CELL_CHARS] + "…"
        if self.schema.cells[key].kind == "fee":
            try:
                return parse_fee(text)
            except NumberError:
                try:  # a negative or over-precise amount stays a number for value.fee to name
                    number = Decimal(normalise(text))
                except InvalidOperation:
                    return text
                # NaN, 1E+400 …: kept as text (a NaN Decimal breaks every comparison)
                return number if number.is_finite() and abs(number) <= MAX_COUNT else text
        if isinstance(raw, int):
            return raw  # negatives are kept so that value.count can name them
        try:
            return parse_count(text)
        except NumberError:
            return text

    def all_values(self) -> dict[str, int | Decimal]:
        return self.numeric_view()[0]

    def numeric_view(self) -> tuple[dict[str, int | Decimal], set[str]]:
        """(every cell's numeric value, the keys holding unreadable values) in one pass.

        Only entered cells are visited: the rules call this after every keystroke.
        """
        facts = schema_facts(self.schema)
        values: dict[str, int | Decimal] = facts.zeros.copy()
        invalid: set[str] = set()
        if _plain_values(self.cells, facts):  # the common case, without a Python step per cell
            values.update(self.cells)
            return values, invalid
        for key, v in self.cells.items():
            if v is None or key not in values:
                continue
            if (type(v) is int and 0 <= v <= MAX_COUNT) or self.is_valid(key):  # fast path: a plain count
                values[key] = v  # type: ignore[assignment]
            else:
                invalid.add(key)
        return values, invalid

    # --- narrative ---------------------------------------------------------------------------
    def figure_value(self, fid: str) -> int | Decimal | None:
        """The current value of a figure (e.g. ``new`` = 表三本年新收总计), None if unknown."""
        for fig in self.schema.figures:
            if fig.id == fid:
                return sum(self.value(k) for k in fig.cells)
        return None

    def field_text(self, kind: str, fid: str) -> str | None:
        """What a live field shows now: a figure's value (``fig``), or its change against last
        year's report in words (``yoy``, see :mod:`.draft`); None when it cannot be known."""
        if kind == "yoy":
            from .draft import change_text  # the wording is drafting data

            return change_text(self, fid)
        v = self.figure_value(fid)
        return None if v is None else str(v)

    def render(self, text: str) -> str:
        """Text with its live fields (``{{fig:new}}``, ``{{yoy:new}}``) replaced by what they show
        now. An unknown figure stays as written; a change against an unknown last year is left out
        (its words carry their own comma: the sentence still reads)."""
        if "{{" not in text:
            return text

        def value(m: re.Match[str]) -> str:
            shown = self.field_text(m.group(1), m.group(2))
            return shown if shown is not None else ("" if m.group(1) == "yoy" else m.group(0))

        return FIELDS.sub(value, text)

    def paragraphs(self, sid: str) -> list[str]:
        """A section's paragraphs as printed: fields rendered, blank lines left out."""
        return [self.render(p) for p in self.sections.get(sid, []) if p.strip()]

    def section_text(self, sid: str) -> str:
        return "\n".join(self.paragraphs(sid))

    # --- identity ------------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """A short hash of what is printed (meta, cells, sections): ties a signed paper to a file.

        Not-entered cells hash as 0 because they print as 0.
        """
        meta = {
            "agency": self.meta.agency.strip(),
            "year": self.meta.year,
            "date": self.meta.date,
            "level": self.meta.level,
            "title": self.meta.effective_title(),
        }
        sections = {s: [p.strip() for p in self.paragraphs(s)] for s in SECTION_IDS}
        import hashlib  # 2.5 ms at import (OpenSSL): only when a fingerprint is asked for

        # json.dumps({"cells": …, "meta": …, "sections": …}, ensure_ascii=False, sort_keys=True,
        # separators=(",", ":")), with the 200 cells formatted into their precomputed layout (the
        # same text: fingerprints of every saved and signed report stay what they were)
        # A plain count prints as str() (the %s); display() gives the rest (not entered, fees, huge
        # or raw values), quoted as JSON quotes text. The count cells are looked at by C loops.
        facts = schema_facts(self.schema)
        values = list(map(self.cells.get, facts.sorted_keys))
        counts = facts.counts_of(values)
        if counts and set(map(type, counts)) == {int} and min(counts) >= 0 and max(counts) <= MAX_COUNT:
            slots: Iterable[tuple[int, str]] = facts.fee_slots
        else:
            slots = enumerate(facts.sorted_keys)
        for i, k in slots:
            v = values[i]
            if not (type(v) is int and 0 <= v <= MAX_COUNT):
                values[i] = encode_basestring(self.display(k))[1:-1]  # type: ignore[call-overload]
        dump = _FINGERPRINT_JSON.encode
        blob = f'{{"cells":{facts.cells_json % tuple(values)},"meta":{dump(meta)},"sections":{dump(sections)}}}'
        digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12].upper()
        return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"

    def waiver_for(self, rule: str, cells: tuple[str, ...]) -> Waiver | None:
        for w in self.waivers:
            if w.matches(rule, cells):
                return w
        return None


def deadline(year: int, level: str) -> dt.date:
    """条例第四十九条: departments by 31 January, governments by 31 March of the next year."""
    return dt.date(year + 1, 3, 31) if level == "government" else dt.date(year + 1, 1, 31)


def enforce_bounds(report: Report) -> list[str]:
    """Make a report from a file or an importer safe for every rule, writer and widget: text as
    UTF-8 holds it, a year in :data:`YEARS`, cell values typed (see :meth:`Report.coerce`).
    Returns Chinese notes on what had to change (also added to ``report.import_notes``)."""
    notes: list[str] = []
    m = report.meta
    if m.year is not None and (not isinstance(m.year, int) or isinstance(m.year, bool) or m.year not in YEARS):
        shown = number_text(m.year)[:24]
        notes.append(f"报告年度“{shown}”无效（应在{YEARS[0]}–{YEARS[-1]}年之间），已清空，请重新填写")
        m.year = None
    m.agency, m.title = clean_text(str(m.agency or "")), clean_text(str(m.title or ""))
    for what, value, limit in (("机关名称", m.agency, MAX_AGENCY_CHARS), ("标题", m.title, MAX_TITLE_CHARS)):
        if len(value) > limit:  # text lengths are bounded where they enter: every writer lays them out
            notes.append(f"{what}过长（{len(value):,}字，最多{limit}字），已截断为前{limit}字，请核对")
    m.agency, m.title = m.agency[:MAX_AGENCY_CHARS], m.title[:MAX_TITLE_CHARS]
    m.date = clean_text(str(m.date)) if m.date else None
    for sid in SECTION_IDS:
        report.sections[sid] = [clean_text(str(p)) for p in report.sections.get(sid, [])]
    report.waivers = [Waiver(clean_text(w.rule), tuple(clean_text(c) for c in w.cells), clean_text(w.reason))
                      for w in report.waivers]
    # (a report of plain counts and valid fees has nothing to change: checked by C loops)
    for key, value in () if _plain_values(report.cells, schema_facts(report.schema)) else list(report.cells.items()):
        if key not in report.schema.cells:
            del report.cells[key]
        elif not (value is None or type(value) is int and 0 <= value <= MAX_COUNT or report.is_valid(key)) \
                or isinstance(value, (str, bool)):
            report.cells[key] = report.coerce(key, value)
    report.import_notes = [clean_text(n) for n in report.import_notes] + notes
    if report.last is not None:
        enforce_bounds(report.last)
    return notes


def new_report(year: int | None = None, agency: str = "", with_headings: bool = True) -> Report:
    """A blank report; section 一 starts with the five required sub-headings."""
    r = Report()
    r.meta.year = year
    r.meta.agency = agency
    if with_headings:
        numbers = "一二三四五"
        r.sections["s1"] = [
            f"（{numbers[i]}）{name}情况。" for i, (name, _) in enumerate(r.schema.topics)
        ]
    return r
