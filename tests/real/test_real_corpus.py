"""Real published reports (tests/data/real): every cell read right, title/agency/year/level/date
right, every finding judged true by hand, every real error found, every figure sentence bound to
its figure. The numbers are in bench/RESULTS-real.md (bench/bench_real.py)."""

from __future__ import annotations

import pytest

from tests.real.corpus import cases, judge
from tests.real.openings import judge_opening, openings


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["id"])
def test_full_report(case):
    r = judge(case)
    assert not r.error, r.error
    assert r.cells_wrong == [] and r.cells_missed == []
    assert r.meta_wrong == []
    assert r.text_wrong == [], "narrative not read as printed"
    assert r.false_findings == [], "false findings"
    assert r.unjudged == [], "findings nobody judged: add a verdict to reports.json"
    assert r.missed_errors == [], "real errors missed"
    assert r.figures_wrong == [] and r.figures_extra == []


@pytest.mark.parametrize("case", openings(), ids=lambda c: c["id"])
def test_opening(case):
    r = judge_opening(case)
    # what the reader still cannot read is listed with its reason (a held-out finding), and nothing else
    assert [m.split(":")[0] for m in r.meta_wrong] == list(case.get("known_misses", {}))
    assert r.cells_wrong == []
    assert r.false_findings == [] and r.unjudged == [] and r.missed_errors == []
    assert r.figures_wrong == [] and r.figures_extra == [] and r.figures_unbound == []


def test_the_files_are_what_make_files_writes(tmp_path):
    """The corpus files come from the transcription: rebuilding them changes no HTML byte."""
    import importlib.util

    from tests.real.corpus import DATA

    spec = importlib.util.spec_from_file_location("make_files", DATA / "make_files.py")
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    for case in cases():
        if case["shape"] in mf.SHAPES:
            assert mf.SHAPES[case["shape"]](case) == (DATA / case["file"]).read_bytes(), case["id"]
