"""The national report format as data: loaded from ``format_2021.json`` and validated once.

Everything that knows the shape of the report — grids, exporters, importers, rules — asks the
:class:`Schema` instead of hard-coding rows and columns, so a new national format is a new data file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from .frozen import Frozen

CellKind = Literal["count", "fee"]


class SchemaError(Exception):
    """The format data file is inconsistent (a programming error, never user input)."""


# The format's parts are :class:`.frozen.Frozen` values (no dataclass code compiled at start).
_set = object.__setattr__


class LabelCell(Frozen):
    """A fixed text cell of a table (0-based row/column, with its span)."""

    __slots__ = _fields = ("row", "col", "rowspan", "colspan", "text")
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str

    def __init__(self, row: int, col: int, rowspan: int, colspan: int, text: str) -> None:
        _set(self, "row", row)
        _set(self, "col", col)
        _set(self, "rowspan", rowspan)
        _set(self, "colspan", colspan)
        _set(self, "text", text)


class DataCell(Frozen):
    """A value cell: its stable key, position, span, kind and a short Chinese name."""

    __slots__ = _fields = ("key", "table", "row", "col", "rowspan", "colspan", "name", "kind")
    key: str
    table: str
    row: int
    col: int
    rowspan: int
    colspan: int
    name: str
    kind: CellKind

    def __init__(self, key: str, table: str, row: int, col: int, rowspan: int, colspan: int, name: str,
                 kind: CellKind = "count") -> None:
        _set(self, "key", key)
        _set(self, "table", table)
        _set(self, "row", row)
        _set(self, "col", col)
        _set(self, "rowspan", rowspan)
        _set(self, "colspan", colspan)
        _set(self, "name", name)
        _set(self, "kind", kind)


class Equation(Frozen):
    """``sum(lhs) == sum(rhs)``; for a total, ``lhs`` is the single total cell.

    ``context`` names what the equation is about (e.g. ``{"col": "natural_person"}``) so that
    messages can say “表三‘自然人’列” (not compared, not hashed).
    """

    __slots__ = _fields = ("rule", "lhs", "rhs", "context")
    _compared = ("rule", "lhs", "rhs")
    rule: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    context: dict[str, str]

    def __init__(self, rule: str, lhs: tuple[str, ...], rhs: tuple[str, ...],
                 context: dict[str, str] | None = None) -> None:
        _set(self, "rule", rule)
        _set(self, "lhs", lhs)
        _set(self, "rhs", rhs)
        _set(self, "context", {} if context is None else context)

    @property
    def is_total(self) -> bool:
        return len(self.lhs) == 1 and len(self.rhs) > 2


class Table(Frozen):
    __slots__ = ("id", "caption", "rows", "cols", "widths_mm", "labels", "cells", "header_rows", "group_rows",
                 "grid")
    _fields = __slots__[:-1]  # ``grid`` (every position → its cell) follows from the cells
    id: str
    caption: str
    rows: int
    cols: int
    widths_mm: tuple[float, ...]
    labels: tuple[LabelCell, ...]
    cells: tuple[DataCell, ...]
    header_rows: tuple[int, ...]
    group_rows: tuple[int, ...]
    grid: dict[tuple[int, int], DataCell | LabelCell]

    def __init__(self, id: str, caption: str, rows: int, cols: int, widths_mm: tuple[float, ...],  # noqa: A002
                 labels: tuple[LabelCell, ...], cells: tuple[DataCell, ...], header_rows: tuple[int, ...],
                 group_rows: tuple[int, ...]) -> None:
        _set(self, "id", id)
        _set(self, "caption", caption)
        _set(self, "rows", rows)
        _set(self, "cols", cols)
        _set(self, "widths_mm", widths_mm)
        _set(self, "labels", labels)
        _set(self, "cells", cells)
        _set(self, "header_rows", header_rows)
        _set(self, "group_rows", group_rows)
        grid: dict[tuple[int, int], DataCell | LabelCell] = {}
        for c in (*labels, *cells):
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    grid[(r, k)] = c
        _set(self, "grid", grid)

    def cell_at(self, row: int, col: int) -> DataCell | LabelCell | None:
        """The cell whose span covers (row, col), or None for an empty grid position."""
        return self.grid.get((row, col))

    def headers(self, cell: DataCell) -> tuple[list[str], list[str]]:
        """(column headers from the top down, row headers from the left) of a data cell.

        Walks up and left over the label cells, as a reader of the printed table does.
        """
        cols: list[str] = []
        for r in range(cell.row - 1, -1, -1):
            c = self.grid.get((r, cell.col))
            if isinstance(c, LabelCell) and c.text not in cols and c.colspan < self.cols:
                cols.insert(0, c.text)  # a full-width group row (第二十条…) heads nothing
        rows: list[str] = []
        for k in range(cell.col - 1, -1, -1):
            c = self.grid.get((cell.row, k))
            if isinstance(c, LabelCell) and c.text not in rows:
                rows.insert(0, c.text)
        if self.id == "t2":  # only the nearest header row belongs to a 表二 cell
            cols = cols[-1:]
        return cols, rows


class Figure(Frozen):
    """A table quantity that narrative text commonly states (for ``n.figure`` and live fields).

    ``also``: other sums of cells the same words may mean (``受理申请749件`` is often 新收 plus
    上年结转). ``kind`` is ``count`` (the sentence states the quantity) or ``change`` (it states the
    change against last year in percent). ``value`` is ``count`` or ``fee`` (万元 with decimals).
    ``whole``: a total: a number in a “其中……” clause is one of its parts, not it.
    """

    __slots__ = _fields = ("id", "name", "cells", "patterns", "also", "kind", "value", "whole")
    id: str
    name: str
    cells: tuple[str, ...]
    patterns: tuple[FigurePattern, ...]
    also: tuple[tuple[str, ...], ...]
    kind: str
    value: str
    whole: bool

    def __init__(self, id: str, name: str, cells: tuple[str, ...], patterns: tuple[FigurePattern, ...],  # noqa: A002
                 also: tuple[tuple[str, ...], ...] = (), kind: str = "count", value: str = "count",
                 whole: bool = False) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "cells", cells)
        _set(self, "patterns", patterns)
        _set(self, "also", also)
        _set(self, "kind", kind)
        _set(self, "value", value)
        _set(self, "whole", whole)


class Section(Frozen):
    __slots__ = _fields = ("id", "number", "heading", "kind")
    id: str
    number: str
    heading: str
    kind: Literal["text", "table"]

    def __init__(self, id: str, number: str, heading: str, kind: Literal["text", "table"]) -> None:  # noqa: A002
        _set(self, "id", id)
        _set(self, "number", number)
        _set(self, "heading", heading)
        _set(self, "kind", kind)


class RuleInfo(Frozen):
    __slots__ = _fields = ("id", "severity", "title")
    id: str
    severity: Literal["error", "warning"]
    title: str

    def __init__(self, id: str, severity: Literal["error", "warning"], title: str) -> None:  # noqa: A002
        _set(self, "id", id)
        _set(self, "severity", severity)
        _set(self, "title", title)


class Schema(Frozen):
    """The whole format. Not hashable (it holds dicts); it has a ``__dict__`` for what
    :func:`per_schema` keeps on it. ``reading`` (how published reports are read: title and agency
    patterns, page furniture; the readers compile it) and ``checks`` (thresholds and patterns of the
    rules: fee statements, jumps, working years, short sections) are not compared."""

    _fields = ("template", "name", "sections", "tables", "cells", "equations", "autofill", "rules", "lists",
               "names", "topics", "placeholders", "figures", "reading", "checks")
    _compared = _fields[:-2]
    __hash__ = None  # type: ignore[assignment]
    template: str
    name: str
    sections: tuple[Section, ...]
    tables: dict[str, Table]
    cells: dict[str, DataCell]
    equations: tuple[Equation, ...]
    autofill: dict[str, tuple[str, ...]]
    rules: dict[str, RuleInfo]
    lists: dict[str, tuple[str, ...]]
    names: dict[str, dict[str, str]]
    topics: tuple[tuple[str, tuple[str, ...]], ...]
    placeholders: frozenset[str]
    figures: tuple[Figure, ...]
    reading: dict
    checks: dict

    def __init__(self, template: str, name: str, sections: tuple[Section, ...], tables: dict[str, Table],
                 cells: dict[str, DataCell], equations: tuple[Equation, ...], autofill: dict[str, tuple[str, ...]],
                 rules: dict[str, RuleInfo], lists: dict[str, tuple[str, ...]], names: dict[str, dict[str, str]],
                 topics: tuple[tuple[str, tuple[str, ...]], ...], placeholders: frozenset[str],
                 figures: tuple[Figure, ...], reading: dict | None = None, checks: dict | None = None) -> None:
        self.__dict__.update(template=template, name=name, sections=sections, tables=tables, cells=cells,
                             equations=equations, autofill=autofill, rules=rules, lists=lists, names=names,
                             topics=topics, placeholders=placeholders, figures=figures,
                             reading={} if reading is None else reading, checks={} if checks is None else checks)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return self.__class__, tuple(self.__dict__[f] for f in self._fields)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.cells)

    def context_name(self, kind: str, value: str) -> str:
        """Chinese name of an equation context item (a 表三 row/column, a 表四 group)."""
        return self.names.get(kind, {}).get(value, value)


_T = TypeVar("_T")


def per_schema(build: Callable[[Schema], _T]) -> Callable[[Schema], _T]:
    """``build(schema)`` worked out once per schema and kept on it (a schema lives as long as the
    process; it holds dicts, so it cannot key a cache): what every report of a format derives alike,
    asked by a roll-up 10,000 times."""
    slot = f"_per_schema.{build.__module__}.{build.__qualname__}"

    def get(schema: Schema) -> _T:
        try:
            return schema.__dict__[slot]
        except KeyError:  # first use (frozen: set in its __dict__, not by setattr)
            value = schema.__dict__[slot] = build(schema)
            return value

    get.__doc__ = build.__doc__
    return get


_SPECIAL = set("\\()[]{}?*+|^$.")


def required_words(pattern: str) -> tuple[str, ...]:
    """Runs of non-ASCII characters every match of ``pattern`` contains: those outside groups and
    character classes, not made optional by a quantifier. Nothing (an empty tuple) when the pattern
    has a top-level ``|`` or a flag group."""
    words: list[str] = []
    run: list[str] = []
    depth, i, n = 0, 0, len(pattern)

    def cut(drop_last: bool = False) -> None:
        if drop_last and run:
            run.pop()  # “年度?”: the 度 is optional
        if run:
            words.append("".join(run))
        run.clear()

    while i < n:
        ch = pattern[i]
        if ch == "\\":
            cut()
            i += 2
            continue
        if ch == "[":  # a character class: skip to its end (a ] first in the class is a literal)
            cut()
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if ch == "(":
            if pattern.startswith("(?", i) and i + 2 < n and pattern[i + 2].isalpha() and pattern[i + 2] != "P":
                return ()  # (?i) and friends: not worth reasoning about
            cut()
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            if ch == "|":
                return ()
            if ch in "?*{":
                cut(drop_last=True)
            elif ch in _SPECIAL or ord(ch) < 128:
                cut()
            else:
                run.append(ch)
        i += 1
    cut()
    return tuple(words)


class FigurePattern:
    """A figure's regular expression, compiled when first needed and tried only on text holding
    the words every match contains: the format has dozens of figure patterns, and compiling them
    all cost ~20 ms at every start, although a report's text mentions few of their words."""

    __slots__ = ("pattern", "_needs", "_compiled")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._needs: tuple[str, ...] | None = None
        self._compiled: re.Pattern[str] | None = None

    @property
    def needs(self) -> tuple[str, ...]:
        """The words every match contains (worked out on first use: ~3 ms for all the format's
        patterns, at every start before the window could paint)."""
        if self._needs is None:
            self._needs = required_words(self.pattern)
        return self._needs

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for word in self.needs:
            if word not in text:
                return iter(())
        return self.compiled().finditer(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FigurePattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"FigurePattern({self.pattern!r})"


def _figure_pattern(pattern: str, checks: dict) -> FigurePattern:
    """A figure pattern with its placeholders filled in: {N} a count (digits or 一…九十), {D} a
    decimal, {P} a percentage, {DIR} up/down words, {Y} a year, {ZERO} a sentence that states 0 (or
    ``(?P<zero>words)``: those words state 0, e.g. 与上年持平, and the sentence's other numbers stay free); a
    group (?P<at>…) marks where the statement starts when the pattern needs words before it."""
    fills = {"{N}": checks.get("number", r"(?P<n>\d+)"), "{D}": checks.get("decimal", r"(?P<n>\d+(?:\.\d+)?)"),
             "{P}": checks.get("percent", r"(?P<n>\d+(?:\.\d+)?)"), "{DIR}": checks.get("direction", "(?P<dir>)"),
             "{Y}": r"\d{4}", "{ZERO}": "(?P<zero>)"}
    for name, fill in fills.items():
        pattern = pattern.replace(name, fill)
    return FigurePattern(pattern)


def _expand_equations(raw: list[dict], lists: dict[str, tuple[str, ...]]) -> tuple[Equation, ...]:
    out: list[Equation] = []
    for spec in raw:
        var, list_name = spec["each"]
        for item in lists[list_name]:
            ctx = {k: item for k, _ in spec.get("context", {}).items()}

            def fmt(t: str, item: str = item, var: str = var) -> str:
                return t.replace("{" + var + "}", item)

            if "total" in spec:
                inner_var, inner_list, tmpl = spec["sum"]
                total = fmt(spec["total"])
                parts = tuple(fmt(tmpl).replace("{" + inner_var + "}", p) for p in lists[inner_list])
                if total in parts:  # the 总计 row/column is not its own part
                    continue
                out.append(Equation(spec["rule"], (total,), parts, ctx))
            else:
                lhs = tuple(fmt(t) for t in spec["lhs"])
                rhs = tuple(fmt(t) for t in spec["rhs"])
                out.append(Equation(spec["rule"], lhs, rhs, ctx))
    return tuple(out)


def _build(data: dict) -> Schema:
    lists = {k: tuple(v) for k, v in data["lists"].items()}
    names: dict[str, dict[str, str]] = {k: dict(v) for k, v in data.get("names", {}).items()}
    tables: dict[str, Table] = {}
    cells: dict[str, DataCell] = {}
    for tid, t in data["tables"].items():
        labels = tuple(LabelCell(r - 1, c - 1, rs, cs, text) for r, c, rs, cs, text in t["labels"])
        tcells: list[DataCell] = []
        for entry in t.get("cells", []):
            r, c, rs, cs, key, name, *kind = entry
            tcells.append(DataCell(key, tid, r - 1, c - 1, rs, cs, name, kind[0] if kind else "count"))
        if "grid" in t:
            g = t["grid"]
            names["t3.row"] = {k: n for _, k, n in g["rows"]}
            names["t3.col"] = {k: n for _, k, n in g["cols"]}
            for r, rk, rn in g["rows"]:
                for c, ck, cn in g["cols"]:
                    key = g["key"].replace("{row}", rk).replace("{col}", ck)
                    tcells.append(DataCell(key, tid, r - 1, c - 1, 1, 1, f"{cn}·{rn}"))
        for dc in tcells:
            if dc.key in cells:
                raise SchemaError(f"duplicate cell key {dc.key}")
            cells[dc.key] = dc
        rows, cols = t["size"]
        tables[tid] = Table(
            tid, t["caption"], rows, cols, tuple(float(w) for w in t["widths_mm"]), labels,
            tuple(tcells), tuple(r - 1 for r in t.get("header_rows", [])),
            tuple(r - 1 for r in t.get("group_rows", [])),
        )
    equations = _expand_equations(data["equations"], lists)
    rules = {rid: RuleInfo(rid, r["severity"], r["title"]) for rid, r in data["rules"].items()}
    checks = data.get("checks", {})
    figures = tuple(
        Figure(f["id"], f["name"], tuple(f["cells"]), tuple(_figure_pattern(p, checks) for p in f["patterns"]),
               tuple(tuple(a) for a in f.get("also", [])), f.get("kind", "count"), f.get("value", "count"),
               bool(f.get("whole", False)))
        for f in data["figures"]
    )
    schema = Schema(
        template=data["template"],
        name=data["name"],
        sections=tuple(Section(s["id"], s["number"], s["heading"], s["kind"]) for s in data["sections"]),
        tables=tables,
        cells=cells,
        equations=equations,
        autofill={k: tuple(v) for k, v in data["autofill"].items()},
        rules=rules,
        lists=lists,
        names=names,
        topics=tuple((t["name"], tuple(t["patterns"])) for t in data["topics"]),
        placeholders=frozenset(data["placeholders"]),
        figures=figures,
        reading=data.get("reading", {}),
        checks=checks,
    )
    validate(schema)
    return schema


def validate(schema: Schema) -> None:
    """Check the format data for overlaps, gaps in spans, unknown keys and unknown rules."""
    for t in schema.tables.values():
        seen: dict[tuple[int, int], str] = {}
        for c in (*t.labels, *t.cells):
            if c.row < 0 or c.col < 0 or c.row + c.rowspan > t.rows or c.col + c.colspan > t.cols:
                raise SchemaError(f"{t.id}: cell at {c.row + 1},{c.col + 1} lies outside the table")
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if (r, k) in seen:
                        raise SchemaError(f"{t.id}: cells overlap at {r + 1},{k + 1}")
                    seen[(r, k)] = getattr(c, "key", "label")
        if len(t.widths_mm) != t.cols:
            raise SchemaError(f"{t.id}: {len(t.widths_mm)} widths for {t.cols} columns")
    for eq in schema.equations:
        if eq.rule not in schema.rules:
            raise SchemaError(f"equation of unknown rule {eq.rule}")
        for key in (*eq.lhs, *eq.rhs):
            if key not in schema.cells:
                raise SchemaError(f"equation {eq.rule} names unknown cell {key}")
    for fig in schema.figures:
        for key in fig.cells:
            if key not in schema.cells:
                raise SchemaError(f"figure {fig.id} names unknown cell {key}")
    for table_id, rule_ids in schema.autofill.items():
        if table_id not in schema.tables or any(r not in schema.rules for r in rule_ids):
            raise SchemaError(f"autofill entry {table_id} is inconsistent")


@cache
def load_schema(template: str = "2021") -> Schema:
    """The validated schema of a national format (cached: loaded once per process)."""
    if template != "2021":
        raise KeyError(template)
    # next to this module (also inside a PyInstaller bundle); importlib.resources costs ~5 ms
    text = (Path(__file__).parent / "format_2021.json").read_text(encoding="utf-8")
    return _build(json.loads(text))
