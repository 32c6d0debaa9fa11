"""起草 over the real-report corpus: a draft in any place of a real report's 一 gives sentences the
rules accept — no finding the report did not have before, every drafted figure the table's."""

from __future__ import annotations

import pytest

from govreport_gui.report.document import FIELDS
from govreport_gui.report.draft import draft_into, draft_topic
from govreport_gui.report.rules import check, scan_figures

from .corpus import cases, load_case, signature

CASES = cases()


def _findings(report) -> set[str]:
    return {signature(f) for f in check(report)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_drafting_adds_no_finding(case):
    report, last = load_case(case)
    report.last = last  # 洪泽 2024 is drafted with its 2023 report: 同比 too
    before = _findings(report)
    original = list(report.sections["s1"])
    # the whole 一, then each topic at the end of every paragraph (where a clerk's cursor would be)
    places = [(None, None)] + [((i, len(p)), None) for i, p in enumerate(original)]
    drafted = 0
    for cursor, topic in places:
        result = draft_into(report, original, cursor, topic)
        report.sections["s1"] = result.paragraphs
        assert _findings(report) == before, (case["id"], cursor, result.topics)
        drafted += bool(result.topics)
        report.sections["s1"] = original
    assert drafted >= 1
    for topic in ("主动公开", "依申请公开"):
        text = draft_topic(report, topic)
        bound = [m.group(2) for m in FIELDS.finditer(text) if m.group(1) == "fig"]
        stated = scan_figures(report.render(text))
        changes = {f.id for f in report.schema.figures if f.kind == "change"}
        # every number is a live field, read by the rules as the figure it is; the rest are
        # sentences that state 0 (未收到…申请) and the change against last year
        assert [fid for fid, value, *_ in stated if fid not in changes and (value or fid in bound)] == bound, \
            (case["id"], topic)
        for fid, value, *_ in stated:
            assert fid in changes or value == report.figure_value(fid)
    if last is not None:
        assert "同比" in report.render(draft_topic(report, "依申请公开"))
