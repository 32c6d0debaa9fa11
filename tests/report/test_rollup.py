"""`govreport aggregate` over files and folders: per-unit statuses, duplicates, years, the sum."""

from __future__ import annotations

import json
import re
import shutil
import sys
from decimal import Decimal

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
    r.cells = {k: v * factor if isinstance(v, (int, Decimal)) else v for k, v in r.cells.items()}
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


def _json(capsys, *argv):
    code, stdout, err = run(capsys, *argv, "--json")
    return code, json.loads(stdout), err


def test_a_unit_sent_twice_is_a_duplicate_summed_once(capsys, sample, tmp_path):
    """教育局.govreport and its identical copy 教育局-重新发送.govreport: one unit, not two."""
    src = tmp_path / "src"
    edu = _unit(sample, src, "教育局.govreport", "教育局")
    shutil.copy(src / "教育局.govreport", src / "教育局-重新发送.govreport")
    police = _unit(sample, src, "公安局.govreport", "公安局", factor=2)
    text = _unit(sample, src, "公安局-改正文.govreport", "公安局", factor=2)  # same figures, other text
    text.sections["s5"] = ["改了一句话。"]
    native.save(text, src / "公安局-改正文.govreport")
    out = tmp_path / "s.govreport"
    code, stdout, _ = run(capsys, "aggregate", src, "-o", out)
    assert code == 1  # the copies need a look, though the sum is right
    lines = {line.split()[-1].split("/")[-1]: line for line in stdout.splitlines() if ".govreport" in line and "  " in line}
    assert "重复" in lines["教育局-重新发送.govreport"] and "通过" in lines["教育局.govreport"]
    assert "重复" in lines["公安局-改正文.govreport"] and "重复" not in lines["公安局.govreport"]
    assert "计入汇总2个单位" in stdout and "汇总报告（2个单位）" in stdout
    assert "内容完全相同（校验码相同）" in stdout and "机关名称和表格数字都相同" in stdout
    total = native.load(out)
    for key in sample.schema.cells:
        assert total.value(key) == edu.value(key) + police.value(key), key
    code, data, _ = _json(capsys, "aggregate", src, "-o", out)
    by_file = {u["source"].split("/")[-1]: u for u in data["units"]}
    assert by_file["教育局-重新发送.govreport"]["status"] == "duplicate" and not by_file["教育局-重新发送.govreport"]["summed"]
    assert data["summed"] == 2 and sum(u["summed"] for u in data["units"]) == 2
    rate = data["total"]["indicators"]["substantive"]  # the area's 实质公开率, over the units summed once
    assert rate["denominator"] == edu.value("t3.result.total.total") + police.value("t3.result.total.total")
    assert by_file["教育局.govreport"]["indicators"]["substantive"] == {
        "name": "实质公开率", "numerator": 40, "denominator": 69, "value": round(40 / 69, 6), "judged": True, "marked": False}


def test_one_agency_with_different_figures_is_a_conflict_until_one_is_preferred(capsys, sample, tmp_path):
    src = tmp_path / "src"
    a = _unit(sample, src, "a.govreport", "甲局")
    _unit(sample, src, "b.govreport", "乙局", factor=2)
    b2 = _unit(sample, src, "b2.govreport", "乙\u3000局", factor=3)  # typed with a full-width space
    out = tmp_path / "s.govreport"
    code, stdout, _ = run(capsys, "aggregate", src, "-o", out)
    assert code == 1
    rows = [line for line in stdout.splitlines() if line[:1].isdigit() and ("b.govreport" in line or "b2.govreport" in line)]
    assert len(rows) == 2 and all("冲突" in r for r in rows) and "--prefer" in stdout
    assert "1个单位各有几份数字不同的报告（乙局）" in stdout and "计入汇总1个单位" in stdout
    assert native.load(out).value("t3.new.total") == a.value("t3.new.total")  # neither summed
    code, data, _ = _json(capsys, "aggregate", src, "-o", out, "--prefer", src / "b2.govreport")
    assert code == 0, data["notes"]  # the clerk chose: nothing left to look at
    by_file = {u["source"].split("/")[-1]: u for u in data["units"]}
    assert by_file["b2.govreport"]["status"] in ("ok", "warnings") and by_file["b2.govreport"]["summed"]
    assert by_file["b.govreport"]["status"] == "excluded" and "已选用" in by_file["b.govreport"]["remarks"][0]
    total = native.load(out)
    assert total.value("t3.new.total") == a.value("t3.new.total") + b2.value("t3.new.total")
    code, _, err = run(capsys, "aggregate", src, "-o", out, "--prefer", tmp_path / "nowhere.govreport")
    assert code == 2 and "--prefer 指定的" in err and "不在要汇总的文件中" in err


