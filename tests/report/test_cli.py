"""The `govreport` command: exit codes, JSON output, Chinese messages, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

from govreport_gui import cli
from govreport_gui.report import native


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_consistent_report(capsys, data_dir):
    code, out, err = run(capsys, "check", data_dir / "sample-2025.govreport")
    assert code == 0 and "0 个错误，0 个提醒" in out


def test_check_faulty_report_json(capsys, data_dir):
    code, out, _ = run(capsys, "check", data_dir / "sample-2025-faulty.govreport", "--json")
    assert code == 1
    payload = json.loads(out)
    assert sorted({f["rule"] for f in payload["findings"]}) == ["n.figure", "t3.balance", "t4.total"]
    first = payload["findings"][0]
    assert set(first) >= {"rule", "severity", "cells", "message", "expected", "actual"}
    assert len(payload["fingerprint"]) == 14


def test_check_with_last(capsys, data_dir, tmp_path):
    new = tmp_path / "new.govreport"
    assert run(capsys, "carry", data_dir / "sample-2025.govreport", "-o", new)[0] == 0
    code, out, _ = run(capsys, "check", new, "--last", data_dir / "sample-2025.govreport", "--json")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert "x.carried_in" not in rules and "x.in_force" in rules


def test_injected_fault_from_the_command_line(capsys, sample, tmp_path):
    sample.meta.agency = ""
    sample.sections["s5"] = []
    p = tmp_path / "r.govreport"
    native.save(sample, p)
    code, out, _ = run(capsys, "check", p, "--json")
    assert code == 1
    assert sorted(f["rule"] for f in json.loads(out)["findings"]) == ["meta.required", "n.empty"]


def test_aggregate_sums_every_table_cell(capsys, data_dir, tmp_path):
    out = tmp_path / "sum.govreport"
    a = native.load(data_dir / "sample-2025.govreport")
    a.meta.agency = "示例区教育局"  # another unit: two reports of one agency would be a conflict
    native.save(a, tmp_path / "a.govreport")
    code, stdout, err = run(capsys, "aggregate", tmp_path / "a.govreport", data_dir / "sample-2025-faulty.docx",
                       "-o", out, "--agency", "示例区汇总")
    assert code == 1 and "汇总报告（2个单位）" in stdout and "1个单位的报告本身有错误" in stdout
    total = native.load(out)
    b = native.load(data_dir / "sample-2025-faulty.govreport")
    assert all(total.value(k) == a.value(k) + b.value(k) for k in a.schema.cells)
    assert str(total.cells["t2.admin_fee.amount_wan"]) == "25.70"
    assert total.meta.agency == "示例区汇总" and total.meta.year == 2025


def test_unsupported_output_says_so(capsys, data_dir, tmp_path):
    code, out, err = run(capsys, "aggregate", data_dir / "sample-2025.govreport", "-o", tmp_path / "a.odt")
    assert code == 2 and "扩展名" in err and "Traceback" not in err


def test_unusable_inputs_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.govreport"
    bad.write_text("{", encoding="utf-8")
    for argv, words in (
        (["check", bad], "已损坏"),
        (["check", tmp_path / "x.doc"], "另存为"),
        (["check", tmp_path / "x.txt"], "无法识别"),
        (["check"], "缺少必填参数"),
        (["export", bad, "-o", tmp_path / "x.odt"], "扩展名"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and words in err, (argv, err)


def test_console_script_runs_in_a_subprocess(data_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "govreport_gui.cli", "check", str(data_dir / "sample-2025-faulty.govreport")],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 1 and "t3.balance" in proc.stdout and proc.stderr == ""


def test_version_and_self_check(capsys, monkeypatch):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip().startswith("govreport ")
    code, out, _ = run(capsys, "--self-check")
    assert code == 0, out
    assert out.count("[通过]") == 6 and "自检通过" in out and "读回校验码一致" in out
    assert "[通过] 读取 PDF 样例" in out and "[通过] 由 .xls 台账计算表三" in out


def test_self_check_reports_a_failing_step(capsys, monkeypatch):
    from govreport_gui import selfcheck

    monkeypatch.setattr(selfcheck, "SAMPLE", "missing.govreport")
    code, out, _ = run(capsys, "--self-check")
    assert code == 1 and "[失败] 读取内置样例报告" in out and "Traceback" not in out
