"""The Windows installer, end to end under wine: build, silent install, CLI, DOCX, window, uninstall.

Builds ``dist/GovReport-<version>-setup.exe`` with ``installer/build.sh windows`` (conftest.py: one
build per session; downloads cached in ``~/.cache/govreport-build``), then works in one fresh wine
prefix per run. Runs by default (CI); ``GOVREPORT_SKIP_WINE=1`` skips it locally.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from govreport_gui import __version__
from govreport_gui.readers.formats import open_report
from govreport_gui.report import native

from .conftest import WindowsBuild
from .wine import Prefix, Xvfb

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PYC_CHECK = Path(__file__).with_name("pyc_check.py")
SHORTCUT = "政府信息公开年报 GovReport.lnk"
UNINST_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\GovReport"

pytestmark = pytest.mark.skipif(os.environ.get("GOVREPORT_SKIP_WINE") == "1", reason="GOVREPORT_SKIP_WINE=1")


@pytest.fixture(scope="module")
def setup_exe(windows_build: WindowsBuild) -> Path:
    return windows_build.setup


@pytest.fixture(scope="module")
def prefix(setup_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prefix]:
    """A fresh prefix with GovReport installed silently (after the Windows 7 refusal is checked)."""
    display = Xvfb()
    pfx = Prefix(tmp_path_factory.mktemp("wine"), display.display)
    try:
        pfx.boot("win7")  # wine 8.0's default: exactly the case the installer must refuse
        refused = pfx.run(str(setup_exe), "/S")
        pfx.wait()
        assert refused.returncode == 3 and not pfx.install_dir.exists()
        pfx.set_version("win10")
        t0 = time.perf_counter()
        proc = pfx.run(str(setup_exe), "/S")
        pfx.wait()
        print(f"install: {time.perf_counter() - t0:.1f} s")
        assert proc.returncode == 0, proc.stderr[-2000:]
        yield pfx
    finally:
        pfx.kill()
        display.close()


def govreport(pfx: Prefix, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``govreport.cmd``, as an IT person would type it."""
    return pfx.run("cmd", "/c", pfx.win_path(pfx.install_dir / "govreport.cmd"), *args)


def test_installed_files_and_shortcuts(prefix: Prefix) -> None:
    d = prefix.install_dir
    for rel in ("python/python.exe", "python/pythonw.exe", "python/python313._pth", "govreport.cmd",
                "GovReport.exe", "govreport.ico", "uninstall.exe", "python/Lib/site-packages/govreport_gui/cli/main.py",
                "python/Lib/site-packages/PySide6/Qt6Widgets.dll",
                "python/Lib/site-packages/PySide6/translations/qtbase_zh_CN.qm"):
        assert (d / rel).is_file(), rel
    site = d / "python/Lib/site-packages"
    assert not (site / "PySide6/Qt6Quick.dll").exists()  # the trimmed payload
    assert not (d / "python/Lib/tkinter").exists()
    (pyside,) = site.glob("pyside6_essentials-*.dist-info")
    assert tuple(int(x) for x in pyside.name.split("-")[1].split(".")[:2]) < (6, 10)  # pyproject.toml's pin
    start_menu = prefix.user_dir / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs"
    for link in (start_menu / SHORTCUT, prefix.user_dir / "Desktop" / SHORTCUT):
        data = link.read_bytes()  # target and icon are stored as UTF-16 strings in the .lnk
        assert "GovReport.exe".encode("utf-16-le") in data and "govreport.ico".encode("utf-16-le") in data, link
    assert pe_subsystem(d / "GovReport.exe") == 2  # a GUI program: no console window


def pe_subsystem(exe: Path) -> int:
    import struct

    data = exe.read_bytes()
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe:pe + 4] == b"PE\0\0"
    return struct.unpack_from("<H", data, pe + 24 + 68)[0]  # OptionalHeader.Subsystem


