"""The openings of real reports (``tests/data/real/openings.json``) judged: the heading reader (title,
agency, year, level, date), 表二 where the opening shows it, and n.figure on the sentences of 一.

Only what the opening shows is judged: a figure finding counts only when every cell it compares is
printed in the opening (表二, the first rows of 表三).
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field

from govreport_gui.readers.docx_grid import Grid, Para
from govreport_gui.readers.docx_import import read_text
from govreport_gui.readers.table_reader import Reading, TableError, read_t2
from govreport_gui.report.document import Report
from govreport_gui.report.rules import check

from .corpus import DATA, judge_figures, printed_value, signature


def _make_files():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_files", DATA / "make_files.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def openings() -> list[dict]:
    return json.loads((DATA / "openings.json").read_text(encoding="utf-8"))["cases"]


def text_grid(grid: list[list[tuple]]) -> list[list[str]]:
    """A printed grid of (text, rowspan, colspan) as the readers see it: spans repeated."""
    mf = _make_files()
    placed = mf.positions(grid)
    width = max(c + cell[2] for row in placed for c, cell in row)
    out = [[""] * width for _ in grid]
    for r, row in enumerate(placed):
        for c, (text, rs, cs) in row:
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    out[rr][cc] = text
    return out


def t2_printed(case: dict) -> list[list[str]] | None:
    mf = _make_files()
    if "t2_grid" in case:
        return text_grid(mf.t2_grid(case))
    if "t2" not in case:
        return None
    if case.get("t2_partial"):
        t = case["t2"]
        grid = [[("第二十条第（一）项", 1, 4)], [(h, 1, 1) for h in case["t2_header"]],
                [("规章", 1, 1), *[(v, 1, 1) for v in t["regulation"]]],
                [(t.get("normative_label", "行政规范性文件"), 1, 1), *[(v, 1, 1) for v in t["normative_doc"]]]]
        return text_grid(grid)
    return text_grid(mf.t2_grid(case))


@dataclass
class OpeningResult:
    id: str
    held_out: bool
    meta_wrong: list[str] = field(default_factory=list)
    cells_right: int = 0
    cells_wrong: list[str] = field(default_factory=list)
    true_findings: list[str] = field(default_factory=list)
    false_findings: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)
    missed_errors: list[str] = field(default_factory=list)
    figures_bound: list[str] = field(default_factory=list)
    figures_wrong: list[str] = field(default_factory=list)
    figures_unbound: list[str] = field(default_factory=list)
    figures_extra: list[str] = field(default_factory=list)


def read_opening(case: dict) -> tuple[Report, set[str]]:
    """The opening read as the importers read a page; returns the report and the cells it shows."""
    blocks: list[Para | Grid] = []
    for line in case["top"]:
        blocks.append(Grid(line["grid"]) if isinstance(line, dict) else Para(line))
    blocks += [Para(p) for p in case["preface"]]
    blocks.append(Para("一、总体情况"))
    blocks += [Para(p) for p in case["s1"]]
    report = Report()
    report.imported = True
    read_text(report, blocks, case["id"])
    shown: set[str] = set()
    grid = t2_printed(case)
    if grid is not None:
        out = Reading()
        try:
            read_t2(report, grid, out)
        except TableError:
            pass  # a partial 表二: only what was read is judged
        report.cells.update(out.cells)
        shown |= set(out.cells)
    cols = report.schema.lists["t3_cols"]
    for row, printed in case.get("t3", {}).items():
        for col, text in zip(cols, printed):
            report.cells[f"t3.{row}.{col}"] = printed_value(text, "count")
            shown.add(f"t3.{row}.{col}")
    return report, shown


def judge_opening(case: dict) -> OpeningResult:
    res = OpeningResult(case["id"], case.get("held_out", False))
    report, shown = read_opening(case)
    m = report.meta
    got = {"title": m.effective_title(), "agency": m.agency, "year": m.year, "level": m.level, "date": m.date}
    for name, want in case["expect"].items():
        if got[name] != want:
            res.meta_wrong.append(f"{name}: want {want!r}, got {got[name]!r}")
    # 表二 as read
    if "t2_expect" in case:
        want_t2 = case["t2_expect"]
    elif "t2" in case:
        t2 = case["t2"]
        want_t2 = {}
        for row in ("regulation", "normative_doc"):
            for col, text in zip(("issued", "repealed", "in_force"), t2.get(row, [])):
                want_t2[f"t2.{row}.{col}"] = printed_value(text, "count")
        for name, key in (("licensing", "t2.licensing.decisions"), ("penalty", "t2.penalty.decisions"),
                          ("coercion", "t2.coercion.decisions")):
            if name in t2:
                want_t2[key] = printed_value(t2[name], "count")
        if "fee" in t2:
            want_t2["t2.admin_fee.amount_wan"] = printed_value(t2["fee"], "fee")
    else:
        want_t2 = {}
    for key, want in want_t2.items():
        raw = report.raw(key)
        if (want is None and raw is None) or (want is not None and raw is not None and report.value(key) == want):
            res.cells_right += 1
        else:
            res.cells_wrong.append(f"{key}: printed {want}, read {raw!r}")
    # figure findings whose cells the opening shows
    figures = {f.id: f for f in report.schema.figures}
    verdicts: dict[str, str] = case.get("verdicts", {})
    found = set()
    for f in check(report):
        if f.rule != "n.figure":
            continue
        fig = figures[f.detail["figure"]]
        if not set(fig.cells) <= shown:
            continue
        sig = signature(f)
        found.add(sig)
        verdict = verdicts.get(sig)
        if verdict is None:
            res.unjudged.append(sig)
        elif verdict.startswith("true"):
            res.true_findings.append(sig)
        else:
            res.false_findings.append(sig)
    res.missed_errors = [s for s, v in verdicts.items() if v.startswith("true") and s not in found]
    # bindings
    texts = [p for p in report.paragraphs("s1")]
    judge_figures(res, texts, report.schema.template, case.get("figures", []))
    return res


def judge_openings() -> list[OpeningResult]:
    return [judge_opening(c) for c in openings()]
