"""The real-report corpus (``tests/data/real``) read and judged: cells, metadata, findings, figures.

Shared by ``test_real_corpus.py`` (which fails on any false finding, wrong cell, wrong metadata or
missed real error) and ``bench/bench_real.py`` (which prints the numbers of ``bench/RESULTS-real.md``).

Every finding the rules make on a case must have a hand-written verdict in ``reports.json``
(``verdicts``: finding signature → ``"true: why"``, ``"false: why"`` or ``"todo: why"`` for a 待填写
item); a finding without a verdict is *unjudged* and fails the test just as a false one does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol

from govreport_gui.readers.formats import open_report
from govreport_gui.report.document import Report
from govreport_gui.report.findings import Finding
from govreport_gui.report.rules import check, scan_figures

DATA = Path(__file__).resolve().parent.parent / "data" / "real"
BLANKS = {"", "/", "／", "—", "-", "无"}


def cases() -> list[dict]:
    return json.loads((DATA / "reports.json").read_text(encoding="utf-8"))["cases"]


def printed_value(text: str, kind: str) -> int | Decimal | None:
    """What a printed cell says: blank/slash → 0 (offices write zero so), else the number."""
    t = "".join(text.split())
    for unit in ("万元", "件", "元"):
        t = t.removesuffix(unit) if t != unit else t
    if t in BLANKS:
        return 0
    try:
        return Decimal(t) if kind == "fee" else int(t)
    except (ValueError, InvalidOperation):
        return None


def expected_cells(case: dict, report: Report) -> dict[str, int | Decimal | None]:
    """Each cell's printed value (None: the report prints nothing that means this cell)."""
    schema = report.schema
    out: dict[str, int | Decimal | None] = {}
    if "t2_expect" in case:
        out.update({k: v for k, v in case["t2_expect"].items()})
    else:
        t2 = case["t2"]
        for row in ("regulation", "normative_doc"):
            for col, text in zip(("issued", "repealed", "in_force"), t2[row]):
                out[f"t2.{row}.{col}"] = printed_value(text, "count")
        for name, key in (("licensing", "t2.licensing.decisions"), ("penalty", "t2.penalty.decisions"),
                          ("coercion", "t2.coercion.decisions")):
            out[key] = printed_value(t2[name], "count")
        out["t2.admin_fee.amount_wan"] = printed_value(t2["fee"], "fee")
    cols = schema.lists["t3_cols"]
    for row in schema.lists["t3_rows"]:
        printed = case["t3"].get(row)
        for col, text in zip(cols, printed or [""] * len(cols)):
            out[f"t3.{row}.{col}"] = printed_value(text, "count") if printed else 0
    t4_keys = [c.key for c in schema.tables["t4"].cells]
    for key, text in zip(t4_keys, case["t4"]):
        out[key] = printed_value(text, "count")
    return out


def signature(f: Finding) -> str:
    """A finding as its verdict key: rule and what it is about, stable across wording changes."""
    d = f.detail
    about = {
        "t3.row_total": d.get("row"), "t3.result_total": d.get("col"), "t3.balance": d.get("col"),
        "t4.total": d.get("group"), "x.carried_in": d.get("col"), "x.in_force": d.get("row"),
        "x.identical": d.get("section") or d.get("table"), "n.topics": d.get("topic"), "n.empty": d.get("section"),
        "n.fee": d.get("kind"), "meta.required": d.get("field"), "n.figure": f"{d.get('figure')}={f.actual}",
        "n.year": f"{d.get('section')}:{d.get('year')}",
    }.get(f.rule)
    if about is None and f.cells:
        about = f.cells[0]
    return f"{f.rule}:{about}" if about is not None else f.rule


@dataclass
class CaseResult:
    id: str
    held_out: bool
    error: str = ""  # the import failed
    cells_right: int = 0
    cells_wrong: list[str] = field(default_factory=list)
    cells_missed: list[str] = field(default_factory=list)
    meta_wrong: list[str] = field(default_factory=list)
    true_findings: list[str] = field(default_factory=list)
    false_findings: list[str] = field(default_factory=list)
    todo_findings: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)
    missed_errors: list[str] = field(default_factory=list)
    figures_bound: list[str] = field(default_factory=list)
    figures_wrong: list[str] = field(default_factory=list)  # bound to another figure than the annotation
    figures_unbound: list[str] = field(default_factory=list)
    figures_extra: list[str] = field(default_factory=list)  # a number bound that is no table figure
    text_wrong: list[str] = field(default_factory=list)  # a section not read as printed (lost or furniture)
    notes: list[str] = field(default_factory=list)


