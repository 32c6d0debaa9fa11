"""The .govreport file: round trip, minimal files, broken files, atomic save with backup."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport_gui.report import native
from govreport_gui.report.document import Waiver


def test_round_trip_keeps_everything(sample, tmp_path):
    sample.waivers.append(Waiver("x.carried_in", ("t3.carried_in.total",), "上年报告数据有误，已说明"))
    sample.unknown_cells["t9.future.cell"] = 5
    p = tmp_path / "r.govreport"
    native.save(sample, p)
    again = native.load(p)
    assert again.cells == sample.cells
    assert again.sections == sample.sections
    assert again.meta == sample.meta
    assert again.waivers == sample.waivers
    assert again.unknown_cells == {"t9.future.cell": 5}
    assert again.fingerprint() == sample.fingerprint()
    data = json.loads(p.read_text(encoding="utf-8"))
    assert data["cells"]["t2.admin_fee.amount_wan"] == "12.85"  # a decimal string, never a float
    assert data["format"] == "govreport" and data["version"] == 1 and data["template"] == "2021"


def test_minimal_file_loads_with_missing_cells_as_zero(tmp_path):
    p = tmp_path / "m.govreport"
    p.write_text(json.dumps({
        "format": "govreport", "version": 1, "meta": {"agency": "某局", "year": 2025, "date": "2026-01-10"},
        "cells": {"t3.new.natural_person": 3}, "sections": {"s1": ["总体情况。"]},
    }, ensure_ascii=False), encoding="utf-8")
    r = native.load(p)
    assert r.value("t3.new.natural_person") == 3 and r.value("t3.new.total") == 0
    assert r.display("t2.admin_fee.amount_wan") == "0"
    assert r.sections["s5"] == [] and r.meta.level == "department"


def test_fee_given_as_json_number_is_exact(tmp_path):
    p = tmp_path / "f.govreport"
    p.write_text('{"format":"govreport","version":1,"meta":{},"cells":{"t2.admin_fee.amount_wan":96171.6}}')
    assert native.load(p).cells["t2.admin_fee.amount_wan"] == Decimal("96171.6")


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "空文件"),
        (b'{"format": "govreport", "version": 1, "meta": {"agency": "\xff\xfe', "不是 UTF-8"),
        ('{"format": "govreport", "version": 1, "meta": {"agency": "某'.encode(), "已损坏或不完整"),
        (b'{"format": "other", "version": 1}', "不是 GovReport 报告文件"),
        (b'[1, 2, 3]', "不是 GovReport 报告文件"),
        (b'{"format": "govreport", "version": 7, "meta": {}}', "更新版本"),
        (b'{"format": "govreport", "version": "x", "meta": {}}', "版本号"),
        (b'{"format": "govreport", "version": 1, "template": "2019", "meta": {}}', "2019"),
        (b'{"format": "govreport", "version": 1, "meta": {}, "cells": [1]}', "cells"),
        (b"PK\x03\x04garbage", "Office 文件"),
    ],
)
def test_broken_files_give_chinese_errors(tmp_path, content, words):
    p = tmp_path / "bad.govreport"
    p.write_bytes(content)
    with pytest.raises(native.FileFormatError, match=words) as e:
        native.load(p)
    assert "bad.govreport" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(native.FileFormatError, match="找不到文件"):
        native.load(tmp_path / "nope.govreport")


def test_save_is_atomic_and_keeps_a_backup(sample, tmp_path):
    p = tmp_path / "r.govreport"
    native.save(sample, p)
    first = p.read_bytes()
    sample.meta.agency = "新名称局"
    native.save(sample, p)
    assert (tmp_path / "r.govreport.bak").read_bytes() == first
    assert native.load(p).meta.agency == "新名称局"
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []


def test_failed_save_leaves_the_old_file(sample, tmp_path, monkeypatch):
    p = tmp_path / "r.govreport"
    native.save(sample, p)
    before = p.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(native.FileFormatError, match="原文件未改动"):
        native.save(sample, p)
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_files_never_raise_anything_but_file_format_error(sample, tmp_path, data):
    blob = bytearray(native.dumps(sample).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, max(0, len(blob) - 1)))
        if op == "flip" and blob:
            blob[pos] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del blob[pos:pos + data.draw(st.integers(1, 200))]
        else:
            blob[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
    p = tmp_path / "fuzz.govreport"
    p.write_bytes(bytes(blob))
    try:
        report = native.load(p)
    except native.FileFormatError as e:
        assert "fuzz.govreport" in str(e)
    else:
        from govreport_gui.report.rules import check

        check(report)  # whatever loaded must be checkable


def test_fields_of_a_newer_version_are_written_back_as_they_came(tmp_path):
    """Same format version, extra keys (a newer GovReport wrote them): open, edit, save keeps them."""
    tree = json.loads((Path(__file__).parents[1] / "data" / "sample-2025.govreport").read_text(encoding="utf-8"))
    tree["review"] = {"by": "张三", "steps": [1, {"ok": True}], "note": "控制\u000b字符原样"}
    tree["meta"]["contact"] = "0571-1234"
    tree["sections"]["s7"] = ["新版本的第七部分"]
    tree["cells"]["t9.future"] = {"a": [1.5, "x"]}
    tree["last"] = {k: tree[k] for k in ("template", "meta", "cells", "sections")} | {"origin": "上年"}
    p = tmp_path / "newer.govreport"
    p.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    report = native.load(p)
    report.meta.agency = "改过的机关"
    native.save(report, p)
    again = json.loads(p.read_text(encoding="utf-8"))
    assert again["review"] == tree["review"]
    assert again["meta"]["contact"] == "0571-1234" and again["meta"]["agency"] == "改过的机关"
    assert again["sections"]["s7"] == ["新版本的第七部分"]
    assert again["cells"]["t9.future"] == {"a": [1.5, "x"]}
    assert again["last"]["origin"] == "上年" and again["last"]["meta"]["contact"] == "0571-1234"
    assert "recovery" not in again


def test_unknown_data_nested_too_deep_is_left_out_with_a_note_and_the_report_saves_and_carries(tmp_path):
    """Unknown cells nested 600–900 deep once raised RecursionError on every save and carry."""
    from govreport_gui.report.carry import carry_forward

    tree = json.loads((Path(__file__).parents[1] / "data" / "sample-2025.govreport").read_text(encoding="utf-8"))
    deep = 1
    for _ in range(450):
        deep = {"a": [deep]}
    tree["cells"]["t9.deep"] = deep
    tree["deep"] = deep
    tree["cells"]["t9.shallow"] = {"a": [{"b": 1}]}
    p = tmp_path / "deep.govreport"
    p.write_text(json.dumps(tree), encoding="utf-8")
    report = native.load(p)
    assert sum("嵌套超过64层或过于庞大" in n for n in report.import_notes) == 2
    assert report.unknown_cells == {"t9.shallow": {"a": [{"b": 1}]}}
    native.save(report, tmp_path / "again.govreport")
    native.dumps(carry_forward(report))
