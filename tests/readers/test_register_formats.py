"""Registers in every kind offices keep: .xls and .ods saved by LibreOffice from the .xlsx generator
give the same 表三/表四 and the same row problems as the .xlsx; .et is read when it is an .xls inside;
renamed, encrypted and foreign files are named for what they are."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from govreport_gui.readers import xls_rows
from govreport_gui.readers.register import read_register
from govreport_gui.report.native import FileFormatError
from govreport_gui.report.register_count import count

from . import cfb_builder
from .register_builders import generate, write_csv, write_xlsx

YEAR = 2025
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_lo = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (scripts/setup.sh installs it)")
CASES = [("复1", "行政复议", "维持"), ("复2", "行政复议", "纠正"), ("诉1", "未经复议直接起诉", "尚未审结"),
         ("诉2", "复议后起诉", "其他"), ("诉3", "直接起诉", "结果维持"), ("诉4", "复议", "驳回")]


def convert(src: Path, out: Path, kind: str) -> Path:
    """``src`` opened in LibreOffice Calc and saved as ``kind`` (xls: "MS Excel 97"; ods)."""
    out.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{out}/lo-profile", "--convert-to", kind,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=240)
    return out / f"{src.stem}.{kind}"


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """The generator's register (600 rows, every date shape and wording, a bad row, a case sheet)
    as .xlsx, and as LibreOffice saves it in .xls and .ods."""
    if SOFFICE is None:
        pytest.skip("LibreOffice not installed")
    folder = tmp_path_factory.mktemp("formats")
    rows, _ = generate(YEAR, 600, seed=21)
    rows.append(("BAD-1", "2025-05-05", "赵某", "外星人", "内容", "予以公开", "2025-05-06", "否", ""))
    rows.append(("YS-000003", "2025-06-01", "赵某", "公民", "内容", "予以公开", "2025-06-02", "否", ""))  # duplicate
    xlsx = write_xlsx(folder / "台账.xlsx", rows, cases=CASES)
    return {"xlsx": xlsx, "xls": convert(xlsx, folder / "xls", "xls"), "ods": convert(xlsx, folder / "ods", "ods")}


def _tables(path: Path):  # type: ignore[no-untyped-def]
    register = read_register(path)
    return count(register, YEAR).cells, [(p.sheet, p.row, p.reason) for p in register.problems], register


@needs_lo
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_libreoffice_xls_and_ods_give_the_same_tables_and_problems_as_the_xlsx(saved, kind, tmp_path):
    cells, problems, register = _tables(saved["xlsx"])
    other_cells, other_problems, other = _tables(saved[kind])
    assert register.cases is not None and len(register.applications) == 600
    assert other_cells == cells  # 表三 and 表四, cell for cell
    assert other_problems == problems  # the same rows (below the title rows) and the same reasons
    assert {p[1] for p in problems} == {604, 605, 7}  # two bad register rows, one bad case row
    assert [a.id for a in other.applications] == [a.id for a in register.applications]
    assert [a.row for a in other.applications] == [a.row for a in register.applications]
    if kind == "xls":  # WPS .et files are .xls inside
        et = tmp_path / "台账.et"
        shutil.copy(saved["xls"], et)
        assert _tables(et)[0] == cells


@needs_lo
@pytest.mark.slow
def test_renamed_files_are_read_for_what_they_are(saved, tmp_path):
    cells = _tables(saved["xlsx"])[0]
    for src, name in ((saved["xls"], "旧格式.xlsx"), (saved["xlsx"], "新格式.xls"), (saved["ods"], "ods.xlsx")):
        shutil.copy(src, tmp_path / name)
        assert _tables(tmp_path / name)[0] == cells, name


def test_a_text_export_named_xls_is_read_as_csv(tmp_path):
    rows, expected = generate(YEAR, 50, seed=2)
    rows = [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in r) for r in rows]
    csv = write_csv(tmp_path / "导出.csv", rows)
    named = tmp_path / "导出.xls"
    named.write_bytes(csv.read_bytes())
    assert count(read_register(named), YEAR).cells["t3.new.total"] == expected["t3.new.total"]


HEADER = ["编号", "收到日期", "申请人类型", "办理结果", "办结日期"]


def _xls(path: Path, rows: list[list[object]], sst: list[str] | None = None, extra: bytes = b"") -> Path:
    cells = [(r, c, v) for r, row in enumerate([HEADER, *rows]) for c, v in enumerate(row) if v is not None]
    path.write_bytes(cfb_builder.build({"Workbook": cfb_builder.biff8({"台账": cells}, sst, extra)}))
    return path


def test_an_xls_written_by_another_program_reads(tmp_path):
    """Our own BIFF8 writer (no LibreOffice): shared strings over CONTINUE records, numbers as
    serial dates, a header in the first row."""
    long_outcome = "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    rows = [[f"X-{i}", 45700 + i % 300, "公民", long_outcome if i % 2 else "予以公开", 45701 + i % 300] for i in range(3000)]
    register = read_register(_xls(tmp_path / "a.xls", rows))
    assert register.problems == []
    cells = count(register, YEAR).cells
    assert cells["t3.new.natural_person"] == 3000 and cells["t3.result.other.no_correction.total"] == 1500


def test_encrypted_and_foreign_compound_files_are_named(tmp_path):
    cases = {
        "加密.xlsx": ({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}, "设置了打开密码"),
        "加密.xls": ({"Workbook": cfb_builder.biff8({"台账": [(0, 0, "编号")]}, None,
                                                   cfb_builder.record(0x002F, b"\x01\x00" + b"\0" * 52))}, "设置了打开密码"),
        "文档.xls": ({"WordDocument": b"x"}, "Word 文档"),
        "专用.et": ({"ETWorkbook": b"x"}, "WPS 专用格式"),
    }
    for name, (streams, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(cfb_builder.build(streams))
        with pytest.raises(FileFormatError, match=words):
            read_register(path)


def test_encrypted_ods_and_other_zips_are_named(tmp_path):
    ods = tmp_path / "加密.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"\x00garbage")
        z.writestr("META-INF/manifest.xml", '<manifest:manifest><manifest:file-entry><manifest:encryption-data/>'
                                            "</manifest:file-entry></manifest:manifest>")
    with pytest.raises(FileFormatError, match="设置了打开密码"):
        read_register(ods)
    docx = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileFormatError, match="文字处理文档"):
        read_register(docx)
    chart = tmp_path / "图表.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(chart, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns:r="{rel}"><sheets><sheet name="图" sheetId="1" r:id="rId1"/>'
                                      "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships><Relationship Id="rId1" Type="{rel}/chartsheet" '
                                                 'Target="chartsheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/chartsheets/sheet1.xml", "<chartsheet/>")
    with pytest.raises(FileFormatError, match="没有工作表（可能只有图表）"):
        read_register(chart)
    page = tmp_path / "网页.xls"
    page.write_text("<html><body><table><tr><td>编号</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(FileFormatError, match="网页（HTML）格式"):
        read_register(page)
    (tmp_path / "台账.txt").write_text("编号,收到日期", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"\.xlsx、\.xls、\.et、\.ods 或 \.csv"):
        read_register(tmp_path / "台账.txt")


def test_xls_date_cells_in_the_1904_system(tmp_path):
    """A date-formatted number is a date in the workbook's own system (Mac Excel's 1904)."""
    fmt = cfb_builder.record(0x041E, b"\xa4\x00" + b"\x0a\x00\x00" + b"yyyy-mm-dd")
    xf = cfb_builder.record(0x00E0, b"\0\0" + b"\xa4\x00" + b"\0" * 16)
    datemode = cfb_builder.record(0x0022, b"\x01\x00")
    rows = [["D-1", 44259, "公民", "予以公开", 44268]]  # 44259 days after 1904-01-01: 2025-03-05 (45721 in 1900)
    path = _xls(tmp_path / "mac.xls", rows, extra=datemode + fmt + xf)
    register = read_register(path)
    assert str(register.applications[0].received) == "2025-03-05"


def test_the_compound_file_reader_refuses_damage(tmp_path):
    good = cfb_builder.build({"Workbook": cfb_builder.biff8({"台账": [(0, 0, "编号")]})})
    for cut in (100, 600, len(good) - 700):
        with pytest.raises(FileFormatError, match="Excel 97-2003"):
            xls_rows.read_sheets(good[:cut], "cut.xls")


def test_report_imports_name_passwords_and_old_formats(tmp_path):
    """Issue 24: an encrypted DOCX/XLSX or a renamed .xls/.doc was “可能已损坏”; openpyxl's
    English (“Unable to read workbook”, “'list' object has no attribute 'find'”) reached the clerk."""
    from govreport_gui.readers.formats import open_report

    files = {
        "加密.docx": (cfb_builder.build({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}), "设置了打开密码"),
        "加密.xlsx": (cfb_builder.build({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}), "设置了打开密码"),
        "旧.docx": (cfb_builder.build({"WordDocument": b"x"}), "旧格式的 Word 文档"),
        "旧.xlsx": (cfb_builder.build({"Workbook": cfb_builder.biff8({"表三": [(0, 0, "x")]})}), "旧格式的 Excel 工作簿"),
    }
    for name, (data, words) in files.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(FileFormatError, match=words) as err:
            open_report(tmp_path / name)
        assert "另存" in str(err.value) or "取消密码" in str(err.value)
    broken = tmp_path / "坏.xlsx"  # passes the archive scan, then openpyxl fails in English
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                      f'xmlns:r="{rel}"><sheets><sheet name="表三" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                                 f'relationships"><Relationship Id="rId1" Type="{rel}/chartsheet" '
                                                 'Target="chartsheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/chartsheets/sheet1.xml", "<chartsheet><broken")
    with pytest.raises(FileFormatError) as err:
        open_report(broken)
    assert not any(c.isascii() and c.isalpha() for c in str(err.value).replace("xlsx", "").replace("Excel", "")
                   .replace("WPS", "")), str(err.value)
