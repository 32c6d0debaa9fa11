"""研判指标: values from 表三/表四, thresholds and the too-few rule from the data file."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from govreport_gui.report import indicators as ind_module
from govreport_gui.report.document import new_report
from govreport_gui.report.indicators import definitions, indicators


def test_sample_indicators_equal_the_tables(sample):
    got = indicators(sample)
    assert list(got) == ["substantive", "review_corrected", "suit_corrected", "carried_out", "unable", "not_processed"]
    v = sample.value
    closed = v("t3.result.total.total")
    s = got["substantive"]
    assert (s.numerator, s.denominator) == (v("t3.result.granted.total") + v("t3.result.partial.total"), closed)
    assert s.value == Fraction(40, 69) and s.percent() == "58.0%" and s.judged and not s.marked
    r = got["review_corrected"]  # 1 corrected of 3 closed (the 4th is still pending)
    assert (r.numerator, r.denominator) == (v("t4.review.corrected"), v("t4.review.total") - v("t4.review.pending"))
    assert r.marked and "有被纠错" in r.explain() and "鲤城区" in r.explain()
    c = got["carried_out"]
    assert c.denominator == v("t3.new.total") + v("t3.carried_in.total") and c.numerator == v("t3.carried_out.total")
    unable = sum(v(f"t3.result.unable.{k}.total") for k in ("not_held", "needs_creation", "unclear"))
    assert got["unable"].numerator == unable and got["unable"].denominator == closed


def _report(**cells):
    r = new_report(year=2025, agency="甲局")
    r.cells.update({k.replace("__", "."): v for k, v in cells.items()})
    return r


def test_thresholds_are_exact_and_too_few_cases_are_not_judged():
    # exactly 20% carried over is not "above 20%"; one more is
    at = indicators(_report(t3__new__total=20, t3__carried_out__total=4))["carried_out"]
    assert at.value == Fraction(1, 5) and at.judged and not at.marked
    over = indicators(_report(t3__new__total=20, t3__carried_out__total=5))["carried_out"]
    assert over.marked and over.percent() == "25.0%"
    few = indicators(_report(t3__new__total=9, t3__carried_out__total=9))["carried_out"]
    assert not few.judged and not few.marked and "不足10件" in few.reason
    none = indicators(new_report())["substantive"]
    assert none.value is None and none.percent() == "—" and "为0" in none.reason and not none.marked
    low = indicators(_report(t3__result__total__total=10, t3__result__granted__total=4))["substantive"]
    assert low.marked and low.percent(0) == "40%"


def test_unreadable_cells_count_zero():
    r = _report(t3__result__total__total=12, t3__result__granted__total="十二")
    assert indicators(r)["substantive"].numerator == 0


def test_every_indicator_names_known_cells_and_states_its_source():
    data = json.loads((Path(ind_module.__file__).parent / "indicators_2021.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data["indicators"]] == [d.id for d in definitions()]
    for d in definitions():
        assert d.source and d.mark_text and d.min_denominator >= 1 and (d.below is not None or d.above is not None)
