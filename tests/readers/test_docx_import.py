"""DOCX import, table-driven: every office shape read cell for cell; broken files give clear errors."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport_gui import cli
from govreport_gui.export import export
from govreport_gui.readers.docx_import import import_docx, parse_chinese_date
from govreport_gui.readers.formats import open_report
from govreport_gui.report import native
from govreport_gui.report.native import FileFormatError
from tests.readers.docx_builders import build_docx


def assert_same_data(got, want):
    diff = {k: (got.value(k), want.value(k)) for k in want.schema.cells if got.value(k) != want.value(k)}
    assert diff == {}
    assert got.sections == want.sections
    assert (got.meta.agency, got.meta.year, got.meta.date) == (want.meta.agency, want.meta.year, want.meta.date)


@pytest.mark.parametrize("name", ["sample-2025-word-template.docx", "sample-2025-fullwidth-blanks.docx",
                                  "sample-2025-website-libreoffice.docx"])
def test_samples_read_cell_for_cell(data_dir, sample, name):
    assert_same_data(import_docx(data_dir / name), sample)


def test_faulty_sample_keeps_its_faults(data_dir, faulty):
    got = import_docx(data_dir / "sample-2025-faulty.docx")
    assert_same_data(got, faulty)
    assert got.cells["t4.review.total"] == 5  # as written, never "corrected"


@pytest.mark.parametrize(
    "style",
    [
        set(),
        {"blank"},
        {"slash", "thousands"},
        {"fullwidth", "numbering"},
        {"spaces", "runs", "cut"},
        {"split", "extra", "reword"},
        {"numbering", "cut", "runs", "split", "fullwidth", "cn_date"},
    ],
    ids=lambda s: "+".join(sorted(s)) or "plain",
)
def test_office_shapes(tmp_path, sample, style):
    path = build_docx(tmp_path / "r.docx", sample, style)
    got = import_docx(path)
    assert_same_data(got, sample)
    if "reword" in style:
        assert any("本机关不掌握该政府信息" in n for n in got.import_notes)
    if "blank" in style:
        assert any("空白单元格" in n for n in got.import_notes)


def test_blank_office_template_filled_in(tmp_path, data_dir, sample):
    """The circulated template, its cells filled by a clerk (values typed into the existing grid)."""
    doc = Document(data_dir / "official-template-2021-blank.docx")
    schema = sample.schema
    for table, tid in zip(doc.tables, ("t2", "t3", "t4")):
        layout = schema.tables[tid]
        rows = [list(r.cells) for r in table.rows]
        for cell in layout.cells:
            target = rows[cell.row][cell.col]
            target.paragraphs[0].add_run(sample.display(cell.key))
    paras = doc.paragraphs
    paras[0].text = sample.meta.effective_title()
    for p in paras:
        if p.text.startswith("（文字描述"):
            p.text = "本部分内容已按要求填写，涵盖主动公开、依申请公开等情况。"
    doc.add_paragraph(sample.meta.agency)
    doc.add_paragraph("2026年1月16日")
    path = tmp_path / "filled.docx"
    doc.save(path)
    got = import_docx(path)
    assert {k: got.value(k) for k in schema.cells} == {k: sample.value(k) for k in schema.cells}
    assert got.meta.agency == sample.meta.agency and got.meta.year == 2025 and got.meta.date == "2026-01-16"


def test_exported_docx_reads_back_the_same(tmp_path, sample):
    out = tmp_path / "export.docx"
    export(sample, out)
    got = import_docx(out)
    assert_same_data(got, sample)
    assert got.fingerprint() == sample.fingerprint()


def test_exported_docx_of_a_report_without_a_date_reads_back_the_same(tmp_path, sample):
    """A report imported from a page with no 落款 (洪泽 2023) is exported with the agency alone under
    六; read back, that line was a paragraph of 六, printed twice at the next export."""
    sample.meta.date = None
    out = tmp_path / "export.docx"
    export(sample, out)
    got = import_docx(out)
    assert got.sections["s6"] == sample.paragraphs("s6")
    assert (got.meta.agency, got.meta.date) == (sample.meta.agency, None)


def test_2019_format_imports_what_maps(tmp_path, sample):
    doc = Document()
    doc.add_paragraph("某局2019年政府信息公开工作年度报告")
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("2019年，我局认真落实主动公开、依申请公开、政府信息管理、平台建设、监督保障各项要求。")
    doc.add_paragraph("二、主动公开政府信息情况")
    t = doc.add_table(rows=0, cols=4)
    for row in (["第二十条第（一）项"] * 4, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                ["规章", "0", "0", "0"], ["规范性文件", "2", "2", "15"], ["第二十条第（五）项"] * 4,
                ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "10", "1", "800"],
                ["第二十条第（六）项"] * 4, ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                ["行政处罚", "5", "0", "120"], ["行政强制", "2", "0", "9"], ["第二十条第（八）项"] * 4,
                ["信息内容", "上一年项目数量", "本年增/减", "本年收费金额（单位：万元）"], ["行政事业性收费", "1", "0", "3.5"]):
        cells = t.add_row().cells
        for c, text in zip(cells, row):
            c.text = text
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    src = copy.deepcopy(sample)
    layout = src.schema.tables["t3"]
    t3 = doc.add_table(rows=0, cols=10)
    for r in range(layout.rows):
        if r in (23, 24):
            continue  # 2019: （六）其他处理 is one row
        cells = t3.add_row().cells
        for c in range(10):
            item = layout.cell_at(r, c)
            if r == 25 and c < 3:
                cells[c].text = "（六）其他处理" if c else "三、本年度办理结果"
            elif hasattr(item, "key"):
                cells[c].text = src.display(item.key)
            else:
                cells[c].text = item.text
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    layout4 = src.schema.tables["t4"]
    t4 = doc.add_table(rows=4, cols=15)
    for r, row in enumerate(t4.rows):
        for c, cell in enumerate(row.cells):
            item = layout4.cell_at(r, c)
            cell.text = src.display(item.key) if hasattr(item, "key") else item.text
    doc.add_paragraph("五、存在的主要问题及改进情况")
    doc.add_paragraph("问题是公开不够及时，明年将建立提醒机制，按期更新栏目内容。")
    doc.add_paragraph("六、其他需要报告的事项")
    doc.add_paragraph("本年度未收取信息处理费。")
    doc.add_paragraph("某局")
    doc.add_paragraph("2020年1月20日")
    path = tmp_path / "r2019.docx"
    doc.save(path)
    got = import_docx(path)
    assert got.value("t2.licensing.decisions") == 800 and got.value("t2.penalty.decisions") == 120
    assert str(got.cells["t2.admin_fee.amount_wan"]) == "3.5"
    assert "t2.normative_doc.in_force" not in got.cells  # different meaning in 2019: not invented
    assert got.value("t3.result.other.other.total") == sample.value("t3.result.other.other.total")
    assert any("2019年格式" in n and "表二" in n for n in got.import_notes)
    assert any("2019年格式" in n and "表三" in n for n in got.import_notes)
    assert got.meta.year == 2019 and got.meta.agency == "某局"


def test_2019_table_two_does_not_cut_a_2021_table_three(tmp_path, sample):
    """Offices mixed formats: a 2019-style 表二 next to a complete 2021 表三 loses nothing of 表三."""
    path = build_docx(tmp_path / "r.docx", sample, set())
    doc = Document(path)
    t2 = doc.tables[0]
    for cell in t2.rows[1].cells[1:]:
        cell.text = {"本年制发件数": "本年新制作数量", "本年废止件数": "本年新公开数量",
                     "现行有效件数": "对外公开总数量"}.get(cell.text, cell.text)
    doc.save(path)
    got = import_docx(path)
    assert got.value("t3.result.other.no_correction.total") == sample.value("t3.result.other.no_correction.total") == 3
    assert "t2.normative_doc.in_force" not in got.cells
    assert not any("表三" in n and "2019" in n for n in got.import_notes)


def _zip_with(path: Path, document_xml: str) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p, s: p.write_bytes(b"not a zip at all"), "不是有效的 Word 文档"),
        (lambda p, s: p.write_bytes((Path(__file__).parent.parent / "data" / "sample-2025-word-template.docx")
                                    .read_bytes()[:5000]), "不是有效的 Word 文档"),
        (lambda p, s: _zip_with(p, '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                   "<w:body><w:p><w:r><w:t>只有文字</w:t></w:r></w:p></w:body></w:document>"),
         "没有表格"),
        (lambda p, s: _zip_with(p, "<w:document"), "XML 无法解析"),
        (lambda p, s: zipfile.ZipFile(p, "w").writestr("a.txt", "x"), "缺少正文部分"),
    ],
    ids=["not-zip", "truncated", "no-tables", "bad-xml", "no-document"],
)
def test_broken_docx(tmp_path, sample, capsys, make, words):
    path = tmp_path / "bad.docx"
    make(path, sample)
    with pytest.raises(FileFormatError, match=words):
        open_report(path)
    assert cli.main(["import", str(path), "-o", str(tmp_path / "x.govreport")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_table_with_missing_rows(tmp_path, sample, capsys):
    path = build_docx(tmp_path / "r.docx", sample, set())
    doc = Document(path)
    t3 = doc.tables[1]._tbl
    for tr in t3.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")[10:14]:
        t3.remove(tr)
    doc.save(path)
    with pytest.raises(FileFormatError, match="表三缺少") as e:
        import_docx(path)
    assert "属于行政执法案卷" in str(e.value) or "不予公开" in str(e.value)
    assert cli.main(["import", str(path), "-o", str(tmp_path / "x.govreport")]) == 2


def test_doc_and_wps_files_are_refused_with_advice(tmp_path):
    for suffix in (".doc", ".wps"):
        p = tmp_path / f"old{suffix}"
        p.write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(FileFormatError, match="另存为"):
            open_report(p)


def test_carry_from_docx(tmp_path, data_dir, capsys):
    out = tmp_path / "2026.govreport"
    assert cli.main(["carry", str(data_dir / "sample-2025-website-libreoffice.docx"), "-o", str(out)]) == 0
    new = native.load(out)
    last = import_docx(data_dir / "sample-2025-website-libreoffice.docx")
    assert new.meta.year == 2026 and new.meta.date is None and new.meta.agency == last.meta.agency
    for col in new.schema.lists["t3_cols"]:
        assert new.value(f"t3.carried_in.{col}") == last.value(f"t3.carried_out.{col}")
    assert new.last is not None and new.last.sections == last.sections


def test_carry_reports_last_years_own_errors(tmp_path, data_dir, capsys):
    assert cli.main(["carry", str(data_dir / "sample-2025-faulty.docx"), "-o", str(tmp_path / "n.govreport")]) == 0
    err = capsys.readouterr().err
    assert "上年报告本身有 3 个错误" in err and "表四‘行政复议’" in err


@pytest.mark.parametrize("text, iso", [("2026年1月16日", "2026-01-16"), ("二〇二六年一月十六日", "2026-01-16"),
                                       ("2025年12月31日", "2025-12-31"), ("二〇二五年十二月三十一日", "2025-12-31"),
                                       ("２０２６年１月５日", "2026-01-05"), ("2026年13月1日", None), ("落款", None)])
def test_chinese_dates(text, iso):
    assert parse_chinese_date(text) == iso


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_docx_never_raises_anything_else(tmp_path, data_dir, data):
    """Flip, cut and insert bytes of a real DOCX and of its document.xml: only clear errors."""
    original = (data_dir / "sample-2025-word-template.docx").read_bytes()
    if data.draw(st.booleans()):
        blob = bytearray(original)
    else:  # mutate inside document.xml so that the zip stays valid and the XML reader is exercised
        with zipfile.ZipFile(io.BytesIO(original)) as z:
            xml = bytearray(z.read("word/document.xml"))
        for _ in range(data.draw(st.integers(1, 4))):
            pos = data.draw(st.integers(0, len(xml) - 1))
            xml[pos:pos + data.draw(st.integers(0, 300))] = data.draw(st.binary(max_size=6))
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(buf, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, bytes(xml) if item.filename == "word/document.xml" else src.read(item))
        blob = bytearray(buf.getvalue())
    for _ in range(data.draw(st.integers(0, 3))):
        pos = data.draw(st.integers(0, len(blob) - 1))
        blob[pos] = data.draw(st.integers(0, 255))
    path = tmp_path / "fuzz.docx"
    path.write_bytes(bytes(blob))
    try:
        report = open_report(path)
    except FileFormatError as e:
        assert "fuzz.docx" in str(e)
    else:
        from govreport_gui.report.rules import check

        check(report)


def test_cli_import_prints_notes(tmp_path, data_dir, capsys):
    out = tmp_path / "o.govreport"
    shutil.copy(data_dir / "sample-2025-fullwidth-blanks.docx", tmp_path / "in.docx")
    assert cli.main(["import", str(tmp_path / "in.docx"), "-o", str(out)]) == 0
    assert "空白单元格" in capsys.readouterr().err
    assert native.load(out).value("t3.new.total") == 70
