"""`govreport aggregate` over files and folders: per-unit statuses, duplicates, years, the sum."""

from __future__ import annotations

import json
import shutil

import pytest

from govreport_gui import cli
from govreport_gui.readers.rollup_sources import find_sources, load_units
from govreport_gui.report import native
from govreport_gui.report.rollup import MixedYears, roll_up


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _unit(sample, folder, name, agency, factor=1, year=2025):
    """The sample with its counts scaled (still consistent), saved under ``folder``."""
    r = native.from_dict(native.to_dict(sample))
    r.meta.agency, r.meta.year = agency, year
    r.cells = {k: v * factor if isinstance(v, int) else v for k, v in r.cells.items()}
    folder.mkdir(parents=True, exist_ok=True)
    native.save(r, folder / name)
    return r


def test_folder_roll_up_equals_the_sum_cell_by_cell(capsys, sample, tmp_path):
    units = [_unit(sample, tmp_path / "src" / sub, f"{i}.govreport", f"第{i}局", factor=i)
             for i, sub in ((1, "a"), (2, "a/b"), (3, "c"))]
    (tmp_path / "src" / "c" / "~$3.docx").write_bytes(b"lock file of Word")  # ignored
    (tmp_path / "src" / "c" / "notes.txt").write_text("不是报告")  # ignored
    out = tmp_path / "sum.govreport"
    code, stdout, _ = run(capsys, "aggregate", tmp_path / "src", "-o", out, "--agency", "示例区")
    assert code == 0, stdout
    total = native.load(out)
    for key in sample.schema.cells:
        assert total.value(key) == sum(u.value(key) for u in units), key
    inside = tmp_path / "src" / "汇总.govreport"  # run twice into the folder it reads
    assert run(capsys, "aggregate", tmp_path / "src", "-o", inside)[0] == 0
    code, _, err = run(capsys, "aggregate", tmp_path / "src", "-o", inside)  # may be a unit's report now
    assert code == 2 and "加 --overwrite 确认覆盖" in err
    assert run(capsys, "aggregate", tmp_path / "src", "-o", inside, "--overwrite")[0] == 0
    assert native.load(inside).value("t3.new.total") == total.value("t3.new.total")
    assert total.meta.agency == "示例区" and total.meta.year == 2025
    assert "第2局" in stdout and "共3个文件：" in stdout and "有错误" not in stdout.split("共3个文件")[1]
    assert "汇总报告（3个单位）" in stdout and "[错误] t" not in stdout  # its tables balance


def test_output_that_is_a_units_own_report_is_refused(capsys, sample, tmp_path):
    """Naming one unit's report as the output would overwrite it and leave that unit out."""
    src = tmp_path / "src"
    _unit(sample, src, "a.govreport", "甲局")
    _unit(sample, src, "b.govreport", "乙局")
    b = src / "b.govreport"
    before = b.read_bytes()
    code, _, err = run(capsys, "aggregate", src, "-o", b)
    assert code == 2 and "可能是某个单位的报告" in err
    code, _, err = run(capsys, "aggregate", src / "a.govreport", b, "-o", b, "--overwrite")
    assert code == 2 and "也是要汇总的报告之一" in err
    assert b.read_bytes() == before and not b.with_name("b.govreport.bak").exists()