def check_bytecode(pfx: Prefix, python_dir: Path) -> dict:
    """What the installed interpreter itself says about the bytecode beside every .py it has."""
    proc = pfx.run(pfx.win_path(python_dir / "python.exe"), "-E", "-s", "-X", "utf8", pfx.win_path(PYC_CHECK),
                   pfx.win_path(python_dir / "Lib"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_installed_bytecode_is_complete_and_current(prefix: Prefix) -> None:
    result = check_bytecode(prefix, prefix.install_dir / "python")
    assert result["sources"] > 800  # the stdlib the payload keeps, PySide6's Python side, the app
    assert result["missing"] == [] and result["foreign_magic"] == [] and result["not_unchecked"] == []
    assert result["stale"] == []


def test_version_and_self_check(prefix: Prefix) -> None:
    assert govreport(prefix, "--version").stdout.strip() == f"govreport {__version__}"
    proc = govreport(prefix, "--self-check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Windows AMD64" in proc.stdout and "自检通过。" in proc.stdout
    assert proc.stdout.count("[通过]") == 6 and "[通过] 读取 PDF 样例" in proc.stdout  # pdfminer in the bundle
    assert "[通过] 由 .xls 台账计算表三" in proc.stdout  # the register readers on the installed copy


def test_check_consistent_and_faulty(prefix: Prefix) -> None:
    ok = govreport(prefix, "check", prefix.win_path(DATA / "sample-2025.govreport"), "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["fingerprint"] == native.load(DATA / "sample-2025.govreport").fingerprint()
    bad = govreport(prefix, "check", prefix.win_path(DATA / "sample-2025-faulty.govreport"))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "错误" in bad.stdout


def test_docx_export_reads_back_on_linux(prefix: Prefix, tmp_path: Path) -> None:
    out = tmp_path / "导出报告.docx"  # a Chinese file name: code page 936 under wine
    proc = govreport(prefix, "export", prefix.win_path(DATA / "sample-2025.govreport"), "-o", prefix.win_path(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert open_report(out).fingerprint() == native.load(DATA / "sample-2025.govreport").fingerprint()


def test_window_shows_chinese_text(prefix: Prefix, tmp_path: Path) -> None:
    t0 = time.time()
    screen = tmp_path / "screen.png"
    shown, info = prefix.show_window(
        prefix.install_dir / "python/python.exe", tmp_path, DATA / "sample-2025.govreport",
        while_shown=lambda: subprocess.run(["import", "-display", prefix.display, "-window", "root", str(screen)],
                                           check=True, timeout=60))
    print(f"window shown after {float(shown.split()[1]) - t0:.2f} s; {info}")
    assert info["platform"] == "windows"
    assert info["title"].startswith("sample-2025.govreport") and info["title"].endswith(" — GovReport")
    assert info["tabs"] == ["报告信息与正文(&B)", "表二 主动公开(&Z)", "表三 依申请公开(&Y)", "表四 复议诉讼(&S)"]
    assert info["data_dir"].endswith(r"AppData\Local\GovReport\GovReport")
    # our own taskbar button: Windows accepted the id before the first window (wine 8.0 cannot report
    # it back; real Windows must report the same)
    assert info["app_id_set"] == "GovReport.GovReport" and info["app_id"] in (None, "GovReport.GovReport")
    assert info["icon_sizes"] and max(info["icon_sizes"]) >= 256  # the window's icon: taskbar, Alt+Tab
    for png in (tmp_path / "window.png", screen):
        assert colours(png) > 50, png  # a real rendering, not a blank or black frame
    for png in (screen, tmp_path / "window.png"):  # for a human to look at
        shutil.copy(png, ROOT / "build" / "windows" / f"wine-{png.name}")


def test_rollup_reads_in_two_processes(prefix: Prefix, tmp_path: Path) -> None:
    """Windows starts every worker afresh (spawn): ``aggregate --jobs 2`` and the roll-up window
    (through the harness, as wine needs) give what one process gives and say two processes read."""
    from govreport_gui.readers.rollup_sources import load_units
    from govreport_gui.report.rollup import roll_up

    from .rollup_units import FILES, write_units
    from .wine import HARNESS

    units = write_units(tmp_path / "units")
    read_here = load_units([units], workers=1)  # this checkout, on the host
    here = roll_up(read_here, sums=read_here.sums).total.fingerprint()
    runs = {}
    for jobs in (1, 2):
        t0 = time.perf_counter()
        proc = prefix.run("cmd", "/c", prefix.win_path(prefix.install_dir / "govreport.cmd"), "aggregate",
                          prefix.win_path(units), "-o", prefix.win_path(tmp_path / f"sum{jobs}.govreport"),
                          "--jobs", str(jobs), "--json", timeout=900)
        print(f"wine: aggregate of {FILES} files, --jobs {jobs}: {time.perf_counter() - t0:.2f} s wall")
        assert proc.returncode == 1, proc.stderr[-3000:]  # 1: some units have errors
        runs[jobs] = json.loads(proc.stdout), proc.stderr
    (one, one_err), (two, two_err) = runs[1], runs[2]
    assert "由 2 个进程并行读取" in two_err and "未能启动" not in two_err and "并行读取" not in one_err
    assert len(two["units"]) == FILES and two["units"] == one["units"]
    assert two["total"]["fingerprint"] == one["total"]["fingerprint"] == here
    proc = prefix.run(prefix.win_path(prefix.install_dir / "python/python.exe"), "-E", "-s", "-X", "utf8",
                      prefix.win_path(HARNESS), "rollup", prefix.win_path(tmp_path), prefix.win_path(units), "2",
                      timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    info = json.loads(proc.stdout.splitlines()[-1])
    print(f"wine: the window's roll-up of {FILES} files: {info}")
    assert {k: v for k, v in info.items() if k != "seconds"} == {
        "files": FILES, "workers": 2, "fell_back": False, "fingerprint": here, "with_errors": FILES // 20}
    prefix.wait()  # every worker has ended


def colours(png: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    step = max(1, image.width() // 200)
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_file_association(prefix: Prefix) -> None:
    assert "GovReport.Report" in prefix.reg_query(r"HKCU\Software\Classes\.govreport")
    command = prefix.reg_query(r"HKCU\Software\Classes\GovReport.Report\shell\open\command")
    assert r'\GovReport\GovReport.exe" "%1"' in command, command
    assert "govreport.ico" in prefix.reg_query(r"HKCU\Software\Classes\GovReport.Report\DefaultIcon")
    entry = prefix.reg_query(UNINST_KEY)
    assert __version__ in entry and "uninstall.exe" in entry


def test_reinstall_over_older_copy(prefix: Prefix, setup_exe: Path) -> None:
    stale = prefix.install_dir / "python/Lib/site-packages/govreport_gui/removed_in_new_version.py"
    stale.write_text("raise SystemExit('stale')\n")
    proc = prefix.run(str(setup_exe), "/S")
    prefix.wait()
    assert proc.returncode == 0
    assert not stale.exists()
    assert govreport(prefix, "--version").returncode == 0


def test_uninstall_keeps_user_data(prefix: Prefix) -> None:
    settings = prefix.user_dir / "AppData/Roaming/GovReport/GovReport.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[General]\nlast_folder=C:/报告\n", encoding="utf-8")
    report = prefix.user_dir / "Documents" / "本单位2025年报告.govreport"
    shutil.copy(DATA / "sample-2025.govreport", report)
    proc = prefix.run(prefix.win_path(prefix.install_dir / "uninstall.exe"), "/S")
    prefix.wait()  # the uninstaller copies itself to %TEMP% and returns at once
    assert proc.returncode == 0
    assert not prefix.install_dir.exists()
    assert not (prefix.user_dir / "Desktop" / SHORTCUT).exists()
    assert "GovReport.Report" not in prefix.reg_query(r"HKCU\Software\Classes\.govreport")
    assert "DisplayName" not in prefix.reg_query(UNINST_KEY)
    assert settings.is_file() and report.is_file()
