"""PDF import: every shape of a published PDF read cell for cell against its source report, or
refused with the reason; never a number misread in silence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from govreport_gui import cli
from govreport_gui.readers.formats import open_report
from govreport_gui.readers.rollup_sources import find_sources, load_unit
from govreport_gui.report import native
from govreport_gui.report.native import FileFormatError
from tests.readers.pdf_builders import Pdf, Shape, report_pdf

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def assert_same_data(got, want):
    diff = {k: (got.value(k), want.value(k)) for k in want.schema.cells if got.value(k) != want.value(k)}
    assert diff == {}
    assert got.sections == {s: want.paragraphs(s) for s in want.sections}
    assert (got.meta.agency, got.meta.year, got.meta.date) == (want.meta.agency, want.meta.year, want.meta.date)
    assert got.meta.effective_title() == want.meta.effective_title()


SHAPES = {
    "lines": Shape(),
    "borders as thin rectangles": Shape(thin_rects=True),
    "digits as separate glyphs, right to left": Shape(digits="glyphs"),
    "digits kerned in one TJ": Shape(digits="kerned"),
    "full-width digits": Shape(fullwidth=True),
    "zeros blank": Shape(zero=""),
    "zeros as slashes": Shape(zero="/"),
    "bold drawn twice": Shape(bold_twice=True),
    "表三 split, header restated": Shape(split_t3_at=12),
    "表三 split, header not restated": Shape(split_t3_at=12, repeat_header=False),
    "表三 split inside a merged label": Shape(split_t3_at=9, repeat_header=False),
    "no lines": Shape(ruled=False),
    "no lines, 表三 split, header restated": Shape(ruled=False, split_t3_at=12),
    "no lines, full-width, blank zeros": Shape(ruled=False, fullwidth=True, zero=""),
    "pages turned sideways, no /Rotate": Shape(turned=True),
    "pages turned sideways, 表三 split": Shape(turned=True, split_t3_at=9, repeat_header=False),
    "numbers typed into form fields": Shape(fields=True),
    "numbers in form fields, 表三 split": Shape(fields=True, split_t3_at=12),
}


@pytest.mark.parametrize("name", SHAPES)
def test_printed_shapes_read_cell_for_cell(tmp_path, sample, name):
    path = report_pdf(sample, tmp_path / "r.pdf", SHAPES[name])
    got = open_report(path)
    assert_same_data(got, sample)
    assert any("由 PDF 导入" in n for n in got.import_notes)
    if not SHAPES[name].ruled:
        assert any("没有表格线" in n for n in got.import_notes)


def test_faulty_report_keeps_its_faults_and_says_the_reading_may_be_wrong(tmp_path, faulty):
    got = open_report(report_pdf(faulty, tmp_path / "faulty.pdf"))
    assert_same_data(got, faulty)
    assert got.cells["t4.review.total"] == 5  # as printed, never "corrected"
    assert any("合计与明细不符" in n and "PDF 读取有误" in n for n in got.import_notes)


def test_our_own_pdf_export_reads_back(qapp, tmp_path, sample_file, sample, faulty):
    """Qt's PDF: borders as filled rectangles, headings drawn twice, 表三 over three pages with its
    header and merged labels restated, a footer with the fingerprint on every page. (``qapp``: the
    export then uses pytest-qt's QApplication; a QGuiApplication of its own would abort the widget
    tests after it.)"""
    for source, want in ((sample_file, sample), (Path(__file__).parents[1] / "data" / "sample-2025-faulty.govreport", faulty)):
        out = tmp_path / (source.stem + ".pdf")
        assert cli.main(["export", str(source), "-o", str(out)]) == 0
        assert_same_data(open_report(out), want)


def test_our_own_pdf_of_a_real_report_reads_back_its_narrative_once(qapp, tmp_path):
    """Qt draws a paragraph's line that a page break cuts on both pages, the second time above the
    next page's body, clipped away: read as text, 一 said “…2024年，全市的领域和热点问题…2024年，全市共受理”
    (淮安 2024). Text outside the clipping path is not on the page. (The printing rework no longer
    cuts that paragraph; test_pdf_shapes.py has the clipped line itself.)"""
    source = Path(__file__).parents[1] / "data" / "real" / "huaian-2024.htm"
    want = open_report(source)
    report = tmp_path / "huaian.govreport"
    out = tmp_path / "huaian.pdf"
    assert cli.main(["import", str(source), "-o", str(report)]) == 0
    assert cli.main(["export", str(report), "-o", str(out)]) == 0
    got = open_report(out)
    assert got.sections == want.sections


def test_a_cell_with_two_numbers_is_never_one_number(tmp_path, sample):
    """A line missing between two cells: “57” and “6” share a cell. Read as 576 that would be
    silent; they are kept apart, and the clerk is told where."""
    got = open_report(report_pdf(sample, tmp_path / "r.pdf", Shape(missing_line=True)))
    assert got.cells["t3.new.natural_person"] == "57、6" and got.cells["t3.new.commercial"] == "57、6"
    assert any("分开的数字（57、6）" in n for n in got.import_notes)


def test_a_number_that_fits_no_cell_refuses_the_import(tmp_path, sample):
    with pytest.raises(FileFormatError) as e:
        open_report(report_pdf(sample, tmp_path / "r.pdf", Shape(extra_row=True)))
    assert "表三中的数字 5" in str(e.value) and "其中：电话申请" in str(e.value) and "拒绝" in str(e.value)


def test_scanned_pdf_is_refused_saying_why_and_what_to_do(tmp_path):
    pdf = Pdf(images=True)
    for _ in range(3):
        pdf.page().append("q 595 0 0 842 0 0 cm /Im1 Do Q")
    with pytest.raises(FileFormatError) as e:
        open_report(pdf.save(tmp_path / "scan.pdf"))
    assert "扫描件" in str(e.value) and "3 页是图片" in str(e.value)
    assert "Word 版" in str(e.value) and "手工录入" in str(e.value)


def test_pdf_without_text_is_refused(tmp_path):
    pdf = Pdf()
    pdf.line(pdf.page(), 100, 100, 400, 100)
    with pytest.raises(FileFormatError, match="没有可读取的文字"):
        open_report(pdf.save(tmp_path / "outlines.pdf"))


def test_ocr_text_layer_over_a_scan_is_read_with_a_warning(tmp_path, sample):
    got = open_report(report_pdf(sample, tmp_path / "ocr.pdf", Shape(ocr=True)))
    assert_same_data(got, sample)
    assert any("OCR" in n and "逐项对照" in n for n in got.import_notes)


def test_password_is_named(tmp_path, sample):
    with pytest.raises(FileFormatError) as e:
        open_report(report_pdf(sample, tmp_path / "locked.pdf", user_password="secret"))
    assert "密码" in str(e.value) and "locked.pdf" in str(e.value)


def test_owner_password_only_still_opens(tmp_path, sample):
    """Published PDFs often forbid copying with an owner password; anyone may open them."""
    assert_same_data(open_report(report_pdf(sample, tmp_path / "restricted.pdf", user_password="")), sample)


@pytest.mark.parametrize("data", [b"hello", b"%PDF-1.4\n" + b"\x00garbage" * 100, b""])
def test_not_a_pdf(tmp_path, data):
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    with pytest.raises(FileFormatError, match="x.pdf"):
        open_report(path)


def test_truncated_pdf(tmp_path, sample):
    whole = report_pdf(sample, tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    for size in (len(whole) // 3, len(whole) // 2, len(whole) - 200):
        cut.write_bytes(whole[:size])
        try:
            got = open_report(cut)
        except FileFormatError as e:
            assert "cut.pdf" in str(e)
        else:  # pdfminer rebuilt the cross-reference: what it read must still be the report
            assert_same_data(got, sample)


def test_unknown_kind_names_pdf(tmp_path):
    path = tmp_path / "x.odt"
    path.write_bytes(b"x")
    with pytest.raises(FileFormatError, match=r"\.pdf"):
        open_report(path)


def test_cli_import_and_carry_from_pdf(tmp_path, sample, capsys):
    pdf = report_pdf(sample, tmp_path / "上年.pdf")
    out = tmp_path / "上年.govreport"
    assert cli.main(["import", str(pdf), "-o", str(out)]) == 0
    assert_same_data(native.load(out), sample)
    assert "由 PDF 导入" in capsys.readouterr().err
    new = tmp_path / "本年.govreport"
    assert cli.main(["carry", str(pdf), "-o", str(new)]) in (0, 1)
    carried = native.load(new)
    assert carried.meta.year == 2026 and carried.cells["t3.carried_in.total"] == sample.cells["t3.carried_out.total"]


def test_rollup_folders_read_pdfs(tmp_path, sample):
    folder = tmp_path / "units"
    folder.mkdir()
    report_pdf(sample, folder / "甲局.pdf")
    (folder / "~$甲局.pdf").write_bytes(b"lock")
    assert [p.name for p in find_sources([folder])] == ["甲局.pdf"]
    unit = load_unit(folder / "甲局.pdf")
    assert unit.report is not None and unit.report.cells == sample.cells


# --- made by LibreOffice from the office DOCX shapes ---------------------------------------------

def _landscape(docx: Path, out: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document(str(docx))
    for section in doc.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    doc.save(str(out))
    return out


def _without_borders(docx: Path, out: Path) -> Path:
    import re
    import zipfile

    none = "<w:tblBorders>" + "".join(f'<w:{s} w:val="nil"/>' for s in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"
    with zipfile.ZipFile(docx) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "word/document.xml":
                xml = re.sub(r"<w:(tbl|tc)Borders>.*?</w:\1Borders>", "", data.decode(), flags=re.S)
                data = xml.replace("<w:tblPr>", "<w:tblPr>" + none).encode()
            w.writestr(info, data)
    return out


@pytest.fixture(scope="module")
def office_pdfs(tmp_path_factory):
    """The office DOCX shapes and our own DOCX export printed to PDF by LibreOffice, in one run."""
    if SOFFICE is None:
        pytest.skip("LibreOffice not installed (scripts/setup.sh test installs it)")
    data = Path(__file__).parents[1] / "data"
    work = tmp_path_factory.mktemp("office-pdfs")
    ours = work / "ours.docx"
    assert cli.main(["export", str(data / "sample-2025.govreport"), "-o", str(ours)]) == 0
    docx = [data / n for n in ("sample-2025-word-template.docx", "sample-2025-fullwidth-blanks.docx",
                               "sample-2025-faulty.docx", "sample-2025-website-libreoffice.docx",
                               "official-template-2021-blank.docx")]
    docx += [ours, _without_borders(ours, work / "ours-no-borders.docx"),
             _landscape(data / "sample-2025-website-libreoffice.docx", work / "website-landscape.docx")]
    docx += sorted((data / "real").glob("*.docx"))  # real reports' figures, as their offices' Word files
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{work}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(work), *map(str, docx)], check=True, capture_output=True, timeout=300)
    return work


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sample-2025-word-template", "sample-2025-fullwidth-blanks", "ours", "ours-no-borders",
                                  "website-landscape", "sample-2025-faulty"])
def test_office_pdfs_read_cell_for_cell(office_pdfs, sample, faulty, name):
    got = open_report(office_pdfs / f"{name}.pdf")
    assert_same_data(got, faulty if "faulty" in name else sample)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parents[1] / "data" / "real").glob("*.docx")))
def test_real_reports_printed_read_as_their_docx(office_pdfs, name):
    """The corpus's real reports (figures as published, errors included) printed to PDF read as
    their Word files do."""
    want = open_report(Path(__file__).parents[1] / "data" / "real" / f"{name}.docx")
    got = open_report(office_pdfs / f"{name}.pdf")
    assert {k: got.value(k) for k in got.schema.cells} == {k: want.value(k) for k in want.schema.cells}
    assert got.sections == want.sections
    assert (got.meta.agency, got.meta.year, got.meta.date, got.meta.level) == (
        want.meta.agency, want.meta.year, want.meta.date, want.meta.level)


@pytest.mark.slow
def test_office_pdf_with_a_table_cut_at_the_page_edge_is_refused_saying_so(office_pdfs):
    """Website → LibreOffice DOCX printed upright: 表三 is wider than the page; its 总计 column is
    past the edge, unseen in the PDF."""
    with pytest.raises(FileFormatError) as e:
        open_report(office_pdfs / "sample-2025-website-libreoffice.pdf")
    assert "总计" in str(e.value) and "超出了页面的右边缘" in str(e.value)


@pytest.mark.slow
def test_blank_official_template_pdf_reads_all_blank(office_pdfs):
    got = open_report(office_pdfs / "official-template-2021-blank.pdf")
    assert got.cells == {} and any("200个空白单元格" in n for n in got.import_notes)



@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftocairo") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", ["sample-2025-word-template", "sample-2025-faulty", "hongze-2024"])
def test_office_pdfs_rewritten_by_pdftocairo_read_cell_for_cell(office_pdfs, sample, faulty, name):
    """pdftocairo (poppler, as 'print to PDF' on many Linux desktops) re-embeds the CJK font as Type 1
    with its bounding box as the descent: the labels must stay in their numbers' rows."""
    out = office_pdfs / f"{name}-cairo.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(office_pdfs / f"{name}.pdf"), str(out)], check=True, timeout=120)
    got = open_report(out)
    if name.startswith("sample"):
        assert_same_data(got, faulty if "faulty" in name else sample)
    else:
        want = open_report(Path(__file__).parents[1] / "data" / "real" / f"{name}.docx")
        assert {k: got.value(k) for k in got.schema.cells} == {k: want.value(k) for k in want.schema.cells}
        assert got.sections == want.sections
