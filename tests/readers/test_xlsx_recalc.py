"""XLSX that recalculates: totals are formulas with cached values, LibreOffice recomputes them after
an edit, the fill-in template reads back, and a web page opened in Calc (one sheet) imports whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govreport_gui import cli
from govreport_gui.export import export
from govreport_gui.readers.formats import open_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (scripts/setup.sh installs it)")


def libreoffice(out: Path, *files: Path, infilter: str | None = None) -> None:
    """Open ``files`` in LibreOffice Calc and save them as .xlsx into ``out`` (it recalculates)."""
    out.mkdir(exist_ok=True)
    cmd = [SOFFICE, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", "xlsx",
           "--outdir", str(out), *map(str, files)]
    if infilter:
        cmd.insert(2, f"--infilter={infilter}")
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


def _where(schema, key: str) -> tuple[str, str]:
    """(sheet, A1) of a cell in the official layout sheets."""
    from govreport_gui.export.xlsx_formulas import coord

    cell = schema.cells[key]
    return {"t2": "表二", "t3": "表三", "t4": "表四"}[cell.table], coord(cell.row + 1, cell.col + 1)


def test_totals_are_formulas_with_cached_values(sample, tmp_path):
    out = tmp_path / "r.xlsx"
    export(sample, out)
    formulas, values = load_workbook(out), load_workbook(out, data_only=True)
    assert formulas["表三"]["J4"].value == "=SUM(D4:I4)" and formulas["表三"]["D27"].value == "=SUM(D6:D26)"
    assert formulas["表四"]["E4"].value == "=SUM(A4:D4)"
    for key in ("t3.new.total", "t3.result.total.natural_person", "t3.result.total.total", "t4.review.total"):
        sheet, ref = _where(sample.schema, key)
        assert str(formulas[sheet][ref].value).startswith("=SUM(")
        assert values[sheet][ref].value == sample.value(key), key  # cached for non-calculating readers
    info = {row[2]: row[1] for row in values["报告信息"].iter_rows(values_only=True)}
    assert info["level"] == "部门"


@needs_lo
def test_libreoffice_recalculates_totals_after_an_edit(sample, tmp_path):
    out = tmp_path / "r.xlsx"
    export(sample, out)
    wb = load_workbook(out)  # formulas kept
    wb["表三"]["D4"] = sample.value("t3.new.natural_person") + 5  # 自然人·本年新收
    wb["表三"]["E6"] = sample.value("t3.result.granted.commercial") + 2  # 商业企业·予以公开
    wb["表四"]["B4"] = sample.value("t4.review.corrected") + 1
    wb.save(out)
    libreoffice(tmp_path / "lo", out)
    calc = load_workbook(tmp_path / "lo" / "r.xlsx", data_only=True)
    assert calc["表三"]["J4"].value == sample.value("t3.new.total") + 5
    assert calc["表三"]["E27"].value == sample.value("t3.result.total.commercial") + 2
    assert calc["表三"]["J27"].value == sample.value("t3.result.total.total") + 2
    assert calc["表四"]["E4"].value == sample.value("t4.review.total") + 1
    # and the figures a person changed on the table sheets are what imports (数据 is stale)
    back = open_report(tmp_path / "lo" / "r.xlsx")
    assert back.value("t3.new.natural_person") == sample.value("t3.new.natural_person") + 5
    assert back.value("t3.result.total.total") == sample.value("t3.result.total.total") + 2
    assert back.value("t4.review.total") == sample.value("t4.review.total") + 1
    assert "按表格页（修改后的数字）导入" in back.import_notes[0]


def test_edits_on_the_table_sheets_win_over_a_stale_data_sheet(sample, tmp_path):
    """Saved by a program that does not calculate: the edited figures are read, totals computed."""
    out = tmp_path / "r.xlsx"
    export(sample, out)
    wb = load_workbook(out)
    wb["表三"]["D4"] = sample.value("t3.new.natural_person") + 5
    wb.save(out)
    back = open_report(out)
    assert back.value("t3.new.natural_person") == sample.value("t3.new.natural_person") + 5
    assert back.value("t3.new.total") == sample.value("t3.new.total") + 5
    assert back.value("t2.admin_fee.amount_wan") == sample.value("t2.admin_fee.amount_wan")
    assert back.meta == sample.meta and back.sections == sample.sections
    assert "1个数字与“数据”表不同（如" in back.import_notes[0]


def test_unedited_workbook_reads_the_data_sheet_even_for_a_faulty_report(tmp_path, data_dir):
    """The table sheets show formula totals; a wrong entered total must survive the round trip."""
    from govreport_gui.report import native

    faulty = native.load(data_dir / "sample-2025-faulty.govreport")
    export(faulty, tmp_path / "f.xlsx")
    back = open_report(tmp_path / "f.xlsx")
    assert back.fingerprint() == faulty.fingerprint()
    assert not any("表格页" in n for n in back.import_notes)


def _fill_template(path: Path, sample) -> None:
    wb = load_workbook(path)
    from govreport_gui.export.xlsx_formulas import total_parts

    for key in sample.schema.cells:
        if key in total_parts(sample.schema):
            continue
        sheet, ref = _where(sample.schema, key)
        v = sample.raw(key)
        wb[sheet][ref] = float(v) if key == "t2.admin_fee.amount_wan" else v
    info = wb["报告信息"]
    for row in info.iter_rows(min_row=1):
        field = row[2].value
        if field in ("agency", "year", "date"):
            row[1].value = getattr(sample.meta, field)
        elif field in ("s1", "s5", "s6"):
            row[1].value = "\n".join(sample.sections[field])
    wb.save(path)


@needs_lo
def test_template_is_protected_and_a_filled_one_reads_back(capsys, sample, tmp_path):
    path = tmp_path / "T.xlsx"
    assert cli.main(["export", "--template", "-o", str(path), "--year", "2025"]) == 0
    wb = load_workbook(path)
    t3 = wb["表三"]
    assert wb.sheetnames[0] == "表二" and "数据" not in wb.sheetnames
    assert t3.protection.sheet and wb["报告信息"].protection.sheet
    assert t3["D4"].protection.locked is False  # 自然人·本年新收: typed by the unit
    assert t3["A4"].protection.locked and t3["J4"].protection.locked and t3["J4"].value == "=SUM(D4:I4)"
    kinds = {dv.type: str(dv.sqref) for dv in t3.data_validations.dataValidation}
    assert "D4" in kinds["whole"].split() and "J4" not in kinds["whole"].split()
    fee = wb["表二"].data_validations.dataValidation
    assert any(dv.type == "decimal" and "B14" in str(dv.sqref) and dv.formula1 == "0" and "6位小数" in dv.error
               for dv in fee)
    _fill_template(path, sample)
    back = open_report(path)  # saved by openpyxl: no cached totals, computed from the parts
    assert {k: back.value(k) for k in sample.schema.cells} == {k: sample.value(k) for k in sample.schema.cells}
    assert back.meta.agency == sample.meta.agency and back.meta.date == sample.meta.date
    assert back.sections == sample.sections
    libreoffice(tmp_path / "lo", path)  # as a unit's Excel/WPS would save it: totals cached
    again = open_report(tmp_path / "lo" / "T.xlsx")
    assert again.fingerprint() == back.fingerprint()
    assert not any("公式" in n for n in again.import_notes)


@needs_lo
def test_web_page_opened_in_calc_imports_whole_from_one_sheet(sample, tmp_path):
    page = tmp_path / "page.html"
    export(sample, page)
    libreoffice(tmp_path / "lo", page, infilter="HTML (StarCalc)")
    book = tmp_path / "lo" / "page.xlsx"
    assert len(load_workbook(book).sheetnames) == 1
    back = open_report(book)
    assert back.fingerprint() == sample.fingerprint()  # tables, meta and sections all read


def test_tables_on_one_sheet_without_the_narrative(sample, tmp_path):
    from openpyxl import Workbook

    from govreport_gui.export.layout import table_block
    from govreport_gui.export.xlsx_writer import layout_sheet

    wb = Workbook()
    ws = wb.active
    row = 0
    for tid, heading in (("t2", "二、主动公开政府信息情况"), ("t3", "三、收到和处理政府信息公开申请情况"),
                         ("t4", "四、政府信息公开行政复议、行政诉讼情况")):
        ws.cell(row + 1, 1, heading)
        table = sample.schema.tables[tid]
        layout_sheet(ws, table_block(sample, table), sample, row0=row + 1)
        row += table.rows + 2
    path = tmp_path / "one.xlsx"
    wb.save(path)
    back = open_report(path)
    assert {k: back.value(k) for k in sample.schema.cells} == {k: sample.value(k) for k in sample.schema.cells}


def test_resaved_by_a_program_the_data_sheet_still_reads_without_false_alarm(sample, tmp_path):
    """openpyxl drops every cached total of the layout sheets; the 数据 sheet is what is read."""
    out = tmp_path / "r.xlsx"
    export(sample, out)
    load_workbook(out).save(out)
    back = open_report(out)
    assert back.cells == sample.cells
    assert not any("公式" in n for n in back.import_notes), back.import_notes


def test_fee_to_the_fen_survives_the_workbook(tmp_path, sample):
    """24252.311082 万元 (6 places, exact to the fen) goes out as a number and comes back unchanged."""
    from decimal import Decimal

    sample.cells["t2.admin_fee.amount_wan"] = Decimal("24252.311082")
    path = tmp_path / "fen.xlsx"

    export(sample, path)
    cell = next(c for row in load_workbook(path)["表二"].iter_rows() for c in row if c.value == 24252.311082)
    assert isinstance(cell.value, float)
    back = open_report(path)
    assert back.raw("t2.admin_fee.amount_wan") == Decimal("24252.311082") and back.is_valid("t2.admin_fee.amount_wan")
