"""``govreport draft`` (issue 23 item 3), and drafted live fields in every export as plain figures."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from govreport_gui.report import native
from govreport_gui.report.draft import draft_into
from govreport_gui.report.totals import autofill
from tests.report.test_cli import run

SAMPLE_LINES = [
    "（一）主动公开情况。本年度，制发行政规范性文件3件，废止行政规范性文件1件，现行有效行政规范性文件17件；"
    "作出行政许可决定1286件，行政处罚决定342件，行政强制决定27件；收取行政事业性收费12.85万元。",
    "（二）依申请公开情况。本年度共收到政府信息公开申请70件，上年结转政府信息公开申请4件。全年办结69件，其中予以公开29件，"
    "部分公开11件，不予公开7件，无法提供15件，不予处理3件，其他处理4件；结转下年度继续办理5件。"
    "因政府信息公开被申请行政复议4件，其中被纠正1件；被提起行政诉讼2件。",
]


def test_draft_prints_the_whole_section(capsys, data_dir):
    code, out, err = run(capsys, "draft", data_dir / "sample-2025.govreport")
    assert code == 0 and err == ""
    assert out.splitlines() == SAMPLE_LINES


def test_draft_one_part(capsys, data_dir):
    code, out, _ = run(capsys, "draft", data_dir / "sample-2025.govreport", "--section", "依申请公开")
    assert code == 0 and out.splitlines() == SAMPLE_LINES[1:]


def test_draft_with_last_year(capsys, data_dir, tmp_path):
    new = tmp_path / "2026.govreport"
    assert run(capsys, "carry", data_dir / "sample-2025.govreport", "-o", new)[0] == 0
    # the carried report holds last year's: 同比 against it (nothing received yet this year)
    code, out, err = run(capsys, "draft", new, "--section", "依申请公开")
    assert code == 1 and "表格有" in err  # 表三 is not filled in yet: 上年结转 5, nothing answered
    assert out.startswith("（二）依申请公开情况。本年度未收到政府信息公开申请，同比下降100%，上年结转政府信息公开申请5件。")
    # --last names another report of the year before
    report = native.load(new)
    report.cells.update(autofill(report, {"t3.new.natural_person": 77, "t3.result.granted.natural_person": 77}, ["t3"]))
    native.save(report, new)
    older = copy.deepcopy(report.last)
    older.cells["t3.new.total"] = 70
    last = tmp_path / "2025.govreport"
    native.save(older, last)
    code, out, err = run(capsys, "draft", new, "--last", last, "--section", "依申请公开")
    assert "本年度共收到政府信息公开申请77件，同比增长10%，上年结转政府信息公开申请5件。" in out and "不写同比" not in err
    # a report that is not of the year before gives no 同比, and says why
    older.meta.year = 2023
    native.save(older, last)
    code, out, err = run(capsys, "draft", new, "--last", last)
    assert "同比" not in out and "2023" in err and "不写同比" in err


def test_draft_of_a_faulty_report_warns_and_exits_1(capsys, data_dir):
    code, out, err = run(capsys, "draft", data_dir / "sample-2025-faulty.govreport")
    assert code == 1 and out.count("\n") == 2
    assert "表格有" in err and "错误" in err and "Traceback" not in err


@pytest.mark.parametrize("argv, words", [
    (["draft", "missing.govreport"], "错误："),
    (["draft", "{sample}", "--section", "s5"], "只能起草 s1"),
    (["draft"], "缺少必填参数"),
])
def test_draft_unusable_input_exits_2(capsys, data_dir, argv, words):
    argv = [a.replace("{sample}", str(data_dir / "sample-2025.govreport")) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and words in err and "Traceback" not in err


def test_help_is_chinese(capsys):
    code, out, _ = run(capsys, "draft", "--help")
    assert code == 0 and "起草" in out and "--last" in out and "退出码" in out


# --- exports: a live field reads as a plain figure ---------------------------------------------------
@pytest.fixture
def drafted(sample, tmp_path):
    now = copy.deepcopy(sample)
    now.meta.year, now.meta.date = 2026, "2027-01-20"
    now.last = copy.deepcopy(sample)
    now.cells.update(autofill(now, {"t3.new.natural_person": now.value("t3.new.natural_person") + 10,
                                    "t3.result.granted.natural_person": now.value("t3.result.granted.natural_person") + 10},
                              ["t3"]))
    now.sections["s1"] = draft_into(now, now.sections["s1"]).paragraphs
    assert "{{yoy:new}}" in "".join(now.sections["s1"])
    path = tmp_path / "drafted.govreport"
    native.save(now, path)
    return path


WANT = "本年度共收到政府信息公开申请80件，同比增长14.3%，上年结转政府信息公开申请4件。全年办结79件，其中予以公开39件"


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("suffix", [".docx", ".html", ".xlsx", ".pdf"])
def test_exports_show_the_drafted_figures(capsys, drafted, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    if suffix == ".pdf":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext is not installed")
        # in its own process: an in-process PDF export makes a QGuiApplication that would abort
        # the pytest-qt tests after it
        done = subprocess.run([sys.executable, "-m", "govreport_gui.cli", "export", str(drafted), "-o", str(out)],
                              capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert done.returncode == 0, done.stderr
    else:
        code, _, err = run(capsys, "export", drafted, "-o", out)
        assert code == 0, err
    if suffix == ".docx":
        text = _docx_text(out)
    elif suffix == ".html":
        text = out.read_text(encoding="utf-8")
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(out)
        text = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    else:
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "{{" not in text and "fig:" not in text and "yoy:" not in text
    assert WANT in flat