def load_case(case: dict) -> tuple[Report, Report | None]:
    report = open_report(DATA / case["file"])
    last = None
    if case.get("last"):
        last_case = next(c for c in cases() if c["id"] == case["last"])
        last = open_report(DATA / last_case["file"])
    return report, last


def judge(case: dict) -> CaseResult:
    res = CaseResult(case["id"], case.get("held_out", False))
    try:
        report, last = load_case(case)
    except Exception as e:  # the import failed: every printed cell is missed
        res.error = f"{type(e).__name__}: {e}"
        return res
    res.notes = list(report.import_notes)
    # cells
    for key, want in expected_cells(case, report).items():
        raw = report.raw(key)
        if want is None:
            if raw is None:
                res.cells_right += 1
            else:
                res.cells_wrong.append(f"{key}: read {raw!r}, the report prints nothing for it")
        elif raw is None and want != 0:
            res.cells_missed.append(f"{key}: printed {want}, not read")
        elif report.value(key) == want and report.is_valid(key):
            res.cells_right += 1
        else:
            res.cells_wrong.append(f"{key}: printed {want}, read {raw!r}")
    # the narrative as printed: nothing lost (the opening paragraph heads 一), no page furniture
    want_text = {"s1": case.get("preface", []) + case["s1"], "s5": case["s5"], "s6": case["s6"]}
    for sid, want in want_text.items():
        if report.sections[sid] != want:
            extra = [p for p in report.sections[sid] if p not in want]
            lost = [p for p in want if p not in report.sections[sid]]
            res.text_wrong.append(f"{sid}: lost {lost[:2]}, added {extra[:2]}")
    # metadata
    m = report.meta
    got = {"title": m.effective_title(), "agency": m.agency, "year": m.year, "level": m.level, "date": m.date}
    for name, want in case["expect"].items():
        if got[name] != want:
            res.meta_wrong.append(f"{name}: want {want!r}, got {got[name]!r}")
    # findings
    verdicts: dict[str, str] = case.get("verdicts", {})
    found = set()
    for f in check(report, last):
        sig = signature(f)
        found.add(sig)
        verdict = verdicts.get(sig)
        pending = bool(f.detail.get("pending"))
        if verdict is None:
            res.unjudged.append(sig)
        elif verdict.startswith("todo"):
            (res.todo_findings if pending else res.false_findings).append(sig)
        elif verdict.startswith("true"):
            res.true_findings.append(sig)
        else:
            res.false_findings.append(sig)
    res.missed_errors = [s for s, v in verdicts.items() if v.startswith(("true", "todo")) and s not in found]
    # narrative figures
    texts = [p for sid in ("s1", "s5", "s6") for p in report.paragraphs(sid)]
    judge_figures(res, texts, report.schema.template, case.get("figures", []))
    return res



class FigureTally(Protocol):
    figures_bound: list[str]
    figures_wrong: list[str]
    figures_unbound: list[str]
    figures_extra: list[str]


def judge_figures(res: FigureTally, texts: list[str], template: str, annotations: list[dict]) -> None:
    """The figure sentences of ``texts`` against the hand annotations (quote → figure id, or None
    for a number that is no table figure), into ``res``'s figures_bound/wrong/unbound/extra."""
    bindings = [(p, b) for p in texts for b in scan_figures(p, template)]
    claimed: set[int] = set()
    for ann in annotations:
        quote, want = ann["quote"], ann["figure"]
        hits = [(i, b) for i, (p, b) in enumerate(bindings)
                if quote in p and _overlaps(p.index(quote), p.index(quote) + len(quote), b[2], b[3])]
        claimed.update(i for i, _ in hits)
        if want is None:
            if hits:
                res.figures_extra.append(f"{quote} → {hits[0][1][0]}")
        elif not hits:
            res.figures_unbound.append(f"{quote} ({want})")
        elif hits[0][1][0] == want:
            res.figures_bound.append(quote)
        else:
            res.figures_wrong.append(f"{quote}: {want}, bound as {hits[0][1][0]}")
    for i, (p, b) in enumerate(bindings):
        if i not in claimed:
            res.figures_extra.append(f"{p[b[2]:b[3]]} → {b[0]} (not annotated)")

def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def judge_all() -> list[CaseResult]:
    return [judge(c) for c in cases()]
