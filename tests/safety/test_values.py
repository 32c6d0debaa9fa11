"""Every value that enters a report is typed and in range: nothing a file, an import or the keyboard
brings in can make check, save or export raise, or pass check with 0 errors when it is nonsense."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from govreport_gui.export import export
from govreport_gui.readers.formats import open_report
from govreport_gui.report import native
from govreport_gui.report.document import Waiver
from govreport_gui.report.messages import describe
from govreport_gui.report.numbers import NumberError, parse_count, parse_fee
from govreport_gui.report.paste import plan_paste
from govreport_gui.report.rules import check
from govreport_gui.report.schema import load_schema
from tests.safety.bounded import ROOT

FEE = "t2.admin_fee.amount_wan"
COUNT = "t3.new.natural_person"


def _file(tmp_path, cells: str = "{}", meta: str = '{"agency": "某局", "year": 2025}', extra: str = ""):
    p = tmp_path / "r.govreport"
    p.write_text(f'{{"format": "govreport", "version": 1, "meta": {meta}, "cells": {cells}{extra}}}',
                 encoding="utf-8")
    return p


def _rules(report) -> dict[str, str]:
    return {f.rule: describe(f) for f in check(report)}


@pytest.mark.parametrize("raw", ["NaN", '"NaN"', '"-sNaN"', '"sNaN"', "Infinity", '"1E+400"', "1E+400",
                                 '"-Infinity"'])
def test_nonsense_fees_are_named_not_raised(tmp_path, raw):
    report = native.load(_file(tmp_path, f'{{"{FEE}": {raw}}}'))
    found = _rules(report)  # raised InvalidOperation for NaN/sNaN before
    assert "value.fee" in found and "行政事业性收费" in found["value.fee"]
    native.save(report, tmp_path / "again.govreport")
    assert native.load(tmp_path / "again.govreport").cells[FEE] == report.cells[FEE]


@pytest.mark.parametrize("raw", ["1E+4000", '"1E+4000"', "10000000001", "-3", "true"])
def test_nonsense_counts_are_named(tmp_path, raw):
    report = native.load(_file(tmp_path, f'{{"{COUNT}": {raw}}}'))
    assert "value.count" in _rules(report)


def test_integers_of_thousands_of_digits_are_refused_in_chinese(tmp_path):
    for where in (f'{{"{COUNT}": {"9" * 5000}}}', f'{{"t9.unknown": {"9" * 5000}}}'):
        with pytest.raises(native.FileFormatError, match="位数过多"):
            native.load(_file(tmp_path, where))


@pytest.mark.parametrize("year", ["9999", "99999", "100000000000000000000", "-5", "1e400", '"2025年"'])
def test_years_out_of_range_are_cleared_with_a_note(tmp_path, year):
    report = native.load(_file(tmp_path, meta=f'{{"agency": "某局", "year": {year}, "date": "2026-01-10"}}'))
    assert report.meta.year is None
    assert any("报告年度" in n for n in report.import_notes) or year in ('"2025年"', "1e400")
    assert "meta.required" in _rules(report)  # rules.deadline overflowed at 9999 before


def test_cli_refuses_a_year_out_of_range(tmp_path, sample_file):
    proc = subprocess.run([sys.executable, "-m", "govreport_gui.cli", "carry", str(sample_file), "-o",
                           str(tmp_path / "n.govreport"), "--year", "9999"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "2000–2100" in proc.stderr and "Traceback" not in proc.stderr


def test_lone_surrogates_are_replaced_everywhere_so_save_and_export_work(tmp_path):
    text = '"某\\ud800局"'
    p = _file(tmp_path, '{"t9.x": "a\\udfffb"}', meta=f'{{"agency": {text}, "year": 2025, "title": {text}}}',
              extra=', "sections": {"s1": ["正文\\ud800。"]}, '
                    '"waivers": [{"rule": "x.carried_in", "cells": ["t3.carried_in.total"], "reason": "\\ud800"}]')
    report = native.load(p)
    assert report.meta.agency == "某\ufffd局" and report.sections["s1"] == ["正文\ufffd。"]
    assert report.waivers == [Waiver("x.carried_in", ("t3.carried_in.total",), "\ufffd")]
    check(report)
    report.fingerprint()
    native.save(report, tmp_path / "again.govreport")
    for suffix in (".docx", ".html", ".xlsx"):
        export(report, tmp_path / f"out{suffix}")
    assert "\ufffd" in open_report(tmp_path / "out.xlsx").meta.agency


def test_xlsx_meta_year_1e400_and_surrogates_from_the_sheet(tmp_path, sample):
    from openpyxl import load_workbook

    export(sample, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    ws = wb["报告信息"]
    for row in ws.iter_rows():
        if row[2].value == "year":
            row[1].value = 1e400  # openpyxl writes inf; a hand edit writes 1e400
        if row[2].value == "agency":
            row[1].value = "某_xD800_局"  # Excel's escape for a code unit: openpyxl decodes it
    wb.save(tmp_path / "r.xlsx")
    report = open_report(tmp_path / "r.xlsx")
    assert report.meta.year is None and "\ud800" not in report.meta.agency
    native.save(report, tmp_path / "r.govreport")


def test_typed_and_pasted_numbers_of_5000_digits_are_refused():
    for parse in (parse_count, parse_fee):
        with pytest.raises(NumberError, match="超过10亿") as e:
            parse("9" * 5000)
        assert len(str(e.value)) < 60  # the message quotes the value cut short
    plan = plan_paste(load_schema().tables["t3"], 3, 3, "9" * 5000 + "\t1")
    assert plan.errors and "超过10亿" in plan.errors[0]


@pytest.mark.parametrize("text", ["1e5", "1E+5", "1_000", "NaN", "Infinity", "0x10"])
def test_fees_refuse_what_counts_refuse(text):
    with pytest.raises(NumberError):
        parse_count(text)
    with pytest.raises(NumberError, match="不是数字"):
        parse_fee(text)


def test_minus_zero_is_zero():
    assert str(parse_fee("-0")) == "0" and str(parse_fee("-0.00")) == "0.00" and parse_count("-0") == 0


def test_zero_words_are_zero_typed_as_when_pasted(sample, qtbot):
    from govreport_gui.ui.grid.table_model import ReportTableModel
    from govreport_gui.ui.session import ReportSession

    session = ReportSession(sample)
    model = ReportTableModel(session, load_schema().tables["t2"])
    fee = model.index_for_key(FEE)
    for word in ("—", "无", "/"):
        assert model.setData(fee, "5")
        assert model.setData(fee, word), word
        assert session.report.cells[FEE] == 0 and model.data(fee) == "0"
        assert plan_paste(model.table, fee.row(), fee.column(), word).changes == {FEE: 0}
    assert model.setData(fee, "-0") and model.data(fee) == "0"


def test_big_values_from_code_do_not_pass_check(sample):
    sample.cells[COUNT] = 10**4000
    sample.cells[FEE] = Decimal("1E+400")
    found = {f.rule for f in check(sample)}
    assert {"value.count", "value.fee"} <= found
    assert all(len(describe(f)) < 400 for f in check(sample))


def test_docx_cell_of_5000_digits_is_kept_as_text_with_a_note(tmp_path, sample):
    from tests.readers.docx_builders import build_docx

    sample.cells[COUNT] = "9" * 5000  # the builder writes the cell's text as it is
    path = build_docx(tmp_path / "r.docx", sample, set())
    report = open_report(path)
    assert any("无法识别为数字" in n for n in report.import_notes)
    assert "value.count" in _rules(report)
    json.dumps(native.to_dict(report))


def test_uncached_formulas_are_explained(tmp_path, sample):
    from openpyxl import load_workbook

    export(sample, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    ws = wb["数据"]
    for row in ws.iter_rows(min_row=2, max_row=21):
        row[3].value = "=1+1"  # what a program writes: a formula with no calculated value
    wb.save(tmp_path / "r.xlsx")
    report = open_report(tmp_path / "r.xlsx")
    note = report.import_notes[0]
    assert "20个公式没有计算结果" in note and "Excel 或 WPS 中打开" in note
