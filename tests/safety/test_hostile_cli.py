"""Hostile arguments and report values through ``govreport register`` and the template writer: a
Chinese message (exit 2) or a normal result, never "意外问题"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from govreport_gui import cli
from govreport_gui.report import native

DATA = Path(__file__).resolve().parents[1] / "data"
REGISTER = "编号,收到日期,申请人类型,办理结果,办结日期\n1,2025-03-04,自然人,予以公开,2025-03-20\n"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "台账.csv"
    path.write_text(REGISTER, encoding="utf-8")
    return path


@pytest.mark.parametrize("year", ["99999999999", "-1", "0", "1e3", "２０２５x"])
def test_register_year_out_of_range_is_a_chinese_usage_error(capsys, tmp_path, register, year):
    """Was OverflowError / ValueError (“year -1 is out of range”) shown as 意外问题."""
    rc = cli.main(["register", str(register), "--year", year, "-o", str(tmp_path / "n.govreport")])
    err = capsys.readouterr().err
    assert rc == 2 and "年度" in err and "意外问题" not in err, err
    assert not (tmp_path / "n.govreport").exists()


@pytest.mark.parametrize("year", ["99999999999", "-1", "0"])
def test_template_year_out_of_range_is_refused(capsys, tmp_path, year):
    """Was a template saved with 99999999999年 (or 0, -1) prefilled."""
    rc = cli.main(["export", "--template", "-o", str(tmp_path / "t.xlsx"), "--year", year])
    err = capsys.readouterr().err
    assert rc == 2 and "年度" in err and "意外问题" not in err, err
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("value", ["\ud800机关", "\udfff\ud800", "机关" * 100_000])
def test_register_into_a_report_with_hostile_text(capsys, tmp_path, register, value):
    """Lone surrogates and long text in the target's agency and 一: counted, saved, readable again,
    and the register's figures and the odd text survive as the reader allows them."""
    tree = json.loads((DATA / "sample-2025.govreport").read_text(encoding="utf-8"))
    tree["meta"]["agency"] = value
    tree["sections"]["s1"] = [value]
    target = tmp_path / "目标.govreport"
    target.write_text(json.dumps(tree, ensure_ascii=True), encoding="utf-8")
    rc = cli.main(["register", str(register), "--into", str(target)])
    out, err = capsys.readouterr()
    assert rc == 0 and "意外问题" not in err, err
    back = native.load(target)
    assert back.value("t3.new.total") == 1
    for ext in ("xlsx", "docx", "html"):
        assert cli.main(["export", str(target), "-o", str(tmp_path / f"out.{ext}")]) == 0
    assert "意外问题" not in capsys.readouterr().err


def test_register_into_a_folder_or_device_is_refused(capsys, tmp_path, register):
    folder = tmp_path / "d.govreport"
    folder.mkdir()
    link = tmp_path / "zero.govreport"
    link.symlink_to("/dev/zero")
    for target in (folder, link):
        assert cli.main(["register", str(register), "--into", str(target)]) == 2
        err = capsys.readouterr().err
        assert "意外问题" not in err and ("文件夹" in err or "不是普通文件" in err), err
    shutil.rmtree(folder)


def test_usage_errors_under_python_m_are_plain_messages(tmp_path):
    """`python -m govreport_gui.cli` (tests, bench, a clerk without the launcher): register's and
    aggregate's usage errors were “处理时发生意外问题（UsageError: …）”."""
    import subprocess
    import sys

    for args in (["register", str(tmp_path / "无.csv"), "--year", "2025", "-o", str(tmp_path / "n.govreport")],
                 ["aggregate", str(tmp_path), "-o", str(tmp_path / "out.txt")]):
        proc = subprocess.run([sys.executable, "-m", "govreport_gui.cli", *args], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[2], timeout=60)
        assert proc.returncode == 2 and "意外问题" not in proc.stderr and proc.stderr.startswith("错误："), proc.stderr


@pytest.mark.parametrize("columns", ["编号=编号", "收到日期=A,办结日期=A", "收到日期=ZZ", "收到日期==x", "编号=XFD",
                                     "申请人=编号", "x" * 5000 + "=A", "收到日期=" + "来" * 5000, "=", "，；,", "收到日期=\u3000"])
def test_odd_column_mappings_give_a_result_or_a_chinese_message(capsys, tmp_path, register, columns):
    rc = cli.main(["register", str(register), "--year", "2025", "-o", str(tmp_path / "n.govreport"), "--columns", columns])
    out, err = capsys.readouterr()
    assert "意外问题" not in err
    if rc == 2:
        assert err.startswith("错误：") and ("列" in err or "表头" in err), err[:300]
    else:
        assert rc in (0, 1) and "已由台账" in out
