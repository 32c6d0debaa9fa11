from govreport_gui.report.schema import DataCell, LabelCell, load_schema


def test_counts_and_keys_follow_the_spec():
    s = load_schema()
    assert len(s.cells) == 200
    by_table = {t: sum(1 for c in s.cells.values() if c.table == t) for t in ("t2", "t3", "t4")}
    assert by_table == {"t2": 10, "t3": 175, "t4": 15}
    assert s.cells["t2.admin_fee.amount_wan"].kind == "fee"
    assert sum(1 for c in s.cells.values() if c.kind == "fee") == 1
    assert "t3.result.denied.state_secret.total" in s.cells
    assert "t3.carried_out.legal_service" in s.cells
    assert "t4.suit_after_review.pending" in s.cells


def test_table_shapes_and_merges():
    s = load_schema()
    t2, t3, t4 = s.tables["t2"], s.tables["t3"], s.tables["t4"]
    assert (t2.rows, t2.cols, t3.rows, t3.cols, t4.rows, t4.cols) == (14, 4, 28, 10, 4, 15)
    corner = t3.cell_at(0, 0)
    assert isinstance(corner, LabelCell) and (corner.rowspan, corner.colspan) == (3, 3)
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    result = t3.cell_at(26, 0)
    assert isinstance(result, LabelCell) and result.text == "三、本年度办理结果" and result.rowspan == 22
    assert t3.cell_at(14, 1).text == "（三）不予公开"  # rows 8–15 merged
    assert t3.cell_at(9, 2).text == "3.危及“三安全一稳定”"
    fee = t2.cell_at(13, 3)
    assert isinstance(fee, DataCell) and fee.key == "t2.admin_fee.amount_wan" and fee.colspan == 3
    assert t4.cell_at(0, 14).text == "行政诉讼"
    assert t4.cell_at(2, 4).text == "总计" and t4.cell_at(2, 4).rowspan == 2
    # every grid position is covered exactly once (validate() rejects overlaps)
    for t in (t2, t3, t4):
        assert all(t.cell_at(r, c) is not None for r in range(t.rows) for c in range(t.cols))


def test_equations_cover_the_sum_rules():
    s = load_schema()
    rules = [e.rule for e in s.equations]
    assert rules.count("t3.row_total") == 25
    assert rules.count("t3.result_total") == 7
    assert rules.count("t3.balance") == 7
    assert rules.count("t4.total") == 3
    res = next(e for e in s.equations if e.rule == "t3.result_total" and e.context["col"] == "total")
    assert res.lhs == ("t3.result.total.total",) and len(res.rhs) == 21


def _corpus() -> list[str]:
    """Every narrative paragraph of the real reports (tests/data/real) and of the samples."""
    import json
    from pathlib import Path

    from govreport_gui.report import native

    data = Path(__file__).resolve().parents[1] / "data"
    cases = json.loads((data / "real" / "reports.json").read_text(encoding="utf-8"))["cases"]
    paras = [p for case in cases for sid in ("s1", "s5", "s6") for p in case.get(sid) or []]
    for name in ("sample-2025.govreport", "sample-2025-faulty.govreport"):
        report = native.load(data / name)
        paras += [p for sid in ("s1", "s5", "s6") for p in report.paragraphs(sid)]
    return paras


def test_a_figure_pattern_finds_what_its_regular_expression_finds():
    """Figure patterns compile on first use and skip text lacking words every match holds: on
    real text they find exactly what the plain regular expressions find, and each match holds them."""
    import re

    from govreport_gui.report.rules import _DIGITS

    corpus = [p.translate(_DIGITS) for p in _corpus()]
    assert len(corpus) > 100
    hits = 0
    for fig in load_schema().figures:
        for pattern in fig.patterns:
            plain = re.compile(pattern.pattern)
            for text in corpus:
                found = [m.span() for m in plain.finditer(text)]
                assert [m.span() for m in pattern.finditer(text)] == found, (fig.id, pattern.pattern, text)
                for start, end in found:
                    assert all(w in text[start:end] for w in pattern.needs), (pattern.needs, text[start:end])
                hits += len(found)
    assert hits > 30  # the corpus exercises the patterns (41 matches when written)


def test_required_words_of_a_pattern():
    from govreport_gui.report.schema import required_words

    assert required_words(r"上一?年(?:度)?(?:结转|转结)[^，。]{0,12}?(?P<n>\d+)\s*件") == ("上", "年", "件")
    assert required_words(r"结转下年度?继续办理") == ("结转下年", "继续办理")  # 度 is optional
    assert required_words(r"(?<=[，,])诉讼(?P<n>\d+)") == ("诉讼",)
    assert required_words(r"[申请]+件") == ("件",)  # a class is no literal
    assert required_words(r"申请\s*件+") == ("申请", "件")
    assert required_words(r"收到|受理") == ()  # either word: neither is required
    assert required_words(r"(?i)申请") == ()
    assert required_words(r"\d+件") == ("件",)
