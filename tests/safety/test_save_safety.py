"""Saving survives SIGKILL at any moment and a full disk; file modes are kept; odd files refused."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from govreport_gui.report import native
from tests.safety.bounded import LONG, ROOT

KILL_TRIALS = 300 if LONG else 10

# Saves the sample over and over, alternating a short and a long version (so a torn write would
# show), printing "ready" once the file and its backup exist.
_SAVER = """
import sys
sys.path.insert(0, {root!r})
from govreport_gui.report import native
path = {path!r}
report = native.load({sample!r})
long_text = ["很长的一段正文。" * 400] * 20
i = 0
while True:
    report.sections["s6"] = long_text if i % 2 else ["短。"]
    report.meta.agency = f"某局{{i}}"
    native.save(report, path)
    if i == 1:
        print("ready", flush=True)
    i += 1
"""


def test_save_killed_at_random_moments_leaves_file_and_backup_loadable(tmp_path, data_dir):
    path = tmp_path / "r.govreport"
    code = _SAVER.format(root=str(ROOT), path=str(path), sample=str(data_dir / "sample-2025.govreport"))
    rng = random.Random(13)
    for trial in range(KILL_TRIALS):
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        for p in (path, path.with_name(path.name + ".bak")):
            report = native.load(p)  # raises on a torn or empty file
            assert report.meta.agency.startswith("某局"), (trial, p)
    # the temp files the killed saves left behind are removed by a later save once stale
    old = time.time() - native.STALE_TMP_SECONDS - 5
    for tmp in tmp_path.glob(".~gr-*.tmp"):
        os.utime(tmp, (old, old))
    native.save(native.load(path), path)
    assert list(tmp_path.glob("*.tmp")) == []


_FULL_DISK = """
import resource, signal, sys
sys.path.insert(0, {root!r})
from govreport_gui.report import native
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
report = native.load({path!r})
report.sections["s6"] = [{text!r}]
try:
    native.save(report, {path!r})
except native.FileFormatError as e:
    print("refused", e)
else:
    print("saved")
