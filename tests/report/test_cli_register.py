"""`govreport register`: new report, --into with old → new, template, --columns, --deadlines, privacy."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from govreport_gui import cli
from govreport_gui.readers.register import read_register
from govreport_gui.report import native
from tests.readers.register_builders import SECRET_NAMES, generate, write_xlsx


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def register_file(tmp_path):
    rows, expected = generate(2025, 300, seed=11)
    return write_xlsx(tmp_path / "台账.xlsx", rows), expected


def test_new_report_from_register_with_source_and_no_names(capsys, tmp_path, register_file):
    path, expected = register_file
    out = tmp_path / "r.govreport"
    code, stdout, _ = run(capsys, "register", path, "--year", 2025, "-o", out)
    assert code == 0, stdout
    report = native.load(out)
    assert all(report.value(k) == expected.get(k, 0) for k in report.schema.cells if k.startswith("t3."))
    assert report.meta.year == 2025
    src = report.register
    assert src is not None and src.file == "台账.xlsx" and len(src.sha256) == 64 and src.year == 2025
    assert len(src.ids("t3.new.total")) == expected["t3.new.total"]
    text = out.read_text(encoding="utf-8")
    assert not [n for n in SECRET_NAMES if n in text] and "申请公开的内容" not in text
    assert "已由台账“台账.xlsx”计算2025年表三" in stdout


@pytest.mark.slow
def test_names_never_reach_docx_or_pdf(capsys, tmp_path, register_file):
    path, _ = register_file
    out = tmp_path / "r.govreport"
    assert run(capsys, "register", path, "--year", 2025, "-o", out)[0] == 0
    docx, pdf = tmp_path / "r.docx", tmp_path / "r.pdf"
    assert run(capsys, "export", out, "-o", docx)[0] == 0
    # as a clerk would, and in its own process: an in-process PDF export makes a QGuiApplication
    # that would abort the pytest-qt tests after it
    subprocess.run([sys.executable, "-m", "govreport_gui.cli", "export", str(out), "-o", str(pdf)],
                   check=True, capture_output=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    with zipfile.ZipFile(docx) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "依申请公开" in text or "申请" in text  # the PDF has text at all
    for name in SECRET_NAMES:
        assert name not in xml and name not in text


def test_into_updates_only_tables_three_and_four_and_prints_old_to_new(capsys, tmp_path, data_dir):
    report_path = tmp_path / "报告.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", report_path)
    before = native.load(report_path)
    reg = write_xlsx(tmp_path / "小台账.xlsx", [
        ("N-1", "2025-03-04", "张秘密", "公民", "内容", "予以公开", "2025-03-20", "否", ""),
        ("N-2", "2024-12-30", "李隐私", "律所", "内容", "", None, "否", ""),
    ])
    code, out, _ = run(capsys, "register", reg, "--into", report_path)
    assert code == 0
    after = native.load(report_path)
    assert after.cells["t3.new.natural_person"] == 1 and after.cells["t3.carried_out.legal_service"] == 1
    old = before.cells["t3.new.natural_person"]
    assert f"t3.new.natural_person（自然人·本年新收）：{old} → 1" in out
    assert all(after.cells.get(k) == before.cells.get(k) for k in before.schema.cells if not k.startswith(("t3.", "t4.")))
    assert after.cells["t4.review.total"] == before.cells["t4.review.total"]  # no case list: 表四 untouched
    assert after.sections == before.sections and after.meta.agency == before.meta.agency
    assert (tmp_path / "报告.govreport.bak").exists()


def test_row_problems_are_printed_with_row_numbers_and_exit_1(capsys, tmp_path):
    reg = write_xlsx(tmp_path / "坏.xlsx", [
        ("A", "2025-03-04", "x", "公民", "", "予以公开", "2025-03-20", "否", ""),
        ("B", "2025-03-04", "x", "", "", "予以公开", "2025-03-20", "否", ""),
    ])
    code, out, _ = run(capsys, "register", reg, "--year", 2025, "-o", tmp_path / "o.govreport")
    assert code == 1
    assert "[台账问题] “台账”第5行：缺少申请人类型（未计入）" in out


def test_columns_option_maps_an_unknown_header(capsys, tmp_path):
    reg = write_xlsx(tmp_path / "m.xlsx", [("A", "2025-03-04", "公民", "予以公开", "2025-03-20")],
                     header=("编号", "来件日期", "申请人类型", "办理结果", "办结日期"))
    code, _, err = run(capsys, "register", reg, "--year", 2025, "-o", tmp_path / "a.govreport")
    assert code == 2 and "找不到台账的列：收到日期" in err and "--columns" in err
    code, _, _ = run(capsys, "register", reg, "--year", 2025, "-o", tmp_path / "a.govreport", "--columns", "收到日期=来件日期")
    assert code == 0 and native.load(tmp_path / "a.govreport").cells["t3.new.total"] == 1


def test_template_is_read_back_with_its_drop_down_choices(capsys, tmp_path):
    from openpyxl import load_workbook

    tpl = tmp_path / "台账模板.xlsx"
    code, out, _ = run(capsys, "register", "--template", "-o", tpl)
    assert code == 0 and tpl.exists()
    wb = load_workbook(tpl)
    ws = wb["台账"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 3 and all(dv.formula1.startswith("=选项!") for dv in lists)
    assert ws["B3"].number_format == "yyyy-mm-dd"
    options = wb["选项"]
    outcomes = [c.value for c in options["B"][1:] if c.value]
    applicants = [c.value for c in options["A"][1:] if c.value]
    assert len(outcomes) == 21 and len(applicants) == 6
    # fill one row per choice, as a clerk picking from the drop-downs would, and read it back
    for i, outcome in enumerate(outcomes):
        ws.append([f"T{i}", dt.date(2025, 2, 3), applicants[i % 6], "某人", "某事", outcome, dt.date(2025, 2, 10), "否"])
    wb.save(tpl)
    register = read_register(tpl)
    assert register.problems == [] and len(register.applications) == 21
    assert len({a.outcome for a in register.applications}) == 21


def test_deadlines_listed(capsys, tmp_path):
    reg = write_xlsx(tmp_path / "d.xlsx", [
        ("L-1", "2025-09-26", "x", "公民", "", "予以公开", "2025-10-31", "否", ""),
        ("L-2", "2025-09-26", "x", "公民", "", "予以公开", "2025-10-30", "否", ""),
        ("L-3", "2025-11-03", "x", "公民", "", "", None, "否", ""),
    ])
    code, out, _ = run(capsys, "register", reg, "--year", 2025, "--deadlines")
    assert code == 0
    assert "逾期答复 1 件，截至2025年12月31日超期未办结 1 件" in out
    assert "编号 L-1（“台账”第4行）：收到 2025-09-26，应于 2025-10-30 前答复，2025-10-31 答复，超期 1 天" in out
    assert "L-2" not in out and "编号 L-3" in out and "注意" not in out


def test_separate_case_list_fills_table_four(capsys, tmp_path):
    reg = write_xlsx(tmp_path / "r.xlsx", [("A", "2025-03-04", "x", "公民", "", "予以公开", "2025-03-20", "否", "")])
    cases = tmp_path / "案件.csv"
    cases.write_text("案号,类型,结果,立案日期\n复1,行政复议,维持,2025-04-01\n复2,行政复议,尚未审结,2025-11-30\n"
                     "旧1,行政复议,纠正,2024-06-01\n", encoding="gbk")
    out = tmp_path / "r.govreport"
    code, _, err = run(capsys, "register", reg, "--year", 2025, "-o", out, "--cases", cases)
    report = native.load(out)
    assert code == 0 and "案件清单中有 1 件的日期不在2025年，未计入表四" in err
    assert (report.cells["t4.review.upheld"], report.cells["t4.review.pending"], report.cells["t4.review.corrected"],
            report.cells["t4.review.total"], report.cells["t4.suit_direct.total"]) == (1, 1, 0, 2, 0)
    assert report.register is not None and report.register.ids("t4.review.upheld") == ["复1"]


def test_shortened_official_wordings_through_the_cli(capsys, tmp_path):
    """Wordings real registers use (issue 18), from an .xls written by another program (issue 22)."""
    from tests.readers import cfb_builder

    header = ["编号", "收到日期", "申请人类型", "办理结果", "办结日期"]
    rows = [header, ["W1", "2025-03-04", "公民", "其他处理—申请人无正当理由逾期不补正", "2025-03-20"],
            ["W2", "2025-03-04", "公民", "申请人逾期未按收费通知要求缴纳费用", "2025-03-20"],
            ["W3", "2025-03-04", "企业", "无法提供—本机关不掌握", "2025-03-20"],
            ["W4", "2025-03-04", "企业", "申请人", "2025-03-20"]]  # fits two rows: refused
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row)]
    reg = tmp_path / "台账.xls"
    reg.write_bytes(cfb_builder.build({"Workbook": cfb_builder.biff8({"台账": cells})}))
    out = tmp_path / "r.govreport"
    code, stdout, _ = run(capsys, "register", reg, "--year", 2025, "-o", out)
    assert code == 1
    assert "“台账”第5行：办理结果“申请人”不明确：可能是“其他处理·逾期不补正”“其他处理·逾期未缴纳费用”" in stdout
    report = native.load(out)
    assert report.cells["t3.result.other.no_correction.natural_person"] == 1
    assert report.cells["t3.result.other.fee_unpaid.natural_person"] == 1
    assert report.cells["t3.result.unable.not_held.commercial"] == 1
    assert report.cells["t3.new.total"] == 3


def test_template_over_an_existing_file_is_replaced_whole(capsys, tmp_path):
    tpl = tmp_path / "台账模板.xlsx"
    tpl.write_bytes(b"old contents")
    os.chmod(tpl, 0o640)
    code, _, _ = run(capsys, "register", "--template", "-o", tpl)
    assert code == 0 and zipfile.is_zipfile(tpl) and (tpl.stat().st_mode & 0o777) == 0o640
    assert list(tmp_path.glob("*.tmp")) == []


def test_into_a_carried_report_says_when_the_register_disagrees_with_last_year(capsys, tmp_path, data_dir):
    from govreport_gui.report.carry import carry_forward

    last = native.load(data_dir / "sample-2025.govreport")
    path = tmp_path / "2026.govreport"
    native.save(carry_forward(last), path)
    reg = write_xlsx(tmp_path / "r.xlsx", [("N1", "2026-03-04", "x", "公民", "", "予以公开", "2026-03-20", "否", "")])
    last_out = int(last.value("t3.carried_out.total"))
    code, _, err = run(capsys, "register", reg, "--into", path, "--keep-carried-in")
    assert code == 0 and f"台账的上年结转 0 件与上年报告的结转下年度 {last_out} 件不一致；已保留上年的数字" in err
    assert native.load(path).value("t3.carried_in.total") == last_out
    code, _, err = run(capsys, "register", reg, "--into", path)
    assert "已采用台账的数字" in err and native.load(path).value("t3.carried_in.total") == 0
