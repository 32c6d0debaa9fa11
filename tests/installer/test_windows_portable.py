"""The portable Windows folder under wine, as a clerk whose PC forbids installing would use it.

``GovReport-<version>-portable.zip`` is unzipped (as Explorer would: Python's zipfile) into
``D:\\软件\\GovReport 便携版`` — a second drive, a path with spaces and Chinese characters — of a fresh
wine prefix. Then: its bytecode is what the interpreter loads, ``govreport.cmd`` self-checks, checks and
exports, ``GovReport.exe`` starts the window (offscreen, screenshot), the window keeps its settings and
recovery files in the user's folders, or beside the program once a ``portable`` file is there, and
nothing at all was written to the registry.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govreport_gui import __version__
from govreport_gui.readers.formats import open_report
from govreport_gui.report import native

from .conftest import WindowsBuild
from .test_windows_installer import check_bytecode, colours, pe_subsystem
from .wine import Prefix, Xvfb

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
FOLDER = rf"D:\软件\GovReport 便携版\GovReport-{__version__}"


@dataclass
class Portable:
    pfx: Prefix
    folder: Path  # on the host
    registry_before: set[str]

    def win(self, rel: str = "") -> str:
        return FOLDER + ("\\" + rel.replace("/", "\\") if rel else "")


def registry_keys(pfx: Prefix) -> set[str]:
    """Every key in the prefix's registry files, after wineserver has written them out."""
    pfx.wait()
    subprocess.run(["wineserver", "-w"], env=pfx.env, timeout=120, check=False)  # until it exits and saves
    keys = set()
    for hive in ("user.reg", "system.reg"):
        text = (pfx.root / "prefix" / hive).read_text(encoding="utf-8", errors="replace")
        keys |= {f"{hive}:{m}" for m in re.findall(r"^\[([^\]]+)\]", text, re.M)}
    return keys


@pytest.fixture(scope="module")
def portable(windows_build: WindowsBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portable]:
    display = Xvfb()
    pfx = Prefix(tmp_path_factory.mktemp("wine-portable"), display.display)
    try:
        pfx.boot("win10")
        d_drive = tmp_path_factory.mktemp("d-drive")
        (pfx.root / "prefix" / "dosdevices" / "d:").symlink_to(d_drive)
        target = d_drive / "软件" / "GovReport 便携版"
        target.mkdir(parents=True)
        with zipfile.ZipFile(windows_build.portable) as z:
            z.extractall(target)
        yield Portable(pfx, target / f"GovReport-{__version__}", registry_keys(pfx))
    finally:
        pfx.kill()
        display.close()


def govreport(p: Portable, *args: str) -> subprocess.CompletedProcess[str]:
    return p.pfx.run("cmd", "/c", p.win("govreport.cmd"), *args)


def test_zip_holds_one_folder_with_the_installer_payload(portable: Portable, windows_build: WindowsBuild) -> None:
    with zipfile.ZipFile(windows_build.portable) as z:
        names = z.namelist()
    assert {n.split("/")[0] for n in names} == {f"GovReport-{__version__}"}
    assert all(n.isascii() for n in names)  # Explorer of any code page unpacks them alike
    for rel in ("GovReport.exe", "govreport.cmd", "README.txt", "python/pythonw.exe",
                "python/Lib/site-packages/govreport_gui/app.py"):
        assert (portable.folder / rel).is_file(), rel
    assert not (portable.folder / "uninstall.exe").exists() and not (portable.folder / "portable").exists()
    assert pe_subsystem(portable.folder / "GovReport.exe") == 2  # no console window
    assert "portable" in (portable.folder / "README.txt").read_text(encoding="utf-8-sig")


def test_bytecode_of_the_unzipped_copy(portable: Portable) -> None:
    result = check_bytecode(portable.pfx, portable.folder / "python")
    assert result["sources"] > 800
    assert result["missing"] == result["foreign_magic"] == result["not_unchecked"] == result["stale"] == []