def test_control_characters_from_a_file_are_escaped_on_the_terminal(capsys, sample, tmp_path):
    _unit(sample, tmp_path / "src", "a.govreport", "乙局\r通过\x1b[2J\u202e")
    agency = native.load(tmp_path / "src" / "a.govreport").meta.agency  # as kept (ESC may be cleaned where it enters)
    assert "\r" in agency and "\u202e" in agency
    code, stdout, err = run(capsys, "aggregate", tmp_path / "src", "-o", tmp_path / "s.govreport")
    assert code == 0
    assert "\r" not in stdout and "\x1b" not in stdout and "\u202e" not in stdout
    assert "乙局\\r通过" in stdout and "\\u202e" in stdout
    code, stdout, _ = run(capsys, "aggregate", tmp_path / "src", "-o", tmp_path / "s.govreport", "--json")
    assert json.loads(stdout)["units"][0]["unit"] == agency  # JSON keeps the text exact


def _area(sample, src, parent_factor=3, name="某区人民政府"):
    """某区教育局 (×1) and 某区公安局 (×2), and the area's own report holding their sum (×3)."""
    _unit(sample, src, "教育局.govreport", "某区教育局")
    _unit(sample, src, "公安局.govreport", "某区公安局", factor=2)
    own = _unit(sample, src, "区政府.govreport", name, factor=parent_factor)
    own.meta.level = "government"
    native.save(own, src / "区政府.govreport")
    return own


def test_the_areas_own_report_is_compared_with_the_sum_of_its_units(capsys, sample, tmp_path):
    src = tmp_path / "src"
    _area(sample, src)
    out = tmp_path / "s.govreport"
    code, stdout, _ = run(capsys, "aggregate", src, "-o", out)
    assert code == 0, stdout
    assert "本级" in stdout and "[本级对照] 本级报告“某区人民政府”与2个单位的合计逐项一致" in stdout
    assert "未提供应报单位名单" in stdout
    total = native.load(out)  # the parent is compared, not added
    assert total.value("t3.new.total") == 3 * sample.value("t3.new.total")
    assert total.meta.agency == "某区人民政府"

    _area(sample, src, parent_factor=4)  # the area's report no longer equals its units
    code, data, _ = _json(capsys, "aggregate", src, "-o", out)
    assert code == 0  # never an error
    p = data["parent"]
    assert p["verdict"] == "differs" and p["unit"] == "某区人民政府" and "不作为错误" in p["text"]
    cell = next(c for c in p["cells"] if c["cell"] == "t3.new.total")
    assert cell == {"cell": "t3.new.total", "parent": 4 * sample.value("t3.new.total"),
                    "units": 3 * sample.value("t3.new.total"), "difference": sample.value("t3.new.total")}
    assert len(p["cells"]) == sum(1 for k in sample.schema.cells if sample.value(k))


