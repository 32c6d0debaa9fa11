"""The exported DOCX as LibreOffice (the reference reader) lays it out: pages, text, no lost content."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from govreport_gui.export import export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FONTS = Path(__file__).parent / "fonts-alias.conf"
pytestmark = pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice/poppler not installed (scripts/setup.sh test installs them)")


def to_pdf(docx: Path, out: Path) -> Path:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS)}
    profile = out / "lo-profile"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
         "--outdir", str(out), str(docx)],
        check=True, capture_output=True, env=env, timeout=180,
    )
    return out / (docx.stem + ".pdf")


def test_libreoffice_renders_the_report(sample, tmp_path):
    docx = tmp_path / "report.docx"
    export(sample, docx)
    pdf = to_pdf(docx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 5
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    for needle in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                   "六、其他需要报告的事项", "第二十条第（八）项", "行政事业性收费", "12.85",
                   "示例市示例区数据资源管理局", "2026年1月16日", "—1—", sample.fingerprint()):
        assert needle in flat, needle
    # 表三's header repeats when the table runs onto the next page
    assert flat.count("申请人情况") >= 2


def test_libreoffice_shows_t3_continued_with_its_labels(sample, tmp_path):
    """Issue 21.11: LibreOffice repeated 表三's header rows on the next page but left
    “三、本年度办理结果” and the group labels blank there. Now 表三's first table begins a page
    with its heading, the second begins the next page restating the header and the labels, and
    neither breaks."""
    docx = tmp_path / "report.docx"
    export(sample, docx)
    pdf = to_pdf(docx, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [page.split() for page in text.split("\f")]
    holding = [i for i, words in enumerate(pages) if "申请人情况" in words]
    assert len(holding) == 2 and holding[1] == holding[0] + 1
    first, second = (pages[i] for i in holding)
    flat_first, flat_second = "".join(first), "".join(second)
    assert flat_first.startswith("三、收到和处理政府信息公开申请情况")  # the heading begins the page
    for row in ("一、本年新收政府信息公开申请数量", "（一）予以公开", "8.属于行政查询事项"):
        assert row in flat_first and row not in flat_second, row
    for row in ("1.信访举报投诉类申请", "2.重复申请", "四、结转下年度继续办理"):
        assert row in flat_second and row not in flat_first, row
    assert "三、" in second and "（四）" in second and "（五）" in second and "（六）" in second  # restated
    assert "（三）" in first and "（四）" not in first