def test_json_lists_every_unit_with_status_and_reasons(capsys, sample, data_dir, tmp_path):
    src = tmp_path / "src"
    _unit(sample, src, "a.govreport", "甲局")
    shutil.copy(data_dir / "sample-2025-faulty.docx", src / "b.docx")
    (src / "c.xlsx").write_bytes(b"not a workbook")
    code, stdout, _ = run(capsys, "aggregate", src, tmp_path / "missing.govreport", "-o", tmp_path / "s.govreport",
                          "--json")
    assert code == 1  # a unit with errors, an unreadable file
    data = json.loads(stdout)
    by_file = {u["source"].split("/")[-1]: u for u in data["units"]}
    assert by_file["a.govreport"]["status"] == "ok" and by_file["a.govreport"]["unit"] == "甲局"
    b = by_file["b.docx"]
    assert b["status"] == "errors" and b["errors"] == 3 and b["fingerprint"] and b["year"] == 2025
    assert {f["rule"] for f in b["findings"]} >= {"t3.balance", "t4.total"}
    assert by_file["c.xlsx"]["status"] == "unreadable" and "不是有效的 Excel" in by_file["c.xlsx"]["reason"]
    assert "找不到" in by_file["missing.govreport"]["reason"]
    assert data["summed"] == 2 and data["total"]["errors"] >= 3
    assert any("本身有错误" in n for n in data["notes"])


def test_same_agency_and_same_fingerprint_name_both_files(capsys, sample, tmp_path):
    _unit(sample, tmp_path, "a.govreport", "甲局")
    shutil.copy(tmp_path / "a.govreport", tmp_path / "a-copy.govreport")
    _unit(sample, tmp_path, "b.govreport", "乙局", factor=2)
    _unit(sample, tmp_path, "b2.govreport", "乙\u3000局", factor=3)  # typed with a full-width space
    code, stdout, _ = run(capsys, "aggregate", tmp_path, "-o", tmp_path / "s.govreport")
    assert code == 1
    assert "校验码“" in stdout and "出现了2次" in stdout
    line = next(x for x in stdout.splitlines() if "机关名称“乙局”" in x)
    assert "b.govreport" in line and "b2.govreport" in line
    assert "与“" + str(tmp_path / "a-copy.govreport") + "”校验码相同" in stdout


def test_mixed_years_are_refused_unless_a_year_is_chosen(capsys, sample, tmp_path):
    _unit(sample, tmp_path, "a.govreport", "甲局", year=2024)
    _unit(sample, tmp_path, "b.govreport", "乙局", year=2025)
    code, _, err = run(capsys, "aggregate", tmp_path, "-o", tmp_path / "s.govreport")
    assert code == 2 and "年度不一致（2024年、2025年）" in err and not (tmp_path / "s.govreport").exists()
    code, stdout, _ = run(capsys, "aggregate", tmp_path, "-o", tmp_path / "s.govreport", "--year", "2025")
    assert code == 1 and "未计入" in stdout and "是2024年的报告" in stdout
    total = native.load(tmp_path / "s.govreport")
    assert total.meta.year == 2025 and total.value("t3.new.total") == sample.value("t3.new.total")


def test_nothing_readable_exits_2(capsys, tmp_path):
    (tmp_path / "a.docx").write_bytes(b"broken")
    code, stdout, err = run(capsys, "aggregate", tmp_path, "-o", tmp_path / "s.govreport")
    assert code == 2 and "无法读取" in stdout and "没有一份报告可以汇总" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "aggregate", empty, "-o", tmp_path / "s.govreport")
    assert code == 2 and "没有找到可汇总的文件" in err


def test_progress_on_stderr_and_cancel(capsys, sample, tmp_path):
    src = tmp_path / "src"
    _unit(sample, src, "a.govreport", "甲局")
    for i in range(60):
        shutil.copy(src / "a.govreport", src / f"u{i:02d}.govreport")
    code, _, err = run(capsys, "aggregate", src, "-o", tmp_path / "s.docx")
    assert code == 1 and "已读取 61/61 个文件" in err  # 1: the copies are duplicates
    seen = []
    units = load_units([src], lambda done, total, path: seen.append(done) or done < 5)
    assert len(units) == 5 and seen[-1] == 5 and len(find_sources([src])) == 61


def test_roll_up_core_raises_on_mixed_years(sample):
    from govreport_gui.report.rollup import assess

    a = native.from_dict(native.to_dict(sample))
    a.meta.year = 2024
    with pytest.raises(MixedYears):
        roll_up([assess("a", a), assess("b", sample)])