def test_missing_units_leave_the_parent_check_unjudged(capsys, sample, tmp_path):
    src = tmp_path / "src"
    _area(sample, src)
    roster = tmp_path / "名单.txt"
    roster.write_text("序号,单位名称\n1,教育局\n2,公安局\n3,财政局\n4,某区人民政府\n", encoding="gbk")
    code, data, _ = _json(capsys, "aggregate", src, "-o", tmp_path / "s.govreport", "--expected", roster)
    assert code == 1  # a unit on the list did not report
    assert data["missing"] == ["财政局"] and data["parent"]["verdict"] == "cannot_judge"
    assert data["parent"]["missing"] == ["财政局（未收到报告）"] and "无法判断" in data["parent"]["text"]
    roster.write_text("教育局\n公安局\n", encoding="utf-8")
    (src / "坏.docx").write_bytes(b"broken")  # an unreadable file may be any unit
    code, stdout, _ = run(capsys, "aggregate", src, "-o", tmp_path / "s.govreport", "--expected", roster)
    assert code == 1 and "[本级对照] 无法判断：1个单位未计入合计（无法读取的文件" in stdout
    (src / "坏.docx").unlink()
    code, stdout, _ = run(capsys, "aggregate", src, "-o", tmp_path / "s.govreport", "--expected", roster)
    assert code == 0 and "逐项一致" in stdout and "未提供应报单位名单" not in stdout


def test_the_parent_is_found_by_the_roll_ups_name_or_named(capsys, sample, tmp_path):
    """Units without the area's name in theirs: the parent is the report named as the roll-up's
    agency, or the one --parent names; otherwise nothing is taken out of the sum."""
    src = tmp_path / "src"
    _unit(sample, src, "a.govreport", "教育局")
    _unit(sample, src, "b.govreport", "公安局", factor=2)
    own = _unit(sample, src, "p.govreport", "某区人民政府", factor=3)
    own.meta.level = "government"
    native.save(own, src / "p.govreport")
    out = tmp_path / "s.govreport"
    code, data, _ = _json(capsys, "aggregate", src, "-o", out)
    assert data["parent"] is None and data["summed"] == 3  # unsure: summed like any unit
    code, data, _ = _json(capsys, "aggregate", src, "-o", out, "--agency", "某区人民政府（汇总）")
    assert data["parent"]["verdict"] == "consistent" and data["summed"] == 2
    code, data, _ = _json(capsys, "aggregate", src, "-o", out, "--parent", src / "b.govreport")
    assert data["parent"]["unit"] == "公安局" and data["parent"]["verdict"] == "differs"


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


def test_reading_in_processes_gives_what_reading_here_gives(capsys, sample, tmp_path):
    src = tmp_path / "src"
    for i in range(140):  # more than two chunks
        _unit(sample, src / f"d{i % 3}", f"{i:03d}.govreport", f"第{i:03d}局", factor=1 + i % 4)
    (src / "d0" / "broken.docx").write_bytes(b"broken")
    _, here, _ = _json(capsys, "aggregate", src, "-o", tmp_path / "a.govreport", "--jobs", "1")
    code, pool, err = _json(capsys, "aggregate", src, "-o", tmp_path / "b.govreport", "--jobs", "2")
    assert code == 1 and "已读取 141/141 个文件" in err
    assert re.search(r"由 [12] 个进程并行读取", err) and "未能启动" not in err  # the pool ran, no fallback
    assert [u["source"] for u in pool["units"]] == [u["source"] for u in here["units"]]
    assert pool["units"] == here["units"] and pool["total"]["fingerprint"] == here["total"]["fingerprint"]
    # a pool that cannot start (no semaphores, a frozen build that cannot run workers): read here, said so
    import concurrent.futures

    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
        code, alone, err = _json(capsys, "aggregate", src, "-o", tmp_path / "c.govreport", "--jobs", "2")
    assert "未能启动多个进程读取" in err and "并行读取" not in err
    assert alone["units"] == here["units"] and alone["total"]["fingerprint"] == here["total"]["fingerprint"]
    # stopped after the first chunks: what was read comes back in file order
    units = load_units([src], lambda done, total, path: done == 0, workers=2)
    order = {str(f): i for i, f in enumerate(find_sources([src]))}
    positions = [order[u.source] for u in units]
    assert 0 < len(units) < len(order) and positions == sorted(positions)


