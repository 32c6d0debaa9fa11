"""``govreport aggregate`` over hostile folders: symlink loops, FIFOs and devices, files that cannot
be read or vanish mid-scan, 10,000 empty files, its own output inside. Each run finishes within
2 s × load and +256 MB with a Chinese line per unreadable file, never a traceback or "意外问题"."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from govreport_gui.readers.rollup_sources import load_units
from tests.safety.bounded import run_bounded

DATA = Path(__file__).resolve().parents[1] / "data"
SECONDS = 2.0  # on the idle machine; scaled by bounded.load_factor()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(DATA / "sample-2025.govreport", folder / "a.govreport")
    return folder


def _loop(folder: Path) -> int:
    (folder / "sub").symlink_to(folder)  # a folder loop: not followed
    (folder / "self.govreport").symlink_to(folder / "self.govreport")  # ELOOP
    return 1


def _devices(folder: Path) -> int:
    for name in ("f.govreport", "f.html", "f.docx", "f.xlsx"):
        os.mkfifo(folder / name)
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    (folder / "random.docx").symlink_to("/dev/urandom")
    (folder / "dir.html").mkdir()  # a folder named like a report: walked into, not read
    return 6


def _empty(folder: Path) -> int:
    for i in range(10_000):
        (folder / f"e{i:05d}.govreport").touch()
    return 10_000


CASES = {"symlink loop": _loop, "FIFOs and devices named as reports": _devices, "10,000 empty files": _empty}


@pytest.mark.parametrize("case", CASES)
def test_aggregate_over_a_hostile_folder(tmp_path, case):
    folder = _folder(tmp_path)
    unreadable = CASES[case](folder)
    out = folder / "汇总.govreport"  # inside the folder it scans, and run twice: never a unit
    body = f"""
factor = load_factor()
for run in (1, 2):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as so, contextlib.redirect_stderr(io.StringIO()) as se:
        rc = main(["aggregate", {str(folder)!r}, "-o", {str(out)!r}, "--json", "--overwrite"])
    print(json.dumps({{"rc": rc, "seconds": time.perf_counter() - start, "factor": factor,
                      "out": so.getvalue(), "err": se.getvalue()}}, ensure_ascii=False))
"""
    imports = """
import contextlib, io
from govreport_gui.cli import main
from govreport_gui.readers import docx_import, xlsx_import, html_import, rollup_sources  # noqa: F401
from govreport_gui.cli import rollup  # noqa: F401
from tests.safety.bounded import load_factor
"""
    cost = run_bounded(body, imports=imports, timeout=120)
    assert cost.outcome == "ok", cost.outcome
    assert cost.rss_mb < 256
    for line in cost.printed.splitlines():
        run = json.loads(line)
        assert "意外问题" not in run["out"] + run["err"] and "Traceback" not in run["err"], run["err"][-500:]
        assert run["rc"] == 1, run["err"][-500:]  # some unit could not be read
        units = json.loads(run["out"])["units"]
        assert [u["status"] for u in units].count("unreadable") == unreadable
        assert all(u["reason"] for u in units if u["status"] == "unreadable")
        assert not any(u["source"].endswith("汇总.govreport") for u in units)
        assert run["seconds"] < SECONDS * run["factor"], (case, run["seconds"], run["factor"])


def test_a_folder_that_cannot_be_listed_is_named_not_skipped(tmp_path, monkeypatch):
    """os.walk skips a folder it cannot list without a word: its units went missing from the totals."""
    folder = _folder(tmp_path)
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(DATA / "sample-2025.govreport", locked / "b.govreport")
    real_scandir, real_listdir = os.scandir, os.listdir

    def deny(fn):  # what chmod 000 does for anyone but root (the tests may run as root)
        def wrapped(path=".", *a):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return fn(path, *a)
        return wrapped

    monkeypatch.setattr(os, "scandir", deny(real_scandir))
    monkeypatch.setattr(os, "listdir", deny(real_listdir))
    units = load_units([folder])
    assert [(Path(u.source).name, u.status) for u in units] == [("a.govreport", "ok"), ("locked", "unreadable")]
    assert "无法读取文件夹" in units[1].reason and "没有权限" in units[1].reason


def test_a_file_that_vanishes_mid_scan_is_named(tmp_path):
    folder = _folder(tmp_path)
    shutil.copy(DATA / "sample-2025.govreport", folder / "b.govreport")

    def progress(done: int, total: int, path: Path) -> bool:
        if done == 0:
            (folder / "b.govreport").unlink()  # listed, then deleted before it is read
        return True

    units = load_units([folder], progress)
    assert [u.status for u in units] == ["ok", "unreadable"] and "找不到" in units[1].reason
