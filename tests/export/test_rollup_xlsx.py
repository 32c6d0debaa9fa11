"""The 汇总 workbook: 单位一览 with statuses and every cell, 问题清单, the sum in the official layout."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from govreport_gui import cli
from govreport_gui.report import native


def test_rollup_workbook(capsys, sample, faulty, data_dir, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "sample-2025.govreport", src / "a.govreport")
    faulty.meta.agency = "乙局"
    native.save(faulty, src / "b.govreport")
    (src / "c.docx").write_bytes(b"broken")
    out = tmp_path / "汇总.xlsx"
    assert cli.main(["aggregate", str(src), "-o", str(out)]) == 1
    capsys.readouterr()
    wb = load_workbook(out, data_only=True)
    assert wb.sheetnames == ["单位一览", "问题清单", "表二", "表三", "表四"]
    units = wb["单位一览"]
    assert units.freeze_panes == "D3" and units.auto_filter.ref.startswith("A2:")
    header = [c.value for c in units[1]]
    keys = [c.value for c in units[2]]
    col = keys.index("t3.new.natural_person")
    assert header[col] == "表三‘自然人·本年新收’"
    rows = {r[7]: r for r in units.iter_rows(min_row=3, values_only=True)}
    a, b, c = (rows[str(src / n)] for n in ("a.govreport", "b.govreport", "c.docx"))
    assert a[1] == "通过" and a[col] == sample.value("t3.new.natural_person")
    last = keys.index("t4.suit_after_review.total")
    assert last == len(keys) - 1 and a[last] == sample.value("t4.suit_after_review.total")
    assert b[keys.index("t2.admin_fee.amount_wan")] == float(faulty.value("t2.admin_fee.amount_wan"))
    assert b[1] == "有错误" and b[2] == "乙局" and b[4] == 3
    assert c[1] == "无法读取" and "不是有效的 Word 文档" in c[8] and c[4] is None
    assert units.cell(5, 2).fill.fgColor.rgb.endswith("D9D9D9")  # c.docx, the third row: grey
    problems = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert {p[2] for p in problems if p[0] == "乙局"} >= {"t3.balance", "t4.total"}
    assert any(p[3] == "无法读取" for p in problems)
    t3 = wb["表三"]
    assert t3["J4"].value == sample.value("t3.new.total") + faulty.value("t3.new.natural_person") + sum(
        faulty.value(f"t3.new.{c}") for c in ("commercial", "research", "public_welfare", "legal_service", "other_org"))
    assert load_workbook(out)["表三"]["J4"].value == "=SUM(D4:I4)"
