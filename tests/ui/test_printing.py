"""Print path: PDFs rendered offscreen through the same code as preview and paper, read back as text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from govreport_gui import cli
from govreport_gui.report.document import Waiver
from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.printout.print_actions import PrintDialogs
from govreport_gui.ui.printout.printing import WATERMARK, export_pdf, new_pdf_writer

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_pages(path: Path, mode: str = "-layout") -> list[str]:
    """Each page's text without whitespace. ``-raw`` keeps content-stream order, in which the
    rotated watermark is one string (``-layout`` interleaves it with the lines it crosses)."""
    text = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def test_report_pdf_reads_back(qapp, sample, tmp_path):
    out = tmp_path / "r.pdf"
    export_pdf(sample, out)
    pages = pdf_pages(out)
    assert 3 <= len(pages) <= 5
    flat = "".join(pages)
    for needle in ("示例市示例区数据资源管理局2025年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
                   "第二十条第（八）项", "行政事业性收费", "12.85", "1286", "三、收到和处理政府信息公开申请情况",
                   "一、本年新收政府信息公开申请数量", "四、政府信息公开行政复议、行政诉讼情况", "复议后起诉",
                   "六、其他需要报告的事项", "2026年1月16日"):
        assert needle in flat, needle
    assert all(f"校验码{sample.fingerprint()}" in page for page in pages)
    assert all(f"—{i}—" in page for i, page in enumerate(pages, start=1))
    assert WATERMARK not in "".join(pdf_pages(out, "-raw"))
    assert flat.count("申请人情况") >= 2  # 表三's header repeats on the next page


def pdf_title(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:"))


def test_pdf_carries_the_report_title(qapp, sample, tmp_path):
    export_pdf(sample, tmp_path / "r.pdf")
    assert pdf_title(tmp_path / "r.pdf") == "示例市示例区数据资源管理局2025年政府信息公开工作年度报告"
    export_pdf(sample, tmp_path / "s.pdf", signoff=True, report_too=False)
    assert pdf_title(tmp_path / "s.pdf") == "示例市示例区数据资源管理局2025年政府信息公开工作年度报告审核签字单"


def test_watermark_exactly_when_errors_exist(qapp, faulty, sample, tmp_path):
    out = tmp_path / "f.pdf"
    export_pdf(faulty, out)
    pages = pdf_pages(out, "-raw")
    assert len(pages) >= 3 and all(WATERMARK in page for page in pages)
    sample.meta.date = "2026-02-10"  # a warning only: no watermark
    export_pdf(sample, tmp_path / "w.pdf")
    assert WATERMARK not in "".join(pdf_pages(tmp_path / "w.pdf", "-raw"))


def test_signoff_sheet_lists_findings_and_waivers(qapp, faulty, tmp_path):
    faulty.waivers.append(Waiver("n.figure", ("t3.new.total",), "正文数字含已撤回的5件申请"))
    out = tmp_path / "s.pdf"
    export_pdf(faulty, out, signoff=True, report_too=False)
    pages = pdf_pages(out)
    assert len(pages) == 1
    sheet = pages[0]
    for needle in ("审核签字单", "示例市示例区数据资源管理局", faulty.fingerprint(), "错误3个，提醒0个，已说明理由1个",
                   "本年新收申请70件", "本年办结申请69件", "行政复议5件", "正文数字含已撤回的5件申请",
                   "填报人（签字）", "审核人（签字）", "分管领导（签字）", "单位盖章", "表四‘行政复议’"):
        assert needle in sheet, needle


def test_cli_pdf_and_signoff(qapp, data_dir, tmp_path, capsys):
    assert cli.main(["export", str(data_dir / "sample-2025-faulty.govreport"), "-o", str(tmp_path / "r.pdf")]) == 0
    assert "警告：报告仍有 3 个错误" in capsys.readouterr().err
    assert WATERMARK in "".join(pdf_pages(tmp_path / "r.pdf", "-raw"))
    assert cli.main(["export", str(data_dir / "sample-2025.govreport"), "-o", str(tmp_path / "s.pdf"), "--signoff"]) == 0
    assert len(pdf_pages(tmp_path / "s.pdf")) == 1


def test_window_preview_and_pdf_share_one_path(window, data_dir, tmp_path, monkeypatch):
    w = window(data_dir / "sample-2025.govreport")
    painted = []

    def fake_preview(cls, win, printer, paint):
        target = new_pdf_writer(str(tmp_path / "preview.pdf"))
        paint(target)  # what the preview dialog would ask for, painted into a file
        painted.append(target)

    monkeypatch.setattr(PrintDialogs, "preview", classmethod(fake_preview))
    w.findChild(QAction, "print.preview").trigger()
    assert painted and pdf_pages(tmp_path / "preview.pdf")
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(tmp_path / "menu")))
    w.findChild(QAction, "export.pdf").trigger()
    assert pdf_pages(tmp_path / "menu.pdf") == pdf_pages(tmp_path / "preview.pdf")
    monkeypatch.setattr(Dialogs, "export_path", classmethod(lambda cls, p, s, f: str(tmp_path / "sheet.pdf")))
    w.findChild(QAction, "export.signoff").trigger()
    assert "审核签字单" in pdf_pages(tmp_path / "sheet.pdf")[0]


def test_pdf_of_a_report_without_agency_date_or_text(qapp, tmp_path):
    """A report made from a register has tables only: no agency, no date, no narrative."""
    from govreport_gui.report.document import Report

    report = Report()
    report.meta.year = 2025
    report.cells["t3.new.natural_person"] = 3
    out = tmp_path / "tables-only.pdf"
    export_pdf(report, out)
    flat = "".join(pdf_pages(out))
    assert "三、收到和处理政府信息公开申请情况" in flat and "六、其他需要报告的事项" in flat


def _pasted(tmp_path, data_dir) -> Path:
    """The sample with a megabyte pasted into 一 (1,000,000 characters: ~1,500 pages)."""
    import json

    tree = json.loads((data_dir / "sample-2025.govreport").read_text(encoding="utf-8"))
    tree["sections"]["s1"] = ["全年发布信息。" * 143_000]
    path = tmp_path / "pasted.govreport"
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_report_of_pasted_megabytes_is_refused_in_chinese(window, data_dir, tmp_path, monkeypatch, capsys):
    """Preview, print and PDF say at once why they refuse, and ask nothing else; so does the CLI
    (issue 24.4: such a report took minutes)."""
    path = _pasted(tmp_path, data_dir)
    w = window(path)
    errors = []
    monkeypatch.setattr(Dialogs, "error", classmethod(lambda cls, parent, text: errors.append(text)))
    def asked(*args):
        raise AssertionError(f"a print dialog was opened: {args[1:]}")

    monkeypatch.setattr(PrintDialogs, "preview", classmethod(asked))
    monkeypatch.setattr(PrintDialogs, "choose_printer", classmethod(asked))  # (conftest refuses export_path)
    for name in ("print.preview", "print.print", "export.pdf"):
        w.findChild(QAction, name).trigger()
    assert len(errors) == 3 and all("超过打印和PDF的上限（200页）" in e for e in errors), errors
    assert cli.main(["export", str(path), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "超过打印和PDF的上限" in err and "意外问题" not in err and not (tmp_path / "x.pdf").exists()
    # the sign-off sheet is one page whatever the report holds
    assert cli.main(["export", str(path), "-o", str(tmp_path / "s.pdf"), "--signoff"]) == 0
    assert len(pdf_pages(tmp_path / "s.pdf")) == 1


def test_line_breaks_pasted_into_a_paragraph_print_inside_it(qapp, sample, tmp_path):
    """A newline or paragraph separator inside a paragraph (from a paste) breaks the line there:
    Qt would have started new paragraphs the page plan does not measure."""
    sample.sections["s1"] = ["第一行\n第二行\r第三行\u2029第四行\v第五行"] + sample.sections["s1"]
    export_pdf(sample, tmp_path / "b.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert [line for line in lines if line.startswith("第") and line.endswith("行")][:5] == [
        "第一行", "第二行", "第三行", "第四行", "第五行"]