def test_sums_made_while_reading_give_the_sum_of_the_summed_units(sample):
    """roll_up takes the left-out units out of the reader's running sum: the same cells and
    notes as adding the summed units up again, for copies, conflicts, years, the parent, bad cells."""
    import random

    from govreport_gui.report.aggregate import CellSums, sum_cells
    from govreport_gui.report.rollup import assess

    rng = random.Random(7)
    keys = list(sample.schema.cells)
    units = []
    for i in range(40):
        r = native.from_dict(native.to_dict(sample))
        r.meta.agency = f"某区第{i % 30}局"  # 10 agencies twice: copies or conflicts
        r.meta.year = 2024 if i % 13 == 0 else 2025
        for k in rng.sample(keys, 20):
            r.cells[k] = rng.choice([None, rng.randrange(100), "十二", Decimal("1.5") if r.schema.cells[k].kind == "fee" else 3])
        units.append(assess(f"u{i:02d}.govreport", r))
    units.append(assess("copy.govreport", units[5].report))
    own = native.from_dict(native.to_dict(sample))
    own.meta.agency = "某区人民政府"
    units.append(assess("own.govreport", own))
    sums = CellSums()
    for u in units:
        sums.add(u.source, u.report)
    for kwargs in ({"year": 2025}, {"year": 2025, "agency": "某区人民政府", "prefer": ["u01.govreport"]}, {"year": 2024}):
        fast = roll_up(units, sums=sums, **kwargs)
        cells, notes = sum_cells([(u.source, u.report) for u in fast.summed])
        assert fast.total.cells == cells and [n for n in fast.notes if "无法识别" in n] == notes
        slow = roll_up(units, **kwargs)
        assert slow.total.cells == fast.total.cells and slow.notes == fast.notes
    assert sums.count == len(units)  # the reader's sums are left as they were


def test_processes_only_for_many_files_and_idle_cores(monkeypatch):
    from govreport_gui.readers import rollup_sources as rs

    monkeypatch.setattr(rs, "cores", lambda: 4)
    monkeypatch.setattr(rs.os, "getloadavg", lambda: (0.2, 0.0, 0.0))
    assert rs.default_workers(rs.PARALLEL_FROM - 1) == 1 and rs.default_workers(10_000) == 4
    monkeypatch.setattr(rs.os, "getloadavg", lambda: (2.6, 0.0, 0.0))  # a busy machine: what is idle
    assert rs.default_workers(10_000) == 1
    monkeypatch.setattr(rs.os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    assert rs.default_workers(10_000) == 1
    # the installed builds too: their launchers call freeze_support (tests/installer prove the pool there)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(rs.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert rs.default_workers(10_000) == 4


def test_every_terminal_output_escapes_control_characters(capsys, sample, tmp_path):
    """A file's name is not cleaned where it enters: the terminal gets \\u001b, not ESC."""
    from govreport_gui.cli.common import shown

    assert shown("a\x1bb\rc\u202e\x9b\n") == "a\\u001bb\\rc\\u202e\\u009b\\n"
    src = tmp_path / "src"
    _unit(sample, src, "a\x1b[31m\rb.govreport", "甲局")
    code, stdout, err = run(capsys, "aggregate", src, "-o", tmp_path / "s.govreport")
    assert code == 0 and "\x1b" not in stdout + err and "\r" not in stdout + err
    assert "a\\u001b[31m\\rb.govreport" in stdout
    code, stdout, err = run(capsys, "check", src / "missing\x1b.govreport")  # another command's message
    assert code == 2 and "\x1b" not in err and "missing\\u001b.govreport" in err