def test_self_check_check_and_export_from_a_chinese_path_with_spaces(portable: Portable, tmp_path: Path) -> None:
    proc = govreport(portable, "--self-check")
    assert proc.returncode == 0 and "自检通过。" in proc.stdout, proc.stdout + proc.stderr
    ok = govreport(portable, "check", portable.pfx.win_path(DATA / "sample-2025.govreport"), "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["fingerprint"] == native.load(DATA / "sample-2025.govreport").fingerprint()
    bad = govreport(portable, "check", portable.pfx.win_path(DATA / "sample-2025-faulty.govreport"))
    assert bad.returncode == 1 and "错误" in bad.stdout
    # beside the program, on D: (no space in this name: `cmd /c` drops the outer quotes of a command
    # line with more than two; typed into a console window, spaces there work too)
    out = portable.folder.parent.parent / "导出报告.docx"
    proc = govreport(portable, "export", portable.pfx.win_path(DATA / "sample-2025.govreport"), "-o",
                     r"D:\软件\导出报告.docx")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert open_report(out).fingerprint() == native.load(DATA / "sample-2025.govreport").fingerprint()


def test_govreport_exe_opens_the_window(portable: Portable, tmp_path: Path) -> None:
    # The product's own start, as a double-click on a report dragged onto it: GovReport.exe →
    # pythonw -m govreport_gui.app FILE. Offscreen: wine 8.0's "windows" platform plugin aborts outside
    # the harness (see window_harness.py), and wine passes no QT_* variable from Linux, so it goes into
    # the Windows environment for this one run. (Offscreen Qt on Windows finds no CJK font: the
    # picture's Chinese is boxes; the harness tests show the real rendering.)
    shot = portable.folder.parent / "窗口.png"
    report = portable.folder.parent / "本单位 2025 年报.govreport"
    shutil.copy(DATA / "sample-2025.govreport", report)
    proc = offscreen(portable, "GovReport.exe", r"D:\软件\GovReport 便携版\本单位 2025 年报.govreport",
                     "--screenshot", r"D:\软件\GovReport 便携版\窗口.png")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the launcher returns the program's exit code
    assert shot.is_file() and colours(shot) > 20


def offscreen(p: Portable, program: str, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """``PROGRAM ARGS`` (a path in the portable folder) with QT_QPA_PLATFORM=offscreen in the Windows
    environment for this one run, until every process it started has ended."""
    env_key = r"HKCU\Environment"
    p.pfx.run("reg", "add", env_key, "/v", "QT_QPA_PLATFORM", "/d", "offscreen", "/f", timeout=60)
    try:
        proc = p.pfx.run(p.win(program), *args, timeout=timeout)
        p.pfx.wait(timeout=timeout)
    finally:
        p.pfx.run("reg", "delete", env_key, "/v", "QT_QPA_PLATFORM", "/f", timeout=60)
    return proc


def test_govreport_exe_rolls_up_a_folder_in_two_processes(portable: Portable) -> None:
    # The product's own start again (pythonw -m govreport_gui.app): the roll-up window's two workers
    # are pythonw.exe started afresh, which import govreport_gui.app without running it — no second
    # window, nothing left running (the prefix's processes all end), the picture taken once all is read.
    # pythonw has no stdout: which processes read is said by the same module run by python.exe.
    from .rollup_units import FILES, write_units

    write_units(portable.folder.parent / "单位报告")
    shot = portable.folder.parent / "汇总.png"
    args = ("--rollup", r"D:\软件\GovReport 便携版\单位报告", "--jobs", "2", "--screenshot",
            r"D:\软件\GovReport 便携版\汇总.png")
    proc = offscreen(portable, "GovReport.exe", *args, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert shot.is_file() and colours(shot) > 20
    proc = offscreen(portable, "python/python.exe", "-E", "-s", "-X", "utf8", "-m", "govreport_gui.app", *args,
                     timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"（{FILES} 个文件，由 2 个进程读取）" in proc.stdout and proc.stdout.count("截图已保存") == 1, proc.stdout


def harness(p: Portable, tmp_path: Path) -> dict:
    return p.pfx.show_window(p.win("python/python.exe"), tmp_path, DATA / "sample-2025.govreport")[1]


def test_settings_in_the_user_folder_or_beside_the_program(portable: Portable, tmp_path: Path) -> None:
    info = harness(portable, tmp_path)
    assert info["data_dir"].endswith(r"AppData\Local\GovReport\GovReport")
    assert info["settings"].replace("/", "\\").endswith(r"AppData\Roaming\GovReport\GovReport.ini")
    assert info["app_id_set"] == "GovReport.GovReport"
    (portable.folder / "portable").write_bytes(b"")
    try:
        info = harness(portable, tmp_path)
    finally:
        (portable.folder / "portable").unlink()
    assert info["data_dir"] == portable.win("用户数据")
    assert info["settings"].replace("/", "\\") == portable.win(r"用户数据\GovReport\GovReport.ini")
    assert (portable.folder / "用户数据" / "recovery").is_dir()


def test_nothing_was_written_to_the_registry(portable: Portable) -> None:
    added = registry_keys(portable.pfx) - portable.registry_before
    mentions = [k for k in added if re.search(r"govreport|python|便携", k, re.I)]
    assert mentions == [], mentions
    for hive in ("user.reg", "system.reg"):
        text = (portable.pfx.root / "prefix" / hive).read_text(encoding="utf-8", errors="replace")
        assert "govreport" not in text.lower(), hive
    print(f"keys wine itself added while the programs ran: {sorted(added)}")