"""


def _save_with_disk_limit(path, limit: int, text: str) -> str:
    code = _FULL_DISK.format(root=str(ROOT), path=str(path), limit=limit, text=text)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_disk_full_save_keeps_file_and_backup(sample, tmp_path):
    path = tmp_path / "r.govreport"
    bak = path.with_name(path.name + ".bak")
    sample.meta.agency = "第一版"
    native.save(sample, path)
    sample.meta.agency = "第二版"
    native.save(sample, path)
    file_before, bak_before = path.read_bytes(), bak.read_bytes()
    out = _save_with_disk_limit(path, len(file_before) + 1000, "长" * 20000)  # the new file does not fit
    assert out.startswith("refused") and "原文件未改动" in out
    assert path.read_bytes() == file_before and bak.read_bytes() == bak_before
    assert list(tmp_path.glob("*.tmp")) == []


def test_backup_of_a_file_bigger_than_the_free_space_is_still_whole(sample, tmp_path):
    # the old file is larger than what the disk can still take: a copied backup would be torn
    path = tmp_path / "r.govreport"
    sample.sections["s6"] = ["长" * 20000]
    native.save(sample, path)
    old = path.read_bytes()
    out = _save_with_disk_limit(path, len(old) // 2, "短。")
    assert out.startswith("saved")
    assert path.with_name(path.name + ".bak").read_bytes() == old
    assert native.load(path).sections["s6"] == ["短。"]


def test_saving_keeps_the_mode_of_an_existing_file(sample, tmp_path):
    path = tmp_path / "shared.govreport"
    native.save(sample, path)
    os.chmod(path, 0o664)
    native.save(sample, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert stat.S_IMODE(path.with_name(path.name + ".bak").stat().st_mode) == 0o664


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_and_exports_follow_the_umask(sample, tmp_path, mask, expected):
    from govreport_gui.export import export

    old = os.umask(mask)
    try:
        native.save(sample, tmp_path / "new.govreport")
        for suffix in (".docx", ".html", ".xlsx"):
            export(sample, tmp_path / f"out{suffix}")
    finally:
        os.umask(old)
    for name in ("new.govreport", "out.docx", "out.html", "out.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name


def test_unknown_cells_with_decimals_save_and_come_back(tmp_path):
    path = tmp_path / "newer.govreport"
    path.write_text(json.dumps({"format": "govreport", "version": 1, "meta": {"agency": "某局", "year": 2025},
                                "cells": {"t3.new.total": 3}}).replace(
        '"t3.new.total": 3', '"t3.new.total": 3, "t2.admin_fee.amount_wan_2026": 3.5, '
                             '"t9.x": {"parts": [1.25, 0.1000000000000000000001, 2]}'), encoding="utf-8")
    report = native.load(path)
    assert report.unknown_cells["t2.admin_fee.amount_wan_2026"] == Decimal("3.5")
    native.save(report, path)  # raised TypeError (Decimal is not JSON serializable) before
    again = native.load(path)
    assert again.unknown_cells["t2.admin_fee.amount_wan_2026"] == Decimal("3.5")
    assert again.unknown_cells["t9.x"]["parts"][0] == Decimal("1.25")
    assert again.unknown_cells["t9.x"]["parts"][1] == "0.1000000000000000000001"  # no float holds it


def test_cli_import_and_carry_of_a_report_with_decimal_unknown_cells(tmp_path):
    path = tmp_path / "newer.govreport"
    path.write_text('{"format":"govreport","version":1,"meta":{"agency":"某局","year":2025},'
                    '"cells":{"t3.new.total":3,"t2.admin_fee.amount_wan_2026":3.5}}', encoding="utf-8")
    for args in (["import", str(path), "-o", str(tmp_path / "a.govreport")],
                 ["carry", str(path), "-o", str(tmp_path / "b.govreport")]):
        proc = subprocess.run([sys.executable, "-m", "govreport_gui.cli", *args], capture_output=True,
                              text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "dev_urandom", "folder"])
def test_files_that_are_not_regular_are_refused_without_reading(tmp_path, kind):
    path = tmp_path / "odd.govreport"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block until a writer comes
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero" if kind == "dev_zero" else "/dev/urandom")
    start = time.perf_counter()
    with pytest.raises(native.FileFormatError, match="不是普通文件|文件夹"):
        native.load(path)
    assert time.perf_counter() - start < 2


def test_backup_when_a_killed_save_left_file_and_backup_as_one(tmp_path, data_dir):
    """A save killed between making the backup and replacing the file leaves both names on one
    inode; rename(2) between two links of one file does nothing, which left a temp file behind."""
    path = tmp_path / "r.govreport"
    native.save(native.load(data_dir / "sample-2025.govreport"), path)
    bak = path.with_name(path.name + ".bak")
    bak.unlink(missing_ok=True)
    os.link(path, bak)
    report = native.load(path)
    report.meta.agency = "新名称"
    native.save(report, path)
    assert native.load(path).meta.agency == "新名称" and native.load(bak).meta.agency != "新名称"
    assert list(tmp_path.glob("*.tmp")) == []


# `register --template -o` over an existing workbook, again and again, until killed
_TEMPLATE_WRITER = """
import contextlib, io, sys
sys.path.insert(0, {root!r})
from govreport_gui import cli
i = 0
while True:
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(["register", "--template", "-o", {path!r}])
    if i == 1:
        print("ready", flush=True)
    i += 1
"""


def test_register_template_killed_or_on_a_full_disk_leaves_the_old_workbook(tmp_path):
    from govreport_gui.readers.register import HeadersNotFound, read_register

    path = tmp_path / "台账模板.xlsx"
    code = _TEMPLATE_WRITER.format(root=str(ROOT), path=str(path))
    rng = random.Random(5)
    for trial in range(KILL_TRIALS):
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:  # killed whatever happens: a writer left running would loop for ever
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0, 0.3))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        try:  # a whole workbook: its (empty) register is read back
            assert read_register(path).applications == [], trial
        except HeadersNotFound:
            raise AssertionError(f"torn template after kill {trial}") from None
    before = path.read_bytes()
    left_by_kills = set(tmp_path.glob("*.tmp"))  # a kill between write and rename leaves one (swept later)
    full = f"""
import resource, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from govreport_gui import cli
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
sys.exit(cli.main(["register", "--template", "-o", {str(path)!r}]))
"""
    proc = subprocess.run([sys.executable, "-c", full], capture_output=True, text=True)
    assert proc.returncode == 2 and "无法写入" in proc.stderr and "原有文件未改动" in proc.stderr, proc.stderr
    assert "Errno" not in proc.stderr and "File too large" not in proc.stderr
    assert path.read_bytes() == before and set(tmp_path.glob("*.tmp")) == left_by_kills
