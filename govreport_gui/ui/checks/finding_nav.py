"""Where clicking a finding should take the clerk when its first cell is not the likely culprit.

A ``t3.balance`` finding lists 本年新收 first, but the wrong figure is usually further down its
column: the clerk is taken to the cell most likely wrong, with the whole column selected.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...report.document import Report
from ...report.findings import Finding


@dataclass(frozen=True)
class Target:
    focus: str  # the cell to put the cursor on
    select: tuple[str, ...]  # the cells to highlight with it
    hint: str  # the status bar's word on why there


def balance_target(report: Report, finding: Finding) -> Target:
    """The suspect of one unbalanced 表三 column, in order of likelihood:
    上年结转 that differs from last year's 结转下年度; a （七）总计 that is not the sum of its
    outcomes; otherwise 结转下年度, the figure clerks derive last and most often leave stale."""
    schema = report.schema
    col = finding.detail["col"]
    name = schema.context_name("t3.col", col)
    rows = schema.lists["t3_rows"]
    column = tuple(f"t3.{row}.{col}" for row in rows)
    outcomes = [f"t3.{row}.{col}" for row in schema.lists["t3_outcomes"]]
    last = report.last
    carried_in, total, carried_out = (f"t3.{r}.{col}" for r in ("carried_in", "result.total", "carried_out"))
    partner = finding.detail.get("swapped_with")
    if last is not None and report.value(carried_in) != last.value(f"t3.carried_out.{col}"):
        focus, why = carried_in, f"上年结转与上年报告的结转下年度（{last.display(f't3.carried_out.{col}')}）不一致"
    elif report.value(total) != sum(report.value(k) for k in outcomes):
        focus, why = total, "（七）总计不等于各项办理结果之和"
    elif partner:
        focus = column[0]
        why = (f"与‘{schema.context_name('t3.col', partner)}’列差数正好相反，"
               "可能有申请计入了错误的申请人类型，请逐行对照两列")
    else:
        focus, why = carried_out, "结转下年度通常是最后推算的数，请先核对它，再逐行核对本列"
    return Target(focus, column, f"已选中表三‘{name}’列：{why}")
