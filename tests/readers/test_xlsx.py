"""Excel: our own workbook round-trips; a sheet laid out like the official tables imports by labels."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from govreport_gui import cli
from govreport_gui.export import export
from govreport_gui.readers.formats import open_report
from govreport_gui.report.native import FileFormatError


def test_workbook_round_trip(sample, tmp_path):
    out = tmp_path / "r.xlsx"
    export(sample, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["表二", "表三", "表四", "报告信息", "数据"]  # a person sees the official layout first
    data = wb["数据"]
    assert data["A2"].value == "t2.regulation.issued" and data.max_row == 201
    assert "A1:C3" in {str(r) for r in wb["表三"].merged_cells.ranges}
    back = open_report(out)
    assert back.cells == sample.cells and back.sections == sample.sections and back.meta == sample.meta


def test_official_layout_sheets_without_data_sheet(sample, tmp_path):
    out = tmp_path / "r.xlsx"
    export(sample, out)
    wb = load_workbook(out)
    del wb["数据"]
    del wb["报告信息"]
    wb["表三"]["C10"] = "3、危及三安全一稳定"  # a clerk's own numbering and quotes
    wb.save(out)
    back = open_report(out)
    assert {k: back.value(k) for k in sample.schema.cells} == {k: sample.value(k) for k in sample.schema.cells}
    assert any("请在窗口中填写" in n for n in back.import_notes)
    assert any("公式但文件中没有保存计算结果" in n for n in back.import_notes)  # openpyxl saved it


def test_foreign_workbook_is_refused(tmp_path, capsys):
    wb = Workbook()
    wb.active["A1"] = "工资表"
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError, match="没有按格式排列"):
        open_report(path)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert cli.main(["import", str(bad), "-o", str(tmp_path / "x.govreport")]) == 2
    assert "不是有效的 Excel" in capsys.readouterr().err
